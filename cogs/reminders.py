"""/remind on Discord: each subcommand calls the core command of the same path."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from cogs.interactions import run
from cogs.translator import english

ReminderId = app_commands.Range[int, 1]
When = app_commands.Range[str, 1, 200]
What = app_commands.Range[str, 1, 1000]
Every = app_commands.Range[str, 1, 100]


def _desc(path: str) -> str:
    return english("cmd." + path.replace(" ", ".") + ".desc")


def _opt(path: str, option: str) -> str:
    return english("cmd." + path.replace(" ", ".") + f".opt.{option}")


class RemindersCog(commands.Cog):
    remind = app_commands.Group(name="remind", description=_desc("remind"), guild_only=True)

    def __init__(self, bot: commands.Bot) -> None:
        self.bot = bot

    @remind.command(name="me", description=_desc("remind me"))
    @app_commands.describe(
        when=_opt("remind me", "when"),
        what=_opt("remind me", "what"),
        every=_opt("remind me", "every"),
    )
    async def me(
        self, interaction: discord.Interaction, when: When, what: What, every: Every | None = None
    ) -> None:
        await run(interaction, "remind me", when=when, what=what, every=every)

    @remind.command(name="channel", description=_desc("remind channel"))
    @app_commands.describe(
        when=_opt("remind channel", "when"),
        what=_opt("remind channel", "what"),
        every=_opt("remind channel", "every"),
    )
    async def channel(
        self, interaction: discord.Interaction, when: When, what: What, every: Every | None = None
    ) -> None:
        await run(interaction, "remind channel", when=when, what=what, every=every)

    @remind.command(name="list", description=_desc("remind list"))
    async def list_(self, interaction: discord.Interaction) -> None:
        await run(interaction, "remind list")

    @remind.command(name="cancel", description=_desc("remind cancel"))
    @app_commands.describe(id=_opt("remind cancel", "id"))
    async def cancel(self, interaction: discord.Interaction, id: ReminderId) -> None:
        await run(interaction, "remind cancel", id=id)

    @remind.command(name="edit", description=_desc("remind edit"))
    @app_commands.describe(
        id=_opt("remind edit", "id"),
        when=_opt("remind edit", "when"),
        what=_opt("remind edit", "what"),
        every=_opt("remind edit", "every"),
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

    @remind.command(name="snooze", description=_desc("remind snooze"))
    @app_commands.describe(id=_opt("remind snooze", "id"), by=_opt("remind snooze", "by"))
    async def snooze(
        self,
        interaction: discord.Interaction,
        id: ReminderId,
        by: When | None = None,
    ) -> None:
        await run(interaction, "remind snooze", id=id, by=by)


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(RemindersCog(bot))
