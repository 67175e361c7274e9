"""No stored rule can hang the bot, on the real PodajBot through the Discord API double: a
series every 0 weeks is refused at once (the double fails any answer later than 3 s) and
the next command is answered; a series saved with that rule by an older version is set
aside when the bot starts, its creator told by DM and the server's log channel told."""

from __future__ import annotations

from .discord_double.harness import Harness


async def test_interval_zero_is_refused_and_the_bot_goes_on_answering(dc: Harness) -> None:
    await dc.slash("admin", "setup server", forum="#announcements", log="#log")
    await dc.slash("admin", "role grant", user="ewa", role="moderator")
    refused = await dc.slash(
        "ewa",
        "event series create",
        title="Superwizja",
        kind="supervision",
        first="za 7 dni o 11",
        every="FREQ=WEEKLY;INTERVAL=0",
        duration="2h",
    )
    assert refused.ephemeral and "co 0 tygodni" in refused.text, refused.text
    assert "„FREQ=WEEKLY;INTERVAL=2”" in refused.text
    answered = await dc.slash("anna", "remind me", when="jutro o 18", what="herbata")
    assert answered.ephemeral and "herbata" in answered.text
    made = await dc.slash(
        "ewa",
        "event series create",
        title="Superwizja",
        kind="supervision",
        first="za 7 dni o 11",
        every="FREQ=WEEKLY",
        duration="2h",
    )
    assert made.text.startswith("Utworzono cykl #1 **Superwizja**"), made.text
    await dc.settle()
    assert len(dc.forum_posts("#announcements")) == 1

    # An older version saved the rule: the next start must neither hang nor stop.
    await dc.bot.app.db.execute(
        "UPDATE event_series SET rule = 'FREQ=WEEKLY;INTERVAL=0' WHERE id = 1"
    )
    await dc.restart()
    await dc.settle()
    [told] = dc.dms("ewa")
    assert told.content.startswith("Odłożyłem na bok cykl #1 **Superwizja**"), told.content
    assert any("odłożono na bok" in m.content for m in dc.messages("#log"))
    stopped = await dc.slash("ewa", "event series stop", series="1")
    assert "już zakończony" in stopped.text
    await dc.advance("14d")
    assert len(dc.forum_posts("#announcements")) == 1  # nothing more from it
