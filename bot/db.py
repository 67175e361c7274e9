"""One aiosqlite connection: WAL, foreign keys, busy timeout, numbered SQL migrations.

All statements go through a lock so that one task's transaction never sees another
task's statements interleaved on the shared connection.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import re
import sqlite3
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

import aiosqlite

log = logging.getLogger(__name__)

_MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")
Params = Sequence[Any] | dict[str, Any]


class DatabaseError(Exception):
    """The database cannot be used; the message is one line meant for the operator."""


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


def migrations() -> list[Migration]:
    found = []
    for entry in resources.files("bot.migrations").iterdir():
        match = _MIGRATION_NAME.match(entry.name)
        if match:
            found.append(Migration(int(match[1]), entry.name, entry.read_text(encoding="utf-8")))
    found.sort(key=lambda m: m.version)
    versions = [m.version for m in found]
    if versions != list(range(1, len(found) + 1)):
        raise DatabaseError(f"migrations are not numbered 1..n without gaps: {versions}")
    return found


class Transaction:
    """Statements inside `Database.transaction()`; only valid while that block runs.

    The block's BEGIN IMMEDIATE is sent with its first statement: before a read, in the
    same trip to the database thread (the thread runs one straight after the other, and
    a read needs no transaction to be harmless if the BEGIN failed); before a write,
    first and on its own, so a write never runs outside the transaction."""

    def __init__(self, conn: aiosqlite.Connection, *, begin: bool = False) -> None:
        self._conn = conn
        self._begin = begin
        self.begun = False  # a BEGIN was sent (it may have failed): roll back on error
        self.committed = False  # the COMMIT was sent with the last write
        self.changes = 0  # after the commit: the connection's changes count (see changes())

    async def execute(self, sql: str, params: Params = ()) -> int:
        """Run one statement; returns how many rows it changed."""
        await self._begun_alone()
        cursor = await self._conn.execute(sql, params)
        return cursor.rowcount

    async def insert(self, sql: str, params: Params = ()) -> int:
        """Run one INSERT; returns the new row's id."""
        await self._begun_alone()
        cursor = await self._conn.execute(sql, params)
        return int(cursor.lastrowid or 0)

    async def executemany(self, sql: str, rows: Iterable[Params]) -> None:
        await self._begun_alone()
        await self._conn.executemany(sql, rows)

    async def fetchone(self, sql: str, params: Params = ()) -> sqlite3.Row | None:
        """The first row. Every caller asks for one row (by key, an aggregate, or LIMIT 1),
        so reading it as `fetchall` does costs nothing and saves two trips."""
        rows = await self.fetchall(sql, params)
        return rows[0] if rows else None

    async def fetchall(self, sql: str, params: Params = ()) -> list[sqlite3.Row]:
        # One trip to the database thread (a cursor's execute, fetch and close are three).
        if not self._begin:
            return list(await self._conn.execute_fetchall(sql, params))
        self._begin, self.begun = False, True
        # Both queued now, in this order (gather starts its tasks in order), so the
        # thread runs the read inside the transaction without waiting for us in between.
        _, rows = await asyncio.gather(
            self._conn.execute("BEGIN IMMEDIATE"), self._conn.execute_fetchall(sql, params)
        )
        return list(rows)

    async def execute_and_commit(self, sql: str, params: Params = ()) -> None:
        """The transaction's one write, sent with its COMMIT in the same trip. Only for a
        block whose other statements were reads: SQLite undoes a failed statement on its
        own, so if this one fails the COMMIT queued behind it commits nothing, and the
        error is raised as from `execute`."""
        await self._begun_alone()
        self.committed = True
        await asyncio.gather(self._conn.execute(sql, params), self._conn.execute("COMMIT"))

    async def _begun_alone(self) -> None:
        if self._begin:
            self._begin, self.begun = False, True
            await self._conn.execute("BEGIN IMMEDIATE")


class Database:
    def __init__(self, conn: aiosqlite.Connection, path: Path) -> None:
        self._conn = conn
        self._lock = asyncio.Lock()
        self.path = path

    @classmethod
    async def open(cls, path: Path) -> Database:
        """Open (creating the folder and file if needed) and bring the schema up to date."""
        if str(path) != ":memory:":
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise DatabaseError(
                    f"cannot create the folder for {path}: {exc.strerror}"
                ) from None
        try:
            conn = await aiosqlite.connect(path, isolation_level=None)
        except sqlite3.Error as exc:
            raise DatabaseError(f"cannot open the database {path}: {exc}") from None
        conn.row_factory = sqlite3.Row
        db = cls(conn, path)
        try:
            await db._configure()
            await db.migrate()
        except BaseException:
            await conn.close()
            raise
        return db

    @classmethod
    async def open_reader(cls, path: Path) -> Database:
        """Open an existing database to read only (the public page beside a running bot):
        no folder or file is made, no migration applied, and SQLite refuses any write."""
        uri = _reader_uri(path)
        try:
            conn = await aiosqlite.connect(uri, uri=True, isolation_level=None)
        except sqlite3.Error as exc:
            raise DatabaseError(f"cannot open the database {path}: {exc}") from None
        conn.row_factory = sqlite3.Row
        db = cls(conn, path)
        try:
            await conn.execute("PRAGMA busy_timeout=5000")
            await conn.execute("PRAGMA query_only=ON")
            current, known = await db.schema_version(), len(migrations())
            if current != known:
                raise DatabaseError(
                    f"the database {path} is at schema {current}, this version reads {known}; "
                    "run `python -m bot migrate` (or start the bot) first"
                )
        except BaseException:
            await conn.close()
            raise
        return db

    async def _configure(self) -> None:
        try:
            # synchronous=NORMAL in WAL mode survives a killed process, which is the promise
            # we make; only a power cut may lose the last transactions. secure_delete zeroes
            # what a DELETE or UPDATE frees, so erased text does not linger in free space.
            for pragma in (
                "PRAGMA journal_mode=WAL",
                "PRAGMA foreign_keys=ON",
                "PRAGMA busy_timeout=5000",
                "PRAGMA synchronous=NORMAL",
                "PRAGMA secure_delete=ON",
            ):
                await self._conn.execute(pragma)
            # A read-only file opens fine; find out now rather than at the first write.
            await self._conn.execute("BEGIN IMMEDIATE")
            await self._conn.execute("ROLLBACK")
        except sqlite3.Error as exc:
            raise DatabaseError(f"cannot write to the database {self.path}: {exc}") from None

    async def change_mark(self) -> tuple[int, int]:
        """Changes whenever the data may have: a commit by another connection
        (`PRAGMA data_version`) or a row changed through this one (`total_changes`). Readers
        that cache what they made from the data (the public page) compare it."""
        row = await self.fetchone("PRAGMA data_version")
        return (int(row[0]) if row else 0, self._conn.total_changes)

    async def schema_version(self) -> int:
        row = await self.fetchone("PRAGMA user_version")
        return int(row[0]) if row else 0

    async def migrate(self) -> int:
        """Apply every migration newer than the file, each in its own transaction."""
        known = migrations()
        current = await self.schema_version()
        latest = known[-1].version if known else 0
        if current > latest:
            raise DatabaseError(
                f"the database {self.path} was created by a newer version of Podaj dalej "
                f"(schema {current}, this version knows {latest}); upgrade the bot or use a backup"
            )
        for migration in known[current:]:
            async with self._lock:
                script = (
                    f"BEGIN IMMEDIATE;\n{migration.sql}\n"
                    f"PRAGMA user_version = {migration.version};\nCOMMIT;"
                )
                try:
                    await self._conn.executescript(script)
                except sqlite3.Error as exc:
                    await self._conn.execute("ROLLBACK")
                    raise DatabaseError(f"migration {migration.name} failed: {exc}") from None
            log.info("applied migration %s", migration.name)
        return latest

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Transaction]:
        """BEGIN IMMEDIATE … COMMIT, or ROLLBACK on any exception (nothing at all for a
        block that ran no statement)."""
        async with self._lock:
            tx = Transaction(self._conn, begin=True)
            try:
                yield tx
                if tx.begun and not tx.committed:
                    await self._conn.execute("COMMIT")
                tx.changes = self.changes()
            except BaseException:
                if tx.begun:
                    # Shielded: a cancelled task must not leave the connection inside a
                    # transaction that every later BEGIN would trip over.
                    await asyncio.shield(self._rollback())
                raise

    def changes(self) -> int:
        """Rows changed through this connection so far (SQLite's total_changes): equal
        to a value noted right after a commit, nothing was written since — by this
        process, the only writer — so what that transaction saw and wrote is current."""
        return self._conn.total_changes

    async def _rollback(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            await self._conn.execute("ROLLBACK")

    async def execute(self, sql: str, params: Params = ()) -> int:
        """One statement in its own transaction (SQLite's autocommit); rows changed."""
        async with self._lock:
            return await Transaction(self._conn).execute(sql, params)

    async def insert(self, sql: str, params: Params = ()) -> int:
        """One INSERT in its own transaction; the new row's id."""
        async with self._lock:
            return await Transaction(self._conn).insert(sql, params)

    async def fetchone(self, sql: str, params: Params = ()) -> sqlite3.Row | None:
        async with self._lock:
            return await Transaction(self._conn).fetchone(sql, params)

    async def fetchall(self, sql: str, params: Params = ()) -> list[sqlite3.Row]:
        async with self._lock:
            return await Transaction(self._conn).fetchall(sql, params)

    async def checkpoint(self) -> bool:
        """Copy the write-ahead log into the database file and empty it (TRUNCATE), so
        older versions of changed pages are gone from the -wal file too. False when a
        reader (a running backup, say) kept it from finishing; the next one completes it."""
        row = await self.fetchone("PRAGMA wal_checkpoint(TRUNCATE)")
        done = row is not None and row[0] == 0
        if not done:
            log.warning(
                "the WAL checkpoint of %s could not finish: %s", self.path, tuple(row or ())
            )
        return done

    async def integrity_check(self) -> str:
        row = await self.fetchone("PRAGMA integrity_check")
        return str(row[0]) if row else "no answer"

    async def close(self) -> None:
        await self._conn.close()


def backup(source: Path, target: Path) -> None:
    """A consistent copy of a live database through SQLite's online backup API."""
    if not source.exists():
        raise DatabaseError(f"there is no database at {source}")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
            src.execute("PRAGMA busy_timeout=5000")
            src.backup(dst, pages=256)
    except (sqlite3.Error, OSError) as exc:
        raise DatabaseError(f"backup to {target} failed: {exc}") from None


def whole_second(at: datetime) -> datetime:
    """The time as the database will hold it: compare and schedule with this, not `at`."""
    return at.replace(microsecond=0)


def _reader_uri(path: Path) -> str:
    if not os.path.exists(path):
        raise DatabaseError(f"there is no database at {path}; start the bot once first")
    return f"file:{os.path.abspath(path)}?mode=ro"


def to_db(at: datetime) -> str:
    """Times are stored as UTC ISO text to the second, so text order is time order."""
    return at.astimezone(UTC).isoformat(timespec="seconds")


def from_db(text: str) -> datetime:
    return datetime.fromisoformat(text)
