"""Normalisation and the compiled form of the word tables, for `bot.timelang.rules`.

`Lexicon` holds a language's tables keyed the way the input is after `normalize` and,
for Latin-script languages, `fold`; `alt`/`word`/`duration_part` build the regex
fragments the rules are made of.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TypeVar

from bot.timelang.words import Words

_V = TypeVar("_V")


def fold(text: str) -> str:
    """Drop diacritics (Latin script): "środę" -> "srode", "één" -> "een"."""
    decomposed = unicodedata.normalize("NFKD", text.replace("ł", "l"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


_APOSTROPHES = re.compile(r"[’‘`´]")
_LONE_COMMA = re.compile(r"(?<![0-9]),|,(?![0-9])")
_TRAILING = re.compile(r"[\s.!?;:]+$")
_SPACES = re.compile(r"\s+")


def normalize(text: str) -> str:
    """Lower-case, unify apostrophes and spaces, drop commas that are not decimal."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = _APOSTROPHES.sub("'", text)
    text = _LONE_COMMA.sub(" ", text)
    text = _TRAILING.sub("", text)
    return _SPACES.sub(" ", text).strip()


@dataclass(frozen=True)
class Lexicon:
    """A language's tables with keys folded the same way as the input."""

    words: Words
    months: dict[str, int]
    weekdays: dict[str, int]
    next_weekday: frozenset[str]
    relative_days: dict[str, tuple[int, str | None]]
    parts_of_day: dict[str, str]
    numbers: dict[str, float]
    units: dict[str, tuple[str, float]]
    clock: dict[str, tuple[int, int]]
    hour_words: dict[str, int]
    day_words: dict[str, int]
    nth: dict[str, int]
    weekday_parts: dict[str, str]
    holidays: dict[str, str]
    year_words: dict[str, int]
    year_offsets: dict[str, int]
    fixed_hours: dict[str, int]
    spoken_minutes: dict[str, int]
    zones: dict[str, int]
    shifts: dict[str, int]
    fillers: frozenset[str]
    part_pattern: re.Pattern[str]  # one part of a duration, with named groups

    @classmethod
    def of(cls, words: Words) -> Lexicon:
        f = fold if words.fold else str

        def keyed(table: dict[str, _V]) -> dict[str, _V]:
            return {f(k): v for k, v in table.items()}

        return cls(
            words=words,
            months=keyed(words.months),
            weekdays=keyed(words.weekdays),
            next_weekday=frozenset(map(f, words.next_weekday)),
            relative_days=keyed(words.relative_days),
            parts_of_day=keyed(words.parts_of_day),
            numbers=keyed(words.numbers),
            units=keyed(words.units),
            clock={f(p): (dh, m) for p, dh, m in words.clock_prefixes + words.clock_suffixes},
            hour_words=keyed(words.hour_words),
            day_words=keyed(words.day_words),
            nth=keyed(words.nth),
            weekday_parts=keyed(words.weekday_part_suffixes),
            holidays=keyed(words.holidays),
            year_words=keyed(words.year_words),
            year_offsets=keyed(words.year_offsets),
            fixed_hours=keyed(words.fixed_hours),
            spoken_minutes=keyed(words.spoken_minutes),
            zones=keyed(words.zones),
            shifts=keyed(words.shifts),
            fillers=frozenset(map(f, words.fillers)),
            part_pattern=re.compile(duration_part(words, f, named=True)),
        )


def alt(words: Iterable[str]) -> str:
    """An alternation trying longer phrases first, so "kerstavond" beats "kerst"."""
    return "|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))


def word(words: Iterable[str]) -> str:
    """The alternation as whole words only."""
    return rf"(?<!\w)(?:{alt(words)})(?!\w)"


AMOUNT = r"(?:[0-9]{1,6}(?:[.,][0-9]{1,3})?|[13]/[24])"  # an amount in digits: "2", "1,5", "3/4"


def duration_part(words: Words, f: Callable[[str], str], *, named: bool) -> str:
    """One "<amount> <unit>" of a duration; the amount may be missing ("za godzinę")."""
    half = rf"(?:\s+{word(map(f, words.half))})"
    amount = rf"(?:{AMOUNT}|{word(map(f, words.numbers))})"
    unit = rf"(?:{alt(map(f, words.units))})\.?(?!\w)"
    if named:
        amount, unit = f"(?P<amt>{amount})", f"(?P<unit>{unit})"
        half_amt, half_unit = f"(?P<h1>{half})?", f"(?P<h2>{half})?"
    else:
        half_amt = half_unit = f"{half}?"
    return rf"(?:{amount}{half_amt}\s*|(?<!\w)){unit}{half_unit}"
