"""What the double remembers: the Discord-side truth a test asserts on.

Plain dataclasses; `payloads.py` turns them into the JSON Discord would send.
"""

from __future__ import annotations

import asyncio
import copy
import time
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

# Channel types, https://discord.com/developers/docs/resources/channel#channel-object-channel-types
GUILD_TEXT = 0
DM = 1
GUILD_VOICE = 2
GUILD_STAGE_VOICE = 13
GUILD_CATEGORY = 4
GUILD_ANNOUNCEMENT = 5
ANNOUNCEMENT_THREAD = 10
PUBLIC_THREAD = 11
PRIVATE_THREAD = 12
GUILD_FORUM = 15
THREAD_TYPES = frozenset({ANNOUNCEMENT_THREAD, PUBLIC_THREAD, PRIVATE_THREAD})

# Message flags
EPHEMERAL = 1 << 6
LOADING = 1 << 7
IS_COMPONENTS_V2 = 1 << 15


@dataclass
class User:
    id: int
    username: str
    global_name: str | None = None
    bot: bool = False
    locale: str = "pl"
    # Per-user switch: "Allow direct messages from server members" turned off.
    dms_open: bool = True

    @property
    def mention(self) -> str:
        return f"<@{self.id}>"


@dataclass
class Role:
    id: int
    guild_id: int
    name: str
    permissions: int
    position: int
    color: int = 0
    hoist: bool = False
    mentionable: bool = False
    managed: bool = False
    tags: dict[str, Any] | None = None

    @property
    def mention(self) -> str:
        return f"<@&{self.id}>"


@dataclass
class Member:
    user_id: int
    guild_id: int
    roles: list[int]
    joined_at: datetime
    nick: str | None = None


@dataclass
class Overwrite:
    id: int
    type: int  # 0 role, 1 member
    allow: int = 0
    deny: int = 0


@dataclass
class Channel:
    id: int
    type: int
    name: str | None
    guild_id: int | None = None
    position: int = 0
    parent_id: int | None = None
    topic: str | None = None
    nsfw: bool = False
    rate_limit_per_user: int = 0
    overwrites: list[Overwrite] = field(default_factory=list)
    flags: int = 0
    # forum channels
    available_tags: list[dict[str, Any]] = field(default_factory=list)
    default_auto_archive_duration: int = 4320
    # DM channels
    recipient_id: int | None = None
    # threads (and forum posts)
    owner_id: int | None = None
    applied_tags: list[int] = field(default_factory=list)
    archived: bool = False
    locked: bool = False
    auto_archive_duration: int = 4320
    created_at: datetime | None = None
    member_ids: set[int] = field(default_factory=set)
    message_count: int = 0
    last_message_id: int | None = None
    deleted: bool = False

    @property
    def is_thread(self) -> bool:
        return self.type in THREAD_TYPES

    @property
    def mention(self) -> str:
        return f"<#{self.id}>"


@dataclass
class Attachment:
    id: int
    filename: str
    data: bytes
    content_type: str | None = None
    description: str | None = None

    @property
    def size(self) -> int:
        return len(self.data)


@dataclass
class Message:
    id: int
    channel_id: int
    author_id: int
    content: str = ""
    guild_id: int | None = None
    embeds: list[dict[str, Any]] = field(default_factory=list)
    components: list[dict[str, Any]] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    allowed_mentions: dict[str, Any] | None = None
    flags: int = 0
    type: int = 0
    tts: bool = False
    poll: dict[str, Any] | None = None
    created_at: datetime | None = None
    edited_at: datetime | None = None
    webhook_id: int | None = None
    application_id: int | None = None
    # Set for messages that answer an interaction (original response or followup).
    interaction_id: int | None = None
    message_reference: dict[str, Any] | None = None
    nonce: str | int | None = None
    pinned: bool = False
    deleted: bool = False
    # Each edit keeps the previous content so a story can check what a user saw before.
    history: list[dict[str, Any]] = field(default_factory=list)

    @property
    def text(self) -> str:
        return self.content

    @property
    def ephemeral(self) -> bool:
        return bool(self.flags & EPHEMERAL)

    @property
    def buttons(self) -> list[dict[str, Any]]:
        return [c for c in walk_components(self.components) if c.get("type") == 2]

    @property
    def selects(self) -> list[dict[str, Any]]:
        return [c for c in walk_components(self.components) if c.get("type") in SELECTS]

    @property
    def files(self) -> list[Attachment]:
        return self.attachments


def walk_components(components: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every component in a tree (action rows, containers, sections, labels), depth first."""
    out: list[dict[str, Any]] = []
    for comp in components:
        out.append(comp)
        out.extend(walk_components(comp.get("components") or []))
        for key in ("component", "accessory"):
            child = comp.get(key)
            if isinstance(child, dict):
                out.extend(walk_components([child]))
    return out


SELECTS = frozenset({3, 5, 6, 7, 8})


def as_stored(components: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A copy as Discord stores and returns components: every one with its numeric `id`
    (the sender's own, else the next number not taken, counting from 1 depth first) and
    selects with their `min_values`/`max_values` (default 1).
    https://discord.com/developers/docs/components/reference#anatomy-of-a-component"""
    copied = copy.deepcopy(components)
    every = walk_components(copied)
    for comp in every:
        if comp.get("type") in SELECTS:
            comp.setdefault("min_values", 1)
            comp.setdefault("max_values", 1)
    taken = {c["id"] for c in every if c.get("id")}
    next_id = 1
    for comp in every:
        if comp.get("id"):
            continue
        while next_id in taken:
            next_id += 1
        comp["id"] = next_id
        taken.add(next_id)
    return copied


@dataclass
class ScheduledEvent:
    id: int
    guild_id: int
    name: str
    scheduled_start_time: datetime
    entity_type: int
    privacy_level: int = 2
    status: int = 1  # 1 scheduled, 2 active, 3 completed, 4 canceled
    description: str | None = None
    scheduled_end_time: datetime | None = None
    channel_id: int | None = None
    entity_metadata: dict[str, Any] | None = None
    creator_id: int | None = None
    image: str | None = None
    recurrence_rule: dict[str, Any] | None = None
    deleted: bool = False


@dataclass
class Guild:
    id: int
    name: str
    owner_id: int
    roles: dict[int, Role] = field(default_factory=dict)
    members: dict[int, Member] = field(default_factory=dict)
    channel_ids: list[int] = field(default_factory=list)
    scheduled_events: dict[int, ScheduledEvent] = field(default_factory=dict)
    preferred_locale: str = "pl"
    # Filled by DoubleState so permission code can resolve parents.
    _channels: dict[int, Channel] = field(default_factory=dict, repr=False)

    def channel_for_overwrites(self, channel: Channel) -> Channel:
        if channel.is_thread and channel.parent_id in self._channels:
            return self._channels[channel.parent_id]
        return channel

    @property
    def everyone(self) -> Role:
        return self.roles[self.id]


@dataclass
class Command:
    id: int
    application_id: int
    guild_id: int | None
    payload: dict[str, Any]
    version: int

    @property
    def name(self) -> str:
        return self.payload["name"]

    @property
    def type(self) -> int:
        return self.payload.get("type", 1)


@dataclass
class InteractionRecord:
    """One interaction the double dispatched and everything the bot answered to it."""

    id: int
    token: str
    type: int
    user_id: int
    channel_id: int | None
    guild_id: int | None
    data: dict[str, Any]
    # The message a component/modal interaction came from (its @original).
    source_message_id: int | None = None
    # When the INTERACTION_CREATE frame was written to the socket (monotonic seconds).
    dispatched_at: float | None = None
    # When it was created on the double's clock (the 15-minute token lifetime runs on it).
    created_at: datetime | None = None
    responded_at: float | None = None
    response_type: int | None = None
    response_data: dict[str, Any] | None = None
    # The @original message: created by callback 4/5, or the component's message for 6/7.
    original_id: int | None = None
    followup_ids: list[int] = field(default_factory=list)
    late: bool = False
    # Set by the double whenever something about this interaction changes, so helpers can
    # wait for a deferred answer without polling.
    changed: asyncio.Event = field(default_factory=asyncio.Event, repr=False)

    @property
    def acknowledged(self) -> bool:
        return self.response_type is not None

    def touch(self) -> None:
        self.changed.set()


@dataclass
class RequestRecord:
    method: str
    path: str
    route: str
    status: int
    at: float = field(default_factory=time.monotonic)
    body: Any = None


@dataclass
class Problem:
    """Something that must fail the test unless the test says it expected it."""

    kind: str  # "unknown-route", "late-interaction", "log-error", "bot-crashed", ...
    detail: str

    def __str__(self) -> str:
        return f"[{self.kind}] {self.detail}"


class DoubleState:
    """All guilds, channels, messages… plus indexes the routes need."""

    def __init__(self) -> None:
        self.users: dict[int, User] = {}
        self.guilds: dict[int, Guild] = {}
        self.channels: dict[int, Channel] = {}
        self.messages: dict[int, Message] = {}
        self.channel_messages: dict[int, list[int]] = {}
        self.dm_channels: dict[int, int] = {}  # user id -> DM channel id
        self.commands: dict[int | None, list[Command]] = {}
        self.interactions: dict[int, InteractionRecord] = {}
        self.interactions_by_token: dict[str, InteractionRecord] = {}
        self.problems: list[Problem] = []
        self.requests: list[RequestRecord] = []
        # Nonces of messages sent again with enforce_nonce and answered with the first one.
        self.nonce_replays: list[str] = []

    # lookups -----------------------------------------------------------------------------

    def add_channel(self, channel: Channel) -> Channel:
        self.channels[channel.id] = channel
        self.channel_messages.setdefault(channel.id, [])
        if channel.guild_id is not None:
            guild = self.guilds[channel.guild_id]
            if channel.id not in guild.channel_ids:
                guild.channel_ids.append(channel.id)
            guild._channels[channel.id] = channel
        return channel

    def add_message(self, message: Message) -> Message:
        self.messages[message.id] = message
        self.channel_messages.setdefault(message.channel_id, []).append(message.id)
        channel = self.channels.get(message.channel_id)
        if channel is not None:
            channel.last_message_id = message.id
            channel.message_count += 1
        return message

    def sent_with_nonce(self, author_id: int, nonce: str, since: datetime) -> Message | None:
        """The author's message created since `since` with this nonce (enforce_nonce)."""
        for message in reversed(self.messages.values()):
            if message.created_at is not None and message.created_at < since:
                break
            if message.author_id == author_id and str(message.nonce) == nonce:
                return message
        return None

    def live_messages(self, channel_id: int) -> list[Message]:
        ids = self.channel_messages.get(channel_id, [])
        return [self.messages[i] for i in ids if not self.messages[i].deleted]

    def guild_channels(self, guild_id: int) -> list[Channel]:
        guild = self.guilds[guild_id]
        return [self.channels[c] for c in guild.channel_ids if not self.channels[c].deleted]

    def user_by_name(self, name: str) -> User:
        name = name.removeprefix("@")
        for user in self.users.values():
            if user.username == name:
                return user
        raise KeyError(
            f"no user named {name!r}; known: {[u.username for u in self.users.values()]}"
        )

    def channel_by_name(self, guild_id: int, name: str) -> Channel:
        name = name.removeprefix("#")
        for channel in self.guild_channels(guild_id):
            if channel.name == name:
                return channel
        known = [c.name for c in self.guild_channels(guild_id)]
        raise KeyError(f"no channel named {name!r}; known: {known}")

    def role_by_name(self, guild_id: int, name: str) -> Role:
        name = name.removeprefix("@")
        for role in self.guilds[guild_id].roles.values():
            if role.name == name:
                return role
        known = [r.name for r in self.guilds[guild_id].roles.values()]
        raise KeyError(f"no role named {name!r}; known: {known}")
