"""Answering an event (going, maybe, no) within its registration window, and the answers
read back: who answered what, and one person's answer.

Each change of answer is shown on the event's post; a person who leaves a group loses
their answers to its coming events, since they could not see them any more; a person
forgotten (/privacy forget) leaves the counts of every post that counted them.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from bot.clock import Clock
from bot.errors import UserError
from bot.events import messages
from bot.events.announcements import Announcements
from bot.events.lookup import EventLookup
from bot.events.model import Answer, Event, Registration, Rsvp
from bot.events.store import EventStore
from bot.text import inert
from bot.visibility import Viewer


class Answers:
    def __init__(
        self,
        store: EventStore,
        clock: Clock,
        lookup: EventLookup,
        announcements: Announcements,
    ) -> None:
        self._store = store
        self._clock = clock
        self._lookup = lookup
        self._announcements = announcements

    async def answer(
        self, event_id: int, viewer: Viewer, answer: Answer
    ) -> tuple[Event, Answer | None]:
        """Record the viewer's going / maybe / no; returns the event and the answer given
        before."""
        event = await self._lookup.get(event_id, viewer)
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
            await self._announcements.refresh(event.id)
        return event, before

    async def left_group(self, group_id: int, user_id: str) -> None:
        """Someone left a group: their answers to its coming events go (the counts on
        the posts with them), since they could not see the events any more."""
        for event_id in await self._store.drop_answers_in_group(
            group_id, user_id, self._clock.now()
        ):
            await self._announcements.refresh(event_id)

    async def before_forget(self, user_id: str) -> Callable[[], Awaitable[None]]:
        """Someone is about to be forgotten: once they are, the posts that counted their
        answers are edited, so they are gone from those too."""
        event_ids = await self._store.posts_answered_by(user_id)

        async def refresh() -> None:
            for event_id in event_ids:
                await self._announcements.refresh(event_id)

        return refresh

    async def rsvps(self, event: Event, answers: tuple[Answer, ...] = tuple(Answer)) -> list[Rsvp]:
        return await self._store.rsvps(event.id, answers)

    async def answer_of(self, event: Event, user_id: str) -> Answer | None:
        return await self._store.answer_of(event.id, user_id)
