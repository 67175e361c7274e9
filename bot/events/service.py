"""Event use cases: announcing (a forum post, or a message in a group's channel, and the
platform's scheduled event), answering, editing and cancelling with everyone told,
reminders before the start, registration windows, and calendar files.

The database is the truth. Announcing at `publish_at`, retrying what the platform refused
for a moment, opening and closing registration and each reminder are scheduler jobs
rebuilt from the rows, so they survive restarts. A failed announcement or scheduled event
never loses the event: it is saved, tried again later, and its creator is told.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from bot import rrules
from bot.clock import Clock
from bot.community.service import CommunityService
from bot.db import from_db, to_db, whole_second
from bot.errors import UserError
from bot.events import ics, messages
from bot.events.model import (
    CANCELLED_LETTER,
    CHANGED_LETTER,
    MAX_MADE_PER_RUN,
    MAX_NATIVE_ATTEMPTS,
    REMINDER_OFFSETS,
    RETRY_PERMANENT,
    RETRY_TRANSIENT,
    Answer,
    Counts,
    Draft,
    Event,
    EventJob,
    EventView,
    Kind,
    Registration,
    Rsvp,
    Series,
    SeriesStatus,
    Status,
    check_series_rule,
    parse_event_ref,
    reminder_times,
)
from bot.events.store import EventStore
from bot.groups.directory import GroupDirectory
from bot.i18n import t, use_locale
from bot.notify import LiveMessages, Notifier
from bot.offload import RULE_SECONDS, off_loop
from bot.outbox import Courier, Envelope, Outbox, Post
from bot.outbox import Status as LetterStatus
from bot.ports import Announcer, DeliveryFailed, MessageRef, Messenger, ScheduledEventSpec
from bot.refs import UserRef
from bot.replies import Reply
from bot.rrules import RuleError, problem
from bot.scheduler import Job, Scheduler
from bot.text import inert, normalize
from bot.visibility import Viewer, Visibility

log = logging.getLogger(__name__)

# Events read for a listing before the viewer's filter (bot/visibility.py) keeps some.
LISTED = 500
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


@dataclass(frozen=True)
class Outcome:
    """What creating, publishing or editing did beyond saving: for the answer."""

    event: Event
    where: str | None = None  # where the announcement is, for people
    notes: tuple[str, ...] = ()
    told: int = 0  # people who got a message about it
    unreachable: int = 0  # people with closed DMs, mentioned where the event is


class EventService:
    def __init__(
        self,
        store: EventStore,
        clock: Clock,
        scheduler: Scheduler,
        messenger: Messenger,
        announcer: Announcer,
        community: CommunityService,
        groups: GroupDirectory,
        visibility: Visibility,
        outbox: Outbox,
    ) -> None:
        self._store = store
        self._visibility = visibility
        self._clock = clock
        self._messenger = messenger
        self._announcer = announcer
        self._community = community
        self._groups = groups
        self._notify = Notifier(messenger, community)
        self._live = LiveMessages(self._edit_post)
        self._outbox = outbox
        self._jobs = scheduler.register_each("event", self._event_due, self._store.due_before)
        for kind in (CHANGED_LETTER, CANCELLED_LETTER):
            outbox.register(kind, Courier(self._word_notice, self._mention_closed))

    # -- finding events --------------------------------------------------------------

    async def find(self, viewer: Viewer, ref: str) -> Event:
        """An event of the viewer's server by id ('42', '#42') or title (the next of that
        title still to come). One the viewer may not see is not found, as if it did not
        exist (bot/visibility.py)."""
        guild_id = viewer.guild_id
        event_id = parse_event_ref(ref)
        event: Event | None = None
        if event_id is not None:
            found = await self._store.get(event_id)
            if found is not None and found.guild_id == guild_id:
                event = found if await self._visibility.sees(viewer, found.scope) else None
        else:
            now = self._clock.now()
            wanted = normalize(ref)
            titled = await self._seen(viewer, await self._store.by_title(guild_id, wanted, now))
            event = titled[0] if titled else None
            if event is None and wanted:
                # A part of the title is enough when it names one event still to come.
                coming = await self._seen(viewer, await self._store.listing(guild_id, after=now))
                matches = [e for e in coming if wanted in normalize(e.title)]
                event = matches[0] if len(matches) == 1 else None
        if event is None:
            raise UserError("error.event.unknown", event=inert(ref))
        return event

    async def get(self, event_id: int, viewer: Viewer) -> Event:
        """The event of this number, when the viewer may see it (from a DM: of any server)."""
        event = await self._store.get(event_id)
        if event is None or not await self._visibility.sees(viewer, event.scope):
            raise UserError("error.event.unknown", event=event_id)
        return event

    async def _seen(self, viewer: Viewer, events: list[Event]) -> list[Event]:
        return await self._visibility.keep(viewer, events, lambda e: e.scope)

    async def upcoming(
        self,
        viewer: Viewer,
        *,
        kind: Kind | None = None,
        after: datetime | None = None,
        before: datetime | None = None,
        include_cancelled: bool = False,
    ) -> list[Event]:
        """The viewer's server's events still to end, soonest first: those they may see."""
        listed = await self._store.listing(
            viewer.guild_id,
            after=after or self._clock.now(),
            before=before,
            kind=kind,
            include_cancelled=include_cancelled,
            limit=LISTED,
        )
        return await self._seen(viewer, listed)

    async def counts(self, event: Event) -> Counts:
        return await self._store.counts(event.id)

    async def view(self, event: Event) -> EventView:
        group_name = None
        if event.group_id is not None:
            group = await self._groups.by_id(event.group_id)
            group_name = group.name if group else None
        return EventView(event, await self._store.counts(event.id), group_name, self._link(event))

    def _link(self, event: Event) -> str | None:
        if event.post_channel_id is None:
            return None
        return self._announcer.link(event.guild_id, event.post_channel_id)

    async def rsvps(self, event: Event, answers: tuple[Answer, ...] = tuple(Answer)) -> list[Rsvp]:
        return await self._store.rsvps(event.id, answers)

    async def answer_of(self, event: Event, user_id: str) -> Answer | None:
        return await self._store.answer_of(event.id, user_id)

    # -- drafts (the Discord form's preview) ------------------------------------------

    async def save_draft(
        self, guild_id: str, user_id: str, channel_id: str, channel_name: str, options: dict
    ) -> int:
        clean = {k: str(v) for k, v in options.items() if v is not None and str(v).strip()}
        return await self._store.save_draft(
            guild_id, user_id, channel_id, channel_name, clean, self._clock.now()
        )

    async def draft(self, draft_id: int) -> Draft:
        draft = await self._store.draft(draft_id)
        if draft is None:
            raise UserError("error.event.draft_gone")
        return draft

    async def take_draft(self, draft_id: int) -> None:
        if not await self._store.take_draft(draft_id):
            raise UserError("error.event.draft_gone")

    # -- creating and announcing -----------------------------------------------------

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
        self._schedule_reminders_from(event)
        if event.publish_at is not None and event.publish_at > now:
            self._jobs.schedule(Job(EventJob.PUBLISH, event.id), event.publish_at)
            return Outcome(event)
        try:
            return await self._publish(event)
        except PublishError as exc:
            if exc.permanent:
                await self._store.delete(event.id)
                self._unschedule(event)
                raise UserError(exc.key, **exc.params) from None
            retry = whole_second(now + RETRY_TRANSIENT)
            await self._store.publish_failed(event.id, retry)
            self._jobs.schedule(Job(EventJob.PUBLISH, event.id), retry)
            event = replace(event, publish_at=retry)
            return Outcome(
                event, notes=(exc.render(), t("event.retry_at", when=messages.when(retry)))
            )

    async def _publish(self, event: Event) -> Outcome:
        """Post the announcement and make the platform's scheduled event. Raises
        PublishError when the post could not be made; a scheduled event that could not be
        made is tried again later (the Outcome's notes say so)."""
        ref, forum_id, where = await self._post(event)
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
        self._schedule_registration(event)
        notes: list[str] = []
        if not event.is_group_event and event.native_id is None:
            note = await self._create_native(event)
            if note:
                notes.append(note)
        return Outcome(event, where=where, notes=tuple(notes))

    async def _post(self, event: Event) -> tuple[MessageRef, str | None, str]:
        """(the post, the forum it is in, where it is for people)."""
        with use_locale(await self._notify.guild_locale(event.guild_id)):
            view = await self.view(event)
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

    def _spec(self, event: Event) -> ScheduledEventSpec:
        link = self._link(event)
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

    async def _create_native(self, event: Event) -> str | None:
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
                self._jobs.schedule(Job(EventJob.RETRY_NATIVE, event.id), retry)
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

    # -- answers ---------------------------------------------------------------------

    async def answer(
        self, event_id: int, viewer: Viewer, answer: Answer
    ) -> tuple[Event, Answer | None]:
        """Record the viewer's going / maybe / no; returns the event and the answer given
        before."""
        event = await self.get(event_id, viewer)
        user = viewer.user
        now = self._clock.now()
        if event.cancelled:
            raise UserError("error.event.cancelled", title=inert(event.title))
        if event.over(now):
            raise UserError("error.event.over", title=inert(event.title))
        if not event.published:
            raise UserError("error.event.not_published", title=inert(event.title))
        phase = event.registration(now)
        if phase is Registration.UPCOMING:
            assert event.registration_opens is not None
            raise UserError(
                "error.event.registration_upcoming",
                title=inert(event.title),
                when=messages.when(event.registration_opens),
            )
        if phase is Registration.CLOSED and answer is not Answer.NO:
            raise UserError("error.event.registration_closed", title=inert(event.title))
        # The answer keeps the person's name itself: no second write per click.
        before, event = await self._store.answer(event.id, user.id, user.name, answer, now)
        if before is not answer:
            await self._live.refresh(event.id)
        return event, before

    async def left_group(self, group_id: int, user_id: str) -> None:
        """Someone left a group: their answers to its coming events go (the counts on
        the posts with them), since they could not see the events any more."""
        for event_id in await self._store.drop_answers_in_group(
            group_id, user_id, self._clock.now()
        ):
            await self._live.refresh(event_id)

    # -- editing and cancelling ------------------------------------------------------

    async def edit(
        self,
        event: Event,
        *,
        title: str | None = None,
        starts_at: datetime | None = None,
        ends_at: datetime | None = None,
        place: str | None = None,
        description: str | None = None,
    ) -> tuple[Outcome, list[str]]:
        """Change the event; the post, the scheduled event and the reminders follow, and
        everyone who answered going or maybe is told what changed. Returns the outcome and
        the change lines (empty when nothing changed)."""
        now = self._clock.now()
        if event.cancelled:
            raise UserError("error.event.cancelled", title=inert(event.title))
        if event.over(now):
            raise UserError("error.event.over", title=inert(event.title))
        new = replace(
            event,
            title=title.strip() if title is not None else event.title,
            starts_at=whole_second(starts_at) if starts_at else event.starts_at,
            ends_at=whole_second(ends_at) if ends_at else event.ends_at,
            place=place.strip() if place is not None else event.place,
            description=description.strip() if description is not None else event.description,
        )
        moved = (new.starts_at, new.ends_at) != (event.starts_at, event.ends_at)
        flags = {
            "moved": moved,
            "retitled": new.title != event.title,
            "replaced": new.place != event.place,
            "redescribed": new.description != event.description,
        }
        if not any(flags.values()):
            return Outcome(event), []
        if not event.published and event.publish_at and event.publish_at >= new.starts_at:
            new = replace(new, publish_at=whole_second(now))
        # Those coming are told by letters written with the change (bot/outbox.py).
        notice = (CHANGED_LETTER, _change_payload(event, new, flags)) if event.published else None
        saved, letters = await self._store.update(new, normalize(new.title), now, notice)
        if moved:
            self._unschedule_reminders(saved)
            for offset, due in await self._store.reminders_of(saved.id):
                self._jobs.schedule(Job(EventJob.REMIND, saved.id, offset), due)
        with use_locale(await self._notify.guild_locale(saved.guild_id)):
            changes = messages.change_lines(event, saved, **flags)
        notes: list[str] = []
        if not saved.published:
            if saved.publish_at is not None and saved.publish_at <= now:
                outcome = await self._publish_now_or_later(saved)
                notes += outcome.notes
                saved = outcome.event
            elif saved.publish_at is not None:
                self._jobs.schedule(Job(EventJob.PUBLISH, saved.id), saved.publish_at)
            return Outcome(saved, notes=tuple(notes)), changes
        if not await self._refresh_post(saved, retitle=flags["retitled"]):
            notes.append(t("event.note.post_lost"))
        await self._sync_native(saved)
        told, unreachable = _tally(await self._outbox.deliver(letters))
        return Outcome(saved, notes=tuple(notes), told=told, unreachable=unreachable), changes

    async def _publish_now_or_later(self, event: Event) -> Outcome:
        try:
            return await self._publish(event)
        except PublishError as exc:
            retry = await self._publish_failed(event, exc)
            note = exc.render()
            if retry:
                note += " " + t("event.retry_at", when=messages.when(retry))
            return Outcome(replace(event, publish_at=retry), notes=(note,))

    async def cancel(self, event: Event) -> Outcome:
        """Cancel: the post says so (keeping "Add to calendar", whose file now removes the
        event from calendars), the scheduled event is cancelled, reminders stop, and those
        who answered going or maybe are told. Cancelling twice is answered, not an error."""
        done = await self._store.cancel(
            event.id, self._clock.now(), (CANCELLED_LETTER, {"event": event.id})
        )
        if done is None:
            raise UserError("error.event.already_cancelled", title=inert(event.title))
        cancelled, letters = done
        self._unschedule(cancelled)
        if not cancelled.published:
            return Outcome(cancelled)
        await self._refresh_post(cancelled, retitle=True)
        if cancelled.native_id is not None:
            try:
                await self._announcer.cancel_scheduled_event(
                    cancelled.guild_id, cancelled.native_id
                )
            except DeliveryFailed as exc:
                log.warning("scheduled event of event %d not cancelled: %s", event.id, exc)
        told, unreachable = _tally(await self._outbox.deliver(letters))
        return Outcome(cancelled, told=told, unreachable=unreachable)

    # -- the change and cancel letters: worded when sent, each in its reader's language --

    async def _notice(self, envelope: Envelope) -> tuple[Event, Callable[[], Reply]] | None:
        """The event a letter is about and how to word it (in the locale in force)."""
        event = await self._store.get(int(envelope.payload["event"]))
        if event is None:
            return None
        if envelope.letter.kind == CANCELLED_LETTER:
            return event, lambda: messages.cancelled_notice(event)
        # What the edit changed, as it was then: a later edit has letters of its own.
        was, now = envelope.payload["before"], envelope.payload["after"]
        before = replace(event, title=was["title"])
        after = replace(
            event,
            title=now["title"],
            starts_at=from_db(now["starts_at"]),
            ends_at=from_db(now["ends_at"]),
            place=now["place"],
        )
        flags = {k: bool(envelope.payload[k]) for k in _CHANGE_FLAGS}
        link = self._link(event)
        return event, lambda: messages.changed_notice(
            after, messages.change_lines(before, after, **flags), link
        )

    async def _word_notice(self, envelope: Envelope) -> Reply | None:
        notice = await self._notice(envelope)
        user_id = envelope.letter.user_id
        if notice is None or user_id is None:
            return None
        event, build = notice
        with use_locale(await self._community.locale_for(user_id, event.guild_id)):
            return build()

    async def _mention_closed(self, envelopes: list[Envelope]) -> list[Post]:
        """Those whose DMs are closed are mentioned together, one post a notice, where
        the event is posted, in the server's language."""
        same: dict[tuple[str, str], list[Envelope]] = {}
        for envelope in envelopes:
            key = (envelope.letter.kind, repr(sorted(envelope.payload.items())))
            same.setdefault(key, []).append(envelope)
        posts = []
        for group in same.values():
            notice = await self._notice(group[0])
            if notice is None:
                continue
            event, build = notice
            if event.post_channel_id is None:
                continue
            user_ids = [e.letter.user_id for e in group if e.letter.user_id is not None]
            with use_locale(await self._notify.guild_locale(event.guild_id)):
                mentions = [self._messenger.mention(u) for u in user_ids]
                reply = messages.with_mentions(build(), mentions, user_ids)
            posts.append(Post(event.post_channel_id, reply, tuple(e.id for e in group)))
        return posts

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

    # -- the posted announcement -----------------------------------------------------

    async def _edit_post(self, event_id: int) -> None:
        event = await self._store.get(event_id)
        if event is not None:
            await self._refresh_post(event, retitle=False)

    async def _refresh_post(self, event: Event, *, retitle: bool) -> bool:
        """Bring the announcement up to date; a post someone deleted is made again (and
        the scheduled event points at the new one). False when neither worked."""
        if event.post_channel_id is None or event.post_message_id is None:
            return False
        with use_locale(await self._notify.guild_locale(event.guild_id)):
            reply = messages.post(await self.view(event), self._clock.now())
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
            ref, forum_id, _ = await self._post(event)
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
        await self._sync_native(moved)
        return True

    async def _rename(self, event: Event, title: str) -> None:
        """A thread keeps its post when it cannot be renamed (no Manage Threads)."""
        assert event.post_channel_id is not None
        try:
            await self._announcer.rename_thread(event.post_channel_id, title)
        except DeliveryFailed as exc:
            log.warning("thread of event %d not renamed: %s", event.id, exc)

    async def _sync_native(self, event: Event) -> None:
        if event.native_id is None or event.cancelled:
            return
        try:
            await self._announcer.edit_scheduled_event(
                event.guild_id, event.native_id, self._spec(event)
            )
        except DeliveryFailed as exc:
            log.warning("scheduled event of event %d not updated: %s", event.id, exc)

    # -- nudging ---------------------------------------------------------------------

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
        view = await self.view(event)
        return await self._tell_each(event, members, lambda: messages.nudge(event, view, now))

    # -- series ----------------------------------------------------------------------

    async def find_series(self, viewer: Viewer, ref: str) -> Series:
        series_id = parse_event_ref(ref)
        if series_id is not None:
            found = await self._store.series(series_id)
            candidates = [found] if found is not None else []
        else:
            candidates = await self._store.series_by_title(viewer.guild_id, normalize(ref))
        candidates = [s for s in candidates if s.guild_id == viewer.guild_id]
        seen = await self._visibility.keep(viewer, candidates, lambda s: s.scope)
        if not seen:
            raise UserError("error.event.series.unknown", series=inert(ref))
        return seen[0]

    async def all_series(self, viewer: Viewer) -> list[Series]:
        found = await self._store.all_series(viewer.guild_id)
        return await self._visibility.keep(viewer, found, lambda s: s.scope)

    async def create_series(self, draft: Series, creator: UserRef) -> tuple[Series, int]:
        """Save the series and make the occurrences already due (those starting within
        `ahead`); returns the series as it is now and how many were made. A rule that
        repeats too often or cannot be computed is refused and nothing is saved."""
        check_series_rule(draft.rule, draft.rule)
        now = self._clock.now()
        try:
            first = await self._occurrence_after(draft, now - timedelta(seconds=1))
        except RuleError as exc:
            log.info("series rule %s refused: %s", draft.rule, exc.detail)
            raise UserError("error.rule.no_dates", value=draft.rule) from None
        if first is None:
            raise UserError("error.event.series.no_dates")
        draft = replace(
            draft,
            first_at=whole_second(draft.first_at),
            next_at=whole_second(first),
            created_at=whole_second(now),
        )
        series_id = await self._store.create_series(draft, normalize(draft.title))
        await self._community.remember(creator)
        made = await self._make_due(series_id)
        series = await self._store.series(series_id)
        assert series is not None
        return series, made

    async def stop_series(self, series: Series) -> Series:
        if not await self._store.stop_series(series.id):
            raise UserError("error.event.series.already_stopped", title=inert(series.title))
        self._jobs.cancel(Job(EventJob.SERIES, series.id))
        return replace(series, status=SeriesStatus.STOPPED)

    async def _occurrence_after(
        self, series: Series, after: datetime, seconds: float | None = None
    ) -> datetime | None:
        """The series' next start, computed off the event loop and bounded in time."""
        limit = RULE_SECONDS + (seconds or 0)
        return await off_loop(limit, series.occurrence_after, after, seconds)

    async def _stored_occurrence_after(self, series: Series, after: datetime) -> datetime | None:
        """The same for a saved series, with a second, longer try before giving up."""
        try:
            return await self._occurrence_after(series, after)
        except RuleError as exc:
            if exc.key != "error.rule.too_slow":
                raise
        return await self._occurrence_after(series, after, rrules.STORED_SECONDS)

    async def _make_due(self, series_id: int) -> int:
        """Make every occurrence whose moment to be announced has come, then schedule the
        next; each becomes an ordinary event (announced at once). One run steps through
        at most MAX_MADE_PER_RUN dates (made, or passed while the bot was down); the job
        comes back a moment later for the rest. A rule that cannot be computed sets the
        series aside."""
        made = 0
        for _ in range(MAX_MADE_PER_RUN):
            series = await self._store.series(series_id)
            if series is None or series.status is not SeriesStatus.ACTIVE:
                return made
            if series.next_at is None:
                return made
            now = self._clock.now()
            if series.next_at - series.ahead > now:
                self._jobs.schedule(Job(EventJob.SERIES, series.id), series.next_at - series.ahead)
                return made
            start = series.next_at
            # A rule changed in the database while the bot runs is checked here too.
            wrong: UserError | None = problem(series.rule)
            following: datetime | None = None
            if wrong is None:
                try:
                    following = await self._stored_occurrence_after(series, start)
                except RuleError as exc:
                    wrong = exc
            if wrong is not None:
                await self._set_aside(series, wrong)
                return made
            # Claim the occurrence first: a second run (a restart in between) skips it.
            if not await self._store.advance_series(series.id, start, following):
                return made
            if start > now:
                await self._make_occurrence(series, start)
                made += 1
        self._jobs.schedule(
            Job(EventJob.SERIES, series_id), self._clock.now() + timedelta(seconds=1)
        )
        return made

    async def check_series(self) -> None:
        """At start: set aside every active series whose stored rule a new one could not
        have (INTERVAL=0 saved by an older version, a rule written by hand), before the
        scheduler computes any of them."""
        for series_id in await self._store.active_series_ids():
            series = await self._store.series(series_id)
            if series is None:
                continue
            wrong = problem(series.rule)
            if wrong is not None:
                await self._set_aside(series, wrong)

    async def _set_aside(self, series: Series, reason: UserError) -> None:
        """Stop the series for good, and say so: the log, its creator, the log channel."""
        if not await self._store.set_aside_series(series.id, reason.key):
            return
        self._jobs.cancel(Job(EventJob.SERIES, series.id))
        detail = reason.detail if isinstance(reason, RuleError) else reason.key
        log.warning("series %d (%s) set aside: %s", series.id, series.rule, detail)
        await self._notify.tell(
            series.created_by,
            series.guild_id,
            lambda: messages.series_set_aside(series, reason.render()),
        )
        await self._notify.to_log(
            series.guild_id,
            lambda: messages.series_set_aside(series, reason.render(), for_log=True),
        )

    async def _make_occurrence(self, series: Series, start: datetime) -> None:
        event = Event(
            id=0,
            guild_id=series.guild_id,
            title=series.title,
            kind=series.kind,
            starts_at=start,
            ends_at=whole_second(series.end_of(start)),
            timezone=series.timezone,
            place=series.place,
            description=series.description,
            audience=series.audience,
            group_id=series.group_id,
            capacity=series.capacity,
            publish_at=None,
            published_at=None,
            registration_opens=None,
            registration_closes=None,
            status=Status.SCHEDULED,
            sequence=0,
            created_by=series.created_by,
            created_at=self._clock.now(),
            updated_at=self._clock.now(),
            series_id=series.id,
        )
        with use_locale(await self._community.locale_for(series.created_by, series.guild_id)):
            try:
                await self.create(event, None)
                return
            except UserError as exc:
                reason = exc
        log.warning("series %d: occurrence at %s not made: %s", series.id, start, reason.key)
        await self._notify.tell(
            series.created_by,
            series.guild_id,
            lambda: messages.series_failed(series, start, reason.render()),
        )

    # -- calendars -------------------------------------------------------------------

    async def ics(self, event: Event) -> bytes:
        link = self._link(event)
        return ics.calendar(
            [event], now=self._clock.now(), links={event.id: link} if link else None
        )

    async def calendar(self, viewer: Viewer, guild_id: str | None) -> tuple[int, bytes]:
        """The events the viewer is going to (in every server if no guild) and may still
        see: a group they left takes its events out of their calendar."""
        going = await self._store.going_of(guild_id, viewer.user_id, self._clock.now())
        events = await self._seen(viewer, going)
        links = {e.id: link for e in events if (link := self._link(e))}
        return len(events), ics.calendar(
            events, now=self._clock.now(), links=links, name="Podaj dalej"
        )

    # -- the scheduler's side --------------------------------------------------------

    def _schedule_reminders_from(self, event: Event) -> None:
        for offset, due in reminder_times(event.starts_at, event.created_at):
            self._jobs.schedule(Job(EventJob.REMIND, event.id, offset), due)

    def _schedule_registration(self, event: Event) -> None:
        shown = event.registration_shown
        if shown is Registration.UPCOMING and event.registration_opens is not None:
            self._jobs.schedule(Job(EventJob.OPENS, event.id), event.registration_opens)
        if shown in (Registration.UPCOMING, Registration.OPEN) and event.registration_closes:
            self._jobs.schedule(Job(EventJob.CLOSES, event.id), event.registration_closes)

    def _unschedule_reminders(self, event: Event) -> None:
        for offset in REMINDER_OFFSETS:
            self._jobs.cancel(Job(EventJob.REMIND, event.id, int(offset.total_seconds())))

    def _unschedule(self, event: Event) -> None:
        for kind in (
            EventJob.PUBLISH,
            EventJob.RETRY_NATIVE,
            EventJob.OPENS,
            EventJob.CLOSES,
        ):
            self._jobs.cancel(Job(kind, event.id))
        self._unschedule_reminders(event)

    async def _event_due(self, job: Job[EventJob]) -> None:
        if job.kind is EventJob.SERIES:
            await self._make_due(job.row)
            return
        if job.kind is EventJob.REMIND:
            await self._remind(job.row, job.part)
            return
        event = await self._store.get(job.row)
        if event is None or event.cancelled:
            return
        if job.kind is EventJob.PUBLISH:
            await self._publish_due(event)
        elif job.kind is EventJob.RETRY_NATIVE:
            await self._retry_native(event)
        else:  # the registration opens or closes
            await self._registration_due(event)

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
            self._jobs.schedule(Job(EventJob.PUBLISH, event.id), retry)
        log.warning("event %d not announced (%s); next try %s", event.id, exc.key, retry)
        if attempts == 1 or retry is None:
            await self._notify.tell(
                event.created_by,
                event.guild_id,
                lambda: messages.publish_failed(event, exc.render(), retry),
            )
        return retry

    async def _retry_native(self, event: Event) -> None:
        now = self._clock.now()
        if event.native_id is not None or event.native_retry_at is None:
            return
        if event.native_retry_at > now:
            self._jobs.schedule(Job(EventJob.RETRY_NATIVE, event.id), event.native_retry_at)
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
                self._jobs.schedule(Job(EventJob.RETRY_NATIVE, event.id), retry)
            else:
                await self._notify.tell(
                    event.created_by,
                    event.guild_id,
                    lambda: messages.native_failed(event, reason, None),
                )
            return
        await self._store.set_native(event.id, native_id, None, failed=False)

    async def _registration_due(self, event: Event) -> None:
        now = self._clock.now()
        phase = event.registration(now)
        if phase in (Registration.NONE, Registration.UPCOMING) or not event.published:
            return
        if not await self._store.set_registration_shown(event.id, phase):
            return
        event = replace(event, registration_shown=phase)
        await self._live.refresh(event.id)
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
            self._jobs.schedule(Job(EventJob.CLOSES, event.id), event.registration_closes)

    async def _remind(self, event_id: int, offset_s: int) -> None:
        """Send one reminder moment to everyone going or maybe: a DM in their language,
        a mention in the thread when DMs are closed. Marked sent after sending."""
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
        view = await self.view(event)
        left = event.starts_at - now
        people = await self._store.rsvps(event.id, (Answer.GOING, Answer.MAYBE))
        await self._tell_each(
            event, [p.user_id for p in people], lambda: messages.reminder(event, view, left)
        )
        await self._store.mark_reminded(event_id, offset_s, now)


def _second(at: datetime | None) -> datetime | None:
    return whole_second(at) if at else None


def _initial_registration(event: Event, now: datetime) -> Registration:
    if event.registration_opens is None and event.registration_closes is None:
        return Registration.NONE
    if event.registration_opens is not None and event.registration_opens > now:
        return Registration.UPCOMING
    return Registration.OPEN


def _native_reason(exc: DeliveryFailed) -> str:
    """The catalog key of why the scheduled event could not be made."""
    return "event.reason.native_permission" if exc.permanent else "event.reason.native_down"


_CHANGE_FLAGS = ("moved", "retitled", "replaced", "redescribed")


def _change_payload(before: Event, after: Event, flags: dict[str, bool]) -> dict[str, Any]:
    """What a change letter needs to say what changed, whatever changes after it."""
    return {
        "event": before.id,
        "before": {"title": before.title},
        "after": {
            "title": after.title,
            "starts_at": to_db(after.starts_at),
            "ends_at": to_db(after.ends_at),
            "place": after.place,
        },
        **{k: flags[k] for k in _CHANGE_FLAGS},
    }


def _tally(outcomes: dict[int, LetterStatus]) -> tuple[int, int]:
    """(told by DM, told otherwise or not at all) of a notice's letters: the answer's
    counts. Letters still pending (the platform down) are in neither: they follow."""
    told = sum(1 for s in outcomes.values() if s is LetterStatus.SENT)
    elsewhere = (LetterStatus.FALLBACK, LetterStatus.FAILED)
    return told, sum(1 for s in outcomes.values() if s in elsewhere)
