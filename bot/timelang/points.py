"""Natural-language time -> aware datetime, for every command that takes a time.

`parse_when("jutro o 18", now=..., tz="Europe/Warsaw", lang="pl")` returns the moment
meant, in zone `tz`, strictly after `now`, or None for a past, impossible or
unintelligible phrase. It never raises and never reads the system clock.

How: the phrase is normalised and run through table-driven rules
(`bot.timelang.rules`, words in `bot.timelang.words`, holidays in `bot.timelang.holidays`)
that recognise the common shapes (dates, clock times, parts of the day, relative days,
weekdays, durations, holidays) and resolve them here with the bot's conventions.
Only phrases the rules cannot read entirely go to dateparser, whose naive wall-clock
answer is then localised here (dateparser keeps the winter offset across DST).
Conventions are documented in docs/timeparse.md.
"""

from __future__ import annotations

import functools
import re
from calendar import monthrange
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateutil.relativedelta import relativedelta

from bot.timelang.holidays import NotInTable, holiday_dates
from bot.timelang.lexicon import fold, normalize
from bot.timelang.rules import (
    Found,
    Invalid,
    extract,
    grammar_of,
    time_of_day_grammar_of,
    time_of_day_words,
)
from bot.timelang.words import LANGUAGES, PART_HOURS

if TYPE_CHECKING:
    from dateparser.date import DateDataParser

DEFAULT_TIME = time(9, 0)  # a date without a time
MAX_LENGTH = 200  # longer texts are not times; refusing them bounds the work
# dateparser's cost grows quickly with length (0.1 s+ for 200 chars of noise); no
# phrase the rules miss is that long.
_FALLBACK_MAX_LENGTH = 80
_YEARS_AHEAD = 9  # a yearless 29 February may be up to 8 years away
_FALLBACK_LANGUAGE = "en"
# Zone abbreviations that name several zones (IST: India, Ireland, Israel; CST: US
# Central, China, Cuba; AST: Atlantic, Arabia): dateparser picks one, we cannot know.
_AMBIGUOUS_ZONES = re.compile(r"\b(?:ist|cst|ast)\b")
# Two times or days joined by a dash ("10-12", "12.03-14.03", "10:00 – 12:00"): a range,
# which dateparser reads as one moment ("12:03 on 14 March"). The dated forms with
# dashes (2026-03-12, 16-01-2026, 16-01) are read by the rules before the fallback.
_RANGE = re.compile(
    r"(?<![0-9-])[0-9]{1,2}(?:[.:][0-9]{2})?\s*[-–—]\s*[0-9]{1,2}(?:[.:][0-9]{2})?(?![0-9-])"
)

# A lone letter after a number ("3 a", "3 m"): dateparser makes a guess of it ("3 a" was
# 3 January, "3 m" three minutes or months?); only "in 3 d", "in 2 h" say what they count.
_LONE_LETTER = re.compile(r"(?<!\S)\d+\s+([^\W\d_])(?!\S)")
_COUNTED = re.compile(r"^(?:in|za|over|binnen|след)\s+\d+\s+[dh]$")

# Settings for the dateparser fallback; RELATIVE_BASE and TIMEZONE are per call, and
# PARTS_OF_DAY is added with dateparser itself, which loads on the fallback's first use.
_DATEPARSER_SETTINGS: dict[str, object] = {
    "PREFER_DATES_FROM": "future",
    "PREFER_DAY_OF_MONTH": "first",
    "DATE_ORDER": "DMY",
    "PREFER_LOCALE_DATE_ORDER": False,
    # Naive wall-clock results, localised by us with zoneinfo (DST-correct).
    "RETURN_AS_TIMEZONE_AWARE": False,
    # No "timestamp": a bare number like 1900000000 is not a time anyone types.
    "PARSERS": ["relative-time", "absolute-time"],
}


def parse_when(text: str, *, now: datetime, tz: str, lang: str) -> datetime | None:
    """The moment `text` names, in zone `tz`, strictly after the aware `now`; else None.

    `lang` is "pl", "en", "nl" or "bg" (anything else reads as English). A wall-clock
    time the zone skips (02:30 on the spring-forward night) is None too: see `skipped`.
    """
    try:
        when = _read(text, now, tz, lang)
    except (Invalid, ValueError, OverflowError):
        # Impossible dates/times (31 February, 25:00) and out-of-range arithmetic.
        return None
    return when if when is not None and when > now else None


def skipped(text: str, *, now: datetime, tz: str, lang: str) -> datetime | None:
    """When `text` names a wall-clock time that does not exist in `tz` (the clocks jump
    over it), the moment they jump to — offered instead, never taken silently."""
    try:
        _read(text, now, tz, lang)
    except InGap as gap:
        return gap.moved
    except (Invalid, ValueError, OverflowError):
        return None
    return None


def beyond_table(text: str, *, now: datetime, tz: str, lang: str) -> tuple[int, int] | None:
    """When `text` names a day known only from a table (Diwali, Eid al-Fitr, ...) in a
    year the table does not cover, the first and last years it does; refused, never
    extrapolated."""
    try:
        _read(text, now, tz, lang)
    except NotInTable as outside:
        return outside.first, outside.last
    except (Invalid, ValueError, OverflowError):
        return None
    return None


def todays_weekday(
    text: str, *, now: datetime, tz: str, lang: str
) -> tuple[datetime, datetime] | None:
    """When `text` names today's weekday at a time still ahead ("w czwartek o 15" on a
    Thursday morning), the two moments it may mean: today, and a week later."""
    try:
        _read(text, now, tz, lang)
    except TodaysWeekday as both:
        return both.today, both.week_later
    except (Invalid, ValueError, OverflowError):
        return None
    return None


def passed(text: str, *, now: datetime, tz: str, lang: str) -> datetime | None:
    """When `text` names a moment at or before `now` ("wczoraj", "yesterday at 10",
    "1 maart 2025"), that moment; else None."""
    try:
        when = _read(text, now, tz, lang)
    except (Invalid, ValueError, OverflowError):
        return None
    return when if when is not None and when <= now else None


@dataclass(frozen=True)
class TimeOfDay:
    """A time of day read alone: the wall-clock time, the part of the day named with it
    ("morning", "noon", "midnight", ...), and whether an hour was named too ("o 9 rano")
    or the part of the day stands alone ("rano": its conventional hour)."""

    at: time
    part: str | None
    hour_named: bool


def time_of_day(text: str, *, lang: str) -> TimeOfDay | None:
    """The time of day `text` names and nothing else ("noon", "o 9 rano", "half negen",
    "7 вечерта", "kwadrans po 9"), read with the words and conventions of a single time;
    None when it names something else too, or not a time of day. Raises Invalid or
    ValueError for one that is impossible or contradictory ("at noon at 9", "o 25")."""
    if not isinstance(text, str) or len(text) > MAX_LENGTH:
        return None
    found = extract(normalize(text), time_of_day_grammar_of(_language(lang)))
    if found is None or (found.hour is None and found.part is None):
        return None
    if found.month is not None or found.day is not None:  # "15.04": a date
        return None
    clock = _clock(found)
    assert clock is not None  # an hour or a part of the day was found
    return TimeOfDay(clock, found.part, found.hour is not None)


def in_time_of_day(word: str) -> bool:
    """Whether `word` may stand in a time of day in one of the languages: it holds a digit,
    or it is a word the time-of-day steps read ("noon", "rano", "'s", "вечерта", "at")."""
    if any(ch.isdigit() for ch in word):
        return True
    said = normalize(word)
    return any(
        (fold(said) if LANGUAGES[lang].fold else said) in time_of_day_words(lang)
        for lang in LANGUAGES
    )


def is_filler(word: str, *, lang: str) -> bool:
    """Whether `lang`'s time grammar skips `word` ("o", "at", "roku", "на")."""
    grammar = grammar_of(_language(lang))
    return (fold(word) if grammar.lexicon.words.fold else word) in grammar.lexicon.fillers


class TodaysWeekday(Invalid):
    """A plain weekday that is today's, at a time still ahead today: today, or the same
    day next week? Both readings are offered, neither is taken."""

    def __init__(self, today: datetime, week_later: datetime) -> None:
        super().__init__("today, or a week from today")
        self.today = today
        self.week_later = week_later


def recognised(text: str, *, lang: str) -> bool:
    """Whether `lang`'s own rules read every word of `text`, whatever its answer: a time,
    a past or impossible one ("31 lutego"), a length without its unit ("za 5") or a bound
    ("do 10"). Such a phrase is that language's, so another language's reading of it is
    not asked for (the Dutch "za 5" is Saturday at five, "do 10" Thursday at ten)."""
    if not isinstance(text, str) or len(text) > MAX_LENGTH:
        return False
    code = _language(lang)
    normalised = normalize(text)
    grammar = grammar_of(code)
    if grammar.unitless.fullmatch(normalised) or _bound(normalised, code):
        return True
    try:
        return extract(normalised, grammar) is not None
    except (Invalid, ValueError, OverflowError):
        return True


def _bound(text: str, lang: str) -> bool:
    """Whether the normalised `text` opens with a bound ("do 10", "by friday", "до 10"):
    a limit, not a moment; dateparser dropped the word ("до 10" was the 10th, passed)."""
    grammar = grammar_of(lang)
    return grammar.bound.match(fold(text) if grammar.lexicon.words.fold else text) is not None


class InGap(Invalid):
    """A wall-clock time inside a DST gap; `moved` is the same time pushed past it."""

    def __init__(self, moved: datetime) -> None:
        super().__init__("the clocks skip this time")
        self.moved = moved


def _read(text: str, now: datetime, tz: str, lang: str) -> datetime | None:
    try:
        zone = ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        return None
    if not isinstance(text, str) or len(text) > MAX_LENGTH:
        return None
    if not isinstance(now, datetime) or now.utcoffset() is None:
        return None
    return _parse(normalize(text), now.astimezone(zone), zone, _language(lang))


def _language(lang: object) -> str:
    """Language code: "pl", "PL", "pl-PL" -> "pl"; unknown -> English."""
    if isinstance(lang, str):
        code = lang.strip().lower().replace("_", "-").split("-")[0]
        if code in LANGUAGES:
            return code
    return _FALLBACK_LANGUAGE


def _parse(text: str, now: datetime, zone: ZoneInfo, lang: str) -> datetime | None:
    if not text:
        return None
    found = extract(text, grammar_of(lang))
    if found is None:
        return _fallback(text, now, zone, lang)
    return _resolve(found, now, zone)


# -- resolution of rule matches -----------------------------------------------------------


def _resolve(found: Found, now: datetime, zone: ZoneInfo) -> datetime | None:
    if found.offset is not None:
        # "Thursday 8h GMT": the day and time are the named zone's; the answer is ours.
        named = timezone(timedelta(minutes=found.offset))
        if (found.hour is None and found.part not in ("noon", "midnight")) or found.duration:
            raise Invalid("a zone needs a clock time")
        when = _resolve_in(found, now.astimezone(named), named)
        return None if when is None else when.astimezone(zone)
    return _resolve_in(found, now, zone)


def _resolve_in(found: Found, now: datetime, zone: tzinfo) -> datetime | None:
    clock = _clock(found)
    _year_from(found, now.date())
    if found.duration:
        return _after_duration(found, now, zone, clock)
    at = clock or DEFAULT_TIME
    # Midnight ends the day named: "jutro o północy" is 00:00 the day after tomorrow.
    shift = timedelta(days=1 if found.part == "midnight" else 0)
    when = None
    for day in _shifted(found, _candidate_days(found, now.date(), clock is not None)):
        try:
            when = _localize(datetime.combine(day + shift, at), zone)
        except InGap as gap:
            if gap.moved <= now:  # a skipped time already behind us: not the one meant
                continue
            raise
        if when > now:
            if found.weekday is not None and day.weekday() != found.weekday:
                raise Invalid("the weekday does not match the date")  # "czwartek 13 marca"
            if _plain_weekday(found) and day == now.date():
                raise TodaysWeekday(when, _localize(datetime.combine(day + timedelta(7), at), zone))
            return when
    # Every day it may mean has passed ("wczoraj", "1 marca 2025"): the latest, so that
    # the answer can say it passed rather than that it was not understood.
    return when


def _shifted(found: Found, days: list[date]) -> list[date]:
    """ "3 days after Easter": the days named, moved. Only a holiday or a day of a month
    is moved this way; "2 days before Friday" is not read."""
    if found.shift_days is None:
        return days
    if found.holiday is None and (found.month is None or found.day is None):
        raise Invalid("days before or after what?")
    return [day + timedelta(days=found.shift_days) for day in days]


def _year_from(found: Found, today: date) -> None:
    """The year a phrase names by its distance: "next year", "Diwali in 3 years",
    "Thanksgiving 9 months from now" (the holiday of the year we will then be in). Only
    a day of a month or a holiday is placed in a year this way."""
    if found.year_offset is not None:
        if found.month is None and found.holiday is None:
            raise Invalid("a year without a day")
        found.put(year=today.year + found.year_offset)
    if found.holiday and found.duration:
        if found.days or found.seconds:
            raise Invalid("a holiday and a duration shorter than months")
        found.put(year=(today + relativedelta(months=found.months)).year)
        found.duration = False


def _plain_weekday(found: Found) -> bool:
    """A weekday alone, with no date, week or "next" that says which one."""
    return (
        found.weekday is not None
        and found.day is None
        and found.nth is None
        and found.weekday_count is None
        and not (
            found.next_week
            or found.this_week
            or found.after_next
            or found.week_later
            or found.this_one
        )
    )


def _clock(found: Found) -> time | None:
    """The time of day named, if any (hour/minute, am/pm, part of the day)."""
    if found.hour is None:
        return time(PART_HOURS[found.part]) if found.part else None
    hour = found.hour
    if found.meridiem:
        if not 1 <= hour <= 12:
            raise Invalid("am/pm needs an hour 1-12")
        hour = hour % 12 + (12 if found.meridiem == "p" else 0)
    elif found.part:
        hour = _with_part(hour, found.part)
    elif found.twelve_hour and hour < 7:
        # "half 3", "quarter past 5", "в 2 и половина": a 12-hour clock phrase
        # without am/pm means daytime, 07:00-18:59.
        hour += 12
    return time(hour, found.minute, found.second)


def _with_part(hour: int, part: str) -> int:
    """An hour read with its part of day: "7 wieczorem" -> 19, "2 w nocy" -> 2,
    "o drugiej w południe" -> 14."""
    if part in ("morning", "evening", "night") and hour == 12:
        raise Invalid("12 in the morning or evening: noon or midnight?")
    if part == "noon" and hour != 12:
        if not 1 <= hour <= 6:
            raise Invalid("an hour far from noon")
        return hour + 12
    if part in ("afternoon", "evening") and hour < 12:
        return hour + 12
    if part == "night" and 6 <= hour < 12:
        return hour + 12
    if part == "morning" and hour > 12:
        raise Invalid("an afternoon hour in the morning")
    if part == "midnight":
        raise Invalid("an hour at midnight")
    return hour


def _candidate_days(found: Found, today: date, has_clock: bool) -> list[date]:
    """The days the phrase may mean, earliest first; the first one whose time is
    still ahead wins."""
    if (found.nth is not None or found.last_day) and found.day is not None:
        raise Invalid("a day of the month given twice")  # "the 5th last day of May"
    if found.nth is not None:
        return _nth_weekdays(found, today)
    if found.weekday_count is not None and found.weekday is not None:
        # "3 fridays from now": counted from tomorrow.
        first = today + timedelta(days=(found.weekday - today.weekday() - 1) % 7 + 1)
        return [first + timedelta(weeks=found.weekday_count - 1)]
    if found.last_day:
        return [
            month.replace(day=monthrange(month.year, month.month)[1])
            for month in _months(found, today)
        ]
    if found.holiday:
        if found.year:
            days = holiday_dates(found.holiday, found.year)
            if len(days) > 1:  # the Islamic year is shorter: "Eid al-Fitr 2033" is twice
                raise Invalid("two such days in the year named")
        else:
            years = (today.year, today.year + 1)
            days = [day for year in years for day in holiday_dates(found.holiday, year)]
        if found.month is not None or found.day is not None:
            # "Wigilia 24 grudnia" names one day twice; "1.5 days before Easter" (1 May?)
            # names two.
            days = [d for d in days if (d.month, d.day) == (found.month or d.month, found.day)]
            if not days:
                raise Invalid("a holiday and a date that disagree")
    elif found.month is not None and found.day is not None:
        days = _calendar_days(found, today)
    elif found.day is not None:
        days = _days_of_month(found.day, today)
    elif found.day_offset is not None:
        days = [today + timedelta(days=found.day_offset)]
    elif found.weekday is not None:
        monday = today - timedelta(days=today.weekday())
        if found.next_week:  # that day of the next Monday-based calendar week
            return [monday + timedelta(days=7 + found.weekday)]
        if found.this_week:  # that day of this week, passed or not
            return [monday + timedelta(days=found.weekday)]
        if found.week_later:  # the nearest one, today included, and a week
            return [today + timedelta(days=(found.weekday - today.weekday()) % 7 + 7)]
        if found.after_next:  # skip the nearest coming one (tomorrow at the earliest)
            return [today + timedelta(days=(found.weekday - today.weekday() - 1) % 7 + 8)]
        first = today + timedelta(days=(found.weekday - today.weekday()) % 7)
        return [first, first + timedelta(days=7)]
    elif has_clock:  # a bare time: today if still ahead, else tomorrow
        return [today, today + timedelta(days=1)]
    else:
        return []
    if found.next_week:
        raise Invalid("next week and a date")
    if found.day_offset is not None:
        # "jutro 16.01" names one day twice; "jutro 10-12" (hours 10 to 12, read as
        # 10 December) names two different ones.
        named = today + timedelta(days=found.day_offset)
        if named not in days:
            raise Invalid("a relative day and a date that disagree")
        days = [named]
    # With a date, a weekday only confirms it ("w piątek 13 marca"); see _resolve.
    return days


def _months(found: Found, today: date) -> list[date]:
    """The first days of the months a phrase may mean: the month named, this year and
    the next (or the year named); without one, this month and the next twelve."""
    if found.month is None:
        first = today.replace(day=1)
        return [first + relativedelta(months=n) for n in range(13)]
    years = [found.year] if found.year else range(today.year, today.year + 2)
    return [date(year, found.month, 1) for year in years]


def _nth_weekdays(found: Found, today: date) -> list[date]:
    """The n-th (or last) weekday of the month named, this year and the next ones, or
    of this month and the next ones when none is named; months without a 5th such
    weekday are skipped."""
    assert found.nth is not None and found.weekday is not None
    days = []
    for month in _months(found, today):
        if found.nth > 0:
            day = 1 + (found.weekday - month.weekday()) % 7 + 7 * (found.nth - 1)
        else:
            last = monthrange(month.year, month.month)[1]
            day = last - (month.replace(day=last).weekday() - found.weekday) % 7
        if day <= monthrange(month.year, month.month)[1]:
            days.append(month.replace(day=day))
    return days


def _calendar_days(found: Found, today: date) -> list[date]:
    """A day and month, with the given year or in the next years."""
    assert found.month is not None and found.day is not None
    if found.year is not None:
        return [date(found.year, found.month, found.day)]
    date(2000, found.month, found.day)  # ValueError unless valid in a leap year
    days = []
    for year in range(today.year, today.year + _YEARS_AHEAD):
        try:
            days.append(date(year, found.month, found.day))
        except ValueError:  # 29 February outside leap years
            continue
    return days


def _days_of_month(day: int, today: date) -> list[date]:
    """A day of a month ("the 12th"): this month's, or of the next months having it."""
    if not 1 <= day <= 31:
        raise Invalid("no such day")
    first = today.replace(day=1)
    months = (first + relativedelta(months=n) for n in range(13))
    return [m.replace(day=day) for m in months if day <= monthrange(m.year, m.month)[1]]


def _after_duration(
    found: Found, now: datetime, zone: tzinfo, clock: time | None
) -> datetime | None:
    """Durations: "za 2 godziny" (elapsed), "za 2 dni" (same wall clock), "in 2 days at 10"."""
    if (
        found.holiday
        or found.day is not None
        or found.day_offset is not None
        or found.weekday is not None
    ):
        raise Invalid("a duration and a date")
    calendar = relativedelta(months=found.months, days=found.days)
    if clock is not None:
        if found.seconds:
            raise Invalid("an elapsed duration and a clock time")
        return _localize(datetime.combine((now + calendar).date(), clock), zone)
    start = now
    if found.months or found.days:
        # Day, week, month: keep the wall-clock time, across DST too.
        start = _localize(now.replace(tzinfo=None) + calendar, zone)
    # Hours, minutes: elapsed time, added in UTC.
    return (start.astimezone(UTC) + timedelta(seconds=found.seconds)).astimezone(zone)


def _localize(naive: datetime, zone: tzinfo) -> datetime:
    """Wall-clock time in `zone`; in the repeated autumn hour the first occurrence is
    meant. A time in a DST gap (02:30 on the spring-forward night) does not exist: InGap,
    carrying the time moved forward by the gap (03:30)."""
    when = naive.replace(tzinfo=zone).astimezone(UTC).astimezone(zone)
    if when.replace(tzinfo=None) != naive:
        raise InGap(when)
    return when


# -- dateparser fallback --------------------------------------------------------------------


@functools.lru_cache(maxsize=64)
def _dateparser(lang: str, tz: str, base: datetime) -> DateDataParser:
    """A parser per (language, zone, minute): DateDataParser fixes its settings at
    construction, so RELATIVE_BASE cannot vary per call; the clock minute is the
    finest granularity any fallback phrase needs."""
    from dateparser import PartsOfDay
    from dateparser.date import DateDataParser

    parts = PartsOfDay(
        morning=time(PART_HOURS["morning"]),
        afternoon=time(PART_HOURS["afternoon"]),
        evening=time(PART_HOURS["evening"]),
        night=time(PART_HOURS["night"]),
    )
    settings = {
        **_DATEPARSER_SETTINGS,
        "PARTS_OF_DAY": parts,
        "TIMEZONE": tz,
        "RELATIVE_BASE": base,
    }
    return DateDataParser(languages=[lang], settings=settings)


def warm_up(zones: Sequence[str]) -> None:
    """Compile every language's rules and load what dateparser loads on its first phrase
    (the library, its language data, the zone tables) for each language and the zones
    given, so that the first phrase a person types after a start is answered as fast as
    the next ones. Blocking: a front end that runs for long calls it in a thread once it
    has started.

    The trade-off: dateparser holds about 8 MB once loaded (the Discord front end idles
    near 88 MB with it, 80 MB without, the goal being 90), and without it the first phrase
    the rules do not read waits 0.25–0.4 s for it. Every phrase's rules are compiled
    anyway; dateparser is warmed too because a person waiting on their first reminder
    is worth those megabytes (bench/README.md, footprint)."""
    base = datetime(2000, 1, 1)  # noqa: DTZ001 - dateparser's relative base is naive
    for lang in LANGUAGES:
        grammar_of(lang)
        for tz in zones:
            _dateparser(lang, tz, base).get_date_data("thursday 8:00 gmt")


def _fallback(text: str, now: datetime, zone: ZoneInfo, lang: str) -> datetime | None:
    """dateparser for what the rules do not read, minus the time words it trips on."""
    grammar = grammar_of(lang)
    if len(text) > _FALLBACK_MAX_LENGTH or grammar.unitless.fullmatch(text):
        return None
    if _RANGE.search(text) or _bound(text, lang):
        return None
    if _LONE_LETTER.search(text) and not _COUNTED.match(text):
        return None
    # A number right after a time word is an hour ("22 o 10"), whatever else dateparser
    # makes of it once the word is gone (it read "22 10" as 22 October).
    hours = {int(m[1]) for m in grammar.prep_hours.finditer(text)}
    text = grammar.time_preps.sub("", text)
    base = now.replace(tzinfo=None, second=0, microsecond=0)
    try:
        data = _dateparser(lang, str(zone.key), base).get_date_data(text)
    except Exception:  # dateparser is not hardened against garbage; we must not raise
        return None
    when = data.date_obj
    if when is None or data.period in ("month", "year"):
        # "w marcu", "next month", "2027" name no day: which one is not a guess to make.
        return None
    if when == base:
        # Only "now" itself, which no reminder wants, or words dateparser skipped over
        # ("binnen een uur" was now, and so "already passed").
        return None
    if when.tzinfo is not None:
        when = when.astimezone(zone).replace(tzinfo=None)
    # dateparser answers in `zone`; the numbers are those of the zone the text names
    # ("14:00 UTC"), if it names one.
    from dateparser.timezone_parser import pop_tz_offset_from_string

    _, named = pop_tz_offset_from_string(text)
    if named is not None and _AMBIGUOUS_ZONES.search(text):
        return None
    said = when if named is None else _localize(when, zone).astimezone(named)
    if not _accounts_for_numbers(text, said.replace(tzinfo=None), base):
        return None
    if any(hour not in (said.hour, said.hour % 12 or 12) for hour in hours):
        return None
    if "time" not in data.parts and data.part_of_day is None:
        when = datetime.combine(when.date(), DEFAULT_TIME)
    return _localize(when, zone)


def _accounts_for_numbers(text: str, when: datetime, base: datetime) -> bool:
    """Whether dateparser's answer uses every number the phrase holds, none of them
    misread as a year. dateparser drops what it cannot place ("14 uur 15" became "in 14
    hours", "15 minutes from 1pm" 13:00) and reads a lone pair as a date with a
    two-digit year ("at 12 15" became 2015): an answer that leaves a number unexplained
    is a guess, and a phrase only partly understood is refused, never approximated."""
    numbers = [int(digits) for digits in re.findall(r"\d+", text)]
    if when.year != base.year and str(when.year) not in text and when.year % 100 in numbers:
        return False
    return all(number in _explained(when, base) for number in numbers)


def _explained(when: datetime, base: datetime) -> set[int]:
    """The numbers that may stand for `when`: its fields, and the distance from `base`
    in each unit a relative phrase counts in."""
    # A four-digit year stands for itself, this year's too ("2026-03-12T10:00Z").
    fields = {when.hour, when.minute, when.second, when.hour % 12 or 12, when.year}
    # A date part only counts where it differs from today's: dateparser fills what the
    # phrase leaves out from `base` ("15 minutes from 1pm" on the 15th kept the 15).
    if when.date() != base.date():
        fields.add(when.day)
    if (when.year, when.month) != (base.year, base.month):
        fields.add(when.month)
    if when.year != base.year:
        fields |= {when.year, when.year % 100}
    elapsed = when - base
    seconds = int(elapsed.total_seconds())
    calendar = relativedelta(when.date(), base.date())
    distances = {
        seconds,
        seconds // 60,
        seconds // 3600,
        elapsed.days,
        round(elapsed.days / 7),
        calendar.years * 12 + calendar.months,
        calendar.years,
    }
    return fields | {abs(distance) for distance in distances}
