"""A seat offer sent again after a crash shows once on Matrix (docs/operations.md): the
outbox sends a letter again when the bot died between the send and the mark, with the same
transaction ids, which the homeserver answers with the events it already has."""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3

from .conftest import Community
from .people import of_type
from .test_stories_matrix import in_dm, joined_hub


async def marked_sending(world: Community) -> int:
    """Set the sent offer's letter back to `sending`, once the bot has marked it sent."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 5
    while True:
        path = world.settings.database_path
        with contextlib.closing(sqlite3.connect(path, isolation_level=None)) as db:
            db.execute("BEGIN IMMEDIATE")  # waits for the bot's writes instead of failing
            changed = db.execute(
                "UPDATE outbox SET status = 'sending' WHERE kind = 'signup.offer' "
                "AND status = 'sent'"
            ).rowcount
            db.execute("COMMIT")
        if changed or loop.time() > deadline:
            return changed
        await asyncio.sleep(0.05)


async def test_an_offer_sent_again_after_a_crash_shows_once(world: Community) -> None:
    anna, jan = await joined_hub(world, "anna"), await joined_hub(world, "jan")
    await world.admin.say(
        world.hub, '!signup create title:"Superwizja" slots:"2026-02-20 10:00" capacity:1'
    )
    await world.admin.wait_for(lambda seen: "Superwizja" in seen.body)
    await anna.say(world.hub, "!signup join sheet:1 slot:1")
    await anna.wait_for(in_dm(anna, "Zapisano Cię"))
    await jan.say(world.hub, "!signup join sheet:1 slot:1")
    await jan.wait_for(in_dm(jan, "pozycji 1"))
    await anna.say(world.hub, "!signup leave sheet:1 slot:1")
    offer = await jan.wait_for(in_dm(jan, "Zwolniło się miejsce", "Superwizja"))

    for _ in range(2):  # ✅ and ❌ under it: the send is complete
        await jan.wait_for(of_type("m.reaction", room=offer.room_id))
    # As if the bot had died right after that send, before marking its letter sent.
    assert await marked_sending(world) == 1
    await world.restart()

    await jan.nothing_more(in_dm(jan, "Zwolniło się miejsce"), for_s=3)
    await jan.nothing_more(of_type("m.reaction", room=offer.room_id), for_s=1)  # nor ✅ ❌
    with contextlib.closing(sqlite3.connect(world.settings.database_path)) as db:
        assert db.execute("SELECT status FROM outbox").fetchall() == [("sent",)]
    # The one offer still works.
    await jan.react(offer.room_id, offer.event_id, "✅")
    await jan.wait_for(in_dm(jan, "Potwierdzone", "Superwizja"))
