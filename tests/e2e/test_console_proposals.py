"""Starting a group from a proposal, in the console run as a process: Marta, a director,
proposes a group in Andrychów; the card reaches the log channel; a second proposal of hers
is refused while the first waits; the admin approves with the card's button; Marta gets the
guide and the checklist by DM, and her checklist ticks itself after she plans the first
meeting and Jan joins. Ola's proposal in Wadowice, 11 km away, is sent to the new group."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .test_console_cli import console

SCRIPT = """\
/setup server log:#dziennik
@marta /group propose name:Podbeskidzie city:Andrychów description:"Biblioteki znad Wieprzówki"
@marta /group propose name:Tatry city:Zakopane
/press id:group:proposal:approve:1
/press id:group:proposal:approve:1
@marta /group checklist
@marta #podbeskidzie /group meeting plan name:Podbeskidzie hosts:"Andrychów; Inwałd" \
first:"2 kwietnia o 10" every:"3 months"
@jan /group join name:Podbeskidzie
@marta /group checklist
@ola /group propose name:"Nad Skawą" city:Wadowice
"""


def answer(events: list[dict[str, Any]], line: int, to: str) -> str:
    return next(e["text"] for e in events if e["reply_to"] == line and e["to"] == to)


def test_a_proposed_group_is_approved_and_its_checklist_ticks(tmp_path: Path) -> None:
    events = console(tmp_path, SCRIPT)

    sent = answer(events, 2, "marta")
    assert sent.startswith("Propozycja założenia grupy **Podbeskidzie** w miejscowości Andrychów")
    [card] = [e for e in events if e["reply_to"] == 2 and e["channel"] == "dziennik"]
    assert card["text"].startswith("📋 Propozycja nr 1: marta chce założyć grupę **Podbeskidzie**")
    assert [b["id"] for b in card["buttons"]] == [
        "group:proposal:approve:1",
        "group:proposal:decline:1",
    ]
    assert answer(events, 3, "marta").startswith("Twoja propozycja już czeka: **Podbeskidzie**")

    assert answer(events, 4, "admin").startswith("Zatwierdzono: grupa **Podbeskidzie** powstała")
    [welcome] = [e for e in events if e["reply_to"] == 4 and e["channel"] == "podbeskidzie"]
    assert welcome["text"].startswith("Witajcie w grupie **Podbeskidzie**")
    [dm] = [e for e in events if e["reply_to"] == 4 and e["channel"] is None]
    assert dm["to"] == "marta" and "została zatwierdzona" in dm["text"]
    assert "⬜ Pierwsze spotkanie zaplanowane" in dm["text"]
    log = [e for e in events if e["reply_to"] in (4, 5) and e["channel"] == "dziennik"]
    audit = [e["text"] for e in log if e["text"].startswith("🛡️")]
    assert audit == ["🛡️ admin: /group proposal approve id:1"]  # the second press decided nothing
    # The card is edited once: the outcome and who decided, no buttons.
    [decided] = [e for e in log if e["text"].startswith("📋")]
    assert decided["text"].endswith("✅ Zatwierdzona — decyzja: admin.")
    assert decided["buttons"] == []
    assert "została już zatwierdzona — decyzja: admin" in answer(events, 5, "admin")

    before = answer(events, 6, "marta")
    assert before.count("⬜") == 3 and "✅" not in before
    after = answer(events, 9, "marta")
    assert after.count("✅") == 3 and "Wszystko gotowe" in after

    assert answer(events, 10, "ola") == (
        "Wadowice ma już grupę: **Podbeskidzie** spotyka się w miejscowości Andrychów, "
        "11 km stąd. Dołącz do niej: /group join name:Podbeskidzie"
    )
