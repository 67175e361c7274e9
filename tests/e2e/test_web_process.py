"""The public page as processes: alone beside a running bot (reading, no lock, no
scheduler), and inside the bot's process when WEB_ENABLED is true."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from .test_console_cli import NOW, ROOT
from .test_one_instance import start_console

WAIT_S = 30.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def get(port: int, path: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def wait_for(port: int, proc: subprocess.Popen[str]) -> dict[str, object]:
    """The first /health answer once the page listens (the process starts in ~1-2 s)."""
    deadline = time.monotonic() + WAIT_S
    while time.monotonic() < deadline:
        assert proc.poll() is None, proc.communicate()
        try:
            return json.loads(get(port, "/health")[1])
        except OSError:
            time.sleep(0.1)  # a real process starting: nothing to advance but the wall clock
    raise AssertionError("the page did not start")


def web_env(db: Path, port: int, **more: str) -> dict[str, str]:
    return {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "DATABASE_PATH": str(db),
        "WEB_PORT": str(port),
        "DISCORD_TOKEN": "",
        "MATRIX_HOMESERVER": "",
        **more,
    }


def test_the_page_alone_reads_beside_the_running_bot(tmp_path: Path) -> None:
    db = tmp_path / "net.sqlite3"
    bot = start_console(db)  # holds the database's lock, runs the scheduler
    port = free_port()
    web = subprocess.Popen(
        [sys.executable, "-m", "bot", "web"],
        env=web_env(db, port),
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        health = wait_for(port, web)  # it started although the bot holds the lock
        assert health["database"] is True and health["scheduler"] is True
        status, html = get(port, "/")
        assert status == 200 and '<html lang="pl">' in html
        assert get(port, "/events")[0] == 200
        bot.kill()
        bot.wait()
        # The writer is gone: /health says so, and the page still reads.
        status, text = get(port, "/health")
        assert status == 503 and json.loads(text)["scheduler"] is False
        assert get(port, "/")[0] == 200
    finally:
        bot.kill()
        web.send_signal(signal.SIGTERM)
        _out, err = web.communicate(timeout=WAIT_S)
    assert web.returncode == 0, err


def test_web_enabled_serves_the_page_inside_the_bot(tmp_path: Path) -> None:
    db = tmp_path / "net.sqlite3"
    port = free_port()
    bot = subprocess.Popen(
        [sys.executable, "-m", "bot", "console", "--now", NOW, "--json"],
        env=web_env(db, port, WEB_ENABLED="true"),
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert bot.stdin is not None and bot.stdout is not None
    try:
        bot.stdin.write("/setup server public:yes\n")
        bot.stdin.write("/group create name:Jura city:Kraków\n")
        bot.stdin.flush()
        bot.stdout.readline()
        bot.stdout.readline()
        health = wait_for(port, bot)
        assert health["database"] is True and health["scheduler"] is True
        status, html = get(port, "/")
        assert status == 200 and "/groups/1-jura" in html
    finally:
        bot.stdin.close()
        bot.wait(timeout=WAIT_S)
    assert bot.returncode == 0


def test_the_page_alone_needs_an_existing_database(tmp_path: Path) -> None:
    missing = tmp_path / "none.sqlite3"
    done = subprocess.run(
        [sys.executable, "-m", "bot", "web"],
        env=web_env(missing, free_port()),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=WAIT_S,
    )
    assert done.returncode == 2
    assert done.stderr.strip() == (
        f"podaj-dalej: there is no database at {missing}; start the bot once first"
    )
    assert not missing.exists()
