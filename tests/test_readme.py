"""The README's examples work: a changed example that no longer does fails here.

Three kinds of example, each checked the way a reader would use it:
- the console session to paste runs, line by line, without a refusal or an error;
- each feature's example is one of the commands' own examples, which
  tests/test_command_examples.py runs in every language;
- every other command written in the text names a command that exists, with options it has.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import pytest

from bot.commands import Registry
from bot.console.parser import read_command
from bot.errors import UserError
from bot.i18n import t
from tests.helpers.console import ConsoleSession, open_console
from tests.helpers.processes import ROOT
from tests.test_command_examples import answers_refused, failures

README = (ROOT / "README.md").read_text(encoding="utf-8")
# "Paste this into `python -m bot console --now …`", then a fenced block.
_SESSION = re.compile(r"Paste this into `[^`]*--now (\S+?)`.*?\n```\n(.*?)\n```", re.DOTALL)
# `/command …` in running text and tables; `/calendar.ics` is an address, not a command.
_INLINE = re.compile(r"`(/[a-z][^`.]*)`")
_FEATURES = re.compile(r"^\| [^|]+ \| [^|]+ \| `(/[^`]+)` \|$", re.MULTILINE)


def _session() -> tuple[datetime, list[str]]:
    match = _SESSION.search(README)
    assert match, "the README's console session to paste is missing"
    return datetime.fromisoformat(match[1]), match[2].splitlines()


async def _console(tmp_path: Path, now: datetime | None = None) -> ConsoleSession:
    if now is None:
        return await open_console(tmp_path / "readme.sqlite3", tmp_path / "files")
    return await open_console(tmp_path / "readme.sqlite3", tmp_path / "files", now=now)


async def test_the_console_session_to_paste_runs_without_a_refusal(tmp_path: Path) -> None:
    now, lines = _session()
    assert len(lines) >= 5
    session = await _console(tmp_path, now)
    try:
        with answers_refused() as refused:
            for line in lines:
                events = await session.say(line)
                assert not failures(events, refused), f"README: {line} → {events}"
    finally:
        await session.app.close()


def test_each_features_example_is_a_command_example_that_is_run() -> None:
    examples = _FEATURES.findall(README)
    assert len(examples) >= 10, "the README's feature table lost its examples"
    known = {t(f"cmd.{key}.example", locale="pl") for key in _example_keys()}
    missing = [example for example in examples if example not in known]
    assert not missing, f"README examples that no test runs: {missing}"


def _example_keys() -> list[str]:
    catalog = (ROOT / "bot/i18n/locales/pl/LC_MESSAGES/messages.po").read_text(encoding="utf-8")
    return re.findall(r'^msgid "cmd\.(.+)\.example"$', catalog, re.MULTILINE)


async def test_every_command_the_readme_names_exists_with_its_options(tmp_path: Path) -> None:
    written = sorted(set(_INLINE.findall(README)))
    assert len(written) >= 15
    session = await _console(tmp_path)
    try:
        for text in written:
            _check(session.app.registry, text.replace("…", "x"))
    finally:
        await session.app.close()


def _check(registry: Registry, text: str) -> None:
    """A UserError for an unknown command, an AssertionError for an unknown option."""
    command, options = read_command(registry, text)
    unknown = [name for name in options if command.option(name) is None]
    assert not unknown, f"README: {text} — /{command.path} has no {unknown}"


@pytest.mark.parametrize("text", ["/remind me wen:jutro", "/nothing here"])
async def test_a_wrong_command_in_the_readme_would_be_caught(tmp_path: Path, text: str) -> None:
    session = await _console(tmp_path)
    try:
        with pytest.raises((UserError, AssertionError)):
            _check(session.app.registry, text)
    finally:
        await session.app.close()
