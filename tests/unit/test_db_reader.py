"""The public page's reader: opens an existing database read-only, never migrates or locks;
and whether a bot holds a database, read without taking its lock."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from bot.db import Database, DatabaseError, migrations
from bot.instance import held_elsewhere, hold


async def test_the_reader_refuses_writes_and_old_schemas(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    with pytest.raises(DatabaseError, match="there is no database"):
        await Database.open_reader(path)
    assert not path.exists()
    writer = await Database.open(path)
    reader = await Database.open_reader(path)
    try:
        assert await reader.schema_version() == len(migrations())
        with pytest.raises(sqlite3.OperationalError):
            await reader.execute("INSERT INTO users VALUES ('x:1', 'x', 'now')")
        # A commit by the writer changes the reader's change mark.
        before = await reader.change_mark()
        await writer.execute("INSERT INTO users VALUES ('x:1', 'x', 'now')")
        assert await reader.change_mark() != before
    finally:
        await reader.close()
        await writer.close()
    old = sqlite3.connect(path)
    old.execute("PRAGMA user_version = 3")
    old.close()
    with pytest.raises(DatabaseError, match="run `python -m bot migrate`"):
        await Database.open_reader(path)


def test_held_elsewhere_reads_the_lock_table_without_taking_the_lock(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    assert held_elsewhere(path) is False  # no lock file: no bot ever started here
    instance = hold(path)
    try:
        assert held_elsewhere(path) is True
    finally:
        instance.release()
    assert held_elsewhere(path) is False
