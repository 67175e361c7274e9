"""The one grammar of repetitions as the four features use it: reminders' every:, event
series, group meeting plans and learning check-ins. Each test here fails on the code
before bot/timelang/repetition.py: "co 2 tygodnie" was weekly, "every 5 minutes" weekly, a
working-days rule set on a Friday for "jutro o 9" first fired on Saturday, series refused
"twice a year", meeting plans refused "w pierwszy czwartek miesiąca"."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.refs import ChannelRef, UserRef
from bot.reminders.model import Status
from bot.reminders.store import ReminderStore
from tests.helpers.clock import BEFORE_SUMMER_TIME, START, WARSAW, warsaw
from tests.helpers.world import ADMIN, ANNA, EWA, World

MOD = UserRef("test:mod", "Mod")
FORUM = ChannelRef("test:#ogloszenia", "ogloszenia")


async def opened(path: Path, start: datetime = START) -> World:
    w = await World.open(path, start)
    await w.say("role grant", actor=ADMIN, user=MOD, role="moderator")
    await w.say("setup server", actor=ADMIN, forum=FORUM)
    return w


@pytest.fixture
async def world(tmp_path: Path) -> AsyncIterator[World]:
    w = await opened(tmp_path / "r.sqlite3")
    yield w
    await w.app.close()


@pytest.fixture
async def spring(tmp_path: Path) -> AsyncIterator[World]:
    """A world whose clock starts on Friday 20 March 2026, 10:00 in Warsaw, nine days before
    the change to summer time."""
    w = await opened(tmp_path / "r.sqlite3", BEFORE_SUMMER_TIME)
    yield w
    await w.app.close()


def stamps(text: str) -> list[datetime]:
    return [datetime.fromtimestamp(int(n), UTC) for n in re.findall(r"<t:(\d+):F>", text)]


def local(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=WARSAW)


def sent_to(world: World, user: UserRef) -> list[datetime]:
    return [s.at for s in world.front.sent if s.dm and s.to == user.id]


# -- reminders -----------------------------------------------------------------------------


async def test_every_two_weeks_is_every_two_weeks_across_the_change_to_summer_time(
    spring: World,
) -> None:
    reply = await spring.say(
        "remind me", when="w poniedziałek o 9", what="sprawozdanie", every="co 2 tygodnie"
    )
    assert "🔁 Powtarza się co drugi poniedziałek, o 09:00." in reply.text
    next_line = next(line for line in reply.text.splitlines() if line.startswith("Najbliższe:"))
    assert stamps(next_line) == [local(2026, 3, 23, 9), local(2026, 4, 6, 9), local(2026, 4, 20, 9)]
    await spring.app.advance(timedelta(weeks=6))
    assert sent_to(spring, ANNA) == [
        datetime(2026, 3, 23, 8, 0, tzinfo=UTC),  # 09:00 CET
        datetime(2026, 4, 6, 7, 0, tzinfo=UTC),  # 09:00 CEST, after 29 March
        datetime(2026, 4, 20, 7, 0, tzinfo=UTC),
    ]
    stored = await spring.app.db.fetchone("SELECT recurrence FROM reminders WHERE id = 1")
    assert stored is not None
    assert stored[0] == "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO;BYHOUR=9;BYMINUTE=0"


@pytest.mark.parametrize(
    ("every", "said"),
    [
        ("every 5 minutes", "„every 5 minutes” to co 5 minut — tutaj za często"),
        ("every 1 second", "„every 1 second” to co sekundę — tutaj za często"),
        ("co 3 dni, czasami", "nie znam: „czasami”"),
    ],
)
async def test_what_a_reminder_cannot_keep_is_refused_not_made_weekly(
    world: World, every: str, said: str
) -> None:
    reply = await world.say("remind me", when="jutro o 9", what="x", every=every)
    assert said in reply.text and reply.created is None
    assert await world.app.db.fetchone("SELECT id FROM reminders") is None


async def test_every_few_hours_keeps_its_minute(world: World) -> None:
    await world.say("remind me", when="dziś o 12:15", what="woda", every="co 3 godziny")
    await world.app.advance(timedelta(hours=10))
    hours = [at.astimezone(WARSAW).strftime("%H:%M") for at in sent_to(world, ANNA)]
    assert hours == ["12:15", "15:15", "18:15"]


async def test_a_working_days_rule_set_on_friday_for_tomorrow_starts_on_monday(
    world: World,
) -> None:
    await world.app.advance(timedelta(days=1))  # the clock starts on a Thursday
    friday = world.clock.now().astimezone(WARSAW)
    assert (friday.isoweekday(), friday.hour) == (5, 10)
    reply = await world.say("remind me", when="jutro o 9", what="poczta", every="w dni robocze")
    saturday, monday = warsaw(2, 9), warsaw(4, 9)
    moved = next(line for line in reply.text.splitlines() if "nie pasuje" in line)
    assert stamps(moved) == [saturday, monday]
    assert moved.startswith("Podany termin (<t:") and ". Pierwszy raz: <t:" in moved
    await world.app.advance(timedelta(days=5))  # to Wednesday 10:00; nothing on the weekend
    assert sent_to(world, ANNA) == [warsaw(days, 9) for days in (4, 5, 6)]


async def test_a_reminder_with_an_end_stops_after_its_last_date(world: World) -> None:
    await world.say(
        "remind me", when="w poniedziałek o 9", what="raport", every="co tydzień, 3 razy"
    )
    await world.app.advance(timedelta(weeks=6))
    assert len(sent_to(world, ANNA)) == 3
    reminder = await ReminderStore(world.app.db).get(1)
    assert reminder is not None and reminder.status is Status.DELIVERED


async def test_a_reminder_stored_in_the_old_form_keeps_working(spring: World) -> None:
    # Written by the version before: weekly on Monday (0) at 09:00.
    await spring.app.db.insert(
        "INSERT INTO reminders (guild_id, owner_id, kind, channel_id, channel_name, text, "
        "due_at, fire_at, timezone, recurrence, status, attempts, created_at) VALUES "
        "('test:guild', ?, 'me', 'test:#general', 'general', 'stare', ?, ?, 'Europe/Warsaw', "
        "'weekly:0:0900:', 'pending', 0, '2026-03-01T09:00:00+00:00')",
        (ANNA.id, "2026-03-23T08:00:00+00:00", "2026-03-23T08:00:00+00:00"),
    )
    await spring.restart()
    listing = await spring.say("remind list")
    assert "w każdy poniedziałek, o 09:00" in listing.text
    await spring.app.advance(timedelta(days=10))
    assert sent_to(spring, ANNA) == [
        datetime(2026, 3, 23, 8, 0, tzinfo=UTC),
        datetime(2026, 3, 30, 7, 0, tzinfo=UTC),
    ]
    stored = await spring.app.db.fetchone("SELECT recurrence FROM reminders WHERE id = 1")
    assert stored is not None and stored[0] == "FREQ=WEEKLY;BYDAY=MO;BYHOUR=9;BYMINUTE=0"


# -- event series --------------------------------------------------------------------------


async def series(world: World, every: str, first: str = "15 kwietnia 10:00") -> str:
    reply = await world.say(
        "event series create",
        actor=MOD,
        title="Forum krajowe",
        kind="forum",
        first=first,
        every=every,
        duration="6h",
        ahead_days=7,
    )
    return reply.text


async def test_a_national_forum_twice_a_year(world: World) -> None:
    text = await series(world, "twice a year")
    assert text.startswith("Utworzono cykl #1 **Forum krajowe** (co 6 miesięcy)")
    next_line = next(line for line in text.splitlines() if line.startswith("Najbliższe:"))
    assert stamps(next_line) == [
        local(2026, 4, 15, 10),
        local(2026, 10, 15, 10),
        local(2027, 4, 15, 10),
    ]


@pytest.mark.parametrize(
    ("every", "words"),
    [
        ("every 6 months", "co 6 miesięcy"),
        ("co pół roku", "co 6 miesięcy"),
        ("every Monday", "w każdy poniedziałek"),
        ("w pierwszy czwartek miesiąca", "w pierwszy czwartek miesiąca"),
    ],
)
async def test_series_take_repetitions_in_words(world: World, every: str, words: str) -> None:
    text = await series(world, every)
    assert f"(**Forum krajowe** ({words})" in f"(**Forum krajowe** ({text.split('** (', 1)[1]}"


async def test_a_series_whose_first_date_does_not_fit_says_when_it_starts(world: World) -> None:
    # 15 April 2026 is a Wednesday; "every Monday" starts on 20 April.
    text = await series(world, "every Monday")
    moved = next(line for line in text.splitlines() if "nie pasuje" in line)
    assert stamps(moved) == [local(2026, 4, 15, 10), local(2026, 4, 20, 10)]


async def test_a_series_more_often_than_daily_is_refused_in_words(world: World) -> None:
    text = await series(world, "every 2 hours")
    assert text == "„every 2 hours” to co 2 godziny — tutaj za często: najczęściej codziennie."


# -- group meeting plans -------------------------------------------------------------------


async def test_a_meeting_plan_on_the_first_thursday_of_the_month(world: World) -> None:
    await world.say("group create", actor=ADMIN, name="Jura", city="Zawiercie", initiator=EWA)
    planned = await world.say(
        "group meeting plan",
        actor=EWA,
        name="Jura",
        hosts="Łazy; Pilica",
        first="2 kwietnia o 18",
        every="w pierwszy czwartek miesiąca",
    )
    assert "🔁 Spotkania w pierwszy czwartek miesiąca, o 18:00." in planned.text
    next_line = next(line for line in planned.text.splitlines() if line.startswith("Najbliższe:"))
    assert stamps(next_line) == [
        local(2026, 4, 2, 18),
        local(2026, 5, 7, 18),
        local(2026, 6, 4, 18),
    ]
    await world.app.advance(local(2026, 4, 3, 10) - world.clock.now())  # the day after the first
    group = await world.app.groups.directory.get("test:guild", "Jura")
    meeting = await world.app.groups.meetings.next_meeting(group)
    assert meeting is not None
    assert (meeting.starts_at, meeting.host) == (local(2026, 5, 7, 18), "Pilica")


async def test_a_meeting_plan_too_often_is_refused(world: World) -> None:
    await world.say("group create", actor=ADMIN, name="Jura", city="Zawiercie", initiator=EWA)
    planned = await world.say(
        "group meeting plan",
        actor=EWA,
        name="Jura",
        hosts="Łazy",
        first="2 kwietnia o 18",
        every="co 3 dni",
    )
    assert planned.text == "„co 3 dni” to co 3 dni — tutaj za często: najczęściej co tydzień."


# -- learning check-ins --------------------------------------------------------------------


async def test_learning_check_ins_in_words(world: World) -> None:
    reply = await world.say(
        "program create",
        actor=MOD,
        name="Liderzy 2026",
        themes="Przywództwo; Coaching",
        starts="1 kwietnia 2026 9:00",
        ends="30 września 2026 17:00",
        checkin="co 2 tygodnie",
    )
    assert reply.created is not None, reply.text
    row = await world.app.db.fetchone("SELECT checkin_weeks FROM learning_programs")
    assert row is not None and row[0] == 2
    refused = await world.say(
        "program create",
        actor=MOD,
        name="Liderzy 2027",
        themes="Przywództwo",
        starts="1 kwietnia 2026 9:00",
        ends="30 września 2026 17:00",
        checkin="every Monday",
    )
    assert refused.text.startswith("Tutaj da się powtarzać tylko co ileś tygodni")


async def test_a_series_every_other_week_counts_from_its_first_fitting_day(world: World) -> None:
    # 15 April 2026 is a Wednesday: the series starts on Monday 20 April and comes every
    # other Monday from there, as a reminder or a meeting plan of the same words would.
    text = await series(world, "co 2 tygodnie w poniedziałek")
    moved = next(line for line in text.splitlines() if "nie pasuje" in line)
    assert stamps(moved) == [local(2026, 4, 15, 10), local(2026, 4, 20, 10)]
    next_line = next(line for line in text.splitlines() if line.startswith("Najbliższe:"))
    assert stamps(next_line) == [
        local(2026, 4, 20, 10),
        local(2026, 5, 4, 10),
        local(2026, 5, 18, 10),
    ]
