"""Series of events: a rule (RRULE) that makes each occurrence an ordinary event, announced
`ahead` before it starts (a scheduler job, EventJob.SERIES), until it is stopped.

A rule that repeats too often or cannot be computed is refused when the series is made; a
stored rule that cannot be computed any more (changed by hand, saved by an older version)
sets the series aside, and its creator and the log channel are told.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime, timedelta

from bot.clock import Clock
from bot.community.service import CommunityService
from bot.db import whole_second
from bot.errors import UserError
from bot.events import messages
from bot.events.model import (
    MAX_MADE_PER_RUN,
    Event,
    EventJob,
    Series,
    SeriesStatus,
    Status,
    check_series_rule,
    parse_event_ref,
)
from bot.events.publishing import Publisher
from bot.events.schedule import EventSchedule
from bot.events.store import EventStore
from bot.i18n import use_locale
from bot.notify import Notifier
from bot.offload import RULE_SECONDS, off_loop
from bot.refs import UserRef
from bot.scheduler import Job
from bot.text import inert, normalize
from bot.timelang import rrules
from bot.timelang.rrules import RuleError, problem
from bot.titles import Ambiguous, Match, named
from bot.visibility import Viewer, Visibility

log = logging.getLogger(__name__)


class SeriesService:
    def __init__(
        self,
        store: EventStore,
        clock: Clock,
        schedule: EventSchedule,
        community: CommunityService,
        visibility: Visibility,
        publisher: Publisher,
        notify: Notifier,
    ) -> None:
        self._store = store
        self._clock = clock
        self._schedule = schedule
        self._community = community
        self._visibility = visibility
        self._publisher = publisher
        self._notify = notify
        schedule.route(self._series_due, EventJob.SERIES)

    async def find(self, viewer: Viewer, ref: str) -> Series:
        series_id = parse_event_ref(ref)
        if series_id is not None:
            found = await self._store.series(series_id)
            candidates = [found] if found is not None else []
        else:
            candidates = await self._store.series_by_title(viewer.guild_id, normalize(ref))
        candidates = [s for s in candidates if s.guild_id == viewer.guild_id]
        seen = await self._visibility.keep(viewer, candidates, lambda s: s.scope)
        if not seen and series_id is None:
            # A part of the title: the active series first, then the stopped ones (to say
            # "already stopped" rather than "unknown").
            seen = (
                named(ref, await self.all(viewer), lambda s: s.title)
                or named(ref, await self.all(viewer, SeriesStatus.STOPPED), lambda s: s.title)[:1]
            )
        if not seen:
            raise UserError("error.event.series.unknown", series=inert(ref))
        # A stopped series made again under its title is history, not a second choice.
        active = [s for s in seen if s.status is SeriesStatus.ACTIVE]
        if len(active) > 1:
            # A group's series and a national one may share a title: never pick silently.
            listed = [Match(s.id, s.title, s.group_id, s.next_at) for s in active]
            groups = await self._visibility.group_names(s.group_id for s in active)
            raise Ambiguous("error.event.series.several", ref, "series", listed, groups)
        return (active or seen)[0]

    async def all(self, viewer: Viewer, status: SeriesStatus = SeriesStatus.ACTIVE) -> list[Series]:
        found = await self._store.all_series(viewer.guild_id, status)
        return await self._visibility.keep(viewer, found, lambda s: s.scope)

    async def create(self, draft: Series, creator: UserRef) -> tuple[Series, int]:
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

    async def stop(self, series: Series) -> Series:
        if not await self._store.stop_series(series.id):
            raise UserError("error.event.series.already_stopped", title=inert(series.title))
        self._schedule.cancel(Job(EventJob.SERIES, series.id))
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

    async def _series_due(self, job: Job[EventJob]) -> None:
        await self._make_due(job.row)

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
                self._schedule.schedule(
                    Job(EventJob.SERIES, series.id), series.next_at - series.ahead
                )
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
        self._schedule.schedule(
            Job(EventJob.SERIES, series_id), self._clock.now() + timedelta(seconds=1)
        )
        return made

    async def check_rules(self) -> None:
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
        self._schedule.cancel(Job(EventJob.SERIES, series.id))
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
                await self._publisher.create(event, None)
                return
            except UserError as exc:
                reason = exc
        log.warning("series %d: occurrence at %s not made: %s", series.id, start, reason.key)
        await self._notify.tell(
            series.created_by,
            series.guild_id,
            lambda: messages.series_failed(series, start, reason.render()),
        )
