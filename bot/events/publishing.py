"""Creating an event and announcing it: now, or at its `publish_at` (a scheduler job,
EventJob.PUBLISH).

The database is the truth: an announcement that failed never loses the event. It is saved,
tried again later (until the event starts), and its creator is told; only an announcement
that cannot be made at all when the event is created (no forum set, the bot may not post
there) keeps nothing and says what to fix.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import datetime

from bot.clock import Clock
from bot.community.service import CommunityService
from bot.db import whole_second
from bot.errors import UserError
from bot.events import messages
from bot.events.announcements import Announcements, PublishError
from bot.events.model import RETRY_PERMANENT, RETRY_TRANSIENT, Event, EventJob, Registration
from bot.events.schedule import EventSchedule
from bot.events.store import EventStore
from bot.i18n import t, use_locale
from bot.notify import Notifier
from bot.refs import UserRef
from bot.replies import Reply
from bot.scheduler import Job
from bot.text import inert, normalize

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Outcome:
    """What creating, publishing or editing did beyond saving: for the answer."""

    event: Event
    where: str | None = None  # where the announcement is, for people
    notes: tuple[str, ...] = ()
    told: int = 0  # people who got a message about it
    unreachable: int = 0  # people with closed DMs, mentioned where the event is


class Publisher:
    def __init__(
        self,
        store: EventStore,
        clock: Clock,
        schedule: EventSchedule,
        community: CommunityService,
        announcements: Announcements,
        notify: Notifier,
    ) -> None:
        self._store = store
        self._clock = clock
        self._schedule = schedule
        self._community = community
        self._announcements = announcements
        self._notify = notify
        schedule.route_event(self._publish_due, EventJob.PUBLISH)

    async def create(self, draft: Event, creator: UserRef | None) -> Outcome:
        """Save the event, and announce it now unless it waits for `publish_at`. When the
        announcement cannot be made at all (no forum set, the bot may not post there),
        nothing is kept and the UserError says what to fix."""
        now = self._clock.now()
        draft = replace(
            draft,
            starts_at=whole_second(draft.starts_at),
            ends_at=whole_second(draft.ends_at),
            publish_at=whole_second(draft.publish_at) if draft.publish_at else None,
            registration_opens=_second(draft.registration_opens),
            registration_closes=_second(draft.registration_closes),
            registration_shown=_initial_registration(draft, now),
            created_at=whole_second(now),
            updated_at=whole_second(now),
        )
        event_id = await self._store.create(draft, normalize(draft.title))
        if creator is not None:
            await self._community.remember(creator)
        event = replace(draft, id=event_id)
        self._schedule.reminders(event)
        if event.publish_at is not None and event.publish_at > now:
            self._schedule.schedule(Job(EventJob.PUBLISH, event.id), event.publish_at)
            return Outcome(event)
        try:
            return await self._publish(event)
        except PublishError as exc:
            if exc.permanent:
                await self._store.delete(event.id)
                self._schedule.forget(event)
                raise UserError(exc.key, **exc.params) from None
            retry = whole_second(now + RETRY_TRANSIENT)
            await self._store.publish_failed(event.id, retry)
            self._schedule.schedule(Job(EventJob.PUBLISH, event.id), retry)
            event = replace(event, publish_at=retry)
            return Outcome(
                event, notes=(exc.render(), t("event.retry_at", when=messages.when(retry)))
            )

    async def _publish(self, event: Event) -> Outcome:
        """Post the announcement and make the platform's scheduled event. Raises
        PublishError when the post could not be made; a scheduled event that could not be
        made is tried again later (the Outcome's notes say so)."""
        ref, forum_id, where = await self._announcements.post(event)
        now = self._clock.now()
        await self._store.set_post(
            event.id,
            forum_id=forum_id,
            channel_id=ref.channel_id,
            message_id=ref.message_id,
            now=now,
        )
        event = replace(
            event,
            forum_id=forum_id,
            post_channel_id=ref.channel_id,
            post_message_id=ref.message_id,
            published_at=event.published_at or whole_second(now),
            publish_at=None,
        )
        self._schedule.registration(event)
        notes: list[str] = []
        if not event.is_group_event and event.native_id is None:
            note = await self._announcements.create_native(event)
            if note:
                notes.append(note)
        return Outcome(event, where=where, notes=tuple(notes))

    async def publish_now_or_later(self, event: Event) -> Outcome:
        """Announce now; when that fails, the next try is scheduled and the note says so."""
        try:
            return await self._publish(event)
        except PublishError as exc:
            retry = await self._publish_failed(event, exc)
            note = exc.render()
            if retry:
                note += " " + t("event.retry_at", when=messages.when(retry))
            return Outcome(replace(event, publish_at=retry), notes=(note,))

    async def _publish_due(self, event: Event) -> None:
        now = self._clock.now()
        if event.published or event.publish_at is None or event.publish_at > now:
            return
        # Notes about the scheduled event are written for the creator, in their language.
        with use_locale(await self._community.locale_for(event.created_by, event.guild_id)):
            try:
                outcome = await self._publish(event)
            except PublishError as exc:
                await self._publish_failed(event, exc)
                return
        if outcome.notes:
            await self._notify.tell(
                event.created_by,
                event.guild_id,
                lambda: Reply(
                    "\n".join(
                        (t("event.published_with_notes", title=inert(event.title)), *outcome.notes)
                    )
                ),
            )

    async def _publish_failed(self, event: Event, exc: PublishError) -> datetime | None:
        """Count the failure, schedule the next try (until the event starts) and tell the
        creator the first time."""
        now = self._clock.now()
        delay = RETRY_PERMANENT if exc.permanent else RETRY_TRANSIENT
        retry: datetime | None = whole_second(now + delay)
        if retry is not None and retry >= event.starts_at:
            retry = None
        attempts = await self._store.publish_failed(event.id, retry)
        if retry is not None:
            self._schedule.schedule(Job(EventJob.PUBLISH, event.id), retry)
        log.warning("event %d not announced (%s); next try %s", event.id, exc.key, retry)
        if attempts == 1 or retry is None:
            await self._notify.tell(
                event.created_by,
                event.guild_id,
                lambda: messages.publish_failed(event, exc.render(), retry),
            )
        return retry


def _second(at: datetime | None) -> datetime | None:
    return whole_second(at) if at else None


def _initial_registration(event: Event, now: datetime) -> Registration:
    if event.registration_opens is None and event.registration_closes is None:
        return Registration.NONE
    if event.registration_opens is not None and event.registration_opens > now:
        return Registration.UPCOMING
    return Registration.OPEN
