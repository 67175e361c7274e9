"""Channel messages, DMs, typing and reactions."""

from __future__ import annotations

from datetime import timedelta

from aiohttp import web

from . import state as st
from .errors import (
    CANNOT_EDIT_OTHERS_MESSAGE,
    UNKNOWN_CHANNEL,
    UNKNOWN_MESSAGE,
    UNKNOWN_USER,
    DiscordError,
    cannot_dm,
    not_found,
)
from .http_util import Routes, json_response, no_content, query_limit, read_body, read_json, route

# How long Discord remembers a nonce sent with enforce_nonce ("the past few minutes").
NONCE_WINDOW = timedelta(minutes=5)


class MessageRoutes(Routes):
    def channel(self, request: web.Request) -> st.Channel:
        channel = self.state.channels.get(int(request.match_info["channel_id"]))
        if channel is None or channel.deleted:
            raise not_found(UNKNOWN_CHANNEL, "Channel")
        if channel.type == st.DM and channel.recipient_id is not None:
            return channel
        self.double.require(channel, "view_channel")
        return channel

    def message(self, request: web.Request, channel: st.Channel) -> st.Message:
        message = self.state.messages.get(int(request.match_info["message_id"]))
        if (
            message is None
            or message.deleted
            or message.channel_id != channel.id
            # Ephemeral messages exist only for their interaction: through channel routes
            # they are unknown (the interaction webhook reaches them).
            or message.ephemeral
        ):
            raise not_found(UNKNOWN_MESSAGE, "Message")
        return message

    @route("POST", "/channels/{channel_id}/messages")
    async def send(self, request: web.Request) -> web.Response:
        channel = self.channel(request)
        body, uploads = await read_body(request)
        self._check_can_send(channel, has_files=bool(uploads), body=body)
        if body.get("enforce_nonce") and body.get("nonce") is not None:
            # Discord: the same author's message with this nonce from the past few minutes
            # is returned instead of a new one being created.
            since = self.double.now() - NONCE_WINDOW
            earlier = self.state.sent_with_nonce(self.double.bot_user.id, str(body["nonce"]), since)
            if earlier is not None:
                self.state.nonce_replays.append(str(body["nonce"]))
                return json_response(self.payloads.message(earlier))
        message = self.double.messaging.create(channel, self.double.bot_user.id, body, uploads)
        return json_response(self.payloads.message(message))

    def _check_can_send(self, channel: st.Channel, *, has_files: bool, body: dict) -> None:
        if channel.type == st.DM:
            user = self.state.users[channel.recipient_id or 0]
            if not user.dms_open:
                raise cannot_dm()
            return
        if channel.type in (st.GUILD_FORUM, st.GUILD_CATEGORY):
            raise DiscordError(400, 50008, "Cannot send messages in a non-text channel")
        if channel.is_thread:
            self.double.require(channel, "send_messages_in_threads")
            if channel.locked:
                self.double.require(channel, "manage_threads")
        else:
            self.double.require(channel, "send_messages")
        if has_files:
            self.double.require(channel, "attach_files")
        if body.get("poll"):
            self.double.require(channel, "send_polls")

    @route("GET", "/channels/{channel_id}/messages")
    async def history(self, request: web.Request) -> web.Response:
        channel = self.channel(request)
        self.double.require(channel, "read_message_history")
        messages = self.state.live_messages(channel.id)
        before = request.query.get("before")
        after = request.query.get("after")
        if before:
            messages = [m for m in messages if m.id < int(before)]
        if after:
            messages = [m for m in messages if m.id > int(after)]
        limit = query_limit(request, default=50, most=100)
        # Newest first, like Discord (unless paging forward with `after`).
        picked = messages[:limit] if after else messages[::-1][:limit]
        if after:
            picked = picked[::-1]
        return json_response([self.payloads.message(m) for m in picked])

    @route("GET", "/channels/{channel_id}/messages/{message_id}")
    async def get(self, request: web.Request) -> web.Response:
        channel = self.channel(request)
        self.double.require(channel, "read_message_history")
        return json_response(self.payloads.message(self.message(request, channel)))

    @route("PATCH", "/channels/{channel_id}/messages/{message_id}")
    async def edit(self, request: web.Request) -> web.Response:
        channel = self.channel(request)
        message = self.message(request, channel)
        body, uploads = await read_body(request)
        if message.author_id != self.double.bot_user.id:
            # Others' messages: only the SUPPRESS_EMBEDS flag, with Manage Messages.
            if set(body) - {"flags"}:
                raise DiscordError(
                    403,
                    CANNOT_EDIT_OTHERS_MESSAGE,
                    "Cannot edit a message authored by another user",
                )
            self.double.require(channel, "manage_messages")
        self.double.messaging.edit(message, body, uploads)
        return json_response(self.payloads.message(message))

    @route("DELETE", "/channels/{channel_id}/messages/{message_id}")
    async def delete(self, request: web.Request) -> web.Response:
        channel = self.channel(request)
        message = self.message(request, channel)
        if message.author_id != self.double.bot_user.id and channel.type != st.DM:
            self.double.require(channel, "manage_messages")
        self.double.messaging.delete(message)
        return no_content()

    @route("POST", "/channels/{channel_id}/messages/bulk-delete")
    async def bulk_delete(self, request: web.Request) -> web.Response:
        channel = self.channel(request)
        self.double.require(channel, "manage_messages")
        body = await read_json(request)
        ids = [int(i) for i in body.get("messages", [])]
        if not 2 <= len(ids) <= 100:
            raise DiscordError(400, 50016, "You must provide between 2 and 100 messages")
        for ident in ids:
            message = self.state.messages.get(ident)
            if message is not None and message.channel_id == channel.id:
                message.deleted = True
        self.double.dispatch(
            "MESSAGE_DELETE_BULK",
            {
                "ids": [str(i) for i in ids],
                "channel_id": str(channel.id),
                "guild_id": str(channel.guild_id),
            },
        )
        return no_content()

    @route("POST", "/channels/{channel_id}/typing")
    async def typing(self, request: web.Request) -> web.Response:
        self.channel(request)
        return no_content()

    @route("PUT", "/channels/{channel_id}/messages/{message_id}/reactions/{emoji}/@me")
    async def react(self, request: web.Request) -> web.Response:
        channel = self.channel(request)
        self.message(request, channel)
        self.double.require(channel, "add_reactions")
        return no_content()

    @route("DELETE", "/channels/{channel_id}/messages/{message_id}/reactions/{emoji}/@me")
    async def unreact(self, request: web.Request) -> web.Response:
        channel = self.channel(request)
        self.message(request, channel)
        return no_content()

    @route("POST", "/users/@me/channels")
    async def open_dm(self, request: web.Request) -> web.Response:
        body = await read_json(request)
        user = self.state.users.get(int(body.get("recipient_id", 0)))
        if user is None:
            raise not_found(UNKNOWN_USER, "User")
        return json_response(self.payloads.channel(self.double.dm_channel(user)))
