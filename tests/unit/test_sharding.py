"""SHARD_COUNT picks the client: one connection unset, discord.py's AutoShardedBot otherwise."""

from __future__ import annotations

import pytest
from discord.ext import commands

from bot.config import load_settings
from cogs.client import PodajBot, ShardedPodajBot, build_bot


def test_unset_keeps_one_connection() -> None:
    bot = build_bot(load_settings(_env_file=None))
    assert type(bot) is PodajBot
    assert not isinstance(bot, commands.AutoShardedBot)


@pytest.mark.parametrize(("setting", "count"), [("3", 3), ("1", 1), ("auto", None)])
def test_a_count_or_auto_shards(setting: str, count: int | None) -> None:
    bot = build_bot(load_settings(_env_file=None, shard_count=setting))
    assert isinstance(bot, ShardedPodajBot) and isinstance(bot, commands.AutoShardedBot)
    # None: discord.py asks Discord (GET /gateway/bot) for the recommended count at start.
    assert bot.shard_count == count
    assert bot.shard_ids is None  # every shard of the count runs in this process
