"""Repetitions typed in pl, en, nl or bg → one RFC 5545 rule, for every feature that repeats.

"co 2 tygodnie o 9", "on Mondays and Thursdays", "elke eerste maandag van de maand",
"два пъти годишно", "every month on the 15th until June", "10 razy" … become a `Repetition`,
whose `body()` is an RRULE (FREQ=WEEKLY;INTERVAL=2;BYHOUR=9;BYMINUTE=0). A rule typed as
RFC 5545 is the expert form and is checked by bot.timelang.rrules like any other.

Reading is precise before broad: the phrase is split into an end ("until June", "do 30
czerwca", "10 times"), a time of day ("o 9", "at noon", "o 9 rano", read by the grammar of
single times, bot.timelang.points.time_of_day) and the rest, whose every word must be known;
a word that is not, or a combination that could mean two things ("twice a month": which
days?), is refused with what was understood — never approximated.

Each feature says how often it may repeat (`Allowed`); dates come from bot.timelang.rrules.expand,
at the wall-clock time in the person's zone (09:00 stays 09:00 across summer time).
"""

from __future__ import annotations

import calendar
import functools
import re
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from enum import Enum, IntEnum
from zoneinfo import ZoneInfo

from babel.dates import format_date, get_day_names
from babel.lists import format_list

from bot.errors import UserError
from bot.i18n import current_locale, t, tn
from bot.text import inert
from bot.timelang import rrules
from bot.timelang.lexicon import alt
from bot.timelang.points import TimeOfDay, in_time_of_day, is_filler, time_of_day
from bot.timelang.rules import GivenTwice, Invalid
from bot.timelang.timestamps import stamp
from bot.timelang.words import LANGUAGES


class Unit(IntEnum):
    """From the shortest to the longest; the value orders them."""

    SECOND = 0
    MINUTE = 1
    HOUR = 2
    DAY = 3
    WEEK = 4
    MONTH = 5
    YEAR = 6


FREQ = {
    Unit.SECOND: "SECONDLY",
    Unit.MINUTE: "MINUTELY",
    Unit.HOUR: "HOURLY",
    Unit.DAY: "DAILY",
    Unit.WEEK: "WEEKLY",
    Unit.MONTH: "MONTHLY",
    Unit.YEAR: "YEARLY",
}
UNIT_OF = {v: k for k, v in FREQ.items()}
DAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
WORKDAYS = (0, 1, 2, 3, 4)
WEEKEND = (5, 6)
# The longest interval per unit: at most two years between occurrences (as bot.timelang.rrules).
MAX_INTERVAL = {
    Unit.SECOND: 59,
    Unit.MINUTE: 59,
    Unit.HOUR: 23,
    **{UNIT_OF[f]: n for f, n in rrules.MAX_INTERVAL.items()},
}
MONTHS_PER_YEAR = 12


@dataclass(frozen=True)
class Repetition:
    """A rule read from words (or from an RRULE this module wrote)."""

    unit: Unit
    interval: int = 1
    weekdays: tuple[int, ...] = ()  # Monday is 0
    ordinals: tuple[int, ...] = ()  # with one weekday: 1 … 5, or -1 for the last of the month
    monthday: int | None = None  # 1 … 31, or -1 for the last day; clamped to short months
    at: time | None = None  # the wall-clock time, when the phrase (or the first one) gave it
    until: date | None = None  # the last day, inclusive
    count: int | None = None
    expert: str | None = None  # an RFC 5545 body this module does not word

    def body(self) -> str:
        """The RFC 5545 RRULE body."""
        if self.expert is not None:
            return self.expert
        parts = [f"FREQ={FREQ[self.unit]}"]
        if self.interval != 1:
            parts.append(f"INTERVAL={self.interval}")
        if self.ordinals:
            day = DAY_CODES[self.weekdays[0]]
            parts.append("BYDAY=" + ",".join(f"{n}{day}" for n in self.ordinals))
        elif self.weekdays:
            parts.append("BYDAY=" + ",".join(DAY_CODES[d] for d in self.weekdays))
        if self.monthday is not None:
            parts.append(_monthday_part(self.monthday))
        if self.at is not None:
            if self.unit >= Unit.DAY:
                parts.append(f"BYHOUR={self.at.hour}")
            if self.unit >= Unit.HOUR:
                parts.append(f"BYMINUTE={self.at.minute}")
        if self.until is not None:
            parts.append(f"UNTIL={self.until:%Y%m%d}T235959")
        if self.count is not None:
            parts.append(f"COUNT={self.count}")
        return ";".join(parts)

    @property
    def freq(self) -> str:
        return FREQ[self.unit]

    def with_time(self, at: time) -> Repetition:
        """The time of the first occurrence, when the phrase gave none."""
        if self.at is not None or self.expert is not None:
            return self
        return replace(self, at=at.replace(second=0, microsecond=0))


def _monthday_part(day: int) -> str:
    # The 30th of February does not exist: the last day of a short month stands in for it.
    if day > 28:
        return "BYMONTHDAY=" + ",".join(str(d) for d in range(28, day + 1)) + ";BYSETPOS=-1"
    return f"BYMONTHDAY={day}"


# -- reading a stored body back ------------------------------------------------------------

_CLAMPED = re.compile(r"BYMONTHDAY=28(?:,(29|30|31))+;BYSETPOS=-1")


def from_body(body: str) -> Repetition:
    """An RRULE body back as a Repetition: worded when this module could have written it,
    else kept as `expert`. ValueError for a body that is not NAME=VALUE;… with a FREQ."""
    clamp = _CLAMPED.search(body)
    plain = _CLAMPED.sub("BYMONTHDAY=" + clamp[1], body) if clamp else body
    parts = rrules.split_parts(plain)
    if parts is None or parts.get("FREQ") not in UNIT_OF:
        raise ValueError(body)
    values = parts.values
    try:
        return _worded(dict(values)) or Repetition(UNIT_OF[values["FREQ"]], expert=body)
    except ValueError:
        return Repetition(UNIT_OF[values["FREQ"]], expert=body)


def _worded(values: dict[str, str]) -> Repetition | None:
    unit = UNIT_OF[values.pop("FREQ")]
    interval = int(values.pop("INTERVAL", "1"))
    weekdays: tuple[int, ...] = ()
    ordinals: tuple[int, ...] = ()
    if "BYDAY" in values:
        codes = [_BYDAY.fullmatch(c) for c in values.pop("BYDAY").split(",")]
        if any(c is None for c in codes):
            return None
        days = [DAY_CODES.index(c[2]) for c in codes if c]
        numbers = [int(c[1]) for c in codes if c and c[1]]
        if numbers and (len(set(days)) != 1 or len(numbers) != len(days)):
            return None
        weekdays = tuple(days[:1] if numbers else days)
        ordinals = tuple(numbers)
    monthday = int(values.pop("BYMONTHDAY")) if "BYMONTHDAY" in values else None
    hour = values.pop("BYHOUR", None)
    minute = values.pop("BYMINUTE", None)
    until_text = values.pop("UNTIL", None)
    count = int(values.pop("COUNT")) if "COUNT" in values else None
    if values:  # parts this module never writes
        return None
    at = None
    if hour is not None and minute is None:
        return None
    if minute is not None:
        at = time(int(hour or 0), int(minute))
    until = (
        date(int(until_text[:4]), int(until_text[4:6]), int(until_text[6:8]))
        if until_text
        else None
    )
    return Repetition(unit, interval, weekdays, ordinals, monthday, at, until, count)


_BYDAY = re.compile(r"([+-]?\d)?(MO|TU|WE|TH|FR|SA|SU)")


# -- what each feature allows --------------------------------------------------------------


@dataclass(frozen=True)
class Allowed:
    """How often a feature may repeat, and what it can keep."""

    shortest: Unit = Unit.DAY
    weeks_only: bool = False  # learning check-ins keep "every N weeks" only
    end: bool = True  # the feature keeps an end ("until June", "10 times")
    longest: int | None = None  # the largest interval, when less than MAX_INTERVAL's

    def example(self) -> Repetition:
        return Repetition(self.shortest)


REMINDERS = Allowed(Unit.HOUR)
SERIES = Allowed(Unit.DAY)
MEETINGS = Allowed(Unit.WEEK)


# -- the words -----------------------------------------------------------------------------

_UNITS: dict[Unit, tuple[str, ...]] = {
    Unit.SECOND: ("second?s", "sec", "secs", "sekund\\w*", "seconde\\w*", "секунд\\w*"),
    Unit.MINUTE: ("minutes?", "mins?", "minut\\w*", "minuut", "minuten", "минут\\w*"),
    Unit.HOUR: (
        "hours?",
        "hourly",
        "godzin\\w*",
        "godz",
        "uur",
        "uren",
        "ieder uur",
        "час",
        "часа",
        "часове",
        "ежечасно",
    ),
    Unit.DAY: (
        "days?",
        "daily",
        "dzień",
        "dni",
        "codziennie",
        "dag",
        "dagen",
        "dagelijks",
        "ден",
        "дни",
        "дена",
        "ежедневно",
        "всекидневно",
    ),
    Unit.WEEK: (
        "weeks?",
        "weekly",
        "tydzień",
        "tygodni\\w*",
        "cotygodniowo",
        "weken",
        "wekelijks",
        "седмица",
        "седмици",
        "седмицата",
        "ежеседмично",
    ),
    Unit.MONTH: (
        "months?",
        "monthly",
        "miesiąc",
        "miesiące",
        "miesięcy",
        "miesiąca",
        "miesiącu",
        "comiesięcznie",
        "maand",
        "maanden",
        "maandelijks",
        "месец",
        "месеца",
        "месеци",
        "ежемесечно",
    ),
    Unit.YEAR: (
        "years?",
        "yearly",
        "annually",
        "rok",
        "roku",
        "lata",
        "lat",
        "corocznie",
        "rocznie",
        "jaar",
        "jaren",
        "jaarlijks",
        "година",
        "години",
        "годината",
        "годишно",
        "ежегодно",
    ),
}
_DAYS: tuple[str, ...] = (
    "mon|mondays?|poniedziałek|poniedziałki|poniedziałku|maandag|maandagen|maandags|понеделник|понеделници|понеделника",
    "tue|tues|tuesdays?|wtorek|wtorki|wtorku|dinsdag|dinsdagen|dinsdags|вторник|вторници|вторника",
    "wed|wednesdays?|środa|środę|środy|środzie|woensdag|woensdagen|woensdags|сряда|среда|сряди|среди|сряда",
    "thu|thur|thurs|thursdays?|czwartek|czwartki|czwartku|donderdag|donderdagen|donderdags|четвъртък|четвъртъци|четвъртъка",
    "fri|fridays?|piątek|piątki|piątku|vrijdag|vrijdagen|vrijdags|петък|петъци|петъка",
    "sat|saturdays?|sobota|sobotę|soboty|zaterdag|zaterdagen|zaterdags|събота|съботи|съботата",
    "sun|sundays?|niedziela|niedzielę|niedziele|niedzieli|zondag|zondagen|zondags|неделя|недели|неделята",
)
_ORDINALS: dict[int, str] = {
    1: "first|1st|pierwsz\\w*|eerste|първ\\w*",
    2: "second|2nd|other|drug\\w*|tweede|втор(?:и|а|о|ия|ата)|през",
    3: "third|3rd|trzec\\w*|derde|трет\\w*",
    4: "fourth|4th|czwart(?:y|a|ą|e|ego)|vierde|четвърт(?:и|а|ия|ата)",
    5: "fifth|5th|piąt(?:y|a|ą|e|ego)|vijfde|пет(?:и|а|ия|ата)",
    -1: "last|ostatni\\w*|laatste|последн\\w*|последен",
}
_NUMBERS: dict[int, str] = {
    1: "one|once|jeden|jedną|een|eens|eenmaal|един|една|веднъж",
    2: "two|twice|dwa|dwie|twee|tweemaal|два|две|двa",
    3: "three|thrice|trzy|drie|driemaal|три",
    4: "four|cztery|vier|четири",
    5: "five|pięć|vijf|пет",
    6: "six|sześć|zes|шест",
    7: "seven|siedem|zeven|седем",
    8: "eight|osiem|acht|осем",
    9: "nine|dziewięć|negen|девет",
    10: "ten|dziesięć|tien|десет",
    11: "eleven|jedenaście|elf|единадесет|единайсет",
    12: "twelve|dwanaście|twaalf|дванадесет|дванайсет",
}
# Words that only say "repeat" or join the others: every/each/on/the/of …
_FILLER = frozenset(
    [
        "every",
        "each",
        "on",
        "the",
        "of",
        "in",
        "a",
        "an",
        "per",
        "at",
        "and",
        "or",
        "also",
        "&",
        "co",
        "w",
        "we",
        "każdy",
        "każdą",
        "każde",
        "każdego",
        "każdym",
        "i",
        "oraz",
        "elke",
        "iedere",
        "ieder",
        "elk",
        "op",
        "de",
        "het",
        "van",
        "en",
        "alle",
        "всеки",
        "всяка",
        "всяко",
        "всички",
        "в",
        "във",
        "на",
        "от",
        "и",
        "по",
    ]
)
_TIMES = frozenset({"times", "time", "x", "razy", "raz", "keer", "maal", "пъти", "път"})
_HALF = frozenset({"half", "pół", "halve", "половин"})
_DATEWORD = frozenset({"dnia", "число", "числа"})
# What names a day of the month before a closing "of the month" ("2 dnia miesiąca").
_DAY_OF = frozenset({"dateword", "monthday", "ord"})
# The words for "day" that say how often by themselves, never what a number counts.
_DAILY = frozenset({"daily", "codziennie", "dagelijks", "ежедневно", "всекидневно"})
# Every unit's word that says how often by itself ("weekly"), unlike its noun ("week").
_HOW_OFTEN = _DAILY | frozenset(
    {
        *("hourly", "ежечасно"),
        *("weekly", "cotygodniowo", "wekelijks", "ежеседмично"),
        *("monthly", "comiesięcznie", "maandelijks", "ежемесечно"),
        *("yearly", "annually", "corocznie", "rocznie", "jaarlijks", "годишно", "ежегодно"),
    }
)
# Whole phrases first (they contain words that mean something else alone).
_PHRASES: tuple[tuple[str, str], ...] = (
    (r"\bod poniedziałku do piątku\b", " @wdays "),
    (r"\b(?:monday|mon) (?:to|through|till|until|-|–) (?:friday|fri)\b", " @wdays "),
    (r"\bmaandag (?:tot en met|t/m|tot|-|–) vrijdag\b", " @wdays "),
    (r"\bот понеделник до петък\b", " @wdays "),
    (r"\b(?:week ?days?|workdays?|working days|business days)\b", " @wdays "),
    (r"\bdni (?:robocze|powszednie|roboczych|powszednich)\b", " @wdays "),
    (r"\bdzień roboczy\b", " @wdays "),
    (r"\b(?:werkdagen|werkdag|doordeweeks|door de week)\b", " @wdays "),
    (r"\b(?:делнични дни|делничните дни|делничен ден|делнично|делник|делници)\b", " @wdays "),
    (r"(?:\bпрез )?\b(?:weekends?|weekendy|weekendów|weekenden|уикенд\w*)\b", " @wend "),
    (r"\bbi-?weekly\b", " 2 weeks "),
    (r"\b(?:semi-?annually|half-?yearly|halfjaarlijks)\b", " half year "),
    (r"\b(?:quarterly|kwartalnie|kwartał\w*|kwartaal|kwartalen|driemaandelijks)\b", " 3 months "),
    (r"\b(?:тримесечно|тримесечие|тримесечия)\b", " 3 months "),
    (r"\b(?:fortnightly|fortnight)\b", " 2 weeks "),
    # "the 5th of the month", "on the first of every month": a day of the month, never
    # "every 5th month" (the "of the" between them is what tells the two apart).
    (
        r"\b(\d{1,2}(?:st|nd|rd|th)|first|second|third|fourth|fifth|last) "
        r"of (?:the|each|every) month\b",
        r" \1 day of the month ",
    ),
    (
        r"\b(\d{1,2}(?:e|de|ste)|eerste|tweede|derde|vierde|vijfde|laatste) "
        r"van (?:de|elke|iedere) maand\b",
        r" \1 dag van de maand ",
    ),
    (r"\bom de (?=\d|twee|drie|vier|vijf|zes|andere)", " "),
    (r"\bandere\b", " other "),
    (r"\bpół roku\b", " half year "),
)
_MONTH_NAMES: dict[int, str] = {
    1: "january|jan|styczeń|stycznia|januari|януари",
    2: "february|feb|luty|lutego|februari|февруари",
    3: "march|mar|marzec|marca|maart|март",
    4: "april|apr|kwiecień|kwietnia|април",
    5: "may|maj|maja|mei|май",
    6: "june|jun|czerwiec|czerwca|juni|юни",
    7: "july|jul|lipiec|lipca|juli|юли",
    8: "august|aug|sierpień|sierpnia|augustus|август",
    9: "september|sep|sept|wrzesień|września|септември",
    10: "october|oct|październik|października|oktober|октомври",
    11: "november|nov|listopad|listopada|ноември",
    12: "december|dec|grudzień|grudnia|декември",
}
_MONTH = "|".join(_MONTH_NAMES.values())
_SUFFIX = r"(?:st|nd|rd|th|\.|-?go|-?ego|e|de|ste|-?(?:ви|ри|ти|ми|во|ро|мо|и|о|ия|ият|то))?"
_TOMORROW = "tomorrow|jutra|jutro|morgen|утре"
_END_OF = (
    r"(?:the\s+)?end\s+of\s+(?:the\s+)?(?P<en_unit>month|year)"
    r"|końca\s+(?P<pl_unit>miesiąca|roku)"
    r"|(?:het\s+)?eind(?:e)?\s+van\s+(?P<nl_unit>de\s+maand|het\s+jaar)"
    r"|края\s+на\s+(?P<bg_unit>месеца|годината)"
)
# "do końca kwietnia", "until the end of April": the month's last day, as "do kwietnia" is.
_END_OF_MONTH = r"(?:końca|(?:the\s+)?end\s+of|(?:het\s+)?eind(?:e)?(?:\s+van)?|края\s+на)\s+"
_UNTIL = (
    r"(?:^|\s)(?:until|till|to|up to|through|do|aż do|tot en met|tot|t/m|до)\s+"
    rf"(?:(?P<tomorrow>{_TOMORROW})|(?P<weekday>{'|'.join(_DAYS)})|(?P<end_of>{_END_OF})"
    r"|(?:the\s+)?(?P<iso>\d{4}-\d{2}-\d{2})"
    rf"|(?P<dm>\d{{1,2}})[./](?P<m>\d{{1,2}})(?:[./](?P<y1>\d{{4}}))?"
    rf"|(?:(?:the\s+)?(?P<day>\d{{1,2}}){_SUFFIX}\s+(?:of\s+)?|{_END_OF_MONTH})?(?P<month>{_MONTH})"
    rf"(?:\s+(?P<day2>\d{{1,2}}){_SUFFIX})?(?:,?\s+(?P<year>\d{{4}}))?)"
    r"(?=\s|$|,)"
)


@functools.cache
def _until_pattern() -> re.Pattern[str]:
    """An end ("until June", "do piątku"), compiled at the first repetition read."""
    return re.compile(_UNTIL)


_COUNT = re.compile(
    r"(?:^|\s)(?:for\s+|przez\s+|łącznie\s+)?(?P<n>\d{1,12})\s*(?:x|times|razy|raz|keer|maal|пъти)"
    r"(?:\s+(?:in total|łącznie|totaal|общо))?\s*$"
)
# A time of day is read among the words by the point grammar (bot.timelang.points), in
# spans of at most this many words ("at a quarter past 3 in the afternoon") …
_MAX_TIME_WORDS = 8
# … in a phrase of at most this many words: a longer one is no repetition anyone types, and
# reading every span of 100 words of time (200 characters) took half a second.
_MAX_WORDS = 24


@functools.cache
def _spoken_hour() -> re.Pattern[str]:
    """A spoken hour without a time word before it ("9 uur", "twee uur", "9 часа", "2h"): a
    time of day after the words that say how often ("maandag 9 uur"), but straight after
    "every" it says how often ("elke 9 uur" is every nine hours). Compiled at first use."""
    hours = alt(w for words in LANGUAGES.values() for w in words.hour_words)
    suffixes = alt(w for words in LANGUAGES.values() for w in words.hour_suffixes)
    return re.compile(rf"(?:\d{{1,2}}|{hours})\s*(?:{suffixes})")


@dataclass(frozen=True)
class _Token:
    kind: str  # unit, num, ord, day, monthday, times, half, dateword, workdays, weekend
    value: int = 0
    word: str = ""


def _compile(alternatives: str) -> re.Pattern[str]:
    return re.compile(rf"(?:{alternatives})")


@dataclass(frozen=True)
class _WordPatterns:
    """The word tables as patterns: what a word of a repetition can be."""

    units: dict[Unit, re.Pattern[str]]
    days: list[re.Pattern[str]]
    ordinals: dict[int, re.Pattern[str]]
    numbers: dict[int, re.Pattern[str]]
    months: dict[int, re.Pattern[str]]


@functools.cache
def _word_patterns() -> _WordPatterns:
    """Compiled at the first repetition read: the 44 patterns cost a start that reads
    none a few hundredths of a second."""
    return _WordPatterns(
        units={unit: _compile("|".join(words)) for unit, words in _UNITS.items()},
        days=[_compile(words) for words in _DAYS],
        ordinals={n: _compile(words) for n, words in _ORDINALS.items()},
        numbers={n: _compile(words) for n, words in _NUMBERS.items()},
        months={n: _compile(words) for n, words in _MONTH_NAMES.items()},
    )


_MONTHDAY_RE = re.compile(rf"(\d{{1,2}}){_SUFFIX}")


def _token(word: str) -> _Token | None:
    """What one word means; None for a word not in the lexicon."""
    if word == "@wdays":
        return _Token("workdays", word=word)
    if word == "@wend":
        return _Token("weekend", word=word)
    if word in _TIMES:
        return _Token("times", word=word)
    if word in _HALF:
        return _Token("half", word=word)
    if word in _DATEWORD:
        return _Token("dateword", word=word)
    if word.isascii() and word.isdigit():
        return _Token("num", int(word), word)
    patterns = _word_patterns()
    for n, pattern in patterns.numbers.items():
        if pattern.fullmatch(word):
            if word in (
                "twice",
                "tweemaal",
                "once",
                "eens",
                "eenmaal",
                "веднъж",
                "thrice",
                "driemaal",
            ):
                return _Token("num_times", n, word)
            return _Token("num", n, word)
    for unit, pattern in patterns.units.items():
        if pattern.fullmatch(word):
            return _Token("unit", int(unit), word)
    for index, pattern in enumerate(patterns.days):
        if pattern.fullmatch(word):
            return _Token("day", index, word)
    for n, pattern in patterns.ordinals.items():
        if pattern.fullmatch(word):
            return _Token("ord", n, word)
    match = _MONTHDAY_RE.fullmatch(word)
    if match:
        return _Token("monthday", int(match[1]), word)
    return None


# -- reading -------------------------------------------------------------------------------


@dataclass
class _Reading:
    """What was understood so far, to say it back when the rest is refused."""

    at: time | None = None
    until: date | None = None
    count: int | None = None
    midnight: bool = False  # the time is midnight: the end of the day named
    unknown: list[str] = field(default_factory=list)


class RepetitionError(UserError):
    """A phrase refused, rendered in the reader's language with examples."""


# What "error.repeat.unknown" names as not understood when nothing was left to name: the
# phrase was empty, or held only a time or an end ("9:00", "do czerwca").
NOTHING = "—"


@dataclass(frozen=True)
class Worded:
    """A repetition put into words when the message is rendered (the reader's language)."""

    rule: Repetition

    def __format__(self, spec: str) -> str:
        return describe(self.rule)


@dataclass(frozen=True)
class _Understood:
    """ " (understood: at 09:00, until 30 June)" — or nothing when nothing was."""

    reading: _Reading

    def __format__(self, spec: str) -> str:
        bits = _end_and_time(self.reading.at, self.reading.until, self.reading.count)
        return t("repeat.understood", what=", ".join(bits)) if bits else ""


def parse(text: str, *, allowed: Allowed, today: date) -> Repetition:
    """The rule in `text` (any of the four languages), or a RepetitionError saying what
    was understood and showing examples. `today` (in the person's zone) places an end given
    without a year ("until June") in the coming twelve months."""
    shown = inert(text.strip())
    clean = " ".join(text.lower().replace("’", "'").split())
    if not clean:
        raise RepetitionError("error.repeat.unknown", value=shown, understood="", words=NOTHING)
    if "=" in clean:  # RFC 5545, the expert form: FREQ=MONTHLY;BYDAY=2TU
        body = clean.upper().removeprefix("RRULE:").replace(" ", "")
        return _expert(body, shown, allowed, today)
    reading = _Reading()
    rest = _take_parts(clean, reading, today, shown)
    rule = _core(rest, reading, shown)
    rule = replace(rule, at=reading.at, until=reading.until, count=reading.count)
    if reading.midnight:
        rule = _at_midnight(rule, shown)
    _check(rule, allowed, shown)
    return rule


def _at_midnight(rule: Repetition, shown: str) -> Repetition:
    """Midnight ends the day named, as in a single time ("jutro o północy" is 00:00 the day
    after tomorrow): "every Friday at midnight" is each Saturday at 00:00, and is said so.
    A day of the month has no such day after it in every month (the 31st, the last
    Monday): refused, to be said as 00:00 of the day meant."""
    if rule.ordinals or rule.monthday is not None:
        raise RepetitionError("error.repeat.midnight_day", value=shown)
    if rule.weekdays:
        return replace(rule, weekdays=tuple(sorted((day + 1) % 7 for day in rule.weekdays)))
    return rule


def is_length(text: str) -> bool:
    """Whether `text` only names a length of time ("tydzień", "pół roku", "a month"): read
    as a repetition it is "every week", but where one time belongs it says how far ahead."""
    tokens = [_token(word) for word in text.lower().split() if word not in ("a", "an")]
    kinds = [tok.kind if tok else "" for tok in tokens]
    return (
        kinds.count("unit") == 1
        and kinds[-1] == "unit"
        and all(kind in ("num", "half", "unit") for kind in kinds)
        and tokens[-1] is not None
        and tokens[-1].word not in _HOW_OFTEN
    )


def _expert(body: str, shown: str, allowed: Allowed, today: date) -> Repetition:
    if "DTSTART" in body:
        raise RepetitionError("error.rule.bad_rrule", value=shown)
    if allowed.weeks_only:
        raise RepetitionError("error.repeat.weeks_only", value=shown)
    rrules.check_rule(body, shown)
    body = _expert_until(body, shown, today)
    try:
        rrules.build(body, datetime(2026, 1, 1, 10, 0))  # noqa: DTZ001 - wall-clock anchor
    except rrules.RuleError:
        raise RepetitionError("error.rule.bad_rrule", value=shown) from None
    rule = from_body(body)
    _check(rule, allowed, shown)
    return rule


def _take_parts(clean: str, reading: _Reading, today: date, shown: str) -> str:
    """Take the end and the time out of the phrase; the rest is the repetition itself."""
    text = clean
    for pattern, replacement in _PHRASES:
        text = re.sub(pattern, replacement, text)
    until = _until_pattern().search(text)
    if until:
        reading.until = _until_date(until, today, shown)
        text = text[: until.start()] + " " + text[until.end() :]
    count = _COUNT.search(text)
    if count:
        reading.count = int(count["n"])
        text = text[: count.start()]
    text = _take_time(text, reading, shown)
    return " ".join(text.replace(",", " ").split())


def _take_time(text: str, reading: _Reading, shown: str) -> str:
    """Take the time of day out of the phrase, read as a single time's is ("co piątek w
    południe", "every Monday at 9 in the morning", "elke dag om half negen"): the longest
    run of words that names a time of day and nothing else. Two of them ("at noon at 9"),
    an hour the time cannot have ("o 25"), or a number left beside it ("at noon 9") are
    refused, never one of them chosen."""
    words = text.split()
    if len(words) > _MAX_WORDS:
        return text  # refused for its words, time words among them
    found = _time_span(words, 0, len(words), shown)
    if found is None:
        return text
    said = " ".join(words[found.start : found.end])
    if found.read is None:
        raise RepetitionError("error.repeat.bad_time", value=shown, time=inert(said))
    other = _time_span(words, 0, found.start, shown) or _time_span(
        words, found.end, len(words), shown
    )
    if other is not None:
        both = " ".join(words[min(found.start, other.start) : max(found.end, other.end)])
        # "o 12 w nocy" is one time that cannot be (noon or midnight?); "o 9 i o 18" two
        key = "error.repeat.bad_time" if _impossible(both) else "error.repeat.two_times"
        raise RepetitionError(key, value=shown, time=inert(both))
    if found.end < len(words) and words[found.end].isdigit() and not said.endswith(","):
        # "at noon 9", "o 9 30": a second hour, or minutes apart from their hour
        said = f"{said} {words[found.end]}"
        raise RepetitionError("error.repeat.bad_time", value=shown, time=inert(said))
    if not found.read.hour_named and found.read.part not in _FIXED_PARTS:
        # "co piątek rano": a single time's morning is 09:00, but a rule kept for good is
        # not set by a guess at which hour this morning means: the hour is asked for.
        raise RepetitionError("error.repeat.part_of_day", value=shown, words=inert(said))
    reading.at = found.read.at
    reading.midnight = found.read.part == "midnight"
    return " ".join([*words[: found.start], *words[found.end :]])


# Parts of the day that name one hour: noon and midnight.
_FIXED_PARTS = frozenset({"noon", "midnight"})


@dataclass(frozen=True)
class _TimeSpan:
    """Where a time of day stands among the words, and what it is (None: impossible)."""

    start: int
    end: int
    read: TimeOfDay | None


def _time_span(words: list[str], low: int, high: int, shown: str) -> _TimeSpan | None:
    """The time of day among `words[low:high]`: the longest run read in the reader's
    language first, then the others; failing one, the shortest run that names an
    impossible or contradictory time."""
    languages = _reading_languages()
    # Only runs of words a time of day can hold are read (most of a phrase is not one), and
    # of them only those with a number or a word of time: "on", "9" alone are none.
    timely = [in_time_of_day(word) for word in words]
    anchors = [
        any(ch.isdigit() for ch in word)
        or (timely[i] and not any(is_filler(word, lang=lang) for lang in LANGUAGES))
        for i, word in enumerate(words)
    ]
    impossible: _TimeSpan | None = None
    for length in range(min(high - low, _MAX_TIME_WORDS), 0, -1):
        for start in range(low, high - length + 1):
            end = start + length
            if not all(timely[start:end]) or not any(anchors[start:end]):
                continue
            if length == 1 and words[start].isdigit():  # a count, a day, not an hour
                continue
            try:
                read = _read_time(" ".join(words[start:end]), languages, shown)
            except Invalid:
                impossible = _TimeSpan(start, end, None)
                continue
            if read is None:
                continue
            lang, at = read
            found = _trimmed(words, _TimeSpan(start, end, at), lang)
            if _spoken_hour().fullmatch(" ".join(words[found.start : found.end])) and all(
                word in _FILLER for word in words[: found.start]
            ):
                continue  # "elke 9 uur": how often, not when
            return found
    return impossible


def _reading_languages() -> tuple[str, ...]:
    """The reader's language first: "half 9" is 9:30 in English, 8:30 in Dutch."""
    own = current_locale()
    return (own, *(lang for lang in LANGUAGES if lang != own))


class _Unreadable(Enum):
    """A run of words that is no time of day: it names one that cannot be ("o 25", "at noon
    at 9"), or two ("at 9 and at 6pm")."""

    IMPOSSIBLE = "impossible"
    TWO = "two times"


@functools.lru_cache(maxsize=1024)
def _time_of_day(text: str, lang: str) -> TimeOfDay | _Unreadable | None:
    """`time_of_day` kept for the phrase's runs of words, which repeat while spans are tried."""
    try:
        return time_of_day(text, lang=lang)
    except GivenTwice:
        return _Unreadable.TWO
    except (Invalid, ValueError):
        return _Unreadable.IMPOSSIBLE


def _read_time(text: str, languages: tuple[str, ...], shown: str) -> tuple[str, TimeOfDay] | None:
    """The language that reads `text` as a time of day, and the time: the reader's own, else
    the others when they agree ("half 9" in a Polish reader's phrase is 9:30 in English and
    8:30 in Dutch: refused, never one of them chosen). Invalid when none reads it and
    some language finds it one that cannot be, or two."""
    impossible = False
    readings: list[tuple[str, TimeOfDay]] = []
    for lang in languages:
        at = _time_of_day(text, lang)
        if isinstance(at, _Unreadable):
            impossible = True
        elif at is not None:
            if lang == languages[0]:
                return lang, at
            readings.append((lang, at))
    times = sorted({at.at for _, at in readings})
    if len(times) > 1:
        raise RepetitionError(
            "error.repeat.time_readings", value=shown, time=inert(text), readings=_Times(times)
        )
    if readings:
        return readings[0]
    if impossible:
        raise Invalid(text)
    return None


@dataclass(frozen=True)
class _Times:
    """Times put into an error's message when it is rendered: "08:30 lub 09:30"."""

    times: list[time]

    def __format__(self, spec: str) -> str:
        said = [f"{at:%H:%M}" for at in self.times]
        return format_list(said, style="or", locale=current_locale())


def _trimmed(words: list[str], span: _TimeSpan, lang: str) -> _TimeSpan:
    """The span without the words at its edges that the time's grammar skips, while the
    time stays the same: before it, those the repetition reads itself ("at" of "at noon",
    "roku"; "o" of "o 9 rano" stays the time's), and after it any ("o" of "w południe o 9"
    leads another time)."""
    start, end = span.start, span.end
    while (
        end - start > 1
        and _given_back(words[start], lang)
        and _reads(words[start + 1 : end], lang, span.read)
    ):
        start += 1
    while (
        end - start > 1
        and (_given_back(words[end - 1], lang) or is_filler(words[end - 1], lang=lang))
        and _reads(words[start : end - 1], lang, span.read)
    ):
        end -= 1
    return _TimeSpan(start, end, span.read)


def _given_back(word: str, lang: str) -> bool:
    """A word at the edge of a time that belongs to the repetition: one it skips ("at",
    "w", "на"), or one the time's grammar skips that the repetition reads ("roku")."""
    return word in _FILLER or (is_filler(word, lang=lang) and _token(word) is not None)


def _impossible(text: str) -> bool:
    """Whether some language reads `text` as one time of day that cannot be ("o 12 w
    nocy"), rather than as two ("at 9 and at 6pm")."""
    return any(_time_of_day(text, lang) is _Unreadable.IMPOSSIBLE for lang in LANGUAGES)


def _reads(words: list[str], lang: str, at: TimeOfDay | None) -> bool:
    return _time_of_day(" ".join(words), lang) == at


def _until_date(match: re.Match[str], today: date, shown: str) -> date:
    try:
        if match["tomorrow"]:
            end = today + timedelta(days=1)
        elif match["weekday"]:
            # The coming one; said on that very day, the next week's (an end of today
            # would leave nothing to repeat). The confirmation names the date.
            weekday = next(
                n for n, p in enumerate(_word_patterns().days) if p.fullmatch(match["weekday"])
            )
            end = today + timedelta(days=(weekday - today.weekday() - 1) % 7 + 1)
        elif match["end_of"]:
            unit = match["en_unit"] or match["pl_unit"] or match["nl_unit"] or match["bg_unit"]
            if unit in ("year", "roku", "het jaar", "годината"):
                end = date(today.year, 12, 31)
            else:
                end = date(today.year, today.month, calendar.monthrange(today.year, today.month)[1])
        elif match["iso"]:
            end = date.fromisoformat(match["iso"])
        elif match["dm"]:
            year = int(match["y1"]) if match["y1"] else today.year
            end = date(year, int(match["m"]), int(match["dm"]))
            if not match["y1"] and end < today:
                end = date(year + 1, end.month, end.day)
        else:
            months = _word_patterns().months
            month = next(n for n, p in months.items() if p.fullmatch(match["month"]))
            day_text = match["day"] or match["day2"]
            year = int(match["year"]) if match["year"] else today.year
            last = calendar.monthrange(year, month)[1]
            end = date(year, month, int(day_text) if day_text else last)
            if not match["year"] and end < today:
                last = calendar.monthrange(year + 1, month)[1]
                end = date(year + 1, month, int(day_text) if day_text else last)
    except ValueError:
        raise RepetitionError("error.repeat.bad_until", value=shown) from None
    if end < today:
        raise RepetitionError("error.repeat.until_past", value=shown, until=_Day(end))
    return end


_RULE_UNTIL = re.compile(r"UNTIL=(\d{8})(T\d{6})?(Z?)")


def _expert_until(body: str, shown: str, today: date) -> str:
    """An RRULE's UNTIL is the last day, as in the worded form: refused when that day has
    passed (not "not understood"), and a UTC end (…Z) read as the day it names — the
    rules run on wall-clock time, where dateutil refuses a UTC end."""
    match = _RULE_UNTIL.search(body)
    if match is None:
        return body
    try:
        end = date(int(match[1][:4]), int(match[1][4:6]), int(match[1][6:]))
    except ValueError:
        raise RepetitionError("error.repeat.bad_until", value=shown) from None
    if end < today:
        raise RepetitionError("error.repeat.until_past", value=shown, until=_Day(end))
    return body[: match.start()] + f"UNTIL={match[1]}{match[2] or ''}" + body[match.end() :]


def _core(rest: str, reading: _Reading, shown: str) -> Repetition:
    tokens: list[_Token] = []
    for word in rest.split():
        if word in _FILLER:
            continue
        token = _token(word)
        if token is None:
            reading.unknown.append(word)
        else:
            tokens.append(token)
    if reading.unknown:
        raise RepetitionError(
            "error.repeat.unknown",
            value=shown,
            understood=_Understood(reading),
            words=inert(" ".join(reading.unknown)),
        )
    rule = _grammar(tokens)
    if rule is None:
        raise RepetitionError(
            "error.repeat.unknown",
            value=shown,
            understood=_Understood(reading),
            words=inert(rest) if rest else NOTHING,
        )
    return rule


def _grammar(tokens: list[_Token]) -> Repetition | None:
    kinds = [tok.kind for tok in tokens]
    values = [tok.value for tok in tokens]
    # every N units: "co 3 dni", "every 2 weeks", "weekly", "every other week"
    if kinds == ["unit"]:
        return Repetition(Unit(values[0]))
    # "every 6th month", "elke 5e maand", "всеки 5-и месец": every so many, as "every
    # 5th month" is; a day of the month says so ("the 5th of the month", "on the 5th")
    if kinds in (["num", "unit"], ["ord", "unit"], ["monthday", "unit"]) and values[0] >= 1:
        return Repetition(Unit(values[1]), values[0])
    if kinds == ["num", "ord"] and tokens[1].word == "second":  # "every 1 second"
        return Repetition(Unit.SECOND, values[0])
    if kinds == ["half", "unit"] and values[1] == Unit.YEAR:
        return Repetition(Unit.MONTH, 6)
    # "twice a year", "dwa razy w roku", "два пъти годишно", "once a month"
    per = _per_period(tokens)
    if per is not None:
        return per
    # weekdays, weekends, "on Mondays and Thursdays", "every 2 weeks on Monday"
    days = _days_rule(tokens)
    if days is not None:
        return days
    # the first Monday of the month, the 15th of every month, the last day of the month
    return _month_rule(tokens)


def _per_period(tokens: list[_Token]) -> Repetition | None:
    kinds = [tok.kind for tok in tokens]
    if kinds == ["times", "unit"] and tokens[0].word == "raz":  # "raz w roku": once a year
        return Repetition(Unit(tokens[1].value))
    if kinds == ["num_times", "unit"]:
        n, unit = tokens[0].value, Unit(tokens[1].value)
    elif kinds == ["num", "times", "unit"]:
        n, unit = tokens[0].value, Unit(tokens[2].value)
    else:
        return None
    if n == 1:
        return Repetition(unit)
    if unit is Unit.YEAR and n >= 1 and MONTHS_PER_YEAR % n == 0:
        return Repetition(Unit.MONTH, MONTHS_PER_YEAR // n)
    return None  # "twice a week": on which days? Ask rather than guess.


def _days_rule(tokens: list[_Token]) -> Repetition | None:
    interval = 1
    rest = tokens
    if rest and rest[0].kind in ("num", "ord") and len(rest) > 1 and rest[1].kind == "unit":
        if rest[1].value != Unit.WEEK or rest[0].value < 1:
            return None
        interval, rest = rest[0].value, rest[2:]
    elif rest and rest[0].kind == "unit":
        if rest[0].value != Unit.WEEK:
            return None
        rest = rest[1:]
    elif rest and rest[0].kind == "ord" and rest[0].value == 2 and len(rest) == 2:
        # "co drugi poniedziałek", "every other Monday": every second week
        interval, rest = 2, rest[1:]
    if not rest:
        return None
    days: list[int] = []
    for tok in rest:
        if tok.kind == "day":
            days.append(tok.value)
        elif tok.kind == "workdays":
            days.extend(WORKDAYS)
        elif tok.kind == "weekend":
            days.extend(WEEKEND)
        else:
            return None
    return Repetition(Unit.WEEK, interval, tuple(sorted(set(days))))


def _month_rule(tokens: list[_Token]) -> Repetition | None:
    # "the 15th day", "on day 15", "the last day": the word "day" only says what the
    # number counts ("daily" says how often: "monthly on the 15th daily" is no rule)
    tokens = [
        _Token("dateword", word=tok.word)
        if tok.kind == "unit" and tok.value == Unit.DAY and tok.word not in _DAILY
        else tok
        for tok in tokens
    ]
    units = [i for i, tok in enumerate(tokens) if tok.kind == "unit"]
    if not units:
        return None
    if (
        len(units) > 1
        and units[-1] == len(tokens) - 1
        and tokens[units[-1]].value == tokens[units[-2]].value == Unit.MONTH
        and any(tok.kind in _DAY_OF for tok in tokens[units[-2] + 1 : units[-1]])
    ):
        # "co 3 miesiące, 2 dnia miesiąca": the closing "of the month" of a day repeats the
        # unit ("co miesiąc, 9 miesięcy" names no day: it is refused, not the 9th)
        tokens, units = tokens[:-1], units[:-1]
    at = units[-1]
    if tokens[at].value != Unit.MONTH:
        return None
    interval = 1
    before = tokens[:at]
    after = tokens[at + 1 :]
    if before and before[-1].kind == "num" and not after:
        # "15 dnia co 2 miesiące" is too rare to guess at; "every 2 months on the 1st" is fine
        return None
    if before and before[0].kind == "num" and len(before) == 1 and after:
        interval, before = before[0].value, []
    which = [*before, *after]
    kinds = [tok.kind for tok in which]
    # the first (and third) Monday of the month
    if kinds and kinds[-1] == "day" and all(k == "ord" for k in kinds[:-1]) and len(kinds) > 1:
        ordinals = tuple(sorted({tok.value for tok in which[:-1]}, key=_ordinal_order))
        return Repetition(Unit.MONTH, interval, (which[-1].value,), ordinals)
    # the 15th day of the month, the last day of the month
    if kinds in (
        ["monthday"],
        ["monthday", "dateword"],
        ["num", "dateword"],
        ["num"],
        ["dateword", "num"],  # "on day 15", "dnia 15"
    ):
        day = next(tok.value for tok in which if tok.kind != "dateword")
        return Repetition(Unit.MONTH, interval, monthday=day) if 1 <= day <= 31 else None
    if kinds in (["ord"], ["ord", "dateword"]):
        return Repetition(Unit.MONTH, interval, monthday=which[0].value)
    return None


def _day_of_month(day: int) -> str:
    """The day as the reader's language names it: Bulgarian counts "число" with a neuter
    ordinal (1-во, 2-ро, 3-то, 7-мо, 15-о), the others with the bare number."""
    if current_locale() != "bg":
        return str(day)
    if 11 <= day % 100 <= 19:
        return f"{day}-о"
    return f"{day}-" + {1: "во", 2: "ро", 3: "то", 4: "то", 7: "мо", 8: "мо"}.get(day % 10, "о")


def _ordinal_order(n: int) -> int:
    return 99 if n < 0 else n


def _check(rule: Repetition, allowed: Allowed, shown: str) -> None:
    """Refuse what the feature cannot keep, saying what was understood."""
    understood = Worded(rule)
    if not allowed.end and (rule.until or rule.count):
        raise RepetitionError("error.repeat.no_end", value=shown)
    if rule.until is not None and rule.count is not None:
        # RFC 5545 allows one end only; a silent choice would drop what was asked.
        raise RepetitionError("error.repeat.count_and_until", value=shown)
    if allowed.weeks_only and (rule.unit is not Unit.WEEK or rule.weekdays or rule.at):
        raise RepetitionError("error.repeat.weeks_only", value=shown)
    if rule.unit <= Unit.HOUR and rule.at is not None:
        # "every hour at 9": an hourly rule has no hour of the day; keeping the minutes
        # and dropping the 9 would be a silent guess.
        raise RepetitionError("error.repeat.hourly_at", value=shown, time=f"{rule.at:%H:%M}")
    if rule.unit < allowed.shortest:
        raise RepetitionError(
            "error.repeat.too_often",
            value=shown,
            understood=understood,
            shortest=Worded(allowed.example()),
        )
    limit = min(MAX_INTERVAL[rule.unit], allowed.longest or MAX_INTERVAL[rule.unit])
    if not 1 <= rule.interval <= limit:
        raise RepetitionError(
            "error.repeat.interval",
            value=shown,
            understood=understood,
            max=Worded(Repetition(rule.unit, limit)),
        )
    if rule.ordinals and rule.unit is Unit.MONTH and any(abs(n) > 5 for n in rule.ordinals):
        raise RepetitionError("error.repeat.unknown", value=shown, understood="", words=shown)
    if rule.count is not None and not 1 <= rule.count <= rrules.MAX_COUNT:
        raise RepetitionError("error.repeat.count", value=shown, max=rrules.MAX_COUNT)


# -- dates ---------------------------------------------------------------------------------


def localize(naive: datetime, zone: ZoneInfo) -> datetime:
    """Attach the zone; a wall-clock time that does not exist (the spring gap) moves on."""
    aware = naive.replace(tzinfo=zone)
    round_trip = aware.astimezone(ZoneInfo("UTC")).astimezone(zone)
    return round_trip if round_trip.replace(tzinfo=None) != naive else aware


def dates(
    rule: Repetition, anchor: datetime, after: datetime, tz: str, count: int = 3
) -> list[datetime]:
    """Up to `count` occurrences strictly after `after`, of the rule started at `anchor`
    (an occurrence, or the first time asked for), at the wall-clock time in `tz`.
    RuleError when the rule cannot be computed in time (bot.timelang.rrules.expand)."""
    zone = ZoneInfo(tz)
    start = anchor.astimezone(zone).replace(tzinfo=None, microsecond=0)
    built = rrules.build(rule.body(), start)
    local_after = after.astimezone(zone).replace(tzinfo=None)
    found = rrules.expand(built, local_after, count=count)
    return [localize(at, zone) for at in found]


def first_from(rule: Repetition, asked: datetime, tz: str) -> datetime | None:
    """The first occurrence at or after `asked`: `asked` itself when it fits the rule, else
    the next time that does (a working-days rule asked for a Saturday starts on Monday).
    An interval counts from that first one, as people mean it: "co 2 tygodnie w
    poniedziałek" asked on a Thursday starts next Monday, "every 3 months on the 2nd"
    asked on 13 February starts on 2 March (RFC 5545 would count from the week or month
    asked in, and skip them). The expert form keeps RFC 5545's reading. None when the
    rule has no occurrence left."""
    pattern = rule if rule.expert is not None else replace(rule, interval=1)
    found = dates(pattern, asked, asked - timedelta(seconds=1), tz, count=1)
    return found[0] if found else None


def settle(rule: Repetition, first: datetime, tz: str) -> Repetition:
    """Fix what the first occurrence decides, for a rule computed afresh from each
    occurrence: its time of day, the weekday of "every 2 weeks", the day of the month of
    "every 3 months" (the 31st stands for the last day of a short month), and the last date
    of "10 times" (a count would start again from every occurrence)."""
    if rule.expert is not None:
        return rule
    local = first.astimezone(ZoneInfo(tz))
    if rule.unit >= Unit.HOUR:
        rule = rule.with_time(local.time())
    if rule.unit is Unit.WEEK and not rule.weekdays:
        rule = replace(rule, weekdays=(local.weekday(),))
    if rule.unit is Unit.MONTH and not rule.ordinals and rule.monthday is None:
        rule = replace(rule, monthday=local.day)
    if rule.count is not None:
        found = dates(
            rule, first, first.replace(microsecond=0) - timedelta(seconds=1), tz, rule.count
        )
        last = found[-1].astimezone(ZoneInfo(tz)).date() if found else local.date()
        rule = replace(rule, count=None, until=last)
    return rule


# -- words ---------------------------------------------------------------------------------

_PLAIN = {
    Unit.SECOND: "repeat.every.second",
    Unit.MINUTE: "repeat.every.minute",
    Unit.HOUR: "repeat.every.hour",
    Unit.DAY: "repeat.every.day",
    Unit.WEEK: "repeat.every.week",
    Unit.MONTH: "repeat.every.month",
    Unit.YEAR: "repeat.every.year",
}


def describe(rule: Repetition) -> str:
    """The rule in words in the current language: "co 2 tygodnie: poniedziałek, o 09:00,
    do 30 czerwca 2026"."""
    if rule.expert is not None:
        return t("repeat.expert", rule=rule.expert)
    # "every 3 hours" keeps its minute, not a time of day worth saying
    at = rule.at if rule.unit >= Unit.DAY else None
    parts = [_what(rule), *_end_and_time(at, rule.until, rule.count)]
    return ", ".join(parts)


def _what(rule: Repetition) -> str:
    every = tn(_PLAIN[rule.unit], rule.interval)
    if rule.ordinals:
        which = format_list(
            [t(f"repeat.nth.{n}.{rule.weekdays[0]}") for n in rule.ordinals],
            locale=current_locale(),
        )
        return which if rule.interval == 1 else t("repeat.every_which", every=every, which=which)
    if rule.monthday is not None:
        if rule.monthday < 0:
            return t("repeat.monthday.last", every=every)
        return t("repeat.monthday", every=every, day=_day_of_month(rule.monthday))
    if rule.weekdays:
        if rule.weekdays == WORKDAYS and rule.interval == 1:
            return t("repeat.workdays")
        if rule.weekdays == WEEKEND and rule.interval == 1:
            return t("repeat.weekend")
        if len(rule.weekdays) == 1 and rule.interval in (1, 2):
            # "w każdą środę", "co drugi poniedziałek": said whole, so that words agree
            kind = "weekly" if rule.interval == 1 else "other"
            return t(f"repeat.{kind}.{rule.weekdays[0]}")
        names = get_day_names("wide", locale=current_locale())
        days = format_list([names[d] for d in rule.weekdays], locale=current_locale())
        return t("repeat.on_days", every=every, days=days)
    return every


def _end_and_time(at: time | None, until: date | None, count: int | None) -> list[str]:
    bits = []
    if at is not None:
        bits.append(t("repeat.at", time=at.strftime("%H:%M")))
    if until is not None:
        bits.append(t("repeat.until", date=_date(until)))
    if count is not None:
        bits.append(tn("repeat.count", count))
    return bits


@dataclass(frozen=True)
class _Day:
    """A day put into an error's message when it is rendered: in the reader's language."""

    day: date

    def __format__(self, spec: str) -> str:
        return _date(self.day)


def _date(day: date) -> str:
    return format_date(day, "d MMMM y", locale=current_locale())


def next_dates(upcoming: list[datetime] | tuple[datetime, ...]) -> str:
    """ "Next: Monday, 23 March 2026 09:00 CET; …" — timestamps each reader sees in their zone."""
    return t("repeat.next", dates="; ".join(stamp(at, "F") for at in upcoming))
