"""The guide's commands, in every language, name real commands, and the complete ones work.

The guide to starting a group (data/guides/<lang>/local-group.md, `/group guide`, the web
page /guide) shows commands in backticks: some are templates (`/group near place:`), some
full examples in the reader's language (`/group propose …`, `/group meeting plan …
every:"co 3 miesiące"`). Each one must be read as the command it names; each whose required
options all have values runs through the console, in the order the guide gives them, as a
director who proposes a group that a moderator then approves — the way the guide tells it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.commands import Registry
from bot.console.parser import parse_command, read_command
from bot.groups.messages import GUIDE_FILE, guides_dir
from bot.i18n import SUPPORTED_LOCALES
from tests.helpers.console import open_console
from tests.test_command_examples import answers_refused, failures

COMMAND = re.compile(r"`(/[^`]+)`")


def guide_commands(locale: str) -> list[str]:
    return COMMAND.findall((guides_dir() / locale / GUIDE_FILE).read_text(encoding="utf-8"))


def complete(registry: Registry, text: str) -> bool:
    """Whether a shown command is an example to run, not a template with options to fill."""
    command, options = read_command(registry, text)
    given = {name for name, value in parse_command(text).options.items() if value}
    return set(options) <= given and all(o.name in given for o in command.options if o.required)


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
async def test_the_guide_shows_commands_that_work(locale: str, tmp_path: Path) -> None:
    session = await open_console(tmp_path / "guide.sqlite3", tmp_path / "files")
    try:
        await session.say(f"/setup server language:{locale}")
        shown = guide_commands(locale)
        assert any(c.startswith("/group propose ") for c in shown)
        assert any("every:" in c and "3 months" not in c for c in shown) or locale == "en"
        broken: list[str] = []
        for text in shown:
            if not complete(session.app.registry, text):
                continue
            with answers_refused() as refused:
                wrong = failures(await session.say(f"@ewa {text}"), refused)
                if text.startswith("/group propose "):
                    wrong += failures(await session.say("/group proposal approve id:1"), refused)
            if wrong:
                broken.append(f"{text}\n    → {wrong[0]}")
        assert not broken, f"{locale}: guide commands that do not work:\n" + "\n".join(broken)
    finally:
        await session.app.close()
