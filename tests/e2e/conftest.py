"""Fixtures: a Discord API double on 127.0.0.1 and a bot connected to it.

- `double`: the bare DiscordDouble, with discord.py pointed at it (and pointed back after).
- `dc`: the real PodajBot in-process.
- `dc_proc`: the real PodajBot in a subprocess (for kill_and_restart).
- `sample_dc` / `sample_dc_proc`: the same with the test-only sample bot.

Teardown fails the test if the double recorded problems the test did not take: unknown
routes, late interaction answers, ERROR log records, a crashed bot, a 429 nobody injected.
Rate limits are on in every story, on rate-limit time ten times faster than real time
(ratelimits.STORY_TIME_SCALE).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from .bots import BOTS, BotContext, make_clock
from .discord_double import DiscordDouble
from .discord_double.harness import Harness, point_discord_at
from .discord_double.ratelimits import STORY_TIME_SCALE


@pytest.fixture
async def double() -> AsyncIterator[DiscordDouble]:
    d = DiscordDouble()
    await d.start()
    restore = point_discord_at(d)
    try:
        yield d
    finally:
        restore()
        await d.stop()


async def _harness(
    double: DiscordDouble, tmp_path: Path, bot: str, *, subprocess: bool
) -> AsyncIterator[Harness]:
    clock = make_clock()
    # The double stamps messages and checks "in the past" with the bot's clock.
    double.clock = clock.now
    double.enforce_rate_limits(time_scale=STORY_TIME_SCALE)
    ctx = BotContext(db_path=tmp_path / "bot.sqlite3", guild_id=double.seeded.guild_id, clock=clock)
    harness = Harness(double, BOTS[bot], ctx, workdir=tmp_path, subprocess=subprocess)
    try:
        await harness.start()
        yield harness
    finally:
        await harness.close()
    harness.check()


@pytest.fixture
async def sample_dc(double: DiscordDouble, tmp_path: Path) -> AsyncIterator[Harness]:
    async for harness in _harness(double, tmp_path, "sample", subprocess=False):
        yield harness


@pytest.fixture
async def sample_dc_proc(double: DiscordDouble, tmp_path: Path) -> AsyncIterator[Harness]:
    async for harness in _harness(double, tmp_path, "sample", subprocess=True):
        yield harness


@pytest.fixture
async def dc(double: DiscordDouble, tmp_path: Path) -> AsyncIterator[Harness]:
    async for harness in _harness(double, tmp_path, "podaj", subprocess=False):
        yield harness


@pytest.fixture
async def dc_proc(double: DiscordDouble, tmp_path: Path) -> AsyncIterator[Harness]:
    async for harness in _harness(double, tmp_path, "podaj", subprocess=True):
        yield harness
