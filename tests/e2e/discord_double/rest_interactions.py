"""Interaction callbacks, followups and the @original message (the interaction webhook).

https://discord.com/developers/docs/interactions/receiving-and-responding
"""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

from aiohttp import web

from . import limits
from . import state as st
from .errors import (
    ALREADY_ACKNOWLEDGED,
    UNKNOWN_INTERACTION,
    UNKNOWN_MESSAGE,
    UNKNOWN_WEBHOOK,
    DiscordError,
    FormErrors,
    not_found,
)
from .http_util import Routes, json_response, no_content, read_body, route

# Interaction types
PING, APPLICATION_COMMAND, MESSAGE_COMPONENT, AUTOCOMPLETE, MODAL_SUBMIT = 1, 2, 3, 4, 5
# Callback types
CHANNEL_MESSAGE, DEFERRED_CHANNEL_MESSAGE, DEFERRED_UPDATE, UPDATE_MESSAGE = 4, 5, 6, 7
AUTOCOMPLETE_RESULT, MODAL = 8, 9

ALLOWED_CALLBACKS = {
    APPLICATION_COMMAND: {CHANNEL_MESSAGE, DEFERRED_CHANNEL_MESSAGE, MODAL},
    MESSAGE_COMPONENT: {
        CHANNEL_MESSAGE,
        DEFERRED_CHANNEL_MESSAGE,
        DEFERRED_UPDATE,
        UPDATE_MESSAGE,
        MODAL,
    },
    AUTOCOMPLETE: {AUTOCOMPLETE_RESULT},
    MODAL_SUBMIT: {CHANNEL_MESSAGE, DEFERRED_CHANNEL_MESSAGE, DEFERRED_UPDATE, UPDATE_MESSAGE},
}
TOKEN_LIFETIME = timedelta(minutes=15)


class InteractionRoutes(Routes):
    @route("POST", "/interactions/{interaction_id}/{interaction_token}/callback")
    async def callback(self, request: web.Request) -> web.Response:
        received = time.monotonic()
        record = self.state.interactions.get(int(request.match_info["interaction_id"]))
        if record is None or record.token != request.match_info["interaction_token"]:
            raise not_found(UNKNOWN_INTERACTION, "interaction")
        if record.acknowledged:
            raise DiscordError(
                400, ALREADY_ACKNOWLEDGED, "Interaction has already been acknowledged."
            )
        started = record.dispatched_at if record.dispatched_at is not None else received
        if received - started > self.double.interaction_deadline:
            # Discord forgets an interaction not answered within 3 seconds; the user saw
            # "The application did not respond".
            record.late = True
            record.touch()
            self.double.problem(
                "late-interaction",
                f"interaction {record.id} ({_describe(record)}) answered after "
                f"{received - started:.3f}s > {self.double.interaction_deadline}s",
            )
            raise not_found(UNKNOWN_INTERACTION, "interaction")
        body, uploads = await read_body(request)
        kind = body.get("type")
        data: dict[str, Any] = body.get("data") or {}
        if kind not in ALLOWED_CALLBACKS.get(record.type, set()) or (
            kind in (DEFERRED_UPDATE, UPDATE_MESSAGE) and record.source_message_id is None
        ):
            errs = FormErrors()
            errs.add(
                ("type",),
                "INTERACTION_CALLBACK_TYPE_INVALID",
                "Invalid callback type for this interaction.",
            )
            errs.raise_if_any()
        message = self._apply(record, kind, data, uploads)
        record.response_type = kind
        record.response_data = data
        record.responded_at = received
        record.touch()
        if request.query.get("with_response") not in ("1", "true", "True"):
            return no_content()
        info: dict[str, Any] = {"id": str(record.id), "type": record.type}
        if message is not None and kind in (CHANNEL_MESSAGE, DEFERRED_CHANNEL_MESSAGE):
            info.update(
                response_message_id=str(message.id),
                response_message_loading=kind == DEFERRED_CHANNEL_MESSAGE,
                response_message_ephemeral=message.ephemeral,
            )
        # The resource carries the message only when the callback made or changed one you
        # can read now (4, 7); a deferred answer's message is still loading.
        # https://discord.com/developers/docs/interactions/receiving-and-responding#interaction-callback-interaction-callback-resource-object
        resource: dict[str, Any] = {"type": kind}
        if message is not None and kind in (CHANNEL_MESSAGE, UPDATE_MESSAGE):
            resource["message"] = self.payloads.message(message)
        return json_response({"interaction": info, "resource": resource})

    def _channel(self, record: st.InteractionRecord) -> st.Channel:
        channel = self.state.channels.get(record.channel_id or 0)
        if channel is None:
            raise not_found(UNKNOWN_WEBHOOK, "Webhook")
        return channel

    def _apply(
        self, record: st.InteractionRecord, kind: int, data: dict[str, Any], uploads: list[Any]
    ) -> st.Message | None:
        messaging = self.double.messaging
        msg_type = 20 if record.type == APPLICATION_COMMAND else 0
        if kind == CHANNEL_MESSAGE:
            message = messaging.create(
                self._channel(record),
                self.double.bot_user.id,
                data,
                uploads,
                interaction=record,
                allow_ephemeral=True,
                message_type=msg_type,
            )
            record.original_id = message.id
            return message
        if kind == DEFERRED_CHANNEL_MESSAGE:
            flags = int(data.get("flags") or 0) & st.EPHEMERAL
            message = st.Message(
                id=self.double.snowflakes.next(),
                channel_id=self._channel(record).id,
                guild_id=record.guild_id,
                author_id=self.double.bot_user.id,
                flags=flags | st.LOADING,
                type=msg_type,
                created_at=self.double.now(),
                webhook_id=self.double.application_id,
                application_id=self.double.application_id,
                interaction_id=record.id,
            )
            if message.ephemeral:
                self.state.messages[message.id] = message
            else:
                self.state.add_message(message)
                messaging.dispatch_create(message)
            record.original_id = message.id
            return message
        if kind in (DEFERRED_UPDATE, UPDATE_MESSAGE):
            source = self.state.messages[record.source_message_id or 0]
            record.original_id = source.id
            if kind == UPDATE_MESSAGE:
                messaging.edit(source, data, uploads)
                return source
            return None
        if kind == AUTOCOMPLETE_RESULT:
            limits.check_choices(data.get("choices") or [])
            return None
        if kind == MODAL:
            limits.check_modal(data)
            return None
        raise AssertionError(kind)

    # the interaction webhook -------------------------------------------------------------

    def _record(self, request: web.Request) -> st.InteractionRecord:
        record = self.state.interactions_by_token.get(request.match_info["interaction_token"])
        if (
            record is None
            or int(request.match_info["application_id"]) != self.double.application_id
        ):
            raise not_found(UNKNOWN_WEBHOOK, "Webhook")
        # The token is valid for 15 minutes on the double's clock (the one tests move).
        # https://discord.com/developers/docs/interactions/receiving-and-responding#followup-messages
        created = record.created_at or self.double.now()
        if self.double.now() - created > TOKEN_LIFETIME:
            raise DiscordError(401, 50027, "Invalid Webhook Token")
        if not record.acknowledged or record.late:
            raise not_found(UNKNOWN_WEBHOOK, "Webhook")
        return record

    def _message(self, record: st.InteractionRecord, request: web.Request) -> st.Message:
        raw = request.match_info.get("message_id")
        if raw is None:
            ident = record.original_id
        else:
            ident = int(raw)
            if ident != record.original_id and ident not in record.followup_ids:
                ident = None
        message = self.state.messages.get(ident or 0)
        if message is None or message.deleted:
            raise not_found(UNKNOWN_MESSAGE, "Message")
        return message

    @route("POST", "/webhooks/{application_id}/{interaction_token}")
    async def followup(self, request: web.Request) -> web.Response:
        record = self._record(request)
        body, uploads = await read_body(request)
        original = self.state.messages.get(record.original_id or 0)
        if (
            record.response_type == DEFERRED_CHANNEL_MESSAGE
            and original
            and original.flags & st.LOADING
        ):
            # The first followup after a "thinking" defer replaces the loading message and
            # keeps the ephemeral choice made when deferring.
            body = {k: v for k, v in body.items() if k != "flags"}
            message = self.double.messaging.edit(original, body, uploads)
        else:
            message = self.double.messaging.create(
                self._channel(record),
                self.double.bot_user.id,
                body,
                uploads,
                interaction=record,
                allow_ephemeral=True,
            )
            record.followup_ids.append(message.id)
        record.touch()
        if request.query.get("wait") in ("0", "false", "False"):
            return no_content()
        return json_response(self.payloads.message(message))

    @route("GET", "/webhooks/{application_id}/{interaction_token}/messages/@original")
    async def get_original(self, request: web.Request) -> web.Response:
        record = self._record(request)
        return json_response(self.payloads.message(self._message(record, request)))

    @route("PATCH", "/webhooks/{application_id}/{interaction_token}/messages/@original")
    async def edit_original(self, request: web.Request) -> web.Response:
        return await self._edit(request)

    @route("DELETE", "/webhooks/{application_id}/{interaction_token}/messages/@original")
    async def delete_original(self, request: web.Request) -> web.Response:
        return self._delete(request)

    @route("GET", "/webhooks/{application_id}/{interaction_token}/messages/{message_id}")
    async def get_followup(self, request: web.Request) -> web.Response:
        record = self._record(request)
        return json_response(self.payloads.message(self._message(record, request)))

    @route("PATCH", "/webhooks/{application_id}/{interaction_token}/messages/{message_id}")
    async def edit_followup(self, request: web.Request) -> web.Response:
        return await self._edit(request)

    @route("DELETE", "/webhooks/{application_id}/{interaction_token}/messages/{message_id}")
    async def delete_followup(self, request: web.Request) -> web.Response:
        return self._delete(request)

    async def _edit(self, request: web.Request) -> web.Response:
        record = self._record(request)
        message = self._message(record, request)
        body, uploads = await read_body(request)
        self.double.messaging.edit(message, body, uploads)
        record.touch()
        return json_response(self.payloads.message(message))

    def _delete(self, request: web.Request) -> web.Response:
        record = self._record(request)
        message = self._message(record, request)
        self.double.messaging.delete(message)
        record.touch()
        return no_content()


def _describe(record: st.InteractionRecord) -> str:
    data = record.data
    if record.type in (APPLICATION_COMMAND, AUTOCOMPLETE):
        return f"/{data.get('name')}"
    return str(data.get("custom_id"))
