"""Dates in sentences: where a date may stand, natural relative times, one zone style.

The rule, in every language: a date the bot does not word itself — a Discord timestamp
(rendered by each client, with no room for a preposition) or `format_when` (it names the
weekday) — stands after a label or a colon, in parentheses, after a dash or comma, or at
a line's start: "Termin: piątek, 13 lutego…", never "Przypomnę Ci piątek" or "do
czwartek". A clock time alone ("do 18:30") and a date the bot words as day, month and
year ("do 13 lutego 2026", the form that follows a preposition in each language) may
follow the preposition their message carries.
"""

from __future__ import annotations

import ast
import string
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.events.messages import left_text
from bot.i18n import SUPPORTED_LOCALES, format_relative, format_when, use_locale, zone_label
from bot.timelang.timestamps import render, stamp, when
from tests.helpers.console import ConsoleSession, open_console
from tests.unit.test_i18n import entries

ROOT = Path(__file__).resolve().parents[2]

# Placeholders fed with a timestamp of a date (styles F, f, D, d, R) or with format_when.
DATES: dict[str, set[str]] = {
    "console.clock": {"now"},
    "error.time_today_or_week_later": {"today", "later"},
    "settings.timezone.done": {"now"},
    "welcome.settings": {"now"},
    "reminder.created.me": {"when"},
    "reminder.created.channel": {"when"},
    "reminder.updated": {"when"},
    "reminder.snooze.moved": {"when"},
    "reminder.snooze.at_next": {"when"},
    "reminder.late": {"due"},
    "repeat.next": {"dates"},
    "repeat.first_moved": {"asked", "first"},
    "meeting.line": {"when"},
    "meeting.reminder": {"time"},
    "error.meeting.duplicate_date": {"date"},
    "signup.state.open_until": {"when"},
    "signup.state.upcoming": {"when"},
    "signup.joined.confirmed": {"when"},
    "signup.accepted": {"when"},
    "signup.offer": {"when", "deadline"},
    "signup.mine.offered": {"deadline"},
    "signup.notice.confirmed": {"when"},
    "error.signup.not_open": {"opens"},
    "error.signup.slot_started": {"start"},
    "error.signup.closes_after_slots": {"closes", "last"},
    "poll.state.open_until": {"when"},
    "poll.voted.dates": {"when"},
    "poll.result.dates": {"when"},
    "error.poll.duplicate_date": {"date"},
    "error.poll.closes_after_dates": {"latest"},
    "panel.announce": {"when"},
    "panel.created": {"when"},
    "panel.reminder.panelist": {"when"},
    "panel.reminder.moderator": {"when"},
    "panel.reminder.here": {"when"},
    "panel.started": {"until"},
    "panel.card.live": {"until"},
    "panel.card.scheduled": {"when"},
    "panel.list.scheduled": {"when"},
    "error.panel.in_past": {"when"},
    "event.registration.upcoming": {"when"},
    "event.registration.until": {"when"},
    "event.preview.when": {"when", "end"},
    "event.preview.publish_at": {"when"},
    "event.created.later": {"when"},
    "event.created.when": {"when"},
    "event.answered.going": {"when"},
    "event.answered.maybe": {"when"},
    "event.change.when": {"when"},
    "event.notice.cancelled": {"when"},
    "event.reminder": {"when"},
    "event.nudge.dm": {"when"},
    "event.list.unpublished": {"when"},
    "digest.range": {"start", "end"},
    "digest.closes": {"when"},
    "digest.program.starts": {"when"},
    "digest.reader.on": {"next"},
    "event.info.unpublished": {"when"},
    "event.retry_at": {"when"},
    "event.series.failed": {"when"},
    "error.event.registration_upcoming": {"when"},
    "learning.created": {"dates"},
    "learning.session.added": {"when"},
    "learning.joined.confirmed": {"when"},
    "learning.info.opens": {"when"},
    "learning.info.closes": {"when"},
    "learning.attendance.marked": {"when"},
    "learning.overview.last": {"when"},
    "error.learning.session_ahead": {"when"},
    "error.learning.started": {"start"},
    "error.rate_limited": {"when"},
    "error.time_skipped": {"moved"},
    "error.time_too_far_at": {"at"},
    "error.panel.starts_later": {"when"},
    "error.group.asks_again": {"when"},
    "group.approval.asks_again": {"when"},
    # The public web pages (web/templates) fill these with format_when.
    "web.group.meeting": {"when"},
    "web.event.registration_opens": {"when"},
    "web.event.registration_until": {"when"},
}
# Placeholders fed with a clock time alone (timestamp styles t and T): "do 18:30".
CLOCK_TIMES: dict[str, set[str]] = {
    "panel.card.live": {"since"},
    "panel.card.floor": {"until"},
    "panel.floor": {"until"},
    "panel.round.waits": {"until"},
}
# Dates the bot words itself as day, month (and year), with no weekday: the message
# carries the preposition ("do 13 lutego 2026", "Issued on 13 February 2026").
WORDED_DAYS: dict[str, set[str]] = {
    "repeat.until": {"date"},
    "error.repeat.until_past": {"until"},
    "learning.certificate.issued": {"date"},
    "event.button.opens": {"when"},
    "panel.forum_title": {"date"},
    "digest.thread": {"date"},
}

# What a date may follow: a label's colon, a parenthesis, a dash or a comma.
SEPARATORS = (":", "(", "—", "–", ",")
# Functions whose result is a timestamp or a format_when date; `stamp` with style t/T
# gives a clock time, the others in WORDING a worded day.
STAMPING = {"stamp", "when", "when_text", "span", "option_text", "format_when"}
WORDING = {"local", "_date", "local_day"}


def stands_alone(before: str) -> bool:
    """Whether a date placed after `before` needs no preposition or case: nothing but
    symbols (an emoji, a bullet) on its line, or a separator right before it."""
    line = before.rsplit("\n", 1)[-1].rstrip().rstrip("*_ ")
    return not any(ch.isalpha() for ch in line) or line.endswith(SEPARATORS)


def texts_before(template: str, name: str) -> list[str]:
    out, seen = [], ""
    for literal, field, _, _ in string.Formatter().parse(template):
        seen += literal
        if field == name:
            out.append(seen)
        if field:
            seen += "{" + field + "}"
    return out


def test_the_check_refuses_the_sentences_people_stumbled_on() -> None:
    for before in ("⏰ Przypomnę Ci ", "ogłoszę je ", "Skończy się sam ", "Trwa od 9, do "):
        assert not stands_alone(before)
    for before in ("Termin: ", "**Ala** (", "", "🕒 ", "• ", "#1 **x** — ", "a\nKiedy: "):
        assert stands_alone(before)


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_a_date_stands_where_it_needs_no_preposition(locale: str) -> None:
    catalog = entries(locale)
    wrong = [
        f"{key} {{{name}}}: {form!r}"
        for key, names in DATES.items()
        for name in names
        for form in catalog[key]
        for before in texts_before(form, name)
        if not stands_alone(before)
    ]
    assert not wrong, "\n".join(wrong)


def test_every_listed_placeholder_is_in_its_message() -> None:
    catalog = entries("pl")
    for table in (DATES, CLOCK_TIMES, WORDED_DAYS):
        for key, names in table.items():
            assert key in catalog, key
            for name in names:
                assert all(texts_before(form, name) for form in catalog[key]), (key, name)


def _calls(value: ast.expr) -> list[ast.Call]:
    return [node for node in ast.walk(value) if isinstance(node, ast.Call)]


def _name(call: ast.Call) -> str:
    func = call.func
    return func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")


def _kind(value: ast.expr) -> str | None:
    """'date', 'clock' or 'day' for an argument built from a time formatter, else None."""
    calls = _calls(value)
    if any(_name(c) in WORDING for c in calls):
        return "day"
    stamps = [c for c in calls if _name(c) in STAMPING]
    if not stamps:
        return None
    clock = all(
        _name(c) == "stamp"
        and len(c.args) == 2
        and isinstance(c.args[1], ast.Constant)
        and c.args[1].value in ("t", "T")
        for c in stamps
    )
    return "clock" if clock else "date"


def fed_dates() -> set[tuple[str, str, str]]:
    """(key, placeholder, kind) for every catalog message the code calls with a time
    formatter's result as an argument."""
    keys = set(entries("pl"))
    found = set()
    for folder in ("bot", "cogs", "matrix", "web"):
        for path in ROOT.joinpath(folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if (
                    isinstance(node, ast.Call)
                    and node.args
                    and isinstance(node.args[0], ast.Constant)
                    and node.args[0].value in keys
                ):
                    for keyword in node.keywords:
                        kind = _kind(keyword.value) if keyword.arg else None
                        if keyword.arg and kind:
                            found.add((node.args[0].value, keyword.arg, kind))
    return found


def test_the_code_feeds_dates_only_to_the_listed_placeholders() -> None:
    """Keeps the tables above complete: a new message fed a date directly is listed."""
    tables = {"date": DATES, "clock": CLOCK_TIMES, "day": WORDED_DAYS}
    found = fed_dates()
    assert {("reminder.updated", "when", "date"), ("panel.floor", "until", "clock")} <= found
    unlisted = [item for item in found if item[1] not in tables[item[2]].get(item[0], set())]
    assert not unlisted


# --- relative times and zones -------------------------------------------------------

NOW = datetime.fromisoformat("2026-02-12T10:00:00+01:00")

NATURAL = {
    timedelta(seconds=60): ("za 1 minutę", "in 1 minute", "over 1 minuut", "след 1 минута"),
    timedelta(minutes=59, seconds=50): ("za 1 godzinę", "in 1 hour", "over 1 uur", "след 1 час"),
    timedelta(minutes=60): ("za 1 godzinę", "in 1 hour", "over 1 uur", "след 1 час"),
    timedelta(hours=24): ("za 1 dzień", "in 1 day", "over 1 dag", "след 1 ден"),
    timedelta(days=7): ("za 7 dni", "in 7 days", "over 7 dagen", "след 7 дни"),
    timedelta(days=8): ("za 8 dni", "in 8 days", "over 8 dagen", "след 8 дни"),
    -timedelta(minutes=60): ("1 godzinę temu", "1 hour ago", "1 uur geleden", "преди 1 час"),
}


@pytest.mark.parametrize("span", list(NATURAL), ids=str)
def test_relative_times_are_said_in_the_natural_unit(span: timedelta) -> None:
    said = tuple(format_relative(NOW + span, NOW, locale=lang) for lang in SUPPORTED_LOCALES)
    assert said == NATURAL[span]


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_time_left_agrees_with_the_relative_time_beside_it(locale: str) -> None:
    spans = [timedelta(minutes=m) for m in (1, 25, 59.8, 60, 61, 95, 60 * 23.7, 60 * 24 * 7)]
    with use_locale(locale):
        for span in spans:
            assert format_relative(NOW + span, NOW).endswith(" " + left_text(span)), span


ZONES = {
    ("Europe/Warsaw", "2026-02-12T10:00"): "CET",
    ("Europe/Warsaw", "2026-07-12T10:00"): "CEST",
    ("Europe/Amsterdam", "2026-02-12T10:00"): "CET",
    ("Europe/Sofia", "2026-07-12T10:00"): "EEST",
    ("America/New_York", "2026-02-12T10:00"): "EST",
    ("Europe/Istanbul", "2026-02-12T10:00"): "UTC+3",
    ("Asia/Kolkata", "2026-02-12T10:00"): "IST",
    ("America/Sao_Paulo", "2026-02-12T10:00"): "UTC-3",
    ("Asia/Kathmandu", "2026-02-12T10:00"): "UTC+5:45",
    ("UTC", "2026-02-12T10:00"): "UTC",
}


@pytest.mark.parametrize(("zone", "local"), list(ZONES))
def test_a_zone_is_labelled_the_same_in_every_language(zone: str, local: str) -> None:
    at = datetime.fromisoformat(local).replace(tzinfo=ZoneInfo(zone))
    assert zone_label(at, zone) == ZONES[zone, local]
    for lang in SUPPORTED_LOCALES:
        assert format_when(at, zone, locale=lang).endswith(" " + ZONES[zone, local])
        shown = render(stamp(at, "F"), now=at, tz=zone, locale=lang)
        assert shown.endswith(" " + ZONES[zone, local])


def test_a_rendered_when_reads_the_same_way_in_every_language() -> None:
    at = NOW + timedelta(days=1, hours=8)
    shown = {
        lang: render(when(at), now=NOW, tz="Europe/Warsaw", locale=lang)
        for lang in SUPPORTED_LOCALES
    }
    assert shown == {
        "pl": "piątek, 13 lutego 2026 18:00 CET (za 1 dzień)",
        "en": "Friday, 13 February 2026 18:00 CET (in 1 day)",
        "nl": "vrijdag, 13 februari 2026 18:00 CET (over 1 dag)",
        "bg": "петък, 13 февруари 2026 18:00 CET (след 1 ден)",
    }


# --- the sentences as a person reads them (the console, in each language) ----------


@pytest.fixture(params=SUPPORTED_LOCALES)
async def console(
    request: pytest.FixtureRequest, tmp_path: Path
) -> AsyncIterator[tuple[str, ConsoleSession]]:
    """A console in each language in turn, its clock at NOW."""
    locale = request.param
    session = await open_console(tmp_path / "c.sqlite3", tmp_path / "files", now=NOW, locale=locale)
    try:
        yield locale, session
    finally:
        await session.app.close()


async def said(console: ConsoleSession, line: str) -> list[str]:
    """The lines of the (first) answer to `line`."""
    return (await console.say(line))[0]["text"].split("\n")


SENTENCES = {
    "pl": (
        "Termin: piątek, 13 lutego 2026 18:00 CET (za 1 dzień)",
        "Termin: czwartek, 12 lutego 2026 10:01 CET (za 1 minutę)",
        "Twoja strefa czasowa: Europe/Sofia. Czas lokalny: czwartek, 12 lutego 2026 11:00 EET.",
        "Utworzono wydarzenie #1 **Forum**; ogłoszenie: piątek, 13 lutego 2026 09:00 EET"
        " (za 22 godziny).",
    ),
    "en": (
        "When: Friday, 13 February 2026 18:00 CET (in 1 day)",
        "When: Thursday, 12 February 2026 10:01 CET (in 1 minute)",
        "Your time zone: Europe/Sofia. Local time: Thursday, 12 February 2026 11:00 EET.",
        "Created event #1 **Forum**; announcement: Friday, 13 February 2026 09:00 EET"
        " (in 22 hours).",
    ),
    "nl": (
        "Wanneer: vrijdag, 13 februari 2026 18:00 CET (over 1 dag)",
        "Wanneer: donderdag, 12 februari 2026 10:01 CET (over 1 minuut)",
        "Jouw tijdzone: Europe/Sofia. Lokale tijd: donderdag, 12 februari 2026 11:00 EET.",
        "Evenement #1 **Forum** gemaakt; aankondiging: vrijdag, 13 februari 2026 09:00 EET"
        " (over 22 uur).",
    ),
    "bg": (
        "Кога: петък, 13 февруари 2026 18:00 CET (след 1 ден)",
        "Кога: четвъртък, 12 февруари 2026 10:01 CET (след 1 минута)",
        "Вашата часова зона: Europe/Sofia. Местно време: четвъртък, 12 февруари 2026 11:00 EET.",
        "Създадено е събитие #1 **Forum**; обявяване: петък, 13 февруари 2026 09:00 EET"
        " (след 22 часа).",
    ),
}


async def test_the_dates_a_person_reads_in_their_language(
    console: tuple[str, ConsoleSession],
) -> None:
    locale, session = console
    reminder, soon, zone, event = SENTENCES[locale]
    assert (await said(session, '/remind me when:"2026-02-13 18:00" what:"X"'))[2] == reminder
    assert (await said(session, '/remind me when:"2026-02-12 10:01" what:"Y"'))[2] == soon
    assert await said(session, "/settings timezone timezone:Europe/Sofia") == [zone]
    created = await said(
        session,
        '/event create title:"Forum" kind:forum when:"2026-03-27 10:00" duration:3h '
        'place:"Sala" publish_at:"2026-02-13 09:00"',
    )
    assert created[0] == event
