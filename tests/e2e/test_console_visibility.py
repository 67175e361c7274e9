"""A group's content stays inside the group, in the console run as a process: Piotr runs
Beskid and posts a group event, a date poll, a sign-up sheet and a panel in its channel;
Ola, in no group, is told each of them does not exist — and nothing she types changes
the channel — until she joins the group, and then the same lines serve her."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .test_console_cli import console

SETUP = """\
/setup server forum:#ogloszenia
/group create name:Beskid city:Bielsko-Biała initiator:@piotr
@piotr #beskid /event create title:"Tajne spotkanie" kind:group when:"jutro 10:00" duration:1h
@piotr #beskid /poll dates question:"Kiedy wyjazd?" options:"jutro 12:00; pojutrze 12:00"
@piotr #beskid /signup create title:"Dyżur Beskidu" slots:"jutro 14:00" capacity:3
@piotr #beskid /panel create topic:"Nasz panel" when:"jutro 16:00" panelists:"@piotr"
/event create title:"Ukryte forum" kind:forum when:"za tydzień 10:00" duration:1h \
publish_at:"za 3 dni"
"""
# What Ola tries, first from outside, then again as a member (event 2 is still unannounced).
TRIES = """\
@ola /event list
@ola /event info event:1
@ola /event ics event:"Tajne spotkanie"
@ola /event rsvp event:1 answer:going
@ola /poll vote poll:1 option:1 answer:yes
@ola /press id:poll:date:1:2
@ola /panel list
@ola /signup status sheet:1
@ola /signup join sheet:1 slot:1
@ola /event rsvp event:2 answer:going
"""
NOT_FOUND = [
    "Nie ma nadchodzących wydarzeń.",
    "Nie znam wydarzenia „1”. Listę pokazuje /event list.",
    "Nie znam wydarzenia „Tajne spotkanie”. Listę pokazuje /event list.",
    "Nie znam wydarzenia „1”. Listę pokazuje /event list.",
    "Nie znam głosowania „1”. Podaj jego numer albo słowa z pytania.",
    "Nie znam głosowania „1”. Podaj jego numer albo słowa z pytania.",
    "Nie ma zaplanowanych ani trwających paneli. Nowy: /panel create",
    "Nie znam arkusza „1”. Podaj jego numer albo tytuł.",
    "Nie znam arkusza „1”. Podaj jego numer albo tytuł.",
    "Nie znam wydarzenia „2”. Listę pokazuje /event list.",
]


def answers_to(events: list[dict[str, Any]], first_line: int, count: int) -> list[str]:
    """The answer to each of `count` lines from `first_line` (what Ola was told)."""
    lines = range(first_line, first_line + count)
    return [
        next(e["text"] for e in events if e["reply_to"] == n and e["to"] == "ola") for n in lines
    ]


def test_outside_the_group_nothing_exists_inside_it_is_all_there(tmp_path: Path) -> None:
    setup_lines = SETUP.replace("\\\n", "").count("\n")
    tries = TRIES.count("\n")
    script = SETUP + TRIES + "@ola /group join name:Beskid\n" + TRIES
    events = console(tmp_path, script)

    outside = answers_to(events, setup_lines + 1, tries)
    assert outside == NOT_FOUND
    # Nothing she typed reached the group's channel: no count changed, no title was told.
    hers = range(setup_lines + 1, setup_lines + tries + 1)
    assert not [e for e in events if e["reply_to"] in hers and e["channel"] == "beskid"]
    assert not [e for e in events if e["reply_to"] in hers and e["files"]]

    inside = answers_to(events, setup_lines + tries + 2, tries)
    assert "Tajne spotkanie" in inside[0]
    assert inside[2].startswith("Plik do kalendarza: **Tajne spotkanie**")
    assert inside[3].startswith("Zapisano: będziesz na wydarzeniu **Tajne spotkanie**")
    assert inside[4].startswith("Termin 1") and inside[5].startswith("Termin 2")
    assert "Nasz panel" in inside[6]
    assert "Dyżur Beskidu" in inside[7]
    assert inside[8].startswith("Zapisano Cię na arkuszu **Dyżur Beskidu**")
    # An event not announced yet stays its creator's: a member does not see it either.
    assert inside[9] == NOT_FOUND[9]


THREAD = """\
/setup server forum:#ogloszenia
/group create name:Jura city:Zawiercie initiator:@ewa
/role grant user:@mod role:moderator
@ewa #jura /panel create topic:"Panel Jury" when:"za 5 minut" panelists:"@ewa"
/clock advance by:6m
@ewa #jura /panel start panel:1
@ewa #panel-1-panel-jury /poll quick question:"Kawa w wątku?" options:"kawa; herbata"
@mod #panel-1-panel-jury /signup create title:"Lista w wątku" slots:"jutro 10:00" capacity:2
@ola /poll vote poll:1 option:1
@ola /signup status sheet:1
"""


def test_what_is_made_in_a_thread_of_a_groups_channel_is_the_groups(tmp_path: Path) -> None:
    """A thread belongs where its channel belongs: its initiator may post there, and
    someone outside the group finds nothing made in it."""
    events = console(tmp_path, THREAD)
    lines = THREAD.count("\n")
    by_line = {e["reply_to"]: e["text"] for e in events if e["to"] in ("ewa", "mod", "ola")}
    assert by_line[7].startswith("Opublikowano głosowanie #1")
    assert "Lista w wątku" in by_line[8]
    assert by_line[lines - 1] == "Nie znam głosowania „1”. Podaj jego numer albo słowa z pytania."
    assert by_line[lines] == "Nie znam arkusza „1”. Podaj jego numer albo tytuł."
