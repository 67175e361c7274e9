"""A sign-up the user was told about survives `kill -9` (DESIGN.md rule 4).

The console runs as a process, as a user starts it, fed a burst of join lines; after some
acknowledgements were printed it is killed with SIGKILL, started again on the same file,
and every acknowledged join must be in the database (the capacity still never exceeded).
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

from tests.helpers.processes import ROOT, bot_env, console_command, open_console

JOINS = 300
KILL_AFTER = 80  # acknowledgements read before the kill
CAPACITY = 20


def _ack(event: dict[str, Any]) -> str | None:
    """The user a join was confirmed to (a seat or a waitlist place), else None."""
    text = event.get("text", "")
    if event.get("ephemeral") and ("Zapisano Cię" in text or "na pozycji" in text):
        return str(event["to"])
    return None


def _events(lines: list[str]) -> list[dict[str, Any]]:
    out = []
    for line in lines:
        with contextlib.suppress(json.JSONDecodeError):  # the last line may be cut by the kill
            out.append(json.loads(line))
    return out


def test_every_acknowledged_join_survives_kill_9(tmp_path: Path) -> None:
    db, files = tmp_path / "d.sqlite3", tmp_path / "files"
    script = [f'/signup create title:Superwizja slots:"2026-01-20 10:00" capacity:{CAPACITY}']
    script += [f"@u{i:03d} /signup join sheet:1 slot:1" for i in range(JOINS)]
    proc = open_console(db, files, script)
    assert proc.stdout is not None
    read: list[str] = []
    acked: list[str] = []
    try:
        while len(acked) < KILL_AFTER:
            line = proc.stdout.readline()
            assert line, "the console stopped before the kill"
            read.append(line)
            who = _ack(_events([line])[0]) if line.strip() else None
            if who:
                acked.append(who)
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    # Whatever was printed before the kill counts as acknowledged too.
    acked += [who for e in _events(proc.stdout.read().splitlines()) if (who := _ack(e))]
    proc.stdout.close()
    proc.stdin.close()
    assert proc.returncode == -signal.SIGKILL
    assert KILL_AFTER <= len(acked) < JOINS, "the kill should come in the middle of the burst"

    # Start again on the same file: it opens, recovers the WAL and answers.
    again = subprocess.run(
        console_command(db, files),
        input="@u000 /signup status sheet:1\n",
        capture_output=True,
        text=True,
        timeout=60,
        env=bot_env(),
        cwd=ROOT,
        check=False,
    )
    assert again.returncode == 0, again.stderr
    assert "Twoje zapisy" in json.loads(again.stdout.splitlines()[-1])["text"]

    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        rows = conn.execute(
            "SELECT user_id, status FROM signup_entries WHERE sheet_id = 1 ORDER BY seq"
        ).fetchall()
    stored = [user.removeprefix("console:") for user, _ in rows]
    missing = sorted(set(acked) - set(stored))
    assert not missing, f"acknowledged but lost: {missing}"
    assert stored[: len(acked)] == sorted(acked)  # arrival order, nobody skipped
    confirmed = [user for user, status in rows if status == "confirmed"]
    assert len(confirmed) == min(CAPACITY, len(rows))
