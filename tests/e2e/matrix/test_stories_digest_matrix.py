"""The weekly digest on Matrix against a real Synapse: on its day it is posted in the
announcements room as other announcements are (a root message and its thread), in the
server's language, and Ola, who reads in Dutch and asked for it, gets it in her direct room
in Dutch."""

from __future__ import annotations

from tests.helpers.clock import START, warsaw

from .conftest import Community
from .people import says
from .test_stories_matrix import in_dm, joined_hub

MONDAY_9 = warsaw(4, 9)  # the clock starts on Thursday 15 January 2026, 10:00 in Warsaw


async def test_the_digest_comes_to_the_room_and_by_dm_in_dutch(world: Community) -> None:
    await world.admin.say(world.hub, f'!setup server forum:{world.hub} digest:"poniedziałek 9:00"')
    await world.admin.wait_for(says("Tygodniowy przegląd", "poniedziałek"))
    ola = await joined_hub(world, "ola")
    await ola.say(world.hub, "!settings language language:nl")
    await ola.wait_for(in_dm(ola, "Nederlands"))
    await ola.say(world.hub, "!settings digest dm:on")
    await ola.wait_for(in_dm(ola, "wekelijkse overzicht"))
    await world.admin.say(
        world.hub,
        '!event create title:"Forum dyrektorów" kind:forum when:"za 5 dni o 10" duration:3h '
        'place:"https://meet.example/forum" description:"Wiosenne forum" capacity:40',
    )
    await ola.wait_for(says("📣", "Forum dyrektorów", room=world.hub))
    # The admin's answer comes once the announcement is saved: only then does time move.
    await world.admin.wait_for(says("Utworzono wydarzenie", "Forum dyrektorów"))

    await world.advance(MONDAY_9 - START)
    await ola.wait_for(says("Przegląd tygodnia", room=world.hub))
    posted = await ola.wait_for(
        lambda s: s.room_id == world.hub and "zostało 40 wolnych miejsc" in s.body
    )
    assert "Forum dyrektorów" in posted.body
    dm = await ola.wait_for(in_dm(ola, "Weekoverzicht", "Forum dyrektorów"))
    assert "nog 40 plaatsen vrij" in dm.body
