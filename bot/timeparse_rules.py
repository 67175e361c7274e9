"""Rule-based extraction for `bot.timeparse`: text -> `Found` components.

Each language's word tables (`bot.timeparse_words`) are compiled at import into an
ordered list of steps, each a regex and a handler. `extract` runs the steps once
each over the normalised text; every match records a component (a date, a time, a
duration, ...) and is cut out of the text. If only filler words are left, the rules
understood the whole phrase; otherwise `bot.timeparse` falls back to dateparser.

The order of the steps matters and encodes the ambiguities: holidays before weekdays
("Tłusty Czwartek"), Dutch "kwart over 3" before "over 3 uur" (a duration), Bulgarian
"след 2 часа и половина" (a duration) before "9 и половина" (a time), clock times
before numeric day.month pairs, textual dates before "o/at/в + bare hour".
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TypeVar

from bot.timeparse_words import LANGUAGES, Words

# Amounts above this are typos or fuzz, never reminders; refusing them early also
# keeps timedelta/relativedelta far from OverflowError.
MAX_AMOUNT = 100_000

_V = TypeVar("_V")


class Invalid(Exception):
    """The phrase names something impossible (25:00, 31 February) or contradictory."""


@dataclass
class Found:
    """Components recognised in a phrase; None means "not mentioned"."""

    year: int | None = None
    month: int | None = None
    day: int | None = None
    day_offset: int | None = None
    weekday: int | None = None
    next_week: bool = False  # the weekday (or, alone, "+7 days") is in next week
    holiday: str | None = None
    # Durations: calendar parts keep the wall clock, seconds are elapsed time.
    duration: bool = False
    months: int = 0
    days: int = 0
    seconds: float = 0.0
    hour: int | None = None
    minute: int = 0
    second: int = 0
    meridiem: str | None = None  # "a" or "p"
    part: str | None = None

    def put(self, **values: object) -> None:
        """Set components, refusing to mention the same one twice."""
        for name, value in values.items():
            if getattr(self, name) not in (None, False):
                raise Invalid(f"{name} given twice")
            setattr(self, name, value)

    def put_time(self, hour: str, minute: str | None = None, second: str | None = None) -> None:
        self.put(hour=int(hour))
        self.minute = int(minute or 0)
        self.second = int(second or 0)


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


Handler = Callable[[re.Match[str], Found, "Lexicon"], None]


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
    holidays: dict[str, str]
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
            holidays=keyed(words.holidays),
            fillers=frozenset(map(f, words.fillers)),
            part_pattern=re.compile(_duration_part(words, f, named=True)),
        )


def _alt(words: Iterable[str]) -> str:
    """An alternation trying longer phrases first, so "kerstavond" beats "kerst"."""
    return "|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))


def _word(words: Iterable[str]) -> str:
    return rf"(?<!\w)(?:{_alt(words)})(?!\w)"


_NUM = r"[0-9]{1,6}(?:[.,][0-9]{1,3})?"
_AMPM = r"(?P<ampm>[ap])\.?\s?m\.?(?!\w)"
_NO_NUM_BEFORE = r"(?<![0-9:.,/-])"


def _duration_part(words: Words, f: Callable[[str], str], *, named: bool) -> str:
    """One "<amount> <unit>" of a duration; the amount may be missing ("za godzinę")."""
    half = rf"(?:\s+{_word(map(f, words.half))})"
    amount = rf"(?:{_NUM}|{_word(map(f, words.numbers))})"
    unit = rf"(?:{_alt(map(f, words.units))})\.?(?!\w)"
    if named:
        amount, unit = f"(?P<amt>{amount})", f"(?P<unit>{unit})"
        half_amt, half_unit = f"(?P<h1>{half})?", f"(?P<h2>{half})?"
    else:
        half_amt = half_unit = f"{half}?"
    return rf"(?:{amount}{half_amt}\s*|(?<!\w)){unit}{half_unit}"


# -- handlers ---------------------------------------------------------------------------


def _on_holiday(m: re.Match[str], found: Found, lex: Lexicon) -> None:
    found.put(holiday=lex.holidays[m["name"]])
    if m["y"]:
        found.put(year=int(m["y"]))


def _on_iso(m: re.Match[str], found: Found, lex: Lexicon) -> None:
    found.put(year=int(m["y"]), month=int(m["mo"]), day=int(m["d"]))


def _year(text: str) -> int:
    year = int(text)
    return year + 2000 if len(text) == 2 else year


def _day_month(a: int, b: int, lex: Lexicon) -> tuple[int, int]:
    """Order two numbers as (day, month): day-first, except that English also takes
    month-first when only that reading is valid ("04/15")."""
    if lex.words.month_first and a <= 12 < b:
        return b, a
    return a, b


def _on_dmy(m: re.Match[str], found: Found, lex: Lexicon) -> None:
    day, month = _day_month(int(m["a"]), int(m["b"]), lex)
    found.put(year=_year(m["y"]), month=month, day=day)


def _on_clock(m: re.Match[str], found: Found, lex: Lexicon) -> None:
    hour = int(m["h"]) if m["h"].isdigit() else int(lex.numbers[m["h"]])
    delta, minute = lex.clock[m["phrase"]]
    if not 1 <= hour <= 12:
        raise Invalid("clock phrases take an hour 1-12")
    found.put(hour=(hour + delta) % 12 or 12)
    found.minute = minute


def _amount(m: re.Match[str], lex: Lexicon) -> float:
    text = m["amt"]
    if text is None:
        value = 1.0
    elif text in lex.numbers:
        value = lex.numbers[text]
    else:
        value = float(text.replace(",", "."))
    return value + 0.5 * bool(m["h1"] or m["h2"])


def _on_duration(m: re.Match[str], found: Found, lex: Lexicon) -> None:
    found.put(duration=True)
    months = days = seconds = 0.0
    for part in lex.part_pattern.finditer(m["body"]):
        unit, factor = lex.units[part["unit"].rstrip(".")]
        value = _amount(part, lex) * factor
        if value > MAX_AMOUNT * 12:
            raise Invalid("duration too long")
        if unit == "month":
            months += value
        elif unit == "day":
            days += value
        else:
            seconds += value
    # Fractions of calendar units become smaller units: half a month ~ 15 days,
    # half a day = 12 elapsed hours.
    whole_months = int(months)
    days += round((months - whole_months) * 30)
    whole_days = int(days)
    seconds += (days - whole_days) * 86_400
    found.months, found.days, found.seconds = whole_months, whole_days, seconds


def _on_time(m: re.Match[str], found: Found, lex: Lexicon) -> None:
    groups = m.groupdict()
    found.put_time(m["h"], groups.get("m"), groups.get("s"))
    if groups.get("ampm"):
        found.meridiem = m["ampm"]


def _on_day_month_pair(m: re.Match[str], found: Found, lex: Lexicon) -> None:
    """ "15.04", "15/04", "o 14.30": a date, or a dotted time after a time word or
    when it cannot be a date ("14.30")."""
    a, b = int(m["a"]), int(m["b"])
    is_time = m["sep"] == "." and (m["prep"] is not None or not 1 <= b <= 12)
    if is_time:
        found.put_time(m["a"], m["b"])
        return
    day, month = _day_month(a, b, lex)
    found.put(month=month, day=day)


def _on_text_date(m: re.Match[str], found: Found, lex: Lexicon) -> None:
    found.put(month=lex.months[m["mo"]], day=int(m["d"]))
    if m["y"]:
        found.put(year=int(m["y"]))


def _on_relative_day(m: re.Match[str], found: Found, lex: Lexicon) -> None:
    offset, part = lex.relative_days[m["w"]]
    found.put(day_offset=offset)
    if part:
        found.put(part=part)


def _on_weekday(m: re.Match[str], found: Found, lex: Lexicon) -> None:
    found.put(weekday=lex.weekdays[m["wd"]])
    if m["nw1"] or m["nw2"] or (m["mod"] in lex.next_weekday):
        found.put(next_week=True)


def _on_next_week(m: re.Match[str], found: Found, lex: Lexicon) -> None:
    found.put(duration=True)
    found.days = 7


def _on_part_of_day(m: re.Match[str], found: Found, lex: Lexicon) -> None:
    found.put(part=lex.parts_of_day[m["part"]])
    if m["h"]:
        found.put_time(m["h"], m["m"])


def _on_clock_suffix_or_prep_hour(m: re.Match[str], found: Found, lex: Lexicon) -> None:
    found.put_time(m["h"], m.groupdict().get("m"))


# -- grammar ----------------------------------------------------------------------------


def _steps(words: Words) -> tuple[tuple[re.Pattern[str], Handler], ...]:
    f = fold if words.fold else str
    w = lambda items: _word(map(f, items))  # noqa: E731
    preps = w(words.time_preps)
    hour_suffix = w(words.hour_suffixes) if words.hour_suffixes else r"(?!)"
    day_ord = f"(?:{_alt(map(f, words.day_ordinals))})?" if words.day_ordinals else ""
    hour_ord = f"(?:{_alt(map(f, words.hour_ordinals))})?" if words.hour_ordinals else ""
    months = rf"(?P<mo>{_alt(map(f, words.months))})\.?(?!\w)"
    year = r"(?:\s+(?P<y>[0-9]{4})(?![0-9:.]))?"
    hour_words = [k for k, v in words.numbers.items() if v.is_integer() and 1 <= v <= 12]
    hour = rf"(?P<h>[0-9]{{1,2}}|{w(hour_words)})"
    part = _duration_part(words, f, named=False)
    joined = rf"{part}(?:\s+(?:{w(words.joiners)}\s+)?{part})*"
    durations = [rf"(?<!\w)(?:{w(words.duration_prefixes)})\s+(?P<body>{joined})"]
    if words.duration_suffixes:
        durations.append(rf"(?<!\w)(?P<body>{joined})\s+(?:{w(words.duration_suffixes)})")
    compact = "".join(s for s in words.hour_suffixes if len(s) == 1)
    next_week = w(words.next_week)
    steps: list[tuple[str, Handler]] = [
        (rf"(?<!\w)(?P<name>{_alt(map(f, words.holidays))})(?!\w){year}", _on_holiday),
        (
            r"(?<![0-9.])(?P<y>[0-9]{4})[-/.](?P<mo>[0-9]{1,2})[-/.](?P<d>[0-9]{1,2})"
            r"(?:t(?=[0-9])|(?![0-9]))",
            _on_iso,
        ),
        (
            _NO_NUM_BEFORE + r"(?P<a>[0-9]{1,2})(?P<sep>[./-])(?P<b>[0-9]{1,2})(?P=sep)"
            r"(?P<y>[0-9]{4}|[0-9]{2})(?![0-9:])",
            _on_dmy,
        ),
    ]
    if words.clock_prefixes:
        phrase = _alt(f(p) for p, _, _ in words.clock_prefixes)
        steps.append((rf"(?<!\w)(?:{preps}\s+)*(?P<phrase>{phrase})\s+{hour}(?!\w)", _on_clock))
    steps += [(pattern, _on_duration) for pattern in durations]
    if words.clock_suffixes:
        phrase = _alt(f(p) for p, _, _ in words.clock_suffixes)
        steps.append(
            (
                rf"(?<!\w)(?:{preps}\s+)*{hour}(?:\s+{hour_suffix})?\s+(?P<phrase>{phrase})(?!\w)",
                _on_clock,
            )
        )
    steps += [
        (
            _NO_NUM_BEFORE + r"(?P<h>[0-9]{1,2}):(?P<m>[0-9]{2})(?::(?P<s>[0-9]{2}))?(?![0-9:])"
            rf"(?:\s*{_AMPM})?(?:\s*{hour_suffix})?",
            _on_time,
        ),
        (_NO_NUM_BEFORE + rf"(?P<h>[0-9]{{1,2}})(?:[.:](?P<m>[0-9]{{2}}))?\s*{_AMPM}", _on_time),
        (
            _NO_NUM_BEFORE + rf"(?P<h>[0-9]{{1,2}})(?:\.(?P<m>[0-9]{{2}}))?\s*{hour_suffix}",
            _on_time,
        ),
    ]
    if compact:
        steps.append(
            (rf"(?<![\w:.])(?P<h>[0-9]{{1,2}})[{compact}](?P<m>[0-9]{{2}})(?!\w)", _on_time)
        )
    steps += [
        (
            rf"(?:(?P<prep>{preps})\s+)?" + _NO_NUM_BEFORE + r"(?P<a>[0-9]{1,2})(?P<sep>[./-])"
            r"(?P<b>[0-9]{1,2})(?![0-9:/-]|\.[0-9])",
            _on_day_month_pair,
        ),
        (
            rf"(?<!\w)(?P<d>[0-9]{{1,2}}){day_ord}\.?\s*(?:of\s+)?{months}{year}",
            _on_text_date,
        ),
    ]
    if words.month_first:
        steps.append(
            (
                rf"(?<!\w){months}\s+(?P<d>[0-9]{{1,2}}){day_ord}(?![0-9:]|\w){year}",
                _on_text_date,
            )
        )
    steps += [
        (rf"(?<!\w)(?P<w>{_alt(map(f, words.relative_days))})(?!\w)", _on_relative_day),
        (
            rf"(?<!\w)(?:(?P<nw1>{next_week})\s+)?(?:{w(words.weekday_preps)}\s+)?"
            rf"(?:(?P<mod>{_alt(map(f, words.next_weekday + words.this_weekday))})\s+)?"
            rf"(?P<wd>{_alt(map(f, words.weekdays))})\.?(?!\w)(?:\s+(?P<nw2>{next_week}))?",
            _on_weekday,
        ),
        (next_week, _on_next_week),
        (
            rf"(?<!\w)(?:(?:{preps}\s+)*(?P<h>[0-9]{{1,2}})(?::(?P<m>[0-9]{{2}}))?"
            rf"(?:\s*{hour_suffix})?\s+)?(?P<part>{_alt(map(f, words.parts_of_day))})(?!\w)",
            _on_part_of_day,
        ),
        (
            rf"(?<!\w)(?:{preps}\s+)+(?P<h>[0-9]{{1,2}}){hour_ord}(?![\w:/-]|\.[0-9])",
            _on_clock_suffix_or_prep_hour,
        ),
    ]
    return tuple((re.compile(pattern), handler) for pattern, handler in steps)


@dataclass(frozen=True)
class Grammar:
    lexicon: Lexicon
    steps: tuple[tuple[re.Pattern[str], Handler], ...]
    # Time words right before a number, removed before handing text to dateparser.
    time_preps: re.Pattern[str]


def _grammar(words: Words) -> Grammar:
    return Grammar(
        lexicon=Lexicon.of(words),
        steps=_steps(words),
        time_preps=re.compile(rf"{_word(words.time_preps)}\s+(?=[0-9])"),
    )


GRAMMARS: dict[str, Grammar] = {lang: _grammar(words) for lang, words in LANGUAGES.items()}

_STRIP = ",.;:!?()\"'"


def extract(text: str, grammar: Grammar) -> Found | None:
    """Components of the normalised `text`, or None when some words are not
    understood. Raises Invalid for impossible or contradictory phrases."""
    lex = grammar.lexicon
    if lex.words.fold:
        text = fold(text)
    found = Found()
    for pattern, handler in grammar.steps:
        m = pattern.search(text)
        if m:
            handler(m, found, lex)
            text = f"{text[: m.start()]} {text[m.end() :]}"
    for token in text.split():
        token = token.strip(_STRIP)
        if token and token not in lex.fillers:
            return None
    return found
