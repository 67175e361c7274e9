"""The core's ports on Matrix (matrix-nio).

Ids: a person is "matrix:@anna:example.org", a room "matrix:!abc:example.org", a thread
"matrix:!abc:example.org/$root" (the room and the event it starts at). Matrix has no roles,
so a platform role is a room: holding it means being in the room; a group's role and its
channel are the same private room. Buttons become reactions (matrix.reactions); quick
polls with a native form become Matrix polls whose answer ids are the buttons' ids.
"""

from __future__ import annotations

import asyncio
import io
import json
import logging
import re
from collections.abc import Iterator, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, replace
from itertools import count
from typing import Any

import aiohttp
from nio import (
    AsyncClient,
    EncryptionError,
    ErrorResponse,
    MatrixRoom,
    RoomGetStateEventResponse,
    RoomPreset,
    RoomVisibility,
    SendRetryError,
    UploadResponse,
)

from bot.app import App
from bot.i18n import t, use_locale
from bot.ports import Access, DeliveryFailed, GroupSpace, MessageRef, ScheduledEventSpec
from bot.refs import native_id, platform_id
from bot.replies import Attachment, Reply
from bot.text import chunks, inert
from bot.timelang.timestamps import render
from matrix import crypto, markup, reactions
from matrix.store import MatrixStore, Offer, Reacted

log = logging.getLogger(__name__)

PLATFORM = "matrix"
POLL_START = "org.matrix.msc3381.poll.start"
POLL_END = "org.matrix.msc3381.poll.end"
TEXT = "org.matrix.msc1767.text"
# Errors after which trying again cannot help.
_PERMANENT = {"M_FORBIDDEN", "M_NOT_FOUND", "M_UNKNOWN_TOKEN", "M_TOO_LARGE", "M_BAD_JSON"}
# Commands are typed as `!remind …`; the core's texts name them as `/remind …`.
COMMAND_PREFIX = "!"
# While a reply with a nonce is delivered (an outbox letter): the transaction ids of the
# events it sends, made from the nonce, so that the homeserver answers a delivery repeated
# after a crash with the events of the first instead of showing them twice.
_TXN_IDS: ContextVar[Iterator[str] | None] = ContextVar("matrix_txn_ids", default=None)
MODERATOR_LEVEL = 50
ADMIN_LEVEL = 100


@dataclass(frozen=True)
class Place:
    """A room, or a thread in it."""

    room_id: str
    thread_root: str | None = None

    @classmethod
    def of(cls, channel_id: str) -> Place:
        room, _, root = native_id(channel_id).partition("/")
        return cls(room, root or None)

    @property
    def channel_id(self) -> str:
        suffix = f"/{self.thread_root}" if self.thread_root else ""
        return platform_id(PLATFORM, f"{self.room_id}{suffix}")


def poll_key(room_id: str, event_id: str) -> str:
    """Where a poll's answers are kept: a vote counts only in the poll's own room."""
    return f"poll:{room_id}/{event_id}"


def room_ref_id(room_id: str) -> str:
    return platform_id(PLATFORM, room_id)


def check(response: Any, what: str) -> Any:
    """The response, or DeliveryFailed saying what failed and whether to retry."""
    if isinstance(response, ErrorResponse):
        raise DeliveryFailed(f"{what}: {response}", permanent=response.status_code in _PERMANENT)
    return response


# How long a check of someone's membership may hold up the direct messages.
ASK_TIMEOUT_S = 10.0


class MatrixPorts:
    """Messenger, Members, GuildAdmin and Announcer for one Matrix account."""

    def __init__(self, client: AsyncClient) -> None:
        self._client = client
        self._store_: MatrixStore | None = None
        self._app: App | None = None
        self._command_names: re.Pattern[str] | None = None
        # One DM room per person even when two messages go out at once.
        self._dm_lock = asyncio.Lock()

    def attach(self, app: App, store: MatrixStore) -> None:
        self._app = app
        self._store_ = store

    @property
    def _store(self) -> MatrixStore:
        if self._store_ is None:
            raise RuntimeError("the Matrix ports are not attached to an app yet")
        return self._store_

    @property
    def app(self) -> App:
        if self._app is None:
            raise RuntimeError("the Matrix ports are not attached to an app yet")
        return self._app

    @property
    def guild_id(self) -> str:
        """One community per bot account, named after the bot's homeserver."""
        return platform_id(PLATFORM, self._client.user_id.split(":", 1)[1])

    # -- sending ---------------------------------------------------------------------

    async def _call(self, what: str, request: Any) -> Any:
        """Await a nio request; a dropped connection is a retryable failure."""
        try:
            return check(await request, what)
        except (aiohttp.ClientError, TimeoutError, EncryptionError, SendRetryError) as exc:
            # Encryption fails when device lists or one-time keys could not be fetched.
            raise DeliveryFailed(f"{what}: {exc!r}") from exc

    async def send_event(self, room_id: str, event_type: str, content: dict[str, Any]) -> str:
        """Send one event; in an encrypted room nio encrypts it (after sharing the room
        key with every device of the members, trusted on first use: matrix.crypto)."""
        txn_ids = _TXN_IDS.get()
        tx_id = next(txn_ids) if txn_ids is not None else None
        placeholder = await self._known_to_nio(room_id)
        if self.encrypts(room_id):
            await self._call("device keys", crypto.devices_known(self._client))
        try:
            response = await self._call(
                f"send to {room_id}",
                self._client.room_send(
                    room_id, event_type, content, tx_id=tx_id, ignore_unverified_devices=True
                ),
            )
        finally:
            if (
                placeholder is not None
                and not placeholder.users
                and self._client.rooms.get(room_id) is placeholder
            ):
                # A plain room: nio needed it only to see that it is not encrypted; sync
                # adds the room with its members soon. (Once sync has filled it, it stays:
                # later syncs carry only what is new, not who is in the room.)
                self._client.rooms.pop(room_id, None)
        return str(response.event_id)

    async def _known_to_nio(self, room_id: str) -> MatrixRoom | None:
        """With encryption on, nio sends only to rooms it has seen in sync. A room joined
        or made a moment ago is added with its encryption read from the room's state
        (nio then fetches its members and their keys itself); returns what was added."""
        if self._client.olm is None or room_id in self._client.rooms:
            return None
        encrypted = await self.encrypted_state(room_id)
        if room_id in self._client.rooms:
            # Sync brought the room, with its members, while the state was asked for:
            # replacing it would lose who is in the room for good.
            return None
        room = MatrixRoom(room_id, self._client.user_id, encrypted=encrypted)
        self._client.rooms[room_id] = room
        return room

    async def encrypted_state(self, room_id: str) -> bool:
        """Whether the room's state says it is encrypted (asked of the homeserver)."""
        response = await self._client.room_get_state_event(room_id, "m.room.encryption")
        return isinstance(response, RoomGetStateEventResponse)

    def encrypts(self, room_id: str) -> bool:
        """Whether what the bot sends to this room is encrypted."""
        room = self._client.rooms.get(room_id)
        return self._client.olm is not None and room is not None and room.encrypted

    async def zone_of(self, reader: str | None) -> str:
        """The zone dates are shown in: the reader's, or the community's. (Their language
        is the one the message was worded in: one message, one language.)"""
        return await self.app.community.timezone_for(reader or "", self.guild_id)

    async def deliver(
        self, place: Place, reply: Reply, *, reader: str | None, notice: bool = False
    ) -> str:
        """Send a reply (text, its buttons as reactions or a poll, its files) and return
        the id of the message that stands for it (the one later edits change)."""
        txn_ids = (f"podaj-{reply.nonce}.{n}" for n in count()) if reply.nonce else None
        token = _TXN_IDS.set(txn_ids)
        try:
            locale, zone = reply.locale, await self.zone_of(reader)
            with use_locale(locale):
                if reply.poll is not None and reply.buttons:
                    first = await self._send_poll(place, reply, locale, zone)
                else:
                    first = await self._send_text(place, reply, locale, zone, notice)
            for attachment in reply.files:
                event_id = await self._send_file(place, attachment)
                first = first or event_id
        finally:
            _TXN_IDS.reset(token)
        if not first:
            raise DeliveryFailed("an empty reply", permanent=True)
        return first

    async def _send_text(
        self, place: Place, reply: Reply, locale: str, zone: str, notice: bool
    ) -> str:
        parts, offered = self._readable(reply, locale, zone)
        first = ""
        for content in self._contents(parts, self._mentions(reply), notice):
            if not first and reply.reply_to:
                content = markup.as_reply(content, reply.reply_to)
            event_id = await self.send_event(
                place.room_id, "m.room.message", self._placed(place, content)
            )
            first = first or event_id
        if offered and first:
            await self._offer_reactions(place.room_id, first, offered)
        return first

    def _readable(
        self, reply: Reply, locale: str, zone: str
    ) -> tuple[list[markup.Part], list[reactions.Offered]]:
        """The reply's parts (its text, its cards, the legend of its reactions) as the
        reader reads them, and which emoji stands for which button."""
        offered = reactions.assign(reply.buttons)
        lines = []
        if choices := reactions.legend(offered):
            lines.append(t("matrix.react", choices=choices))
        if reactions.undoable(offered):
            lines.append(t("matrix.react_undo"))
        legend = "\n".join(lines)
        parts = markup.reply_parts(reply, legend)
        return [self._rendered_part(part, locale, zone) for part in parts], offered

    @staticmethod
    def _contents(
        parts: list[markup.Part], mentions: dict[str, str], notice: bool = False
    ) -> list[dict[str, Any]]:
        """The messages that say these parts: one, with cards as tables; a reply too long
        for one message is split into several of plain markdown."""
        whole = markup.parts_markdown(parts)
        if not whole.strip():
            return []
        if len(whole) <= markup.MAX_BODY:
            return [markup.parts_content(parts, mentions=mentions, notice=notice)]
        return [
            markup.message_content(piece, mentions=mentions, notice=notice)
            for piece in chunks(whole, markup.MAX_BODY)
        ]

    def _rendered_part(self, part: markup.Part, locale: str, zone: str) -> markup.Part:
        if isinstance(part, str):
            return self._rendered(part, locale, zone)
        fields = tuple(
            replace(
                field,
                name=self._rendered(field.name, locale, zone),
                value=self._rendered(field.value, locale, zone),
            )
            for field in part.fields
        )
        return replace(
            part,
            title=self._rendered(part.title, locale, zone),
            description=self._rendered(part.description, locale, zone),
            fields=fields,
            footer=self._rendered(part.footer, locale, zone),
        )

    def _rendered(self, text: str, locale: str, zone: str) -> str:
        """Times in the reader's zone and language, and commands as typed here (`!remind`)."""
        return self._as_typed(render(text, now=self.app.clock.now(), tz=zone, locale=locale))

    def _as_typed(self, text: str) -> str:
        if self._command_names is None:
            roots = sorted({c.path.split()[0] for c in self.app.registry.all()}, key=len)
            names = "|".join(re.escape(root) for root in reversed(roots))
            self._command_names = re.compile(rf"(?<![\w/<:])/(?=(?:{names})\b)")
        return self._command_names.sub(COMMAND_PREFIX, text)

    def _mentions(self, reply: Reply) -> dict[str, str]:
        return {native_id(user): self.mention(user) for user in reply.mentions}

    @staticmethod
    def _placed(place: Place, content: dict[str, Any]) -> dict[str, Any]:
        return markup.in_thread(content, place.thread_root) if place.thread_root else content

    async def _offer_reactions(
        self, room_id: str, event_id: str, offered: Sequence[reactions.Offered]
    ) -> None:
        """Remember what each reaction does, then add them so people need one click."""
        await self._store.set_reactions(room_id, event_id, map(_offer_row, offered))
        for offer in offered:
            if offer.press is not None:
                await self.seed(room_id, event_id, offer.emoji)

    async def react(self, room_id: str, event_id: str, key: str) -> str:
        relation = {"rel_type": "m.annotation", "event_id": event_id, "key": key}
        return await self.send_event(room_id, "m.reaction", {"m.relates_to": relation})

    async def seed(self, room_id: str, message_id: str, emoji: str) -> None:
        """The bot's own reaction on its message, so people need one click; it is kept on
        the books so that it can give way once people use it (matrix.bot)."""
        reaction_id = await self.react(room_id, message_id, emoji)
        key = reactions.normalized(emoji)
        own = Reacted(reaction_id, room_id, message_id, key, self.own_id)
        await self._store.note_reaction(own)

    @property
    def own_id(self) -> str:
        """The bot's own platform id ("matrix:@podaj:example.org")."""
        return platform_id(PLATFORM, self._client.user_id)

    async def redact(self, room_id: str, event_id: str) -> None:
        await self._call(f"redact {event_id}", self._client.room_redact(room_id, event_id))

    def may_redact_others(self, room_id: str) -> bool:
        """Whether the bot's power level in the room lets it redact other people's events."""
        room = self._client.rooms.get(room_id)
        return room is not None and room.power_levels.can_user_redact(self._client.user_id)

    async def _send_poll(self, place: Place, reply: Reply, locale: str, zone: str) -> str:
        """A Matrix poll; each answer's id is the button it stands for, so a vote is a
        press. Clients that cannot show polls show the text fallback."""
        assert reply.poll is not None
        spec = reply.poll
        answers = [
            {"id": button.custom_id, TEXT: answer}
            for button, answer in zip(reply.buttons, spec.answers, strict=False)
        ]
        fallback = self._rendered(markup.plain(reply.text), locale, zone)
        content = {
            POLL_START: {
                "kind": "org.matrix.msc3381.poll.disclosed",
                "max_selections": 1,
                "question": {TEXT: spec.question},
                "answers": answers,
            },
            TEXT: fallback,
            "body": fallback,
        }
        event_id = await self.send_event(place.room_id, POLL_START, self._placed(place, content))
        key = poll_key(place.room_id, event_id)
        await self._store.put(key, json.dumps([a["id"] for a in answers]))
        await self._store.put(f"{key}:start", json.dumps(content[POLL_START]))
        return event_id

    async def _send_file(self, place: Place, attachment: Attachment) -> str:
        """Upload a file and post it; in an encrypted room the file itself is encrypted
        too (the homeserver keeps only ciphertext; its key travels in the event)."""
        mimetype = _mimetype(attachment.filename)
        await self._known_to_nio(place.room_id)
        encrypt = self.encrypts(place.room_id)
        response, keys = await self._client.upload(
            io.BytesIO(attachment.data),
            content_type="application/octet-stream" if encrypt else mimetype,
            filename=attachment.filename,
            encrypt=encrypt,
            filesize=len(attachment.data),
        )
        if not isinstance(response, UploadResponse):
            check(response, f"upload {attachment.filename}")
        content: dict[str, Any] = {
            "msgtype": "m.image" if mimetype.startswith("image/") else "m.file",
            "body": attachment.filename,
            "filename": attachment.filename,
            "info": {"mimetype": mimetype, "size": len(attachment.data)},
            "m.mentions": {},
        }
        if keys is not None:
            content["file"] = {**keys, "url": response.content_uri}
        else:
            content["url"] = response.content_uri
        return await self.send_event(place.room_id, "m.room.message", self._placed(place, content))

    # -- the Messenger port ----------------------------------------------------------

    async def send_dm(self, user_id: str, reply: Reply) -> MessageRef:
        room_id = await self.dm_room(user_id)
        event_id = await self.deliver(Place(room_id), reply, reader=user_id)
        return MessageRef(room_ref_id(room_id), event_id)

    async def send_channel(self, channel_id: str, reply: Reply) -> MessageRef:
        place = Place.of(channel_id)
        event_id = await self.deliver(place, reply, reader=None)
        return MessageRef(place.channel_id, event_id)

    async def edit_message(self, channel_id: str, message_id: str, reply: Reply) -> None:
        place = Place.of(channel_id)
        locale = reply.locale
        zone = await self.zone_of(await self._store.dm_person(place.room_id))
        if await self._store.get(poll_key(place.room_id, message_id)) is not None:
            await self._edit_poll(place, message_id, reply, locale, zone)
            return
        with use_locale(locale):
            parts, offered = self._readable(reply, locale, zone)
        new = (self._contents(parts, self._mentions(reply)) or self._contents(["…"], {}))[0]
        await self.send_event(place.room_id, "m.room.message", markup.edit_content(message_id, new))
        before = await self._store.reaction_keys(message_id)
        await self._store.set_reactions(place.room_id, message_id, map(_offer_row, offered))
        for offer in offered:
            if offer.press is not None and offer.key not in before:
                await self.seed(place.room_id, message_id, offer.emoji)

    async def _edit_poll(
        self, place: Place, message_id: str, reply: Reply, locale: str, zone: str
    ) -> None:
        """Poll clients count the votes themselves; the message changes only when the
        poll closes (no buttons any more): then the poll is ended, and its text, which
        clients without polls show, is edited to the final count."""
        if reply.buttons:
            return
        text = self._rendered(markup.plain(reply.text), locale, zone)
        content = {
            POLL_END: {},
            TEXT: text,
            "body": text,
            "m.relates_to": {"rel_type": "m.reference", "event_id": message_id},
        }
        await self.send_event(place.room_id, POLL_END, content)
        key = poll_key(place.room_id, message_id)
        await self._store.put(key, "[]")
        start = await self._store.get(f"{key}:start")
        if start is not None:
            final = {POLL_START: json.loads(start), TEXT: text, "body": text}
            edit = {
                **final,
                TEXT: f"* {text}",
                "body": f"* {text}",
                "m.new_content": final,
                "m.relates_to": {"rel_type": "m.replace", "event_id": message_id},
            }
            await self.send_event(place.room_id, POLL_START, edit)

    def mention(self, user_id: str) -> str:
        """A person as Element writes a pill: by display name (a message that may ping them
        makes it a pill, matrix.markup); by id when no room of the bot shows them. A name
        someone else in a room of the bot also has is told apart by the id, as Element
        does ("Kasia (@anna:example.org)"): two people written alike would otherwise both
        become the pill of the first."""
        mxid = native_id(user_id)
        rooms = self._client.rooms.values()
        for room in rooms:
            member = room.users.get(mxid)
            if member is not None and member.display_name:
                name = member.display_name
                shared = any(set(other.names.get(name, ())) - {mxid} for other in rooms)
                return inert(member.disambiguated_name if shared else name)
        return mxid

    async def dm_room(self, user_id: str) -> str:
        """The person's direct room with the bot, made (and the person invited) if need be:
        encrypted, as Element makes direct chats, when the person's client encrypts (one of
        their devices has published keys); a person whose client cannot encrypt would
        otherwise get a room they cannot read."""
        mxid = native_id(user_id)
        async with self._dm_lock:
            known = await self._store.dm_room(user_id)
            if known and await self._still_open(known, mxid):
                return known
            if known:
                # They declined or left: no new invite each time, until they write again
                # (a new direct chat they open replaces this one).
                raise DeliveryFailed(f"{mxid} left their direct room", permanent=True)
            encrypted = await self._call(
                f"the devices of {mxid}", crypto.can_encrypt_for(self._client, mxid)
            )
            response = await self._call(
                f"a direct room with {mxid}",
                self._client.room_create(
                    visibility=RoomVisibility.private,
                    is_direct=True,
                    preset=RoomPreset.trusted_private_chat,
                    invite=[mxid],
                    initial_state=[crypto.ENCRYPTION_STATE] if encrypted else [],
                ),
            )
            room_id = str(response.room_id)
            if encrypted:
                crypto.expect_invited(self._client, room_id, mxid)
            await self._store.set_dm_room(user_id, room_id)
            return room_id

    async def _still_open(self, room_id: str, mxid: str) -> bool:
        """The room is usable while the person is in it or invited. The bot's view from
        sync may lag or miss them (a room it had not seen in sync yet), so a room that
        does not show them is asked of the homeserver before it is given up."""
        room = self._client.rooms.get(room_id)
        if room is None or mxid in room.users or mxid in room.invited_users:
            return True
        try:
            # Bounded: every direct message waits behind this one (the DM lock).
            response = await asyncio.wait_for(
                self._client.room_get_state_event(room_id, "m.room.member", mxid), ASK_TIMEOUT_S
            )
        except (aiohttp.ClientError, TimeoutError) as exc:
            raise DeliveryFailed(f"the membership of {mxid} in {room_id}: {exc!r}") from exc
        if isinstance(response, RoomGetStateEventResponse):
            return response.content.get("membership") in ("join", "invite")
        if response.status_code not in ("M_NOT_FOUND", "M_FORBIDDEN"):
            check(response, f"the membership of {mxid} in {room_id}")
        return False

    # -- the Members port: a platform role is a room ------------------------------------

    async def add_role(self, guild_id: str, user_id: str, role_id: str) -> Access:
        """Invite the person into the room, unless they are in it already or an invitation
        (the bot's, or one a moderator sent by hand) waits for them."""
        room_id, mxid = native_id(role_id), native_id(user_id)
        room = self._client.rooms.get(room_id)
        if room is not None and mxid in room.invited_users:
            return Access.INVITED
        if room is not None and mxid in room.users:
            return Access.HELD
        try:
            await self._call(f"invite {mxid} to {room_id}", self._client.room_invite(room_id, mxid))
        except DeliveryFailed as exc:
            if "already in the room" not in str(exc):
                raise
            # Joined a moment ago, before the bot's view of the room caught up.
            return Access.HELD
        return Access.INVITED

    async def remove_role(
        self, guild_id: str, user_id: str, role_id: str, *, reason: str = ""
    ) -> None:
        """Take the person out of the room. Only they can leave a room themselves, so the
        bot removes them, and clients show it as a removal ("Podaj dalej removed Anna")
        followed by the reason: it says why, e.g. that they left the group themselves."""
        room_id, mxid = native_id(role_id), native_id(user_id)
        room = self._client.rooms.get(room_id)
        if room is not None and mxid not in room.users and mxid not in room.invited_users:
            return
        await self._call(
            f"remove {mxid} from {room_id}",
            self._client.room_kick(room_id, mxid, reason=reason or None),
        )

    # -- the GuildAdmin port -----------------------------------------------------------

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
        """A private room (invite only) that is both the group's channel and its role;
        the managers are invited as moderators. Matrix has no categories: the category
        becomes part of the room's topic. The room is both, so a repair (`keep`) never
        finds one without the other: a new room is made."""
        invited = [native_id(m) for m in managers]
        response = await self._call(
            f"create room {channel_name}",
            self._client.room_create(
                visibility=RoomVisibility.private,
                name=channel_name,
                topic=f"{category} · {name}" if category else name,
                preset=RoomPreset.private_chat,
                invite=invited,
            ),
        )
        # Raised after creation, not in the create request: a `users` override must list the
        # creator before room version 12 and must not from 12 on. Only moderators (the
        # bot, the managers) may invite: a private room lets every member invite, and a
        # guest would read what is said for the group's members only.
        await self._change_levels(
            response.room_id,
            lambda levels: _managed_room(levels, invited),
        )
        room = room_ref_id(response.room_id)
        return GroupSpace(room, name, room, channel_name)

    async def channel_exists(self, guild_id: str, channel_id: str) -> bool:
        """Whether the bot is in the room, asked of the homeserver (/joined_rooms), not of
        the synced rooms: a room shut down, or one the bot was removed from, is not."""
        joined = await self._call("joined rooms", self._client.joined_rooms())
        return Place.of(channel_id).room_id in joined.rooms

    async def role_exists(self, guild_id: str, role_id: str) -> bool:
        # A group's room is also its role.
        return await self.channel_exists(guild_id, role_id)

    async def set_channel_manager(
        self, guild_id: str, channel_id: str, user_id: str, *, allowed: bool
    ) -> None:
        mxid = native_id(user_id)
        await self._change_levels(
            Place.of(channel_id).room_id,
            lambda levels: _set_user_levels(levels, [mxid], MODERATOR_LEVEL if allowed else None),
        )

    async def archive_channel(self, guild_id: str, channel_id: str, role_id: str | None) -> None:
        """Members keep reading; writing needs the bot's own level."""
        await self._change_levels(
            Place.of(channel_id).room_id, lambda levels: levels.update(events_default=ADMIN_LEVEL)
        )

    async def _change_levels(self, room_id: str, change: Any) -> None:
        current = await self._call(
            f"power levels of {room_id}",
            self._client.room_get_state_event(room_id, "m.room.power_levels"),
        )
        levels = dict(current.content)
        change(levels)
        await self._call(
            f"set power levels of {room_id}",
            self._client.room_put_state(room_id, "m.room.power_levels", levels),
        )

    async def create_thread(
        self, guild_id: str, channel_id: str, name: str, first: Reply
    ) -> MessageRef:
        """The thread starts at a message titled `name` followed by `first`."""
        place = Place.of(channel_id)
        if place.thread_root or await self._store.dm_person(place.room_id):
            raise DeliveryFailed("threads start in group and community rooms", permanent=True)
        titled = Reply(f"🧵 **{inert(name)}**\n\n{first.text}".strip(), first.embeds, first.buttons)
        root = await self.deliver(place, titled, reader=None)
        for attachment in first.files:
            await self._send_file(Place(place.room_id, root), attachment)
        return MessageRef(Place(place.room_id, root).channel_id, root)

    async def set_slowmode(self, guild_id: str, channel_id: str, seconds: int) -> int:
        """Matrix has no slow mode: it is remembered (and shown by the panel), not enforced."""
        key = f"slowmode:{channel_id}"
        before = int(await self._store.get(key) or 0)
        await self._store.put(key, str(seconds))
        return before

    # -- the Announcer port: a forum post is a thread in the announcements room ----------

    async def create_forum_post(
        self, forum_id: str, title: str, reply: Reply, tag_names: Sequence[str]
    ) -> MessageRef:
        place = Place.of(forum_id)
        root = await self.deliver(place, Reply(_post_title(title, tag_names)), reader=None)
        await self._store.put(f"thread:{root}", json.dumps(list(tag_names)))
        thread = Place(place.room_id, root)
        first = await self.deliver(thread, reply, reader=None)
        return MessageRef(thread.channel_id, first)

    async def rename_thread(self, thread_id: str, title: str) -> None:
        place = Place.of(thread_id)
        if place.thread_root is None:
            return
        tags = json.loads(await self._store.get(f"thread:{place.thread_root}") or "[]")
        new = markup.message_content(_post_title(title, tags), mentions={})
        await self.send_event(
            place.room_id, "m.room.message", markup.edit_content(place.thread_root, new)
        )

    async def reopen_thread(self, thread_id: str) -> None:
        return None  # Matrix threads never archive

    def link(self, guild_id: str, channel_id: str) -> str:
        place = Place.of(channel_id)
        event = f"/{place.thread_root}" if place.thread_root else ""
        # Newer room ids name no server: `via` tells other servers where to ask.
        via = self._client.user_id.partition(":")[2]
        return f"https://matrix.to/#/{place.room_id}{event}?via={via}"

    async def create_scheduled_event(self, guild_id: str, spec: ScheduledEventSpec) -> str:
        """Matrix has no calendar of its own: the announcement thread and its .ics file
        carry the event; the spec is kept so edits and cancellations have their target."""
        number = int(await self._store.get("events:last") or 0) + 1
        await self._store.put("events:last", str(number))
        event_id = platform_id(PLATFORM, f"event:{number}")
        await self._store.put(event_id, _spec_json(spec))
        return event_id

    async def edit_scheduled_event(
        self, guild_id: str, event_id: str, spec: ScheduledEventSpec
    ) -> None:
        await self._store.put(event_id, _spec_json(spec))

    async def cancel_scheduled_event(self, guild_id: str, event_id: str) -> None:
        await self._store.put(event_id, "cancelled")


def _offer_row(offered: reactions.Offered) -> tuple[str, Offer]:
    """How the store keeps what a reaction does."""
    press = offered.press.custom_id if offered.press is not None else None
    undo = offered.undo.custom_id if offered.undo is not None else None
    return offered.key, Offer(offered.emoji, press, undo)


def _post_title(title: str, tags: Sequence[str]) -> str:
    tag_line = " · ".join(f"#{inert(tag)}" for tag in tags)
    return f"📣 **{inert(title)}**" + (f"\n{tag_line}" if tag_line else "")


def _spec_json(spec: ScheduledEventSpec) -> str:
    return json.dumps(
        {
            "name": spec.name,
            "starts_at": spec.starts_at.isoformat(),
            "ends_at": spec.ends_at.isoformat(),
            "location": spec.location,
        }
    )


def _managed_room(levels: dict[str, Any], managers: Sequence[str]) -> None:
    """A group's room: its managers are moderators, and only moderators invite."""
    _set_user_levels(levels, managers, MODERATOR_LEVEL)
    levels["invite"] = MODERATOR_LEVEL


def _set_user_levels(levels: dict[str, Any], mxids: Sequence[str], level: int | None) -> None:
    """Give these people `level` in a power-levels content (None: back to the default)."""
    users = dict(levels.get("users", {}))
    for mxid in mxids:
        if level is None:
            users.pop(mxid, None)
        else:
            users[mxid] = level
    levels["users"] = users


def _mimetype(filename: str) -> str:
    suffix = filename.rsplit(".", 1)[-1].lower()
    return {
        "png": "image/png",
        "ics": "text/calendar",
        "csv": "text/csv",
        "md": "text/markdown",
        "html": "text/html",
        "json": "application/json",
    }.get(suffix, "application/octet-stream")
