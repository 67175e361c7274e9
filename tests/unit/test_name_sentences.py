"""Titles and names in Polish sentences: a noun carries the case, the title stays as given.

A title or a name people give (an event, a sheet, a group, a series, a panel's topic, a
poll's question, a programme, a town) is shown exactly as typed, so in the nominative.
Polish declines what follows a preposition and what a verb governs: "będziesz na
**Superwizja łódzka**", "dołączenie do **Jura**" and "Ogłoszono **Superwizja łódzka**"
read wrong. So a title stands at a line's start, after a separator (a label's colon, a
parenthesis, a dash), or right after a noun that names what it is and carries the case
itself: "będziesz na wydarzeniu **Superwizja łódzka**", "do grupy **Jura**", "na arkuszu
**Dyżury**". A reference such as "#{id}" or "nr {id}" may stand between the noun and the
title ("wydarzenie #3 **Forum**"); a placeholder right after "#" is a number or a channel.
"""

from __future__ import annotations

import re
import string

from tests.unit.test_date_sentences import texts_before
from tests.unit.test_i18n import entries

# Placeholders that hold a title or a name someone gave (never a channel, a person or a
# number): what the check below looks at in every Polish message.
TITLES = {
    "title",
    "name",
    "topic",
    "question",
    "theme",
    "goal",
    "option",
    "group",
    "event",
    "sheet",
    "series",
    "poll",
    "panel",
    "program",
    "room",
    "place",
    "town",
    "city",
    "library",
}
# Messages whose placeholder of a title's name holds something else, with the reason.
NOT_TITLES: dict[tuple[str, str], str] = {
    ("panel.started", "place"): "a channel reference (#kanał › wątek), read like a symbol",
    ("panel.list.live", "place"): "a channel reference (#kanał › wątek), read like a symbol",
}

# The nouns that name what a title is, in the cases the messages need: each carries the
# case the sentence asks for, so the title after it may stay in the nominative.
NOUNS = {
    *("arkusz", "arkusza", "arkuszu"),
    *("cykl", "cyklu"),
    *("grupa", "grupy", "grupę", "grupie", "grupą"),
    *("głosowanie", "głosowania", "ankiety"),
    *("panel", "panelu"),
    *("program", "programu", "programie"),
    *("wydarzenie", "wydarzenia", "wydarzeniu"),
    *("sesję", "sesji", "tematu", "celu", "odpowiedź", "opcja", "opcji", "komendy"),
    *("miejscowość", "miejscowości", "biblioteka", "pokoju", "osoby"),
    *("nazwa", "nazwie", "identyfikatorze"),
}
PREPOSITIONS = {
    *("na", "do", "w", "we", "z", "ze", "o", "od", "po", "przy", "dla", "za", "przed"),
    *("nad", "pod", "u", "bez", "ku", "przez", "między", "wśród", "wokół", "obok"),
}
# What a title may follow: a label's colon, a parenthesis, a dash, a comma, a sentence's end.
SEPARATORS = (":", "(", "—", "–", ",", ".", "!", "?")
MARKUP = "*_„\"' "
# A reference between the noun and the title: "wydarzenie #3 **Forum**", "nr 2 **Jura**".
REFERENCE = re.compile(r"\s*(#|nr\s+)\{id\}\s*$")


def what_is_wrong(before: str) -> str | None:
    """Why a nominative title placed after `before` reads wrong in Polish, or None."""
    line = before.rsplit("\n", 1)[-1].rstrip(MARKUP)
    if line.endswith("#"):
        return None
    line = REFERENCE.sub("", line).rstrip(MARKUP)
    if not any(ch.isalpha() for ch in line) or line.endswith(SEPARATORS):
        return None
    word = line.split()[-1].lower()
    if word in PREPOSITIONS:
        return f"right after the preposition {word!r}"
    if word not in NOUNS:
        return f"right after {word!r}, not a noun that names it"
    return None


def test_the_check_refuses_the_sentences_people_stumbled_on() -> None:
    for before in (
        "Zapisano: będziesz na **",
        "Wysłano prośbę o dołączenie do **",
        "Ogłoszono **",
        "Wypisano Cię z terminu {n} w **",
        "Przypomniano {n} osobom o **",
        "W promieniu {radius} km od ",
        "Nie udało się utworzyć wydarzenia Discorda dla #{id} **",
    ):
        assert what_is_wrong(before), before
    for before in (
        "Zapisano: będziesz na wydarzeniu **",
        "Wysłano prośbę o dołączenie do grupy **",
        "Utworzono wydarzenie #{id} **",
        "📋 Propozycja nr {id} (**",
        "Nie znam grupy „",
        "🎙️ **Panel: ",
        "Zapisy: lista #",
        "",
    ):
        assert what_is_wrong(before) is None, before


def test_a_title_follows_a_noun_that_carries_its_case() -> None:
    wrong = [
        f"{key} {{{name}}} {why}: {form!r}"
        for key, forms in entries("pl").items()
        for form in forms
        for name in {field for _, field, _, _ in string.Formatter().parse(form) if field}
        if name in TITLES and (key.removesuffix("@matrix"), name) not in NOT_TITLES
        for before in texts_before(form, name)
        if (why := what_is_wrong(before))
    ]
    assert not wrong, "\n".join(wrong)


def test_every_exception_is_in_its_message() -> None:
    catalog = entries("pl")
    for key, name in NOT_TITLES:
        assert all(texts_before(form, name) for form in catalog[key]), (key, name)
