"""Proposing a group on Matrix against a real Synapse: Marta, a director, proposes a group
in Andrychów in the community's room; the card reaches the log room with reactions for the
moderators; the admin approves with ✅; Marta gets the guide and her checklist in her direct
room, the group's room is made with her in it, the card shows who decided, and her
checklist ticks itself once she plans the first meeting there."""

from __future__ import annotations

from .conftest import Community
from .people import says
from .test_stories_matrix import in_dm, joined_hub


async def test_a_group_proposed_in_andrychow_is_approved_and_its_checklist_ticks(
    world: Community,
) -> None:
    await world.admin.say(world.hub, f"!setup server log:{world.hub}")
    await world.admin.wait_for(in_dm(world.admin, "Zapisano ustawienia"))
    marta = await joined_hub(world, "marta")

    await marta.say(world.hub, "!group propose name:Podbeskidzie city:Andrychów")
    await marta.wait_for(in_dm(marta, "Propozycja założenia grupy", "Podbeskidzie"))
    card = await world.admin.wait_for(says("📋 Propozycja nr 1", "Podbeskidzie", room=world.hub))
    assert "!group proposal decline" in card.body and "/group" not in card.body
    await world.admin.react(world.hub, card.event_id, "✅")

    approved = await marta.wait_for(in_dm(marta, "została zatwierdzona", "Podbeskidzie"))
    assert "⬜" in approved.body  # the checklist, nothing done yet
    room = await marta.wait_for(says("Witajcie w grupie", "Podbeskidzie"), timeout_s=20)
    assert room.room_id not in (world.hub, *marta.direct_rooms)
    decided = await world.admin.wait_for(
        lambda seen: (
            seen.room_id == world.hub
            and "Zatwierdzona — decyzja" in seen.body
            and seen.content.get("m.relates_to", {}).get("event_id") == card.event_id
        )
    )
    assert "Podbeskidzie" in decided.body

    await marta.say(
        room.room_id,
        '!group meeting plan name:Podbeskidzie hosts:"Andrychów; Inwałd" '
        'first:"2 kwietnia o 10" every:"3 months"',
    )
    await marta.wait_for(says("Podbeskidzie", "2 kwietnia", room=room.room_id))
    await marta.say(world.hub, "!group checklist")
    ticked = await marta.wait_for(in_dm(marta, "✅ Pierwsze spotkanie zaplanowane"))
    assert "Podbeskidzie" in ticked.body
