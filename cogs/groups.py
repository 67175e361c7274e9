"""Noticing on Discord when a group's channel or role is deleted (the /group commands come
from the core, see cogs.tree)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord.ext import commands

from bot.refs import platform_id

if TYPE_CHECKING:
    from cogs.client import PodajBot


class GroupWatch(commands.Cog):
    def __init__(self, bot: PodajBot) -> None:
        self.bot = bot

    @commands.Cog.listener()
    async def on_guild_channel_delete(self, channel: discord.abc.GuildChannel) -> None:
        await self.bot.app.groups.management.platform_gone(
            channel_id=platform_id("discord", channel.id)
        )

    @commands.Cog.listener()
    async def on_guild_role_delete(self, role: discord.Role) -> None:
        await self.bot.app.groups.management.platform_gone(role_id=platform_id("discord", role.id))


async def setup(bot: PodajBot) -> None:
    await bot.add_cog(GroupWatch(bot))
