"""Privacy and audit stories on the real PodajBot through the Discord API double."""

from __future__ import annotations

import json

from .discord_double.harness import Harness


async def test_export_arrives_by_dm_and_forget_asks_first(dc: Harness) -> None:
    await dc.slash("anna", "profile set", library="MBP Łazy", town="Łazy")
    await dc.slash("anna", "remind me", when="jutro o 18", what="forum")
    sent = await dc.slash("anna", "privacy export")
    assert sent.ephemeral and sent.text.startswith("Wysłałem Ci prywatną wiadomość")
    [dm] = [m for m in dc.dms("anna") if m.attachments]
    document = json.loads(dm.attachments[0].data)
    assert document["data"]["profiles"][0]["library"] == "MBP Łazy"
    ask = await dc.slash("anna", "privacy forget")
    assert "Tego nie da się cofnąć" in ask.text
    done = await dc.press("anna", ask.message, "Tak, zapomnij mnie")
    assert done.text.startswith("Gotowe. Usunąłem:") and "przypomnienia (1)" in done.text
    await dc.advance("2d")
    assert [m for m in dc.dms("anna") if "forum" in m.content] == []  # the reminder is gone


async def test_export_comes_here_when_dms_are_closed(dc: Harness) -> None:
    dc.close_dms("jan")
    reply = await dc.slash("jan", "privacy export")
    assert reply.ephemeral and reply.text.startswith("Nie mogę wysłać Ci prywatnej wiadomości")
    assert reply.files and reply.files[0].filename == "podaj-dalej-my-data.json"


async def test_moderator_actions_reach_the_log_channel_and_the_audit_list(dc: Harness) -> None:
    await dc.slash("admin", "setup server", log="#log")
    await dc.slash("admin", "role grant", user="jan", role="moderator")
    posted = dc.messages("#log")[-1]
    assert posted.content == "🛡️ Admin: /role grant user:@Jan role:moderator"
    recent = await dc.slash("admin", "audit recent")
    assert recent.ephemeral and "/role grant user:@Jan role:moderator" in recent.text
