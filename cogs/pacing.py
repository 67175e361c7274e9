"""Keeps the bot under Discord's global rate limit: 50 requests per second per bot.

discord.py obeys each route's bucket (the X-RateLimit-* headers) but does not pace the
global limit: a burst (one reminder due for a thousand people) went out at once and came
back 429 by the thousand, and every 429 counts towards Cloudflare's ban of clients making
10 000 invalid requests in 10 minutes.
https://discord.com/developers/docs/topics/rate-limits#global-rate-limit

Requests wait their turn in arrival order (asyncio.Lock is fair), so a burst also leaves in
the order it was made. Interaction callbacks and the interaction webhook are exempt, as on
Discord, and are never held back.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any

# 46 a second with at most 2 at once: at most 48 leave in any one-second window, so the
# requests still arrive under 50 a second when the network or a busy event loop bunches
# them (a burst of 4 left no room: the delivery benchmark saw 429s from Discord's double).
RATE = 46.0
BURST = 2
EXEMPT = ("/interactions/", "/webhooks/")


class GlobalPacer:
    def __init__(
        self,
        rate: float = RATE,
        burst: int = BURST,
        *,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
    ) -> None:
        self.rate = rate
        self.burst = burst
        self._monotonic = monotonic
        self._sleep = sleep
        self._tokens = float(burst)
        self._updated = monotonic()
        self._lock = asyncio.Lock()

    async def wait(self) -> None:
        """Returns when one more request fits under the global limit."""
        async with self._lock:
            self._refill()
            if self._tokens < 1:
                await self._sleep((1 - self._tokens) / self.rate)
                self._refill()
            self._tokens -= 1

    def _refill(self) -> None:
        now = self._monotonic()
        self._tokens = min(float(self.burst), self._tokens + (now - self._updated) * self.rate)
        self._updated = now

    def wrap(self, request: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
        """discord.py's HTTPClient.request, paced (its route objects carry `.path`)."""

        async def paced(route: Any, **kwargs: Any) -> Any:
            if not str(getattr(route, "path", "")).startswith(EXEMPT):
                await self.wait()
            return await request(route, **kwargs)

        return paced
