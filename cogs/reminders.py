"""/remind on Discord: each subcommand calls the core command of the same path."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from cogs.interactions import run
from cogs.translator import desc, opt

ReminderId = app_commands.Range[int, 1]
When = app_commands.Range[str, 1, 200]
What = app_commands.Range[str, 1, 1000]
Every = app_commands.Range[str, 1, 100]


class RemindersCog(commands.Cog):
    remind = app_commands.Group(name="remind", description=desc("remind"), guild_only=True)

    def __init__(self, bot: commands.Bot) -> None:
        self.bot = bot

    @remind.command(name="me", description=desc("remind me"))
    @app_commands.describe(
        when=opt("remind me", "when"),
        what=opt("remind me", "what"),
        every=opt("remind me", "every"),
    )
    async def me(
        self, interaction: discord.Interaction, when: When, what: What, every: Every | None = None
    ) -> None:
        await run(interaction, "remind me", when=when, what=what, every=every)

    @remind.command(name="channel", description=desc("remind channel"))
    @app_commands.describe(
        when=opt("remind channel", "when"),
        what=opt("remind channel", "what"),
        every=opt("remind channel", "every"),
    )
    async def channel(
        self, interaction: discord.Interaction, when: When, what: What, every: Every | None = None
    ) -> None:
        await run(interaction, "remind channel", when=when, what=what, every=every)

    @remind.command(name="list", description=desc("remind list"))
    @app_commands.describe(channel=opt("remind list", "channel"))
    async def list_(
        self, interaction: discord.Interaction, channel: discord.TextChannel | None = None
    ) -> None:
        await run(interaction, "remind list", channel=channel)

    @remind.command(name="cancel", description=desc("remind cancel"))
    @app_commands.describe(id=opt("remind cancel", "id"))
    async def cancel(self, interaction: discord.Interaction, id: ReminderId) -> None:
        await run(interaction, "remind cancel", id=id)

    @remind.command(name="edit", description=desc("remind edit"))
    @app_commands.describe(
        id=opt("remind edit", "id"),
        when=opt("remind edit", "when"),
        what=opt("remind edit", "what"),
        every=opt("remind edit", "every"),
    )
    async def edit(
        self,
        interaction: discord.Interaction,
        id: ReminderId,
        when: When | None = None,
        what: What | None = None,
        every: Every | None = None,
    ) -> None:
        await run(interaction, "remind edit", id=id, when=when, what=what, every=every)

    @remind.command(name="snooze", description=desc("remind snooze"))
    @app_commands.describe(id=opt("remind snooze", "id"), by=opt("remind snooze", "by"))
    async def snooze(
        self,
        interaction: discord.Interaction,
        id: ReminderId,
        by: When | None = None,
    ) -> None:
        await run(interaction, "remind snooze", id=id, by=by)


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(RemindersCog(bot))
