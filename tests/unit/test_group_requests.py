"""Requests to join a local group that stay answerable: a group that opens lets those
waiting in, a group that loses its last initiator says so (and takes no new requests
that nobody would decide), a declined person waits before asking again, and a decision
on someone with no request says why."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest

from bot.refs import ChannelRef
from tests.helpers.world import ADMIN, ANNA, EWA, GUILD, JAN, World

LOG = ChannelRef("test:#log", "log")
CHANNEL = "channel:1"  # the first group's channel on the fake platform


@pytest.fixture
async def world(tmp_path: Path) -> AsyncIterator[World]:
    w = await World.open(tmp_path / "r.sqlite3")
    await w.say("setup server", actor=ADMIN, log=LOG)
    yield w
    await w.app.close()


async def jura(world: World, join: str = "approval") -> None:
    made = await world.say(
        "group create", actor=ADMIN, name="Jura", city="Zawiercie", initiator=EWA, join=join
    )
    assert made.created is not None, made.text


async def rows(world: World, sql: str) -> list[tuple[object, ...]]:
    return [tuple(r) for r in await world.app.db.fetchall(sql)]


def requests_posted(world: World) -> list[str]:
    return [p.text for p in world.posts(CHANNEL) if "chce dołączyć" in p.text]


# -- a group that opens to everyone ------------------------------------------------------


async def test_opening_a_group_lets_those_waiting_in_and_tells_them(world: World) -> None:
    await jura(world)
    await world.say("settings language", actor=JAN, language="en")
    await world.say("group join", name="Jura")
    await world.say("group join", actor=JAN, name="Jura")
    edited = await world.say("group edit", actor=EWA, name="Jura", join="open")
    assert edited.text.splitlines()[-1] == (
        "Do grupy można teraz dołączać bez zgody: 2 osoby, które czekały na decyzję, "
        "należą już do grupy i dostały o tym wiadomość."
    )
    assert await rows(world, "SELECT user_id, status FROM group_members ORDER BY user_id") == [
        (ANNA.id, "member"),
        (EWA.id, "member"),
        (JAN.id, "member"),
    ]
    assert world.front.roles[ANNA.id] == {"role:1"} and world.front.roles[JAN.id] == {"role:1"}
    # Each in their own language.
    assert world.dms(ANNA)[-1].text.startswith("Do grupy **Jura** można teraz dołączać bez zgody")
    assert world.dms(JAN)[-1].text.startswith("**Jura** now lets anyone join")
    assert (await world.say("group join", name="Jura")).text.startswith("Już należysz")
    # Opening again lets nobody in twice, and says nothing about requests.
    again = await world.say("group edit", actor=EWA, name="Jura", join="open")
    assert "czekały" not in again.text and len(world.dms(JAN)) == 1


async def test_a_request_left_waiting_in_an_open_group_is_let_in_when_asked_again(
    world: World,
) -> None:
    """A request from before the group opened that was not let in then (a crash between
    the change and letting them in): asking again lets that person in, and the others."""
    await jura(world)
    await world.say("group join", name="Jura")
    await world.say("group join", actor=JAN, name="Jura")
    await world.app.db.execute("UPDATE groups SET join_mode = 'open'")
    joined = await world.say("group join", name="Jura")
    assert joined.text.startswith("Witaj w grupie **Jura**"), joined.text
    assert world.front.roles[ANNA.id] == {"role:1"}
    assert not [d for d in world.dms(ANNA) if "bez zgody" in d.text]  # told in the answer
    assert world.dms(JAN)[-1].text.startswith("Do grupy **Jura** można teraz dołączać")
    assert await rows(world, "SELECT count(*) FROM group_members WHERE status = 'pending'") == [
        (0,)
    ]


# -- a group without an initiator ----------------------------------------------------------


async def test_the_last_initiator_leaving_is_told_and_the_moderators_read_it(
    world: World,
) -> None:
    await jura(world)
    await world.say("group join", actor=JAN, name="Jura")  # waits for a decision
    left = await world.say("group leave", actor=EWA, name="Jura")
    assert left.text.splitlines() == [
        "Nie należysz już do grupy **Jura**.",
        "Grupa **Jura** nie ma teraz żadnego inicjatora. Nowego wskazuje administrator: "
        "/group initiator add name:Jura",
    ]
    assert [p.text for p in world.posts(LOG.id) if p.text.startswith("⚠️")] == [
        "⚠️ Grupa **Jura** nie ma już inicjatora: odeszła z niej ostatnia osoba, która ją "
        "prowadziła. Nowego inicjatora wskazuje administrator: /group initiator add name:Jura\n"
        "Na decyzję czeka 1 prośba o dołączenie — rozpatruje je administrator: "
        "/group approve albo /group decline name:Jura user:…"
    ]
    # Nobody would decide a new request: refused, saying why.
    refused = await world.say("group join", name="Jura")
    assert refused.refused and refused.text.startswith(
        "Grupa **Jura** nie ma teraz inicjatora, więc nie ma komu rozpatrzyć prośby"
    )
    assert len(requests_posted(world)) == 1  # Jan's only
    # An admin still decides the one waiting, and names a new initiator.
    done = await world.say("group approve", actor=ADMIN, name="Jura", user=JAN)
    assert done.text == "Jan należy teraz do grupy **Jura**."
    await world.say("group initiator add", actor=ADMIN, name="Jura", user=JAN)
    asked = await world.say("group join", name="Jura")
    assert asked.text.startswith("Wysłano prośbę")


async def test_one_initiator_of_two_leaving_changes_nothing(world: World) -> None:
    await jura(world)
    await world.say("group initiator add", actor=ADMIN, name="Jura", user=JAN)
    left = await world.say("group leave", actor=EWA, name="Jura")
    assert left.text == "Nie należysz już do grupy **Jura**."
    assert not [p for p in world.posts(LOG.id) if p.text.startswith("⚠️")]


async def test_an_open_group_without_an_initiator_still_lets_people_in(world: World) -> None:
    await jura(world, join="open")
    await world.say("group leave", actor=EWA, name="Jura")
    [line] = [p.text for p in world.posts(LOG.id) if p.text.startswith("⚠️")]
    assert "czeka" not in line  # nothing waits in an open group
    assert (await world.say("group join", name="Jura")).text.startswith("Witaj w grupie")


async def test_a_forgotten_or_departed_last_initiator_is_reported_too(world: World) -> None:
    await jura(world)
    await world.say("privacy forget", actor=EWA, confirm="yes")
    assert any(p.text.startswith("⚠️ Grupa **Jura**") for p in world.posts(LOG.id))
    # On the platform itself: the last initiator leaves the group's room.
    made = await world.say("group create", actor=ADMIN, name="Pilica", city="Pilica", initiator=JAN)
    assert made.created is not None
    pilica = await world.app.groups.directory.get(GUILD, "Pilica")
    assert pilica.channel_id is not None
    assert await world.app.groups.membership.left_channel(pilica.channel_id, JAN.id)
    assert any(p.text.startswith("⚠️ Grupa **Pilica**") for p in world.posts(LOG.id))


async def test_an_admin_removing_the_last_initiator_is_told(world: World) -> None:
    await jura(world)
    removed = await world.say("group initiator remove", actor=ADMIN, name="Jura", user=EWA)
    assert removed.text.splitlines()[-1] == (
        "Grupa **Jura** nie ma teraz żadnego inicjatora. Nowego wskażesz tak: "
        "/group initiator add name:Jura"
    )


# -- a declined request waits before it may be sent again ---------------------------------


async def test_a_declined_person_asks_the_same_group_again_only_after_a_week(
    world: World,
) -> None:
    await jura(world)
    await world.say("group join", actor=JAN, name="Jura")
    await world.say("group decline", actor=EWA, name="Jura", user=JAN)
    told = world.dms(JAN)[-1].text
    assert "nie została przyjęta" in told
    assert "Następną prośbę do tej grupy możesz wysłać od: <t:" in told
    for _ in range(3):
        again = await world.say("group join", actor=JAN, name="Jura")
        assert again.refused and again.text.startswith(
            "Grupa **Jura** niedawno odrzuciła Twoją prośbę o dołączenie. "
            "Następną możesz wysłać od: <t:"
        ), again.text
    assert len(requests_posted(world)) == 1  # no new card for each try
    # Another group is asked at once, and the same one after the week.
    await world.say(
        "group create", actor=ADMIN, name="Pilica", city="Pilica", initiator=EWA, join="approval"
    )
    assert (await world.say("group join", actor=JAN, name="Pilica")).text.startswith("Wysłano")
    await world.app.advance(timedelta(days=7))
    assert (await world.say("group join", actor=JAN, name="Jura")).text.startswith("Wysłano")


async def test_a_decline_by_the_cards_button_counts_and_an_approval_clears_it(
    world: World,
) -> None:
    await jura(world)
    await world.say("group join", actor=JAN, name="Jura")
    decline = world.posts(CHANNEL)[-1].buttons[1].custom_id
    await world.press(decline, actor=EWA)
    assert (await world.say("group join", actor=JAN, name="Jura")).refused
    # The initiator changes their mind: Jan comes in on the platform by their hand.
    jura_group = await world.app.groups.directory.get(GUILD, "Jura")
    assert jura_group.channel_id is not None
    await world.app.groups.membership.came_in(jura_group.channel_id, JAN, by_manager=True)
    assert (await world.say("group leave", actor=JAN, name="Jura")).text.startswith("Nie należysz")
    assert await rows(world, "SELECT user_id FROM group_declines") == [(JAN.id,)]
    # An approval of a later request clears the record.
    await world.app.advance(timedelta(days=8))
    await world.say("group join", actor=JAN, name="Jura")
    await world.say("group approve", actor=EWA, name="Jura", user=JAN)
    assert await rows(world, "SELECT * FROM group_declines") == []


async def test_the_records_of_declines_stay_few(world: World) -> None:
    """One row per group and person, and those whose time has passed go with the next
    decline: the table holds a week of declines at most."""
    await jura(world)
    await world.say("group join", actor=JAN, name="Jura")
    await world.say("group decline", actor=EWA, name="Jura", user=JAN)
    await world.app.advance(timedelta(days=8))
    await world.say("group join", actor=JAN, name="Jura")
    await world.say("group join", name="Jura")
    await world.say("group decline", actor=EWA, name="Jura", user=JAN)
    await world.say("group decline", actor=EWA, name="Jura", user=ANNA)
    assert sorted(await rows(world, "SELECT user_id FROM group_declines")) == [
        (ANNA.id,),
        (JAN.id,),
    ]
    await world.app.advance(timedelta(days=8))
    await world.say("group join", name="Jura")
    await world.say("group decline", actor=EWA, name="Jura", user=ANNA)
    assert await rows(world, "SELECT user_id FROM group_declines") == [(ANNA.id,)]


# -- deciding on someone with no request says why ------------------------------------------


@pytest.mark.parametrize("path", ["group decline", "group approve"])
async def test_deciding_on_a_member_says_they_are_one(world: World, path: str) -> None:
    await jura(world, join="open")
    await world.say("group join", actor=JAN, name="Jura")
    reply = await world.say(path, actor=EWA, name="Jura", user=JAN)
    assert reply.refused
    assert reply.text == "Jan już należy do grupy **Jura** — nie ma tu prośby do rozpatrzenia."


async def test_deciding_a_declined_request_again_says_it_was_decided(world: World) -> None:
    await jura(world)
    await world.say("group join", actor=JAN, name="Jura")
    await world.say("group decline", actor=EWA, name="Jura", user=JAN)
    again = await world.say("group decline", actor=EWA, name="Jura", user=JAN)
    assert again.refused and again.text == "Prośba osoby Jan została już rozpatrzona."
