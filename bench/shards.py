"""What one process holds: the real PodajBot over SHARD_COUNT shards, in its own process,
against the Discord double with N servers (each like the seeded one: four people, four
channels, three roles), handed to shards as Discord hands them.

For each N: the time from starting the process to every shard ready, the bot process's
resident memory once every server arrived, and `/settings language` (a database write) in
40 servers spread over the shards, taken in turn, `--concurrency` at a time: commands per
second and p50/p99 latency (INTERACTION_CREATE on the wire → the callback at the double).
The double and this process share the machine with the bot, so the rate is a floor. Rate
limits are off (interaction answers are exempt from Discord's global limit).

    python -m bench shards --servers 4,1000,2500 --shards 2 --runs 3
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from pathlib import Path

from bench.interactions import percentile
from bot.config import Settings
from cogs.client import sync_commands
from tests.e2e.bots import BOTS, BotContext, make_clock
from tests.e2e.discord_double import DiscordDouble
from tests.e2e.discord_double import state as st
from tests.e2e.discord_double.harness import Harness, point_discord_at
from tests.e2e.discord_double.runners import SubprocessBot

# Shaped like a bot token, so `python -m bot sync`'s own check lets it through.
TOKEN = "podaj.bench.token"
USERS = ("anna", "jan", "ewa", "admin")
LANGUAGES = ("pl", "en")
SAMPLE = 40


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--servers", default="4,1000,2500", help="comma-separated server counts, one run each"
    )
    parser.add_argument("--shards", type=int, default=2, help="SHARD_COUNT")
    parser.add_argument("--commands", type=int, default=400, help="commands per server count")
    parser.add_argument("--concurrency", type=int, default=10, help="commands in flight")


def resident_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status", encoding="utf-8") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for process {pid}")


async def commands_in_turn(
    dc: Harness, channels: list[st.Channel], count: int, concurrency: int
) -> tuple[list[float], float]:
    """`count` commands over the servers' channels in turn; latencies (ms) and wall time."""
    gate = asyncio.Semaphore(concurrency)
    latencies: list[float] = []

    async def one(i: int) -> None:
        async with gate:
            resp = await dc.slash(
                USERS[i % len(USERS)],
                "settings language",
                in_channel=channels[i % len(channels)],
                language=LANGUAGES[(i // len(USERS)) % 2],
            )
            assert resp.latency is not None, resp
            latencies.append(resp.latency * 1000)

    started = time.perf_counter()
    await asyncio.gather(*(one(i) for i in range(count)))
    return latencies, time.perf_counter() - started


async def one_size(servers: int, shards: int, commands: int, concurrency: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="bench-shards-") as tmp:
        double = DiscordDouble(token=TOKEN)
        for i in range(servers - 1):
            double.add_guild(f"Sieć {i}", shard=(i % shards, shards))
        # Off: the double counts every interaction callback in one 50-a-second bucket,
        # where Discord exempts them from the global limit and counts each interaction apart.
        double.rate_limiter = None
        await double.start()
        restore = point_discord_at(double)
        clock = make_clock()
        double.clock = clock.now
        db_path = Path(tmp) / "bench.sqlite3"
        await sync_commands(
            Settings(discord_token=TOKEN, database_path=db_path, _env_file=None), everywhere=True
        )
        ctx = BotContext(
            db_path=db_path,
            guild_id=double.seeded.guild_id,
            clock=clock,
            token=TOKEN,
            shard_count=shards,
        )
        dc = Harness(double, BOTS["podaj"], ctx, workdir=Path(tmp), subprocess=True)
        try:
            started = time.perf_counter()
            await dc.start()
            ready_s = time.perf_counter() - started
            # discord.py is ready once no GUILD_CREATE came for a moment; the rest follow.
            await dc.settle(within=120, quiet=0.5)
            runner = dc.runner
            assert isinstance(runner, SubprocessBot) and runner.proc is not None
            rss = resident_mb(runner.proc.pid)
            # Commands in SAMPLE servers spread over the shards, each used once before
            # (a server's first command also writes its settings row).
            guild_ids = list(double.state.guilds)
            step = max(1, len(guild_ids) // SAMPLE)
            channels = [
                double.state.channel_by_name(guild_id, "general")
                for guild_id in guild_ids[::step][:SAMPLE]
            ]
            await commands_in_turn(dc, channels, len(channels) * len(USERS), concurrency)
            latencies, wall = await commands_in_turn(dc, channels, commands, concurrency)
            await dc.settle()
            dc.check()
        finally:
            await dc.close()
            restore()
            await double.stop()
    return {
        "start_to_ready_s": round(ready_s, 2),
        "rss_mb": round(rss, 1),
        "commands_per_s": round(commands / wall, 1),
        "p50_ms": round(statistics.median(latencies), 2),
        "p99_ms": round(percentile(latencies, 99), 2),
    }


async def run(
    servers: str = "4,1000,2500", shards: int = 2, commands: int = 400, concurrency: int = 10
) -> dict[str, object]:
    counts = [int(n) for n in servers.split(",") if n.strip()]
    figures: dict[str, object] = {"shards": shards, "concurrency": concurrency}
    for count in counts:
        for key, value in (await one_size(count, shards, commands, concurrency)).items():
            figures[f"servers_{count}_{key}"] = value
    return figures
