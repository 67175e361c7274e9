"""What a director meets at the surface, in the console run as a process: the admin moves
the server from Bulgarian to Polish and is answered in Polish; Marta's group, whose name
holds quotes, is approved, and the join hint in her checklist, pasted as it is, lets Jan
in; Ola, proposing a group in the same town, is shown the same hint; from Pilica, Ola sees
seven groups, each with its Join button; `/digest` points to the commands that set the
digest; a date poll that would close after its dates is refused."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .test_console_cli import console

NAME = "Biblioteki \"Jura\" 'Północ'"
HINT = "/group join name:„Biblioteki \"Jura\" 'Północ'”"
TOWNS = ("Łazy", "Kroczyce", "Zawiercie", "Ogrodzieniec", "Wolbrom", "Szczekociny")

SCRIPT = (
    "\n".join(
        [
            "/setup server language:bg",
            "/setup server language:pl",
            f"@marta /group propose name:„{NAME}” city:Pilica",
            "/group proposal approve id:1",
            f"@jan {HINT}",
            "@ola /group propose name:Inna city:Pilica",
            *(f"/group create name:{town} city:{town}" for town in TOWNS),
            "@ola /start place:Pilica",
            "@ola /digest",
            '/poll dates question:"Kiedy?" options:"jutro o 10; pojutrze o 10" closes:"za rok"',
        ]
    )
    + "\n"
)


def answers(events: list[dict[str, Any]], line: int, to: str) -> list[dict[str, Any]]:
    return [e for e in events if e["reply_to"] == line and e["to"] == to]


def test_what_a_director_meets_answers_as_it_should(tmp_path: Path) -> None:
    events = console(tmp_path, SCRIPT)

    [bulgarian] = answers(events, 1, "admin")
    assert bulgarian["embeds"][0]["title"] == "Настройките на сървъра са запазени"
    [polish] = answers(events, 2, "admin")
    assert polish["embeds"][0]["title"] == "Zapisano ustawienia serwera"

    approved = next(e for e in answers(events, 4, "marta") if e["channel"] is None)
    assert f"(dołączają przez {HINT})" in approved["text"]
    assert "/group propose" in approved["text"] and "3 months" not in approved["text"]
    [joined] = answers(events, 5, "jan")
    assert joined["text"].startswith("Witaj w grupie **Biblioteki \"Jura\" 'Północ'**")
    [served] = answers(events, 6, "ola")
    assert served["text"].endswith(f"Dołącz do niej: {HINT}")

    near_line = 7 + len(TOWNS)
    [near] = answers(events, near_line, "ola")
    listed = [line for line in near["text"].splitlines() if line.startswith("• ")]
    assert len(listed) == 1 + len(TOWNS)
    assert len(near["buttons"]) == len(listed)
    assert all(b["id"].startswith("group:join:") for b in near["buttons"])

    [digest] = answers(events, near_line + 1, "ola")
    assert "/settings digest, /setup server digest:…" in digest["text"]

    [late] = answers(events, near_line + 2, "admin")
    assert late["text"].startswith("Ankieta terminów nie może się zamknąć po ostatnim terminie")
