"""/help, /settings, /role and /setup on Discord: each calls the core command of the same path."""

from __future__ import annotations

from typing import Literal

import discord
from discord import app_commands
from discord.ext import commands

from cogs.interactions import complete, run
from cogs.translator import desc, opt

Language = Literal["pl", "en", "nl", "bg"]
GrantableRole = Literal["initiator", "moderator", "admin"]
_ADMIN = discord.Permissions(administrator=True)


class CommunityCog(commands.Cog):
    settings = app_commands.Group(name="settings", description=desc("settings"), guild_only=True)
    role = app_commands.Group(
        name="role", description=desc("role"), guild_only=True, default_permissions=_ADMIN
    )
    setup = app_commands.Group(
        name="setup", description=desc("setup"), guild_only=True, default_permissions=_ADMIN
    )

    def __init__(self, bot: commands.Bot) -> None:
        self.bot = bot

    @app_commands.command(name="help", description=desc("help"))
    @app_commands.describe(command=opt("help", "command"))
    @app_commands.guild_only()
    async def help(
        self,
        interaction: discord.Interaction,
        command: app_commands.Range[str, 1, 32] | None = None,
    ) -> None:
        await run(interaction, "help", command=command)

    @help.autocomplete("command")
    async def _help_topics(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return await complete(interaction, "help", "command", current)

    # -- /settings -------------------------------------------------------------------

    @settings.command(name="show", description=desc("settings show"))
    async def settings_show(self, interaction: discord.Interaction) -> None:
        await run(interaction, "settings show")

    @settings.command(name="language", description=desc("settings language"))
    @app_commands.describe(language=opt("settings language", "language"))
    async def settings_language(self, interaction: discord.Interaction, language: Language) -> None:
        await run(interaction, "settings language", language=language)

    @settings.command(name="timezone", description=desc("settings timezone"))
    @app_commands.describe(timezone=opt("settings timezone", "timezone"))
    async def settings_timezone(self, interaction: discord.Interaction, timezone: str) -> None:
        await run(interaction, "settings timezone", timezone=timezone)

    @settings_timezone.autocomplete("timezone")
    async def _settings_zones(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return await complete(interaction, "settings timezone", "timezone", current)

    # -- /role -----------------------------------------------------------------------

    @role.command(name="grant", description=desc("role grant"))
    @app_commands.describe(user=opt("role grant", "user"), role=opt("role grant", "role"))
    async def role_grant(
        self, interaction: discord.Interaction, user: discord.Member, role: GrantableRole
    ) -> None:
        await run(interaction, "role grant", user=user, role=role)

    @role.command(name="revoke", description=desc("role revoke"))
    @app_commands.describe(user=opt("role revoke", "user"), role=opt("role revoke", "role"))
    async def role_revoke(
        self, interaction: discord.Interaction, user: discord.Member, role: GrantableRole
    ) -> None:
        await run(interaction, "role revoke", user=user, role=role)

    @role.command(name="list", description=desc("role list"))
    async def role_list(self, interaction: discord.Interaction) -> None:
        await run(interaction, "role list")

    # -- /setup ----------------------------------------------------------------------

    @setup.command(name="server", description=desc("setup server"))
    @app_commands.describe(
        forum=opt("setup server", "forum"),
        log=opt("setup server", "log"),
        language=opt("setup server", "language"),
        timezone=opt("setup server", "timezone"),
    )
    async def setup_server(
        self,
        interaction: discord.Interaction,
        forum: discord.ForumChannel | None = None,
        log: discord.TextChannel | None = None,
        language: Language | None = None,
        timezone: str | None = None,
    ) -> None:
        await run(
            interaction, "setup server", forum=forum, log=log, language=language, timezone=timezone
        )

    @setup_server.autocomplete("timezone")
    async def _setup_zones(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return await complete(interaction, "setup server", "timezone", current)

    @setup.command(name="role", description=desc("setup role"))
    @app_commands.describe(
        role=opt("setup role", "role"), guild_role=opt("setup role", "guild_role")
    )
    async def setup_role(
        self, interaction: discord.Interaction, role: GrantableRole, guild_role: discord.Role
    ) -> None:
        await run(interaction, "setup role", role=role, guild_role=guild_role)


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(CommunityCog(bot))
