"""Snoozing a repeating reminder in the console run as a process: Jan's hourly coffee
arrives, he presses Snooze 10 min twice (a double click) and gets one snooze, then 1 hour,
which is the series' own next time, so the snooze is cancelled and nothing doubles it; in
Dutch he snoozes by typing, moves that snooze, and switches the repetition off with
"uit"."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .test_console_cli import console

SCRIPT = """\
@jan /remind me when:"za 10 minut" what:"kawa" every:"co godzinę"
/clock advance by:10m
@jan /press id:remind:snooze:1:10m
@jan /press id:remind:snooze:1:10m
@jan /press id:remind:snooze:1:1h
@jan /remind list
@jan /settings language language:nl
@jan /remind snooze id:1 by:"5 min"
@jan /remind snooze id:1 by:"20 min"
@jan /remind edit id:1 every:"uit"
@jan /remind list
"""


def answer(events: list[dict[str, Any]], line: int) -> str:
    return next(e["text"] for e in events if e["reply_to"] == line and e["to"] == "jan")


def test_snooze_pressed_twice_makes_one_snooze_and_off_is_confirmed(tmp_path: Path) -> None:
    events = console(tmp_path, SCRIPT)

    first = answer(events, 3)
    assert first.startswith("⏰ Przypomnienie #2:")
    assert answer(events, 4) == first  # the second click: the same answer, no new reminder
    at_next = answer(events, 5)
    assert at_next.startswith("🔁 Przypomnienie #1 i tak wróci o swojej porze — następne:")
    assert "przypomnienie #2 jest odwołane" in at_next
    listed = answer(events, 6)
    assert listed.count("kawa") == 1 and "`#1`" in listed and "`#2`" not in listed

    assert answer(events, 8).startswith("⏰ Herinnering #2:")
    assert answer(events, 9).startswith("⏰ Herinnering #2 verzet — nieuwe tijd:")
    off = answer(events, 10)
    assert off.startswith("⏰ Herinnering #1:")
    assert off.endswith("Herhaling verwijderd: de herinnering komt nog maar één keer.")
    listed = answer(events, 11)
    assert listed.count("kawa") == 2 and "🔁" not in listed
