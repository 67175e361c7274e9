"""Repetitions typed in words, in the console run as a process: a reminder every two weeks
across the change to summer time, a national forum twice a year, a group meeting on the
first Thursday of the month."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .test_console_cli import console

Event = dict[str, Any]


def answers(events: list[Event]) -> dict[int, Event]:
    """The answer to each line of the script, by its number."""
    return {e["reply_to"]: e for e in events if e["reply_to"] is not None}


def delivered_at(events: list[Event], what: str) -> list[str]:
    """When the reminder of `what` was delivered, each time."""
    return [e["at"] for e in events if e["text"] == f"⏰ Przypomnienie: {what}"]


SCRIPT = """\
/clock set at:2026-03-16T10:00:00+01:00
/setup server forum:#ogloszenia
/role grant user:@ewa role:moderator
@anna /remind me when:"w poniedziałek o 9" what:"Sprawozdanie" every:"co 2 tygodnie"
@ewa /event series create title:"Forum krajowe" kind:forum first:"15 kwietnia 10:00" \
every:"twice a year" duration:6h ahead_days:30
/group create name:Jura city:Zawiercie initiator:@ewa
@ewa /group meeting plan name:Jura hosts:"Łazy; Pilica" first:"2 kwietnia o 18" \
every:"w pierwszy czwartek miesiąca"
@anna /remind me when:"jutro o 9" what:"x" every:"every 5 minutes"
/clock advance by:42d
"""


def test_repetitions_in_words_from_the_console(tmp_path: Path) -> None:
    events = console(tmp_path, SCRIPT)
    by_line = answers(events)
    reminder = by_line[4]["text"]
    assert "🔁 Powtarza się co drugi poniedziałek, o 09:00." in reminder
    assert (
        "Najbliższe: poniedziałek, 23 marca 2026 09:00 CET; poniedziałek, 6 kwietnia 2026 09:00 "
        "CEST; poniedziałek, 20 kwietnia 2026 09:00 CEST"
    ) in reminder
    forum = by_line[5]["text"]
    assert forum.startswith("Utworzono cykl #1 **Forum krajowe** (co 6 miesięcy)")
    assert (
        "Najbliższe: środa, 15 kwietnia 2026 10:00 CEST; czwartek, 15 października 2026 10:00 "
        "CEST; czwartek, 15 kwietnia 2027 10:00 CEST"
    ) in forum
    plan = by_line[7]["text"]
    assert "🔁 Spotkania w pierwszy czwartek miesiąca, o 18:00." in plan
    assert (
        "Najbliższe: czwartek, 2 kwietnia 2026 18:00 CEST; czwartek, 7 maja 2026 18:00 CEST; "
        "czwartek, 4 czerwca 2026 18:00 CEST"
    ) in plan
    assert by_line[8]["text"].startswith("„every 5 minutes” to co 5 minut — tutaj za często")
    # Six weeks: the reminder came three times, at 09:00 before and after 29 March.
    delivered = delivered_at(events, "Sprawozdanie")
    assert delivered == [
        "2026-03-23T09:00:00+01:00",
        "2026-04-06T09:00:00+02:00",
        "2026-04-20T09:00:00+02:00",
    ]
    # The forum of 15 April was announced in the forum channel, 30 days ahead.
    announced = [e for e in events if e["channel"] == "ogloszenia" and e["embeds"]]
    assert any("Forum krajowe" in e["embeds"][0]["title"] for e in announced)


MISTYPED = """\
/clock set at:2026-03-19T10:00:00+01:00
@anna /remind me when:"co 2 tygodnie" what:"Raport"
@anna /remind me when:"jutro o 9" what:"Raport" \
every:"co 2 tygodnie w poniedziałek do końca kwietnia"
@anna /remind me when:"jutro o 9" what:"x" every:"co godzinę o 9"
/clock advance by:50d
"""


def test_a_repetition_in_the_wrong_place_an_interval_and_an_end_by_words(tmp_path: Path) -> None:
    events = console(tmp_path, MISTYPED)
    by_line = answers(events)
    # A repetition typed as the time is named and pointed to every:.
    assert by_line[2]["text"].startswith("„co 2 tygodnie” to powtarzanie, a opcja when")
    assert 'every:"co 2 tygodnie"' in by_line[2]["text"]
    # Asked on Thursday for Friday: the first is the nearest Monday, then every other one,
    # until the end of April.
    assert "do 30 kwietnia 2026" in by_line[3]["text"], by_line[3]["text"]
    assert by_line[4]["text"].startswith("„co godzinę o 9”: to, co powtarza się co godzinę")
    delivered = delivered_at(events, "Raport")
    assert delivered == [
        "2026-03-23T09:00:00+01:00",
        "2026-04-06T09:00:00+02:00",
        "2026-04-20T09:00:00+02:00",
    ]


TIMES_OF_DAY = """\
/clock set at:2026-03-18T10:00:00+01:00
/setup server forum:#ogloszenia
@anna /remind me when:"Friday noon" what:"e1" every:"every Friday at noon"
@anna /remind me when:"jutro o 9" what:"e2" every:"co poniedziałek o 9 rano"
@anna /remind me when:"jutro rano" what:"e3" every:"co piątek rano"
/setup server digest:"every Friday at noon"
/clock advance by:17d
"""


def test_the_time_words_of_a_single_time_are_read_in_a_repetition(tmp_path: Path) -> None:
    events = console(tmp_path, TIMES_OF_DAY)
    by_line = answers(events)
    assert "🔁 Powtarza się w każdy piątek, o 12:00." in by_line[3]["text"], by_line[3]["text"]
    # Asked on Wednesday for Thursday 9:00: the first is the nearest Monday.
    assert "🔁 Powtarza się w każdy poniedziałek, o 09:00." in by_line[4]["text"]
    # A part of the day alone names no hour to keep for good: the hour is asked for.
    assert by_line[5]["text"].startswith("„co piątek rano”: „rano” nie mówi, o której godzinie")
    digest = str(by_line[6]["embeds"])
    assert "w każdy piątek, o 12:00" in digest, digest
    delivered = delivered_at(events, "e1")
    assert delivered == [
        "2026-03-20T12:00:00+01:00",
        "2026-03-27T12:00:00+01:00",
        "2026-04-03T12:00:00+02:00",
    ]
    assert not [e for e in events if e["text"] == "⏰ Przypomnienie: e3"]
