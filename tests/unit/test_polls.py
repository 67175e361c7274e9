"""Date polls and quick polls through the core: the grid, cycling answers, votes by command,
closing on time with the best date, native quick polls on Discord, limits, permissions."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import discord
import pytest

from bot.dispatch import Request
from bot.errors import UserError
from bot.polls.commands import poll_of_button
from bot.refs import Actor, ChannelRef, UserRef
from bot.replies import Reply
from bot.roles import Role
from bot.visibility import Viewer
from cogs.render import message_parts
from tests.helpers.world import ADMIN, ANNA, EWA, GENERAL, GUILD, JAN, World

MOD = UserRef("test:mod", "Mod")
ZOSIA = UserRef("test:zosia", "Zosia")
DATES = "2026-03-30 10:00; 2026-04-06 10:00; 2026-04-13 12:00"
DATE_1 = datetime(2026, 3, 30, 8, 0, tzinfo=UTC)  # 10:00 in Warsaw, summer time


@pytest.fixture
async def world(tmp_path: Path) -> AsyncIterator[World]:
    w = await World.open(tmp_path / "p.sqlite3")
    await w.say("role grant", actor=ADMIN, user=MOD, role="moderator")
    yield w
    await w.app.close()


async def date_poll(world: World, **extra: object) -> int:
    reply = await world.say(
        "poll dates", actor=MOD, question="Kiedy spotkanie?", options=DATES, **extra
    )
    assert reply.created is not None and reply.created.type == "poll", reply.text
    return int(reply.created.id)


def shown(world: World) -> Reply:
    return world.front.edits[-1].reply if world.front.edits else world.posts(GENERAL.id)[-1]


async def test_a_date_poll_shows_a_grid_with_one_button_per_date(world: World) -> None:
    await date_poll(world, closes="za 3 dni")
    [post] = world.posts(GENERAL.id)
    assert post.text.startswith("🗓 **Kiedy spotkanie?** (głosowanie #1)")
    assert f"`1` <t:{int(DATE_1.timestamp())}:F> — ✅ 0 · 🤔 0 · ❌ 0" in post.text
    assert [b.custom_id for b in post.buttons] == [
        "poll:date:1:1",
        "poll:date:1:2",
        "poll:date:1:3",
    ]
    assert [b.label for b in post.buttons] == ["Termin 1", "Termin 2", "Termin 3"]
    assert post.poll is None  # a date poll is ours on every platform


async def test_the_button_cycles_yes_maybe_no_and_the_command_sets(world: World) -> None:
    await date_poll(world)
    answers = [(await world.press("poll:date:1:1", actor=ANNA)).text for _ in range(4)]
    assert [a.rsplit("— ", 1)[1] for a in answers] == ["tak.", "jeśli trzeba.", "nie.", "tak."]
    await world.say("poll vote", actor=JAN, poll="1", option=1, answer="maybe")
    await world.say("poll vote", actor=EWA, poll="#1", option=1, answer="no")
    await world.say("poll vote", actor=EWA, poll="kiedy SPOTKANIE", option=2, answer="yes")
    text = shown(world).text
    assert "— ✅ 1 · 🤔 1 · ❌ 1" in text.splitlines()[3]
    assert "Odpowiedziały 3 osoby." in text
    # Without answer: a date poll takes yes, as the option's description says.
    plain = await world.say("poll vote", actor=JAN, poll="1", option=2)
    assert plain.text.endswith("— tak."), plain.text
    nowhere = await world.say("poll vote", actor=JAN, poll="1", option=9, answer="yes")
    assert nowhere.text == "To głosowanie nie ma opcji 9."
    unknown = await world.say("poll vote", actor=JAN, poll="77", option=1, answer="yes")
    assert unknown.text.startswith("Nie znam głosowania „77”")
    rows = await world.app.db.fetchall("SELECT count(*) FROM poll_votes")
    assert rows[0][0] == 5


async def test_at_closing_the_best_date_is_announced(world: World) -> None:
    await date_poll(world, closes="za 2 dni")
    # Date 2: two yes; date 1: two yes and one if need be → date 1 wins on "maybe".
    for user in (ANNA, JAN):
        for option in (1, 2):
            await world.say("poll vote", actor=user, poll="1", option=option, answer="yes")
    await world.say("poll vote", actor=EWA, poll="1", option=1, answer="maybe")
    await world.say("poll vote", actor=EWA, poll="1", option=2, answer="no")
    await world.app.advance(timedelta(days=2) - timedelta(seconds=1))
    assert len(world.posts(GENERAL.id)) == 1
    await world.app.advance(timedelta(seconds=1))
    result = world.posts(GENERAL.id)[-1]
    assert result.text.startswith(
        "Koniec głosowania „Kiedy spotkanie?”. Najlepszy termin (nr 1): <t:"
    )
    assert "tak: 2, jeśli trzeba: 1" in result.text
    # The result answers the poll's message (shown as a reply where platforms have them).
    poll_message = world.posts(GENERAL.id)[0]
    assert result.reply_to is not None and result.reply_to == world.front.edits[-1].message_id
    assert poll_message.reply_to is None
    closed = world.front.edits[-1].reply
    assert "Głosowanie zakończone." in closed.text and closed.buttons == ()
    late = await world.press("poll:date:1:1", actor=ZOSIA)
    assert late.text == "Głosowanie „Kiedy spotkanie?” jest już zakończone."
    assert late.refused  # a press that did nothing says so, like a refused command


async def test_ties_go_to_the_earlier_date_and_nobody_means_none(world: World) -> None:
    await date_poll(world)
    await world.say("poll vote", actor=ANNA, poll="1", option=3, answer="yes")
    await world.say("poll vote", actor=JAN, poll="1", option=2, answer="yes")
    closed = await world.say("poll close", actor=MOD, poll="1")
    assert closed.text.startswith("Zakończono głosowanie")
    assert "Najlepszy termin (nr 2): " in world.posts(GENERAL.id)[-1].text
    again = await world.say("poll close", actor=MOD, poll="1")
    assert "już zakończone" in again.text
    await world.say("poll dates", actor=MOD, question="Drugie", options=DATES)
    await world.say("poll vote", actor=ANNA, poll="2", option=1, answer="no")
    await world.say("poll close", actor=MOD, poll="2")
    assert "żaden termin nikomu nie pasuje" in world.posts(GENERAL.id)[-1].text


async def test_a_quick_poll_in_the_console_is_counted_by_the_core(world: World) -> None:
    reply = await world.say(
        "poll quick",
        actor=MOD,
        question="Kawa czy herbata?",
        options="kawa; herbata; woda",
        hours=2,
    )
    assert reply.created is not None
    [post] = world.posts(GENERAL.id)
    assert post.poll is not None
    assert (post.poll.question, post.poll.answers, post.poll.hours) == (
        "Kawa czy herbata?",
        ("kawa", "herbata", "woda"),
        2,
    )
    assert [b.custom_id for b in post.buttons] == [
        "poll:quick:1:1",
        "poll:quick:1:2",
        "poll:quick:1:3",
    ]
    assert (await world.press("poll:quick:1:1", actor=ANNA)).text == "Twój głos: kawa."
    assert (await world.press("poll:quick:1:1", actor=ANNA)).text == "Już głosujesz na: kawa."
    await world.say("poll vote", actor=JAN, poll="1", option=2)
    await world.say("poll vote", actor=ANNA, poll="1", option=2)  # one vote each: Anna moves
    # A quick poll has no answers to a choice: "answer:no" is refused, not counted as a vote.
    refused = await world.say("poll vote", actor=EWA, poll="1", option=1, answer="no")
    assert refused.text.startswith("W szybkim głosowaniu wybierasz tylko opcję")
    assert (
        "`2` herbata — 2 głosy" in shown(world).text and "`1` kawa — 0 głosów" in shown(world).text
    )
    assert (await world.press("poll:date:1:1", actor=ANNA)).text.startswith("Ten przycisk")
    await world.app.advance(timedelta(hours=2))
    assert world.posts(GENERAL.id)[-1].text == (
        "Koniec ankiety „Kawa czy herbata?”: wygrywa **herbata** (2 głosy)."
    )


async def test_quick_poll_ties_and_limits(world: World) -> None:
    await world.say("poll quick", actor=MOD, question="A czy B?", options="A; B")
    await world.say("poll vote", actor=ANNA, poll="1", option=1)
    await world.say("poll vote", actor=JAN, poll="1", option=2)
    await world.app.advance(timedelta(hours=24))
    assert (
        world.posts(GENERAL.id)[-1].text == "Koniec ankiety „A czy B?”: remis — A, B (po 1 głos)."
    )
    one = await world.say("poll quick", actor=MOD, question="?", options="tylko jedna")
    assert one.text.startswith("Podaj od 2 do 10 odpowiedzi")
    eleven = "; ".join(str(i) for i in range(11))
    assert (
        "od 2 do 10"
        in (await world.say("poll quick", actor=MOD, question="?", options=eleven)).text
    )
    long = await world.say("poll quick", actor=MOD, question="?", options="a; " + "b" * 56)
    assert "najwyżej 55 znaków" in long.text
    many = "; ".join(f"2026-04-{d:02d} 10:00" for d in range(1, 12))
    assert (
        "od 1 do 10" in (await world.say("poll dates", actor=MOD, question="?", options=many)).text
    )
    too_long = await world.say("poll quick", actor=MOD, question="?", options="a; b", hours=769)
    assert too_long.created is None


async def discord_says(world: World, path: str, actor: UserRef, **args: Any) -> Reply:
    request = Request("discord", GUILD, GENERAL, Actor(actor))
    return await world.app.dispatcher.run(request, path, args)


async def test_on_discord_a_quick_poll_is_native(world: World) -> None:
    await discord_says(world, "poll quick", MOD, question="Kawa?", options="tak; nie", hours=5)
    [post] = world.posts(GENERAL.id)
    assert post.poll is not None and post.poll.hours == 5
    [part] = message_parts(post)
    native = part["poll"]
    assert isinstance(native, discord.Poll)
    assert [a.text for a in native.answers] == ["tak", "nie"]
    assert native.duration == timedelta(hours=5)
    assert "content" not in part and "view" not in part  # the stand-in is for other platforms
    refused = await discord_says(world, "poll vote", ANNA, poll="1", option=1)
    assert refused.text.startswith("Ta ankieta działa w samym Discordzie")
    assert (await discord_says(world, "poll close", MOD, poll="1")).text == refused.text
    await world.app.advance(timedelta(hours=5))
    assert len(world.posts(GENERAL.id)) == 1  # Discord announces the result itself
    row = await world.app.db.fetchone("SELECT status FROM polls WHERE id = 1")
    assert row is not None and row[0] == "closed"


async def test_who_may_make_and_end_polls(world: World) -> None:
    refused = await world.say("poll dates", actor=ANNA, question="?", options=DATES)
    assert refused.text.startswith("Do tego potrzebna jest rola: inicjator.")
    await world.say("group create", actor=ADMIN, name="Jura", city="Zawiercie", initiator=EWA)
    jura = ChannelRef("channel:1", "jura")
    outside = await world.say("poll quick", actor=EWA, question="?", options="a; b")
    assert "kanale grupy" in outside.text
    made = await world.say("poll quick", actor=EWA, channel=jura, question="?", options="a; b")
    assert made.created is not None
    await date_poll(world)
    assert "kończą moderatorzy" in (await world.say("poll close", actor=EWA, poll="2")).text
    assert (await world.say("poll close", actor=ANNA, poll="1")).text.startswith("Do tego")
    assert (await world.say("poll close", actor=EWA, poll="1")).text.startswith("Zakończono")


async def test_poll_buttons_work_after_a_restart_and_the_job_is_rebuilt(world: World) -> None:
    await date_poll(world, closes="jutro o 12")
    await world.restart()
    assert "tak" in (await world.press("poll:date:1:2", actor=ANNA)).text
    await world.restart(down_for=timedelta(days=2))
    assert world.posts(GENERAL.id)[-1].text.startswith("Koniec głosowania")
    assert "Najlepszy termin (nr 2): " in world.posts(GENERAL.id)[-1].text


async def test_autocomplete_offers_open_polls(world: World) -> None:
    await date_poll(world)
    await world.say("poll quick", actor=MOD, question="Kawa?", options="a; b")
    await world.say("poll close", actor=MOD, poll="1")
    request = Request("test", GUILD, GENERAL, Actor(ANNA))
    found = await world.app.dispatcher.complete(request, "poll vote", "poll", "")
    assert [(c.name, c.value) for c in found] == [("#2 Kawa?", "2")]


async def test_a_vote_taken_back_no_longer_counts(world: World) -> None:
    """Withdrawal is the core's (Matrix takes a vote back with an empty poll response):
    the person's vote goes, the count shows it; nothing to take back is no change; a
    closed poll's count stands; a native poll is the platform's to count."""
    await world.say("poll quick", actor=MOD, question="Kawa?", options="kawa; herbata", hours=1)
    await world.press("poll:quick:1:1", actor=ANNA)
    await world.press("poll:quick:1:1", actor=JAN)
    polls = world.app.polls
    poll = await polls.find(Viewer(JAN, GUILD, Role.DIRECTOR), "1")
    assert await polls.withdraw(poll, JAN.id)
    assert "`1` kawa — 1 głos" in shown(world).text
    assert not await polls.withdraw(poll, JAN.id)
    await world.app.advance(timedelta(hours=1))
    assert "wygrywa **kawa** (1 głos)" in world.posts(GENERAL.id)[-1].text
    with pytest.raises(UserError, match=r"error\.poll\.closed"):
        await polls.withdraw(poll, ANNA.id)
    await discord_says(world, "poll quick", MOD, question="Herbata?", options="tak; nie")
    native = await polls.find(Viewer(ANNA, GUILD, Role.DIRECTOR), "2")
    with pytest.raises(UserError, match=r"error\.poll\.native"):
        await polls.withdraw(native, ANNA.id)


def test_a_poll_button_names_its_poll() -> None:
    assert poll_of_button("poll:quick:4:2") == 4
    assert poll_of_button("poll:date:12:1") == 12
    assert poll_of_button("signup:join:4:1") is None
    assert poll_of_button("poll:quick:4:2:x") is None


async def test_a_date_poll_closes_by_the_last_date_it_offers(world: World) -> None:
    late = await world.say(
        "poll dates", actor=MOD, question="Kiedy?", options=DATES, closes="2026-04-13 12:01"
    )
    assert late.text.startswith("Ankieta terminów nie może się zamknąć po ostatnim terminie")
    last = int(datetime(2026, 4, 13, 10, 0, tzinfo=UTC).timestamp())
    assert f"Najpóźniejsze możliwe zamknięcie: <t:{last}:" in late.text
    assert late.created is None
    # Closing at the last date itself is in time.
    await date_poll(world, closes="2026-04-13 12:00")
