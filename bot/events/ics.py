"""Events as iCalendar (RFC 5545) files: one event or a whole personal calendar.

Each event keeps one UID (`event-<id>@podaj-dalej`) for its whole life and its SEQUENCE
grows with every change, so a calendar that imported it before updates the same entry;
a cancelled event says STATUS:CANCELLED, which removes it there. Times are written in the
event's zone with its VTIMEZONE, so calendars show the right wall-clock time across
summer time.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
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
    _add_timezones(cal, {e.timezone for e in events})
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
    description = event.description
    if link:
        description = f"{description}\n\n{link}".strip()
        if link.startswith(("https://", "http://")):
            out.add("url", link)
    if description:
        out.add("description", description)
    if event.place:
        out.add("location", event.place)
    return out


def _add_timezones(cal: icalendar.Calendar, zones: set[str]) -> None:
    if hasattr(cal, "add_missing_timezones"):  # icalendar >= 6.1 knows the zones itself
        cal.add_missing_timezones()
        return
    years = [c.decoded("dtstart").year for c in cal.walk("VEVENT")] or [
        datetime.now(UTC).year
    ]  # pragma: no cover - icalendar < 6.1
    for zone in sorted(zones):  # pragma: no cover - icalendar < 6.1
        cal.add_component(vtimezone(zone, min(years) - 1, max(years) + 1))


def vtimezone(zone_name: str, first_year: int, last_year: int) -> icalendar.Timezone:
    """A VTIMEZONE with every offset change of the zone in those years, found hour by hour
    (for icalendar versions that cannot write one themselves)."""
    zone = ZoneInfo(zone_name)
    out = icalendar.Timezone()
    out.add("tzid", zone_name)
    at = datetime(first_year, 1, 1, tzinfo=UTC)
    end = datetime(last_year + 1, 1, 1, tzinfo=UTC)
    before = at.astimezone(zone)
    changes = [(before, before)]
    while at < end:
        at += timedelta(hours=1)
        here = at.astimezone(zone)
        if here.utcoffset() != before.utcoffset():
            changes.append((before, here))
        before = here
    for old, new in changes:
        before_offset, offset = old.utcoffset(), new.utcoffset()
        assert before_offset is not None and offset is not None
        # The onset is written in the local time that was in force until then.
        onset = new.astimezone(UTC).replace(tzinfo=None, minute=0, second=0) + before_offset
        part = icalendar.TimezoneDaylight() if new.dst() else icalendar.TimezoneStandard()
        part.add("dtstart", onset)
        part.add("tzoffsetfrom", before_offset)
        part.add("tzoffsetto", offset)
        part.add("tzname", new.tzname())
        out.add_component(part)
    return out
