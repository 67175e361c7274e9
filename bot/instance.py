"""One running bot per database: an exclusive lock on `<database>.lock`, held for the
process's life.

Two processes on one database would both deliver every reminder, offer and notice. The lock
is `flock` on a file beside the database, so the operating system lets go of it when the
process ends however it ends — `kill -9` and a power cut included — and a stale lock file
never blocks a start. `backup` and `export-data` only read and do not take it.

Within one process the lock is counted, not taken twice: `python -m bot run` takes it before
logging in (so a second instance stops before touching the network) and the app it opens
takes it again; tests may open an app more than once in one process.
"""

from __future__ import annotations

import fcntl
import os
from dataclasses import dataclass
from pathlib import Path

from bot.db import DatabaseError


class InstanceLocked(DatabaseError):
    """Another process holds the database; the message is the one line for the operator."""


@dataclass
class _Held:
    fd: int
    count: int


_HELD: dict[Path, _Held] = {}


def lock_path(database: Path) -> Path:
    """`data/podaj-dalej.sqlite3` → `data/podaj-dalej.sqlite3.lock` (symlinks resolved, so
    two names of one file share one lock)."""
    real = database.resolve()
    return real.with_name(real.name + ".lock")


@dataclass(frozen=True)
class Instance:
    """A hold on the database's lock; `release` gives it back (the last one unlocks)."""

    path: Path | None

    def release(self) -> None:
        if self.path is None:
            return
        held = _HELD.get(self.path)
        if held is None:
            return
        held.count -= 1
        if held.count == 0:
            del _HELD[self.path]
            os.close(held.fd)  # closing the descriptor releases the flock


def hold(database: Path) -> Instance:
    """Take the database's lock, or raise InstanceLocked naming the process that has it."""
    if str(database) == ":memory:":
        return Instance(None)
    path = lock_path(database)
    held = _HELD.get(path)
    if held is not None:
        held.count += 1
        return Instance(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DatabaseError(f"cannot create the folder for {database}: {exc.strerror}") from None
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise DatabaseError(f"cannot create the lock file {path}: {exc.strerror}") from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        owner = _read_pid(fd)
        os.close(fd)
        who = f" (pid {owner})" if owner else ""
        raise InstanceLocked(
            f"the database {database} is in use by another Podaj dalej process{who}; "
            "stop it first, or give this one another DATABASE_PATH"
        ) from None
    # The pid is only for the message above; the lock itself is what counts.
    os.ftruncate(fd, 0)
    os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
    _HELD[path] = _Held(fd, 1)
    return Instance(path)


def _read_pid(fd: int) -> str:
    try:
        text = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
    except OSError:
        return ""
    return text if text.isdigit() else ""


def held_elsewhere(database: Path) -> bool | None:
    """Whether a running bot holds the database (from the kernel's lock table, without
    taking the lock even for a moment: the public page asks this for /health). None when
    it cannot tell (no /proc/locks, or no lock file yet means no bot started here)."""
    path = lock_path(database)
    try:
        inode = path.stat().st_ino
    except OSError:
        return False
    try:
        table = Path("/proc/locks").read_text(encoding="ascii", errors="replace")
    except OSError:
        return None
    for line in table.splitlines():
        fields = line.split()
        # "1: FLOCK  ADVISORY  WRITE 1234 08:01:5678 0 EOF"
        if len(fields) >= 6 and fields[1] == "FLOCK" and fields[5].endswith(f":{inode}"):
            return True
    return False
