"""Running things at a time, on the Clock.

The database is the truth: every feature registers a *source* that lists its pending due
times from its tables and a *handler* that does the work. At start (and every horizon) the
jobs are rebuilt from the sources; a job that came due while the bot was down runs at once,
and the feature's handler decides what "late" means. APScheduler 3 keeps the in-memory
jobs and wakes us on the real clock; on a SettableClock, `advance_to` runs every job due on
the way, in time order, with the clock stopped at each due time.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from apscheduler.jobstores.base import JobLookupError
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.date import DateTrigger

from bot.clock import Clock, SettableClock

log = logging.getLogger(__name__)

JobHandler = Callable[[str, datetime], Awaitable[None]]
JobSource = Callable[[datetime], Awaitable[Iterable[tuple[str, datetime]]]]
_REFILL = "scheduler:refill"


@dataclass(frozen=True)
class Feature:
    handler: JobHandler
    source: JobSource


class Scheduler:
    def __init__(self, clock: Clock, *, horizon: timedelta = timedelta(hours=24)) -> None:
        self._clock = clock
        self._horizon = horizon
        self._features: dict[str, Feature] = {}
        self._aps = AsyncIOScheduler(
            timezone=UTC,
            job_defaults={"misfire_grace_time": None, "coalesce": False, "max_instances": 1},
        )
        self._until = clock.now()
        self._drive_lock = asyncio.Lock()

    @property
    def manual(self) -> bool:
        """True when time only moves through `advance_to` (console and tests)."""
        return isinstance(self._clock, SettableClock)

    def register(self, kind: str, handler: JobHandler, source: JobSource) -> None:
        """Declare a feature's jobs: `source(until)` lists (key, due) pairs due before `until`."""
        if ":" in kind:
            raise ValueError("a job kind may not contain ':'")
        self._features[kind] = Feature(handler, source)

    async def start(self) -> None:
        """Rebuild every job from the database and start waking up on time; jobs that came
        due while the bot was down run now (APScheduler does it on the real clock)."""
        self._aps.start(paused=self.manual)
        await self._refill()
        if self.manual:
            await self.advance_to(self._clock.now())

    async def stop(self) -> None:
        if self._aps.running:
            self._aps.shutdown(wait=False)

    def schedule(self, kind: str, key: str, due: datetime) -> None:
        """(Re)schedule one job; beyond the horizon the next refill will pick it up."""
        if kind not in self._features:
            raise KeyError(f"unknown job kind {kind!r}")
        if due > self._until:
            self.cancel(kind, key)
            return
        self._aps.add_job(
            self._fire,
            DateTrigger(run_date=due.astimezone(UTC)),
            args=(kind, key, due),
            id=f"{kind}:{key}",
            replace_existing=True,
        )

    def cancel(self, kind: str, key: str) -> None:
        with contextlib.suppress(JobLookupError):
            self._aps.remove_job(f"{kind}:{key}")

    def pending(self) -> list[tuple[datetime, str]]:
        """(due, "kind:key") of the scheduled jobs, earliest first."""
        return [
            (job.next_run_time, job.id)
            for job in self._aps.get_jobs()
            if job.next_run_time is not None and job.id != _REFILL
        ]

    async def advance_to(self, target: datetime) -> int:
        """On a SettableClock: move to `target`, running each job due on the way, in order."""
        if not isinstance(self._clock, SettableClock):
            raise RuntimeError("only a settable clock can be advanced")
        clock = self._clock
        ran = 0
        async with self._drive_lock:
            while True:
                job = next(iter(self._aps.get_jobs()), None)
                if job is None or job.next_run_time is None or job.next_run_time > target:
                    break
                clock.set(max(clock.now(), job.next_run_time))
                self._aps.remove_job(job.id)
                await job.func(*job.args)
                ran += 1
            if target > clock.now():
                clock.set(target)
        return ran

    async def _fire(self, kind: str, key: str, due: datetime) -> None:
        if kind == _REFILL:
            await self._refill()
            return
        try:
            await self._features[kind].handler(key, due)
        except Exception:
            # The feature's row is still pending, so the next refill or restart retries it.
            log.exception("scheduled %s:%s failed", kind, key)

    async def _refill(self) -> None:
        """Load every job due before now + horizon from the features' sources."""
        self._until = self._clock.now() + self._horizon
        for kind, feature in self._features.items():
            for key, due in await feature.source(self._until):
                self.schedule(kind, key, due)
        self._aps.add_job(
            self._fire,
            DateTrigger(run_date=self._until),
            args=(_REFILL, "", self._until),
            id=_REFILL,
            replace_existing=True,
        )
