"""Creating, editing and deleting messages, shared by channel routes, webhooks and callbacks.

Validation (limits.py) happens here so every path a bot can send a message through is held
to the same rules; gateway events for the bot's own messages are dispatched here too.
"""

from __future__ import annotations

import mimetypes
from typing import TYPE_CHECKING, Any

from . import limits
from . import state as st
from .errors import EMPTY_MESSAGE, DiscordError, FormErrors
from .http_util import Upload

if TYPE_CHECKING:
    from .server import DiscordDouble

# Flags a bot may set on a message it sends: SUPPRESS_EMBEDS, EPHEMERAL (interactions only),
# SUPPRESS_NOTIFICATIONS, IS_COMPONENTS_V2.
SETTABLE_FLAGS = (1 << 2) | st.EPHEMERAL | (1 << 12) | st.IS_COMPONENTS_V2


class Messaging:
    def __init__(self, double: DiscordDouble) -> None:
        self.double = double
        self.state = double.state

    def build_attachments(
        self,
        body: dict[str, Any],
        uploads: list[Upload],
        existing: list[st.Attachment] | None,
    ) -> list[st.Attachment] | None:
        """The attachment list after a create/edit; None means "leave as is" on an edit."""
        by_field = {u.field: u for u in uploads}
        used: set[str] = set()
        result: list[st.Attachment] = []
        keep = {a.id: a for a in existing or []}
        if "attachments" in body and body["attachments"] is not None:
            for entry in body["attachments"]:
                ident = int(entry.get("id", -1))
                upload = by_field.get(f"files[{ident}]")
                if upload is not None:
                    used.add(upload.field)
                    result.append(self._attachment(upload, entry))
                elif ident in keep:
                    result.append(keep[ident])
        elif not uploads:
            return None if existing is not None else []
        else:
            result = [] if existing is None else list(existing)
        for upload in uploads:
            if upload.field not in used:
                result.append(self._attachment(upload, {}))
        return result

    def _attachment(self, upload: Upload, entry: dict[str, Any]) -> st.Attachment:
        filename = entry.get("filename") or upload.filename
        content_type = upload.content_type
        if not content_type or content_type == "application/octet-stream":
            content_type = mimetypes.guess_type(filename)[0] or content_type
        return st.Attachment(
            id=self.double.snowflakes.next(),
            filename=filename,
            data=upload.data,
            content_type=content_type,
            description=entry.get("description"),
        )

    def create(
        self,
        channel: st.Channel,
        author_id: int,
        body: dict[str, Any],
        uploads: list[Upload],
        *,
        interaction: st.InteractionRecord | None = None,
        allow_ephemeral: bool = False,
        message_type: int = 0,
        message_id: int | None = None,
    ) -> st.Message:
        limits.check_uploads([len(u.data) for u in uploads])
        attachments = self.build_attachments(body, uploads, None) or []
        limits.check_message(body, creating=True, has_files=bool(attachments))
        self._check_reply(channel, body)
        flags = int(body.get("flags") or 0)
        if flags & ~SETTABLE_FLAGS:
            errs = FormErrors()
            errs.add(("flags",), "MESSAGE_FLAGS_INVALID", "Invalid flags.")
            errs.raise_if_any()
        if flags & st.EPHEMERAL and not allow_ephemeral:
            flags &= ~st.EPHEMERAL  # Discord ignores the flag outside interaction responses
        poll = body.get("poll")
        message = st.Message(
            id=message_id or self.double.snowflakes.next(),
            channel_id=channel.id,
            guild_id=channel.guild_id,
            author_id=author_id,
            content=body.get("content") or "",
            embeds=[self._embed(e) for e in body.get("embeds") or []],
            components=st.as_stored(body.get("components") or []),
            attachments=attachments,
            allowed_mentions=body.get("allowed_mentions"),
            flags=flags,
            type=message_type,
            tts=bool(body.get("tts", False)),
            poll=self.double.payloads.poll(poll) if poll else None,
            created_at=self.double.now(),
            nonce=body.get("nonce"),
            message_reference=body.get("message_reference"),
        )
        if interaction is not None:
            message.webhook_id = self.double.application_id
            message.application_id = self.double.application_id
            message.interaction_id = interaction.id
        if message.ephemeral:
            # Ephemeral messages exist only for the interaction's user: not in the channel's
            # history and never dispatched to the bot.
            self.state.messages[message.id] = message
            return message
        self.state.add_message(message)
        self.dispatch_create(message)
        return message

    def _check_reply(self, channel: st.Channel, body: dict[str, Any]) -> None:
        """A reply to a message that is not there fails unless fail_if_not_exists is false.

        https://discord.com/developers/docs/resources/message#message-reference-structure
        """
        ref = body.get("message_reference")
        if not isinstance(ref, dict) or ref.get("type", 0) != 0:
            return
        target = self.state.messages.get(int(ref.get("message_id") or 0))
        channel_id = int(ref.get("channel_id") or channel.id)
        if (
            target is not None
            and not target.deleted
            and not target.ephemeral
            and target.channel_id == channel_id
        ):
            return
        if ref.get("fail_if_not_exists", True) is False:
            body.pop("message_reference")  # sent as a plain message
            return
        errs = FormErrors()
        errs.add(("message_reference",), "MESSAGE_REFERENCE_UNKNOWN_MESSAGE", "Unknown message")
        errs.raise_if_any()

    def dispatch_create(self, message: st.Message) -> None:
        self.double.dispatch("MESSAGE_CREATE", self.double.payloads.message(message, gateway=True))

    def edit(self, message: st.Message, body: dict[str, Any], uploads: list[Upload]) -> st.Message:
        limits.check_uploads([len(u.data) for u in uploads])
        attachments = self.build_attachments(body, uploads, message.attachments)
        limits.check_message(body, creating=False)
        content = (body.get("content") or "") if "content" in body else message.content
        embeds = (
            [self._embed(e) for e in body["embeds"] or []] if "embeds" in body else message.embeds
        )
        components = (
            st.as_stored(body.get("components") or [])
            if "components" in body
            else message.components
        )
        kept = message.attachments if attachments is None else attachments
        if not (content or embeds or components or kept or message.poll):
            raise DiscordError(400, EMPTY_MESSAGE, "Cannot send an empty message")
        message.history.append(
            {"content": message.content, "embeds": message.embeds, "components": message.components}
        )
        message.content, message.embeds, message.components = content, embeds, components
        message.attachments = kept
        if "allowed_mentions" in body:
            message.allowed_mentions = body["allowed_mentions"]
        if body.get("flags") is not None:
            # Only SUPPRESS_EMBEDS / IS_COMPONENTS_V2 can change on edit; ephemeral stays.
            keep = message.flags & st.EPHEMERAL
            message.flags = keep | (int(body["flags"]) & ((1 << 2) | st.IS_COMPONENTS_V2))
        message.flags &= ~st.LOADING
        message.edited_at = self.double.now()
        if not message.ephemeral:
            self.double.dispatch(
                "MESSAGE_UPDATE", self.double.payloads.message(message, gateway=True)
            )
        return message

    def delete(self, message: st.Message) -> None:
        message.deleted = True
        if message.ephemeral:
            return
        data: dict[str, Any] = {"id": str(message.id), "channel_id": str(message.channel_id)}
        if message.guild_id is not None:
            data["guild_id"] = str(message.guild_id)
        self.double.dispatch("MESSAGE_DELETE", data)

    def _embed(self, embed: dict[str, Any]) -> dict[str, Any]:
        # Discord fills in "type": "rich" for embeds a bot sends.
        return {"type": "rich", **embed}
