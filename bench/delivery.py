"""Delivery under Discord's rate limits: 1000 reminders due in the same second, sent by the
real PodajBot through discord.py to the Discord double with its rate limits on (global 50
requests/s, per-route buckets with X-RateLimit-* headers; tests/e2e/discord_double/
ratelimits.py).

1000 people each have one "remind me" reminder due at the same second. The bot is started
on that database, its settable clock is moved past the due time, and every DM reaching the
double is timed (real seconds from the moment the clock moved).
Figures: `sent` (DMs that reached the double), `lost` (reminders without a DM; goal 0),
`http_429` (answers 429 the double gave; goal 0), `requests` (rate-limited requests
the double served during the burst), `rate_used` (those per second ÷ the global limit;
goal ≥ 0.9), `p99_lateness_s` / `p50_lateness_s`, `wall_s`.
"""

from __future__ import annotations

import asyncio
import contextlib
import statistics
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from bench.interactions import percentile
from bench.reminders import insert_reminders
from bot.db import to_db
from tests.e2e.bots import BOTS, BotContext, make_clock
from tests.e2e.discord_double import DiscordDouble
from tests.e2e.discord_double import state as st
from tests.e2e.discord_double.harness import Harness, point_discord_at
from tests.e2e.discord_double.ratelimits import GLOBAL_LIMIT

PEOPLE = 1000
TIMEOUT_S = 300.0


def fill(path: Path, double: DiscordDouble, people: list[int], due: Any) -> None:
    guild = f"discord:{double.seeded.guild_id}"
    channel = f"discord:{double.seeded.channel_ids['general']}"
    created = to_db(due - timedelta(days=1))
    rows = [
        (guild, f"discord:{person}", "me", channel, "general", f"przypomnienie {i}",
         to_db(due), to_db(due), "Europe/Warsaw", None, "pending", 0, created)
        for i, person in enumerate(people)
    ]  # fmt: skip
    insert_reminders(path, rows)


async def run() -> dict[str, object]:
    with tempfile.TemporaryDirectory(prefix="bench-delivery-") as tmp:
        double = DiscordDouble()
        await double.start()
        restore = point_discord_at(double)
        clock = make_clock()
        double.clock = clock.now
        people = double.add_people(PEOPLE)
        db = Path(tmp) / "bench.sqlite3"
        ctx = BotContext(db_path=db, guild_id=double.seeded.guild_id, clock=clock)
        dc = Harness(double, BOTS["podaj"], ctx, workdir=Path(tmp))
        arrived: dict[int, float] = {}
        everyone = asyncio.Event()
        create = double.messaging.create

        def timed_create(channel: st.Channel, *args: Any, **kwargs: Any) -> st.Message:
            message = create(channel, *args, **kwargs)
            if channel.type == st.DM and channel.recipient_id is not None:
                arrived.setdefault(channel.recipient_id, time.monotonic())
                if len(arrived) == PEOPLE:
                    everyone.set()
            return message

        double.messaging.create = timed_create  # type: ignore[method-assign]
        try:
            await dc.start()  # creates the database
            due = clock.now() + timedelta(minutes=1)
            fill(db, double, people, due.replace(microsecond=0))
            await dc.restart()  # the bot loads the pending reminders at start
            limiter = double.enforce_rate_limits()
            began = time.monotonic()
            await dc.runner.advance(timedelta(minutes=2))
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(everyone.wait(), TIMEOUT_S)
            await dc.settle()
            wall = time.monotonic() - began
        finally:
            await dc.close()
            restore()
            await double.stop()
    lateness = [at - began for at in arrived.values()]
    burst = [at for at in limiter.admitted if at >= began]
    span = (max(burst) - min(burst)) if len(burst) > 1 else 0.0
    return {
        "reminders": PEOPLE,
        "sent": len(arrived),
        "lost": PEOPLE - len(arrived),
        "http_429": limiter.refused,
        "http_429_global": limiter.refused_global,
        "requests": len(burst),
        "rate_used": round(len(burst) / span / GLOBAL_LIMIT, 3) if span else None,
        "p50_lateness_s": round(statistics.median(lateness), 3) if lateness else None,
        "p99_lateness_s": round(percentile(lateness, 99), 3) if lateness else None,
        "wall_s": round(wall, 2),
    }


if __name__ == "__main__":
    print(asyncio.run(run()))
