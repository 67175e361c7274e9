"""Reminders at scale: a start with N pending, and M due in the same second.

`python -m bench reminders --pending 1000000 --burst 10000 --runs 3 --json`.

Figures: `pending`, `start_s` (opening the database and starting until every job inside the
scheduler's window is scheduled, on a database of `pending` reminders spread over a year),
`scheduled` (jobs held in memory after start), and for `burst` reminders due in the same
second on the real clock, delivered through a port that only records when each send
happened: `delivered`, `p50_lateness_ms` / `p99_lateness_ms` / `max_lateness_ms`, `early`
(sends before their due time) and `twice` (reminders sent more than once), both of which
must be 0, and `rss_mb`, the process's peak resident memory. The burst goes through the
bot's own path: loaded at start, prepared ahead by the scheduler, sent when due. The rows
are written by SQLite itself (a recursive query), so the benchmark's own Python objects do
not count in the memory figure.
Goals: start_s ≤ 0.2 at 1 000 000 pending, p99_lateness_ms ≤ 1000 for 10 000 due at once,
early = twice = 0, rss_mb ≤ 150.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import re
import resource
import sqlite3
import statistics
import tempfile
import time
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path

from bot.app import Ports, open_app
from bot.clock import SettableClock, SystemClock
from bot.config import Settings
from bot.ports import Access, MessageRef
from bot.replies import Reply

PENDING = 100_000
BURST = 1000
# How long the burst may take before the run gives up and reports what was delivered.
BURST_TIMEOUT_S = 120
_NUMBER = re.compile(r"reminder (\d+)")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--pending", type=int, default=PENDING, help="reminders at start")
    parser.add_argument("--burst", type=int, default=BURST, help="reminders due at once")


class RecordingPort:
    """Records the real time of each send and which reminder it was; no network."""

    def __init__(self, expect: int = 0) -> None:
        self.sent_at: list[datetime] = []
        self.sent: Counter[str] = Counter()
        self.expect = expect
        self.all_sent = asyncio.Event()

    async def send_dm(self, user_id: str, reply: Reply) -> MessageRef:
        self.sent_at.append(SystemClock().now())
        number = _NUMBER.search(reply.text)
        self.sent[number.group(1) if number else reply.text] += 1
        if len(self.sent_at) == self.expect:
            self.all_sent.set()
        return MessageRef("dm", str(len(self.sent_at)))

    async def send_channel(self, channel_id: str, reply: Reply) -> MessageRef:
        return await self.send_dm(channel_id, reply)

    def mention(self, user_id: str) -> str:
        return user_id

    async def add_role(self, guild_id: str, user_id: str, role_id: str) -> Access:
        return Access.GIVEN

    async def remove_role(self, guild_id: str, user_id: str, role_id: str) -> None:
        return None


def fill(path: Path, first: datetime, count: int, spread: timedelta) -> None:
    """`count` pending reminders straight into the table, due evenly over `spread` from
    `first` (all at `first` when `spread` is zero), made by SQLite itself."""
    step = spread.total_seconds() / count
    conn = sqlite3.connect(path)
    with conn:
        conn.execute(
            "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < :count) "
            "INSERT INTO reminders (guild_id, owner_id, kind, channel_id, channel_name, text, "
            "due_at, fire_at, timezone, recurrence, status, attempts, created_at) "
            "SELECT 'bench:guild', 'bench:user' || (i % 5000), 'me', 'bench:#general', "
            "'general', 'reminder ' || i, due, due, 'Europe/Warsaw', NULL, 'pending', 0, "
            ":created FROM (SELECT i, strftime('%Y-%m-%dT%H:%M:%S', :first + i * :step, "
            "'unixepoch') || '+00:00' AS due FROM n)",
            {
                "count": count,
                "first": int(first.timestamp()),
                "step": step,
                "created": first.isoformat(timespec="seconds"),
            },
        )
    # As a bot leaves its database when it stops: the log folded in (a checkpoint).
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


def insert_reminders(path: Path, rows: list[tuple[object, ...]]) -> None:
    """Pending reminders straight into the table, as tuples in its column order (the
    delivery benchmark's own rows)."""
    with sqlite3.connect(path) as conn:
        conn.executemany(
            "INSERT INTO reminders (guild_id, owner_id, kind, channel_id, channel_name, text, "
            "due_at, fire_at, timezone, recurrence, status, attempts, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )


def settings(path: Path) -> Settings:
    return Settings(database_path=path, _env_file=None)


async def measure_start(folder: Path, pending: int) -> dict[str, object]:
    path = folder / "start.sqlite3"
    port = RecordingPort()
    now = SystemClock().now()
    app = await open_app(
        settings(path), clock=SettableClock(now), ports=Ports(port, port, port, port)
    )
    await app.close()
    fill(path, now + timedelta(seconds=1), pending, timedelta(days=365))
    began = time.perf_counter()
    app = await open_app(
        settings(path), clock=SettableClock(now), ports=Ports(port, port, port, port)
    )
    await app.start()
    start_s = time.perf_counter() - began
    scheduled = len(app.scheduler.pending())
    await app.close()
    return {"pending": pending, "start_s": round(start_s, 3), "scheduled": scheduled}


async def measure_burst(folder: Path, burst: int) -> dict[str, object]:
    path = folder / "burst.sqlite3"
    port = RecordingPort(expect=burst)
    clock = SystemClock()
    app = await open_app(settings(path), clock=clock, ports=Ports(port, port, port, port))
    await app.close()
    due = (clock.now() + timedelta(seconds=3)).replace(microsecond=0)
    fill(path, due, burst, timedelta())
    app = await open_app(settings(path), clock=clock, ports=Ports(port, port, port, port))
    await app.start()
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(port.all_sent.wait(), timeout=BURST_TIMEOUT_S)
    await app.close()
    # The database keeps whole seconds, so `due` is every one of these reminders' due time.
    late_ms = sorted((at - due).total_seconds() * 1000 for at in port.sent_at)
    figures: dict[str, object] = {
        "burst": burst,
        "delivered": len(port.sent),
        "early": sum(ms < 0 for ms in late_ms),
        "twice": sum(times > 1 for times in port.sent.values()),
    }
    if late_ms:
        figures["p50_lateness_ms"] = round(statistics.median(late_ms), 1)
        figures["p99_lateness_ms"] = round(late_ms[max(0, int(len(late_ms) * 0.99) - 1)], 1)
        figures["max_lateness_ms"] = round(late_ms[-1], 1)
    return figures


async def run(pending: int = PENDING, burst: int = BURST) -> dict[str, object]:
    with tempfile.TemporaryDirectory(prefix="bench-reminders-") as tmp:
        folder = Path(tmp)
        figures = await measure_start(folder, pending)
        figures.update(await measure_burst(folder, burst))
    figures["rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return figures
