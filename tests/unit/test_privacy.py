"""Export and forget over every table, the audit log, and the transcript opt-out."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest

from bot.i18n import SUPPORTED_LOCALES, has_key
from bot.refs import ChannelRef, UserRef
from tests.helpers.world import ADMIN, ANNA, EWA, GENERAL, JAN, World

LOG = ChannelRef("test:#log", "log")


@pytest.fixture
async def world(tmp_path: Path) -> AsyncIterator[World]:
    w = await World.open(tmp_path / "p.sqlite3")
    yield w
    await w.app.close()


async def anna_everywhere(world: World) -> None:
    """Anna uses every feature; Jan and Ewa share some of it with her."""
    await world.say("role grant", actor=ADMIN, user=EWA, role="moderator")
    # A moderator: a new group goes through the moderators, and Anna makes one below.
    await world.say("role grant", actor=ADMIN, user=ANNA, role="moderator")
    await world.say("settings language", language="en")
    await world.say("profile set", library="MBP Łazy", town="Łazy")
    await world.say("remind me", when="jutro o 18", what="Zadzwonić do Pilicy")
    await world.say("group create", actor=ADMIN, name="Jura", city="Zawiercie", initiator=EWA)
    await world.say("group join", name="Jura")
    await world.say("group create", name="Pilica", city="Pilica")  # Anna runs this one
    await world.say("group join", actor=JAN, name="Pilica")
    await world.say(
        "signup create",
        actor=EWA,
        title="Superwizja",
        capacity=1,
        max_per_person=2,
        slots="jutro o 10; za 21 dni o 10",
    )
    await world.say("signup join", sheet="1", slot=1)
    await world.say("signup join", sheet="1", slot=2)
    await world.say("signup join", actor=JAN, sheet="1", slot=2)  # Jan waits behind Anna
    await world.say("poll dates", actor=EWA, question="Kiedy?", options="1 kwietnia; 2 kwietnia")
    await world.say("poll vote", poll="1", option=1, answer="yes")
    await world.app.advance(timedelta(days=2))  # slot 1 is now in the past


async def every_cell(world: World) -> list[tuple[str, str, object]]:
    cells = []
    tables = await world.app.db.fetchall("SELECT name FROM sqlite_master WHERE type = 'table'")
    for (table,) in (tuple(t) for t in tables):
        for row in await world.app.db.fetchall(f'SELECT * FROM "{table}"'):
            cells += [(table, key, row[key]) for key in row.keys()]  # noqa: SIM118
    return cells


async def test_export_has_everything_about_the_person(world: World) -> None:
    await anna_everywhere(world)
    reply = await world.say("privacy export")
    assert reply.text.startswith("I sent you a direct message")
    [file] = world.dms(ANNA)[-1].files
    document = json.loads(file.data)
    data = document["data"]
    assert document["user"] == ANNA.id
    for table in (
        "users",
        "user_prefs",
        "profiles",
        "reminders",
        "group_members",
        "role_grants",
        "signup_entries",
        "poll_votes",
        "groups",
    ):
        assert data.get(table), f"{table} missing from the export"
    assert JAN.id not in {r.get("user_id") for r in data["group_members"]}


async def test_forget_leaves_no_trace_and_keeps_what_others_need(world: World) -> None:
    await anna_everywhere(world)
    ask = await world.say("privacy forget")
    assert [b.custom_id for b in ask.buttons] == [f"privacy:forget:{ANNA.id}"]
    assert "cannot be undone" in ask.text
    assert "dla innej osoby" in (await world.press(ask.buttons[0].custom_id, actor=JAN)).text
    done = await world.press(ask.buttons[0].custom_id)
    assert done.text.startswith("Done. Deleted:")
    assert "reminders (1)" in done.text and "Anonymized" in done.text
    # Not one cell in any table names her.
    leftovers = [c for c in await every_cell(world) if isinstance(c[2], str) and ANNA.id in c[2]]
    assert leftovers == []
    names = [c for c in await every_cell(world) if isinstance(c[2], str) and "Anna" in c[2]]
    assert names == []  # not as a name beside an id, not in the audit log's details
    groups = sorted(g.name for g in await world.app.groups.directory.all("test:guild"))
    assert groups == ["Jura", "Pilica"]  # others' groups keep their names
    # Her group stays for Jan, run by nobody but still there; her past seat stays anonymous.
    assert await world.app.groups.directory.get("test:guild", "Pilica")
    past = await world.app.db.fetchall("SELECT name FROM signup_entries WHERE slot = 1")
    assert [r["name"] for r in past] == ["former member"]
    # Her future seat went to Jan, who was waiting.
    assert any("signup:accept:1:2" in [b.custom_id for b in r.buttons] for r in world.dms(JAN))
    assert world.front.roles[ANNA.id] == set()  # group and mapped roles taken back
    await world.say("privacy export")
    [file] = world.dms(ANNA)[-1].files
    assert json.loads(file.data)["data"] == {}  # a later export shows nothing of hers


async def test_moderators_actions_are_audited(world: World) -> None:
    await world.say("setup server", actor=ADMIN, log=LOG)
    await world.say("role grant", actor=ADMIN, user=JAN, role="moderator")
    await world.say("group create", actor=ADMIN, name="Jura", city="Zawiercie")
    await world.say("group archive", actor=ADMIN, name="Jura")
    await world.say("settings show", actor=JAN)  # not an action that is audited
    recent = await world.say("audit recent", actor=ADMIN)
    lines = recent.text.splitlines()
    assert len(lines) == 4
    assert "Admin: /group archive name:Jura" in lines[0]
    assert "Admin: /role grant user:@Jan role:moderator" in lines[2]
    log_posts = world.posts("test:#log")
    assert [p.text.split(": ", 1)[1] for p in log_posts][-1] == "/group archive name:Jura"
    refused = await world.say("audit recent", actor=JAN)
    assert refused.text.startswith("Do tego potrzebna jest rola: administrator.")


async def test_transcripts_opt_out(world: World) -> None:
    assert await world.app.privacy.transcripts_allowed(ANNA.id)
    off = await world.say("privacy transcripts", allowed="off")
    assert "nie trafią" in off.text
    assert not await world.app.privacy.transcripts_allowed(ANNA.id)
    await world.say("privacy transcripts", allowed="on")
    assert await world.app.privacy.transcripts_allowed(ANNA.id)


async def test_forget_keeps_channel_reminders_others_rely_on(world: World) -> None:
    await world.say("role grant", actor=ADMIN, user=EWA, role="moderator")
    await world.say("remind channel", actor=EWA, when="jutro o 9", what="Forum o 10!")
    await world.say("remind me", actor=EWA, when="jutro o 9", what="Moja notatka")
    ask = await world.say("privacy forget", actor=EWA)
    done = await world.press(ask.buttons[0].custom_id, actor=EWA)
    assert done.text.count("przypomnienia (1)") == 2  # one deleted, one anonymized …
    rows = await world.app.db.fetchall("SELECT owner_id, kind, text FROM reminders")
    assert [(r["kind"], r["text"]) for r in rows] == [("channel", "Forum o 10!")]
    assert rows[0]["owner_id"].startswith("former-member:")  # … the channel's stays, anonymous
    await world.app.advance(timedelta(days=1))
    assert any("Forum o 10!" in r.text for r in world.posts(GENERAL.id))


async def test_a_reminder_worded_ahead_is_not_sent_after_forget(world: World) -> None:
    await world.say("remind me", actor=EWA, when="jutro o 9", what="Moja notatka")
    [reminder] = await world.app.reminders.pending_of(EWA.id)
    # One second before it is due: its message is already worded, waiting to be sent.
    await world.app.advance(reminder.due_at - world.clock.now() - timedelta(seconds=1))
    ask = await world.say("privacy forget", actor=EWA)
    await world.press(ask.buttons[0].custom_id, actor=EWA)
    await world.app.advance(timedelta(seconds=5))
    assert not any("Moja notatka" in r.text for r in world.dms(EWA))


async def test_a_missed_channel_reminder_of_a_former_member_pings_nobody(world: World) -> None:
    await world.say("role grant", actor=ADMIN, user=EWA, role="moderator")
    await world.say("remind channel", actor=EWA, when="jutro o 9", what="Forum o 10!")
    ask = await world.say("privacy forget", actor=EWA)
    await world.press(ask.buttons[0].custom_id, actor=EWA)
    posted = len(world.front.sent)
    await world.restart(down_for=timedelta(days=2))  # far past the grace period
    assert world.front.sent[posted:] == []
    [row] = await world.app.db.fetchall("SELECT status FROM reminders")
    assert row["status"] == "missed"


async def test_forgotten_text_is_gone_from_the_database_files(world: World) -> None:
    """secure_delete and a checkpoint: not even the raw bytes keep what she wrote."""
    secret = "Zadzwonić-do-Pilicy-q7x2k9"
    await anna_everywhere(world)
    await world.say("remind me", when="jutro o 18", what=secret)
    await world.say("learning goals set", goals="Delegowanie")
    await world.say("learning log", goal="1", text=f"Notatka {secret}")
    await world.app.db.checkpoint()  # her text is in the database file itself, not only the WAL
    assert secret.encode() in world.path.read_bytes()
    ask = await world.say("privacy forget")
    await world.press(ask.buttons[0].custom_id)
    files = [world.path, world.path.with_name(world.path.name + "-wal")]
    for file in files:
        if file.exists():
            assert secret.encode() not in file.read_bytes(), file.name
            assert "Zadzwonić-do-Pilicy".encode() not in file.read_bytes(), file.name


async def test_every_table_has_a_name_people_read_in_every_language(world: World) -> None:
    """What a forget reports is named in the reader's language, never as a table."""
    tables = await world.app.db.fetchall(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name != 'sqlite_sequence'"
    )
    for locale in SUPPORTED_LOCALES:
        missing = [
            t for (t,) in (tuple(r) for r in tables) if not has_key(f"privacy.table.{t}", locale)
        ]
        assert not missing, (locale, missing)


async def test_forgetting_someone_the_bot_never_stored_says_so_and_logs_nothing(
    tmp_path: Path,
) -> None:
    fresh = await World.open(tmp_path / "fresh.sqlite3")
    try:
        await fresh.say("setup server", actor=ADMIN, log=LOG)
        posted = len(fresh.posts(LOG.id))
        answer = await fresh.say(
            "privacy forget", actor=UserRef("test:nobody", "Nobody"), confirm="tak"
        )
        assert answer.text == "Nie przechowuję nic o Tobie — nie było czego usuwać."
        assert len(fresh.posts(LOG.id)) == posted
    finally:
        await fresh.app.close()


async def test_the_log_calls_a_forgotten_person_a_former_member_in_the_servers_language(
    world: World,
) -> None:
    await world.say("setup server", actor=ADMIN, log=LOG)
    await world.say("settings language", actor=JAN, language="nl")
    await world.say("privacy forget", actor=JAN, confirm="yes")
    [line] = [p.text for p in world.posts(LOG.id) if "privacy forget" in p.text]
    assert "były członek" in line and "voormalig" not in line
    recent = await world.say("audit recent", actor=ADMIN)
    assert "były członek" in recent.text


class Keys:
    """A front end's store outside the database (as the Matrix key store is)."""

    name = "matrix_devices"

    def __init__(self) -> None:
        self.devices = {ANNA.id: [{"device_id": "PHONE"}, {"device_id": "LAPTOP"}]}

    async def export(self, user_id: str) -> list[dict[str, object]]:
        return list(self.devices.get(user_id, []))

    async def forget(self, user_id: str) -> int:
        return len(self.devices.pop(user_id, []))


async def test_what_a_front_end_keeps_elsewhere_is_exported_and_forgotten(world: World) -> None:
    keys = Keys()
    world.app.privacy.keep_elsewhere(keys)
    await world.say("privacy export")
    [file] = world.dms(ANNA)[-1].files
    assert json.loads(file.data)["data"]["matrix_devices"] == keys.devices[ANNA.id]

    # Nothing else of hers is stored: the devices alone make the forget worth doing.
    done = await world.say("privacy forget", confirm="tak")
    assert "urządzenia Matrix i ich klucze szyfrowania (2)" in done.text
    assert keys.devices == {}
    await world.say("privacy export")
    [file] = world.dms(ANNA)[-1].files
    assert json.loads(file.data)["data"] == {}
