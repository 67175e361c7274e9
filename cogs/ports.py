"""The core's Messenger, Members, GuildAdmin and Announcer ports, through discord.py."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING

import discord

from bot.ports import Access, DeliveryFailed, GroupSpace, MessageRef, ScheduledEventSpec
from bot.refs import is_former, native_id, platform_id
from bot.replies import Reply
from cogs.render import message_parts

if TYPE_CHECKING:
    from cogs.client import PodajBot

log = logging.getLogger(__name__)

# Discord's "Cannot send messages to this user": DMs closed or no shared server.
_CANNOT_DM = 50007


class DiscordMessenger:
    def __init__(self, bot: PodajBot) -> None:
        self._bot = bot

    async def send_dm(self, user_id: str, reply: Reply) -> MessageRef:
        if is_former(user_id):
            raise DeliveryFailed("a forgotten member has no inbox", permanent=True)
        try:
            # Opening the DM needs only the id: no user lookup first (one request fewer per
            # person under Discord's global rate limit); discord.py caches the channel.
            channel = await self._bot.create_dm(discord.Object(int(native_id(user_id))))
            message = await _send_all(channel, reply)
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

    async def add_role(self, guild_id: str, user_id: str, role_id: str) -> Access:
        member = await self._member(guild_id, user_id)
        try:
            await member.add_roles(discord.Object(int(native_id(role_id))))
        except discord.HTTPException as exc:
            raise DeliveryFailed(str(exc), permanent=exc.status in (403, 404)) from exc
        return Access.GIVEN

    async def remove_role(
        self, guild_id: str, user_id: str, role_id: str, *, reason: str = ""
    ) -> None:
        member = await self._member(guild_id, user_id)
        try:
            await member.remove_roles(
                discord.Object(int(native_id(role_id))), reason=reason or None
            )
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
        self,
        guild_id: str,
        *,
        name: str,
        channel_name: str,
        category: str,
        managers: list[str],
        keep: GroupSpace | None = None,
    ) -> GroupSpace:
        guild = self._guild(guild_id)
        reason = f"Podaj dalej: group {name}"
        kept_role = keep.role_id if keep is not None else ""
        kept_channel = keep.channel_id if keep is not None else ""
        try:
            if kept_role:
                role = await guild.fetch_role(int(native_id(kept_role)))
            else:
                role = await guild.create_role(name=name[:100], mentionable=False, reason=reason)
        except discord.HTTPException as exc:
            raise DeliveryFailed(str(exc), permanent=exc.status in (403, 404)) from exc
        try:
            if kept_channel:
                # The channel stays, with its history: the new role is let in.
                channel = await self._channel(kept_channel)
                await channel.set_permissions(role, view_channel=True, send_messages=True)
            else:
                channel = await self._private_channel(guild, role, channel_name, category, managers)
        except (discord.HTTPException, DeliveryFailed) as exc:
            # No new role without its channel: the group is made whole or not at all.
            if not kept_role:
                with contextlib.suppress(discord.HTTPException):
                    await role.delete(reason=reason)
            if isinstance(exc, DeliveryFailed):
                raise
            raise DeliveryFailed(str(exc), permanent=exc.status in (403, 404)) from exc
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

    async def channel_exists(self, guild_id: str, channel_id: str) -> bool:
        try:
            await self._bot.fetch_channel(int(native_id(channel_id)))
        except discord.NotFound:
            return False
        except discord.HTTPException as exc:
            raise DeliveryFailed(str(exc), permanent=exc.status == 403) from exc
        return True

    async def role_exists(self, guild_id: str, role_id: str) -> bool:
        try:
            await self._guild(guild_id).fetch_role(int(native_id(role_id)))
        except discord.NotFound:
            return False
        except discord.HTTPException as exc:
            raise DeliveryFailed(str(exc), permanent=exc.status == 403) from exc
        return True

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

    async def create_thread(
        self, guild_id: str, channel_id: str, name: str, first: Reply
    ) -> MessageRef:
        channel = await self._channel(channel_id)
        if not isinstance(channel, discord.TextChannel):
            raise DeliveryFailed(f"{channel_id} cannot hold threads", permanent=True)
        try:
            thread = await channel.create_thread(
                name=name[:100], type=discord.ChannelType.public_thread, auto_archive_duration=1440
            )
            message = await _send_all(thread, first)
        except discord.HTTPException as exc:
            raise DeliveryFailed(str(exc), permanent=exc.status in (403, 404)) from exc
        return MessageRef(platform_id("discord", thread.id), str(message.id))

    async def set_slowmode(self, guild_id: str, channel_id: str, seconds: int) -> int:
        snowflake = int(native_id(channel_id))
        try:
            channel = self._bot.get_channel(snowflake) or await self._bot.fetch_channel(snowflake)
            if not isinstance(channel, discord.TextChannel | discord.Thread):
                raise DeliveryFailed(f"{channel_id} has no slow mode", permanent=True)
            before = channel.slowmode_delay
            await channel.edit(slowmode_delay=seconds)
        except discord.HTTPException as exc:
            raise DeliveryFailed(str(exc), permanent=exc.status in (403, 404)) from exc
        return before

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
    """Send every part of a reply; the last message is the one that carries buttons.
    With the reply's nonce, Discord (enforce_nonce, for a few minutes) returns a part sent
    before instead of showing it twice: an outbox letter sent again after a crash."""
    message = None
    for number, part in enumerate(message_parts(reply)):
        if reply.nonce:
            part["nonce"] = f"{reply.nonce}.{number}"
        message = await target.send(**part)
    assert message is not None  # message_parts always yields at least one part
    return message


class DiscordAnnouncer:
    """Forum posts with tags, and guild scheduled events (external, at a place or link)."""

    def __init__(self, bot: PodajBot) -> None:
        self._bot = bot

    async def create_forum_post(
        self, forum_id: str, title: str, reply: Reply, tag_names: Sequence[str]
    ) -> MessageRef:
        forum = await self._forum(forum_id)
        try:
            tags = await self._tags(forum, tag_names)
        except discord.HTTPException as exc:
            # Without Manage Channels the post goes out untagged rather than not at all.
            log.warning("forum tags %s not made in %s: %s", tag_names, forum_id, exc)
            tags = [t for t in forum.available_tags if t.name in tag_names]
        part = message_parts(reply)[-1]
        try:
            # A week without activity before Discord archives it (the longest it allows).
            made = await forum.create_thread(
                name=title[:100], applied_tags=tags, auto_archive_duration=10080, **part
            )
        except discord.HTTPException as exc:
            raise DeliveryFailed(str(exc), permanent=exc.status in (403, 404)) from exc
        return MessageRef(platform_id("discord", made.thread.id), str(made.message.id))

    async def _forum(self, forum_id: str) -> discord.ForumChannel:
        snowflake = int(native_id(forum_id))
        try:
            channel = self._bot.get_channel(snowflake) or await self._bot.fetch_channel(snowflake)
        except discord.HTTPException as exc:
            raise DeliveryFailed(str(exc), permanent=exc.status in (403, 404)) from exc
        if not isinstance(channel, discord.ForumChannel):
            raise DeliveryFailed(f"{forum_id} is not a forum channel", permanent=True)
        return channel

    async def _tags(
        self, forum: discord.ForumChannel, names: Sequence[str]
    ) -> list[discord.ForumTag]:
        """The forum's tags of these names, adding the missing ones (Discord: 20 at most)."""
        known = {tag.name: tag for tag in forum.available_tags}
        missing = [name[:20] for name in names if name[:20] not in known]
        if missing and len(known) + len(missing) <= 20:
            updated = [*forum.available_tags, *(discord.ForumTag(name=n) for n in missing)]
            edited = await forum.edit(available_tags=updated)
            known = {tag.name: tag for tag in (edited or forum).available_tags}
        return [known[name[:20]] for name in names if name[:20] in known]

    async def rename_thread(self, thread_id: str, title: str) -> None:
        snowflake = int(native_id(thread_id))
        try:
            thread = self._bot.get_channel(snowflake) or await self._bot.fetch_channel(snowflake)
            if isinstance(thread, discord.Thread) and thread.name != title[:100]:
                await thread.edit(name=title[:100])
        except discord.HTTPException as exc:
            raise DeliveryFailed(str(exc), permanent=exc.status in (403, 404)) from exc

    async def reopen_thread(self, thread_id: str) -> None:
        snowflake = int(native_id(thread_id))
        if self._bot.get_channel(snowflake) is not None:
            return  # discord.py caches only threads that are not archived
        try:
            thread = await self._bot.fetch_channel(snowflake)
            if isinstance(thread, discord.Thread) and thread.archived and not thread.locked:
                await thread.edit(archived=False)
        except discord.HTTPException as exc:
            raise DeliveryFailed(str(exc), permanent=exc.status in (403, 404)) from exc

    def link(self, guild_id: str, channel_id: str) -> str:
        return f"https://discord.com/channels/{native_id(guild_id)}/{native_id(channel_id)}"

    async def create_scheduled_event(self, guild_id: str, spec: ScheduledEventSpec) -> str:
        guild = self._guild(guild_id)
        try:
            made = await guild.create_scheduled_event(
                name=spec.name[:100],
                start_time=spec.starts_at,
                end_time=spec.ends_at,
                entity_type=discord.EntityType.external,
                privacy_level=discord.PrivacyLevel.guild_only,
                location=spec.location[:100],
                description=spec.description[:1000],
            )
        except discord.HTTPException as exc:
            raise DeliveryFailed(str(exc), permanent=exc.status in (403, 404)) from exc
        return platform_id("discord", made.id)

    async def edit_scheduled_event(
        self, guild_id: str, event_id: str, spec: ScheduledEventSpec
    ) -> None:
        event = await self._event(guild_id, event_id)
        try:
            await event.edit(
                name=spec.name[:100],
                start_time=spec.starts_at,
                end_time=spec.ends_at,
                location=spec.location[:100],
                description=spec.description[:1000],
            )
        except discord.HTTPException as exc:
            raise DeliveryFailed(str(exc), permanent=exc.status in (403, 404)) from exc

    async def cancel_scheduled_event(self, guild_id: str, event_id: str) -> None:
        event = await self._event(guild_id, event_id)
        try:
            if event.status is discord.EventStatus.scheduled:
                await event.cancel()
            else:
                await event.delete()
        except discord.HTTPException as exc:
            raise DeliveryFailed(str(exc), permanent=exc.status in (403, 404)) from exc

    async def _event(self, guild_id: str, event_id: str) -> discord.ScheduledEvent:
        guild = self._guild(guild_id)
        snowflake = int(native_id(event_id))
        try:
            return guild.get_scheduled_event(snowflake) or await guild.fetch_scheduled_event(
                snowflake
            )
        except discord.HTTPException as exc:
            raise DeliveryFailed(str(exc), permanent=exc.status in (403, 404)) from exc

    def _guild(self, guild_id: str) -> discord.Guild:
        guild = self._bot.get_guild(int(native_id(guild_id)))
        if guild is None:
            raise DeliveryFailed(f"not in guild {guild_id}", permanent=True)
        return guild
