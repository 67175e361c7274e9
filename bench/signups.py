"""Sign-ups under a burst: 1000 people press Join on one slot of capacity 20 at once.

Through the service layer (`Seats.join`, the code every front end calls) against an
on-disk database in WAL mode, with a front end that sends nothing.

Figures: `confirmed` (must be 20), `waitlisted` (980), `arrival_order_ok` (the waitlist is
in the order the calls were made), `errors` (0), `p50_ms` / `p99_ms` (each join, from its
call until it returned, all 1000 started together), `joins_per_s`, `transactions` (how many
transactions placed the burst: joins that arrive together share one), `raw_inserts_per_s`
(1000 single-row INSERT transactions, BEGIN IMMEDIATE … COMMIT one after another, through
aiosqlite on the same kind of file, measured in the same run), `ratio_vs_raw` =
joins_per_s / raw_inserts_per_s, and for comparison the same 1000 joins made one after
another (`sequential_joins_per_s`, `sequential_ratio_vs_raw`): no sharing, each join its
own transaction plus the sheet's update. Goals: ratio_vs_raw ≥ 0.5, p99_ms ≤ 50.
"""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import aiosqlite

from bot.app import App, Ports, open_app
from bot.clock import SettableClock, SystemClock
from bot.config import Settings
from bot.ports import MessageRef
from bot.refs import ChannelRef, UserRef
from bot.replies import Reply
from bot.roles import Role
from bot.signups.model import EntryStatus, Slot
from bot.visibility import Viewer

ATTEMPTS = 1000
CAPACITY = 20
GUILD = "bench:guild"


class QuietPort:
    """A front end that delivers nothing, instantly."""

    def __init__(self) -> None:
        self.edits = 0
        self._messages = 0

    async def send_dm(self, user_id: str, reply: Reply) -> MessageRef:
        return self._next(f"dm:{user_id}")

    async def send_channel(self, channel_id: str, reply: Reply) -> MessageRef:
        return self._next(channel_id)

    async def edit_message(self, channel_id: str, message_id: str, reply: Reply) -> None:
        self.edits += 1

    def mention(self, user_id: str) -> str:
        return user_id

    async def add_role(self, guild_id: str, user_id: str, role_id: str) -> None:
        return None

    async def remove_role(self, guild_id: str, user_id: str, role_id: str) -> None:
        return None

    def _next(self, channel_id: str) -> MessageRef:
        self._messages += 1
        return MessageRef(channel_id, str(self._messages))


def settings(path: Path) -> Settings:
    return Settings(database_path=path, _env_file=None)  # type: ignore[call-arg]


async def open_bench_app(path: Path, port: QuietPort) -> App:
    now = SystemClock().now()
    ports = Ports(port, port, port, port)  # type: ignore[arg-type]
    app = await open_app(settings(path), clock=SettableClock(now), ports=ports)
    await app.start()
    return app


def director(user: UserRef) -> Viewer:
    """A director clicking in the sheet's server (the visibility rule lets them see it)."""
    return Viewer(user, GUILD, Role.DIRECTOR)


async def new_sheet(app: App, title: str) -> int:
    sheet = await app.signups.sheets.create(
        GUILD,
        title=title,
        channel=ChannelRef("bench:#general", "general"),
        creator=UserRef("bench:mod", "Mod"),
        slots=[Slot(1, app.clock.now() + timedelta(days=7))],
        capacity=CAPACITY,
        max_per_person=1,
        waitlist=True,
        approval=False,
        opens=None,
        closes=None,
        timezone="Europe/Warsaw",
    )
    return sheet.id


async def burst(app: App, sheet_id: int) -> dict[str, object]:
    users = [director(UserRef(f"bench:u{i:04d}", f"U{i:04d}")) for i in range(ATTEMPTS)]
    latencies: list[float] = [0.0] * ATTEMPTS
    errors = 0

    async def one(i: int) -> EntryStatus | None:
        nonlocal errors
        began = time.perf_counter()
        try:
            placed = await app.signups.seats.join(sheet_id, 1, users[i])
        except Exception:
            errors += 1
            return None
        finally:
            latencies[i] = time.perf_counter() - began
        return placed.status

    batches_before = app.signups.seats.batches
    began = time.perf_counter()
    statuses = await asyncio.gather(*(one(i) for i in range(ATTEMPTS)))
    elapsed = time.perf_counter() - began
    rows = await app.db.fetchall(
        "SELECT user_id, status FROM signup_entries WHERE sheet_id = ? ORDER BY seq", (sheet_id,)
    )
    waiting = [r["user_id"] for r in rows if r["status"] == "waitlisted"]
    ms = sorted(x * 1000 for x in latencies)
    return {
        "confirmed": statuses.count(EntryStatus.CONFIRMED),
        "waitlisted": statuses.count(EntryStatus.WAITLISTED),
        "arrival_order_ok": [r["user_id"] for r in rows] == [u.user_id for u in users]
        and waiting == [u.user_id for u in users[CAPACITY:]],
        "errors": errors,
        "p50_ms": round(statistics.median(ms), 1),
        "p99_ms": round(ms[int(len(ms) * 0.99) - 1], 1),
        "joins_per_s": round(ATTEMPTS / elapsed),
        "transactions": app.signups.seats.batches - batches_before,
    }


async def sequential(app: App, sheet_id: int) -> float:
    users = [director(UserRef(f"bench:s{i:04d}", f"S{i:04d}")) for i in range(ATTEMPTS)]
    began = time.perf_counter()
    for user in users:
        await app.signups.seats.join(sheet_id, 1, user)
    return ATTEMPTS / (time.perf_counter() - began)


async def raw_inserts(path: Path) -> float:
    """The floor: 1000 single-row INSERT transactions through aiosqlite, same settings."""
    conn = await aiosqlite.connect(path, isolation_level=None)
    try:
        for pragma in (
            "PRAGMA journal_mode=WAL",
            "PRAGMA foreign_keys=ON",
            "PRAGMA busy_timeout=5000",
            "PRAGMA synchronous=NORMAL",
        ):
            await conn.execute(pragma)
        await conn.execute(
            "CREATE TABLE entries (seq INTEGER PRIMARY KEY AUTOINCREMENT, sheet_id INTEGER, "
            "slot INTEGER, user_id TEXT, name TEXT, status TEXT, created_at TEXT, "
            "UNIQUE (sheet_id, slot, user_id))"
        )
        began = time.perf_counter()
        for i in range(ATTEMPTS):
            await conn.execute("BEGIN IMMEDIATE")
            await conn.execute(
                "INSERT INTO entries (sheet_id, slot, user_id, name, status, created_at) "
                "VALUES (1, 1, ?, ?, 'confirmed', '2026-01-01T00:00:00+00:00')",
                (f"raw:u{i:04d}", f"U{i:04d}"),
            )
            await conn.execute("COMMIT")
        return ATTEMPTS / (time.perf_counter() - began)
    finally:
        await conn.close()


async def run() -> dict[str, object]:
    with tempfile.TemporaryDirectory(prefix="bench-signups-") as tmp:
        folder = Path(tmp)
        raw = await raw_inserts(folder / "raw.sqlite3")
        port = QuietPort()
        app = await open_bench_app(folder / "signups.sqlite3", port)
        try:
            figures = await burst(app, await new_sheet(app, "Burst"))
            figures["sheet_edits"] = port.edits
            one_by_one = await sequential(app, await new_sheet(app, "One by one"))
            integrity = await app.db.integrity_check()
        finally:
            await app.close()
    figures["raw_inserts_per_s"] = round(raw)
    joins = float(figures["joins_per_s"])  # type: ignore[arg-type]
    figures["ratio_vs_raw"] = round(joins / raw, 2)
    figures["sequential_joins_per_s"] = round(one_by_one)
    figures["sequential_ratio_vs_raw"] = round(one_by_one / raw, 2)
    figures["integrity"] = integrity
    return figures
