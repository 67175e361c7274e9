"""Who starts a group and how requests to join stay answerable, in the console run as a
process: Kasia's approved proposal makes her the initiator of that group only — a new
group is a moderator's or an admin's to make (an admin names its initiator), told when
the town already has one;
Zły, declined, cannot ask Jura again for a week; Jura opening to everyone lets Kasia's
waiting request in; a decision on Jan, a member, says so; Ewa, Jura's last initiator,
leaves, and Kasia is forgotten: each is said in the answer and in the log channel, and
Jura Bis, by approval with no initiator, takes no request nobody would decide."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .test_console_cli import console

SCRIPT = """\
/setup server log:#dziennik
/role grant user:@mod role:moderator
@kasia /group propose name:"Sofia Libraries" city:Sofia
@mod /group proposal approve id:1
@kasia /group create name:"Trzecia kasi" city:Warszawa
/group create name:Jura city:Zawiercie initiator:@ewa join:approval
/group create name:"Jura Bis" city:Łazy initiator:@kasia
@zly /group join name:Jura
@ewa /group decline name:Jura user:@zly
@zly /group join name:Jura
@kasia /group join name:Jura
@ewa /group edit name:Jura join:open
@kasia /group join name:Jura
@jan /group join name:Jura
@ewa /group decline name:Jura user:@jan
@ewa /group leave name:Jura
@kasia /group edit name:"Jura Bis" join:approval
@kasia /privacy forget confirm:yes
@jan /group join name:"Jura Bis"
"""


def answer(events: list[dict[str, Any]], line: int, to: str) -> str:
    return next(e["text"] for e in events if e["reply_to"] == line and e["to"] == to)


def logged(events: list[dict[str, Any]], line: int) -> list[str]:
    return [
        e["text"]
        for e in events
        if e["reply_to"] == line and e["channel"] == "dziennik" and e["text"].startswith("⚠️")
    ]


def test_groups_go_through_moderators_and_requests_stay_answerable(tmp_path: Path) -> None:
    events = console(tmp_path, SCRIPT)

    # 1. An approved proposal makes no one a maker of groups.
    assert answer(events, 4, "mod").startswith("Zatwierdzono: grupa **Sofia Libraries**")
    assert answer(events, 5, "kasia").startswith("Do tego potrzebna jest rola: moderator.")
    assert not [e for e in events if e["channel"] == "trzecia-kasi"]
    served = answer(events, 7, "admin").splitlines()
    assert served[0].startswith("Utworzono grupę **Jura Bis**")
    assert served[1].startswith(
        "⚠️ Łazy ma już grupę: **Jura** spotyka się w miejscowości Zawiercie, 7 km stąd."
    )

    # 4. A decline holds for a week: no new card in the group's channel.
    [dm] = [e["text"] for e in events if e["reply_to"] == 9 and e["to"] == "zly"]
    assert "Następną prośbę do tej grupy możesz wysłać od: czwartek, 22 stycznia 2026" in dm
    assert answer(events, 10, "zly").startswith(
        "Grupa **Jura** niedawno odrzuciła Twoją prośbę o dołączenie. Następną możesz wysłać od:"
    )
    cards = [e for e in events if e["channel"] == "jura" and "chce dołączyć" in e["text"]]
    assert [c["reply_to"] for c in cards] == [8, 11]

    # 2. Opening the group lets the waiting request in, and tells its sender.
    assert answer(events, 12, "ewa").endswith(
        "1 osoba, która czekała na decyzję, należy już do grupy i dostała o tym wiadomość."
    )
    [let_in] = [e for e in events if e["reply_to"] == 12 and e["to"] == "kasia"]
    assert let_in["channel"] is None and "Twoja prośba została spełniona" in let_in["text"]
    assert answer(events, 13, "kasia") == "Już należysz do grupy **Jura**."

    # 5. A decision on a member says they are one.
    assert answer(events, 15, "ewa") == (
        "jan już należy do grupy **Jura** — nie ma tu prośby do rozpatrzenia."
    )

    # 3. The last initiator leaving, or forgotten, is said; the moderators read it.
    left = answer(events, 16, "ewa").splitlines()
    assert left[1].startswith("Grupa **Jura** nie ma teraz żadnego inicjatora.")
    assert logged(events, 16) == [
        "⚠️ Grupa **Jura** nie ma już inicjatora: odeszła z niej ostatnia osoba, która ją "
        "prowadziła. Nowego inicjatora wskazuje administrator: /group initiator add name:Jura"
    ]
    assert sorted(line.split("**")[1] for line in logged(events, 18)) == [
        "Jura Bis",
        "Sofia Libraries",
    ]
    assert answer(events, 19, "jan").startswith(
        "Grupa **Jura Bis** nie ma teraz inicjatora, więc nie ma komu rozpatrzyć prośby"
    )
