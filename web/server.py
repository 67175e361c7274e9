"""Running the public page: beside the bot in its process (WEB_ENABLED), or alone
(`python -m bot web`) as a reader of the same database.

Alone it takes no lock, starts no scheduler and opens the database read-only, so it runs
beside the one bot that writes; /health then tells whether that bot holds the database.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal

from aiohttp import web

from bot.app import App, add_companion
from bot.clock import SystemClock
from bot.config import Settings
from bot.db import Database
from bot.geography.places import Gazetteer
from bot.i18n import load_catalogs
from bot.instance import held_elsewhere
from bot.public.service import PublicDirectory
from web.app import build_app, start_site

log = logging.getLogger(__name__)


class WebCompanion:
    """The page inside the bot's process: reads through the bot's own connection."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._runner: web.AppRunner | None = None

    async def start(self, app: App) -> None:
        directory = PublicDirectory(
            app.db,
            app.clock,
            Gazetteer.load(),
            scheduler_running=lambda: app.scheduler.running,
        )
        page = build_app(directory, base_url=self._settings.web_public_url)
        self._runner = await start_site(page, self._settings.web_host, self._settings.web_port)

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None


def install(settings: Settings) -> None:
    """Serve the page beside every app this process opens (`python -m bot` with WEB_ENABLED)."""
    add_companion(lambda: WebCompanion(settings))


async def run_web(settings: Settings, *, stop: asyncio.Event | None = None) -> int:
    """`python -m bot web`: the page alone, until SIGINT/SIGTERM (or `stop` is set)."""
    load_catalogs()
    db = await Database.open_reader(settings.database_path)
    path = settings.database_path
    directory = PublicDirectory(
        db, SystemClock(), Gazetteer.load(), scheduler_running=lambda: held_elsewhere(path)
    )
    runner = await start_site(
        build_app(directory, base_url=settings.web_public_url), settings.web_host, settings.web_port
    )
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)
    try:
        await stop.wait()
    finally:
        await runner.cleanup()
        await db.close()
    return 0
