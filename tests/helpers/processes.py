"""The bot as a process, the way an operator starts it: for the CLI, kill -9 and restart stories."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.helpers.clock import START

ROOT = Path(__file__).resolve().parents[2]
# The settable clock's start for console processes (`--now`).
CONSOLE_NOW = START.isoformat()


def bot_env() -> dict[str, str]:
    """This environment without settings that would point the bot elsewhere, and with the
    checkout importable."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "DEFAULT_"))}
    clean["PYTHONPATH"] = str(ROOT)
    return clean


def console_command(db: Path, files: Path, now: str = CONSOLE_NOW) -> list[str]:
    """`python -m bot console` on its own database and files, JSON out, settable clock."""
    return [
        sys.executable,
        "-m",
        "bot",
        "console",
        "--db",
        str(db),
        "--json",
        "--now",
        now,
        "--files",
        str(files),
    ]


def open_console(db: Path, files: Path, lines: list[str]) -> subprocess.Popen[str]:
    """A console process already given `lines`; its stdin stays open, so it waits for more
    instead of exiting (the kill -9 stories kill it while it works)."""
    proc = subprocess.Popen(
        console_command(db, files),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=bot_env(),
        cwd=ROOT,
    )
    assert proc.stdin is not None and proc.stdout is not None
    proc.stdin.write("".join(line + "\n" for line in lines))
    proc.stdin.flush()
    return proc
