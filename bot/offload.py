"""CPU-heavy work (drawing a map or a certificate, expanding a rule, writing a CSV) runs in a
worker thread, so one command never holds the event loop that answers everyone else.

Each call has a time limit: past it the person gets a short localized answer (TooSlow)
instead of waiting. The thread is not killed (Python cannot); the work handed here is
bounded by its input, and rule expansion stops itself at its own deadline (bot.timelang.rrules).
The context (the reader's language) goes along to the thread.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import TypeVar

from bot.errors import UserError

log = logging.getLogger(__name__)

T = TypeVar("T")

# Time limits, in seconds, of the kinds of work done off the loop.
MAP_SECONDS = 20.0
CERTIFICATE_SECONDS = 10.0
CSV_SECONDS = 10.0
RULE_SECONDS = 2.0


class TooSlow(UserError):
    """Work off the loop did not finish within its time limit."""

    def __init__(self, seconds: float) -> None:
        super().__init__("error.too_slow", seconds=round(seconds))


async def off_loop(seconds: float, fn: Callable[..., T], /, *args: object) -> T:
    """`fn(*args)` in a worker thread; TooSlow after `seconds`."""
    try:
        return await asyncio.wait_for(asyncio.to_thread(fn, *args), seconds)
    except TimeoutError:
        log.warning("%s did not finish within %.1f s", getattr(fn, "__name__", fn), seconds)
        raise TooSlow(seconds) from None
