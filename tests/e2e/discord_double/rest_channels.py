"""Guild channels, permission overwrites, threads and forum posts."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from . import limits
from . import state as st
from .errors import (
    UNKNOWN_CHANNEL,
    UNKNOWN_GUILD,
    UNKNOWN_MESSAGE,
    DiscordError,
    FormErrors,
    not_found,
)
from .http_util import Routes, json_response, no_content, read_body, read_json, route

CREATABLE_TYPES = {
    st.GUILD_TEXT,
    st.GUILD_VOICE,
    st.GUILD_CATEGORY,
    st.GUILD_ANNOUNCEMENT,
    st.GUILD_FORUM,
}


class ChannelRoutes(Routes):
    def guild(self, request: web.Request) -> st.Guild:
        guild = self.state.guilds.get(int(request.match_info["guild_id"]))
        if guild is None:
            raise not_found(UNKNOWN_GUILD, "Guild")
        return guild

    def channel(self, request: web.Request) -> st.Channel:
        channel = self.state.channels.get(int(request.match_info["channel_id"]))
        if channel is None or channel.deleted:
            raise not_found(UNKNOWN_CHANNEL, "Channel")
        if channel.guild_id is not None:
            self.double.require(channel, "view_channel")
        return channel

    def _overwrites(self, guild: st.Guild, raw: list[dict[str, Any]]) -> list[st.Overwrite]:
        result = []
        bot_perms = self.double.guild_permissions(guild)
        for i, ow in enumerate(raw):
            allow, deny = int(ow.get("allow") or 0), int(ow.get("deny") or 0)
            # A bot cannot grant or deny in an overwrite what it does not have itself.
            if (allow | deny) & ~bot_perms:
                raise DiscordError(403, 50013, "Missing Permissions")
            target = int(ow["id"])
            kind = int(ow.get("type", 0))
            if kind == 0 and target not in guild.roles:
                errs = FormErrors()
                errs.add(("permission_overwrites", i, "id"), "UNKNOWN_ROLE", "Unknown role.")
                errs.raise_if_any()
            result.append(st.Overwrite(id=target, type=kind, allow=allow, deny=deny))
        return result

    def _tags(self, raw: list[dict[str, Any]], old: list[dict[str, Any]]) -> list[dict[str, Any]]:
        known = {t["id"] for t in old}
        tags = []
        for tag in raw:
            ident = tag.get("id")
            tags.append(
                {
                    "id": str(ident)
                    if ident and str(ident) in known
                    else str(self.double.snowflakes.next()),
                    "name": tag["name"],
                    "moderated": bool(tag.get("moderated", False)),
                    "emoji_id": tag.get("emoji_id"),
                    "emoji_name": tag.get("emoji_name"),
                }
            )
        return tags

    # guild channels ----------------------------------------------------------------------

    @route("GET", "/guilds/{guild_id}/channels")
    async def list_channels(self, request: web.Request) -> web.Response:
        guild = self.guild(request)
        channels = [c for c in self.state.guild_channels(guild.id) if not c.is_thread]
        return json_response([self.payloads.channel(c) for c in channels])

    @route("POST", "/guilds/{guild_id}/channels")
    async def create_channel(self, request: web.Request) -> web.Response:
        guild = self.guild(request)
        body = await read_json(request)
        self.double.require_guild(guild, "manage_channels")
        limits.check_channel(body, creating=True)
        kind = int(body.get("type") or 0)
        if kind not in CREATABLE_TYPES:
            errs = FormErrors()
            errs.add(
                ("type",), "BASE_TYPE_CHOICES", f"Value must be one of {sorted(CREATABLE_TYPES)}."
            )
            errs.raise_if_any()
        parent_id = body.get("parent_id")
        if parent_id is not None:
            parent = self.state.channels.get(int(parent_id))
            if parent is None or parent.type != st.GUILD_CATEGORY or parent.guild_id != guild.id:
                errs = FormErrors()
                errs.add(("parent_id",), "CHANNEL_PARENT_INVALID", "Category does not exist.")
                errs.raise_if_any()
        channel = st.Channel(
            id=self.double.snowflakes.next(),
            type=kind,
            name=_channel_name(body["name"], kind),
            guild_id=guild.id,
            position=int(body.get("position") or len(guild.channel_ids)),
            parent_id=int(parent_id) if parent_id is not None else None,
            topic=body.get("topic"),
            nsfw=bool(body.get("nsfw", False)),
            rate_limit_per_user=int(body.get("rate_limit_per_user") or 0),
            overwrites=self._overwrites(guild, body.get("permission_overwrites") or []),
            available_tags=self._tags(body.get("available_tags") or [], []),
            created_at=self.double.now(),
        )
        if channel.parent_id is not None and "permission_overwrites" not in body:
            # Channels created in a category start synced with its overwrites.
            parent = self.state.channels[channel.parent_id]
            channel.overwrites = [
                st.Overwrite(o.id, o.type, o.allow, o.deny) for o in parent.overwrites
            ]
        self.state.add_channel(channel)
        data = self.payloads.channel(channel)
        self.double.dispatch("CHANNEL_CREATE", data)
        return json_response(data, status=201)

    @route("PATCH", "/guilds/{guild_id}/channels")
    async def reorder_channels(self, request: web.Request) -> web.Response:
        guild = self.guild(request)
        self.double.require_guild(guild, "manage_channels")
        payload, _ = await read_body(request)
        for entry in payload.get("_list", []):
            channel = self.state.channels.get(int(entry["id"]))
            if channel is None or channel.guild_id != guild.id:
                continue
            if "position" in entry and entry["position"] is not None:
                channel.position = int(entry["position"])
            if "parent_id" in entry:
                channel.parent_id = int(entry["parent_id"]) if entry["parent_id"] else None
            self.double.dispatch("CHANNEL_UPDATE", self.payloads.channel(channel))
        return no_content()

    @route("GET", "/channels/{channel_id}")
    async def get_channel(self, request: web.Request) -> web.Response:
        return json_response(self.payloads.channel(self.channel(request)))

    @route("PATCH", "/channels/{channel_id}")
    async def edit_channel(self, request: web.Request) -> web.Response:
        channel = self.channel(request)
        body = await read_json(request)
        if channel.is_thread:
            return self._edit_thread(channel, body)
        self.double.require(channel, "manage_channels")
        limits.check_channel(body, creating=False)
        guild = self.state.guilds[channel.guild_id or 0]
        if "name" in body:
            channel.name = _channel_name(body["name"], channel.type)
        for key in (
            "topic",
            "nsfw",
            "position",
            "rate_limit_per_user",
            "default_auto_archive_duration",
        ):
            if key in body and body[key] is not None:
                setattr(channel, key, body[key])
        if "parent_id" in body:
            channel.parent_id = int(body["parent_id"]) if body["parent_id"] else None
        if "permission_overwrites" in body:
            self.double.require(channel, "manage_roles")
            channel.overwrites = self._overwrites(guild, body["permission_overwrites"] or [])
        if "available_tags" in body:
            if channel.type != st.GUILD_FORUM:
                errs = FormErrors()
                errs.add(
                    ("available_tags",), "CHANNEL_TYPE_INVALID", "Only forum channels have tags."
                )
                errs.raise_if_any()
            channel.available_tags = self._tags(
                body["available_tags"] or [], channel.available_tags
            )
        if "flags" in body and body["flags"] is not None:
            channel.flags = int(body["flags"])
        data = self.payloads.channel(channel)
        self.double.dispatch("CHANNEL_UPDATE", data)
        return json_response(data)

    def _edit_thread(self, thread: st.Channel, body: dict[str, Any]) -> web.Response:
        limits.check_thread(body, creating=False)
        is_owner = thread.owner_id == self.double.bot_user.id
        only_archive = set(body) <= {"archived"}
        if not (is_owner and only_archive):
            needs_manage = (
                set(body) & {"locked", "rate_limit_per_user", "name", "flags"} or not is_owner
            )
            if needs_manage:
                self.double.require(thread, "manage_threads")
        if "applied_tags" in body:
            thread.applied_tags = self._applied_tags(thread, body["applied_tags"] or [])
        for key in (
            "name",
            "archived",
            "locked",
            "auto_archive_duration",
            "rate_limit_per_user",
            "flags",
        ):
            if key in body and body[key] is not None:
                setattr(thread, key, body[key])
        data = self.payloads.channel(thread)
        self.double.dispatch("THREAD_UPDATE", data)
        return json_response(data)

    @route("DELETE", "/channels/{channel_id}")
    async def delete_channel(self, request: web.Request) -> web.Response:
        channel = self.channel(request)
        if channel.type == st.DM:
            return json_response(self.payloads.channel(channel))
        self.double.require(channel, "manage_threads" if channel.is_thread else "manage_channels")
        channel.deleted = True
        data = self.payloads.channel(channel)
        self.double.dispatch("THREAD_DELETE" if channel.is_thread else "CHANNEL_DELETE", data)
        return json_response(data)

    @route("PUT", "/channels/{channel_id}/permissions/{target}")
    async def put_overwrite(self, request: web.Request) -> web.Response:
        channel = self.channel(request)
        self.double.require(channel, "manage_roles")
        body = await read_json(request)
        guild = self.state.guilds[channel.guild_id or 0]
        target = int(request.match_info["target"])
        new = self._overwrites(guild, [{**body, "id": target}])[0]
        channel.overwrites = [o for o in channel.overwrites if o.id != target] + [new]
        self.double.dispatch("CHANNEL_UPDATE", self.payloads.channel(channel))
        return no_content()

    @route("DELETE", "/channels/{channel_id}/permissions/{target}")
    async def delete_overwrite(self, request: web.Request) -> web.Response:
        channel = self.channel(request)
        self.double.require(channel, "manage_roles")
        target = int(request.match_info["target"])
        channel.overwrites = [o for o in channel.overwrites if o.id != target]
        self.double.dispatch("CHANNEL_UPDATE", self.payloads.channel(channel))
        return no_content()

    # threads & forum posts ---------------------------------------------------------------

    def _applied_tags(self, forum_or_thread: st.Channel, raw: list[Any]) -> list[int]:
        forum = forum_or_thread
        if forum.is_thread:
            forum = self.state.channels[forum.parent_id or 0]
        known = {int(t["id"]): t for t in forum.available_tags}
        tags = [int(t) for t in raw]
        errs = FormErrors()
        for i, tag in enumerate(tags):
            if tag not in known:
                errs.add(("applied_tags", i), "UNKNOWN_TAG", "Unknown forum tag.")
            elif known[tag].get("moderated"):
                self.double.require(forum, "manage_threads")
        errs.max_items(("applied_tags",), tags, 5)
        errs.raise_if_any()
        return tags

    def _new_thread(self, parent: st.Channel, body: dict[str, Any], kind: int) -> st.Channel:
        thread = st.Channel(
            id=self.double.snowflakes.next(),
            type=kind,
            name=body["name"],
            guild_id=parent.guild_id,
            parent_id=parent.id,
            owner_id=self.double.bot_user.id,
            rate_limit_per_user=int(body.get("rate_limit_per_user") or 0),
            auto_archive_duration=int(
                body.get("auto_archive_duration") or parent.default_auto_archive_duration
            ),
            created_at=self.double.now(),
            member_ids={self.double.bot_user.id},
        )
        return thread

    @route("POST", "/channels/{channel_id}/threads")
    async def create_thread(self, request: web.Request) -> web.Response:
        parent = self.channel(request)
        body, uploads = await read_body(request)
        limits.check_thread(body, creating=True)
        if parent.type == st.GUILD_FORUM:
            return self._forum_post(parent, body, uploads)
        if parent.type not in (st.GUILD_TEXT, st.GUILD_ANNOUNCEMENT):
            raise DiscordError(400, 50024, "Cannot execute action on this channel type")
        kind = int(body.get("type") or st.PRIVATE_THREAD)
        if parent.type == st.GUILD_ANNOUNCEMENT:
            kind = st.ANNOUNCEMENT_THREAD
        perm = "create_private_threads" if kind == st.PRIVATE_THREAD else "create_public_threads"
        self.double.require(parent, perm)
        thread = self._new_thread(parent, body, kind)
        self.state.add_channel(thread)
        data = self.payloads.channel(thread)
        self.double.dispatch("THREAD_CREATE", {**data, "newly_created": True})
        return json_response(data, status=201)

    def _forum_post(
        self, forum: st.Channel, body: dict[str, Any], uploads: list[Any]
    ) -> web.Response:
        # In a forum, Send Messages is the "Create Posts" permission.
        self.double.require(forum, "send_messages")
        message_body = body.get("message")
        if not isinstance(message_body, dict):
            errs = FormErrors()
            errs.required(("message",))
            errs.raise_if_any()
            raise AssertionError("unreachable")
        tags = self._applied_tags(forum, body.get("applied_tags") or [])
        if forum.flags & (1 << 4) and not tags:  # REQUIRE_TAG
            raise DiscordError(
                400, 40067, "A tag is required to create a forum post in this channel"
            )
        thread = self._new_thread(forum, body, st.PUBLIC_THREAD)
        thread.applied_tags = tags
        try:
            limits.check_message(message_body, creating=True, has_files=bool(uploads))
        except DiscordError as exc:
            if exc.errors is not None:
                exc.errors = {"message": exc.errors}
            raise
        self.state.add_channel(thread)
        data = self.payloads.channel(thread)
        self.double.dispatch("THREAD_CREATE", {**data, "newly_created": True})
        # The starter message has the thread's id and does not count in message_count.
        message = self.double.messaging.create(
            thread, self.double.bot_user.id, message_body, uploads, message_id=thread.id
        )
        thread.message_count = 0
        return json_response(
            {**self.payloads.channel(thread), "message": self.payloads.message(message)}, status=201
        )

    @route("POST", "/channels/{channel_id}/messages/{message_id}/threads")
    async def thread_from_message(self, request: web.Request) -> web.Response:
        parent = self.channel(request)
        message = self.state.messages.get(int(request.match_info["message_id"]))
        if message is None or message.channel_id != parent.id or message.deleted:
            raise not_found(UNKNOWN_MESSAGE, "Message")
        body = await read_json(request)
        limits.check_thread(body, creating=True)
        self.double.require(parent, "create_public_threads")
        kind = st.ANNOUNCEMENT_THREAD if parent.type == st.GUILD_ANNOUNCEMENT else st.PUBLIC_THREAD
        thread = self._new_thread(parent, body, kind)
        thread.id = message.id  # a thread started from a message shares its id
        self.state.add_channel(thread)
        data = self.payloads.channel(thread)
        self.double.dispatch("THREAD_CREATE", {**data, "newly_created": True})
        return json_response(data, status=201)

    @route("PUT", "/channels/{channel_id}/thread-members/@me")
    async def join_thread(self, request: web.Request) -> web.Response:
        thread = self.channel(request)
        thread.member_ids.add(self.double.bot_user.id)
        return no_content()

    @route("DELETE", "/channels/{channel_id}/thread-members/@me")
    async def leave_thread(self, request: web.Request) -> web.Response:
        thread = self.channel(request)
        thread.member_ids.discard(self.double.bot_user.id)
        return no_content()

    @route("PUT", "/channels/{channel_id}/thread-members/{user_id}")
    async def add_thread_member(self, request: web.Request) -> web.Response:
        thread = self.channel(request)
        self.double.require(thread, "send_messages_in_threads")
        thread.member_ids.add(int(request.match_info["user_id"]))
        return no_content()

    @route("DELETE", "/channels/{channel_id}/thread-members/{user_id}")
    async def remove_thread_member(self, request: web.Request) -> web.Response:
        thread = self.channel(request)
        self.double.require(thread, "manage_threads")
        thread.member_ids.discard(int(request.match_info["user_id"]))
        return no_content()

    @route("GET", "/guilds/{guild_id}/threads/active")
    async def active_threads(self, request: web.Request) -> web.Response:
        guild = self.guild(request)
        threads = [c for c in self.state.guild_channels(guild.id) if c.is_thread and not c.archived]
        members = [
            self.payloads.thread_member(t, self.double.bot_user.id)
            for t in threads
            if self.double.bot_user.id in t.member_ids
        ]
        return json_response(
            {"threads": [self.payloads.thread(t) for t in threads], "members": members}
        )


def _channel_name(name: str, kind: int) -> str:
    # Discord lower-cases text channel names and turns spaces into dashes.
    if kind in (st.GUILD_TEXT, st.GUILD_ANNOUNCEMENT, st.GUILD_FORUM):
        return "-".join(name.lower().split())
    return name
