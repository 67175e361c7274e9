"""The one-instance lock: counted within a process, exclusive between processes."""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

import pytest

from bot.instance import InstanceLocked, hold, lock_path


def taken_elsewhere(lock: Path) -> bool:
    """Whether another open file (as another process would have) can take the lock."""
    fd = os.open(lock, os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False


def test_the_lock_is_counted_in_one_process_and_freed_by_the_last_release(
    tmp_path: Path,
) -> None:
    db = tmp_path / "sub" / "bot.sqlite3"
    first = hold(db)
    second = hold(db)  # `python -m bot run` holds it, and so does the app it opens
    lock = lock_path(db)
    assert lock == tmp_path / "sub" / "bot.sqlite3.lock"
    assert lock.read_text().strip() == str(os.getpid())
    second.release()
    assert taken_elsewhere(lock)
    first.release()
    assert not taken_elsewhere(lock)
    hold(db).release()  # and it can be taken again


def test_a_database_held_elsewhere_is_refused_with_one_line(tmp_path: Path) -> None:
    db = tmp_path / "bot.sqlite3"
    fd = os.open(lock_path(db), os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        os.write(fd, b"4242\n")
        with pytest.raises(InstanceLocked) as refused:
            hold(db)
        assert str(refused.value) == (
            f"the database {db} is in use by another Podaj dalej process (pid 4242); "
            "stop it first, or give this one another DATABASE_PATH"
        )
    finally:
        os.close(fd)
    hold(db).release()  # closing the other file let go of it


def test_two_names_of_one_database_share_one_lock(tmp_path: Path) -> None:
    db = tmp_path / "bot.sqlite3"
    db.touch()
    (tmp_path / "alias.sqlite3").symlink_to(db)
    held = hold(tmp_path / "alias.sqlite3")
    try:
        assert taken_elsewhere(lock_path(db))
    finally:
        held.release()
