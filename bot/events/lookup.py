"""Finding events as a person may see them: by number or title, the coming ones, and an
event's view (its counts, its group, the link to its announcement).

Every read for a person goes through the visibility rule (bot/visibility.py): an event
they may not see is not found, as if it did not exist.
"""

from __future__ import annotations

from datetime import datetime
from typing import NoReturn

from bot.clock import Clock
from bot.errors import UserError
from bot.events.model import Counts, Event, EventView, Kind, parse_event_ref
from bot.events.store import EventStore
from bot.groups.directory import GroupDirectory
from bot.ports import Announcer
from bot.text import inert, normalize
from bot.titles import Ambiguous, Match, named, titles
from bot.visibility import Viewer, Visibility

# Events read for a listing before the viewer's filter (bot/visibility.py) keeps some.
LISTED = 500


class EventLookup:
    def __init__(
        self,
        store: EventStore,
        clock: Clock,
        announcer: Announcer,
        groups: GroupDirectory,
        visibility: Visibility,
    ) -> None:
        self._store = store
        self._clock = clock
        self._announcer = announcer
        self._groups = groups
        self._visibility = visibility

    async def find(self, viewer: Viewer, ref: str) -> Event:
        """An event of the viewer's server by id ('42', '#42') or title (the next of that
        title still to come, else the latest). A part of the title names the events still
        to come that hold it (bot/titles.py): of one title, the next; of several, they are
        listed to pick from. One the viewer may not see is not found, as if it did not
        exist (bot/visibility.py)."""
        event_id = parse_event_ref(ref)
        event: Event | None = None
        if event_id is not None:
            found = await self._store.get(event_id)
            if found is not None and found.guild_id == viewer.guild_id:
                event = found if await self._visibility.sees(viewer, found.scope) else None
        else:
            event = await self._by_title(viewer, ref)
        if event is None:
            raise UserError("error.event.unknown", event=inert(ref))
        return event

    async def _by_title(self, viewer: Viewer, ref: str) -> Event | None:
        now = self._clock.now()
        exact = await self._store.by_title(viewer.guild_id, normalize(ref), now)
        titled = await self.seen(viewer, exact)
        if titled:
            # One title in one place is one answer, the next to come (a series' events);
            # a group's and a national event of one title are never picked silently.
            firsts: dict[int | None, Event] = {}
            for event in titled:
                if not event.cancelled and not event.over(now):
                    firsts.setdefault(event.group_id, event)
            if len(firsts) > 1:
                await self._several(ref, list(firsts.values()))
            return titled[0]
        coming = named(ref, await self.upcoming(viewer), lambda e: e.title)
        if titles(coming, lambda e: e.title) > 1:
            await self._several(ref, coming)
        return coming[0] if coming else None  # soonest first

    async def _several(self, ref: str, events: list[Event]) -> NoReturn:
        """Raise the list to pick from: each event with where it lives and its start."""
        listed = [Match(e.id, e.title, e.group_id, e.starts_at) for e in events]
        groups = await self._visibility.group_names(e.group_id for e in events)
        raise Ambiguous("error.event.several", ref, "event", listed, groups)

    async def get(self, event_id: int, viewer: Viewer) -> Event:
        """The event of this number, when the viewer may see it (from a DM: of any server)."""
        event = await self._store.get(event_id)
        if event is None or not await self._visibility.sees(viewer, event.scope):
            raise UserError("error.event.unknown", event=event_id)
        return event

    async def seen(self, viewer: Viewer, events: list[Event]) -> list[Event]:
        """Those of the events the viewer may see."""
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
        return await self.seen(viewer, listed)

    async def counts(self, event: Event) -> Counts:
        return await self._store.counts(event.id)

    async def view(self, event: Event) -> EventView:
        group_name = None
        if event.group_id is not None:
            group = await self._groups.by_id(event.group_id)
            group_name = group.name if group else None
        return EventView(event, await self._store.counts(event.id), group_name, self.link(event))

    def link(self, event: Event) -> str | None:
        """Where the announcement is, for a browser (None before it is posted)."""
        if event.post_channel_id is None:
            return None
        return self._announcer.link(event.guild_id, event.post_channel_id)
