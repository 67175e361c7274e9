"""/signup on Discord: each subcommand calls the core command of the same path.

The Join/Leave/Accept/Decline buttons need nothing here: they are CoreButtons whose custom
ids (`signup:join:42:1`) reach the core's button routes, also after a restart.
"""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from cogs.interactions import complete, run
from cogs.translator import desc, opts

SheetRef = app_commands.Range[str, 1, 120]
SlotNumber = app_commands.Range[int, 1, 12]
When = app_commands.Range[str, 1, 200]
Choices = list[app_commands.Choice[str]]


class SignupsCog(commands.Cog):
    signup = app_commands.Group(name="signup", description=desc("signup"), guild_only=True)

    def __init__(self, bot: commands.Bot) -> None:
        self.bot = bot

    async def _open_sheets(self, interaction: discord.Interaction, current: str) -> Choices:
        return await complete(interaction, "signup join", "sheet", current)

    async def _sheets(self, interaction: discord.Interaction, current: str) -> Choices:
        return await complete(interaction, "signup status", "sheet", current)

    @signup.command(name="create", description=desc("signup create"))
    @app_commands.describe(
        **opts(
            "signup create",
            "title",
            "slots",
            "capacity",
            "max_per_person",
            "opens",
            "closes",
            "approval",
            "waitlist",
        )
    )
    async def create(
        self,
        interaction: discord.Interaction,
        title: app_commands.Range[str, 1, 100],
        slots: app_commands.Range[str, 1, 1500],
        capacity: app_commands.Range[int, 1, 500],
        max_per_person: SlotNumber | None = None,
        opens: When | None = None,
        closes: When | None = None,
        approval: bool | None = None,
        waitlist: bool | None = None,
    ) -> None:
        await run(
            interaction,
            "signup create",
            title=title,
            slots=slots,
            capacity=capacity,
            max_per_person=max_per_person,
            opens=opens,
            closes=closes,
            approval=approval,
            waitlist=waitlist,
        )

    @signup.command(name="join", description=desc("signup join"))
    @app_commands.describe(**opts("signup join", "sheet", "slot"))
    @app_commands.autocomplete(sheet=_open_sheets)
    async def join(
        self, interaction: discord.Interaction, sheet: SheetRef, slot: SlotNumber
    ) -> None:
        await run(interaction, "signup join", sheet=sheet, slot=slot)

    @signup.command(name="leave", description=desc("signup leave"))
    @app_commands.describe(**opts("signup leave", "sheet", "slot"))
    @app_commands.autocomplete(sheet=_sheets)
    async def leave(
        self, interaction: discord.Interaction, sheet: SheetRef, slot: SlotNumber
    ) -> None:
        await run(interaction, "signup leave", sheet=sheet, slot=slot)

    @signup.command(name="status", description=desc("signup status"))
    @app_commands.describe(**opts("signup status", "sheet"))
    @app_commands.autocomplete(sheet=_sheets)
    async def status(self, interaction: discord.Interaction, sheet: SheetRef) -> None:
        await run(interaction, "signup status", sheet=sheet)

    @signup.command(name="accept", description=desc("signup accept"))
    @app_commands.describe(**opts("signup accept", "sheet", "slot"))
    @app_commands.autocomplete(sheet=_sheets)
    async def accept(
        self, interaction: discord.Interaction, sheet: SheetRef, slot: SlotNumber
    ) -> None:
        await run(interaction, "signup accept", sheet=sheet, slot=slot)

    @signup.command(name="decline", description=desc("signup decline"))
    @app_commands.describe(**opts("signup decline", "sheet", "slot"))
    @app_commands.autocomplete(sheet=_sheets)
    async def decline(
        self, interaction: discord.Interaction, sheet: SheetRef, slot: SlotNumber
    ) -> None:
        await run(interaction, "signup decline", sheet=sheet, slot=slot)

    @signup.command(name="close", description=desc("signup close"))
    @app_commands.describe(**opts("signup close", "sheet"))
    @app_commands.autocomplete(sheet=_sheets)
    async def close(self, interaction: discord.Interaction, sheet: SheetRef) -> None:
        await run(interaction, "signup close", sheet=sheet)

    @signup.command(name="reopen", description=desc("signup reopen"))
    @app_commands.describe(**opts("signup reopen", "sheet"))
    @app_commands.autocomplete(sheet=_sheets)
    async def reopen(self, interaction: discord.Interaction, sheet: SheetRef) -> None:
        await run(interaction, "signup reopen", sheet=sheet)

    @signup.command(name="add", description=desc("signup add"))
    @app_commands.describe(**opts("signup add", "sheet", "slot", "user"))
    @app_commands.autocomplete(sheet=_sheets)
    async def add(
        self,
        interaction: discord.Interaction,
        sheet: SheetRef,
        slot: SlotNumber,
        user: discord.Member,
    ) -> None:
        await run(interaction, "signup add", sheet=sheet, slot=slot, user=user)

    @signup.command(name="remove", description=desc("signup remove"))
    @app_commands.describe(**opts("signup remove", "sheet", "slot", "user"))
    @app_commands.autocomplete(sheet=_sheets)
    async def remove(
        self,
        interaction: discord.Interaction,
        sheet: SheetRef,
        slot: SlotNumber,
        user: discord.Member,
    ) -> None:
        await run(interaction, "signup remove", sheet=sheet, slot=slot, user=user)

    @signup.command(name="move", description=desc("signup move"))
    @app_commands.describe(**opts("signup move", "sheet", "user", "from_slot", "to_slot"))
    @app_commands.autocomplete(sheet=_sheets)
    async def move(
        self,
        interaction: discord.Interaction,
        sheet: SheetRef,
        user: discord.Member,
        from_slot: SlotNumber,
        to_slot: SlotNumber,
    ) -> None:
        await run(
            interaction,
            "signup move",
            sheet=sheet,
            user=user,
            from_slot=from_slot,
            to_slot=to_slot,
        )

    @signup.command(name="export", description=desc("signup export"))
    @app_commands.describe(**opts("signup export", "sheet"))
    @app_commands.autocomplete(sheet=_sheets)
    async def export(self, interaction: discord.Interaction, sheet: SheetRef) -> None:
        await run(interaction, "signup export", sheet=sheet)

    @signup.command(name="delete", description=desc("signup delete"))
    @app_commands.describe(**opts("signup delete", "sheet"))
    @app_commands.autocomplete(sheet=_sheets)
    async def delete(self, interaction: discord.Interaction, sheet: SheetRef) -> None:
        await run(interaction, "signup delete", sheet=sheet)


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(SignupsCog(bot))
