"""What `/privacy export` holds: the person's own data, with everyone else in it replaced by
a word; and the table-by-table description of who is named where (bot/privacy/tables.py),
which export and forget both follow and which every new table or person column must join."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.audit.service import people_in
from bot.privacy.tables import TABLES
from bot.refs import ChannelRef, UserRef
from tests.helpers.world import ADMIN, World

LOG = ChannelRef("test:#log", "log")
THREAD = ChannelRef("test:#general/thread:1", "panel")
MOD = UserRef("test:mod", "Moderatorka")
KASIA = UserRef("test:kasia", "Kasia")
JANEK = UserRef("test:janek", "Janek")
OLGA = UserRef("test:olga", "Olga")
PEOPLE = (ADMIN, MOD, KASIA, JANEK, OLGA)

# TEXT columns named like an id (or `…_by`) that hold no person: things, places, messages.
THINGS = {
    "card_channel_id",
    "card_message_id",
    "channel_id",
    "custom_id",
    "ended_by",  # how a panel turn ended (the timer, the moderator's button): no id
    "event_id",
    "forum_channel_id",
    "forum_id",
    "guild_id",
    "host",  # the library that hosts a group's meeting, by name
    "log_channel_id",
    "message_channel_id",
    "message_id",
    "native_id",
    "place_id",
    "platform_role_id",
    "post_channel_id",
    "post_message_id",
    "reaction_id",
    "role_id",
    "room_id",
    "undo_custom_id",
}
LOOKS_LIKE_A_PERSON = re.compile(r"(_id|_by|^owner|^author|^user|^giver|^voter|^host)$")


@pytest.fixture
async def world(tmp_path: Path) -> AsyncIterator[World]:
    w = await World.open(tmp_path / "x.sqlite3")
    yield w
    await w.app.close()


async def everyone_together(world: World) -> None:
    """Each of them appears in rows about the others: a pączek, a decided proposal, role
    grants, a join request, a shared learning log, the audit log."""
    await world.say("setup server", actor=ADMIN, log=LOG)
    await world.say("role grant", actor=ADMIN, user=MOD, role="moderator")
    await world.say("role grant", actor=ADMIN, user=KASIA, role="initiator")
    await world.say(
        "group create",
        actor=ADMIN,
        name="Tajna",
        city="Zawiercie",
        join="approval",
        initiator=KASIA,
    )
    await world.say("group join", actor=JANEK, name="Tajna")  # a request: a letter to Kasia
    await world.say("group approve", actor=KASIA, name="Tajna", user=JANEK)
    await world.say(
        "group propose", actor=OLGA, name="Podbeskidzie", city="Andrychów", description="Opis"
    )
    await world.say("group proposal decline", actor=MOD, id=1, reason="Za blisko Tajnej")
    await world.say("learning share", actor=JANEK, coach=KASIA)
    await world.say(
        "panel create",
        actor=MOD,
        topic="Biblioteka po godzinach",
        when="za 1 godzinę",
        panelists="@janek",
        moderator=MOD,
    )
    await world.say("panel start", actor=MOD, panel="1")
    await world.say("panel floor", actor=MOD, channel=THREAD, user=JANEK)
    await world.press("panel:paczek:1", actor=KASIA)


async def export_of(world: World, user: UserRef) -> dict[str, list[dict[str, Any]]]:
    await world.say("privacy export", actor=user)
    [file] = world.dms(user)[-1].files
    data: dict[str, list[dict[str, Any]]] = json.loads(file.data)["data"]
    return data


async def test_an_export_names_nobody_else(world: World) -> None:
    await everyone_together(world)
    for user in PEOPLE:
        text = json.dumps(await export_of(world, user), ensure_ascii=False)
        for other in PEOPLE:
            if other != user:
                assert other.id not in text, (user.name, other.id)
                assert other.name not in text, (user.name, other.name)


async def test_the_receiver_of_a_paczek_sees_it_came_from_another_member(world: World) -> None:
    await everyone_together(world)
    [paczek] = (await export_of(world, JANEK))["panel_paczki"]
    assert paczek["giver_id"] == "inny członek"
    assert paczek["receiver_id"] == JANEK.id and paczek["receiver_name"] == "Janek"
    [given] = (await export_of(world, KASIA))["panel_paczki"]
    assert given["giver_id"] == KASIA.id
    assert given["receiver_id"] == given["receiver_name"] == "inny członek"


async def test_a_decider_keeps_their_decision_but_not_the_proposal(world: World) -> None:
    await everyone_together(world)
    [decided] = (await export_of(world, MOD))["group_proposals"]
    assert decided["decider_id"] == MOD.id and decided["status"] == "declined"
    assert decided["reason"] == "Za blisko Tajnej" and decided["decided_at"]
    assert decided["user_id"] == "inny członek"
    for theirs in ("name", "city", "description", "created_at"):
        assert theirs not in decided
    await world.say("settings language", actor=OLGA, language="en")
    [mine] = (await export_of(world, OLGA))["group_proposals"]
    assert mine["name"] == "Podbeskidzie" and mine["description"] == "Opis"
    assert mine["decider_id"] == mine["decider_name"] == "a moderator or admin"


async def test_grants_letters_and_the_audit_log_name_only_the_person(world: World) -> None:
    await everyone_together(world)
    kasia = await export_of(world, KASIA)
    [grant] = kasia["role_grants"]
    assert grant["role"] == "initiator" and grant["granted_by"] == "inny członek"
    assert [row["coach_id"] for row in kasia["learning_coaches"]] == [KASIA.id]
    # What the audit log says about her, without who did it.
    about = [row for row in kasia["audit_log"] if row["actor_id"] != KASIA.id]
    assert [(row["action"], row["actor_name"]) for row in about] == [
        ("role grant", "inny członek"),
        ("group create", "inny członek"),  # made her the group's initiator
    ]
    # His join request went to the group's channel: the letter is his to see.
    [request] = [row for row in (await export_of(world, JANEK))["outbox"] if row["about_id"]]
    assert request["kind"] == "group.request" and "payload" in request
    admins = await export_of(world, ADMIN)
    details = [row["details"] for row in admins["audit_log"]]
    assert "user:inny członek role:initiator" in details


async def test_a_letter_to_one_person_about_another_shows_neither_its_text(
    world: World,
) -> None:
    await world.app.db.execute(
        "INSERT INTO outbox (kind, guild_id, user_id, about_id, payload, nonce, created_at, "
        "attempts, next_attempt_at, status) VALUES ('group.request', 'test:guild', ?, ?, "
        "'{\"message\": \"Janek prosi\"}', 'n', '2026-01-15', 0, '2026-01-15', 'pending')",
        (KASIA.id, JANEK.id),
    )
    for user, other in ((KASIA, "about_id"), (JANEK, "user_id")):
        [letter] = (await export_of(world, user))["outbox"]
        assert letter[other] == "inny członek" and "payload" not in letter


async def test_every_table_has_a_rule_and_every_rule_fits_its_table(world: World) -> None:
    """A new table fails here until bot/privacy/tables.py says who it names (if anyone)."""
    schema = await columns_by_table(world)
    assert sorted(schema) == sorted(TABLES)
    for table, rule in TABLES.items():
        named = [p.column for p in rule.people] + [p.name for p in rule.people if p.name]
        named += [c for p in rule.people for c in p.owns] + list(rule.mentions)
        assert set(named) <= set(schema[table]), table


async def test_a_column_that_looks_like_a_person_has_a_rule(world: World) -> None:
    """A new `…_id`/`…_by` column fails here until it is a person's (tables.py) or a
    thing's (THINGS above)."""
    for table, columns in (await columns_by_table(world)).items():
        people = {p.column for p in TABLES[table].people}
        for column, kind in columns.items():
            if kind == "TEXT" and LOOKS_LIKE_A_PERSON.search(column):
                assert column in people | THINGS, f"{table}.{column}: a person's or a thing's?"


async def test_every_id_stored_is_in_a_column_with_a_rule(world: World) -> None:
    """Whatever the features wrote, a person's id is only ever where the rules look."""
    await everyone_together(world)
    ids = {p.id for p in PEOPLE}
    for table in TABLES:
        rule = TABLES[table]
        people = {p.column for p in rule.people}
        for row in await world.app.db.fetchall(f'SELECT * FROM "{table}"'):
            for column in row.keys():  # noqa: SIM118
                value = row[column]
                if value in ids:
                    assert column in people, f"{table}.{column}"
                elif isinstance(value, str) and people_in(value) & ids:
                    assert column in rule.mentions, f"{table}.{column}"


async def columns_by_table(world: World) -> dict[str, dict[str, str]]:
    tables = await world.app.db.fetchall(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name != 'sqlite_sequence'"
    )
    found = {}
    for (table,) in (tuple(t) for t in tables):
        info = await world.app.db.fetchall(f'PRAGMA table_info("{table}")')
        found[table] = {r[1]: str(r[2]).upper() for r in info}
    return found
