"""Slash-command latency through the Discord API double: INTERACTION_CREATE on the wire →
the bot's interaction callback arriving at the double.

Runs the real PodajBot's `/settings language` (a database write) when cogs/client.py
exposes PodajBot, else the sample bot's `/settings language`; the baseline is a bare command
added to the same bot that does nothing but reply, measured interleaved in the same run so
both see the same machine and the same warm caches. Goal: p99 <= 20 ms.
BENCH_INTERACTIONS_BOT=sample|podaj picks the bot explicitly.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import discord
from discord import app_commands

from tests.e2e.bots import BOTS, BotContext, make_clock
from tests.e2e.discord_double import DiscordDouble
from tests.e2e.discord_double.harness import Harness, point_discord_at

ROUNDS = 500
WARMUP = 25
USERS = ("anna", "jan", "ewa", "admin")


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


async def _add_baseline(dc: Harness) -> None:
    """A command that only replies, synced next to the bot's own ones."""

    async def bench_ping(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("pong", ephemeral=True)

    bot = dc.bot
    guild = discord.Object(dc.guild.id)
    bot.tree.add_command(
        app_commands.Command(name="bench-ping", description="bench baseline", callback=bench_ping),
        guild=guild,
    )
    await bot.tree.sync(guild=guild)


async def _measure(dc: Harness, user: str, path: str, **options: Any) -> float:
    resp = await dc.slash(user, path, **options)
    latency = resp.latency
    assert latency is not None, resp
    return latency * 1000


async def run() -> dict[str, object]:
    # BENCH_INTERACTIONS_BOT=sample measures the test-only sample bot instead of the real one.
    bot_name = os.environ.get("BENCH_INTERACTIONS_BOT") or "podaj"
    with tempfile.TemporaryDirectory(prefix="bench-interactions-") as tmp:
        double = DiscordDouble()
        await double.start()
        restore = point_discord_at(double)
        clock = make_clock()
        double.clock = clock.now
        ctx = BotContext(
            db_path=Path(tmp) / "bench.sqlite3", guild_id=double.seeded.guild_id, clock=clock
        )
        dc = Harness(double, BOTS[bot_name], ctx, workdir=Path(tmp))
        try:
            await dc.start()
            await _add_baseline(dc)
            languages = ("pl", "en")
            for i in range(WARMUP):
                user = USERS[i % len(USERS)]
                await _measure(dc, user, "settings language", language=languages[i % 2])
                await _measure(dc, user, "bench-ping")
            db_ms: list[float] = []
            base_ms: list[float] = []
            started = time.perf_counter()
            for i in range(ROUNDS):
                # Interleaved, so drift (GC, disk cache) hits both series alike.
                user = USERS[i % len(USERS)]
                language = languages[(i // len(USERS)) % 2]  # every write changes the value
                db_ms.append(await _measure(dc, user, "settings language", language=language))
                base_ms.append(await _measure(dc, user, "bench-ping"))
            elapsed = time.perf_counter() - started
            await dc.settle()
            dc.check()
        finally:
            await dc.close()
            restore()
            await double.stop()
    return {
        "bot": bot_name,
        "command": "/settings language",
        "interactions": len(db_ms),
        "p50_ms": round(statistics.median(db_ms), 3),
        "p99_ms": round(percentile(db_ms, 99), 3),
        "max_ms": round(max(db_ms), 3),
        "baseline_interactions": len(base_ms),
        "baseline_p50_ms": round(statistics.median(base_ms), 3),
        "baseline_p99_ms": round(percentile(base_ms, 99), 3),
        "goal_p99_ms": 20,
        "wall_s": round(elapsed, 2),
    }


if __name__ == "__main__":
    print(asyncio.run(run()))
