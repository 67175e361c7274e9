"""The welcome in the console run as a process: the admin places the "Start here" message
in #witamy; Ola, new, presses its "Find a group near me" — the console has no forms, so the
answer says what to type — asks for "Krocyce" (a typo: the towns meant come back), then for
Kroczyce, gets the group in Pilica with its distance and joins it with its button; she sets
her language with the settings button and sees what is coming up for everyone, never a
group's own meeting."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .test_console_cli import console

SCRIPT = """\
/setup server forum:#ogloszenia welcome:#witamy
/group create name:Pilica city:Pilica
/event create title:"Forum dyrektorów" kind:forum when:"20 stycznia o 10" duration:3h
/event create title:"Spotkanie w Pilicy" kind:group group:Pilica when:"18 stycznia o 10" \
duration:2h
@ola /start
@ola #witamy /press id:welcome-near
@ola /start place:Krocyce
@ola /start place:Kroczyce
@ola /press id:group:join:1
@ola /press id:welcome:events
@ola /press id:welcome:settings
@ola /press id:welcome:language:en
@ola /start
"""


def answer(events: list[dict[str, Any]], line: int) -> dict[str, Any]:
    [found] = [e for e in events if e["reply_to"] == line and e["to"] == "ola"]
    return found


def test_a_newcomer_finds_the_group_in_pilica_from_kroczyce_and_joins(tmp_path: Path) -> None:
    events = console(tmp_path, SCRIPT)

    [start_here] = [e for e in events if e["reply_to"] == 1 and e["channel"] == "witamy"]
    assert start_here["text"].startswith("**Zacznij tutaj** 👋")
    ways = ["welcome-near", "welcome:settings", "welcome:events"]
    assert [b["id"] for b in start_here["buttons"]] == ways

    card = answer(events, 5)
    assert card["text"].startswith("👋 Witaj w sieci Podaj dalej!")
    assert [b["id"] for b in card["buttons"]] == ways
    assert "/start place:Kroczyce" in answer(events, 6)["text"]
    assert answer(events, 7)["text"].startswith(
        "Nie znam miejscowości „Krocyce”. Czy chodzi o: Kroczyce"
    )
    near = answer(events, 8)
    assert near["text"].splitlines() == [
        "Najbliższe grupy — Kroczyce (śląskie, PL):",
        "• **Pilica** — Pilica (śląskie, PL) · 12 km",
    ]
    assert near["buttons"] == [{"id": "group:join:1", "label": "Dołącz: Pilica", "disabled": False}]
    assert answer(events, 9)["text"].startswith("Witaj w grupie **Pilica**")

    coming = answer(events, 10)
    assert "Forum dyrektorów" in str(coming) and "Spotkanie w Pilicy" not in str(coming)
    assert [b["id"] for b in coming["buttons"]] == ["event:rsvp:1:going"]

    assert "welcome:language:en" in [b["id"] for b in answer(events, 11)["buttons"]]
    assert answer(events, 12)["text"] == "I will write to you in English."
    assert answer(events, 13)["text"].startswith("👋 Welcome to the Podaj dalej network!")
