"""Calendar files (.ics): one event's, and a person's own calendar of the events they are
going to and may still see."""

from __future__ import annotations

from types import ModuleType

from bot.clock import Clock
from bot.events.lookup import EventLookup
from bot.events.model import Event
from bot.events.store import EventStore
from bot.visibility import Viewer


class Calendars:
    def __init__(self, store: EventStore, clock: Clock, lookup: EventLookup) -> None:
        self._store = store
        self._clock = clock
        self._lookup = lookup

    async def ics(self, event: Event) -> bytes:
        link = self._lookup.link(event)
        return _ics().calendar(
            [event], now=self._clock.now(), links={event.id: link} if link else None
        )

    async def calendar(self, viewer: Viewer, guild_id: str | None) -> tuple[int, bytes]:
        """The events the viewer is going to (in every server if no guild) and may still
        see: a group they left takes its events out of their calendar."""
        going = await self._store.going_of(guild_id, viewer.user_id, self._clock.now())
        events = await self._lookup.seen(viewer, going)
        links = {e.id: link for e in events if (link := self._lookup.link(e))}
        return len(events), _ics().calendar(
            events, now=self._clock.now(), links=links, name="Podaj dalej"
        )


def _ics() -> ModuleType:
    """bot.events.ics, with icalendar: loaded by the first calendar file, not at start."""
    from bot.events import ics

    return ics
