from __future__ import annotations

import sqlite3
from pathlib import Path

import aiosqlite
import pytest

from bot.db import Database, DatabaseError, backup, migrations


async def test_migrations_apply_once_and_set_the_version(tmp_path: Path) -> None:
    path = tmp_path / "a.sqlite3"
    db = await Database.open(path)
    latest = migrations()[-1].version
    assert await db.schema_version() == latest
    await db.close()
    again = await Database.open(path)  # idempotent at every start
    assert await again.schema_version() == latest
    await again.close()


async def test_connection_settings(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "a.sqlite3")
    assert (await db.fetchone("PRAGMA journal_mode"))[0] == "wal"
    assert (await db.fetchone("PRAGMA foreign_keys"))[0] == 1
    assert (await db.fetchone("PRAGMA busy_timeout"))[0] == 5000
    await db.close()


async def test_a_newer_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA user_version = 999")
    with pytest.raises(DatabaseError, match="newer version"):
        await Database.open(path)


async def test_an_unwritable_path_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(DatabaseError, match="cannot"):
        await Database.open(blocker / "sub" / "db.sqlite3")


async def test_a_failed_transaction_leaves_nothing(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "a.sqlite3")

    async def crash_mid_write() -> None:
        async with db.transaction() as tx:
            await tx.execute(
                "INSERT INTO users (user_id, display_name, updated_at) VALUES ('x:1', 'a', 't')"
            )
            raise RuntimeError("crash mid-write")

    with pytest.raises(RuntimeError):
        await crash_mid_write()
    assert await db.fetchall("SELECT * FROM users") == []
    assert await db.integrity_check() == "ok"
    await db.close()


async def test_a_transaction_begins_with_its_first_statement(tmp_path: Path) -> None:
    """The BEGIN goes with the first read in one trip, the read sees the transaction's
    snapshot, a block with no statement sends nothing, and a write failing with the
    COMMIT sent behind it leaves nothing and raises."""
    db = await Database.open(tmp_path / "a.sqlite3")
    insert = "INSERT INTO users (user_id, display_name, updated_at) VALUES (?, 'a', 't')"
    async with db.transaction() as tx:
        assert await tx.fetchall("SELECT * FROM users") == []
        await tx.execute(insert, ("x:1",))
    async with db.transaction():
        pass
    changes = db.changes()

    async def the_same_key_again() -> None:
        async with db.transaction() as tx:
            await tx.fetchone("SELECT count(*) FROM users")
            await tx.execute_and_commit(insert, ("x:1",))

    with pytest.raises(sqlite3.IntegrityError):
        await the_same_key_again()
    assert db.changes() == changes
    async with db.transaction() as tx:
        await tx.execute_and_commit(insert, ("x:2",))
    assert tx.changes == db.changes() == changes + 1
    assert [r["user_id"] for r in await db.fetchall("SELECT user_id FROM users")] == ["x:1", "x:2"]
    async with db.transaction() as tx:  # the connection is not left in a transaction
        await tx.execute(insert, ("x:3",))
    assert await db.integrity_check() == "ok"
    await db.close()


async def test_backup_of_a_live_database(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "live.sqlite3")
    await db.execute(
        "INSERT INTO users (user_id, display_name, updated_at) VALUES ('x:1', 'Anna', 't')"
    )
    backup(tmp_path / "live.sqlite3", tmp_path / "copy.sqlite3")
    with sqlite3.connect(tmp_path / "copy.sqlite3") as copy:
        assert copy.execute("SELECT display_name FROM users").fetchall() == [("Anna",)]
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    await db.close()


def test_migration_files_are_numbered_without_gaps() -> None:
    versions = [m.version for m in migrations()]
    assert versions == list(range(1, len(versions) + 1))


async def test_erased_text_leaves_no_bytes_whatever_sqlite_was_built_with(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Some builds (Debian's) zero freed space by default, others (python.org's) do not:
    the database turns secure_delete on itself, and a checkpoint empties the WAL."""
    real_connect = aiosqlite.connect

    async def connect_as_a_build_without_it(*args: object, **kwargs: object) -> object:
        conn = await real_connect(*args, **kwargs)  # type: ignore[arg-type]
        await conn.execute("PRAGMA secure_delete=OFF")
        return conn

    monkeypatch.setattr(aiosqlite, "connect", connect_as_a_build_without_it)
    path = tmp_path / "erase.sqlite3"
    db = await Database.open(path)
    try:
        assert (await db.fetchone("PRAGMA secure_delete"))[0] == 1
        secret = "tajemnica-5k3v9q"
        await db.execute(
            "INSERT INTO users (user_id, display_name, updated_at) VALUES ('x:1', ?, 't')",
            (secret,),
        )
        await db.checkpoint()
        assert secret.encode() in path.read_bytes()
        await db.execute("DELETE FROM users WHERE user_id = 'x:1'")
        assert await db.checkpoint()
        assert path.with_name(path.name + "-wal").stat().st_size == 0
        assert secret.encode() not in path.read_bytes()
    finally:
        await db.close()
