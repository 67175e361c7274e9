"""The one wiring point: settings → database → stores → services → scheduler → commands."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from bot.clock import Clock
from bot.commands import Registry
from bot.community.commands import CommunityCommands
from bot.community.service import CommunityService
from bot.community.store import CommunityStore
from bot.config import Settings
from bot.db import Database
from bot.dispatch import Dispatcher
from bot.ports import Members, Messenger
from bot.scheduler import Scheduler

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Ports:
    """What the running front end lends the core."""

    messenger: Messenger
    members: Members


@dataclass
class App:
    settings: Settings
    clock: Clock
    db: Database
    scheduler: Scheduler
    registry: Registry
    dispatcher: Dispatcher
    community: CommunityService

    async def advance(self, by: timedelta) -> int:
        """Move a settable clock forward, running every job due on the way."""
        return await self.scheduler.advance_to(self.clock.now() + by)

    async def close(self) -> None:
        await self.scheduler.stop()
        await self.db.close()


async def open_app(settings: Settings, *, clock: Clock, ports: Ports) -> App:
    """Open the database (applying migrations) and build every service; the scheduler is
    started separately with `app.scheduler.start()` once the front end can deliver."""
    db = await Database.open(settings.database_path)
    scheduler = Scheduler(clock, horizon=timedelta(hours=settings.scheduler_horizon_hours))
    registry = Registry()
    community = CommunityService(
        CommunityStore(db),
        clock,
        ports.members,
        default_locale=settings.default_locale,
        default_timezone=settings.default_timezone,
    )
    registry.add(*CommunityCommands(community, registry).commands())
    dispatcher = Dispatcher(registry, community, clock)
    log.info("database %s at schema %d", settings.database_path, await db.schema_version())
    return App(settings, clock, db, scheduler, registry, dispatcher, community)
