"""Per-person cooldowns for commands that post where others read or store rows.

A command declares its limit (`Command(limit=Limit(3, timedelta(days=1)))`); the dispatcher
asks this one Limiter before running any command or button, so no feature counts on its own.
The windows are kept in memory on purpose: they are cooldowns, not records, so a restart
forgets them (at worst one more burst). Caps on what is stored (pending reminders, learning
log entries, join requests) are checked in the database by the features themselves.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from bot.clock import Clock
from bot.commands import Limit
from bot.errors import UserError
from bot.i18n import t, tn
from bot.roles import Role
from bot.timelang.timestamps import when

# Above this many tracked (person, command) pairs, expired ones are swept out.
_SWEEP_AT = 10_000


class RateLimited(UserError):
    """The answer when a limit is hit: how many uses per how long, and when to try again."""

    def __init__(self, command: str, limit: Limit, again: datetime) -> None:
        super().__init__("error.rate_limited")
        self.command = command
        self.limit = limit
        self.again = again

    def render(self) -> str:
        return t(
            self.key,
            command=self.command,
            uses=tn("rate.uses", self.limit.uses),
            period=period_text(self.limit.per),
            when=when(self.again),
        )


def period_text(per: timedelta) -> str:
    """'1 dzień', '36 godzin', '10 minut' — the largest unit that says it exactly."""
    seconds = math.ceil(per.total_seconds())
    if seconds % 86400 == 0:
        return tn("rate.per.days", seconds // 86400)
    if seconds % 3600 == 0:
        return tn("rate.per.hours", seconds // 3600)
    return tn("rate.per.minutes", math.ceil(seconds / 60))


@dataclass(frozen=True)
class Ticket:
    key: tuple[str, str]
    at: datetime


class Limiter:
    def __init__(
        self,
        clock: Clock,
        *,
        scale: float = 1.0,
        overrides: Mapping[str, Limit | None] | None = None,
    ) -> None:
        """`scale` multiplies every period (0 turns the limits off); `overrides` replace the
        declared limit of a command by path (None: no limit for it)."""
        self._clock = clock
        self._scale = scale
        self._overrides = dict(overrides or {})
        self._used: dict[tuple[str, str], deque[datetime]] = {}
        self._longest = timedelta()

    def effective(self, path: str, declared: Limit | None) -> Limit | None:
        """The limit that applies to `path`: its override or its own, scaled."""
        limit = self._overrides.get(path, declared)
        if limit is None or self._scale <= 0:
            return None
        return replace(limit, per=limit.per * self._scale)

    @contextmanager
    def use(self, user_id: str, role: Role, path: str, declared: Limit | None) -> Iterator[None]:
        """Count one use of `path` for the block, or raise RateLimited before it runs.
        A use that fails (a refusal, bad input, an error) is given back."""
        limit = self.effective(path, declared)
        if limit is None or (limit.exempt is not None and role >= limit.exempt):
            yield
            return
        ticket = self._take(user_id, path, limit)
        try:
            yield
        except BaseException:
            self._give_back(ticket)
            raise

    def _take(self, user_id: str, path: str, limit: Limit) -> Ticket:
        now = self._clock.now()
        key = (user_id, path)
        used = self._used.setdefault(key, deque())
        while used and used[0] <= now - limit.per:
            used.popleft()
        if len(used) >= limit.uses:
            raise RateLimited(path, limit, _next_second(used[0] + limit.per))
        used.append(now)
        self._longest = max(self._longest, limit.per)
        if len(self._used) > _SWEEP_AT:
            self._sweep(now)
        return Ticket(key, now)

    def _give_back(self, ticket: Ticket) -> None:
        used = self._used.get(ticket.key)
        if used is not None and ticket.at in used:
            used.remove(ticket.at)

    def _sweep(self, now: datetime) -> None:
        """Forget the people whose every use is older than the longest window."""
        stale = [k for k, used in self._used.items() if not used or used[-1] <= now - self._longest]
        for key in stale:
            del self._used[key]


def _next_second(at: datetime) -> datetime:
    """Timestamps show whole seconds: never promise a moment before the window frees."""
    return at.replace(microsecond=0) + timedelta(seconds=1) if at.microsecond else at
