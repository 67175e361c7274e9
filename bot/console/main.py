"""`python -m bot console`: read lines (interactive or piped), answer each before the next."""

from __future__ import annotations

import io
import sys
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from bot.app import Ports, open_app
from bot.clock import SettableClock, SystemClock
from bot.commands import Command
from bot.config import ConfigError, Settings
from bot.console.output import Printer
from bot.console.room import ConsoleRoom
from bot.console.terminal import Completion, LineReader


@dataclass(frozen=True)
class ConsoleOptions:
    now: datetime | None
    as_json: bool
    user: str
    locale: str | None
    files: Path | None


async def every_command() -> list[Command]:
    """Every command there is, the console's own included, as the running app declares
    them: the source of the generated command reference. The app is opened on a throwaway
    database with the default settings, so the result depends on the code alone."""
    with tempfile.TemporaryDirectory(prefix="podaj-dalej-docs-") as folder:
        room = ConsoleRoom(
            Printer(as_json=True, stream=io.StringIO()),
            admin="admin",
            locale=None,
            files_dir=Path(folder) / "files",
        )
        settings = Settings.defaults(database_path=Path(folder) / "docs.sqlite3")
        app = await open_app(
            settings,
            clock=SettableClock(datetime.fromisoformat("2026-01-01T00:00+00:00")),
            ports=Ports(room, room, room, room),
        )
        try:
            room.attach(app)
            return list(app.registry.all())
        finally:
            await app.close()


def parse_now(value: str) -> datetime:
    try:
        at = datetime.fromisoformat(value)
    except ValueError:
        raise ConfigError(f"--now: {value!r} is not an ISO 8601 time") from None
    if at.tzinfo is None:
        raise ConfigError("--now needs a time with its offset, e.g. 2026-02-12T10:00+01:00")
    return at


async def run_console(settings: Settings, options: ConsoleOptions) -> int:
    follow_real_time = options.now is None
    clock = SettableClock(options.now or SystemClock().now())
    files = options.files or Path(tempfile.mkdtemp(prefix="podaj-dalej-files-"))
    try:
        files.mkdir(parents=True, exist_ok=True)
        probe = files / ".write-test"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise ConfigError(f"--files: cannot write to {files}: {exc.strerror}") from None
    room = ConsoleRoom(
        Printer(as_json=options.as_json), admin=options.user, locale=options.locale, files_dir=files
    )
    app = await open_app(settings, clock=clock, ports=Ports(room, room, room, room))
    try:
        room.attach(app)
        reader = LineReader(
            Completion(room.commands()), settings.database_path.with_suffix(".history")
        )
        if reader.interactive:
            sys.stderr.write(await room.welcome())
        await app.start()
        number = 0
        try:
            while (raw := await reader.read()) is not None:
                number += 1
                if follow_real_time:
                    await room.run_scheduled(SystemClock().now())
                await room.handle(number, raw)
        finally:
            reader.close()
    finally:
        await app.close()
    return 0
