"""The events' scheduler jobs, under the one feature name "event".

The scheduler holds one handler a feature; `EventSchedule` is that handler and hands each
due job to the part that owns its kind (publishing, the scheduled event's retries,
registration windows, reminders, series), which says so with `route`. It also keeps the
jobs that follow an event's dates: its reminders, and the moments its registration opens
and closes. The jobs themselves are rebuilt from the rows (EventStore.due_before).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime

from bot.events.model import REMINDER_OFFSETS, Event, EventJob, Registration, reminder_times
from bot.events.store import EventStore
from bot.scheduler import Job, JobHandler, Scheduler

# A job about one event, handed the event itself.
EventHandler = Callable[[Event], Awaitable[None]]


class EventSchedule:
    def __init__(self, store: EventStore, scheduler: Scheduler) -> None:
        self._store = store
        self._routes: dict[EventJob, JobHandler[EventJob]] = {}
        self._jobs = scheduler.register_each("event", self._due, store.due_before)

    def route(self, handler: JobHandler[EventJob], *kinds: EventJob) -> None:
        """`handler` runs the due jobs of these kinds."""
        for kind in kinds:
            self._routes[kind] = handler

    def route_event(self, handler: EventHandler, *kinds: EventJob) -> None:
        """`handler` runs the due jobs of these kinds, each handed its event; a job whose
        event is gone or cancelled has nothing left to do."""

        async def with_event(job: Job[EventJob]) -> None:
            event = await self._store.get(job.row)
            if event is not None and not event.cancelled:
                await handler(event)

        self.route(with_event, *kinds)

    def check_routes(self) -> None:
        """Every kind of job has a part to run it (called once everything is built)."""
        missing = set(EventJob) - set(self._routes)
        if missing:
            raise RuntimeError(f"event jobs nobody runs: {sorted(missing)}")

    async def _due(self, job: Job[EventJob]) -> None:
        await self._routes[job.kind](job)

    def schedule(self, job: Job[EventJob], due: datetime) -> None:
        self._jobs.schedule(job, due)

    def cancel(self, job: Job[EventJob]) -> None:
        self._jobs.cancel(job)

    # -- the jobs that follow an event's dates -----------------------------------------

    def reminders(self, event: Event) -> None:
        for offset, due in reminder_times(event.starts_at, event.created_at):
            self._jobs.schedule(Job(EventJob.REMIND, event.id, offset), due)

    async def reminders_moved(self, event: Event) -> None:
        """The event moved: its reminders go with it (the rows already say when)."""
        self._forget_reminders(event)
        for offset, due in await self._store.reminders_of(event.id):
            self._jobs.schedule(Job(EventJob.REMIND, event.id, offset), due)

    def registration(self, event: Event) -> None:
        shown = event.registration_shown
        if shown is Registration.UPCOMING and event.registration_opens is not None:
            self._jobs.schedule(Job(EventJob.OPENS, event.id), event.registration_opens)
        if shown in (Registration.UPCOMING, Registration.OPEN) and event.registration_closes:
            self._jobs.schedule(Job(EventJob.CLOSES, event.id), event.registration_closes)

    def forget(self, event: Event) -> None:
        """Nothing more happens to this event (cancelled, or never kept)."""
        for kind in (
            EventJob.PUBLISH,
            EventJob.RETRY_NATIVE,
            EventJob.OPENS,
            EventJob.CLOSES,
        ):
            self._jobs.cancel(Job(kind, event.id))
        self._forget_reminders(event)

    def _forget_reminders(self, event: Event) -> None:
        for offset in REMINDER_OFFSETS:
            self._jobs.cancel(Job(EventJob.REMIND, event.id, int(offset.total_seconds())))
