"""The public page's use cases: the directory, "a group near me", public events, health.

Read-only: nothing here writes. The page runs in the bot's process or alone beside it
(`python -m bot web`), reading the same database.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from bot.clock import Clock
from bot.db import Database
from bot.events.model import Event, Kind
from bot.geography.places import Gazetteer, Place, distance_km
from bot.groups.directory import find_place
from bot.groups.model import channel_slug
from bot.public.model import Health, PublicEvent, PublicGroup, PublicMeeting, PublicServer
from bot.public.store import PublicStore

NEXT_MEETINGS = 3
NEAR_LIMIT = 10


def slug(group_id: int, name: str) -> str:
    """`12-jura-krakowska`: the id keeps it unique and stable across renames; the name
    part is for people (a stale one redirects)."""
    return f"{group_id}-{channel_slug(name)}"


def id_of_slug(text: str) -> int | None:
    head = text.partition("-")[0]
    return int(head) if head.isdigit() and len(head) <= 18 else None


@dataclass(frozen=True)
class Near:
    place: Place
    groups: list[tuple[PublicGroup, float]]  # nearest first, with the distance in km


class PublicDirectory:
    def __init__(
        self,
        db: Database,
        clock: Clock,
        gazetteer: Gazetteer,
        *,
        scheduler_running: Callable[[], bool | None] = lambda: None,
    ) -> None:
        self._db = db
        self._store = PublicStore(db)
        self._clock = clock
        self._gazetteer = gazetteer
        self._scheduler_running = scheduler_running

    @property
    def now(self) -> datetime:
        return self._clock.now()

    async def change_mark(self) -> tuple[int, int, int]:
        """What the page's cache compares: the database's change mark and the minute (what
        is upcoming, open or over moves with time too)."""
        data, ours = await self._db.change_mark()
        return data, ours, int(self.now.timestamp() // 60)

    async def servers(self) -> list[PublicServer]:
        return await self._store.servers()

    async def invite(self) -> str | None:
        """The link offered for joining: the first public server's (one network, one link)."""
        return next((s.invite for s in await self._store.servers() if s.invite), None)

    async def groups(self) -> list[PublicGroup]:
        invites = {s.guild_id: s.invite for s in await self._store.servers()}
        return [
            PublicGroup(g, slug(g.id, g.name), invites.get(g.guild_id))
            for g in await self._store.groups()
        ]

    async def group(self, group_id: int) -> PublicGroup | None:
        group = await self._store.group(group_id)
        if group is None:
            return None
        invites = {s.guild_id: s.invite for s in await self._store.servers()}
        return PublicGroup(
            group,
            slug(group.id, group.name),
            invites.get(group.guild_id),
            tuple(await self._store.named_initiators(group.id)),
            tuple(await self._store.hosts(group.id)),
        )

    async def meetings(self, group_id: int) -> list[PublicMeeting]:
        return await self._store.meetings(group_id, self.now, NEXT_MEETINGS)

    def place(self, query: str) -> Place:
        """The gazetteer's place, or a UserError with did-you-mean (as /group near)."""
        return find_place(self._gazetteer, query)

    async def near(self, query: str, radius_km: float) -> Near:
        place = self.place(query)
        found = sorted(
            ((g, distance_km(place.point, g.group.point)) for g in await self.groups()),
            key=lambda pair: pair[1],
        )
        return Near(place, [(g, km) for g, km in found if km <= radius_km][:NEAR_LIMIT])

    async def events(self, kind: Kind | None = None) -> list[PublicEvent]:
        return await self._views(await self._store.events(self.now, kind=kind))

    async def feed(self, kind: Kind | None = None) -> list[Event]:
        """For the calendar feed: cancelled ones too, so subscribed calendars drop them."""
        return await self._store.events(self.now, kind=kind, include_cancelled=True)

    async def event(self, event_id: int) -> PublicEvent | None:
        event = await self._store.event(event_id)
        return (await self._views([event]))[0] if event else None

    async def _views(self, events: list[Event]) -> list[PublicEvent]:
        ids = [e.id for e in events]
        going = await self._store.going(ids)
        waiting = await self._store.waitlists(ids)
        invites = {s.guild_id: s.invite for s in await self._store.servers()}
        now = self.now
        views = []
        for event in events:
            taken = going.get(event.id, 0)
            left = max(event.capacity - taken, 0) if event.capacity else None
            views.append(
                PublicEvent(
                    event,
                    taken,
                    event.registration(now),
                    left,
                    waiting.get(event.id),
                    invites.get(event.guild_id),
                    event.over(now),
                )
            )
        return views

    async def health(self) -> Health:
        try:
            schema = await self._db.schema_version()
            last = await self._store.last_delivery()
        except (sqlite3.Error, ValueError):
            return Health(False, self._scheduler_running(), None, 0)
        return Health(True, self._scheduler_running(), last, schema)
