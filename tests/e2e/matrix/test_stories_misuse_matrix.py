"""Matrix stories of what people in Element do that nobody planned for, against a real
Synapse: a keycap for a slot that is not there, two keycaps at once, a reaction taken back
after a restart, two people of one display name, a display name written as markup, a vote
taken back, a command that fails while the bot types, someone let into a group's room by
hand."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import pytest
from nio import RoomInviteError

from bot.visibility import SYSTEM

from .conftest import Community
from .people import Person, of_type, says
from .test_stories_encrypted_matrix import encrypted_member
from .test_stories_matrix import in_dm, joined_hub, named

POLL_START = "org.matrix.msc3381.poll.start"
POLL_RESPONSE = "org.matrix.msc3381.poll.response"
POLL_END = "org.matrix.msc3381.poll.end"
# A display name that is markup in every way a client could read it.
MARKUP_NAME = "<b>Ola</b> **gruba** @room"


async def test_keycaps_nobody_planned_and_names_people_share(world: Community) -> None:
    anna, jan, ola = [await joined_hub(world, name) for name in ("anna", "jan", "ola")]
    await named(world, anna, "Kasia")
    await named(world, jan, "Kasia")
    await named(world, ola, MARKUP_NAME)
    await world.admin.say(
        world.hub,
        '!signup create title:"Superwizja" slots:"2026-02-20 10:00; 2026-02-21 10:00" capacity:2',
    )
    sheet = await anna.wait_for(says("Superwizja", "1️⃣", "2️⃣", room=world.hub))

    # A keycap for a slot the sheet does not have presses nothing and says nothing.
    await anna.react(world.hub, sheet.event_id, "5️⃣")
    await anna.nothing_more(in_dm(anna))

    # Two keycaps at once on a sheet of one slot per person: the second is refused.
    # Taking the refused one back after a restart gives up nothing and says nothing;
    # taking the first back gives up its seat.
    first = await anna.react(world.hub, sheet.event_id, "1️⃣")
    second = await anna.react(world.hub, sheet.event_id, "2️⃣")
    await anna.wait_for(in_dm(anna, "Zapisano Cię", "termin 1"))
    await anna.wait_for(in_dm(anna, "najwyżej tyle terminów: 1"))
    await world.restart()
    await anna.take_back(world.hub, second)
    await anna.nothing_more(in_dm(anna), for_s=3)
    sheets = world.bot.app.signups.sheets
    seats = await sheets.entries(await sheets.get(1, SYSTEM))
    assert [(e.user_id, e.slot) for e in seats] == [(f"matrix:{anna.user_id}", 1)]
    await anna.take_back(world.hub, first)
    await anna.wait_for(in_dm(anna, "Wypisano Cię z terminu 1"))

    # A display name written as markup stays the characters typed: no bold, no @room.
    await ola.react(world.hub, sheet.event_id, "2️⃣")
    await ola.wait_for(in_dm(ola, "Zapisano Cię", "termin 2"))
    await world.admin.say(world.hub, "!signup status sheet:1")
    listed = await world.admin.wait_for(says("Superwizja", "gruba"))
    html = listed.content.get("formatted_body", "")
    assert "<b>Ola" not in html and "<strong>gruba" not in html, html
    assert "&lt;b&gt;Ola&lt;/b&gt;" in html, html
    assert "@room" not in listed.body and "@room" not in html, listed.body
    assert "<b>Ola</b> **gruba**" in listed.body, listed.body

    # Two people called Kasia: a name that fits both is refused, naming each.
    await world.admin.say(world.hub, "!signup add sheet:1 slot:1 user:Kasia")
    refused = await world.admin.wait_for(says("Kasia", "pasuje do kilku osób"))
    assert anna.user_id in refused.body and jan.user_id in refused.body


async def test_a_vote_taken_back_does_not_count(world: Community) -> None:
    anna, jan = await joined_hub(world, "anna"), await joined_hub(world, "jan")
    await world.admin.say(
        world.hub, '!poll quick question:"Kawa czy herbata?" options:"kawa; herbata" hours:1'
    )
    poll = await anna.wait_for(of_type(POLL_START, room=world.hub))
    answers = poll.content[POLL_START]["answers"]
    await anna.vote(world.hub, poll.event_id, answers[0]["id"])
    await jan.vote(world.hub, poll.event_id, answers[0]["id"])
    # Jan takes his vote back the way MSC3381 says: a response with no answer.
    content = {
        POLL_RESPONSE: {"answers": []},
        "m.relates_to": {"rel_type": "m.reference", "event_id": poll.event_id},
    }
    await jan.client.room_send(world.hub, POLL_RESPONSE, content)
    await anna.nothing_more(in_dm(anna, "kawa"))
    await world.advance(timedelta(hours=1))
    # Element shows one vote for kawa: the poll's final text and the result agree.
    ended = await anna.wait_for(of_type(POLL_END, room=world.hub))
    assert "kawa — 1 głos" in ended.body, ended.body
    result = await anna.wait_for(says("Kawa czy herbata?", "wygrywa", room=world.hub))
    assert "wygrywa kawa (1 głos)" in result.body, result.body


async def test_typing_is_taken_back_when_a_command_fails(
    world: Community, monkeypatch: pytest.MonkeyPatch
) -> None:
    anna = await joined_hub(world, "anna")

    async def broken(*_: Any) -> Any:
        raise RuntimeError("a bug in a command")

    monkeypatch.setattr(world.bot, "_run", broken)
    await anna.say(world.hub, "!help")
    for _ in range(50):
        await anna.catch_up()
        if world.bot_id not in anna.client.rooms[world.hub].typing_users:
            break
        await asyncio.sleep(0.1)
    await asyncio.sleep(1)
    await anna.catch_up()
    assert world.bot_id not in anna.client.rooms[world.hub].typing_users
    # She hears that it failed, without the traceback, and that nothing was lost.
    sorry = await anna.wait_for(says("Coś poszło nie tak po mojej stronie", room=world.hub))
    assert "Traceback" not in sorry.body and "a bug in a command" not in sorry.body
    monkeypatch.undo()
    await anna.say(world.hub, "!help")
    await anna.wait_for(in_dm(anna, "!remind"), timeout_s=20)


async def test_forget_typed_in_the_encrypted_chat_is_answered_there(world: Community) -> None:
    """`!privacy forget` forgets the person's direct room and her devices; typed in that
    room, its answer still comes there (not in a second direct room the bot opens for
    it), and she can read it: her devices are fetched again before the bot writes."""
    anna, direct = await encrypted_member(world, "anna")
    await anna.say(direct, "!privacy forget confirm:tak")
    report = await anna.wait_for(says("urządzenia Matrix"), timeout_s=20)
    assert report.room_id == direct and report.encrypted
    await anna.nothing_more(says("prywatnym czacie"), for_s=3)
    assert anna.direct_rooms == {direct}
    # Her client still writes there with the room key the bot forgot: told so, once.
    await anna.say(direct, "!remind list")
    await anna.wait_for(says("Nie mogę jeszcze odczytać", room=direct), timeout_s=20)


async def test_someone_let_back_into_a_groups_room_by_hand_is_a_member(world: Community) -> None:
    await world.admin.say(world.hub, "!group create name:Jura city:Zawiercie")
    await world.admin.wait_for(says("Jura", "Zawiercie"))
    ola = await joined_hub(world, "ola")
    await ola.say(world.hub, "!group join name:Jura")
    welcome = await ola.wait_for(says("Witajcie w grupie", "Jura"), timeout_s=20)
    room = welcome.room_id
    group = await world.bot.app.groups.directory.get(world.bot.ports.guild_id, "Jura")

    async def member() -> bool:
        members = await world.bot.app.groups.directory.members(group)
        return any(m.user_id == f"matrix:{ola.user_id}" for m in members)

    await ola.client.room_leave(room)
    for _ in range(100):  # the bot hears the leave on its next sync
        if not await member():
            break
        await asyncio.sleep(0.1)
    else:
        raise AssertionError("ola left the group's room but is still a member of the group")
    # The initiator, a moderator of the room, lets her back in from Element.
    await world.admin.catch_up()
    await world.admin.client.room_invite(room, ola.user_id)
    for _ in range(100):  # she accepts at once; the bot hears the join on its next sync
        await ola.catch_up()
        if await member():
            break
        await asyncio.sleep(0.1)
    else:
        raise AssertionError("ola is in the group's room but not a member of the group")
    # Asked again, the bot tells her the truth: a member, in the room, no invitation.
    await ola.say(world.hub, "!group join name:Jura")
    answer = await ola.wait_for(in_dm(ola, "Już należysz do grupy"), timeout_s=20)
    assert "Zaproszenie" not in answer.body, answer.body


async def test_a_guest_in_a_private_groups_room_is_no_member_until_a_moderator_lets_them_in(
    world: Community,
) -> None:
    """In a group by approval only the group's initiators decide who belongs: in its room
    only moderators may invite, and in a room made before that rule a friend another
    member brings in is shown out, told how to ask. Whoever a room moderator lets in
    belongs."""
    await world.admin.say(world.hub, "!group create name:Pilica city:Pilica join:approval")
    await world.admin.wait_for(says("Pilica"))
    jan, ola, ewa = [await joined_hub(world, name) for name in ("jan", "ola", "ewa")]
    await jan.say(world.hub, "!group join name:Pilica")
    await world.admin.say(world.hub, f"!group approve name:Pilica user:{jan.user_id}")
    welcome = await jan.wait_for(says("Witajcie w grupie", "Pilica"), timeout_s=20)
    room = welcome.room_id
    group = await world.bot.app.groups.directory.get(world.bot.ports.guild_id, "Pilica")

    async def member(someone: Person) -> bool:
        members = await world.bot.app.groups.directory.members(group)
        return any(m.user_id == f"matrix:{someone.user_id}" for m in members)

    async def in_room(someone: Person) -> None:
        for _ in range(100):  # she accepts at once
            await someone.catch_up()
            if room in someone.client.rooms and someone.user_id in someone.client.rooms[room].users:
                return
            await asyncio.sleep(0.1)
        raise AssertionError(f"{someone.user_id} did not get into the group's room")

    # Jan, a member without power in the room, cannot invite anyone there.
    refused = await jan.client.room_invite(room, ola.user_id)
    assert isinstance(refused, RoomInviteError), refused
    # A room made before that rule let every member invite: Ola, whom Jan brings in, is
    # shown out at once, with how to ask.
    levels = await world.bot.client.room_get_state_event(room, "m.room.power_levels")
    assert levels.content["invite"] == 50
    old_rule = {**levels.content, "invite": 0}
    await world.bot.client.room_put_state(room, "m.room.power_levels", old_rule)
    await jan.catch_up()
    await jan.client.room_invite(room, ola.user_id)
    shown_out: dict[str, Any] = {}
    for _ in range(150):  # she accepts at once; the bot hears the join on its next sync
        await ola.catch_up()
        state = await world.bot.client.room_get_state_event(room, "m.room.member", ola.user_id)
        content = getattr(state, "content", {})
        if content.get("membership") == "leave" and content.get("reason"):
            shown_out = content
            break
        await asyncio.sleep(0.1)
    assert "/group join name:Pilica" in shown_out.get("reason", ""), shown_out
    assert not await member(ola)
    # The initiator, the room's moderator, lets Ewa in: she belongs.
    await world.admin.catch_up()
    await world.admin.client.room_invite(room, ewa.user_id)
    await in_room(ewa)
    for _ in range(100):  # the bot hears the join on its next sync
        if await member(ewa):
            break
        await asyncio.sleep(0.1)
    else:
        raise AssertionError("ewa was let in by the room's moderator but is not a member")
