"""The real PodajBot on the double: logs in, syncs its commands, answers, delivers on time.

Kept deliberately loose about wording (other stories own the texts); it proves the `dc`
fixture drives the real bot end to end. Skipped until cogs/client.py exposes PodajBot.
"""

from __future__ import annotations

from .discord_double.harness import Harness


async def test_real_bot_answers_and_delivers_a_reminder(dc: Harness) -> None:
    commands = {c.name for c in dc.double.state.commands[dc.guild.id]}
    assert {"settings", "remind"} <= commands  # guild-synced to settings.dev_guild_id

    language = await dc.slash("anna", "settings language", language="en")
    assert language.ephemeral and language.text

    reminder = await dc.slash("anna", "remind me", when="jutro o 18", what="zebranie zarządu")
    assert reminder.ephemeral and "zebranie zarządu" in reminder.text

    await dc.advance("1d")
    assert dc.dms("anna") == []
    await dc.advance("1d")
    [delivered] = dc.dms("anna")
    assert "zebranie zarządu" in delivered.content

    done = next(
        b["custom_id"] for b in delivered.buttons if b["custom_id"].startswith("remind:done")
    )
    pressed = await dc.press("anna", delivered, done)  # a button in a DM: no guild, no member
    assert pressed.type in (4, 6, 7)


async def test_real_bot_button_works_after_a_hard_kill(dc_proc: Harness) -> None:
    await dc_proc.slash("jan", "remind me", when="za 10 min", what="oddzwonić")
    await dc_proc.advance("15m")
    [delivered] = dc_proc.dms("jan")

    await dc_proc.kill_and_restart()  # SIGKILL: no goodbye to the gateway, no clean close

    done = next(
        b["custom_id"] for b in delivered.buttons if b["custom_id"].startswith("remind:done")
    )
    pressed = await dc_proc.press("jan", delivered, done)
    assert pressed.type in (4, 6, 7)
    assert dc_proc.double.gateway.identify_count == 2
