from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.helpers.console import ConsoleSession, open_console

# Settings come from the test, never from a developer's .env or shell.
for _name in (
    "DISCORD_TOKEN",
    "DATABASE_PATH",
    "DEFAULT_LOCALE",
    "DEFAULT_TIMEZONE",
    "DEV_GUILD_ID",
):
    os.environ.pop(_name, None)


@pytest.fixture
async def console(tmp_path: Path) -> AsyncIterator[ConsoleSession]:
    session = await open_console(tmp_path / "test.sqlite3", tmp_path / "files")
    try:
        yield session
    finally:
        await session.app.close()


@pytest.fixture
async def console_registry_paths(console: ConsoleSession) -> list[tuple[str, list[str]]]:
    """Every command of the running app (console included) with its option names."""
    return [(c.path, [o.name for o in c.options]) for c in console.app.registry.all()]
