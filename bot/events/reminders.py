"""Telling people to come: the reminders before an event's start (EventJob.REMIND), its
registration opening and closing (EventJob.OPENS, EventJob.CLOSES), and nudging a group's
members who have not answered.

Messages go by DM in each reader's language; those whose DMs are closed are mentioned
where the event is posted.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace

from bot.clock import Clock
from bot.community.service import CommunityService
from bot.errors import UserError
from bot.events import messages
from bot.events.announcements import Announcements
from bot.events.lookup import EventLookup
from bot.events.model import Answer, Event, EventJob, Registration
from bot.events.schedule import EventSchedule
from bot.events.store import EventStore
from bot.groups.directory import GroupDirectory
from bot.i18n import use_locale
from bot.notify import Notifier
from bot.ports import DeliveryFailed, Messenger
from bot.replies import Reply
from bot.scheduler import Job
from bot.text import inert

log = logging.getLogger(__name__)


class EventReminders:
    def __init__(
        self,
        store: EventStore,
        clock: Clock,
        schedule: EventSchedule,
        messenger: Messenger,
        community: CommunityService,
        groups: GroupDirectory,
        lookup: EventLookup,
        announcements: Announcements,
        notify: Notifier,
    ) -> None:
        self._store = store
        self._clock = clock
        self._schedule = schedule
        self._messenger = messenger
        self._community = community
        self._groups = groups
        self._lookup = lookup
        self._announcements = announcements
        self._notify = notify
        schedule.route(self._remind, EventJob.REMIND)
        schedule.route_event(self._registration_due, EventJob.OPENS, EventJob.CLOSES)

    async def nudge(self, event: Event) -> tuple[int, int]:
        """Remind the group's members who have not answered; (told, unreachable).
        Only group events have a list of who should answer."""
        now = self._clock.now()
        if event.cancelled:
            raise UserError("error.event.cancelled", title=inert(event.title))
        if event.over(now):
            raise UserError("error.event.over", title=inert(event.title))
        if not event.published:
            raise UserError("error.event.not_published", title=inert(event.title))
        group = await self._groups.by_id(event.group_id) if event.group_id else None
        if group is None:
            raise UserError("error.event.nudge_no_audience")
        answered = {r.user_id for r in await self._store.rsvps(event.id)}
        members = [
            m.user_id
            for m in await self._groups.members(group)
            if m.status.value == "member" and m.user_id not in answered
        ]
        view = await self._lookup.view(event)
        return await self._tell_each(event, members, lambda: messages.nudge(event, view, now))

    async def _remind(self, job: Job[EventJob]) -> None:
        """Send one reminder moment to everyone going or maybe: a DM in their language,
        a mention in the thread when DMs are closed. Marked sent after sending."""
        event_id, offset_s = job.row, job.part
        now = self._clock.now()
        if not await self._store.reminder_pending(event_id, offset_s):
            return
        event = await self._store.get(event_id)
        if event is None:
            return
        if event.cancelled or event.starts_at <= now or not event.published:
            await self._store.mark_reminded(event_id, offset_s, now)
            return
        pending = await self._store.reminders_of(event_id)
        if any(other < offset_s and due <= now for other, due in pending):
            # Down past more than one reminder: only the nearest one is sent.
            await self._store.mark_reminded(event_id, offset_s, now)
            return
        view = await self._lookup.view(event)
        left = event.starts_at - now
        people = await self._store.rsvps(event.id, (Answer.GOING, Answer.MAYBE))
        await self._tell_each(
            event, [p.user_id for p in people], lambda: messages.reminder(event, view, left)
        )
        await self._store.mark_reminded(event_id, offset_s, now)

    async def _registration_due(self, event: Event) -> None:
        now = self._clock.now()
        phase = event.registration(now)
        if phase in (Registration.NONE, Registration.UPCOMING) or not event.published:
            return
        if not await self._store.set_registration_shown(event.id, phase):
            return
        event = replace(event, registration_shown=phase)
        await self._announcements.refresh(event.id)
        # Said in the thread only when the moment passed after the announcement.
        moment = (
            event.registration_opens if phase is Registration.OPEN else event.registration_closes
        )
        if event.post_channel_id and moment and event.published_at and moment >= event.published_at:
            build = (
                (lambda: messages.registration_opened(event))
                if phase is Registration.OPEN
                else (lambda: messages.registration_closed(event))
            )
            await self._notify.post(event.post_channel_id, event.guild_id, build)
        if phase is Registration.OPEN and event.registration_closes is not None:
            self._schedule.schedule(Job(EventJob.CLOSES, event.id), event.registration_closes)

    async def _tell_each(
        self, event: Event, user_ids: list[str], build: Callable[[], Reply]
    ) -> tuple[int, int]:
        told, closed = 0, []
        for user_id in user_ids:
            with use_locale(await self._community.locale_for(user_id, event.guild_id)):
                reply = build()
            try:
                await self._messenger.send_dm(user_id, reply)
                told += 1
            except DeliveryFailed as exc:
                if exc.permanent:
                    closed.append(user_id)
                else:
                    log.warning("message about event %d to %s not sent: %s", event.id, user_id, exc)
        if closed:
            await self._mention(event, closed, build)
        return told, len(closed)

    async def _mention(self, event: Event, user_ids: list[str], build: Callable[[], Reply]) -> None:
        """The message, posted where the event is, pinging those whose DMs are closed."""
        if event.post_channel_id is None:
            return
        with use_locale(await self._notify.guild_locale(event.guild_id)):
            mentions = [self._messenger.mention(u) for u in user_ids]
            reply = messages.with_mentions(build(), mentions, user_ids)
        try:
            await self._messenger.send_channel(event.post_channel_id, reply)
        except DeliveryFailed as exc:
            log.warning("mentions for event %d not posted: %s", event.id, exc)
