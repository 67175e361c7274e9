"""Nothing crosses a server's wall: one bot serves several servers, and numbers are global,
so every command and button that takes a number must find nothing of another server's —
national content included (group content: tests/unit/test_visibility.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.dispatch import Request
from bot.refs import Actor, ChannelRef, UserRef
from tests.helpers.world import ADMIN, GENERAL, World

MOD = UserRef("test:mod", "Mod")
FORUM = ChannelRef("test:#ogloszenia", "ogloszenia")
STRANGER = UserRef("test:stranger", "Stranger")
TITLES = ("Forum Krajowe", "Superwizja Krajowa", "Termin Krajowy", "Panel Krajowy", "Program X")


@pytest.fixture
async def world(tmp_path: Path) -> AsyncIterator[World]:
    w = await World.open(tmp_path / "s.sqlite3")
    await w.say("role grant", actor=ADMIN, user=MOD, role="moderator")
    await w.say("setup server", actor=ADMIN, forum=FORUM)
    made = [
        await w.say(
            "event create",
            actor=MOD,
            title="Forum Krajowe",
            kind="forum",
            when="jutro 10:00",
            duration="1h",
        ),
        await w.say(
            "signup create",
            actor=MOD,
            title="Superwizja Krajowa",
            slots="jutro 14:00; pojutrze 14:00",
            capacity=3,
        ),
        await w.say(
            "poll dates",
            actor=MOD,
            question="Termin Krajowy",
            options="jutro 12:00; pojutrze 12:00",
        ),
        await w.say(
            "panel create", actor=MOD, topic="Panel Krajowy", when="za 5 minut", panelists="@mod"
        ),
        await w.say(
            "program create",
            actor=MOD,
            name="Program X",
            themes="komunikacja",
            starts="1 maja",
            ends="30 czerwca",
        ),
    ]
    for reply in made:
        assert reply.created is not None, reply.text
    yield w
    await w.app.close()


def elsewhere() -> Request:
    """The admin of another server the bot is in."""
    return Request("test", "test:elsewhere", GENERAL, Actor(STRANGER, is_admin=True))


CASES: list[tuple[str, dict[str, Any]]] = [
    ("event info", {"event": "1"}),
    ("event ics", {"event": "1"}),
    ("event rsvp", {"event": "1", "answer": "going"}),
    ("event attendees", {"event": "1"}),
    ("event edit", {"event": "1", "place": "Sala"}),
    ("event cancel", {"event": "1"}),
    ("signup status", {"sheet": "1"}),
    ("signup join", {"sheet": "1", "slot": 1}),
    ("signup export", {"sheet": "1"}),
    ("signup close", {"sheet": "1"}),
    ("signup delete", {"sheet": "1"}),
    ("poll vote", {"poll": "1", "option": 1}),
    ("poll close", {"poll": "1"}),
    ("panel start", {"panel": "1"}),
    ("panel hand", {"panel": "1"}),
    ("panel end", {"panel": "1"}),
    ("program info", {"program": "1"}),
    ("program join", {"program": "1"}),
    ("program overview", {"program": "1"}),
]


async def state(world: World) -> list[Any]:
    tables = ("events", "event_rsvps", "signup_sheets", "signup_entries", "polls", "poll_votes")
    rows = [[tuple(r) for r in await world.app.db.fetchall(f"SELECT * FROM {t}")] for t in tables]
    return [rows, len(world.front.sent), len(world.front.edits)]


@pytest.mark.parametrize(("path", "args"), CASES, ids=[c[0] for c in CASES])
async def test_another_servers_admin_finds_nothing(
    world: World, path: str, args: dict[str, Any]
) -> None:
    dispatcher = world.app.dispatcher
    before = await state(world)
    reply = await dispatcher.run(elsewhere(), path, args)
    shown = reply.text + " ".join(f.data.decode("utf-8", "replace") for f in reply.files)
    assert reply.text.startswith("Nie znam") and "„1”" in reply.text, (path, reply.text)
    assert not [t for t in TITLES if t in shown], (path, reply.text)
    assert not reply.files, path
    assert await state(world) == before, path
