"""The audit log names people by id: shown with their names when read, and forgetting one
person touches exactly their entries, never someone whose name begins the same way."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.audit.service import describe, render
from bot.db import Database, migrations
from bot.refs import ChannelRef, UserRef
from tests.helpers.world import ADMIN, World

KAR = UserRef("test:kar", "kar")
KARTA = UserRef("test:karta", "karta")
OTHER_GUILD = "test:other-guild"


@pytest.fixture
async def world(tmp_path: Path) -> AsyncIterator[World]:
    w = await World.open(tmp_path / "a.sqlite3")
    yield w
    await w.app.close()


async def audit_lines(world: World, guild: str = "test:guild") -> list[str]:
    return [f"{e.actor_name}: /{e.action} {e.details}" for e in await world.app.audit.recent(guild)]


async def test_forgetting_kar_leaves_kartas_entries_alone(world: World) -> None:
    await world.say("role grant", actor=ADMIN, user=KARTA, role="moderator")
    await world.say("role grant", actor=ADMIN, user=KAR, role="initiator")
    await world.say("group create", actor=ADMIN, name="Jura", city="Zawiercie", initiator=KARTA)
    await world.app.audit.record(
        OTHER_GUILD, ADMIN, "role grant", describe({"user": KARTA, "role": "admin"})
    )
    ask = await world.say("privacy forget", actor=KAR)
    await world.press(ask.buttons[0].custom_id, actor=KAR)

    lines = await audit_lines(world)
    assert "Admin: /role grant user:@karta role:moderator" in lines
    assert "Admin: /group create name:Jura city:Zawiercie initiator:@karta" in lines
    assert "Admin: /role grant user:@były członek role:initiator" in lines
    assert await audit_lines(world, OTHER_GUILD) == ["Admin: /role grant user:@karta role:admin"]
    stored = [r["details"] for r in await world.app.db.fetchall("SELECT details FROM audit_log")]
    assert "user:<@test:karta> role:moderator" in stored  # by id, not by name
    assert not any("@kar" in details for details in stored)
    # Her id is gone everywhere (as a value, and as a mention: "test:karta" is not hers).
    assert not [c for c in await cells(world) if c == KAR.id or f"<@{KAR.id}>" in c]


async def test_names_are_read_when_the_log_is_read(world: World) -> None:
    await world.say("setup server", actor=ADMIN, log=ChannelRef("test:#log", "log"))
    await world.say("role grant", actor=ADMIN, user=KARTA, role="moderator")
    # The log channel got the name at once; the list shows the name the person has now.
    assert world.posts("test:#log")[-1].text.endswith("/role grant user:@karta role:moderator")
    await world.app.community.remember(UserRef(KARTA.id, "Karta Nowak"))
    assert "Admin: /role grant user:@Karta Nowak role:moderator" in await audit_lines(world)


def test_render_shows_the_name_an_unknown_id_or_a_former_member() -> None:
    stored = "user:<@test:a> initiator:<@former-member:1a2b> x:<@matrix:@b:example.org>"
    assert render(stored, {"test:a": "Ania"}) == (
        "user:@Ania initiator:@były członek x:@@b:example.org"
    )


async def cells(world: World) -> list[str]:
    found = []
    for (table,) in await world.app.db.fetchall(
        "SELECT name FROM sqlite_master WHERE type='table'"
    ):
        for row in await world.app.db.fetchall(f'SELECT * FROM "{table}"'):
            found += [v for v in tuple(row) if isinstance(v, str)]
    return found


# -- entries written before ids ------------------------------------------------------------

LEGACY = [
    "user:@kar role:initiator",
    "user:@karta role:moderator",
    "name:Jura city:Zawiercie initiator:@karta",
    "user:@Anna Nowak role:admin",
    "user:@Anna",
    "user:@Ewa role:moderator",  # two people are called Ewa: which one cannot be told
    "user:@Zofia role:moderator",  # nobody is called Zofia any more
    'name:"@kar fanclub" city:Łazy',  # not a person's option
]


def legacy_database(path: Path) -> None:
    """A database at schema 12 with audit entries that named people."""
    with sqlite3.connect(path) as conn:
        for migration in migrations()[:12]:
            conn.executescript(migration.sql)
        conn.execute("PRAGMA user_version = 12")
        people = [
            ("test:kar", "kar"),
            ("test:karta", "karta"),
            ("test:anna", "Anna"),
            ("test:annan", "Anna Nowak"),
            ("test:ewa1", "Ewa"),
            ("test:ewa2", "Ewa"),
        ]
        conn.executemany(
            "INSERT INTO users (user_id, display_name, updated_at) VALUES (?, ?, 't')", people
        )
        conn.executemany(
            "INSERT INTO audit_log (guild_id, actor_id, actor_name, action, details, at) "
            "VALUES ('test:guild', 'test:admin', 'Admin', 'role grant', ?, ?)",
            [(d, f"2026-01-01T00:00:{i:02d}+00:00") for i, d in enumerate(LEGACY)],
        )


async def test_the_migration_turns_each_unambiguous_name_into_an_id(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    legacy_database(path)
    db = await Database.open(path)
    try:
        rows = await db.fetchall("SELECT details FROM audit_log ORDER BY id")
    finally:
        await db.close()
    assert [r["details"] for r in rows] == [
        "user:<@test:kar> role:initiator",
        "user:<@test:karta> role:moderator",
        "name:Jura city:Zawiercie initiator:<@test:karta>",
        "user:<@test:annan> role:admin",
        "user:<@test:anna>",
        "user:@Ewa role:moderator",
        "user:@Zofia role:moderator",
        'name:"@kar fanclub" city:Łazy',
    ]


async def test_forget_replaces_an_old_name_only_where_it_is_the_whole_value(
    tmp_path: Path,
) -> None:
    path = tmp_path / "old.sqlite3"
    legacy_database(path)
    world = await World.open(path)
    try:
        # Written after the migration by an older copy, say: still names, not ids.
        await world.app.db.execute(
            "UPDATE audit_log SET details = replace(details, '<@test:kar>', '@kar')"
        )
        ask = await world.say("privacy forget", actor=KAR)
        await world.press(ask.buttons[0].custom_id, actor=KAR)
        lines = await audit_lines(world)
    finally:
        await world.app.close()
    assert "Admin: /role grant user:@były członek role:initiator" in lines
    assert "Admin: /role grant user:@karta role:moderator" in lines
    assert 'Admin: /role grant name:"@kar fanclub" city:Łazy' in lines
