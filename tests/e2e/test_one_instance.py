"""One running bot per database: a second process refuses to start; kill -9 frees the lock."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

from .discord_double.harness import Harness
from .test_console_cli import NOW, ROOT, bot


def start_console(db: Path) -> subprocess.Popen[str]:
    """A console that keeps running while its stdin stays open, past its first answer."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "console", "--db", str(db), "--now", NOW, "--json"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        cwd=ROOT,
    )
    assert proc.stdin is not None and proc.stdout is not None
    proc.stdin.write('@anna /remind me when:"jutro o 9" what:"kawa"\n')
    proc.stdin.flush()
    first = json.loads(proc.stdout.readline())  # it answered: it holds the database
    assert first["reply_to"] == 1, first
    return proc


def test_a_second_process_on_the_same_database_refuses_to_start(tmp_path: Path) -> None:
    db = tmp_path / "one.sqlite3"
    first = start_console(db)
    try:
        for command in (["console"], ["migrate"], ["run"], ["matrix"]):
            second = bot(
                *command,
                stdin="/settings show\n",
                env={
                    "DATABASE_PATH": str(db),
                    "DISCORD_TOKEN": "a.b.c",
                    "MATRIX_HOMESERVER": "https://matrix.invalid",
                    "MATRIX_USER": "@podaj:matrix.invalid",
                    "MATRIX_PASSWORD": "x",
                },
            )
            assert second.returncode == 2, (command, second.stderr)
            assert second.stdout == ""
            [line] = second.stderr.splitlines()
            assert line == (
                f"podaj-dalej: the database {db} is in use by another Podaj dalej process "
                f"(pid {first.pid}); stop it first, or give this one another DATABASE_PATH"
            )
        # Reading beside the running bot still works.
        copy = bot("backup", str(tmp_path / "copy.sqlite3"), env={"DATABASE_PATH": str(db)})
        assert copy.returncode == 0, copy.stderr
        export = bot("export-data", str(tmp_path / "all.json"), env={"DATABASE_PATH": str(db)})
        assert export.returncode == 0, export.stderr
        tables = json.loads((tmp_path / "all.json").read_text("utf-8"))["tables"]
        assert [r["text"] for r in tables["reminders"]] == ["kawa"]
    finally:
        first.send_signal(signal.SIGKILL)  # a crash: no chance to unlock anything
        first.communicate(timeout=30)
    assert (tmp_path / "one.sqlite3.lock").exists()  # the file stays; the lock went with it
    after = bot("console", "--db", str(db), "--now", NOW, "--json", stdin="@anna /remind list\n")
    assert after.returncode == 0, after.stderr
    assert "kawa" in json.loads(after.stdout.splitlines()[0])["text"]


async def test_a_second_discord_bot_stops_before_logging_in(dc_proc: Harness) -> None:
    """The real bot runs in its own process on the double; a second `run` on its database
    stops at once (before any login), and after a kill -9 the restarted bot delivers once."""
    await dc_proc.slash("jan", "remind me", when="za 10 min", what="oddzwonić")
    env = {"DISCORD_TOKEN": "a.b.c", "DATABASE_PATH": str(dc_proc.context.db_path)}
    second = await asyncio.to_thread(bot, "run", env=env)
    assert second.returncode == 2
    [line] = second.stderr.splitlines()
    assert "is in use by another Podaj dalej process (pid " in line
    await dc_proc.kill_and_restart()  # SIGKILL: the lock goes with the process
    await dc_proc.advance("15m")
    assert [m.content.count("oddzwonić") for m in dc_proc.dms("jan")] == [1]
