"""Events as iCalendar (RFC 5545) files: one event or a whole personal calendar.

A description says what the event is and where it takes place, and links the announcement
when the platform has a web address for it.

Each event keeps one UID (`event-<id>@podaj-dalej`) for its whole life and its SEQUENCE
grows with every change, so a calendar that imported it before updates the same entry;
a cancelled event says STATUS:CANCELLED, which removes it there. Times are written in the
event's zone with its VTIMEZONE, so calendars show the right wall-clock time across
summer time.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

import icalendar

from bot.events.model import Event

PRODID = "-//Podaj dalej//events//EN"
DOMAIN = "podaj-dalej"


def uid(event: Event) -> str:
    return f"event-{event.id}@{DOMAIN}"


def calendar(
    events: Sequence[Event],
    *,
    now: datetime,
    links: dict[int, str] | None = None,
    name: str | None = None,
) -> bytes:
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    # Always a publication: a cancelled event says STATUS:CANCELLED (METHOD:CANCEL is
    # iTIP scheduling, which calendars refuse in a file without an organizer).
    cal.add("method", "PUBLISH")
    if name:
        cal.add("x-wr-calname", name)
    for event in events:
        cal.add_component(_vevent(event, now, (links or {}).get(event.id)))
    cal.add_missing_timezones()  # a VTIMEZONE for every zone the events use
    return bytes(cal.to_ical())


def _vevent(event: Event, now: datetime, link: str | None) -> icalendar.Event:
    zone = ZoneInfo(event.timezone)
    out = icalendar.Event()
    out.add("uid", uid(event))
    out.add("sequence", event.sequence)
    out.add("dtstamp", now.replace(microsecond=0))
    out.add("created", event.created_at)
    out.add("last-modified", event.updated_at)
    out.add("summary", event.title)
    out.add("dtstart", event.starts_at.astimezone(zone))
    out.add("dtend", event.ends_at.astimezone(zone))
    out.add("status", "CANCELLED" if event.cancelled else "CONFIRMED")
    out.add("categories", [event.kind.value])
    description = _description(event, link)
    if link and _opens(link):
        out.add("url", link)
    if description:
        out.add("description", description)
    if event.place:
        out.add("location", event.place)
    return out


def _opens(link: str) -> bool:
    """Whether a calendar can open the link: a web address, not a console's "#channel"."""
    return link.startswith(("https://", "http://"))


def _description(event: Event, link: str | None) -> str:
    """The event's description, then where it takes place, then the announcement's web
    address. A link a calendar cannot open is left out: it would read as noise there."""
    parts = [event.description.strip()]
    if event.place and event.place not in event.description:
        parts.append(event.place)
    if link and _opens(link):
        parts.append(link)
    return "\n\n".join(part for part in parts if part)
