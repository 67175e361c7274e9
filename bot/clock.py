"""Time comes from a Clock. Only SystemClock reads the real time (DESIGN.md rule 5)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, aware, in UTC."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class SettableClock:
    """A clock that only moves when told to: the console's and the tests' clock."""

    def __init__(self, start: datetime) -> None:
        self._now = _as_utc(start)

    def now(self) -> datetime:
        return self._now

    def set(self, at: datetime) -> None:
        self._now = _as_utc(at)

    def advance(self, by: timedelta) -> None:
        self._now += by


def _as_utc(at: datetime) -> datetime:
    if at.tzinfo is None:
        raise ValueError("the clock needs an aware datetime")
    return at.astimezone(UTC)
