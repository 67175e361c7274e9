"""bot.events.ics writes RFC 5545 by hand: what calendars read back must be what was meant."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import icalendar

from bot.events.ics import calendar
from bot.events.model import Audience, Event, Kind, Status

NOW = datetime(2026, 1, 15, 10, tzinfo=UTC)


def _event(id_: int, *, title: str, description: str = "", place: str = "", zone: str) -> Event:
    starts = NOW + timedelta(days=100)  # in summer time: the zone's offset must follow
    return Event(
        id=id_, guild_id="discord:1", title=title, kind=Kind.FORUM, starts_at=starts,
        ends_at=starts + timedelta(hours=2), timezone=zone, place=place,
        description=description, audience=Audience.ALL, group_id=None, capacity=None,
        publish_at=None, published_at=NOW, registration_opens=None, registration_closes=None,
        status=Status.SCHEDULED, sequence=3, created_by="discord:2", created_at=NOW,
        updated_at=NOW,
    )  # fmt: skip


def test_text_with_separators_long_lines_and_other_scripts_reads_back_as_written() -> None:
    title = 'Forum, "jesień"; nowe \\ stare — Пловдив'
    description = "Pierwsza linia\nDruga: ąęśćżźół " * 12
    body = calendar(
        [
            _event(1, title=title, description=description, place="Pilica, rynek 1",
                   zone="Europe/Warsaw"),
            _event(2, title="Среща", zone="Europe/Sofia"),
        ],
        now=NOW,
        links={1: "https://podaj.example/events/1"},
        name="Podaj dalej, sieć",
    )  # fmt: skip
    assert all(len(line) <= 75 for line in body.split(b"\r\n"))
    parsed = icalendar.Calendar.from_ical(body)
    first, second = parsed.walk("VEVENT")
    assert str(first["SUMMARY"]) == title
    assert str(first["DESCRIPTION"]) == (
        f"{description.strip()}\n\nPilica, rynek 1\n\nhttps://podaj.example/events/1"
    )
    assert str(first["LOCATION"]) == "Pilica, rynek 1"
    assert str(first["URL"]) == "https://podaj.example/events/1"
    assert first["SEQUENCE"] == 3
    assert first["DTSTART"].dt == NOW + timedelta(days=100)
    assert first["DTSTART"].dt.utcoffset() == timedelta(hours=2)  # CEST
    assert second["DTSTART"].dt.utcoffset() == timedelta(hours=3)  # EEST
    assert str(parsed["X-WR-CALNAME"]) == "Podaj dalej, sieć"
    assert sorted(str(tz["TZID"]) for tz in parsed.walk("VTIMEZONE")) == [
        "Europe/Sofia",
        "Europe/Warsaw",
    ]


def test_a_cancelled_event_says_so_and_keeps_its_uid() -> None:
    event = _event(7, title="Superwizja", zone="Europe/Warsaw")
    cancelled = Event(**{**event.__dict__, "status": Status.CANCELLED})
    parsed = icalendar.Calendar.from_ical(calendar([cancelled], now=NOW))
    (vevent,) = parsed.walk("VEVENT")
    assert str(vevent["STATUS"]) == "CANCELLED"
    assert str(vevent["UID"]) == "event-7@podaj-dalej"
