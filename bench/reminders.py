"""Reminders at scale: start-up with 100 000 pending, and 1000 due in the same second.

Figures: `pending`, `load_s` (opening the database and starting until every job inside the
scheduler's window is scheduled), `scheduled` (jobs held in memory after start),
`p99_lateness_ms` / `p50_lateness_ms` for 1000 reminders due in the same second on the real
clock, delivered through a port that records when each send happened, `early` (sends before
their due time, which must never happen), and `rss_mb`. The burst goes through the bot's own
path: loaded at start, prepared ahead by the scheduler, sent when due.
Goals: load_s ≤ 1, p99_lateness_ms ≤ 50, early = 0, rss_mb ≤ 150.
"""

from __future__ import annotations

import asyncio
import contextlib
import resource
import sqlite3
import statistics
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

from bot.app import Ports, open_app
from bot.clock import SettableClock, SystemClock
from bot.config import Settings
from bot.db import to_db
from bot.ports import MessageRef
from bot.replies import Reply

PENDING = 100_000
BURST = 1000


class RecordingPort:
    """Records the real time of each send; no network."""

    def __init__(self, expect: int = 0) -> None:
        self.sent_at: list[datetime] = []
        self.expect = expect
        self.all_sent = asyncio.Event()

    async def send_dm(self, user_id: str, reply: Reply) -> MessageRef:
        self.sent_at.append(SystemClock().now())
        if len(self.sent_at) == self.expect:
            self.all_sent.set()
        return MessageRef("dm", str(len(self.sent_at)))

    async def send_channel(self, channel_id: str, reply: Reply) -> MessageRef:
        return await self.send_dm(channel_id, reply)

    def mention(self, user_id: str) -> str:
        return user_id

    async def add_role(self, guild_id: str, user_id: str, role_id: str) -> None:
        return None

    async def remove_role(self, guild_id: str, user_id: str, role_id: str) -> None:
        return None


def fill(path: Path, start: datetime, count: int, spread: timedelta) -> None:
    """Insert pending reminders straight into the table, spread evenly over `spread`."""
    step = spread / count
    created = to_db(start)
    rows = [
        (
            "bench:guild",
            f"bench:user{i % 5000}",
            "me",
            "bench:#general",
            "general",
            f"reminder {i}",
            to_db(start + step * (i + 1)),
            to_db(start + step * (i + 1)),
            "Europe/Warsaw",
            None,
            "pending",
            0,
            created,
        )
        for i in range(count)
    ]
    insert_reminders(path, rows)


def insert_reminders(path: Path, rows: list[tuple[object, ...]]) -> None:
    """Pending reminders straight into the table, as tuples in its column order."""
    with sqlite3.connect(path) as conn:
        conn.executemany(
            "INSERT INTO reminders (guild_id, owner_id, kind, channel_id, channel_name, text, "
            "due_at, fire_at, timezone, recurrence, status, attempts, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )


def settings(path: Path) -> Settings:
    return Settings(database_path=path, _env_file=None)  # type: ignore[call-arg]


async def measure_load(folder: Path) -> dict[str, object]:
    path = folder / "load.sqlite3"
    port = RecordingPort()
    now = SystemClock().now()
    app = await open_app(
        settings(path), clock=SettableClock(now), ports=Ports(port, port, port, port)
    )
    await app.close()
    fill(path, now, PENDING, timedelta(days=365))
    began = time.perf_counter()
    app = await open_app(
        settings(path), clock=SettableClock(now), ports=Ports(port, port, port, port)
    )
    await app.start()
    load_s = time.perf_counter() - began
    scheduled = len(app.scheduler.pending())
    await app.close()
    return {"pending": PENDING, "load_s": round(load_s, 3), "scheduled": scheduled}


async def measure_burst(folder: Path) -> dict[str, object]:
    path = folder / "burst.sqlite3"
    port = RecordingPort(expect=BURST)
    clock = SystemClock()
    app = await open_app(settings(path), clock=clock, ports=Ports(port, port, port, port))
    await app.close()
    due = (clock.now() + timedelta(seconds=3)).replace(microsecond=0)
    fill(path, due - timedelta(microseconds=1), BURST, timedelta(microseconds=BURST))
    app = await open_app(settings(path), clock=clock, ports=Ports(port, port, port, port))
    await app.start()
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(port.all_sent.wait(), timeout=30)
    await app.close()
    # The database keeps whole seconds, so `due` is every one of these reminders' due time.
    late_ms = sorted((at - due).total_seconds() * 1000 for at in port.sent_at)
    if len(late_ms) < BURST:
        return {"delivered": len(late_ms), "p99_lateness_ms": None}
    return {
        "delivered": len(late_ms),
        "early": sum(ms < 0 for ms in late_ms),
        "p50_lateness_ms": round(statistics.median(late_ms), 1),
        "p99_lateness_ms": round(late_ms[int(len(late_ms) * 0.99) - 1], 1),
    }


async def run() -> dict[str, object]:
    with tempfile.TemporaryDirectory(prefix="bench-reminders-") as tmp:
        folder = Path(tmp)
        figures = await measure_load(folder)
        figures.update(await measure_burst(folder))
    figures["rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return figures
