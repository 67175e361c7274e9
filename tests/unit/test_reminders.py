"""Reminders with the settable clock: due, late, missed, DST, recurrence, cancel, snooze,
limits, retries, closed DMs, and what a crash between send and mark does."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.dispatch import Request
from bot.i18n import t
from bot.ratelimit import Limiter
from bot.refs import Actor, UserRef
from bot.reminders.model import Reminder, Status
from bot.reminders.store import ReminderStore
from bot.scheduler import PREPARE_AHEAD
from tests.helpers.clock import BEFORE_SUMMER_TIME, START, warsaw
from tests.helpers.world import ADMIN, ANNA, GENERAL, JAN
from tests.helpers.world import World as BaseWorld


class World(BaseWorld):
    async def status(self, reminder_id: int) -> Status:
        reminder = await ReminderStore(self.app.db).get(reminder_id)
        assert reminder is not None
        return reminder.status


@pytest.fixture
async def world(tmp_path: Path) -> AsyncIterator[World]:
    w = await World.open(tmp_path / "r.sqlite3")
    yield w
    await w.app.close()


@pytest.fixture
async def spring(tmp_path: Path) -> AsyncIterator[World]:
    """A world whose clock starts nine days before the change to summer time."""
    w = await World.open(tmp_path / "r.sqlite3", BEFORE_SUMMER_TIME)
    yield w
    await w.app.close()


async def test_a_reminder_arrives_once_at_its_time_with_buttons(world: World) -> None:
    reply = await world.say("remind me", when="jutro o 18", what="Zadzwonić do Pilicy")
    due = warsaw(1, 18)
    assert f"<t:{int(due.timestamp())}:F>" in reply.text  # the time understood, visibly
    assert f"<t:{int(due.timestamp())}:R>" in reply.text
    assert reply.created is not None and reply.created.type == "reminder"
    await world.app.advance(timedelta(hours=31) - timedelta(seconds=1))
    assert world.front.sent == []
    await world.app.advance(timedelta(days=3))
    assert len(world.front.sent) == 1
    sent = world.front.sent[0]
    assert sent.at == due and sent.dm and sent.to == ANNA.id
    assert "Zadzwonić do Pilicy" in sent.reply.text
    assert [b.custom_id for b in sent.reply.buttons] == [
        "remind:snooze:1:10m",
        "remind:snooze:1:1h",
        "remind:snooze:1:morning",
        "remind:done:1",
    ]
    assert await world.status(1) is Status.DELIVERED


async def test_a_reminder_due_while_down_arrives_late_at_start(world: World) -> None:
    await world.say("remind me", when="za 2 godziny", what="kawa")
    await world.restart(down_for=timedelta(hours=4))
    assert len(world.front.sent) == 1
    assert world.front.sent[0].at == START + timedelta(hours=4)
    assert "Z opóźnieniem" in world.front.sent[0].reply.text
    await world.restart()
    assert len(world.front.sent) == 1  # delivered exactly once


async def test_reminders_long_overdue_are_reported_once_as_missed(world: World) -> None:
    await world.say("remind me", when="za 1 godzinę", what="pierwsze")
    await world.say("remind me", when="za 2 godziny", what="drugie")
    await world.restart(down_for=timedelta(hours=10))
    assert len(world.front.sent) == 1
    report = world.front.sent[0].reply.text
    assert report.startswith("Gdy mnie nie było, minęły 2 przypomnienia:")
    assert "pierwsze" in report and "drugie" in report
    assert [await world.status(i) for i in (1, 2)] == [Status.MISSED, Status.MISSED]
    await world.restart(down_for=timedelta(days=1))
    assert len(world.front.sent) == 1


async def test_weekly_reminders_keep_nine_oclock_across_the_dst_change(spring: World) -> None:
    await spring.say(
        "remind me", when="w poniedziałek o 9", what="plan tygodnia", every="co poniedziałek o 9"
    )
    await spring.app.advance(timedelta(days=15))
    times = [s.at for s in spring.front.sent]
    assert times == [
        datetime(2026, 3, 23, 8, 0, tzinfo=UTC),  # 09:00 CET
        datetime(2026, 3, 30, 7, 0, tzinfo=UTC),  # 09:00 CEST, after 29 March
    ]


async def test_daily_reminders_survive_a_restart(world: World) -> None:
    await world.say("remind me", when="jutro o 8", what="poczta", every="daily")
    await world.app.advance(timedelta(days=1))
    await world.restart()
    await world.app.advance(timedelta(days=2))
    assert len(world.front.sent) == 3
    assert {s.at.astimezone(ZoneInfo("Europe/Warsaw")).hour for s in world.front.sent} == {8}


async def test_cancel_stops_it_and_cancelling_twice_is_answered(world: World) -> None:
    await world.say("remind me", when="za 10 minut", what="x")
    assert (await world.say("remind cancel", id=1)).text == "Anulowano przypomnienie #1."
    assert (await world.say("remind cancel", id=1)).text == "Przypomnienie #1 jest już anulowane."
    await world.app.advance(timedelta(hours=1))
    assert world.front.sent == []


async def test_someone_elses_reminder_is_unknown(world: World) -> None:
    await world.say("remind me", when="za 10 minut", what="x")
    jan = UserRef("test:jan", "Jan")
    assert "Nie znalazłem" in (await world.say("remind cancel", actor=jan, id=1)).text
    await world.app.advance(timedelta(minutes=10))
    assert "Nie znalazłem" in (await world.press("remind:done:1", actor=jan)).text


async def test_snooze_buttons_after_delivery(world: World) -> None:
    await world.say("remind me", when="za 10 minut", what="herbata")
    await world.app.advance(timedelta(minutes=10))
    await world.press("remind:snooze:1:10m")
    await world.app.advance(timedelta(minutes=10))
    await world.press("remind:snooze:1:morning")
    await world.app.advance(timedelta(days=1))
    times = [s.at for s in world.front.sent]
    assert times[:2] == [START + timedelta(minutes=10), START + timedelta(minutes=20)]
    assert times[2] == warsaw(1, 9)  # tomorrow 09:00 in Warsaw
    assert (await world.press("remind:done:1")).text == "✅ Odhaczone (#1)."
    assert await world.status(1) is Status.DONE
    # Snooze pressed later on the old message does not bring a finished reminder back.
    late = await world.press("remind:snooze:1:10m")
    assert late.text == "Przypomnienie #1 jest już odhaczone. Nowe ustawisz przez /remind me."
    assert await world.status(1) is Status.DONE


async def test_snoozing_a_repeating_reminder_leaves_the_series_alone(world: World) -> None:
    await world.say("remind me", when="za 1 godzinę", what="raport", every="codziennie")
    await world.app.advance(timedelta(hours=1))
    snoozed = await world.say("remind snooze", id=1, by="2h")
    assert snoozed.text.startswith("⏰ Przypomnienie #2:")
    await world.app.advance(timedelta(hours=24))
    # The series stays at 11:00 daily; the snoozed copy came once, two hours after the first.
    assert [s.at - START for s in world.front.sent] == [
        timedelta(hours=1),
        timedelta(hours=3),
        timedelta(hours=25),
    ]


async def test_snoozing_before_it_arrives_points_to_edit(world: World) -> None:
    await world.say("remind me", when="jutro", what="x")
    assert "/remind edit" in (await world.say("remind snooze", id=1)).text
    assert "/remind edit" in (await world.press("remind:done:1")).text


async def test_edit_changes_time_text_and_repeat(world: World) -> None:
    await world.say("remind me", when="jutro o 10", what="stary", every="daily")
    edited = await world.say("remind edit", id=1, when="za 30 minut", what="nowy", every="nie")
    assert edited.text.startswith("⏰ Przypomnienie #1:")
    await world.app.advance(timedelta(days=3))
    assert [s.reply.text for s in world.front.sent] == ["⏰ Przypomnienie: nowy"]
    assert "Podaj, co zmienić" in (await world.say("remind edit", id=1)).text


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("pl", "najwyżej 1\xa0000 znaków, a wpisano 1\xa0003."),
        ("en", "at most 1,000 characters (this one has 1,003)."),
        ("nl", "hoogstens 1.000 tekens (deze heeft er 1.003)."),
        ("bg", "най-много 1\xa0000 знака, а са въведени 1\xa0003."),
    ],
)
async def test_a_text_too_long_is_told_its_length(world: World, language: str, said: str) -> None:
    await world.say("settings language", language=language)
    too_long = await world.say("remind me", when="jutro o 9", what="x" * 1003)
    assert said in too_long.text, too_long.text


@pytest.mark.parametrize("when", ["tydzień", "pół roku", "a month", "maand", "месец"])
async def test_a_length_of_time_alone_is_not_called_a_repetition(world: World, when: str) -> None:
    # "tydzień" typed as the time means "in a week", not "every week": it gets the examples
    # of a time ("za 2 godziny"), not the pointer to every:.
    reply = await world.say("remind me", when=when, what="x")
    assert reply.text.startswith(f"Nie rozumiem czasu „{when}”."), reply.text
    weekly = await world.say("remind me", when="weekly", what="x")
    assert weekly.text.startswith("„weekly” to powtarzanie"), weekly.text


async def test_limits_are_clear_errors(world: World) -> None:
    assert "dalej niż za rok" in (await world.say("remind me", when="15.04.2027", what="x")).text
    # A day without a year that comes next only after a year says when that is.
    leap = await world.say("remind me", when="29 lutego o 10", what="x")
    assert leap.text.startswith("„29 lutego o 10” wypada dalej niż za rok (<t:"), leap.text
    assert leap.text.split("<t:")[1].split(":")[0] == "1835427600"  # 29 Feb 2028, 10:00
    too_long = await world.say("remind me", when="jutro", what="x" * 1001)
    assert "najwyżej 1\xa0000 znaków" in too_long.text
    assert "Nie rozumiem czasu" in (await world.say("remind me", when="25:00", what="x")).text
    assert (
        "Nie rozumiem powtarzania"
        in (await world.say("remind me", when="jutro", what="x", every="czasami")).text
    )
    # The stored cap is tested here, not the cooldown (tests/unit/test_ratelimit.py).
    world.app.dispatcher.limits = Limiter(world.clock, scale=0)
    for _ in range(100):
        await world.say("remind me", when="jutro", what="x")
    full = await world.say("remind me", when="jutro", what="jeden za dużo")
    assert "Masz już 100 oczekujących przypomnień" in full.text
    assert len(await world.app.reminders.pending_of(ANNA.id)) == 100


@pytest.mark.parametrize(
    ("language", "when", "hint"),
    [
        ("pl", "co 2 tygodnie", 'Powtarzanie wpisz w opcji every, np. when:"w poniedziałek o 9"'),
        ("en", "every monday at 9", 'Put the repetition in every, e.g. when:"Monday at 9am"'),
        ("nl", "elke week", 'Zet de herhaling in every, bv. when:"maandag om 9 uur"'),
        ("bg", "всеки ден", 'Повторението напишете в опцията every, напр. when:"в понеделник в 9"'),
    ],
)
async def test_a_repetition_typed_as_the_time_points_to_every(
    world: World, language: str, when: str, hint: str
) -> None:
    await world.say("settings language", language=language)
    reply = await world.say("remind me", when=when, what="x")
    assert reply.created is None and hint in reply.text, reply.text
    assert when in reply.text
    # The hint's own example works as it says.
    first, every = hint.split('when:"')[1].split('"')[0], reply.text.split('every:"')[1][:-2]
    assert (await world.say("remind me", when=first, what="x", every=every)).created is not None


async def test_english_phrases_work_for_a_polish_user(world: World) -> None:
    reply = await world.say("remind me", when="tomorrow at 6pm", what="x")
    assert reply.created is not None


async def test_a_phrase_of_the_users_language_is_not_read_in_another(world: World) -> None:
    # Polish "za 5" lacks its unit; Dutch would read it as Saturday at five.
    reply = await world.say("remind me", when="za 5", what="x")
    assert reply.created is None and "Nie rozumiem czasu „za 5”" in reply.text
    # "do 10" is a bound in Polish (by ten); Dutch would read Thursday at ten.
    bound = await world.say("remind me", when="do 10", what="x")
    assert bound.created is None and "Nie rozumiem czasu „do 10”" in bound.text
    await world.say("settings language", language="nl")
    saturday = await world.say("remind me", when="za 5", what="x")
    assert saturday.created is not None


async def test_a_failed_send_is_retried_with_backoff_and_marked_only_after_success(
    world: World,
) -> None:
    await world.say("remind me", when="za 10 minut", what="ważne")
    world.front.transient_failures = 2
    await world.app.advance(timedelta(minutes=10))
    assert world.front.sent == []
    assert await world.status(1) is Status.PENDING
    await world.app.advance(timedelta(minutes=5))
    assert [s.at - START for s in world.front.sent] == [timedelta(minutes=13)]  # +1, +2 min
    assert await world.status(1) is Status.DELIVERED


async def test_closed_dms_fall_back_to_a_mention_where_it_was_set(world: World) -> None:
    world.front.closed_dms.add(ANNA.id)
    await world.say("remind me", when="za 10 minut", what="spotkanie")
    await world.app.advance(timedelta(minutes=10))
    [sent] = world.front.sent
    assert not sent.dm and sent.to == GENERAL.id
    assert sent.reply.text.startswith(f"<@{ANNA.id}> ⏰ Przypomnienie: spotkanie")
    assert sent.reply.mentions == (ANNA.id,)


async def test_channel_reminders_need_a_role_and_ping_nobody(world: World) -> None:
    refused = await world.say("remind channel", when="za 5 minut", what="Forum!")
    assert refused.text.startswith("Do tego potrzebna jest rola: inicjator.")
    await world.say("remind channel", actor=ADMIN, when="za 5 minut", what="Forum @everyone")
    await world.app.advance(timedelta(minutes=5))
    [sent] = world.front.sent
    assert sent.to == GENERAL.id and not sent.reply.mentions and not sent.reply.buttons
    assert "@everyone" not in sent.reply.text


async def test_a_repeating_channel_reminder_says_how_it_is_stopped(world: World) -> None:
    await world.say("remind channel", actor=ADMIN, when="jutro o 9", what="Kawa", every="weekly")
    await world.app.advance(timedelta(days=1))
    [sent] = world.front.sent
    assert "`/remind cancel id:1` (autor albo moderator)" in sent.reply.text
    moderator_stops = await world.say("remind cancel", actor=ADMIN, id=1)
    assert "#1" in moderator_stops.text


async def test_those_who_run_a_channel_list_its_reminders_whoever_set_them(world: World) -> None:
    await world.say("remind channel", actor=ADMIN, when="jutro o 9", what="Kawa")
    await world.say("remind me", actor=ADMIN, when="jutro o 9", what="Prywatne")
    listed = await world.say("remind list", actor=ADMIN, clashing={"channel": GENERAL})
    assert listed.text.startswith("Na #general czeka 1 przypomnienie:")
    assert "Kawa" in listed.text and "Prywatne" not in listed.text
    refused = await world.say(
        "remind list", clashing={"channel": GENERAL}
    )  # Anna runs nothing here
    assert refused.text.startswith("Przypomnienia kanału #general widzą moderatorzy, a na kanale")
    mine = await world.say("remind list")
    assert mine.text.startswith("Nie masz oczekujących przypomnień.")


async def test_a_crash_between_send_and_mark_repeats_never_skips(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    await world.say("remind me", when="za 10 minut", what="raz")
    original = ReminderStore.update_many

    async def crash(self: ReminderStore, *args: Any, **kwargs: Any) -> set[int]:
        raise RuntimeError("the process died here")

    monkeypatch.setattr(ReminderStore, "update_many", crash)
    await world.app.advance(timedelta(minutes=10))
    monkeypatch.setattr(ReminderStore, "update_many", original)
    assert len(world.front.sent) == 1
    await world.restart()
    assert len(world.front.sent) == 2  # repeated once after the restart
    assert await world.status(1) is Status.DELIVERED


async def test_a_clock_with_microseconds_still_delivers_on_time(tmp_path: Path) -> None:
    # The real clock never stands on a whole second; the database keeps whole seconds.
    world = await World.open(tmp_path / "us.sqlite3", START + timedelta(microseconds=123456))
    await world.say("remind me", when="za 10 minut", what="herbata")
    await world.app.advance(timedelta(minutes=10))
    assert [s.reply.text for s in world.front.sent] == ["⏰ Przypomnienie: herbata"]
    await world.app.close()


async def test_an_unexpected_error_in_one_send_loses_nothing(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    jan = UserRef("test:jan", "Jan")
    await world.say("remind me", when="za 10 minut", what="dla Anny")
    await world.say("remind me", actor=jan, when="za 10 minut", what="dla Jana")
    original = world.front.send_dm
    failed = False

    async def flaky(user_id: str, reply: Any) -> Any:
        nonlocal failed
        if user_id == jan.id and not failed:
            failed = True
            raise TimeoutError("the network hiccuped")
        return await original(user_id, reply)

    monkeypatch.setattr(world.front, "send_dm", flaky)
    await world.app.advance(timedelta(minutes=10))
    assert [s.to for s in world.front.sent] == [ANNA.id]
    assert await world.status(1) is Status.DELIVERED  # Anna's result was kept
    await world.app.advance(timedelta(minutes=1))
    assert [s.to for s in world.front.sent] == [ANNA.id, jan.id]  # Jan's came a minute later
    await world.app.advance(timedelta(days=1))
    assert len(world.front.sent) == 2  # and nothing twice


async def test_reminders_are_read_ahead_so_their_moment_only_sends(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    await world.say("remind me", when="za 10 minut", what="herbata")
    await world.say("remind me", actor=JAN, when="za 10 minut", what="kawa")
    reads: list[datetime] = []
    original = ReminderStore.get_many

    async def counted(self: ReminderStore, ids: list[int]) -> list[Reminder]:
        reads.append(world.clock.now())
        return await original(self, ids)

    monkeypatch.setattr(ReminderStore, "get_many", counted)
    await world.app.advance(timedelta(minutes=10))
    due = START + timedelta(minutes=10)
    assert reads == [due - PREPARE_AHEAD]
    assert [(s.at, s.reply.text) for s in world.front.sent] == [
        (due, "⏰ Przypomnienie: herbata"),
        (due, "⏰ Przypomnienie: kawa"),
    ]


async def test_an_edit_after_the_reminder_was_prepared_is_what_arrives(world: World) -> None:
    await world.say("remind me", when="za 10 minut", what="stary")
    await world.say("remind me", actor=JAN, when="za 10 minut", what="kawa")
    await world.app.advance(timedelta(minutes=10) - PREPARE_AHEAD)
    await world.say("remind edit", id=1, what="nowy")
    await world.say("remind cancel", actor=JAN, id=2)
    await world.app.advance(PREPARE_AHEAD)
    assert [s.reply.text for s in world.front.sent] == ["⏰ Przypomnienie: nowy"]


async def test_an_edit_landing_while_the_moment_is_being_read_is_what_arrives(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    await world.say("remind me", when="za 10 minut", what="stary")
    await world.say("remind me", actor=JAN, when="za 10 minut", what="kawa")
    original = ReminderStore.get_many

    async def edited_meanwhile(self: ReminderStore, ids: list[int]) -> list[Reminder]:
        rows = await original(self, ids)
        monkeypatch.setattr(ReminderStore, "get_many", original)
        await world.say("remind edit", id=1, what="nowy")  # after the read, before it is kept
        return rows

    monkeypatch.setattr(ReminderStore, "get_many", edited_meanwhile)
    await world.app.advance(timedelta(minutes=10))
    assert sorted(s.reply.text for s in world.front.sent) == [
        "⏰ Przypomnienie: kawa",
        "⏰ Przypomnienie: nowy",
    ]


async def test_a_send_held_up_past_a_minute_says_it_is_late(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    await world.say("remind me", when="za 10 minut", what="pierwsze")
    await world.say("remind me", actor=JAN, when="za 10 minut", what="drugie")
    original = world.front.send_dm

    async def slow(user_id: str, reply: Any) -> Any:
        sent = await original(user_id, reply)
        world.clock.advance(timedelta(minutes=2))  # this send took two minutes
        return sent

    monkeypatch.setattr(world.front, "send_dm", slow)
    await world.app.advance(timedelta(minutes=10))
    first, second = (s.reply.text for s in world.front.sent)
    assert "Z opóźnieniem" not in first
    assert "Z opóźnieniem" in second


async def test_a_moderator_of_another_server_cannot_cancel_a_channel_reminder(
    world: World,
) -> None:
    await world.say("remind channel", actor=ADMIN, when="jutro o 9", what="Kawa")
    elsewhere = Request(
        "test", "test:other-guild", GENERAL, Actor(UserRef("test:boss", "Boss"), is_admin=True)
    )
    refused = await world.app.dispatcher.run(elsewhere, "remind cancel", {"id": 1})
    assert refused.text == t("error.reminder.not_found", id=1)
    [pending] = await world.app.reminders.pending_in_channel(GENERAL.id)
    assert pending.id == 1


@pytest.mark.parametrize(
    ("language", "when", "passed"),
    [
        ("pl", "wczoraj o 10", "„wczoraj o 10” już minęło"),
        ("en", "yesterday at 10", "“yesterday at 10” has already passed"),
        ("nl", "gisteren om 10 uur", "„gisteren om 10 uur” is al voorbij"),
        ("bg", "вчера в 10", "„вчера в 10“ вече е минало"),
    ],
)
async def test_a_time_already_passed_is_answered_as_passed(
    world: World, language: str, when: str, passed: str
) -> None:
    await world.say("settings language", language=language)
    reply = await world.say("remind me", when=when, what="x")
    assert reply.text.startswith(passed) and reply.created is None


@pytest.mark.parametrize(
    ("language", "when", "skipped"),
    [
        (
            "pl",
            "29 marca o 2:30",
            "„29 marca o 2:30” — takiej godziny w strefie Europe/Warsaw nie ma",
        ),
        ("en", "March 29 at 2:30am", "“March 29 at 2:30am” does not exist in Europe/Warsaw"),
        ("nl", "29 maart om 2:30", "„29 maart om 2:30” bestaat niet in Europe/Warsaw"),
        ("bg", "29 март в 2:30", "„29 март в 2:30“ не съществува в Europe/Warsaw"),
    ],
)
async def test_a_time_the_clocks_skip_is_refused_with_the_time_they_jump_to(
    world: World, language: str, when: str, skipped: str
) -> None:
    await world.say("settings language", language=language)
    reply = await world.say("remind me", when=when, what="x")
    moved = int(datetime(2026, 3, 29, 1, 30, tzinfo=UTC).timestamp())  # 03:30 in Warsaw
    assert reply.text.startswith(skipped) and f"<t:{moved}:F>" in reply.text
    assert reply.created is None
    assert await world.app.db.fetchone("SELECT 1 FROM reminders") is None


async def test_the_missed_sweep_at_start_reads_by_an_index_not_the_whole_table(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Start stays quick at a million pending reminders: the sweep's query is indexed."""
    db = world.app.db
    asked: list[tuple[str, Any]] = []
    fetchall = db.fetchall

    async def spy(sql: str, params: Any = ()) -> Any:
        asked.append((sql, params))
        return await fetchall(sql, params)

    monkeypatch.setattr(db, "fetchall", spy)
    await ReminderStore(db).overdue(START)
    [(sql, params)] = asked
    plan = await fetchall(f"EXPLAIN QUERY PLAN {sql}", params)
    steps = " ".join(str(row[3]) for row in plan)
    assert "USING INDEX reminders_due" in steps, steps


@pytest.mark.parametrize(
    ("language", "when", "asked"),
    [
        ("pl", "w czwartek o 15", "„w czwartek o 15” — dziś jest czwartek. Który termin: dziś"),
        ("en", "Thursday at 3pm", "“Thursday at 3pm” — today is Thursday. Which one: today"),
        ("nl", "donderdag om 15 uur", "„donderdag om 15 uur” — vandaag is het donderdag."),
        ("bg", "в четвъртък в 15", "„в четвъртък в 15“ — днес е четвъртък. Кой ден: днес"),
    ],
)
async def test_todays_weekday_at_a_time_still_ahead_is_asked_about_not_guessed(
    world: World, language: str, when: str, asked: str
) -> None:
    # The world's clock stands on Thursday 15 January 2026, 10:00 in Warsaw.
    await world.say("settings language", language=language)
    reply = await world.say("remind me", when=when, what="x")
    today = int(datetime(2026, 1, 15, 14, tzinfo=UTC).timestamp())
    later = int(datetime(2026, 1, 22, 14, tzinfo=UTC).timestamp())
    assert reply.text.startswith(asked) and reply.created is None
    assert f"<t:{today}:F>" in reply.text and f"<t:{later}:F>" in reply.text
    # Said with which one is meant, it is taken.
    week_later = {
        "pl": "w czwartek za tydzień o 15",
        "en": "next Thursday at 3pm",
        "nl": "volgende donderdag om 15 uur",
        "bg": "в четвъртък след седмица в 15",
    }
    done = await world.say("remind me", when=week_later[language], what="x")
    assert done.created is not None
