"""CPU-heavy work runs off the event loop with a time limit: drawing the map and the
certificates, writing the CSV files; past the limit the person gets a clear answer."""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from bot.groups import commands as group_commands
from bot.learning import messages as learning_messages
from bot.refs import ChannelRef, UserRef
from bot.signups import messages as signup_messages
from tests.helpers.world import ADMIN, ANNA, JAN, World

MOD = UserRef("test:mod", "Mod")
FORUM = ChannelRef("test:#ogloszenia", "ogloszenia")


@pytest.fixture
async def world(tmp_path: Path) -> AsyncIterator[World]:
    w = await World.open(tmp_path / "o.sqlite3")
    await w.say("role grant", actor=ADMIN, user=MOD, role="moderator")
    await w.say("setup server", actor=ADMIN, forum=FORUM)
    yield w
    await w.app.close()


def watched(fn: Callable[..., Any], threads: list[bool]) -> Callable[..., Any]:
    """`fn`, noting for each call whether it ran on the event loop's (main) thread."""

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        threads.append(threading.current_thread() is threading.main_thread())
        return fn(*args, **kwargs)

    return wrapper


async def test_a_map_that_takes_too_long_is_answered_not_waited_for(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    release = threading.Event()

    def stuck(*args: Any, **kwargs: Any) -> bytes:
        release.wait(30)
        return b""

    monkeypatch.setattr(group_commands, "render_map", stuck)
    monkeypatch.setattr(group_commands, "MAP_SECONDS", 0.05)
    await world.say("group create", actor=ADMIN, name="Jura", city="Zawiercie")
    try:
        reply = await world.say("group map")
    finally:
        release.set()
    assert reply.text.startswith("To trwało zbyt długo")
    assert (await world.say("help")).embeds  # the bot answers the next one at once


async def test_the_map_is_drawn_off_the_loop(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    threads: list[bool] = []
    monkeypatch.setattr(group_commands, "render_map", watched(group_commands.render_map, threads))
    await world.say("group create", actor=ADMIN, name="Jura", city="Zawiercie")
    reply = await world.say("group map")
    assert reply.files and threads == [False]


async def test_certificates_are_drawn_off_the_loop_in_the_readers_language(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    threads: list[bool] = []
    languages: list[str] = []
    draw = learning_messages.certificate_png

    def drawing(*args: Any) -> bytes:
        from bot.i18n import current_locale

        languages.append(current_locale())
        return draw(*args)

    monkeypatch.setattr(learning_messages, "certificate_png", watched(drawing, threads))
    await world.say(
        "program create",
        actor=MOD,
        name="Liderzy",
        themes="Coaching",
        starts="1 kwietnia 2026 9:00",
        ends="30 września 2026 17:00",
    )
    made = await world.say(
        "program session add",
        actor=MOD,
        program="Liderzy",
        theme="Coaching",
        when="15 kwietnia 10:00",
        duration="6h",
    )
    assert made.created is not None, made.text
    await world.app.advance(datetime(2026, 4, 15, 8, tzinfo=UTC) - world.clock.now())
    await world.say("program attendance", actor=MOD, session=str(made.created.id), users="@anna")
    await world.say("settings language", actor=ANNA, language="bg")
    reply = await world.say("program certificates", actor=MOD, program="Liderzy")
    assert "Wysłano 1 zaświadczenie" in reply.text
    assert threads == [False] and languages == ["bg"]
    assert world.dms(ANNA)[-1].files[0].data.startswith(b"\x89PNG")


async def test_csv_files_are_written_off_the_loop(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    threads: list[bool] = []
    monkeypatch.setattr(signup_messages, "csv_bytes", watched(signup_messages.csv_bytes, threads))
    monkeypatch.setattr(
        learning_messages, "overview_csv", watched(learning_messages.overview_csv, threads)
    )
    made = await world.say(
        "signup create", actor=MOD, title="Dyżury", slots="jutro 10:00", capacity=2
    )
    assert made.created is not None, made.text
    await world.say("signup join", actor=JAN, sheet="1", slot=1)
    exported = await world.say("signup export", actor=MOD, sheet="Dyżury")
    assert exported.files[0].filename == "signup-1.csv"
    await world.say(
        "program create",
        actor=MOD,
        name="Liderzy",
        themes="Coaching",
        starts="1 kwietnia 2026 9:00",
        ends="30 września 2026 17:00",
    )
    overview = await world.say("program overview", actor=MOD, program="Liderzy")
    assert overview.files[0].filename == "program-1-overview.csv"
    assert threads == [False, False]
