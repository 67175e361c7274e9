"""The interactive console at a real terminal (a pseudo-terminal): the banner in the
console's language, Tab completion, the history of earlier lines, Ctrl-D and Ctrl-C."""

from __future__ import annotations

import fcntl
import os
import select
import subprocess
import sys
import termios
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers.processes import CONSOLE_NOW, ROOT, bot_env

TAB, UP, CTRL_C, CTRL_D = "\t", "\x1b[A", "\x03", "\x04"


class Terminal:
    """A person at a terminal: types keys, reads what the screen shows."""

    def __init__(self, tmp_path: Path, *extra: str) -> None:
        self._fd, worker = os.openpty()
        self.screen = ""
        self._seen = 0  # where the next wait_for starts reading
        self.proc = subprocess.Popen(
            [
                *(sys.executable, "-m", "bot", "console", "--db", str(tmp_path / "c.sqlite3")),
                *("--now", CONSOLE_NOW, "--files", str(tmp_path / "files"), *extra),
            ],
            stdin=worker,
            stdout=worker,
            stderr=worker,
            env={**bot_env(), "TERM": "xterm"},
            cwd=ROOT,
            # Its own session, with this terminal as its controlling one: Ctrl-C is a signal.
            start_new_session=True,
            preexec_fn=_control_terminal,
        )
        os.close(worker)

    def type(self, keys: str) -> None:
        os.write(self._fd, keys.encode())

    def wait_for(self, text: str, timeout_s: float = 60) -> str:
        """Reads until `text` is on the screen after what was waited for before; returns
        the screen from there up to the end of `text`."""
        deadline = time.monotonic() + timeout_s
        while (found := self.screen.find(text, self._seen)) < 0:
            left = deadline - time.monotonic()
            assert left > 0, (
                f"{text!r} never appeared; the screen shows {self.screen[self._seen :]!r}"
            )
            if select.select([self._fd], [], [], left)[0]:
                try:
                    self.screen += os.read(self._fd, 65536).decode("utf-8", "replace")
                except OSError:  # the console has ended and closed the terminal
                    assert text in self.screen[self._seen :], self.screen[self._seen :]
        shown, self._seen = self.screen[self._seen : found + len(text)], found + len(text)
        return shown

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(timeout=30)
        os.close(self._fd)


def _control_terminal() -> None:
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Terminal]:
    person = Terminal(tmp_path, "--locale", "en")
    try:
        yield person
    finally:
        person.close()


def test_tab_completes_and_an_earlier_line_comes_back(terminal: Terminal, tmp_path: Path) -> None:
    banner = terminal.wait_for("> ")
    assert banner.startswith("Podaj dalej — console. Type /help")  # --locale en
    terminal.type(f"/clo{TAB}adv{TAB}b{TAB}2h\r")
    assert "/clock advance by:2h" in terminal.wait_for("12:00")
    terminal.wait_for("> ")
    terminal.type(f"{UP}\r")  # the same line again, from the history
    terminal.wait_for("14:00")
    terminal.wait_for("> ")
    terminal.type(CTRL_D)
    assert terminal.proc.wait(timeout=60) == 0
    history = (tmp_path / "c.history").read_text("utf-8")
    assert "/clock advance by:2h" in history


def test_ctrl_c_ends_the_console_at_once(terminal: Terminal) -> None:
    terminal.wait_for("> ")
    terminal.type("/remind me wh")
    terminal.type(CTRL_C)
    assert terminal.proc.wait(timeout=60) == 130
