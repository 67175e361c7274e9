"""Editing and cancelling an event, and the letters that tell those coming.

The post, the scheduled event and the reminders follow the change. Everyone who answered
going or maybe gets a letter written with the change (bot/outbox.py), worded when it is
sent, each in its reader's language; those whose DMs are closed are mentioned together
where the event is posted.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from typing import Any

from bot.clock import Clock
from bot.community.service import CommunityService
from bot.db import from_db, to_db, whole_second
from bot.errors import UserError
from bot.events import messages
from bot.events.announcements import Announcements
from bot.events.lookup import EventLookup
from bot.events.model import CANCELLED_LETTER, CHANGED_LETTER, Event, EventJob
from bot.events.publishing import Outcome, Publisher
from bot.events.schedule import EventSchedule
from bot.events.store import EventStore
from bot.i18n import t, use_locale
from bot.notify import Notifier
from bot.outbox import Courier, Envelope, Outbox, Post
from bot.outbox import Status as LetterStatus
from bot.ports import Messenger
from bot.replies import Reply
from bot.scheduler import Job
from bot.text import inert, normalize

_CHANGE_FLAGS = ("moved", "retitled", "replaced", "redescribed")


class Changes:
    def __init__(
        self,
        store: EventStore,
        clock: Clock,
        schedule: EventSchedule,
        messenger: Messenger,
        community: CommunityService,
        lookup: EventLookup,
        publisher: Publisher,
        announcements: Announcements,
        notify: Notifier,
        outbox: Outbox,
    ) -> None:
        self._store = store
        self._clock = clock
        self._schedule = schedule
        self._messenger = messenger
        self._community = community
        self._lookup = lookup
        self._publisher = publisher
        self._announcements = announcements
        self._notify = notify
        self._outbox = outbox
        for kind in (CHANGED_LETTER, CANCELLED_LETTER):
            outbox.register(kind, Courier(self._word_notice, self._mention_closed))

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
            await self._schedule.reminders_moved(saved)
        with use_locale(await self._notify.guild_locale(saved.guild_id)):
            changes = messages.change_lines(event, saved, **flags)
        notes: list[str] = []
        if not saved.published:
            if saved.publish_at is not None and saved.publish_at <= now:
                outcome = await self._publisher.publish_now_or_later(saved)
                notes += outcome.notes
                saved = outcome.event
            elif saved.publish_at is not None:
                self._schedule.schedule(Job(EventJob.PUBLISH, saved.id), saved.publish_at)
            return Outcome(saved, notes=tuple(notes)), changes
        if not await self._announcements.update(saved, retitle=flags["retitled"]):
            notes.append(t("event.note.post_lost"))
        await self._announcements.sync_native(saved)
        told, unreachable = _tally(await self._outbox.deliver(letters))
        return Outcome(saved, notes=tuple(notes), told=told, unreachable=unreachable), changes

    async def cancel(self, event: Event) -> Outcome:
        """Cancel: the post says so (keeping "Add to calendar", whose file now removes the
        event from calendars), the scheduled event is cancelled, reminders stop, and those
        who answered going or maybe are told. Cancelling twice is answered, not an error;
        an event that is over is not cancelled (nobody is told of it, its record stays)."""
        now = self._clock.now()
        if event.over(now) and not event.cancelled:
            raise UserError("error.event.cancel_over", title=inert(event.title))
        done = await self._store.cancel(event.id, now, (CANCELLED_LETTER, {"event": event.id}))
        if done is None:
            raise UserError("error.event.already_cancelled", title=inert(event.title))
        cancelled, letters = done
        self._schedule.forget(cancelled)
        if not cancelled.published:
            return Outcome(cancelled)
        await self._announcements.update(cancelled, retitle=True)
        await self._announcements.cancel_native(cancelled)
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
        link = self._lookup.link(event)
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
