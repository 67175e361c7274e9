from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from bot.clock import SettableClock, SystemClock


def test_system_clock_is_aware_utc() -> None:
    assert SystemClock().now().tzinfo is UTC


def test_settable_clock_moves_only_when_told() -> None:
    start = datetime(2026, 2, 12, 10, 0, tzinfo=timezone(timedelta(hours=1)))
    clock = SettableClock(start)
    assert clock.now() == start
    assert clock.now().tzinfo is UTC
    clock.advance(timedelta(hours=2))
    assert clock.now() == start + timedelta(hours=2)
    clock.set(datetime(2026, 3, 1, tzinfo=UTC))
    assert clock.now() == datetime(2026, 3, 1, tzinfo=UTC)


def test_settable_clock_refuses_naive_times() -> None:
    with pytest.raises(ValueError, match="aware"):
        SettableClock(datetime(2026, 1, 1))  # noqa: DTZ001 - the point of the test
