"""/privacy and /audit on Discord: each calls the core command of the same path."""

from __future__ import annotations

from typing import Literal

import discord
from discord import app_commands
from discord.ext import commands

from cogs.interactions import run
from cogs.translator import desc, opt

_ADMIN = discord.Permissions(administrator=True)


class PrivacyCog(commands.Cog):
    privacy = app_commands.Group(name="privacy", description=desc("privacy"), guild_only=True)
    audit = app_commands.Group(
        name="audit", description=desc("audit"), guild_only=True, default_permissions=_ADMIN
    )

    def __init__(self, bot: commands.Bot) -> None:
        self.bot = bot

    @privacy.command(name="export", description=desc("privacy export"))
    async def export(self, interaction: discord.Interaction) -> None:
        await run(interaction, "privacy export")

    @privacy.command(name="forget", description=desc("privacy forget"))
    @app_commands.describe(confirm=opt("privacy forget", "confirm"))
    async def forget(
        self, interaction: discord.Interaction, confirm: Literal["yes"] | None = None
    ) -> None:
        await run(interaction, "privacy forget", confirm=confirm)

    @privacy.command(name="transcripts", description=desc("privacy transcripts"))
    @app_commands.describe(allowed=opt("privacy transcripts", "allowed"))
    async def transcripts(
        self, interaction: discord.Interaction, allowed: Literal["on", "off"]
    ) -> None:
        await run(interaction, "privacy transcripts", allowed=allowed)

    @audit.command(name="recent", description=desc("audit recent"))
    @app_commands.describe(limit=opt("audit recent", "limit"))
    async def recent(
        self, interaction: discord.Interaction, limit: app_commands.Range[int, 1, 50] | None = None
    ) -> None:
        await run(interaction, "audit recent", limit=limit)


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(PrivacyCog(bot))
