"""What services need from a front end, as Protocols (DESIGN.md: dependencies point inward)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Protocol

from bot.replies import Reply


class DeliveryFailed(Exception):
    """The front end could not deliver (closed DMs, deleted channel, platform down)."""

    def __init__(self, reason: str, *, permanent: bool = False) -> None:
        super().__init__(reason)
        self.permanent = permanent


@dataclass(frozen=True)
class MessageRef:
    channel_id: str
    message_id: str


class Messenger(Protocol):
    async def send_dm(self, user_id: str, reply: Reply) -> MessageRef:
        """Raises DeliveryFailed(permanent=True) when the user does not accept DMs."""
        ...

    async def send_channel(self, channel_id: str, reply: Reply) -> MessageRef: ...

    async def edit_message(self, channel_id: str, message_id: str, reply: Reply) -> None:
        """Replace what a message sent earlier says (e.g. a sign-up sheet's counts).
        Raises DeliveryFailed (permanent when the message or channel is gone)."""
        ...

    def mention(self, user_id: str) -> str:
        """How this front end writes a ping of the user (allowed via Reply.mentions)."""
        ...


class Access(StrEnum):
    """What giving someone a platform role came to: what the bot may then tell them."""

    HELD = "held"  # they had it already (on Matrix: they are in the room); nothing was done
    GIVEN = "given"  # they have it now
    INVITED = "invited"  # where a role is a room (Matrix): an invitation waits for them


class Members(Protocol):
    """Platform roles of guild members; role grants keep the mapped platform role in step."""

    async def add_role(self, guild_id: str, user_id: str, role_id: str) -> Access: ...

    async def remove_role(
        self, guild_id: str, user_id: str, role_id: str, *, reason: str = ""
    ) -> None:
        """`reason`: why, in words the platform shows beside the change (Discord's audit
        log; on Matrix, where a role is a room, the room's timeline); "" for none."""
        ...


@dataclass(frozen=True)
class GroupSpace:
    """A group's place on the platform: the role its members hold and its private channel."""

    role_id: str
    role_name: str
    channel_id: str
    channel_name: str


class GuildAdmin(Protocol):
    """Channels and roles the core asks the platform to make. Failures raise DeliveryFailed
    (permanent when the bot lacks a permission)."""

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
        """A role, and a text channel in `category` visible only to that role, where the
        `managers` may manage messages and pins. With `keep` (a repair), the channel or
        the role it names (a non-empty id) stays and only the other is made: the
        group's channel keeps its history."""
        ...

    async def channel_exists(self, guild_id: str, channel_id: str) -> bool:
        """Whether the channel is there, asked of the platform itself, never of a cache:
        what was deleted while the bot was away must show. DeliveryFailed when the
        platform cannot say."""
        ...

    async def role_exists(self, guild_id: str, role_id: str) -> bool:
        """Whether the role is there, asked like `channel_exists`."""
        ...

    async def set_channel_manager(
        self, guild_id: str, channel_id: str, user_id: str, *, allowed: bool
    ) -> None: ...

    async def archive_channel(self, guild_id: str, channel_id: str, role_id: str | None) -> None:
        """Keep the channel readable by the group and writable by nobody."""
        ...

    async def create_thread(
        self, guild_id: str, channel_id: str, name: str, first: Reply
    ) -> MessageRef:
        """A public thread in a text channel, starting with `first` (e.g. a panel's card).
        Returns the thread (as the channel) and that message; DeliveryFailed(permanent)
        where threads cannot be made (a thread, a forum, a DM)."""
        ...

    async def set_slowmode(self, guild_id: str, channel_id: str, seconds: int) -> int:
        """Slow mode for a channel or thread (0 = off); returns the one it had before."""
        ...


@dataclass(frozen=True)
class ScheduledEventSpec:
    """A native scheduled event (Discord's), held outside any voice channel."""

    name: str
    starts_at: datetime
    ends_at: datetime
    location: str
    description: str = ""


class Announcer(Protocol):
    """Announcements in a forum channel and the platform's own scheduled events. Failures
    raise DeliveryFailed (permanent when a channel is gone or a permission is missing)."""

    async def create_forum_post(
        self, forum_id: str, title: str, reply: Reply, tag_names: Sequence[str]
    ) -> MessageRef:
        """A new thread (post) in the forum, titled `title`, starting with `reply`, with
        the forum's tags of those names (made first when the forum lacks them).
        Returns the thread (as the channel) and its starter message."""
        ...

    async def rename_thread(self, thread_id: str, title: str) -> None: ...

    async def reopen_thread(self, thread_id: str) -> None:
        """Unarchive a post the platform archived for inactivity, so its first message can
        be edited again (Discord archives a forum post after a week without activity)."""
        ...

    def link(self, guild_id: str, channel_id: str) -> str:
        """Where people find a channel or thread, e.g. https://discord.com/channels/…"""
        ...

    async def create_scheduled_event(self, guild_id: str, spec: ScheduledEventSpec) -> str:
        """The new scheduled event's id."""
        ...

    async def edit_scheduled_event(
        self, guild_id: str, event_id: str, spec: ScheduledEventSpec
    ) -> None: ...

    async def cancel_scheduled_event(self, guild_id: str, event_id: str) -> None: ...
