"""/program on Discord: each subcommand calls the core command of the same path."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from cogs.interactions import complete, run
from cogs.translator import desc, opts

if TYPE_CHECKING:
    from cogs.client import PodajBot

ProgramRef = app_commands.Range[str, 1, 120]
When = app_commands.Range[str, 1, 200]
Choices = list[app_commands.Choice[str]]


class LearningCog(commands.Cog):
    program = app_commands.Group(name="program", description=desc("program"), guild_only=True)
    session = app_commands.Group(
        name="session", description=desc("program session"), parent=program
    )

    def __init__(self, bot: commands.Bot) -> None:
        self.bot = bot

    async def _programs(self, interaction: discord.Interaction, current: str) -> Choices:
        return await complete(interaction, "program info", "program", current)

    @program.command(name="create", description=desc("program create"))
    @app_commands.describe(
        **opts(
            "program create",
            "name",
            "themes",
            "starts",
            "ends",
            "capacity",
            "registration_opens",
            "registration_closes",
            "checkin_weeks",
            "threshold",
        )
    )
    async def create(
        self,
        interaction: discord.Interaction,
        name: app_commands.Range[str, 1, 100],
        themes: app_commands.Range[str, 1, 1000],
        starts: When,
        ends: When,
        capacity: app_commands.Range[int, 1, 500] | None = None,
        registration_opens: When | None = None,
        registration_closes: When | None = None,
        checkin_weeks: app_commands.Range[int, 1, 26] | None = None,
        threshold: app_commands.Range[int, 1, 100] | None = None,
    ) -> None:
        await run(
            interaction,
            "program create",
            name=name,
            themes=themes,
            starts=starts,
            ends=ends,
            capacity=capacity,
            registration_opens=registration_opens,
            registration_closes=registration_closes,
            checkin_weeks=checkin_weeks,
            threshold=threshold,
        )

    @session.command(name="add", description=desc("program session add"))
    @app_commands.describe(
        **opts("program session add", "program", "theme", "when", "duration", "place")
    )
    @app_commands.autocomplete(program=_programs)
    async def session_add(
        self,
        interaction: discord.Interaction,
        program: ProgramRef,
        theme: app_commands.Range[str, 1, 80],
        when: When,
        duration: app_commands.Range[str, 1, 32],
        place: app_commands.Range[str, 1, 100] | None = None,
    ) -> None:
        await run(
            interaction,
            "program session add",
            program=program,
            theme=theme,
            when=when,
            duration=duration,
            place=place,
        )

    @program.command(name="join", description=desc("program join"))
    @app_commands.describe(**opts("program join", "program"))
    @app_commands.autocomplete(program=_programs)
    async def join(self, interaction: discord.Interaction, program: ProgramRef) -> None:
        await run(interaction, "program join", program=program)

    @program.command(name="leave", description=desc("program leave"))
    @app_commands.describe(**opts("program leave", "program"))
    @app_commands.autocomplete(program=_programs)
    async def leave(self, interaction: discord.Interaction, program: ProgramRef) -> None:
        await run(interaction, "program leave", program=program)

    @program.command(name="info", description=desc("program info"))
    @app_commands.describe(**opts("program info", "program"))
    @app_commands.autocomplete(program=_programs)
    async def info(self, interaction: discord.Interaction, program: ProgramRef) -> None:
        await run(interaction, "program info", program=program)

    @program.command(name="list", description=desc("program list"))
    async def list_(self, interaction: discord.Interaction) -> None:
        await run(interaction, "program list")

    @program.command(name="sessions", description=desc("program sessions"))
    @app_commands.describe(**opts("program sessions", "program"))
    @app_commands.autocomplete(program=_programs)
    async def sessions(self, interaction: discord.Interaction, program: ProgramRef) -> None:
        await run(interaction, "program sessions", program=program)

    @program.command(name="attendance", description=desc("program attendance"))
    @app_commands.describe(**opts("program attendance", "session", "users"))
    async def attendance(
        self,
        interaction: discord.Interaction,
        session: app_commands.Range[str, 1, 120],
        users: app_commands.Range[str, 1, 1000],
    ) -> None:
        await run(interaction, "program attendance", session=session, users=users)

    @program.command(name="certificates", description=desc("program certificates"))
    @app_commands.describe(**opts("program certificates", "program", "again"))
    @app_commands.autocomplete(program=_programs)
    async def certificates(
        self, interaction: discord.Interaction, program: ProgramRef, again: bool | None = None
    ) -> None:
        await run(interaction, "program certificates", program=program, again=again)

    @program.command(name="overview", description=desc("program overview"))
    @app_commands.describe(**opts("program overview", "program"))
    @app_commands.autocomplete(program=_programs)
    async def overview(self, interaction: discord.Interaction, program: ProgramRef) -> None:
        await run(interaction, "program overview", program=program)

    @program.command(name="record", description=desc("program record"))
    @app_commands.describe(**opts("program record", "user"))
    async def record(
        self, interaction: discord.Interaction, user: discord.Member | None = None
    ) -> None:
        await run(interaction, "program record", user=user)


class LearningLineCog(commands.Cog):
    learning = app_commands.Group(name="learning", description=desc("learning"), guild_only=True)
    goals = app_commands.Group(name="goals", description=desc("learning goals"), parent=learning)

    def __init__(self, bot: commands.Bot) -> None:
        self.bot = bot

    @goals.command(name="set", description=desc("learning goals set"))
    @app_commands.describe(**opts("learning goals set", "goals"))
    async def goals_set(
        self, interaction: discord.Interaction, goals: app_commands.Range[str, 1, 1000]
    ) -> None:
        await run(interaction, "learning goals set", goals=goals)

    @learning.command(name="log", description=desc("learning log"))
    @app_commands.describe(**opts("learning log", "goal", "text"))
    async def log(
        self,
        interaction: discord.Interaction,
        goal: app_commands.Range[str, 1, 200],
        text: app_commands.Range[str, 1, 1500],
    ) -> None:
        await run(interaction, "learning log", goal=goal, text=text)

    @learning.command(name="line", description=desc("learning line"))
    @app_commands.describe(**opts("learning line", "user"))
    async def line(
        self, interaction: discord.Interaction, user: discord.Member | None = None
    ) -> None:
        await run(interaction, "learning line", user=user)

    @learning.command(name="case", description=desc("learning case"))
    @app_commands.describe(**opts("learning case", "title", "text", "theme"))
    async def case(
        self,
        interaction: discord.Interaction,
        title: app_commands.Range[str, 1, 100],
        text: app_commands.Range[str, 1, 1500],
        theme: app_commands.Range[str, 1, 80] | None = None,
    ) -> None:
        await run(interaction, "learning case", title=title, text=text, theme=theme)

    @learning.command(name="share", description=desc("learning share"))
    @app_commands.describe(**opts("learning share", "coach"))
    async def share(self, interaction: discord.Interaction, coach: discord.Member) -> None:
        await run(interaction, "learning share", coach=coach)


async def setup(bot: PodajBot) -> None:
    await bot.add_cog(LearningCog(bot))
    await bot.add_cog(LearningLineCog(bot))
