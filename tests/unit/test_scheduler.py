from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any

import pytest

from bot.clock import SettableClock, SystemClock
from bot.scheduler import PREPARE_AHEAD, Due, Job, Jobs, Routes, Scheduler

T0 = datetime(2026, 3, 28, 8, 0, tzinfo=UTC)


class SampleJob(StrEnum):
    ONE = "t"
    OTHER = "o"


class Rows:
    """A feature's table in miniature: pending due times by row name, marked done by the
    handler; each name is a row id (its position in the order names were first seen)."""

    def __init__(self, clock: SettableClock, due: dict[str, datetime]) -> None:
        self.clock = clock
        self.ids: dict[str, int] = {}
        self.due = {self.job(name): at for name, at in due.items()}
        self.ran: list[tuple[str, datetime, datetime]] = []
        self.batches: list[int] = []
        self.jobs: Jobs[SampleJob] | None = None

    def job(self, name: str) -> Job[SampleJob]:
        return Job(SampleJob.ONE, self.ids.setdefault(name, len(self.ids) + 1))

    def name(self, job: Job[SampleJob]) -> str:
        return next(name for name, ident in self.ids.items() if ident == job.row)

    def schedule(self, name: str, due: datetime) -> None:
        assert self.jobs is not None
        self.jobs.schedule(self.job(name), due)

    def cancel(self, name: str) -> None:
        assert self.jobs is not None
        self.jobs.cancel(self.job(name))

    async def source(self, until: datetime, limit: int) -> Sequence[Due[SampleJob]]:
        return sorted(((k, d) for k, d in self.due.items() if d <= until), key=lambda p: p[1])[
            :limit
        ]

    async def handler(self, batch: list[Due[SampleJob]]) -> None:
        for job, due in batch:
            if self.due.get(job) == due:  # a handler skips jobs its rows no longer want
                self.ran.append((self.name(job), due, self.clock.now()))
                del self.due[job]
        self.batches.append(len(batch))


async def started(rows: Rows, clock: SettableClock, **kwargs: Any) -> Scheduler:
    scheduler = Scheduler(clock, **kwargs)
    rows.jobs = scheduler.register("test", rows.handler, rows.source)
    await scheduler.start()
    return scheduler


async def test_advance_runs_due_jobs_in_order_with_the_clock_at_each_due_time() -> None:
    clock = SettableClock(T0)
    rows = Rows(
        clock,
        {
            "b": T0 + timedelta(hours=2),
            "a": T0 + timedelta(hours=1),
            "later": T0 + timedelta(hours=5),
        },
    )
    scheduler = await started(rows, clock)
    ran = await scheduler.advance_to(T0 + timedelta(hours=3))
    assert ran == 2
    assert [(k, at) for k, _, at in rows.ran] == [
        ("a", T0 + timedelta(hours=1)),
        ("b", T0 + timedelta(hours=2)),
    ]
    assert clock.now() == T0 + timedelta(hours=3)
    assert [job for _, job in scheduler.pending()] == [f"test:{rows.job('later')}"]
    await scheduler.stop()


async def test_jobs_due_at_the_same_moment_come_as_one_batch() -> None:
    clock = SettableClock(T0)
    same = T0 + timedelta(minutes=5)
    rows = Rows(clock, {f"k{i}": same for i in range(50)} | {"next": same + timedelta(seconds=1)})
    scheduler = await started(rows, clock)
    await scheduler.advance_to(T0 + timedelta(minutes=10))
    assert rows.batches == [50, 1]
    await scheduler.stop()


async def test_on_the_real_clock_jobs_fired_together_are_batched() -> None:
    clock = SystemClock()
    due = clock.now() - timedelta(seconds=1)  # already due: APScheduler fires at once
    ran: list[list[Due[SampleJob]]] = []
    all_ran = asyncio.Event()

    async def handler(batch: list[Due[SampleJob]]) -> None:
        ran.append(batch)
        if sum(len(b) for b in ran) == 20:
            all_ran.set()

    async def source(until: datetime, limit: int) -> Sequence[Due[SampleJob]]:
        return [(Job(SampleJob.ONE, i), due) for i in range(20)]

    scheduler = Scheduler(clock)
    scheduler.register("real", handler, source)
    await scheduler.start()
    await asyncio.wait_for(all_ran.wait(), timeout=5)
    await scheduler.stop()
    assert sum(len(b) for b in ran) == 20
    assert len(ran) == 1  # one moment, one call


async def test_jobs_that_came_due_while_down_run_at_start() -> None:
    clock = SettableClock(T0)
    rows = Rows(clock, {"missed": T0 - timedelta(hours=3)})
    scheduler = await started(rows, clock)
    assert [k for k, _, _ in rows.ran] == ["missed"]
    assert rows.ran[0][2] == T0  # delivered now, late; the feature sees the original due time
    assert rows.ran[0][1] == T0 - timedelta(hours=3)
    await scheduler.stop()


async def test_restart_rebuilds_jobs_from_the_source() -> None:
    clock = SettableClock(T0)
    rows = Rows(clock, {"x": T0 + timedelta(minutes=30)})
    first = await started(rows, clock)
    await first.stop()
    second = await started(rows, clock)  # a new process: memory is gone, the rows are not
    await second.advance_to(T0 + timedelta(hours=1))
    assert [k for k, _, _ in rows.ran] == ["x"]
    await second.stop()


async def test_cancel_and_reschedule() -> None:
    clock = SettableClock(T0)
    rows = Rows(clock, {})
    scheduler = await started(rows, clock)
    rows.due[rows.job("x")] = T0 + timedelta(minutes=10)
    rows.schedule("x", T0 + timedelta(minutes=10))
    rows.schedule("x", T0 + timedelta(minutes=20))  # replaces, never doubles
    await scheduler.advance_to(T0 + timedelta(minutes=15))
    assert rows.ran == []
    rows.cancel("x")
    await scheduler.advance_to(T0 + timedelta(hours=1))
    assert rows.ran == []
    await scheduler.stop()


async def test_jobs_beyond_the_horizon_are_loaded_by_the_refill() -> None:
    clock = SettableClock(T0)
    rows = Rows(clock, {"far": T0 + timedelta(days=3)})
    scheduler = await started(rows, clock, horizon=timedelta(hours=24))
    assert scheduler.pending() == []
    await scheduler.advance_to(T0 + timedelta(days=4))
    assert [(k, at) for k, _, at in rows.ran] == [("far", T0 + timedelta(days=3))]
    await scheduler.stop()


async def test_a_full_window_is_refilled_when_it_runs_out() -> None:
    clock = SettableClock(T0)
    rows = Rows(clock, {f"r{i:02d}": T0 + timedelta(minutes=i) for i in range(1, 26)})
    scheduler = await started(rows, clock, window_jobs=10)
    assert len(scheduler.pending()) == 10
    await scheduler.advance_to(T0 + timedelta(hours=1))
    assert [k for k, _, _ in rows.ran] == [f"r{i:02d}" for i in range(1, 26)]
    assert all(at == due for _, due, at in rows.ran)
    await scheduler.stop()


async def test_a_failing_handler_is_logged_and_does_not_stop_the_others(
    caplog: pytest.LogCaptureFixture,
) -> None:
    clock = SettableClock(T0)
    rows = Rows(clock, {"ok": T0 + timedelta(minutes=2)})

    async def broken(batch: list[Due[SampleJob]]) -> None:
        raise RuntimeError("send failed")

    async def source(until: datetime, limit: int) -> Sequence[Due[SampleJob]]:
        return [(Job(SampleJob.ONE, 1), T0 + timedelta(minutes=1))]

    scheduler = Scheduler(clock)
    scheduler.register("broken", broken, source)
    rows.jobs = scheduler.register("test", rows.handler, rows.source)
    await scheduler.start()
    await scheduler.advance_to(T0 + timedelta(minutes=5))
    assert [k for k, _, _ in rows.ran] == ["ok"]
    assert "scheduled broken batch of 1 failed" in caplog.text
    await scheduler.stop()


async def test_only_a_settable_clock_can_be_advanced() -> None:
    scheduler = Scheduler(SystemClock())
    with pytest.raises(RuntimeError):
        await scheduler.advance_to(T0)


def test_feature_names_cannot_contain_the_separator() -> None:
    with pytest.raises(ValueError, match="feature"):
        Scheduler(SettableClock(T0)).register("a@b", Rows.handler, Rows.source)  # type: ignore[arg-type]


async def prepared_scheduler(
    rows: Rows, clock: SettableClock, prepared: list[tuple[list[str], datetime]]
) -> Scheduler:
    async def prepare(batch: list[Due[SampleJob]]) -> None:
        prepared.append(([rows.name(job) for job, _ in batch], clock.now()))

    scheduler = Scheduler(clock)
    rows.jobs = scheduler.register("test", rows.handler, rows.source, prepare=prepare)
    await scheduler.start()
    return scheduler


async def test_a_feature_that_prepares_gets_each_moment_ahead_of_it() -> None:
    clock = SettableClock(T0)
    due = T0 + timedelta(minutes=10)
    rows = Rows(clock, {"a": due, "b": due})
    prepared: list[tuple[list[str], datetime]] = []
    scheduler = await prepared_scheduler(rows, clock, prepared)
    await scheduler.advance_to(due - PREPARE_AHEAD)
    assert prepared == [(["a", "b"], due - PREPARE_AHEAD)]
    assert rows.ran == []
    rows.due[rows.job("c")] = due
    rows.schedule("c", due)  # joins the moment after it was prepared
    await scheduler.advance_to(due)
    assert [(k, at) for k, _, at in rows.ran] == [("a", due), ("b", due), ("c", due)]
    assert len(prepared) == 1
    await scheduler.stop()


async def test_a_moment_closer_than_the_head_start_is_prepared_at_once_a_past_one_never() -> None:
    clock = SettableClock(T0)
    rows = Rows(clock, {"soon": T0 + timedelta(seconds=1), "overdue": T0 - timedelta(hours=1)})
    prepared: list[tuple[list[str], datetime]] = []
    scheduler = await prepared_scheduler(rows, clock, prepared)
    assert prepared == [(["soon"], T0)]
    assert [k for k, _, _ in rows.ran] == ["overdue"]
    await scheduler.stop()


async def test_a_preparation_that_wakes_after_its_moment_reads_nothing() -> None:
    clock = SettableClock(T0)
    rows = Rows(clock, {"x": T0 + timedelta(minutes=10)})
    prepared: list[tuple[list[str], datetime]] = []
    scheduler = await prepared_scheduler(rows, clock, prepared)
    clock.set(T0 + timedelta(minutes=20))  # the loop stalled past the moment
    await scheduler.advance_to(clock.now())
    assert prepared == []  # the handler reads the rows itself
    assert [k for k, _, _ in rows.ran] == ["x"]
    await scheduler.stop()


async def test_a_cancelled_moment_is_not_prepared() -> None:
    clock = SettableClock(T0)
    rows = Rows(clock, {"x": T0 + timedelta(minutes=10)})
    prepared: list[tuple[list[str], datetime]] = []
    scheduler = await prepared_scheduler(rows, clock, prepared)
    rows.cancel("x")
    await scheduler.advance_to(T0 + timedelta(hours=1))
    assert prepared == [] and rows.ran == []
    await scheduler.stop()


async def test_a_failing_preparation_is_logged_and_the_moment_still_runs(
    caplog: pytest.LogCaptureFixture,
) -> None:
    clock = SettableClock(T0)
    rows = Rows(clock, {"x": T0 + timedelta(minutes=10)})

    async def broken(batch: list[Due[SampleJob]]) -> None:
        raise RuntimeError("database busy")

    scheduler = Scheduler(clock)
    rows.jobs = scheduler.register("test", rows.handler, rows.source, prepare=broken)
    await scheduler.start()
    await scheduler.advance_to(T0 + timedelta(hours=1))
    assert [(k, at) for k, _, at in rows.ran] == [("x", T0 + timedelta(minutes=10))]
    assert "preparing the test batch of 1 failed" in caplog.text
    await scheduler.stop()


async def test_one_by_one_a_failing_job_is_logged_and_the_rest_of_its_batch_runs(
    caplog: pytest.LogCaptureFixture,
) -> None:
    clock = SettableClock(T0)
    due = T0 + timedelta(minutes=1)
    handled: list[Job[SampleJob]] = []

    async def one(job: Job[SampleJob]) -> None:
        if job.kind is SampleJob.OTHER:
            raise RuntimeError("row gone")
        handled.append(job)

    async def source(until: datetime, limit: int) -> Sequence[Due[SampleJob]]:
        return [
            (Job(SampleJob.ONE, 1), due),
            (Job(SampleJob.OTHER, 1), due),
            (Job(SampleJob.ONE, 2), due),
        ]

    scheduler = Scheduler(clock)
    scheduler.register_each("each", one, source)
    await scheduler.start()
    await scheduler.advance_to(due)
    assert handled == [Job(SampleJob.ONE, 1), Job(SampleJob.ONE, 2)]
    assert "each job o1 failed" in caplog.text
    await scheduler.stop()


async def test_routes_hand_each_kind_to_the_part_that_owns_it(
    caplog: pytest.LogCaptureFixture,
) -> None:
    clock = SettableClock(T0)
    due = T0 + timedelta(minutes=1)
    handled: list[Job[SampleJob]] = []

    async def source(until: datetime, limit: int) -> Sequence[Due[SampleJob]]:
        return [(Job(SampleJob.ONE, 1), due), (Job(SampleJob.OTHER, 2), due)]

    async def owner(job: Job[SampleJob]) -> None:
        handled.append(job)

    routes: Routes[SampleJob] = Routes()
    scheduler = Scheduler(clock)
    scheduler.register_each("parts", routes.run, source)
    routes.add(SampleJob.ONE, owner)
    await scheduler.start()
    await scheduler.advance_to(due)
    # A kind no part took is an error, logged like any failing job.
    assert handled == [Job(SampleJob.ONE, 1)]
    assert "parts job o2 failed" in caplog.text
    await scheduler.stop()


def test_a_job_key_reads_as_its_kind_row_and_part() -> None:
    assert str(Job(SampleJob.ONE, 12)) == "t12"
    assert str(Job(SampleJob.ONE, 12, 3600)) == "t12.3600"
    # Two features may use the same letter; within one they are told apart by kind.
    assert Job(SampleJob.ONE, 1) != Job(SampleJob.OTHER, 1)


async def test_more_due_at_once_than_a_window_holds_all_run_at_their_moment() -> None:
    # A burst larger than the window: each window delivered is followed at once by the
    # next, instead of one window a second.
    clock = SettableClock(T0)
    due = T0 + timedelta(minutes=5)
    rows = Rows(clock, {f"r{i:04d}": due for i in range(2500)})
    scheduler = await started(rows, clock, window_jobs=1000)
    await scheduler.advance_to(due)
    assert len(rows.ran) == 2500
    assert {at for _, _, at in rows.ran} == {due}
    await scheduler.stop()


async def test_a_handler_that_leaves_its_rows_as_they_were_does_not_loop() -> None:
    clock = SettableClock(T0)
    due = T0 + timedelta(minutes=5)
    seen: list[int] = []

    async def source(until: datetime, limit: int) -> Sequence[Due[SampleJob]]:
        rows = [(Job(SampleJob.ONE, i), due) for i in range(30)]
        return [row for row in rows if row[1] <= until][:limit]

    async def handler(batch: list[Due[SampleJob]]) -> None:
        seen.extend(job.row for job, _ in batch)  # and the rows stay pending

    scheduler = Scheduler(clock, window_jobs=10)
    scheduler.register("stuck", handler, source)
    await scheduler.start()
    await scheduler.advance_to(due)
    assert sorted(seen) == list(range(30))  # the moment's rows once; the next refill retries
    await scheduler.stop()


async def test_on_the_real_clock_a_burst_bigger_than_the_window_runs_window_after_window() -> None:
    # The refill that follows a full window re-arms the very moment that is running; the
    # real clock's scheduler must run it again rather than skip it as a second instance.
    clock = SystemClock()
    due = clock.now() - timedelta(seconds=1)  # already due: APScheduler fires at once
    pending = {i: due for i in range(25)}
    all_ran = asyncio.Event()

    async def source(until: datetime, limit: int) -> Sequence[Due[SampleJob]]:
        return [(Job(SampleJob.ONE, i), at) for i, at in sorted(pending.items())][:limit]

    async def handler(batch: list[Due[SampleJob]]) -> None:
        for job, _ in batch:
            del pending[job.row]
        if not pending:
            all_ran.set()

    scheduler = Scheduler(clock, window_jobs=10)
    scheduler.register("real", handler, source)
    await scheduler.start()
    await asyncio.wait_for(all_ran.wait(), timeout=5)
    await scheduler.stop()
    assert not pending


async def test_a_window_holds_at_most_its_moments_and_the_rest_come_as_they_pass() -> None:
    # A start with a million rows spread over a year arms a few moments, not a thousand:
    # each moment costs APScheduler jobs.
    clock = SettableClock(T0)
    rows = Rows(clock, {f"r{i:03d}": T0 + timedelta(minutes=i + 1) for i in range(250)})
    scheduler = await started(rows, clock, window_moments=100)
    assert len(scheduler.pending()) == 100
    await scheduler.advance_to(T0 + timedelta(hours=5))
    assert [(name, due) for name, due, _ in rows.ran] == [
        (f"r{i:03d}", T0 + timedelta(minutes=i + 1)) for i in range(250)
    ]
    assert all(due == at for _, due, at in rows.ran)
    await scheduler.stop()
