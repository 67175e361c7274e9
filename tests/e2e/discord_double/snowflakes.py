"""Snowflake ids, built the way Discord builds them so `discord.utils.snowflake_time` works."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

DISCORD_EPOCH_MS = 1_420_070_400_000

# Seeded objects (the default guild, its channels, users, roles) get fixed ids so a test
# or a log line can name them and they stay the same across runs and restarts.
SEED_BASE = 1_100_000_000_000_000_000


def shard_for(guild_id: int, shard_count: int) -> int:
    """The shard that carries a guild, as Discord assigns it
    (https://discord.com/developers/docs/events/gateway#sharding-sharding-formula)."""
    return (guild_id >> 22) % shard_count


def snowflake_time(snowflake: int) -> datetime:
    return datetime.fromtimestamp(((snowflake >> 22) + DISCORD_EPOCH_MS) / 1000, tz=UTC)


class Snowflakes:
    """Generates increasing snowflakes whose timestamp part follows the double's clock.

    The clock may be a test's settable clock that jumps forward (or is restarted earlier),
    so ids are forced to increase even when the clock does not.
    """

    def __init__(self, clock: Callable[[], datetime]) -> None:
        self.clock = clock
        # Dynamic ids always sort after seeded ones, whatever the clock says.
        self._last = SEED_BASE + 1_000_000
        self._seed = SEED_BASE

    def next(self) -> int:
        ms = int(self.clock().timestamp() * 1000) - DISCORD_EPOCH_MS
        candidate = ms << 22
        if candidate <= self._last:
            candidate = self._last + 1
        self._last = candidate
        return candidate

    def seed(self) -> int:
        """A stable id for objects created when the double is seeded."""
        self._seed += 1
        return self._seed

    def seed_on_shard(self, shard_id: int, shard_count: int) -> int:
        """The next stable id whose guild would sit on `shard_id` of `shard_count`."""
        step = 1 << 22
        candidate = self._seed + 1
        while shard_for(candidate, shard_count) != shard_id:
            candidate = (candidate // step + 1) * step
        self._seed = candidate
        # Dynamic ids must still sort after every seeded one.
        self._last = max(self._last, candidate)
        return candidate
