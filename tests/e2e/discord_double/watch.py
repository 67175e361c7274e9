"""Knowing when the bot is busy and when it went wrong: its asyncio tasks and its log."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .server import DiscordDouble

# Loggers whose ERROR records fail a test: discord.py (errors inside commands and event
# handlers end up here), the bot's own packages, and the double itself.
WATCHED_LOGGERS = (
    "discord",
    "bot",
    "cogs",
    "sample_bot",
    "discord_double",
    "aiohttp.server",
    "aiohttp.web",
)
# asyncio tasks discord.py creates for work triggered by a gateway event.
BOT_TASK_PREFIXES = (
    "discord.py: ",
    "CommandTree-invoker",
    "discord-ui-view-dispatch",
    "discord-ui-modal-dispatch",
    "discord-ui-dynamic-item",
)
# discord.py events whose handler tasks are "idle" by nature, not work in flight.
IDLE_EVENTS = ("discord.py: ready", "discord.py: connect", "discord.py: resumed")


def watched(logger_name: str) -> bool:
    return any(logger_name == w or logger_name.startswith(w + ".") for w in WATCHED_LOGGERS)


def bot_tasks_busy() -> bool:
    current = asyncio.current_task()
    for task in asyncio.all_tasks():
        if task is current or task.done():
            continue
        name = task.get_name()
        if name.startswith(BOT_TASK_PREFIXES) and not name.startswith(IDLE_EVENTS):
            return True
    return False


class LogWatch(logging.Handler):
    """Turns ERROR records from the watched loggers into problems of the double."""

    def __init__(self, double: DiscordDouble) -> None:
        super().__init__(level=logging.ERROR)
        self.double = double
        self.setFormatter(logging.Formatter("%(name)s: %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        if not watched(record.name):
            return
        text = self.format(record)
        self.double.problem("log-error", text)

    @contextlib.contextmanager
    def installed(self) -> Iterator[None]:
        root = logging.getLogger()
        root.addHandler(self)
        try:
            yield
        finally:
            root.removeHandler(self)
