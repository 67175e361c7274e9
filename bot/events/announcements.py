"""An event on the platform: its announcement (a forum post, or a message in its group's
channel) and the platform's scheduled event, made, kept up to date, and made again when
someone deleted the post.

A scheduled event the platform refused for a moment is tried again later (a scheduler
job, EventJob.RETRY_NATIVE), and its creator is told when it never worked.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from bot.clock import Clock
from bot.community.service import CommunityService
from bot.db import whole_second
from bot.events import messages
from bot.events.lookup import EventLookup
from bot.events.model import MAX_NATIVE_ATTEMPTS, RETRY_TRANSIENT, Event, EventJob
from bot.events.schedule import EventSchedule
from bot.events.store import EventStore
from bot.groups.directory import GroupDirectory
from bot.i18n import t, use_locale
from bot.notify import LiveMessages, Notifier
from bot.ports import Announcer, DeliveryFailed, MessageRef, Messenger, ScheduledEventSpec
from bot.scheduler import Job
from bot.text import inert

log = logging.getLogger(__name__)

# The scheduled event's description holds the event's and a link; Discord allows 1000.
NATIVE_DESCRIPTION = 1000


class PublishError(Exception):
    """The announcement could not be made: `key` says what to fix, in the reader's words."""

    def __init__(self, key: str, *, permanent: bool, **params: Any) -> None:
        super().__init__(key)
        self.key = key
        self.permanent = permanent
        self.params = params

    def render(self) -> str:
        return t(self.key, **self.params)


class Announcements:
    def __init__(
        self,
        store: EventStore,
        clock: Clock,
        schedule: EventSchedule,
        messenger: Messenger,
        announcer: Announcer,
        community: CommunityService,
        groups: GroupDirectory,
        lookup: EventLookup,
        notify: Notifier,
    ) -> None:
        self._store = store
        self._clock = clock
        self._schedule = schedule
        self._messenger = messenger
        self._announcer = announcer
        self._community = community
        self._groups = groups
        self._lookup = lookup
        self._notify = notify
        self._live = LiveMessages(self._edit_post)
        schedule.route_event(self._retry_native, EventJob.RETRY_NATIVE)

    # -- the post ----------------------------------------------------------------------

    async def post(self, event: Event) -> tuple[MessageRef, str | None, str]:
        """Post the announcement: (the post, the forum it is in, where it is for people).
        Raises PublishError when it could not be made."""
        with use_locale(await self._notify.guild_locale(event.guild_id)):
            view = await self._lookup.view(event)
            reply = messages.post(view, self._clock.now())
            tag = messages.kind_name(event.kind)
            thread_title = messages.thread_title(event)
        if event.is_group_event:
            group = await self._groups.by_id(event.group_id or 0)
            if group is None or group.channel_id is None:
                raise PublishError("error.event.group_channel_gone", permanent=True)
            try:
                ref = await self._messenger.send_channel(group.channel_id, reply)
            except DeliveryFailed as exc:
                if not exc.permanent:
                    raise PublishError("error.event.post_down", permanent=False) from exc
                raise PublishError(
                    "error.event.group_post_failed",
                    permanent=True,
                    channel=inert(group.channel_name or ""),
                ) from exc
            return ref, None, f"#{inert(group.channel_name or '')}"
        forum = (await self._community.guild(event.guild_id)).forum
        if forum is None:
            raise PublishError("error.event.no_forum", permanent=True)
        try:
            ref = await self._announcer.create_forum_post(forum.id, thread_title, reply, [tag])
        except DeliveryFailed as exc:
            if not exc.permanent:
                raise PublishError("error.event.post_down", permanent=False) from exc
            raise PublishError(
                "error.event.forum_failed", permanent=True, forum=inert(forum.name)
            ) from exc
        return ref, forum.id, f"#{inert(forum.name)}"

    async def refresh(self, event_id: int) -> None:
        """The event's answers or registration changed: its post follows (changes that come
        while it is being edited fold into one more edit)."""
        await self._live.refresh(event_id)

    async def _edit_post(self, event_id: int) -> None:
        event = await self._store.get(event_id)
        if event is not None:
            await self.update(event, retitle=False)

    async def update(self, event: Event, *, retitle: bool) -> bool:
        """Bring the announcement up to date; a post someone deleted is made again (and
        the scheduled event points at the new one). False when neither worked."""
        if event.post_channel_id is None or event.post_message_id is None:
            return False
        with use_locale(await self._notify.guild_locale(event.guild_id)):
            reply = messages.post(await self._lookup.view(event), self._clock.now())
            thread_title = messages.thread_title(event)
        try:
            if event.forum_id is not None:
                await self._announcer.reopen_thread(event.post_channel_id)
            await self._messenger.edit_message(event.post_channel_id, event.post_message_id, reply)
            if retitle and event.forum_id is not None:
                await self._rename(event, thread_title)
            return True
        except DeliveryFailed as exc:
            if not exc.permanent:
                log.warning("announcement of event %d not updated: %s", event.id, exc)
                return True  # the next change edits it again
            log.info("announcement of event %d is gone (%s); posting it again", event.id, exc)
        except Exception:
            # The change itself is saved; a failed update of the post must not turn the
            # answer into an error.
            log.exception("announcement of event %d not updated", event.id)
            return True
        try:
            ref, forum_id, _ = await self.post(event)
        except PublishError as exc:
            log.warning("announcement of event %d could not be made again: %s", event.id, exc)
            return False
        await self._store.set_post(
            event.id,
            forum_id=forum_id,
            channel_id=ref.channel_id,
            message_id=ref.message_id,
            now=self._clock.now(),
        )
        moved = replace(
            event, forum_id=forum_id, post_channel_id=ref.channel_id, post_message_id=ref.message_id
        )
        await self.sync_native(moved)
        return True

    async def _rename(self, event: Event, title: str) -> None:
        """A thread keeps its post when it cannot be renamed (no Manage Threads)."""
        assert event.post_channel_id is not None
        try:
            await self._announcer.rename_thread(event.post_channel_id, title)
        except DeliveryFailed as exc:
            log.warning("thread of event %d not renamed: %s", event.id, exc)

    # -- the platform's scheduled event ------------------------------------------------

    def _spec(self, event: Event) -> ScheduledEventSpec:
        link = self._lookup.link(event)
        location = event.place or link or event.title
        description = event.description
        if link:
            description = f"{description}\n\n{link}".strip()
        if len(description) > NATIVE_DESCRIPTION:
            description = description[: NATIVE_DESCRIPTION - 1] + "…"
        return ScheduledEventSpec(
            name=messages.thread_title(event),
            starts_at=event.starts_at,
            ends_at=event.ends_at,
            location=location[:100],
            description=description,
        )

    async def create_native(self, event: Event) -> str | None:
        """Make the scheduled event; on failure keep a retry job and return a note for
        the creator (None when it worked)."""
        now = self._clock.now()
        if event.starts_at <= now:
            return None  # the platform refuses events in the past
        try:
            native_id = await self._announcer.create_scheduled_event(
                event.guild_id, self._spec(event)
            )
        except DeliveryFailed as exc:
            log.warning("scheduled event for event %d not created: %s", event.id, exc)
            retry = self._native_retry(event, 0)
            await self._store.set_native(event.id, None, retry, failed=True)
            if retry is not None:
                self._schedule.schedule(Job(EventJob.RETRY_NATIVE, event.id), retry)
            return messages.native_note(_native_reason(exc), retry)
        await self._store.set_native(event.id, native_id, None, failed=False)
        return None

    def _native_retry(self, event: Event, attempts: int) -> datetime | None:
        """When to try the scheduled event again: 5, 10, 20 … minutes (at most 6 hours
        apart), never after the start, at most MAX_NATIVE_ATTEMPTS times."""
        if attempts + 1 >= MAX_NATIVE_ATTEMPTS:
            return None
        delay = min(RETRY_TRANSIENT * 2**attempts, timedelta(hours=6))
        at = whole_second(self._clock.now() + delay)
        return at if at < event.starts_at else None

    async def _retry_native(self, event: Event) -> None:
        now = self._clock.now()
        if event.native_id is not None or event.native_retry_at is None:
            return
        if event.native_retry_at > now:
            self._schedule.schedule(Job(EventJob.RETRY_NATIVE, event.id), event.native_retry_at)
            return
        try:
            native_id = await self._announcer.create_scheduled_event(
                event.guild_id, self._spec(event)
            )
        except DeliveryFailed as exc:
            reason = _native_reason(exc)
            retry = self._native_retry(event, event.native_attempts)
            await self._store.set_native(event.id, None, retry, failed=True)
            if retry is not None:
                self._schedule.schedule(Job(EventJob.RETRY_NATIVE, event.id), retry)
            else:
                await self._notify.tell(
                    event.created_by,
                    event.guild_id,
                    lambda: messages.native_failed(event, reason, None),
                )
            return
        await self._store.set_native(event.id, native_id, None, failed=False)

    async def sync_native(self, event: Event) -> None:
        if event.native_id is None or event.cancelled:
            return
        try:
            await self._announcer.edit_scheduled_event(
                event.guild_id, event.native_id, self._spec(event)
            )
        except DeliveryFailed as exc:
            log.warning("scheduled event of event %d not updated: %s", event.id, exc)

    async def cancel_native(self, event: Event) -> None:
        """The event is cancelled: so is its scheduled event, when the platform lets us."""
        if event.native_id is None:
            return
        try:
            await self._announcer.cancel_scheduled_event(event.guild_id, event.native_id)
        except DeliveryFailed as exc:
            log.warning("scheduled event of event %d not cancelled: %s", event.id, exc)


def _native_reason(exc: DeliveryFailed) -> str:
    """The catalog key of why the scheduled event could not be made."""
    return "event.reason.native_permission" if exc.permanent else "event.reason.native_down"
