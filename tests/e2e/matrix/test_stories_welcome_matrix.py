"""The welcome on Matrix against a real Synapse: the admin places the "Start here" message
in the community's room; Ola joins the room and is greeted there, once, with the three ways
forward as reactions; 📍 tells her what to type, `!start place:Kroczyce` brings the group in
Pilica with its distance, and one reaction makes her a member (invited to its room)."""

from __future__ import annotations

from .conftest import Community
from .people import says
from .test_stories_matrix import in_dm, joined_hub


async def test_a_newcomer_is_greeted_finds_the_group_in_pilica_and_joins(
    world: Community,
) -> None:
    await world.admin.say(world.hub, f"!setup server welcome:{world.hub}")
    start_here = await world.admin.wait_for(says("Zacznij tutaj", "📍", room=world.hub))
    assert "!start" in start_here.body and "/start" not in start_here.body
    await world.admin.say(world.hub, "!group create name:Pilica city:Pilica")
    await world.admin.wait_for(says("Utworzono grupę", "Pilica"))

    ola = await joined_hub(world, "ola")
    hello = await ola.wait_for(says("Witaj", "📍", "🌐", "📅", room=world.hub))
    assert hello.content["m.mentions"] == {"user_ids": [ola.user_id]}
    await ola.react(world.hub, hello.event_id, "📍")
    await ola.wait_for(in_dm(ola, "!start place:Kroczyce"))
    await ola.say(world.hub, "!start place:Kroczyce")
    near = await ola.wait_for(in_dm(ola, "Pilica (śląskie, PL) · 12 km", "🇦 Dołącz: Pilica"))
    await ola.react(near.room_id, near.event_id, "🇦")
    welcome = await ola.wait_for(says("Witajcie w grupie", "Pilica"), timeout_s=20)
    assert welcome.room_id not in (world.hub, *ola.direct_rooms)

    # Greeted once: leaving and coming back brings no second hello.
    await ola.client.room_leave(world.hub)
    await world.admin.client.room_invite(world.hub, ola.user_id)
    await ola.catch_up()
    # (Coming back shows the room's history again: the first hello is no new one.)
    greeting = says("Witaj", "📍", room=world.hub)
    await ola.nothing_more(lambda seen: greeting(seen) and seen.event_id != hello.event_id)
