"""The `python -m bot import …` commands: open the database, run one importer, report."""

from __future__ import annotations

from pathlib import Path

from bot.clock import SystemClock
from bot.config import Settings
from bot.db import Database
from bot.geography.places import Gazetteer
from bot.groups.importer import import_groups


async def run_import(
    settings: Settings, path: Path, *, dry_run: bool, guild: str | None
) -> tuple[bool, list[str]]:
    """(no errors, the report's lines)."""
    db = await Database.open(settings.database_path)
    try:
        plan, lines = await import_groups(
            db, SystemClock(), Gazetteer.load(), path, dry_run=dry_run, guild=guild
        )
    finally:
        await db.close()
    return not plan.errors, lines
