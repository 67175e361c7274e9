"""Matrix stories in encrypted direct chats, as Element opens them by default: people
whose clients encrypt (tests/e2e/matrix/people.py) and the real bot with its key store."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.visibility import SYSTEM
from matrix import crypto

from .conftest import Community
from .people import Match, Person, says


async def encrypted_member(world: Community, name: str) -> tuple[Person, str]:
    """Someone with an encrypting client, in the announcements room, who has opened an
    encrypted direct chat with the bot (and read its greeting there)."""
    someone = await world.person(name, encrypted=True)
    await world.admin.client.room_invite(world.hub, someone.user_id)
    await someone.wait_for(lambda seen: seen.room_id == world.hub, timeout_s=10)
    direct = await someone.open_encrypted_dm(world.bot_id)
    await someone.wait_for(says("!help", room=direct), timeout_s=20)
    return someone, direct


def secret(room: str, *parts: str) -> Match:
    """A message in `room` that came encrypted and reads, decrypted, with every part."""
    return lambda seen: seen.encrypted and says(*parts, room=room)(seen)


async def test_a_reminder_in_an_encrypted_chat_snoozes_and_outlives_a_restart(
    world: Community,
) -> None:
    anna, direct = await encrypted_member(world, "anna")
    await anna.say(direct, '!remind me when:"jutro o 18" what:"Zadzwonić do Pilicy"')
    await anna.wait_for(secret(direct, "Zadzwonić do Pilicy", "18:00"))

    await world.advance(timedelta(days=1, hours=8))
    delivered = await anna.wait_for(secret(direct, "Przypomnienie", "Zadzwonić do Pilicy"))
    await anna.react(direct, delivered.event_id, "💤")
    await anna.wait_for(secret(direct, "18:10", "za 10 minut"))

    # After a restart the bot still reads the chat (its keys are kept beside the
    # database) and still writes there encrypted.
    await world.restart()
    await anna.say(direct, "!remind list")
    listed = await anna.wait_for(secret(direct, "Zadzwonić do Pilicy"))
    assert "18:10" in listed.body
    await world.advance(timedelta(minutes=10))
    await anna.wait_for(secret(direct, "Przypomnienie", "Zadzwonić do Pilicy"))


async def test_a_waitlist_offer_is_accepted_by_reaction_in_an_encrypted_chat(
    world: Community,
) -> None:
    anna, _ = await encrypted_member(world, "anna")
    jan, direct = await encrypted_member(world, "jan")
    await world.admin.say(
        world.hub, '!signup create title:"Superwizja" slots:"2026-02-20 10:00" capacity:1'
    )
    sheet = await anna.wait_for(says("Superwizja", "1️⃣", room=world.hub))
    hers = await anna.react(world.hub, sheet.event_id, "1️⃣")
    await anna.wait_for(says("Zapisano Cię", "Superwizja"))
    await jan.react(world.hub, sheet.event_id, "1️⃣")
    await jan.wait_for(secret(direct, "liście rezerwowej", "pozycji 1"))

    await world.restart()
    await anna.take_back(world.hub, hers)  # signs her out, also after a restart
    offer = await jan.wait_for(secret(direct, "Superwizja", "✅"), timeout_s=20)
    # Some clients encrypt reactions too: the bot reads those as well.
    await jan.react_encrypted(direct, offer.event_id, "✅")
    await jan.wait_for(secret(direct, "Superwizja"))
    sheets = world.bot.app.signups.sheets
    entries = await sheets.entries(await sheets.get(1, SYSTEM))
    assert [(e.user_id, e.status.value) for e in entries] == [
        (f"matrix:{jan.user_id}", "confirmed")
    ]


async def test_a_calendar_file_goes_encrypted_into_an_encrypted_chat(world: Community) -> None:
    await world.admin.say(world.hub, f"!setup server forum:{world.hub}")
    await world.admin.wait_for(says("Forum"))
    ola, direct = await encrypted_member(world, "ola")
    await world.admin.say(
        world.hub,
        '!event create title:"Szkolenie z facylitacji" kind:training when:"3 marca o 10" '
        'duration:2h place:"Łazy" description:"Warsztat"',
    )
    card = await ola.wait_for(lambda s: s.relation.get("rel_type") == "m.thread")
    await ola.react(world.hub, card.event_id, "📅")
    sent = await ola.wait_for(
        lambda s: s.room_id == direct and s.encrypted and s.content.get("msgtype") == "m.file"
    )
    # The homeserver holds only ciphertext: the key travels in the encrypted event.
    assert "url" not in sent.content and "key" in sent.content["file"]
    calendar = (await ola.download(sent)).decode()
    assert sent.body.endswith(".ics") and "Szkolenie z facylitacji" in calendar


async def test_without_encryption_support_an_encrypted_chat_never_becomes_the_direct_room(
    world: Community, monkeypatch: pytest.MonkeyPatch
) -> None:
    # matrix-nio installed without its e2e extra: the bot cannot read encrypted rooms.
    monkeypatch.setattr(crypto, "AVAILABLE", False)
    await world.restart()
    piotr = await world.person("piotr")
    await world.admin.client.room_invite(world.hub, piotr.user_id)
    await piotr.wait_for(lambda seen: seen.room_id == world.hub, timeout_s=10)
    locked = await piotr.open_encrypted_dm(world.bot_id)
    await piotr.wait_for(says("szyfrowany", room=locked))
    # Private answers go to a room the bot can read, never to the encrypted one.
    await piotr.say(world.hub, '!remind me when:"jutro o 9" what:"Zadzwonić"')
    answer = await piotr.wait_for(says("Zadzwonić", "#1"))
    assert answer.room_id not in (locked, world.hub)
