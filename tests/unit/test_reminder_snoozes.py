"""One snooze per delivery: Snooze pressed again moves the snooze made from that delivery
(the same button twice changes nothing), a repeating reminder's snooze onto its own next
time adds no copy, two presses at once make one row; and the words that switch a
repetition off, with the confirmation that says so."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest

from bot.db import to_db
from bot.reminders.recurrence import is_off
from bot.reminders.store import ReminderStore
from tests.helpers.clock import START
from tests.helpers.world import ANNA, World


@pytest.fixture
async def world(tmp_path: Path) -> AsyncIterator[World]:
    w = await World.open(tmp_path / "s.sqlite3")
    yield w
    await w.app.close()


async def hourly(world: World) -> None:
    """Anna's hourly coffee, first at 10 minutes past START, delivered."""
    await world.say("remind me", when="za 10 minut", what="kawa", every="co godzinę")
    await world.app.advance(timedelta(minutes=10))
    assert len(world.front.sent) == 1


async def pending(world: World) -> list[tuple[int, timedelta]]:
    return [(r.id, r.due_at - START) for r in await ReminderStore(world.app.db).pending_of(ANNA.id)]


async def test_snoozing_one_delivery_again_moves_its_snooze(world: World) -> None:
    await hourly(world)
    first = await world.press("remind:snooze:1:10m")
    assert first.text.startswith("⏰ Przypomnienie #2:")
    # The same button again (a double click): the same answer, nothing new.
    assert (await world.press("remind:snooze:1:10m")).text == first.text
    assert await pending(world) == [(2, timedelta(minutes=20)), (1, timedelta(minutes=70))]
    moved = await world.say("remind snooze", id=1, by="30 min")
    assert moved.text.startswith("⏰ Przesunięto przypomnienie #2 — nowy czas: <t:")
    assert await pending(world) == [(2, timedelta(minutes=40)), (1, timedelta(minutes=70))]
    await world.app.advance(timedelta(hours=1))
    assert [s.at - START for s in world.front.sent] == [
        timedelta(minutes=10),
        timedelta(minutes=40),
        timedelta(minutes=70),
    ]


async def test_a_snooze_pressed_while_its_batch_is_still_being_written_is_kept(
    world: World,
) -> None:
    """A batch of deliveries writes its rows after the last send: someone who presses
    Snooze before that finds the series still at the time just delivered. The snooze
    is for that delivery, not "the series comes by then anyway"."""
    await hourly(world)
    delivered = to_db(START + timedelta(minutes=10))
    await world.app.db.execute(
        "UPDATE reminders SET due_at = ?, fire_at = ? WHERE id = 1", (delivered, delivered)
    )
    snoozed = await world.press("remind:snooze:1:10m")
    assert snoozed.text.startswith("⏰ Przypomnienie #2:"), snoozed.text
    [(series_due,)] = await world.app.db.fetchall("SELECT series_due FROM reminders WHERE id = 2")
    assert series_due == to_db(START + timedelta(minutes=70))  # names the next delivery


async def test_a_snooze_onto_the_series_own_next_time_adds_no_copy(world: World) -> None:
    await hourly(world)
    await world.press("remind:snooze:1:10m")
    at_next = await world.press("remind:snooze:1:1h")  # 11:10, the series' own next time
    assert at_next.text.startswith("🔁 Przypomnienie #1 i tak wróci o swojej porze — następne:")
    assert at_next.text.endswith(
        "Wcześniej odłożone przypomnienie #2 jest odwołane — zostaje to regularne."
    )
    assert await pending(world) == [(1, timedelta(minutes=70))]
    alone = await world.say("remind snooze", id=1, by="3h")
    assert alone.text.startswith("🔁 Przypomnienie #1 i tak wróci")
    assert "odwołane" not in alone.text  # no copy left to cancel
    # Changing one's mind again brings the cancelled snooze back, still one row.
    again = await world.press("remind:snooze:1:10m")
    assert again.text.startswith("⏰ Przypomnienie #2:")
    assert await pending(world) == [(2, timedelta(minutes=20)), (1, timedelta(minutes=70))]


async def test_each_delivery_of_a_series_has_its_own_snooze(world: World) -> None:
    await hourly(world)
    await world.press("remind:snooze:1:10m")
    await world.app.advance(timedelta(hours=1))  # the copy at 20, the series at 70
    later = await world.press("remind:snooze:1:10m")
    assert later.text.startswith("⏰ Przypomnienie #3:")
    assert await pending(world) == [(3, timedelta(minutes=80)), (1, timedelta(minutes=130))]


async def test_two_presses_at_the_same_moment_make_one_copy(world: World) -> None:
    await hourly(world)
    answers = await asyncio.gather(
        world.press("remind:snooze:1:10m"),
        world.press("remind:snooze:1:10m"),
        world.say("remind snooze", id=1, by="20 min"),
    )
    assert all(a.text.startswith(("⏰ Przypomnienie #2:", "⏰ Przesunięto")) for a in answers)
    assert [r for r, _ in await pending(world)] == [2, 1]


async def test_the_database_refuses_a_second_copy_of_one_delivery(world: World) -> None:
    await hourly(world)
    await world.press("remind:snooze:1:10m")
    with pytest.raises(sqlite3.IntegrityError):
        await world.app.db.execute(
            "INSERT INTO reminders (guild_id, owner_id, kind, channel_id, channel_name, text, "
            "due_at, fire_at, timezone, created_at, snoozed_from, series_due) "
            "SELECT guild_id, owner_id, kind, channel_id, channel_name, text, due_at, fire_at, "
            "timezone, created_at, snoozed_from, series_due FROM reminders WHERE id = 2"
        )
    row = await world.app.db.fetchone("SELECT series_due FROM reminders WHERE id = 2")
    assert row is not None and row[0] == to_db(START + timedelta(minutes=70))


async def test_a_one_off_snoozed_twice_moves_the_same_reminder(world: World) -> None:
    await world.say("remind me", when="za 10 minut", what="herbata")
    await world.app.advance(timedelta(minutes=10))
    first = await world.press("remind:snooze:1:10m")
    assert first.text.startswith("⏰ Przypomnienie #1:")
    assert (await world.press("remind:snooze:1:10m")).text == first.text
    moved = await world.press("remind:snooze:1:1h")
    assert moved.text.startswith("⏰ Przesunięto przypomnienie #1 — nowy czas:")
    assert await pending(world) == [(1, timedelta(minutes=70))]
    await world.app.advance(timedelta(hours=2))
    assert [s.at - START for s in world.front.sent] == [
        timedelta(minutes=10),
        timedelta(minutes=70),
    ]


async def test_a_dutch_snooze_past_the_next_hour_says_the_series_comes_then(
    world: World,
) -> None:
    await world.say("settings language", language="nl")
    await hourly(world)
    assert (await world.say("remind snooze", id=1, by="5 min")).text.startswith(
        "⏰ Herinnering #2:"
    )
    later = await world.say("remind snooze", id=1, by="over anderhalf uur")
    assert later.text.startswith("🔁 Herinnering #1 komt toch vanzelf terug — volgende keer:")
    assert "#2 is geschrapt" in later.text
    assert await pending(world) == [(1, timedelta(minutes=70))]


@pytest.mark.parametrize(
    "word",
    [
        *("off", "never", "none", "no repeat", "No  Repeat", "don’t repeat"),
        *("nie", "wyłącz", "bez powtarzania", "nie powtarzaj"),
        *("nooit", "uit", "geen herhaling", "niet herhalen"),
        *("никога", "изключи", "без повторение", "без повтаряне"),
    ],
)
def test_the_words_that_switch_a_repetition_off(word: str) -> None:
    assert is_off(word)


@pytest.mark.parametrize("word", ["uitje", "co nie", "never mind", "wyłączony tydzień"])
def test_nothing_longer_is_taken_for_off(word: str) -> None:
    assert not is_off(word)


@pytest.mark.parametrize(
    ("language", "word", "said"),
    [
        ("pl", "wyłącz", "Powtarzanie wyłączone: przypomnienie przyjdzie tylko raz."),
        ("en", "no repeat", "Repetition removed: it will come only once."),
        ("nl", "uit", "Herhaling verwijderd: de herinnering komt nog maar één keer."),
        ("bg", "без повторение", "Повторението е премахнато: напомнянето ще дойде само веднъж."),
    ],
)
async def test_switching_the_repetition_off_is_confirmed(
    world: World, language: str, word: str, said: str
) -> None:
    await world.say("settings language", language=language)
    await world.say("remind me", when="za 10 minut", what="kawa", every="co godzinę")
    edited = await world.say("remind edit", id=1, every=word)
    assert edited.text.endswith(said), edited.text
    [reminder] = await ReminderStore(world.app.db).pending_of(ANNA.id)
    assert reminder.recurrence is None
    await world.app.advance(timedelta(hours=3))
    assert len(world.front.sent) == 1
