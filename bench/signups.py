"""Sign-ups under a burst: N people press Join on one slot of capacity 20.

`python -m bench signups --attempts 100,1000,10000 --runs 3 --json`.

Through the service layer (`Seats.join`, the code every front end calls) against an
on-disk database in WAL mode, with a front end that sends nothing. The service writes a
burst in bounded group commits (at most GROUP_COMMIT joins per transaction).

Figures for each N (keys end in `@N`): `confirmed` (must be 20), `waitlisted` (N − 20),
`order_ok` (seats and waitlist in the order the calls were made), `errors` (0), `p50_ms` /
`p99_ms` (each join, from its call until it returned, all N started at the same instant —
so the p99 can be no lower than about N / joins_per_s: the last joins wait for those ahead
of them), `first_ms` (the first join answered), `joins_per_s`, `transactions`,
`sheet_edits`; `paced_p50_ms` / `paced_p99_ms` / `paced_order_ok`: the same N clicks
arriving evenly over `--spread` seconds (10 000 over 2 s: 5 000 a second), where a join
waits for its own small transaction and not for a queue; and the raw floors measured in
the same run on the same kind of file through aiosqlite with the service's pragmas: the
same N rows as N one-row transactions (`raw_single_per_s`), in transactions of
GROUP_COMMIT rows (`raw_batch_per_s`) and as one transaction of N inserts
(`raw_one_txn_per_s`), a transaction's rows in one executemany. The burst against each:
`ratio_vs_raw_single`, `ratio_vs_raw_batch`, `ratio_vs_raw_one_txn`. Joins made one after
another (`--sequential`, each its own transaction and redraw of the sheet) against
single-row transactions (BEGIN IMMEDIATE, one INSERT, COMMIT): `sequential_joins_per_s`,
`raw_single_per_s`, `sequential_ratio_vs_raw_single`, the two taken in alternating turns
so the machine's load weighs on both.
Goals: sequential_ratio_vs_raw_single ≥ 0.5; p99 ≤ 50 ms at 10 000 (see above for what
bounds it when all start at once; paced_p99_ms is the latency of a join itself).
"""

from __future__ import annotations

import argparse
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
from bot.ports import Access, MessageRef
from bot.refs import ChannelRef, UserRef
from bot.replies import Reply
from bot.roles import Role
from bot.signups.model import EntryStatus, Slot
from bot.signups.seats import GROUP_COMMIT
from bot.visibility import Viewer

ATTEMPTS = (1000,)
SEQUENTIAL = 1000
SPREAD = 2.0  # the paced run: the same N clicks arriving evenly over this many seconds
ROUNDS = 5  # turns of joins one at a time and raw transactions, alternating
CAPACITY = 20
GUILD = "bench:guild"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--attempts",
        type=lambda text: tuple(int(n) for n in text.split(",")),
        default=ATTEMPTS,
        help="burst sizes, comma-separated",
    )
    parser.add_argument(
        "--sequential", type=int, default=SEQUENTIAL, help="joins made one after another"
    )
    parser.add_argument(
        "--spread",
        type=float,
        default=SPREAD,
        help="seconds over which the paced run's clicks arrive (0: no paced run)",
    )


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

    async def add_role(self, guild_id: str, user_id: str, role_id: str) -> Access:
        return Access.GIVEN

    async def remove_role(self, guild_id: str, user_id: str, role_id: str) -> None:
        return None

    def _next(self, channel_id: str) -> MessageRef:
        self._messages += 1
        return MessageRef(channel_id, str(self._messages))


def settings(path: Path) -> Settings:
    return Settings(database_path=path, _env_file=None)


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


async def burst(app: App, sheet_id: int, attempts: int, spread: float = 0.0) -> dict[str, object]:
    """`attempts` joins started at the same instant, or evenly over `spread` seconds."""
    users = [director(UserRef(f"bench:u{i:05d}", f"U{i:05d}")) for i in range(attempts)]
    latencies: list[float] = [0.0] * attempts
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
    if spread <= 0:
        statuses = await asyncio.gather(*(one(i) for i in range(attempts)))
    else:
        clicks = []
        for i in range(attempts):
            wait = began + spread * i / attempts - time.perf_counter()
            if wait > 0:
                await asyncio.sleep(wait)
            clicks.append(asyncio.ensure_future(one(i)))
        statuses = list(await asyncio.gather(*clicks))
    elapsed = time.perf_counter() - began
    rows = await app.db.fetchall(
        "SELECT user_id, status FROM signup_entries WHERE sheet_id = ? ORDER BY seq", (sheet_id,)
    )
    waiting = [r["user_id"] for r in rows if r["status"] == "waitlisted"]
    ms = sorted(x * 1000 for x in latencies)
    return {
        "confirmed": statuses.count(EntryStatus.CONFIRMED),
        "waitlisted": statuses.count(EntryStatus.WAITLISTED),
        "order_ok": [r["user_id"] for r in rows] == [u.user_id for u in users]
        and waiting == [u.user_id for u in users[CAPACITY:]],
        "errors": errors,
        "first_ms": round(ms[0], 1),
        "p50_ms": round(statistics.median(ms), 1),
        "p99_ms": round(ms[max(0, int(len(ms) * 0.99) - 1)], 1),
        "joins_per_s": round(attempts / elapsed),
        "transactions": app.signups.seats.batches - batches_before,
    }


async def sequential(app: App, sheet_id: int, count: int, start: int = 0) -> float:
    users = [director(UserRef(f"bench:s{i:05d}", f"S{i:05d}")) for i in range(start, start + count)]
    began = time.perf_counter()
    for user in users:
        await app.signups.seats.join(sheet_id, 1, user)
    return count / (time.perf_counter() - began)


async def raw_inserts(path: Path, rows: int, per_transaction: int) -> float:
    """The floor: `rows` INSERTs through aiosqlite with the bot's settings, committed
    `per_transaction` at a time, each transaction's rows in one executemany; rows a
    second."""
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
        for start in range(0, rows, per_transaction):
            await conn.execute("BEGIN IMMEDIATE")
            # The rows of a transaction in one statement, as the service writes a batch.
            await conn.executemany(
                "INSERT INTO entries (sheet_id, slot, user_id, name, status, created_at) "
                "VALUES (1, 1, ?, ?, 'confirmed', '2026-01-01T00:00:00+00:00')",
                [
                    (f"raw:u{i:05d}", f"U{i:05d}")
                    for i in range(start, min(start + per_transaction, rows))
                ],
            )
            await conn.execute("COMMIT")
        return rows / (time.perf_counter() - began)
    finally:
        await conn.close()


async def raw_floors(folder: Path, rows: int) -> dict[str, float]:
    """Rows a second committed one at a time, GROUP_COMMIT at a time, and all at once,
    each on a new file."""
    folder = Path(tempfile.mkdtemp(dir=folder))
    return {
        name: await raw_inserts(folder / f"raw-{name}.sqlite3", rows, per_transaction)
        for name, per_transaction in (
            ("single", 1),
            ("batch", GROUP_COMMIT),
            ("one_txn", rows),
        )
    }


async def run(
    attempts: tuple[int, ...] = ATTEMPTS, sequential: int = SEQUENTIAL, spread: float = SPREAD
) -> dict[str, object]:
    figures: dict[str, object] = {"group_commit": GROUP_COMMIT, "spread_s": spread}
    with tempfile.TemporaryDirectory(prefix="bench-signups-") as tmp:
        folder = Path(tmp)
        port = QuietPort()
        app = await open_bench_app(folder / "signups.sqlite3", port)
        try:
            for n in attempts:
                raw = await raw_floors(folder, n)
                edits_before = port.edits
                said = await burst(app, await new_sheet(app, f"Burst {n}"), n)
                said["sheet_edits"] = port.edits - edits_before
                if spread > 0:
                    paced = await burst(app, await new_sheet(app, f"Paced {n}"), n, spread)
                    said["paced_order_ok"] = paced["order_ok"]
                    said["paced_p50_ms"] = paced["p50_ms"]
                    said["paced_p99_ms"] = paced["p99_ms"]
                joins = float(said["joins_per_s"])  # type: ignore[arg-type]
                said["raw_single_per_s"] = round(raw["single"])
                said["raw_batch_per_s"] = round(raw["batch"])
                said["raw_one_txn_per_s"] = round(raw["one_txn"])
                said["ratio_vs_raw_single"] = round(joins / raw["single"], 2)
                said["ratio_vs_raw_batch"] = round(joins / raw["batch"], 2)
                said["ratio_vs_raw_one_txn"] = round(joins / raw["one_txn"], 2)
                figures.update({f"{key}@{n}": value for key, value in said.items()})
            one_by_one, raw_single = await side_by_side(app, folder, sequential)
            figures["integrity"] = await app.db.integrity_check()
        finally:
            await app.close()
    figures["sequential_joins_per_s"] = round(one_by_one)
    figures["raw_single_per_s"] = round(raw_single)
    figures["sequential_ratio_vs_raw_single"] = round(one_by_one / raw_single, 2)
    return figures


async def side_by_side(app: App, folder: Path, count: int) -> tuple[float, float]:
    """Joins one after another and single-row transactions, `count` of each, taken in
    ROUNDS turns (each raw turn on a new file), so a change in the machine's load
    weighs on both: (joins a second, raw rows a second)."""
    sheet_id = await new_sheet(app, "One by one")
    per_round = max(1, count // ROUNDS)
    joining = writing = 0.0
    for turn in range(ROUNDS):
        joining += per_round / await sequential(app, sheet_id, per_round, start=turn * per_round)
        raw = Path(tempfile.mkdtemp(dir=folder)) / "raw-single.sqlite3"
        writing += per_round / await raw_inserts(raw, per_round, 1)
    done = per_round * ROUNDS
    return done / joining, done / writing
