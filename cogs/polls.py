"""/poll on Discord: each subcommand calls the core command of the same path.

Quick polls are posted as Discord's native polls (cogs.render turns the reply's PollSpec
into a discord.Poll); date polls use CoreButtons (`poll:date:7:2`), also after a restart.
"""

from __future__ import annotations

from typing import Literal

import discord
from discord import app_commands
from discord.ext import commands

from cogs.interactions import complete, run
from cogs.translator import desc, opts

Question = app_commands.Range[str, 1, 300]
Options = app_commands.Range[str, 1, 1000]
PollRef = app_commands.Range[str, 1, 300]
Choices = list[app_commands.Choice[str]]


class PollsCog(commands.Cog):
    poll = app_commands.Group(name="poll", description=desc("poll"), guild_only=True)

    def __init__(self, bot: commands.Bot) -> None:
        self.bot = bot

    async def _open_polls(self, interaction: discord.Interaction, current: str) -> Choices:
        return await complete(interaction, "poll vote", "poll", current)

    @poll.command(name="dates", description=desc("poll dates"))
    @app_commands.describe(**opts("poll dates", "question", "options", "closes"))
    async def dates(
        self,
        interaction: discord.Interaction,
        question: Question,
        options: Options,
        closes: app_commands.Range[str, 1, 200] | None = None,
    ) -> None:
        await run(interaction, "poll dates", question=question, options=options, closes=closes)

    @poll.command(name="quick", description=desc("poll quick"))
    @app_commands.describe(**opts("poll quick", "question", "options", "hours"))
    async def quick(
        self,
        interaction: discord.Interaction,
        question: Question,
        options: Options,
        hours: app_commands.Range[int, 1, 768] | None = None,
    ) -> None:
        await run(interaction, "poll quick", question=question, options=options, hours=hours)

    @poll.command(name="vote", description=desc("poll vote"))
    @app_commands.describe(**opts("poll vote", "poll", "option", "answer"))
    @app_commands.autocomplete(poll=_open_polls)
    async def vote(
        self,
        interaction: discord.Interaction,
        poll: PollRef,
        option: app_commands.Range[int, 1, 10],
        answer: Literal["yes", "maybe", "no"] | None = None,
    ) -> None:
        await run(interaction, "poll vote", poll=poll, option=option, answer=answer)

    @poll.command(name="close", description=desc("poll close"))
    @app_commands.describe(**opts("poll close", "poll"))
    @app_commands.autocomplete(poll=_open_polls)
    async def close(self, interaction: discord.Interaction, poll: PollRef) -> None:
        await run(interaction, "poll close", poll=poll)


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(PollsCog(bot))
