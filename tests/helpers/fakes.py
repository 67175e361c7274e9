"""In-memory front end for unit tests: records what the core sends, fails on request."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

from bot.clock import Clock
from bot.ports import Access, DeliveryFailed, GroupSpace, MessageRef, ScheduledEventSpec
from bot.replies import Reply


class Crash(BaseException):
    """The process dies here, as under kill -9: nothing after it runs, no handler sees it
    (a BaseException, so no `except Exception` catches it)."""


@dataclass
class Sent:
    at: datetime
    to: str  # a user id for a DM, a channel id otherwise
    dm: bool
    reply: Reply


@dataclass
class Edited:
    at: datetime
    channel_id: str
    message_id: str
    reply: Reply


@dataclass
class ForumPost:
    at: datetime
    forum_id: str
    thread_id: str
    title: str
    tags: tuple[str, ...]
    reply: Reply


@dataclass
class FakeFrontEnd:
    clock: Clock
    sent: list[Sent] = field(default_factory=list)
    edits: list[Edited] = field(default_factory=list)
    closed_dms: set[str] = field(default_factory=set)
    # How many of the next sends fail for a moment (Discord down, a timeout).
    transient_failures: int = 0
    roles: dict[str, set[str]] = field(default_factory=dict)
    # Each role taken back: (user, role, the reason given with it).
    role_reasons: list[tuple[str, str, str]] = field(default_factory=list)
    spaces: list[tuple[str, str, str, tuple[str, ...]]] = field(default_factory=list)
    managers: dict[tuple[str, str], bool] = field(default_factory=dict)
    archived: set[str] = field(default_factory=set)
    # Channels and roles deleted on the platform while the bot was not watching.
    gone: set[str] = field(default_factory=set)
    # Announcements: forum posts, the tags each forum has, scheduled events by id.
    forum_posts: list[ForumPost] = field(default_factory=list)
    forum_tags: dict[str, list[str]] = field(default_factory=dict)
    renamed: dict[str, str] = field(default_factory=dict)
    reopened: list[str] = field(default_factory=list)
    scheduled: dict[str, tuple[ScheduledEventSpec, str]] = field(default_factory=dict)
    # Forums the bot may not post in (gone, or no permission): posting fails for good.
    broken_forums: set[str] = field(default_factory=set)
    # Messages someone deleted: editing them fails for good.
    deleted_messages: set[tuple[str, str]] = field(default_factory=set)
    # How many of the next scheduled-event creations fail (Discord down, no permission).
    event_failures: int = 0
    event_failures_permanent: bool = False
    # Threads made in channels (id, parent, name), slow mode per channel, channels where
    # threads cannot be made.
    threads: list[tuple[str, str, str]] = field(default_factory=list)
    slowmodes: dict[str, int] = field(default_factory=dict)
    no_threads: set[str] = field(default_factory=set)
    # The process dies in the next send: before the message goes out, or right after.
    crash_before_send: bool = False
    crash_after_send: bool = False
    # Like Discord's enforce_nonce: a message sent again with a nonce already used is not
    # shown twice (the first one's reference comes back). Off: a platform without it.
    honor_nonce: bool = True
    nonces: dict[str, MessageRef] = field(default_factory=dict)

    async def send_dm(self, user_id: str, reply: Reply) -> MessageRef:
        self._maybe_fail()
        if user_id in self.closed_dms:
            raise DeliveryFailed("Cannot send messages to this user", permanent=True)
        return self._record(Sent(self.clock.now(), user_id, True, reply), f"dm:{user_id}")

    async def send_channel(self, channel_id: str, reply: Reply) -> MessageRef:
        self._maybe_fail()
        return self._record(Sent(self.clock.now(), channel_id, False, reply), channel_id)

    def _record(self, sent: Sent, channel_id: str) -> MessageRef:
        if self.crash_before_send:
            self.crash_before_send = False
            raise Crash("killed before the send")
        nonce = sent.reply.nonce
        if nonce is not None and self.honor_nonce and nonce in self.nonces:
            return self.nonces[nonce]
        self.sent.append(sent)
        ref = MessageRef(channel_id, str(len(self.sent)))
        if nonce is not None:
            self.nonces[nonce] = ref
        if self.crash_after_send:
            self.crash_after_send = False
            raise Crash("killed right after the send")
        return ref

    async def edit_message(self, channel_id: str, message_id: str, reply: Reply) -> None:
        self._maybe_fail()
        if (channel_id, message_id) in self.deleted_messages:
            raise DeliveryFailed("404 Unknown Message", permanent=True)
        self.edits.append(Edited(self.clock.now(), channel_id, message_id, reply))

    def mention(self, user_id: str) -> str:
        return f"<@{user_id}>"

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
        self._maybe_fail()
        self.spaces.append((name, channel_name, category, tuple(managers)))
        n = len(self.spaces)
        made = GroupSpace(f"role:{n}", name, f"channel:{n}", channel_name)
        if keep is not None and keep.channel_id:
            made = replace(made, channel_id=keep.channel_id, channel_name=keep.channel_name)
        if keep is not None and keep.role_id:
            made = replace(made, role_id=keep.role_id, role_name=keep.role_name)
        return made

    async def channel_exists(self, guild_id: str, channel_id: str) -> bool:
        self._maybe_fail()
        return channel_id not in self.gone

    async def role_exists(self, guild_id: str, role_id: str) -> bool:
        self._maybe_fail()
        return role_id not in self.gone

    async def set_channel_manager(
        self, guild_id: str, channel_id: str, user_id: str, *, allowed: bool
    ) -> None:
        self.managers[channel_id, user_id] = allowed

    async def archive_channel(self, guild_id: str, channel_id: str, role_id: str | None) -> None:
        self.archived.add(channel_id)

    async def create_thread(
        self, guild_id: str, channel_id: str, name: str, first: Reply
    ) -> MessageRef:
        self._maybe_fail()
        if channel_id in self.no_threads:
            raise DeliveryFailed("threads cannot be made here", permanent=True)
        thread_id = f"{channel_id}/thread:{len(self.threads) + 1}"
        self.threads.append((thread_id, channel_id, name))
        self.sent.append(Sent(self.clock.now(), thread_id, False, first))
        return MessageRef(thread_id, str(len(self.sent)))

    async def set_slowmode(self, guild_id: str, channel_id: str, seconds: int) -> int:
        before = self.slowmodes.get(channel_id, 0)
        self.slowmodes[channel_id] = seconds
        return before

    async def add_role(self, guild_id: str, user_id: str, role_id: str) -> Access:
        held = self.roles.setdefault(user_id, set())
        if role_id in held:
            return Access.HELD
        held.add(role_id)
        return Access.GIVEN

    async def remove_role(
        self, guild_id: str, user_id: str, role_id: str, *, reason: str = ""
    ) -> None:
        self.roles.get(user_id, set()).discard(role_id)
        self.role_reasons.append((user_id, role_id, reason))

    async def create_forum_post(
        self, forum_id: str, title: str, reply: Reply, tag_names: Sequence[str]
    ) -> MessageRef:
        self._maybe_fail()
        if forum_id in self.broken_forums:
            raise DeliveryFailed("403 Missing Permissions", permanent=True)
        tags = self.forum_tags.setdefault(forum_id, [])
        tags += [name for name in tag_names if name not in tags]
        thread_id = f"{forum_id}/thread:{len(self.forum_posts) + 1}"
        self.forum_posts.append(
            ForumPost(self.clock.now(), forum_id, thread_id, title, tuple(tag_names), reply)
        )
        self.sent.append(Sent(self.clock.now(), thread_id, False, reply))
        return MessageRef(thread_id, str(len(self.sent)))

    async def rename_thread(self, thread_id: str, title: str) -> None:
        self.renamed[thread_id] = title

    async def reopen_thread(self, thread_id: str) -> None:
        self.reopened.append(thread_id)

    def link(self, guild_id: str, channel_id: str) -> str:
        return f"https://chat.example/{guild_id}/{channel_id}"

    async def create_scheduled_event(self, guild_id: str, spec: ScheduledEventSpec) -> str:
        if self.event_failures:
            self.event_failures -= 1
            raise DeliveryFailed("scheduled event refused", permanent=self.event_failures_permanent)
        event_id = f"scheduled:{len(self.scheduled) + 1}"
        self.scheduled[event_id] = (spec, "scheduled")
        return event_id

    async def edit_scheduled_event(
        self, guild_id: str, event_id: str, spec: ScheduledEventSpec
    ) -> None:
        self.scheduled[event_id] = (spec, self.scheduled[event_id][1])

    async def cancel_scheduled_event(self, guild_id: str, event_id: str) -> None:
        self.scheduled[event_id] = (self.scheduled[event_id][0], "cancelled")

    def _maybe_fail(self) -> None:
        if self.transient_failures:
            self.transient_failures -= 1
            raise DeliveryFailed("503 Service Unavailable")
