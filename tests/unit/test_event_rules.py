"""What a stored repeating rule can no longer do: hang or stop the start, log an error every
tick, or make events without end. Rows whose rule cannot be handled are set aside at start
(their owner and the log channel told); event lengths in hours are elapsed time across the
clock changes, for single events and for series."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.db import Database
from bot.events import series as event_series
from bot.events.model import event_end
from bot.groups.meetings import _following
from bot.groups.model import Meeting, MeetingPlan, MeetingStatus
from bot.refs import ChannelRef, UserRef
from bot.timelang import rrules
from tests.helpers.clock import BEFORE_SUMMER_TIME, START
from tests.helpers.world import ADMIN, ANNA, GUILD, World

MOD = UserRef("test:mod", "Mod")
FORUM = ChannelRef("test:#ogloszenia", "ogloszenia")
LOG = ChannelRef("test:#dziennik", "dziennik")
WARSAW = ZoneInfo("Europe/Warsaw")


async def opened(path: Path, start: datetime = START) -> World:
    w = await World.open(path, start)
    await w.say("role grant", actor=ADMIN, user=MOD, role="moderator")
    await w.say("setup server", actor=ADMIN, forum=FORUM, log=LOG)
    return w


@pytest.fixture
async def world(tmp_path: Path) -> AsyncIterator[World]:
    w = await opened(tmp_path / "r.sqlite3")
    yield w
    await w.app.close()


@pytest.fixture
async def spring(tmp_path: Path) -> AsyncIterator[World]:
    """A world whose clock starts nine days before the change to summer time."""
    w = await opened(tmp_path / "r.sqlite3", BEFORE_SUMMER_TIME)
    yield w
    await w.app.close()


async def ends(world: World) -> list[tuple[str, str]]:
    rows = await world.app.db.fetchall("SELECT starts_at, ends_at FROM events ORDER BY id")
    return [(r[0], r[1]) for r in rows]


# -- durations across the clock change (item 9) --------------------------------------------


async def test_two_hours_from_half_past_one_on_the_spring_night_last_two_hours(
    world: World,
) -> None:
    # Sunday 29 March 2026: at 02:00 in Warsaw the clocks jump to 03:00.
    made = await world.say(
        "event create",
        actor=MOD,
        title="Nocne czytanie",
        kind="forum",
        when="29 marca 1:30",
        duration="2h",
    )
    assert made.created is not None, made.text
    # 01:30 CET is 00:30 UTC; two hours later is 02:30 UTC, 04:30 on the wall clock.
    assert await ends(world) == [("2026-03-29T00:30:00+00:00", "2026-03-29T02:30:00+00:00")]


async def test_a_moved_event_keeps_its_length_in_hours(world: World) -> None:
    await world.say(
        "event create", actor=MOD, title="Nocne", kind="forum", when="27 marca 1:00", duration="3h"
    )
    await world.say("event edit", actor=MOD, event="1", when="29 marca 1:30")
    assert await ends(world) == [("2026-03-29T00:30:00+00:00", "2026-03-29T03:30:00+00:00")]


async def test_a_series_counts_hours_as_elapsed_time_across_both_changes(spring: World) -> None:
    made = await spring.say(
        "event series create",
        actor=MOD,
        title="Nocna zmiana",
        kind="forum",
        first="28 marca 1:30",
        every="FREQ=DAILY;COUNT=3",
        duration="2h",
        ahead_days=10,
    )
    assert made.created is not None, made.text
    assert await ends(spring) == [
        ("2026-03-28T00:30:00+00:00", "2026-03-28T02:30:00+00:00"),
        ("2026-03-29T00:30:00+00:00", "2026-03-29T02:30:00+00:00"),  # across the change
        ("2026-03-29T23:30:00+00:00", "2026-03-30T01:30:00+00:00"),
    ]


def test_hours_are_elapsed_and_days_keep_the_wall_clock() -> None:
    spring = datetime(2026, 3, 29, 1, 30, tzinfo=WARSAW)
    assert event_end(spring, timedelta(hours=2), "Europe/Warsaw") == datetime(
        2026, 3, 29, 2, 30, tzinfo=UTC
    )
    # 25 October: at 03:00 the clocks go back to 02:00.
    autumn = datetime(2026, 10, 25, 1, 30, tzinfo=WARSAW)
    assert event_end(autumn, timedelta(hours=2), "Europe/Warsaw") == datetime(
        2026, 10, 25, 1, 30, tzinfo=UTC
    )
    # A two-day forum from 9:00 across the change ends at 9:00 (47 hours later).
    forum = datetime(2026, 3, 28, 9, 0, tzinfo=WARSAW)
    end = event_end(forum, timedelta(days=2), "Europe/Warsaw")
    assert end.astimezone(WARSAW) == datetime(2026, 3, 30, 9, 0, tzinfo=WARSAW)
    assert end - forum == timedelta(hours=47)


# -- refusing a rule (item 1) --------------------------------------------------------------


async def test_interval_zero_is_refused_at_once_and_nothing_is_saved(world: World) -> None:
    reply = await world.say(
        "event series create",
        actor=MOD,
        title="S",
        kind="forum",
        first="jutro 10:00",
        every="FREQ=WEEKLY;INTERVAL=0",
        duration="1h",
    )
    assert "co 0 tygodni" in reply.text and "FREQ=WEEKLY;INTERVAL=2" in reply.text
    assert await world.app.db.fetchall("SELECT id FROM event_series") == []
    assert (await world.say("help", actor=MOD)).embeds  # and the bot goes on answering


async def test_a_rule_whose_parts_never_meet_is_refused_within_the_budget(world: World) -> None:
    reply = await world.say(
        "event series create",
        actor=MOD,
        title="S",
        kind="forum",
        first="jutro 10:00",
        every="FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30",
        duration="1h",
    )
    assert "nie znalazłem w rozsądnym czasie" in reply.text
    assert await world.app.db.fetchall("SELECT id FROM event_series") == []


async def test_one_run_makes_a_bounded_number_of_occurrences(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(event_series, "MAX_MADE_PER_RUN", 5)
    reply = await world.say(
        "event series create",
        actor=MOD,
        title="Codzienna",
        kind="forum",
        first="jutro 10:00",
        every="daily",
        duration="1h",
        ahead_days=14,
    )
    assert "Już ogłoszono 5 wydarzeń." in reply.text
    # The job comes back a moment later for the rest.
    await world.app.advance(timedelta(seconds=1))
    await world.app.advance(timedelta(seconds=1))
    assert len(await ends(world)) == 14


# -- setting aside what is stored (item 1) -------------------------------------------------


# When the rows below were written: before the clock's start.
WRITTEN = (START - timedelta(days=19)).isoformat()


async def store_series(world: World, rule: str) -> int:
    """A series row written past the checks (by an older version, or by hand), due now: its
    next occurrence, in three days, is announced 14 days ahead."""
    next_at = (START + timedelta(days=3)).isoformat()
    return await world.app.db.insert(
        "INSERT INTO event_series (guild_id, title, title_key, kind, rule, first_at, duration_s, "
        "timezone, audience, ahead_s, next_at, made, status, created_by, created_at) "
        "VALUES (?, 'Zła seria', 'zla seria', 'forum', ?, ?, 3600, 'Europe/Warsaw', 'all', "
        "1209600, ?, 0, 'active', ?, ?)",
        (GUILD, rule, next_at, next_at, MOD.id, WRITTEN),
    )


async def set_aside(world: World, series_id: int) -> tuple[str, str | None]:
    row = await world.app.db.fetchone(
        "SELECT status, set_aside FROM event_series WHERE id = ?", (series_id,)
    )
    assert row is not None
    return row[0], row[1]


@pytest.mark.parametrize(
    ("rule", "why"),
    [
        ("FREQ=WEEKLY;INTERVAL=0", "error.rule.interval"),  # hung every start before
        ("FREQ=WEEKLY;INTERVAL=-1", "error.rule.interval"),  # logged an error every tick
        ("FREQ=DAILY;BYHOUR=9,10,11", "error.rule.too_often"),
        ("FREQ=MONTHLY;BYMONTHDAY=0", "error.rule.range"),
        ("FREQ=WEEKLY;UNTIL=20261301", "error.rule.unreadable"),
    ],
)
async def test_a_stored_rule_that_cannot_be_handled_is_set_aside_at_start(
    world: World, rule: str, why: str, caplog: pytest.LogCaptureFixture
) -> None:
    await world.say("settings language", actor=MOD, language="en")
    series_id = await store_series(world, rule)
    await world.restart()
    # The bot started and answers; the row is stopped, saying why.
    assert (await world.say("help", actor=ANNA)).embeds
    assert await set_aside(world, series_id) == ("stopped", why)
    assert await world.app.db.fetchall("SELECT id FROM events") == []
    [told] = world.dms(MOD)
    assert told.text.startswith(f"I set aside the series #{series_id} **Zła seria**")
    [logged] = world.posts(LOG.id)[-1:]
    assert logged.text.startswith(f"⚠️ Cykl #{series_id} **Zła seria**")
    assert any("set aside" in r.getMessage() for r in caplog.records)
    # Nothing more about it, however long the bot runs: no error every tick.
    caplog.clear()
    await world.app.advance(timedelta(days=3))
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []
    assert len(world.dms(MOD)) == 1
    stop = await world.say("event series stop", actor=MOD, series=str(series_id))
    assert "already stopped" in stop.text


async def test_a_stored_rule_too_slow_to_compute_is_set_aside_when_its_job_runs(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Readable, but its parts never meet: only computing it shows that.
    monkeypatch.setattr(rrules, "SECONDS", 0.05)
    monkeypatch.setattr(rrules, "STORED_SECONDS", 0.1)
    series_id = await store_series(world, "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30")
    await world.restart()
    assert await set_aside(world, series_id) == ("stopped", "error.rule.too_slow")
    assert "trwało zbyt długo" in world.dms(MOD)[-1].text
    assert "odłożono na bok" in world.posts(LOG.id)[-1].text


async def test_a_good_series_next_to_a_bad_one_goes_on(world: World) -> None:
    bad = await store_series(world, "FREQ=WEEKLY;INTERVAL=0")
    good = await store_series(world, "FREQ=WEEKLY")
    await world.restart()
    assert await set_aside(world, bad) == ("stopped", "error.rule.interval")
    assert await set_aside(world, good) == ("active", None)
    rows = await world.app.db.fetchall("SELECT series_id FROM events")
    assert {r[0] for r in rows} == {good}


async def store_reminder(world: World, recurrence: str, due: str) -> int:
    return await world.app.db.insert(
        "INSERT INTO reminders (guild_id, owner_id, kind, channel_id, channel_name, text, "
        "due_at, fire_at, timezone, recurrence, status, attempts, created_at) VALUES "
        "(?, ?, 'me', 'test:#general', 'general', 'tajna sprawa', ?, ?, 'Europe/Warsaw', ?, "
        "'pending', 0, ?)",
        (GUILD, ANNA.id, due, due, recurrence, WRITTEN),
    )


async def test_a_reminder_whose_every_cannot_be_read_is_set_aside_at_start(world: World) -> None:
    await world.say("remind me", actor=ANNA, when="jutro o 9", what="zwykłe")
    # One long overdue (the missed sweep reads it at start), one still ahead.
    overdue = await store_reminder(world, "hourly:::", (START - timedelta(days=10)).isoformat())
    ahead = await store_reminder(world, "weekly:9:0900:", (START + timedelta(days=5)).isoformat())
    await world.restart()
    rows = await world.app.db.fetchall("SELECT id, status, set_aside FROM reminders ORDER BY id")
    assert [(r[0], r[1], r[2]) for r in rows] == [
        (1, "pending", None),
        (overdue, "failed", "error.rule.unreadable"),
        (ahead, "failed", "error.rule.unreadable"),
    ]
    told = [r.text for r in world.dms(ANNA)]
    assert sum("odłożyłem je na bok" in text for text in told) == 2
    logged = [r.text for r in world.posts(LOG.id) if "Przypomnienie" in r.text]
    assert len(logged) == 2 and not any("tajna" in text for text in logged)
    listing = await world.say("remind list", actor=ANNA)
    assert "zwykłe" in listing.text and "tajna" not in listing.text


async def test_a_start_reads_only_rules_not_checked_since_they_were_stored(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A start with a million pending reminders does not read their rules: the bot stores
    its own rules as checked, and the check reads along an index of the unchecked rows."""
    for what in ("poczta", "raport", "plan"):
        await world.say("remind me", actor=ANNA, when="jutro o 9", what=what, every="daily")
    by_hand = await store_reminder(world, "weekly:9:0900:", (START + timedelta(days=5)).isoformat())
    asked: list[tuple[str, Any, int]] = []
    fetchall = Database.fetchall

    async def spy(db: Database, sql: str, params: Any = ()) -> Any:
        rows = await fetchall(db, sql, params)
        asked.append((sql, params, len(rows)))
        return rows

    monkeypatch.setattr(Database, "fetchall", spy)
    await world.restart()
    [(sql, params, read)] = [a for a in asked if "DISTINCT recurrence" in a[0]]
    assert read == 1  # the row stored by hand, not the bot's three
    monkeypatch.undo()
    plan = await world.app.db.fetchall(f"EXPLAIN QUERY PLAN {sql}", params)
    steps = " ".join(str(row[3]) for row in plan)
    assert "INDEX reminders_rule_unchecked" in steps, steps
    assert await set_aside_reminder(world, by_hand) == ("failed", "error.rule.unreadable")
    unchecked = await world.app.db.fetchone(
        "SELECT count(*) FROM reminders WHERE status = 'pending' AND rule_checked = 0"
    )
    assert unchecked is not None and unchecked[0] == 0  # the bot's rows were written checked


async def test_a_rule_changed_by_hand_after_it_was_checked_is_checked_at_the_next_start(
    world: World,
) -> None:
    await world.say("remind me", actor=ANNA, when="jutro o 9", what="poczta", every="daily")
    good = await store_reminder(world, "daily::0900:", (START + timedelta(days=1)).isoformat())
    await world.restart()  # the legacy rule stored by hand is readable: it is marked checked
    assert await set_aside_reminder(world, good) == ("pending", None)
    await world.app.db.execute("UPDATE reminders SET recurrence = 'hourly:::'")
    await world.restart()
    rows = await world.app.db.fetchall("SELECT status, set_aside FROM reminders ORDER BY id")
    assert [(r[0], r[1]) for r in rows] == [("failed", "error.rule.unreadable")] * 2


async def set_aside_reminder(world: World, reminder_id: int) -> tuple[str, str | None]:
    row = await world.app.db.fetchone(
        "SELECT status, set_aside FROM reminders WHERE id = ?", (reminder_id,)
    )
    assert row is not None
    return row[0], row[1]


def test_a_meeting_plan_with_a_stored_step_out_of_range_makes_no_next_meeting() -> None:
    at = datetime(2026, 3, 20, 9, tzinfo=UTC)
    meeting = Meeting(1, 1, 0, "MBP", at, "", MeetingStatus.PLANNED, False)
    for weeks, months in ((-1, None), (0, None), (None, -3), (None, 1000)):
        plan = MeetingPlan(1, ("MBP",), months, weeks, (), "", "Europe/Warsaw")
        assert plan.step() is None
        assert _following(plan, meeting) is None
    monthly = MeetingPlan(1, ("MBP",), 3, None, (), "", "Europe/Warsaw")
    following = _following(monthly, meeting)
    assert following is not None and following[0] > at


async def test_a_rule_changed_while_the_bot_runs_is_set_aside_when_its_job_runs(
    world: World,
) -> None:
    made = await world.say(
        "event series create",
        actor=MOD,
        title="Co tydzień",
        kind="forum",
        first="za 4 dni 10:00",
        every="weekly",
        duration="1h",
        ahead_days=7,
    )
    assert made.created is not None, made.text
    await world.app.db.execute("UPDATE event_series SET rule = 'FREQ=WEEKLY;INTERVAL=0'")
    await world.app.advance(timedelta(days=7))
    assert await set_aside(world, int(made.created.id)) == ("stopped", "error.rule.interval")
    assert len(await ends(world)) == 1  # the occurrence made before the change
    assert "co 0 tygodni" in world.dms(MOD)[-1].text
