"""Running things at a time, on the Clock.

The database is the truth: every feature registers a *source* that lists its pending due
times from its tables and a *handler* that does the work. At start (and whenever the window
runs out) the jobs are rebuilt from the sources; a job that came due while the bot was down
runs at once, and the feature's handler decides what "late" means.

Handlers receive *batches*: every job of a feature that is due at the same moment comes in
one call, so a feature reads and writes its rows once for a thousand reminders instead of a
thousand times. APScheduler 3 holds one job per feature and moment (it costs about 0.1 ms
per job, so a burst must not be a thousand of them) and wakes us on the real clock; on a
SettableClock, `advance_to` runs every moment due on the way, in time order, with the clock
stopped at each.

Keys are typed: a feature names its kinds of job in a StrEnum and schedules `Job(kind, row)`
through the `Jobs` handle `register` returns, so a panel's reminder and an event's reminder
can never be mistaken for each other, and its source lists `Job`s too.

A feature may also *prepare* its batches: it is handed each moment's keys up to
PREPARE_AHEAD before the moment, to read and word what it will send, so that the moment
itself only delivers. Preparing is a head start, never a promise: keys that join a moment
later, or a preparation that failed or finished too late, are the handler's to read.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any, Generic, TypeVar

from apscheduler.jobstores.base import JobLookupError
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.date import DateTrigger

from bot.clock import Clock, SettableClock

log = logging.getLogger(__name__)

K = TypeVar("K", bound=StrEnum)


@dataclass(frozen=True, order=True)
class Job(Generic[K]):
    """One of a feature's jobs: which kind, for which row; `part` tells apart a row's
    several jobs of one kind (an event's reminders, by their lead in seconds)."""

    kind: K
    row: int
    part: int = 0

    def __str__(self) -> str:
        return f"{self.kind}{self.row}" + (f".{self.part}" if self.part else "")


Due = tuple[Job[K], datetime]
BatchHandler = Callable[[list[Due[K]]], Awaitable[None]]
JobHandler = Callable[[Job[K]], Awaitable[None]]
JobSource = Callable[[datetime, int], Awaitable[Sequence[Due[K]]]]
_REFILL = "~refill"
_PREPARE = "/prepare"  # suffix of a moment's job id for its preparation
# Memory holds a window of jobs — the next `horizon` of time, and at most this many per
# feature — refilled from the database as time goes on.
WINDOW_JOBS = 1000
# …and at most this many distinct moments: each costs APScheduler jobs (~0.25 ms apiece, a
# moment and its preparation), so a start with a million reminders spread over a year arms
# the next hundred moments (0.05 s) rather than a thousand (0.6 s), and refills as they pass.
WINDOW_MOMENTS = 100
# A moment is never split across windows up to this many jobs: a burst due at once is
# loaded, prepared and handed over as one batch instead of a window at a time.
MOMENT_JOBS = 20_000
MIN_WINDOW = timedelta(seconds=1)
# A batch whose handler raised, or a refill that failed, is tried again this much later.
RETRY_FAILED = timedelta(minutes=1)
# How long `stop` waits for handlers that are still delivering.
STOP_GRACE_S = 10.0
# How long before a moment a feature that prepares gets its batch: ample for reading a
# thousand rows, short enough that what was read is still what will be sent.
PREPARE_AHEAD = timedelta(seconds=2)
# A moment's APScheduler job may run twice at once: the refill after a full window re-arms
# the very moment that is still running, and APScheduler would skip that as one instance
# too many, leaving the rest of the burst waiting for nothing. The keys were taken by the
# first run, so the two never share one.
_MOMENT_INSTANCES = 2


@dataclass
class Feature:
    handler: BatchHandler[Any]
    source: JobSource[Any]
    prepare: BatchHandler[Any] | None = None
    # key → due, and due → keys: one APScheduler job per moment holds every key due then.
    due_of: dict[Job[Any], datetime] = field(default_factory=dict)
    at: dict[datetime, set[Job[Any]]] = field(default_factory=dict)
    # Keys fired and not yet handled: their rows still look pending, so a refill that
    # runs meanwhile must not schedule them again.
    in_flight: set[Job[Any]] = field(default_factory=set)
    # The last refill found more than the window holds: when what was loaded is done,
    # the next window is loaded at once rather than at the next refill.
    truncated: bool = False
    # The keys handled at the latest moment: a refill never runs one again for that same
    # moment (a handler that leaves its row as it was must not loop).
    moment: datetime | None = None
    handled: set[Job[Any]] = field(default_factory=set)


class Jobs(Generic[K]):
    """A feature's hold on the scheduler: it schedules and cancels its own kinds of job."""

    def __init__(self, scheduler: Scheduler, feature: str) -> None:
        self._scheduler = scheduler
        self._feature = feature

    def schedule(self, job: Job[K], due: datetime) -> None:
        """(Re)schedule one job; beyond the window the next refill will pick it up."""
        self._scheduler._schedule(self._feature, job, due)

    def cancel(self, job: Job[K]) -> None:
        self._scheduler._cancel(self._feature, job)


class Routes(Generic[K]):
    """A feature whose kinds of job belong to different parts (a panel's reminder to its
    lifecycle, a turn's time-up to its floor): the feature registers `run` once, and each
    part routes its own kinds to itself."""

    def __init__(self) -> None:
        self._owners: dict[K, JobHandler[K]] = {}

    def add(self, kind: K, handler: JobHandler[K]) -> None:
        self._owners[kind] = handler

    async def run(self, job: Job[K]) -> None:
        owner = self._owners.get(job.kind)
        if owner is None:
            raise LookupError(f"no part handles {job.kind!r} jobs")
        await owner(job)


class Scheduler:
    def __init__(
        self,
        clock: Clock,
        *,
        horizon: timedelta = timedelta(hours=24),
        window_jobs: int = WINDOW_JOBS,
        window_moments: int = WINDOW_MOMENTS,
        around: Callable[[], AbstractContextManager[None]] = contextlib.nullcontext,
    ) -> None:
        self._clock = clock
        # Entered around every batch (the front end's words for things, bot/i18n).
        self._around = around
        self._horizon = horizon
        self._window_jobs = window_jobs
        self._window_moments = window_moments
        self._features: dict[str, Feature] = {}
        self._aps = AsyncIOScheduler(
            timezone=UTC,
            job_defaults={"misfire_grace_time": None, "coalesce": False, "max_instances": 1},
        )
        self._until = clock.now()
        self._drive_lock = asyncio.Lock()
        self._running: set[asyncio.Task[None]] = set()

    @property
    def running(self) -> bool:
        """Started and not stopped (the public page's /health reports it)."""
        return bool(self._aps.running)

    @property
    def manual(self) -> bool:
        """True when time only moves through `advance_to` (console and tests)."""
        return isinstance(self._clock, SettableClock)

    def register(
        self,
        feature: str,
        handler: BatchHandler[K],
        source: JobSource[K],
        *,
        prepare: BatchHandler[K] | None = None,
    ) -> Jobs[K]:
        """Declare a feature's jobs: `source(until, limit)` lists the earliest `limit`
        (job, due) pairs due at or before `until`, in time order; `handler(batch)` runs
        the jobs that came due together; `prepare(batch)`, if given, gets a moment's keys
        known by then PREPARE_AHEAD before it."""
        if "@" in feature or feature == _REFILL:
            raise ValueError(f"a feature may not be named {_REFILL!r} or contain '@'")
        self._features[feature] = Feature(handler, source, prepare)
        return Jobs(self, feature)

    def register_each(self, feature: str, handler: JobHandler[K], source: JobSource[K]) -> Jobs[K]:
        """Like `register`, for a feature whose jobs are few and independent: each job of
        a batch runs on its own, and one that fails is logged while the rest go on (its
        row is unchanged, so the next refill or start tries it again)."""

        async def each(batch: list[Due[K]]) -> None:
            for job, _ in batch:
                try:
                    await handler(job)
                except Exception:
                    log.exception("%s job %s failed", feature, job)

        return self.register(feature, each, source)

    async def start(self) -> None:
        """Rebuild every job from the database and start waking up on time; jobs that came
        due while the bot was down run now (APScheduler does it on the real clock)."""
        self._aps.start(paused=self.manual)
        await self._refill()
        if self.manual:
            await self.advance_to(self._clock.now())

    async def stop(self) -> None:
        """Stop waking up, let batches that are delivering finish their writes, then shut
        APScheduler down (which would cancel them)."""
        if not self._aps.running:
            return
        self._aps.pause()
        if self._running:
            await asyncio.wait(self._running, timeout=STOP_GRACE_S)
        self._aps.shutdown(wait=False)

    def _schedule(self, name: str, key: Job[Any], due: datetime) -> None:
        """(Re)schedule one job; beyond the window the next refill will pick it up."""
        feature = self._features[name]
        self._cancel(name, key)
        if due > self._until:
            return
        due = due.astimezone(UTC)
        feature.due_of[key] = due
        keys = feature.at.setdefault(due, set())
        keys.add(key)
        if len(keys) == 1:
            self._arm(name, due)

    def _cancel(self, name: str, key: Job[Any]) -> None:
        feature = self._features[name]
        due = feature.due_of.pop(key, None)
        if due is None:
            return
        keys = feature.at[due]
        keys.discard(key)
        if not keys:
            del feature.at[due]
            for job_id in (_job_id(name, due), _job_id(name, due) + _PREPARE):
                with contextlib.suppress(JobLookupError):  # a preparation may be over
                    self._aps.remove_job(job_id)

    def _arm(self, name: str, due: datetime) -> None:
        """The APScheduler job of a new moment, and of its preparation while it is ahead."""
        self._aps.add_job(
            self._fired,
            DateTrigger(run_date=due),
            args=(name, due),
            id=_job_id(name, due),
            replace_existing=True,
            max_instances=_MOMENT_INSTANCES,
        )
        now = self._clock.now()
        if self._features[name].prepare is None or due <= now:
            return
        self._aps.add_job(
            self._fired,
            DateTrigger(run_date=max(now, due - PREPARE_AHEAD)),
            args=(name, due, True),
            id=_job_id(name, due) + _PREPARE,
            replace_existing=True,
        )

    def pending(self) -> list[tuple[datetime, str]]:
        """(due, "name:key") of the scheduled jobs, earliest first."""
        return sorted(
            (due, f"{name}:{key}")
            for name, feature in self._features.items()
            for key, due in feature.due_of.items()
        )

    async def advance_to(self, target: datetime) -> int:
        """On a SettableClock: move to `target`, running each moment's jobs on the way, in
        order, with the clock stopped at that moment. Returns how many jobs ran."""
        if not isinstance(self._clock, SettableClock):
            raise RuntimeError("only a settable clock can be advanced")
        clock = self._clock
        ran = 0
        async with self._drive_lock:
            while True:
                jobs = self._aps.get_jobs()
                if not jobs or jobs[0].next_run_time is None or jobs[0].next_run_time > target:
                    break
                moment = jobs[0].next_run_time
                clock.set(max(clock.now(), moment))
                # Features sort before "~refill", so the window moves on after them.
                for job in [j for j in jobs if j.next_run_time == moment]:
                    self._aps.remove_job(job.id)
                    ran += await self._run(*job.args)
            if target > clock.now():
                clock.set(target)
        return ran

    async def _fired(self, name: str, due: datetime, ahead: bool = False) -> None:
        """APScheduler's callback on the real clock."""
        task = asyncio.current_task()
        if task is not None:
            self._running.add(task)
        try:
            await self._run(name, due, ahead)
        finally:
            if task is not None:
                self._running.discard(task)

    async def _run(self, name: str, due: datetime, ahead: bool = False) -> int:
        """Run a moment's batch, or with `ahead` prepare it; how many jobs ran."""
        with self._around():
            return await self._run_batch(name, due, ahead)

    async def _run_batch(self, name: str, due: datetime, ahead: bool) -> int:
        if name == _REFILL:
            await self._refill()
            return 0
        feature = self._features[name]
        if ahead:
            await self._prepare(name, feature, due)
            return 0
        keys = feature.at.pop(due, set())
        if not keys:  # handlers are only ever given a batch with something in it
            return 0
        for key in keys:
            del feature.due_of[key]
        feature.in_flight |= keys
        batch = [(key, due) for key in sorted(keys)]
        if feature.moment != due:
            feature.moment, feature.handled = due, set()
        feature.handled |= keys
        try:
            await feature.handler(batch)
        except Exception:
            # The rows are still pending: try the batch again soon rather than at the next
            # refill, a whole horizon away. A handler skips rows it already dealt with.
            log.exception("scheduled %s batch of %d failed; again in a minute", name, len(batch))
            feature.in_flight -= keys
            for key in keys:
                self._schedule(name, key, self._clock.now() + RETRY_FAILED)
        finally:
            feature.in_flight -= keys
        if feature.truncated and not feature.at:
            # A burst bigger than the window: deliver it as fast as the handler can,
            # not one window per refill.
            await self._refill()
        return len(batch)

    async def _prepare(self, name: str, feature: Feature, due: datetime) -> None:
        keys = feature.at.get(due)
        # A moment already due (the clock jumped, the loop stalled) is the handler's now.
        if not keys or feature.prepare is None or due <= self._clock.now():
            return
        try:
            await feature.prepare([(key, due) for key in sorted(keys)])
        except Exception:
            # Only a head start is lost: the handler reads what it was not given.
            log.exception("preparing the %s batch of %d failed", name, len(keys))

    async def _refill(self) -> None:
        """Load the jobs due before now + horizon; when a feature has more than the window
        holds, the window ends at its last loaded job and the refill comes then."""
        now = self._clock.now()
        until = now + self._horizon
        # Jobs scheduled while the sources are read must not be dropped as "beyond".
        self._until = until
        next_refill = now + RETRY_FAILED
        try:
            loaded: list[tuple[str, Sequence[Due[Any]]]] = []
            for name, feature in self._features.items():
                jobs = await feature.source(until, self._window_jobs)
                full = len(jobs) >= self._window_jobs
                if full:
                    jobs = await _whole_last_moment(feature.source, jobs)
                end = _window_end(jobs, full, self._window_moments)
                feature.truncated = end is not None
                if end is not None:
                    # Never a window that ends now: a full window of rows still being
                    # delivered would make the refill call itself again at once.
                    until = min(until, max(end, now + MIN_WINDOW))
                loaded.append((name, jobs))
            self._until = until
            for name, jobs in loaded:
                feature = self._features[name]
                for key, due in jobs:
                    # Keys being handled or already scheduled are newer than this snapshot.
                    if key in feature.in_flight or key in feature.due_of:
                        continue
                    if due == feature.moment and key in feature.handled:
                        continue
                    self._schedule(name, key, due)
            next_refill = until
        except Exception:
            log.exception("refilling the scheduler failed; trying again in a minute")
        finally:
            # "~refill" sorts after every feature's "name@time" id, so at a shared moment
            # the features' jobs run before the window moves on.
            self._aps.add_job(
                self._fired,
                DateTrigger(run_date=next_refill),
                args=(_REFILL, next_refill),
                id=_REFILL,
                replace_existing=True,
            )


async def _whole_last_moment(
    source: JobSource[Any], jobs: Sequence[Due[Any]]
) -> Sequence[Due[Any]]:
    """A full window, grown until its last moment is whole (up to MOMENT_JOBS)."""
    moment = jobs[-1][1]
    limit = len(jobs)
    while len(jobs) >= limit and limit < MOMENT_JOBS:
        limit = min(limit * 10, MOMENT_JOBS)
        jobs = await source(moment, limit)
    return jobs


def _window_end(jobs: Sequence[Due[Any]], full: bool, most_moments: int) -> datetime | None:
    """Where a window of `jobs` (in time order) must end to hold at most `most_moments`
    distinct moments, or, when the source had more than it gave (`full`), at its last
    moment; None when every job fits."""
    moments = 0
    previous: datetime | None = None
    for _, due in jobs:
        if due != previous:
            moments += 1
            if moments > most_moments:
                return previous
            previous = due
    return previous if full else None


def _job_id(name: str, due: datetime) -> str:
    return f"{name}@{due.isoformat()}"
