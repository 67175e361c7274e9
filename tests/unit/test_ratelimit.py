"""Limits on what one person can post: cooldowns counted in the dispatcher (commands and the
buttons that do the same), caps on stored rows, settings, and the answer when one is hit."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.app import limiter
from bot.clock import SettableClock
from bot.commands import Limit
from bot.config import ConfigError, load_settings
from bot.ratelimit import Limiter, RateLimited
from bot.refs import ChannelRef, UserRef
from bot.roles import Role
from tests.helpers.clock import START
from tests.helpers.console import open_console, settings_for
from tests.helpers.world import ADMIN, EWA, World

FORUM = ChannelRef("test:#forum", "forum")
CASE = {"title": "Wolontariusze", "text": "Jak ich utrzymać?"}


@pytest.fixture
async def world(tmp_path: Path) -> AsyncIterator[World]:
    w = await World.open(tmp_path / "r.sqlite3")
    await w.say("setup server", actor=ADMIN, forum=FORUM)
    await w.say("role grant", actor=ADMIN, user=EWA, role="moderator")
    yield w
    await w.app.close()


def stamp_of(at: datetime) -> str:
    return f"<t:{int(at.timestamp())}:F>"


async def test_learning_case_three_a_day_then_a_clear_answer(world: World) -> None:
    for _ in range(3):
        assert (await world.say("learning case", **CASE)).text.startswith("Opublikowano")
        world.clock.advance(timedelta(hours=1))
    refused = await world.say("learning case", **CASE)
    again = START + timedelta(days=1)  # a day after her first post
    assert refused.ephemeral
    assert refused.text == (
        "Z /learning case możesz skorzystać najwyżej 3 razy na 1 dzień. "
        f"Spróbuj ponownie: {stamp_of(again)} (<t:{int(again.timestamp())}:R>)."
    )
    assert len(world.front.forum_posts) == 3
    world.clock.set(again - timedelta(seconds=1))
    assert "najwyżej 3 razy" in (await world.say("learning case", **CASE)).text
    world.clock.set(again)
    assert (await world.say("learning case", **CASE)).text.startswith("Opublikowano")
    assert len(world.front.forum_posts) == 4


async def test_a_refused_use_is_not_counted_and_moderators_are_not_limited(world: World) -> None:
    for _ in range(5):
        empty = await world.say("learning case", title="Pusty", text="   ")
        assert empty.text.startswith("Opcja „text” jest pusta"), empty.text
    for _ in range(3):
        assert (await world.say("learning case", **CASE)).text.startswith("Opublikowano")
    for _ in range(6):
        assert (await world.say("learning case", actor=EWA, **CASE)).text.startswith("Opublikowano")
    assert len(world.front.forum_posts) == 9


async def test_each_person_has_their_own_count_in_english_too(world: World) -> None:
    jan = UserRef("test:jan", "Jan")
    await world.say("settings language", actor=jan, language="en")
    for _ in range(3):
        await world.say("learning case", **CASE)
    for _ in range(3):  # Anna's three do not count against Jan
        assert "at most" not in (await world.say("learning case", actor=jan, **CASE)).text
    assert len(world.front.forum_posts) == 6
    assert (await world.say("learning case", actor=jan, **CASE)).text.startswith(
        "You may use /learning case at most 3 times per 1 day. Try again: "
    )


async def test_join_and_leave_cannot_flood_a_group_with_requests(world: World) -> None:
    await world.say("group create", actor=ADMIN, name="Jura", city="Zawiercie", join="approval")
    for _ in range(5):
        assert "Wysłano prośbę" in (await world.say("group join", name="Jura")).text
        await world.say("group leave", name="Jura")
    refused = await world.say("group join", name="Jura")
    assert "Z /group join możesz skorzystać najwyżej 5 razy na 1 godzinę" in refused.text
    requests = [p for p in world.posts("channel:1") if p.buttons]
    assert len(requests) == 5


async def test_waiting_join_requests_are_capped_per_person(world: World) -> None:
    names = ["Jura", "Pilica", "Beskid", "Kurpie", "Warmia", "Roztocze"]
    for name in names:
        await world.say("group create", actor=ADMIN, name=name, city="Zawiercie", join="approval")
    for name in names[:5]:
        assert "Wysłano prośbę" in (await world.say("group join", name=name)).text
    world.clock.advance(timedelta(hours=2))  # past the cooldown: now the cap answers
    full = await world.say("group join", name="Roztocze")
    assert full.text.startswith(
        "Czeka już tyle Twoich próśb o dołączenie, ile można mieć naraz (5)"
    )
    assert "już czeka" in (await world.say("group join", name="Jura")).text  # not "full"
    await world.say("group leave", name="Jura")  # withdrawing one makes room
    assert "Wysłano prośbę" in (await world.say("group join", name="Roztocze")).text


async def test_a_button_counts_as_the_command_it_stands_for(world: World) -> None:
    world.app.dispatcher.limits = Limiter(
        world.clock, overrides={"poll vote": Limit(2, timedelta(hours=1))}
    )
    reply = await world.say(
        "poll dates", actor=EWA, question="Kiedy?", options="2026-03-30 10:00; 2026-04-06 10:00"
    )
    assert reply.created is not None
    await world.say("poll vote", poll="1", option=1, answer="yes")
    assert "tak" in (await world.press("poll:date:1:2")).text
    refused = await world.press("poll:date:1:1")
    assert refused.text.startswith("Z /poll vote możesz skorzystać najwyżej 2 razy na 1 godzinę")
    assert "Z /poll vote" in (await world.say("poll vote", poll="1", option=2, answer="no")).text


async def test_learning_log_entries_are_capped(tmp_path: Path) -> None:
    world = await World.open(tmp_path / "cap.sqlite3", learning_max_entries=3)
    try:
        await world.say("learning goals set", goals="Delegowanie")
        for n in range(3):
            assert "Zapisano" in (await world.say("learning log", goal="1", text=f"wpis {n}")).text
        full = await world.say("learning log", goal="1", text="jeden za dużo")
        assert "ma już tyle refleksji, ile może przechować (3)" in full.text
        rows = await world.app.db.fetchall("SELECT text FROM learning_log")
        assert [r["text"] for r in rows] == ["wpis 0", "wpis 1", "wpis 2"]
    finally:
        await world.app.close()


async def test_learning_log_has_a_daily_cooldown(world: World) -> None:
    await world.say("learning goals set", goals="Delegowanie")
    answers = [(await world.say("learning log", goal="1", text="x")).text for _ in range(21)]
    assert all(a.startswith("Zapisano") for a in answers[:20])
    assert answers[20].startswith("Z /learning log możesz skorzystać najwyżej 20 razy na 1 dzień")


async def test_the_scale_and_per_command_settings(tmp_path: Path) -> None:
    world = await World.open(
        tmp_path / "s.sqlite3",
        rate_limit_scale=2,
        rate_limits="learning case=1/1h, group join=off",
    )
    try:
        await world.say("setup server", actor=ADMIN, forum=FORUM)
        await world.say("learning case", **CASE)
        refused = await world.say("learning case", **CASE)
        assert "najwyżej 1 raz na 2 godziny" in refused.text  # 1 h, scaled by 2
        await world.say("group create", actor=ADMIN, name="Jura", city="Zawiercie")
        for _ in range(8):  # "off": no limit at all for this command
            assert "Z /group join" not in (await world.say("group join", name="Jura")).text
            await world.say("group leave", name="Jura")
    finally:
        await world.app.close()
    off = await World.open(tmp_path / "off.sqlite3", rate_limit_scale=0)
    try:
        await off.say("setup server", actor=ADMIN, forum=FORUM)
        for _ in range(5):
            assert (await off.say("learning case", **CASE)).text.startswith("Opublikowano")
    finally:
        await off.app.close()


def test_rate_limit_settings_are_checked_with_one_clear_line(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"^RATE_LIMITS: .*'learning case=3'"):
        load_settings(_env_file=None, rate_limits="learning case=3")
    with pytest.raises(ConfigError, match=r"^RATE_LIMITS: .*at least 1 use"):
        load_settings(_env_file=None, rate_limits="learning case=0/1d")
    with pytest.raises(ConfigError, match=r"^RATE_LIMITS: .*'1y' is no period"):
        load_settings(_env_file=None, rate_limits="event rsvp=5/1y")
    with pytest.raises(ConfigError, match=r"^RATE_LIMITS: .*at most 30 days"):
        load_settings(_env_file=None, rate_limits="event rsvp=5/400d")
    for scale in (-1, float("inf"), float("nan"), 1e300):
        with pytest.raises(ConfigError, match=r"^RATE_LIMIT_SCALE"):
            load_settings(_env_file=None, rate_limit_scale=scale)
    settings = load_settings(_env_file=None, rate_limits=" group  join = 2/30m ,privacy export=off")
    assert settings.rate_limit_overrides() == {
        "group join": (2, timedelta(minutes=30)),
        "privacy export": None,
    }


async def test_an_override_for_no_such_command_stops_the_start(tmp_path: Path) -> None:
    world = await World.open(tmp_path / "w.sqlite3")
    try:
        settings = settings_for(tmp_path / "w.sqlite3", rate_limits="grup join=1/1h")
        with pytest.raises(ConfigError, match=r"^RATE_LIMITS: there is no command /grup join$"):
            limiter(settings, world.clock, world.app.registry)
        keeps = limiter(
            settings_for(tmp_path / "w.sqlite3", rate_limits="remind me=2/1h"),
            world.clock,
            world.app.registry,
        )
        assert keeps.effective("remind me", None) == Limit(2, timedelta(hours=1), Role.MODERATOR)
    finally:
        await world.app.close()


def test_windows_slide_and_a_failed_use_is_given_back() -> None:
    clock = SettableClock(datetime(2026, 3, 20, 9, 0, 0, 500_000, tzinfo=UTC))
    limits = Limiter(clock)
    two = Limit(2, timedelta(minutes=10))
    for _ in range(2):
        with limits.use("u", Role.DIRECTOR, "x", two):
            pass
    once = Limit(1, timedelta(days=9))
    with pytest.raises(ValueError, match="failed"), limits.use("u", Role.DIRECTOR, "y", once):
        raise ValueError("the command failed")
    with limits.use("u", Role.DIRECTOR, "y", once):  # the failed use was given back
        pass
    with pytest.raises(RateLimited) as caught, limits.use("u", Role.DIRECTOR, "x", two):
        pass
    # The answer never names a moment before the window frees (times show whole seconds).
    assert caught.value.again == datetime(2026, 3, 20, 9, 10, 1, tzinfo=UTC)
    with limits.use("u", Role.MODERATOR, "x", two):  # exempt
        pass
    clock.advance(timedelta(minutes=10))
    with limits.use("u", Role.DIRECTOR, "x", two):
        pass


async def test_the_console_shows_when_to_try_again(tmp_path: Path) -> None:
    session = await open_console(tmp_path / "c.sqlite3", tmp_path / "files")
    try:
        await session.say("/setup server forum:#ogloszenia")
        for _ in range(3):
            await session.say('@anna /learning case title:"Wolontariusze" text:"Jak?"')
        [refused] = await session.say('@anna /learning case title:"Wolontariusze" text:"Jak?"')
    finally:
        await session.app.close()
    assert refused["to"] == "anna" and refused["ephemeral"]
    assert refused["text"] == (
        "Z /learning case możesz skorzystać najwyżej 3 razy na 1 dzień. Spróbuj ponownie: "
        "piątek, 16 stycznia 2026 10:00 CET (za 1 dzień)."
    )
