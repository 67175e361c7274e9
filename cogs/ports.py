"""The core's Messenger and Members ports, carried out through discord.py."""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

import discord

from bot.ports import DeliveryFailed, GroupSpace, MessageRef
from bot.refs import native_id, platform_id
from bot.replies import Reply
from cogs.render import message_parts

if TYPE_CHECKING:
    from cogs.client import PodajBot

# Discord's "Cannot send messages to this user": DMs closed or no shared server.
_CANNOT_DM = 50007


class DiscordMessenger:
    def __init__(self, bot: PodajBot) -> None:
        self._bot = bot

    async def send_dm(self, user_id: str, reply: Reply) -> MessageRef:
        try:
            user = self._bot.get_user(int(native_id(user_id))) or await self._bot.fetch_user(
                int(native_id(user_id))
            )
            message = await _send_all(user, reply)
        except discord.Forbidden as exc:
            raise DeliveryFailed(str(exc), permanent=exc.code == _CANNOT_DM) from exc
        except discord.HTTPException as exc:
            raise DeliveryFailed(str(exc), permanent=exc.status == 404) from exc
        return MessageRef(platform_id("discord", message.channel.id), str(message.id))

    async def send_channel(self, channel_id: str, reply: Reply) -> MessageRef:
        snowflake = int(native_id(channel_id))
        try:
            channel = self._bot.get_channel(snowflake) or await self._bot.fetch_channel(snowflake)
            if not isinstance(channel, discord.abc.Messageable):
                raise DeliveryFailed(f"channel {snowflake} cannot hold messages", permanent=True)
            message = await _send_all(channel, reply)
        except discord.HTTPException as exc:
            raise DeliveryFailed(str(exc), permanent=exc.status in (403, 404)) from exc
        return MessageRef(channel_id, str(message.id))

    async def edit_message(self, channel_id: str, message_id: str, reply: Reply) -> None:
        """Edit without fetching: a partial message in a partial messageable is enough."""
        channel = self._bot.get_partial_messageable(int(native_id(channel_id)))
        message = channel.get_partial_message(int(message_id))
        parts = message_parts(reply)
        first, last = parts[0], parts[-1]
        try:
            await message.edit(
                content=first.get("content", ""),
                embeds=last.get("embeds", []),
                view=last.get("view"),
                allowed_mentions=first["allowed_mentions"],
            )
        except discord.HTTPException as exc:
            raise DeliveryFailed(str(exc), permanent=exc.status in (403, 404)) from exc

    def mention(self, user_id: str) -> str:
        return f"<@{native_id(user_id)}>"


class DiscordMembers:
    def __init__(self, bot: PodajBot) -> None:
        self._bot = bot

    async def add_role(self, guild_id: str, user_id: str, role_id: str) -> None:
        member = await self._member(guild_id, user_id)
        try:
            await member.add_roles(discord.Object(int(native_id(role_id))))
        except discord.HTTPException as exc:
            raise DeliveryFailed(str(exc), permanent=exc.status in (403, 404)) from exc

    async def remove_role(self, guild_id: str, user_id: str, role_id: str) -> None:
        member = await self._member(guild_id, user_id)
        try:
            await member.remove_roles(discord.Object(int(native_id(role_id))))
        except discord.HTTPException as exc:
            raise DeliveryFailed(str(exc), permanent=exc.status in (403, 404)) from exc

    async def _member(self, guild_id: str, user_id: str) -> discord.Member:
        guild = self._bot.get_guild(int(native_id(guild_id)))
        if guild is None:
            raise DeliveryFailed(f"not in guild {guild_id}", permanent=True)
        snowflake = int(native_id(user_id))
        try:
            return guild.get_member(snowflake) or await guild.fetch_member(snowflake)
        except discord.HTTPException as exc:
            raise DeliveryFailed(str(exc), permanent=exc.status == 404) from exc


class DiscordGuildAdmin:
    def __init__(self, bot: PodajBot) -> None:
        self._bot = bot

    async def create_group_space(
        self, guild_id: str, *, name: str, channel_name: str, category: str, managers: list[str]
    ) -> GroupSpace:
        guild = self._guild(guild_id)
        reason = f"Podaj dalej: group {name}"
        try:
            role = await guild.create_role(name=name[:100], mentionable=False, reason=reason)
        except discord.HTTPException as exc:
            raise DeliveryFailed(str(exc), permanent=exc.status == 403) from exc
        try:
            channel = await self._private_channel(guild, role, channel_name, category, managers)
        except discord.HTTPException as exc:
            # No role without its channel: the group is made whole or not at all.
            with contextlib.suppress(discord.HTTPException):
                await role.delete(reason=reason)
            raise DeliveryFailed(str(exc), permanent=exc.status == 403) from exc
        return GroupSpace(
            platform_id("discord", role.id),
            role.name,
            platform_id("discord", channel.id),
            channel.name,
        )

    async def _private_channel(
        self,
        guild: discord.Guild,
        role: discord.Role,
        name: str,
        category_name: str,
        managers: list[str],
    ) -> discord.TextChannel:
        category = discord.utils.get(guild.categories, name=category_name)
        if category is None:
            category = await guild.create_category(category_name)
        overwrites: dict[
            discord.Role | discord.Member | discord.Object, discord.PermissionOverwrite
        ] = {
            guild.default_role: discord.PermissionOverwrite(view_channel=False),
            role: discord.PermissionOverwrite(view_channel=True, send_messages=True),
            guild.me: discord.PermissionOverwrite(
                view_channel=True, send_messages=True, manage_messages=True
            ),
        }
        for user_id in managers:
            member = discord.Object(int(native_id(user_id)), type=discord.Member)
            overwrites[member] = discord.PermissionOverwrite(
                view_channel=True, manage_messages=True
            )
        return await guild.create_text_channel(name, category=category, overwrites=overwrites)

    async def set_channel_manager(
        self, guild_id: str, channel_id: str, user_id: str, *, allowed: bool
    ) -> None:
        channel = await self._channel(channel_id)
        try:
            # set_permissions wants a real Member (an Object is enough only at creation).
            member = await _member(channel.guild, user_id)
            if allowed:
                await channel.set_permissions(member, view_channel=True, manage_messages=True)
            else:
                await channel.set_permissions(member, overwrite=None)
        except discord.HTTPException as exc:
            raise DeliveryFailed(str(exc), permanent=exc.status in (403, 404)) from exc

    async def archive_channel(self, guild_id: str, channel_id: str, role_id: str | None) -> None:
        channel = await self._channel(channel_id)
        role = channel.guild.get_role(int(native_id(role_id))) if role_id else None
        try:
            if role is not None:
                await channel.set_permissions(role, view_channel=True, send_messages=False)
        except discord.HTTPException as exc:
            raise DeliveryFailed(str(exc), permanent=exc.status in (403, 404)) from exc

    def _guild(self, guild_id: str) -> discord.Guild:
        guild = self._bot.get_guild(int(native_id(guild_id)))
        if guild is None:
            raise DeliveryFailed(f"not in guild {guild_id}", permanent=True)
        return guild

    async def _channel(self, channel_id: str) -> discord.abc.GuildChannel:
        snowflake = int(native_id(channel_id))
        try:
            channel = self._bot.get_channel(snowflake) or await self._bot.fetch_channel(snowflake)
        except discord.HTTPException as exc:
            raise DeliveryFailed(str(exc), permanent=exc.status in (403, 404)) from exc
        if not isinstance(channel, discord.abc.GuildChannel):
            raise DeliveryFailed(f"{channel_id} is not a guild channel", permanent=True)
        return channel


async def _member(guild: discord.Guild, user_id: str) -> discord.Member:
    snowflake = int(native_id(user_id))
    return guild.get_member(snowflake) or await guild.fetch_member(snowflake)


async def _send_all(target: discord.abc.Messageable, reply: Reply) -> discord.Message:
    """Send every part of a reply; the last message is the one that carries buttons."""
    message = None
    for part in message_parts(reply):
        message = await target.send(**part)
    assert message is not None  # message_parts always yields at least one part
    return message
