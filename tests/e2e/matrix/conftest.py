"""Fixtures: one Synapse per test session; per story a fresh bot account, its database, a
settable clock, and people who log in as themselves."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import pytest

from bot.clock import SettableClock
from bot.config import Settings
from matrix.bot import MatrixBot
from tests.helpers.clock import START

from .homeserver import Synapse
from .people import Person

PASSWORD = "stories-password"


@pytest.fixture(scope="session")
def synapse(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Synapse]:
    server = Synapse(tmp_path_factory.mktemp("synapse"))
    server.start()
    try:
        yield server
    finally:
        server.stop()


@dataclass
class Community:
    """A running bot, the admin who made its announcements room, and a way to add people."""

    synapse: Synapse
    settings: Settings
    clock: SettableClock
    bot: MatrixBot
    bot_id: str
    admin: Person
    hub: str
    home: Path
    people: list[Person] = field(default_factory=list)

    async def person(self, name: str, *, admin: bool = False, encrypted: bool = False) -> Person:
        """Someone new; `encrypted`: their client encrypts, as Element does."""
        user_id = self.synapse.register(name, password=PASSWORD, admin=admin)
        keys = self.home / f"{name}.keys" if encrypted else None
        someone = await Person.log_in(self.synapse.base_url, user_id, PASSWORD, key_store=keys)
        self.people.append(someone)
        return someone

    async def advance(self, by: timedelta) -> None:
        await self.bot.app.advance(by)

    async def restart(self, *, rewind_sync_to: str | None = None) -> None:
        """Close the bot and start a new one on the same database; `rewind_sync_to` puts
        its sync position back, as a crash before it was saved would."""
        await self.bot.close()
        if rewind_sync_to is not None:
            with contextlib.closing(sqlite3.connect(self.settings.database_path)) as db, db:
                db.execute(
                    "UPDATE matrix_state SET value = ? WHERE key = 'since'", (rewind_sync_to,)
                )
        self.bot = await started(self.settings, self.clock)


async def started(settings: Settings, clock: SettableClock) -> MatrixBot:
    bot = MatrixBot(settings, settings.matrix_login(), clock=clock)
    await bot.start()
    bot.follow()
    return bot


@pytest.fixture
async def world(synapse: Synapse, tmp_path: Path) -> AsyncIterator[Community]:
    bot_id = synapse.register("podaj", password=PASSWORD)
    admin_id = synapse.register("ewa", password=PASSWORD)
    admin = await Person.log_in(synapse.base_url, admin_id, PASSWORD)
    hub = await admin.create_room("ogloszenia", invite=[bot_id])
    settings = Settings(
        database_path=tmp_path / "bot.sqlite3",
        matrix_homeserver=synapse.base_url,
        matrix_user=bot_id,
        matrix_password=PASSWORD,
        matrix_rooms=hub,
    )
    clock = SettableClock(START)
    bot = await started(settings, clock)
    world = Community(synapse, settings, clock, bot, bot_id, admin, hub, tmp_path)
    try:
        yield world
    finally:
        await world.bot.close()
        for someone in [admin, *world.people]:
            await someone.close()
