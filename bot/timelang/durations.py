"""Lengths of time as people type them, in pl, en, nl and bg.

Compact (`2h`, `90m`, `1d12h`, `1h30`, `1w`), or in words with a number (`90 min`,
`2 godz.`, `1,5 uur`, `2 hours 15 minutes`, `1 час и 30 минути`), or a word that is a
length by itself (`pół godziny`, `półtorej godziny`, `kwadrans`, `half an hour`,
`anderhalf uur`, `час и половина`). Every word must be understood: anything else is None,
and the caller answers with examples.
"""

from __future__ import annotations

import re
from datetime import timedelta

from bot.timelang.lexicon import fold

_LIMIT = timedelta(days=3660)
_MINUTE, _HOUR, _DAY, _WEEK = (
    timedelta(minutes=1),
    timedelta(hours=1),
    timedelta(days=1),
    timedelta(weeks=1),
)

# Each unit's words, diacritics folded away (Cyrillic kept): abbreviations with or without
# their dot, and every case and number form.
_UNIT_WORDS: dict[timedelta, tuple[str, ...]] = {
    timedelta(seconds=1): (
        "s", "sec", "secs", "second", "seconds", "sek", "sekunda", "sekundy", "sekund",
        "sekunde", "seconde", "seconden", "сек", "секунда", "секунди",
    ),
    _MINUTE: (
        "m", "min", "mins", "minute", "minutes", "minuta", "minuty", "minut", "minute",
        "minuut", "minuten", "мин", "минута", "минути", "минутки",
    ),
    _HOUR: (
        "h", "hr", "hrs", "hour", "hours", "godz", "godzina", "godziny", "godzin", "godzine",
        "u", "uur", "uren", "ч", "час", "часа", "часове",
    ),
    _DAY: (
        "d", "day", "days", "dzien", "dni", "dnia", "dag", "dagen", "ден", "дни", "дена",
    ),
    _WEEK: (
        "w", "wk", "wks", "week", "weeks", "tydzien", "tygodnie", "tygodni", "tygodnia", "tyg",
        "weken", "седмица", "седмици", "седм",
    ),
}  # fmt: skip
_UNITS = {word: unit for unit, words in _UNIT_WORDS.items() for word in words}
# Lengths said in words alone (folded).
_WHOLE = {
    "pol godziny": 30 * _MINUTE,
    "poltorej godziny": 90 * _MINUTE,
    "poltora godziny": 90 * _MINUTE,
    "poltora dnia": 36 * _HOUR,
    "kwadrans": 15 * _MINUTE,
    "godzina": _HOUR,
    "godzine": _HOUR,
    "dzien": _DAY,
    "tydzien": _WEEK,
    "half an hour": 30 * _MINUTE,
    "half hour": 30 * _MINUTE,
    "an hour and a half": 90 * _MINUTE,
    "hour and a half": 90 * _MINUTE,
    "a quarter of an hour": 15 * _MINUTE,
    "quarter of an hour": 15 * _MINUTE,
    "an hour": _HOUR,
    "one hour": _HOUR,
    "a day": _DAY,
    "a week": _WEEK,
    "een half uur": 30 * _MINUTE,
    "half uur": 30 * _MINUTE,
    "anderhalf uur": 90 * _MINUTE,
    "een kwartier": 15 * _MINUTE,
    "kwartier": 15 * _MINUTE,
    "een uur": _HOUR,
    "een dag": _DAY,
    "een week": _WEEK,
    "половин час": 30 * _MINUTE,
    "час и половина": 90 * _MINUTE,
    "един час и половина": 90 * _MINUTE,
    "четвърт час": 15 * _MINUTE,
    "един час": _HOUR,
    "час": _HOUR,
    "един ден": _DAY,
    "една седмица": _WEEK,
}
_ABBREVIATION_DOT = re.compile(r"(?<!\d)\.|\.(?!\d)")  # "godz." — never "1.5"
_NUMBER = r"\d{1,6}(?:[.,]\d{1,3})?"
_PART = re.compile(rf"({_NUMBER})\s*([^\W\d_]+)")
_JOINERS = re.compile(r"\b(?:i|and|en|и)\b")
_MINUTES_AFTER_HOURS = re.compile(r"\d{1,2}")


def parse_duration(text: str) -> timedelta | None:
    """A positive duration of at most ten years, or None when any word is not understood."""
    words = " ".join(_ABBREVIATION_DOT.sub(" ", fold(text.lower())).split())
    if not words:
        return None
    total = _WHOLE.get(words)
    if total is None:
        total = _counted(words)
    return total if total is not None and timedelta() < total <= _LIMIT else None


def _counted(words: str) -> timedelta | None:
    """Numbers with their units ("1 godz 30 min", "1,5 uur", "1h30")."""
    words = _JOINERS.sub(" ", words)
    total, end, unit = timedelta(), 0, None
    for match in _PART.finditer(words):
        unit = _UNITS.get(match[2])
        if unit is None or words[end : match.start()].strip():
            return None  # a word that is not understood
        total += float(match[1].replace(",", ".")) * unit
        end = match.end()
    rest = words[end:].strip()
    if end == 0:
        return None
    if rest:
        # "1h30", "2 godz 15": minutes after hours may go without their unit.
        if unit != _HOUR or _MINUTES_AFTER_HOURS.fullmatch(rest) is None:
            return None
        total += int(rest) * _MINUTE
    return timedelta(seconds=round(total.total_seconds()))
