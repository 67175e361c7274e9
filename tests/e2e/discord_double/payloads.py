"""State → the JSON shapes Discord documents (API v10).

Only fields discord.py reads or a bot could reasonably rely on are produced, but every field
Discord marks as always present is present, because discord.py indexes several of them
directly (a missing one raises KeyError deep inside the gateway parser).
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from . import state as st
from .permissions import base_permissions, channel_permissions

if TYPE_CHECKING:
    from .server import DiscordDouble


def iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()


USER_MENTION = re.compile(r"<@!?(\d+)>")
ROLE_MENTION = re.compile(r"<@&(\d+)>")


class Payloads:
    def __init__(self, double: DiscordDouble) -> None:
        self.double = double
        self.state = double.state

    # users & members ---------------------------------------------------------------------

    def user(self, user: st.User) -> dict[str, Any]:
        return {
            "id": str(user.id),
            "username": user.username,
            "discriminator": "0",
            "global_name": user.global_name or user.username.capitalize(),
            "avatar": None,
            "bot": user.bot,
            "system": False,
            "public_flags": 0,
            "flags": 0,
            "banner": None,
            "accent_color": None,
            "avatar_decoration_data": None,
            "primary_guild": None,
        }

    def client_user(self, user: st.User) -> dict[str, Any]:
        return {**self.user(user), "verified": True, "mfa_enabled": False, "locale": "en-US"}

    def member(self, member: st.Member, *, with_user: bool = True) -> dict[str, Any]:
        data: dict[str, Any] = {
            "roles": [str(r) for r in member.roles],
            "nick": member.nick,
            "avatar": None,
            "banner": None,
            "joined_at": iso(member.joined_at),
            "premium_since": None,
            "deaf": False,
            "mute": False,
            "flags": 0,
            "pending": False,
            "communication_disabled_until": None,
        }
        if with_user:
            data["user"] = self.user(self.state.users[member.user_id])
        return data

    def role(self, role: st.Role) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": str(role.id),
            "name": role.name,
            "color": role.color,
            "colors": {
                "primary_color": role.color,
                "secondary_color": None,
                "tertiary_color": None,
            },
            "hoist": role.hoist,
            "icon": None,
            "unicode_emoji": None,
            "position": role.position,
            "permissions": str(role.permissions),
            "managed": role.managed,
            "mentionable": role.mentionable,
            "flags": 0,
        }
        if role.tags is not None:
            data["tags"] = role.tags
        return data

    # channels ----------------------------------------------------------------------------

    def channel(self, channel: st.Channel) -> dict[str, Any]:
        if channel.type == st.DM:
            recipient = self.state.users[channel.recipient_id or 0]
            return {
                "id": str(channel.id),
                "type": st.DM,
                "last_message_id": _sf(channel.last_message_id),
                "recipients": [self.user(recipient)],
                "flags": 0,
            }
        if channel.is_thread:
            return self.thread(channel)
        data: dict[str, Any] = {
            "id": str(channel.id),
            "type": channel.type,
            "guild_id": str(channel.guild_id),
            "name": channel.name,
            "position": channel.position,
            "permission_overwrites": [
                {"id": str(o.id), "type": o.type, "allow": str(o.allow), "deny": str(o.deny)}
                for o in channel.overwrites
            ],
            "parent_id": _sf(channel.parent_id),
            "nsfw": channel.nsfw,
            "flags": channel.flags,
        }
        if channel.type in (st.GUILD_TEXT, st.GUILD_ANNOUNCEMENT, st.GUILD_FORUM):
            data.update(
                topic=channel.topic,
                rate_limit_per_user=channel.rate_limit_per_user,
                last_message_id=_sf(channel.last_message_id),
                default_auto_archive_duration=channel.default_auto_archive_duration,
            )
        if channel.type == st.GUILD_FORUM:
            data.update(
                available_tags=channel.available_tags,
                default_reaction_emoji=None,
                default_thread_rate_limit_per_user=0,
                default_sort_order=None,
                default_forum_layout=0,
            )
        if channel.type == st.GUILD_VOICE:
            data.update(bitrate=64000, user_limit=0, rtc_region=None)
        return data

    def thread(self, channel: st.Channel) -> dict[str, Any]:
        created = channel.created_at or self.double.now()
        data: dict[str, Any] = {
            "id": str(channel.id),
            "type": channel.type,
            "guild_id": str(channel.guild_id),
            "parent_id": str(channel.parent_id),
            "owner_id": str(channel.owner_id),
            "name": channel.name,
            "last_message_id": _sf(channel.last_message_id),
            "rate_limit_per_user": channel.rate_limit_per_user,
            "message_count": channel.message_count,
            "total_message_sent": channel.message_count,
            "member_count": min(len(channel.member_ids), 50),
            "flags": channel.flags,
            "applied_tags": [str(t) for t in channel.applied_tags],
            "thread_metadata": {
                "archived": channel.archived,
                "auto_archive_duration": channel.auto_archive_duration,
                "archive_timestamp": iso(created),
                "locked": channel.locked,
                "create_timestamp": iso(created),
                "invitable": True,
            },
        }
        if self.double.bot_user.id in channel.member_ids:
            data["member"] = self.thread_member(channel, self.double.bot_user.id)
        return data

    def thread_member(self, channel: st.Channel, user_id: int) -> dict[str, Any]:
        return {
            "id": str(channel.id),
            "user_id": str(user_id),
            "join_timestamp": iso(channel.created_at or self.double.now()),
            "flags": 0,
        }

    def partial_channel(self, channel: st.Channel, *, for_user: int) -> dict[str, Any]:
        """The `channel` / resolved channel shape inside interactions (with `permissions`)."""
        data = self.channel(channel)
        if channel.guild_id is not None:
            guild = self.state.guilds[channel.guild_id]
            data["permissions"] = str(channel_permissions(guild, for_user, channel))
        return data

    # guilds ------------------------------------------------------------------------------

    def guild(self, guild: st.Guild, *, counts: bool = False) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": str(guild.id),
            "name": guild.name,
            "icon": None,
            "splash": None,
            "discovery_splash": None,
            "owner_id": str(guild.owner_id),
            "afk_channel_id": None,
            "afk_timeout": 300,
            "verification_level": 1,
            "default_message_notifications": 1,
            "explicit_content_filter": 2,
            "roles": [self.role(r) for r in guild.roles.values()],
            "emojis": [],
            "stickers": [],
            "features": ["COMMUNITY", "NEWS"],
            "mfa_level": 0,
            "application_id": None,
            "system_channel_id": None,
            "system_channel_flags": 0,
            "rules_channel_id": None,
            "public_updates_channel_id": None,
            "safety_alerts_channel_id": None,
            "vanity_url_code": None,
            "description": None,
            "banner": None,
            "premium_tier": 0,
            "premium_subscription_count": 0,
            "preferred_locale": guild.preferred_locale,
            "max_video_channel_users": 25,
            "nsfw_level": 0,
            "premium_progress_bar_enabled": False,
            "home_header": None,
            "region": "deprecated",
            "widget_enabled": False,
            "widget_channel_id": None,
            "max_presences": None,
            "max_members": 500_000,
            "max_stage_video_channel_users": 50,
            "nsfw": False,
            "incidents_data": None,
        }
        if counts:
            data["approximate_member_count"] = len(guild.members)
            data["approximate_presence_count"] = 0
        return data

    def guild_create(self, guild: st.Guild, *, all_members: bool = True) -> dict[str, Any]:
        channels = self.state.guild_channels(guild.id)
        # Without the GUILD_MEMBERS intent Discord sends only the bot's own member, so a
        # bot relying on get_member() for other people fails here as it would in production.
        bot_id = self.double.bot_user.id
        members = [m for m in guild.members.values() if all_members or m.user_id == bot_id]
        return {
            **self.guild(guild),
            "joined_at": iso(guild.members[self.double.bot_user.id].joined_at),
            "large": False,
            "unavailable": False,
            # member_count == len(members) makes discord.py consider the guild chunked.
            "member_count": len(guild.members),
            "voice_states": [],
            "members": [self.member(m) for m in members],
            "channels": [self.channel(c) for c in channels if not c.is_thread],
            "threads": [self.thread(c) for c in channels if c.is_thread and not c.archived],
            "presences": [],
            "stage_instances": [],
            "guild_scheduled_events": [
                self.scheduled_event(e) for e in guild.scheduled_events.values() if not e.deleted
            ],
            "soundboard_sounds": [],
        }

    def scheduled_event(self, event: st.ScheduledEvent) -> dict[str, Any]:
        creator = self.state.users.get(event.creator_id or 0)
        return {
            "id": str(event.id),
            "guild_id": str(event.guild_id),
            "channel_id": _sf(event.channel_id),
            "creator_id": _sf(event.creator_id),
            "creator": self.user(creator) if creator else None,
            "name": event.name,
            "description": event.description,
            "scheduled_start_time": iso(event.scheduled_start_time),
            "scheduled_end_time": iso(event.scheduled_end_time),
            "privacy_level": event.privacy_level,
            "status": event.status,
            "entity_type": event.entity_type,
            "entity_id": None,
            "entity_metadata": event.entity_metadata,
            "user_count": 0,
            "image": event.image,
            "recurrence_rule": event.recurrence_rule,
            # Occurrences of a series moved or cancelled one by one; the double has none.
            "guild_scheduled_event_exceptions": [],
        }

    # messages ----------------------------------------------------------------------------

    def attachment(self, att: st.Attachment) -> dict[str, Any]:
        url = f"{self.double.base_url}/attachments/{att.id}/{att.filename}"
        data: dict[str, Any] = {
            "id": str(att.id),
            "filename": att.filename,
            "size": att.size,
            "url": url,
            "proxy_url": url,
            "flags": 0,
        }
        if att.content_type:
            data["content_type"] = att.content_type
        if att.description:
            data["description"] = att.description
        return data

    def message(self, message: st.Message, *, gateway: bool = False) -> dict[str, Any]:
        author = self.state.users[message.author_id]
        data: dict[str, Any] = {
            "id": str(message.id),
            "channel_id": str(message.channel_id),
            "author": self.user(author),
            "content": message.content,
            "timestamp": iso(message.created_at),
            "edited_timestamp": iso(message.edited_at),
            "tts": message.tts,
            "mention_everyone": "@everyone" in message.content,
            "mentions": self._mentions(message),
            "mention_roles": ROLE_MENTION.findall(message.content),
            "attachments": [self.attachment(a) for a in message.attachments],
            "embeds": message.embeds,
            "components": message.components,
            "pinned": message.pinned,
            "type": message.type,
            "flags": message.flags,
        }
        if message.guild_id is not None:
            data["guild_id"] = str(message.guild_id)
            guild = self.state.guilds[message.guild_id]
            member = guild.members.get(message.author_id)
            # Gateway MESSAGE_CREATE/UPDATE carry the author's member (without user).
            if gateway and member is not None and message.webhook_id is None:
                data["member"] = self.member(member, with_user=False)
        if message.webhook_id is not None:
            data["webhook_id"] = str(message.webhook_id)
        if message.application_id is not None:
            data["application_id"] = str(message.application_id)
        if message.nonce is not None:
            data["nonce"] = message.nonce
        if message.poll is not None:
            data["poll"] = message.poll
        if message.message_reference is not None:
            data["message_reference"] = message.message_reference
        if message.interaction_id is not None:
            record = self.state.interactions.get(message.interaction_id)
            if record is not None:
                data["interaction_metadata"] = self.interaction_metadata(record)
        return data

    def _mentions(self, message: st.Message) -> list[dict[str, Any]]:
        out = []
        for raw in dict.fromkeys(USER_MENTION.findall(message.content)):
            user = self.state.users.get(int(raw))
            if user is not None:
                entry = self.user(user)
                if message.guild_id is not None:
                    member = self.state.guilds[message.guild_id].members.get(user.id)
                    if member is not None:
                        entry["member"] = self.member(member, with_user=False)
                out.append(entry)
        return out

    def interaction_metadata(self, record: st.InteractionRecord) -> dict[str, Any]:
        user = self.state.users[record.user_id]
        data: dict[str, Any] = {
            "id": str(record.id),
            "type": record.type,
            "user": self.user(user),
            "authorizing_integration_owners": (
                {"0": str(record.guild_id)} if record.guild_id else {"1": str(user.id)}
            ),
        }
        if record.type == 2:
            data["name"] = record.data.get("name")
            data["command_type"] = record.data.get("type", 1)
        if record.source_message_id is not None:
            data["interacted_message_id"] = str(record.source_message_id)
        return data

    def poll(self, request: dict[str, Any]) -> dict[str, Any]:
        hours = int(request.get("duration") or 24)
        return {
            "question": request["question"],
            "answers": [
                {"answer_id": i, "poll_media": answer["poll_media"]}
                for i, answer in enumerate(request["answers"], start=1)
            ],
            "expiry": iso(self.double.now() + timedelta(hours=hours)),
            "allow_multiselect": bool(request.get("allow_multiselect", False)),
            "layout_type": request.get("layout_type", 1),
            "results": {"is_finalized": False, "answer_counts": []},
        }

    # application -------------------------------------------------------------------------

    def application(self) -> dict[str, Any]:
        owner = self.state.users[self.double.owner_id]
        return {
            "id": str(self.double.application_id),
            "name": self.double.bot_user.username,
            "icon": None,
            "description": "Podaj dalej (Discord API double)",
            "rpc_origins": [],
            "bot_public": False,
            "bot_require_code_grant": False,
            "bot": self.user(self.double.bot_user),
            "owner": self.user(owner),
            "verify_key": "0" * 64,
            "team": None,
            "flags": self._application_flags(),
            "flags_new": str(self._application_flags()),
            "type": None,
            "explicit_content_filter": 0,
            "eligible_oauth2_scopes": ["applications.commands", "bot"],
            "approximate_user_install_count": 0,
            "approximate_user_authorization_count": 0,
            "tags": [],
            "integration_types_config": {"0": {}},
            "interactions_endpoint_url": None,
            "role_connections_verification_url": None,
            "approximate_guild_count": len(self.state.guilds),
            "redirect_uris": [],
        }

    def _application_flags(self) -> int:
        """APPLICATION_COMMAND_BADGE, and GATEWAY_PRESENCE / GATEWAY_GUILD_MEMBERS /
        GATEWAY_MESSAGE_CONTENT for the privileged intents switched on in the (imaginary)
        developer portal. https://discord.com/developers/docs/resources/application#application-object-application-flags
        """
        allowed = self.double.gateway.allowed_privileged_intents
        portal = {1 << 8: 1 << 12, 1 << 1: 1 << 14, 1 << 15: 1 << 18}
        return (1 << 23) | sum(flag for intent, flag in portal.items() if allowed & intent)

    def command(self, command: st.Command) -> dict[str, Any]:
        payload = dict(command.payload)
        payload.setdefault("type", 1)
        payload.setdefault("description", "")
        # Permissions go out as a string whatever form they came in (Discord accepts both).
        permissions = payload.get("default_member_permissions")
        payload["default_member_permissions"] = None if permissions is None else str(permissions)
        payload.setdefault("nsfw", False)
        payload.setdefault("contexts", None)
        payload.setdefault("integration_types", [0])
        data = {
            **payload,
            "id": str(command.id),
            "application_id": str(command.application_id),
            "version": str(command.version),
        }
        if command.guild_id is not None:
            data["guild_id"] = str(command.guild_id)
        else:
            data.setdefault("dm_permission", True)
        return data

    def app_permissions(self, guild_id: int | None, channel: st.Channel | None) -> str:
        if guild_id is None:
            return str(0)
        guild = self.state.guilds[guild_id]
        bot_id = self.double.bot_user.id
        if channel is None:
            return str(base_permissions(guild, bot_id))
        return str(channel_permissions(guild, bot_id, channel))


def _sf(value: int | None) -> str | None:
    return None if value is None else str(value)
