"""The console front end in-process: feed lines, read the JSON events they produced."""

from __future__ import annotations

import io
import json
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from bot.app import App, Ports, open_app
from bot.clock import SettableClock
from bot.config import Settings
from bot.console.output import Printer
from bot.console.room import ConsoleRoom
from tests.helpers.clock import START


class ConsoleSession:
    def __init__(self, room: ConsoleRoom, app: App, stream: io.StringIO) -> None:
        self.room = room
        self.app = app
        self._stream = stream
        self.last_raw = ""  # the text the last events() read, as printed
        self._lines = 0

    async def say(self, line: str) -> list[dict[str, Any]]:
        """Type one line; returns every event printed while it was handled."""
        self._lines += 1
        await self.room.handle(self._lines, line)
        return self.events()

    async def one(self, line: str) -> dict[str, Any]:
        events = await self.say(line)
        assert len(events) == 1, events
        return events[0]

    async def advance(self, by: timedelta) -> list[dict[str, Any]]:
        await self.app.advance(by)
        return self.events()

    def events(self) -> list[dict[str, Any]]:
        # What was read is dropped, so a long session costs no more per line than a short one.
        self.last_raw = self._stream.getvalue()
        self._stream.seek(0)
        self._stream.truncate()
        return [json.loads(line) for line in self.last_raw.split("\n") if line]


def settings_for(db: Path, **overrides: Any) -> Settings:
    return Settings(database_path=db, _env_file=None, **overrides)


async def open_console(
    db: Path,
    files: Path,
    *,
    now: datetime = START,
    admin: str = "admin",
    locale: str | None = None,
    **settings: Any,
) -> ConsoleSession:
    stream = io.StringIO()
    room = ConsoleRoom(
        Printer(as_json=True, stream=stream), admin=admin, locale=locale, files_dir=files
    )
    app = await open_app(
        settings_for(db, **settings), clock=SettableClock(now), ports=Ports(room, room, room, room)
    )
    room.attach(app)
    await app.start()
    return ConsoleSession(room, app, stream)
