"""No stored rule can hang the bot, in the console run as a process (each run is bounded by
the helper's timeout, so a hang fails the story instead of stalling it): the INTERVAL=0
series is refused at once and the next line is answered; a row saved with that rule before
the checks existed is set aside at start, its owner and the log channel told."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from .test_console_cli import console

SETUP = """\
/setup server forum:#ogloszenia log:#dziennik
/role grant user:@piotr role:initiator
/group create name:Beskid city:Bielsko-Biała initiator:@piotr
@piotr #beskid /event series create title:S kind:group first:"jutro 10:00" \
every:"FREQ=WEEKLY;INTERVAL=0" duration:1h
@piotr #beskid /event series create title:S kind:group first:"jutro 10:00" \
every:"FREQ=DAILY;BYHOUR=0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23;\
BYMINUTE=0,20,40" duration:1h
@piotr #beskid /event series create title:Spotkanie kind:group first:"za tydzień 10:00" \
every:weekly duration:1h
@piotr /event list
"""

LATER = """\
@piotr /event list
/clock advance by:14d
@piotr #beskid /event series stop series:1
"""


def answers(events: list[dict[str, Any]], line: int) -> list[str]:
    return [e["text"] for e in events if e["reply_to"] == line]


def test_interval_zero_is_refused_and_a_saved_one_is_set_aside_at_start(tmp_path: Path) -> None:
    events = console(tmp_path, SETUP)
    [refused] = answers(events, 4)
    assert "co 0 tygodni" in refused and "„FREQ=WEEKLY;INTERVAL=2”" in refused
    [too_often] = answers(events, 5)
    assert "72 razy dziennie" in too_often
    made = [e for e in events if e["reply_to"] == 6 and e["created"]]
    assert made and made[0]["created"] == {"type": "series", "id": 1}
    assert answers(events, 7)  # still answering
    # Announced in the group's channel 14 days ahead: 22 and 29 January.
    assert sum(1 for e in events if e["channel"] == "beskid" and e["embeds"]) == 2

    # An older version saved INTERVAL=0: its job (due on 22 January) would spin for ever.
    with sqlite3.connect(tmp_path / "c.sqlite3") as db:
        db.execute("UPDATE event_series SET rule = 'FREQ=WEEKLY;INTERVAL=0' WHERE id = 1")
    later = console(tmp_path, LATER)
    told = [e for e in later if e["channel"] is None and e["to"] == "piotr"]
    assert len(told) == 1 and told[0]["text"].startswith("Odłożyłem na bok cykl #1 **Spotkanie**")
    assert "co 0 tygodni" in told[0]["text"]
    logged = [e for e in later if e["channel"] == "dziennik" and "odłożono na bok" in e["text"]]
    assert len(logged) == 1
    assert answers(later, 1)  # the bot started and answers
    assert "już zakończony" in answers(later, 3)[0]
    # Two weeks on, nothing more was made from it.
    assert not [e for e in later if e["channel"] == "beskid" and e["embeds"]]
    with sqlite3.connect(tmp_path / "c.sqlite3") as db:
        row = db.execute("SELECT status, set_aside FROM event_series WHERE id = 1").fetchone()
    assert row == ("stopped", "error.rule.interval")
