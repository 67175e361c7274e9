"""The console room as a person uses it: where a line is said, and the files it writes."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from tests.helpers.console import ConsoleSession, open_console


async def test_channel_and_person_may_come_in_either_order(console: ConsoleSession) -> None:
    line = '#jura @ewa /remind me when:"za godzinę" what:"Protokół"'
    [answer] = [e for e in await console.say(line) if e["reply_to"] == 1]
    assert (answer["channel"], answer["to"]) == ("jura", "ewa")
    assert answer["created"] == {"type": "reminder", "id": 1}


async def test_a_new_session_numbers_its_files_after_the_earlier_ones(tmp_path: Path) -> None:
    files = tmp_path / "files"
    written: list[str] = []
    for who in ("anna", "jan"):
        session = await open_console(tmp_path / "c.sqlite3", files)
        try:
            await session.say(f'@{who} /remind me when:"jutro o 18" what:"{who}"')
            events = await session.say(f"@{who} /privacy export")
        finally:
            await session.app.close()
        [path] = [p for e in events for p in e["files"]]
        written.append(path)
    assert [Path(p).name[:4] for p in written] == ["001-", "002-"]
    # The first session's export is still anna's, not overwritten by jan's.
    first = json.loads(await asyncio.to_thread(Path(written[0]).read_text, "utf-8"))
    assert first["data"]["reminders"][0]["text"] == "anna"
