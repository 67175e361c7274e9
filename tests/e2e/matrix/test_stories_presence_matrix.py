"""How the bot shows itself in Element, against a real Synapse: its name and avatar, the
read receipt and typing notice around a command, a group left by command; and, in
encrypted chats, the direct room it opens and what the key store knows of a person."""

from __future__ import annotations

import json
from typing import Any

from nio import RoomTypingResponse

from matrix import presence

from .conftest import Community
from .people import Person, Seen, says
from .test_stories_encrypted_matrix import secret
from .test_stories_matrix import in_dm, joined_hub


def removal_of(someone: Person) -> Any:
    return lambda seen: (
        seen.type == "m.room.member"
        and seen.source.get("state_key") == someone.user_id
        and seen.content.get("membership") == "leave"
    )


async def test_the_bot_has_a_face_reads_types_and_says_why_a_leaver_was_removed(
    world: Community,
) -> None:
    shown = await world.admin.client.get_avatar(world.bot_id)
    mxc = shown.avatar_url
    assert mxc.startswith("mxc://")
    picture = await world.admin.client.download(mxc=mxc)
    assert picture.body == presence.AVATAR.read_bytes()

    typing: list[tuple[str, bool, object]] = []
    real_typing = world.bot.client.room_typing

    async def spied(room_id: str, typing_state: bool = True, timeout: int = 30_000) -> Any:  # noqa: ASYNC109
        response = await real_typing(room_id, typing_state, timeout)
        typing.append((room_id, typing_state, type(response)))
        return response

    world.bot.client.room_typing = spied  # type: ignore[method-assign]

    await world.admin.say(world.hub, "!group create name:Jura city:Zawiercie")
    await world.admin.wait_for(says("Jura", "Zawiercie"))
    ola = await joined_hub(world, "ola")
    await ola.say(world.hub, "!group join name:Jura")
    welcome = await ola.wait_for(says("Witajcie w grupie", "Jura"), timeout_s=20)

    command = await ola.say(world.hub, "!group leave name:Jura")
    answer = await ola.wait_for(says("Nie należysz już do grupy", "na Twoją prośbę"))
    for _ in range(25):  # the typing notice is taken back right after the answer
        if typing[-1][1] is False:
            break
        await ola.catch_up()
    # Read, typed on while worked on, and the typing taken back once answered: each
    # accepted by the homeserver (commands in a room are worked on one at a time).
    assert typing[-2:] == [
        (world.hub, True, RoomTypingResponse),
        (world.hub, False, RoomTypingResponse),
    ]
    await ola.catch_up()
    assert ola.read_up_to(world.hub, world.bot_id) == command
    assert world.bot_id not in ola.client.rooms[world.hub].typing_users
    assert "usunięcie z pokoju" in answer.body

    # Element shows "Podaj dalej removed Ola: <reason>": the reason says she left herself.
    removed: Seen = await ola.wait_for(removal_of(ola), timeout_s=20)
    assert removed.room_id == welcome.room_id and removed.sender == world.bot_id
    assert removed.content["reason"] == "Opuszczenie grupy Jura na własną prośbę"

    # The avatar was uploaded once: a restart points the profile at the same picture.
    await world.restart()
    again = await world.admin.client.get_avatar(world.bot_id)
    assert again.avatar_url == mxc


async def test_the_bot_opens_an_encrypted_chat_and_its_keys_of_a_person_are_theirs(
    world: Community,
) -> None:
    anna = await world.person("anna", encrypted=True)
    await world.admin.client.room_invite(world.hub, anna.user_id)
    await anna.wait_for(lambda seen: seen.room_id == world.hub, timeout_s=10)

    # She never opened a direct chat: the one the bot opens is encrypted from the start,
    # since her client encrypts, and what comes there she reads decrypted.
    await anna.say(world.hub, "!help")
    helped = await anna.wait_for(secret_in_dm(anna, "!remind"), timeout_s=20)
    assert anna.client.rooms[helped.room_id].encrypted

    # The devices the bot met are in her export, as it trusted them.
    await anna.say(world.hub, "!privacy export")
    sent = await anna.wait_for(secret_in_dm(anna, "JSON"), timeout_s=20)
    assert sent.room_id == helped.room_id
    file = await anna.wait_for(
        lambda seen: seen.encrypted and seen.content.get("msgtype") == "m.file", timeout_s=20
    )
    assert file.room_id == sent.room_id
    exported = json.loads(await anna.download(file))["data"]["matrix_devices"]
    [device] = [d for d in exported if d["device_id"] == anna.client.device_id]
    assert device["trust"] == "trusted on first use"
    assert device["ed25519"] == anna.client.olm.account.identity_keys["ed25519"]

    # Someone whose client cannot encrypt gets a plain direct room, which they can read.
    jan = await joined_hub(world, "jan")
    await jan.say(world.hub, "!help")
    plain = await jan.wait_for(in_dm(jan, "!remind"), timeout_s=20)
    assert not plain.encrypted and not jan.client.rooms[plain.room_id].encrypted

    await anna.say(world.hub, "!privacy forget confirm:tak")
    report = await anna.wait_for(secret_in_dm(anna, "urządzenia Matrix"), timeout_s=20)
    assert "urządzenia Matrix i ich klucze szyfrowania (1)" in report.body


def secret_in_dm(someone: Person, *parts: str) -> Any:
    """An encrypted message in one of the person's direct rooms with the bot."""
    return lambda seen: seen.room_id in someone.direct_rooms and secret(seen.room_id, *parts)(seen)
