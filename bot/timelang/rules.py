"""Rule-based extraction for `bot.timelang.points`: text -> `Found` components.

Each language's word tables (`bot.timelang.words`) are compiled, at the language's first
use (`grammar_of`), into an ordered list of steps, each a regex and a handler. `extract`
runs the steps once each over the normalised text; every match records a component (a
date, a time, a duration, ...) and is cut out of the text. If only filler words are
left, the rules understood the whole phrase; otherwise `bot.timelang.points` falls back
to dateparser.

The order of the steps matters and encodes the ambiguities: holidays before weekdays
("Tłusty Czwartek"), Dutch "kwart over 3" before "over 3 uur" (a duration), Bulgarian
"след 2 часа и половина" (a duration) before "9 и половина" (a time), clock times
before numeric day.month pairs, textual dates before "o/at/в + bare hour".
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from fractions import Fraction

from bot.timelang.lexicon import AMOUNT, Lexicon, alt, duration_part, fold, normalize, word
from bot.timelang.words import LANGUAGES, Words

# Amounts above this are typos or fuzz, never reminders; refusing them early also
# keeps timedelta/relativedelta far from OverflowError.
MAX_AMOUNT = 100_000


class Invalid(Exception):
    """The phrase names something impossible (25:00, 31 February) or contradictory."""


class GivenTwice(Invalid):
    """The phrase names one component twice ("at 9 and at 6pm", "Monday and Friday")."""


@dataclass
class Found:
    """Components recognised in a phrase; None means "not mentioned"."""

    year: int | None = None
    month: int | None = None
    day: int | None = None
    day_offset: int | None = None
    weekday: int | None = None
    nth: int | None = None  # with a weekday: its n-th (-1: last) in the month, or month named
    next_week: bool = False  # the weekday (or, alone, "+7 days") is in next week
    this_week: bool = False  # the weekday is in this week (it may have passed)
    after_next: bool = False  # the weekday after the nearest coming one
    this_one: bool = False  # "this <weekday>": today's counts, while its time is ahead
    last_day: bool = False  # the last day of the month (named, or this one)
    week_later: bool = False  # the weekday a week after its nearest one (today included)
    holiday: str | None = None
    weekday_count: int | None = None  # "3 fridays from now": the third one after today
    offset: int | None = None  # minutes east of UTC of a zone named ("8h GMT", "9am PST")
    shift_days: int | None = None  # "3 days after Easter": +3 from the day named
    year_offset: int | None = None  # "next year": the year after this one
    # Durations: calendar parts keep the wall clock, seconds are elapsed time.
    duration: bool = False
    months: int = 0
    days: int = 0
    seconds: float = 0.0
    hour: int | None = None
    minute: int = 0
    second: int = 0
    meridiem: str | None = None  # "a" or "p"
    twelve_hour: bool = False  # a 12-hour clock phrase ("half 3") without am/pm
    part: str | None = None

    def put(self, **values: object) -> None:
        """Set components, refusing to mention the same one twice."""
        for name, value in values.items():
            if getattr(self, name) not in (None, False):
                raise GivenTwice(f"{name} given twice")
            setattr(self, name, value)

    def put_time(self, hour: str, minute: str | None = None, second: str | None = None) -> None:
        self.put(hour=int(hour))
        self.minute = int(minute or 0)
        self.second = int(second or 0)

    def put_spoken_hour(self, hour: str) -> None:
        """A bare hour in digits ("o 3", "om 3 uur", "в 3", "jutro 3") is said the way
        hours are spoken, on a 12-hour clock: 1-6 are afternoon, as for words."""
        self.put_time(hour)
        self.twelve_hour = 1 <= int(hour) <= 12


_AMPM = r"(?:in\s+the\s+)?(?P<ampm>[ap])\.?\s?m\.?(?!\w)"
# am/pm after a time: "3 pm", "3 in the am", or one letter glued to it ("7p", "3:15a").
_MERIDIEM = rf"(?:\s*{_AMPM}|(?P<ap>[ap])\.?(?!\w))"
_NO_NUM_BEFORE = r"(?<![0-9:.,/-])"  # not inside a number, date or time

Handler = Callable[[re.Match[str], Found, Lexicon], None]


# -- handlers ---------------------------------------------------------------------------


def _put_year(m: re.Match[str], found: Found, lex: Lexicon) -> None:
    """The year after a date or a holiday, in digits or words ("two thousand nineteen")."""
    if m["y"]:
        found.put(year=int(m["y"]))
    elif m.groupdict().get("yw"):
        found.put(year=lex.year_words[m["yw"]])


def _meridiem(m: re.Match[str]) -> str | None:
    """The "a" or "p" of a match's am/pm, in either of its forms."""
    groups = m.groupdict()
    return groups.get("ampm") or groups.get("ap")


def _on_holiday(m: re.Match[str], found: Found, lex: Lexicon) -> None:
    """A holiday; "next"/"this" before it names the nearest coming one, as alone."""
    found.put(holiday=lex.holidays[m["name"]])
    _put_year(m, found, lex)


def _on_year_offset(m: re.Match[str], found: Found, lex: Lexicon) -> None:
    found.put(year_offset=lex.year_offsets[m["yo"]])


def _on_nth_weekday(m: re.Match[str], found: Found, lex: Lexicon) -> None:
    """ "pierwszy wtorek października", "last Friday of the month", "eerste maandag van
    maart", "последния петък от месеца"."""
    found.put(nth=lex.nth[m["nth"]], weekday=lex.weekdays[m["wd"]])
    if m["mo"]:
        found.put(month=lex.months[m["mo"]])
    _put_year(m, found, lex)


def _on_day_of(m: re.Match[str], found: Found, lex: Lexicon) -> None:
    """ "trzeci dzień października", "15 dnia miesiąca", "the last day of the month",
    "laatste dag van oktober", "последния ден от месеца"."""
    which = m["which"]
    if m["dn"]:  # "15 dnia miesiąca", "the 15th day of March"
        found.put(day=int(m["dn"]))
    elif lex.nth.get(which) == -1:
        found.put(last_day=True)
    else:
        found.put(day=lex.day_words.get(which) or lex.nth[which])
    if m["mo"]:
        found.put(month=lex.months[m["mo"]])
    _put_year(m, found, lex)


def _on_week_later(m: re.Match[str], found: Found, lex: Lexicon) -> None:
    """ "wtorek za tydzień", "za tydzień w środę", "vrijdag over een week", "friday week"."""
    found.put(weekday=lex.weekdays[m["wd"]], week_later=True)


def _on_hour_and_minute_words(m: re.Match[str], found: Found, lex: Lexicon) -> None:
    """ "o trzecia piętnaście", "at three twenty": an hour word, then its minutes in words."""
    hour = _hour(m["h"], lex)
    found.put(hour=hour, twelve_hour=hour <= 12)
    found.minute = int(lex.numbers[m["mw"]])


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


def _hour(text: str, lex: Lexicon) -> int:
    return int(text) if text.isdigit() else lex.hour_words[text]


def _on_clock(m: re.Match[str], found: Found, lex: Lexicon) -> None:
    """Clock phrases: "half 3" (2:30), "quarter to 9", "wpół do ósmej", "в 9 и половина"."""
    delta, minute = lex.clock[m["phrase"]]
    if m["h"] in lex.fixed_hours:  # "a quarter past noon", "10 to midnight"
        found.put(hour=(lex.fixed_hours[m["h"]] + delta) % 24)
        found.minute = minute
        return
    hour = _hour(m["h"], lex)
    if not 1 <= hour <= 24:
        raise Invalid("no such hour")
    if meridiem := _meridiem(m):  # "a quarter past 3pm": the hour named is pm
        if hour > 12:
            raise Invalid("am/pm needs an hour 1-12")
        hour = hour % 12 + (12 if meridiem == "p" else 0)
        found.put(hour=(hour + delta) % 24)
    elif hour <= 12:  # a 12-hour clock: morning or afternoon is resolved later
        found.put(hour=(hour + delta) % 12 or 12, twelve_hour=True)
    else:
        found.put(hour=hour + delta)
    found.minute = minute


def _on_hour_word(m: re.Match[str], found: Found, lex: Lexicon) -> None:
    """Hours as words: "o ósmej", "at nine", "om negen uur"."""
    hour = _hour(m["h"], lex)
    found.put(hour=hour, twelve_hour=hour <= 12)
    found.meridiem = _meridiem(m)


def _on_spoken_time(m: re.Match[str], found: Found, lex: Lexicon) -> None:
    """ "ten thirty", "twelve oh three", "nine fifty-nine am": an hour word, then its
    minutes as words."""
    hour = _hour(m["h"], lex)
    found.put(hour=hour, twelve_hour=hour <= 12)
    found.minute = lex.spoken_minutes[m["sm"]]
    found.meridiem = _meridiem(m)


def _on_weekdays_ahead(m: re.Match[str], found: Found, lex: Lexicon) -> None:
    """ "3 fridays from now": the third Friday after today."""
    count = int(m["n"]) if m["n"].isdigit() else int(lex.numbers[m["n"]])
    if not 1 <= count <= 520:
        raise Invalid("no such count of weeks")
    found.put(weekday=lex.weekdays[m["wd"]], weekday_count=count)


def _on_shift(m: re.Match[str], found: Found, lex: Lexicon) -> None:
    """ "3 days after Easter", "a week before Christmas", "2 dni przed Wigilią"."""
    days = _amount(m, lex) * lex.units[m["unit"]][1]
    if days != int(days) or days > MAX_AMOUNT:
        raise Invalid("not a whole number of days")
    found.put(shift_days=lex.shifts[m["dir"]] * int(days))


def _on_zone(m: re.Match[str], found: Found, lex: Lexicon) -> None:
    found.put(offset=lex.zones[m["zone"]])


def _amount(m: re.Match[str], lex: Lexicon) -> float:
    text = m["amt"]
    if text is None:
        value = 1.0
    elif text in lex.numbers:
        value = lex.numbers[text]
    elif "/" in text:  # "in 3/4 h"
        value = float(Fraction(text))
    else:
        value = float(text.replace(",", "."))
    groups = m.groupdict()  # "2 and a half", where the phrase allows a half
    return value + 0.5 * bool(groups.get("h1") or groups.get("h2"))


def _on_duration(m: re.Match[str], found: Found, lex: Lexicon) -> None:
    found.put(duration=True)
    months = days = seconds = 0.0
    for part in lex.part_pattern.finditer(m["body"]):
        unit, factor = lex.units[part["unit"].rstrip(".")]
        amount = _amount(part, lex)
        if amount > MAX_AMOUNT:
            raise Invalid("duration too long")
        value = amount * factor
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
    if meridiem := _meridiem(m):
        found.put_time(m["h"], groups.get("m"), groups.get("s"))
        found.meridiem = meridiem
    elif groups.get("m") is None:  # "3 uur", "3 часа": a spoken hour
        found.put_spoken_hour(m["h"])
    else:
        found.put_time(m["h"], groups.get("m"), groups.get("s"))
        # "at 3:30" in English is said on a 12-hour clock, like "at 3"; "03:30" is not.
        found.twelve_hour = lex.words.twelve_hour_clock and not m["h"].startswith("0")


def _on_compact_time(m: re.Match[str], found: Found, lex: Lexicon) -> None:
    """ "3h18", "14u30": the continental way of writing a 24-hour clock."""
    found.put_time(m["h"], m["m"])


def _on_day_month_pair(m: re.Match[str], found: Found, lex: Lexicon) -> None:
    """Numeric pairs "15.04", "15/04", "o 14.30": a date, or a dotted time after a
    time word or when it cannot be a date ("14.30")."""
    a, b = int(m["a"]), int(m["b"])
    is_time = m["sep"] == "." and (m["prep"] is not None or not 1 <= b <= 12)
    if is_time:
        found.put_time(m["a"], m["b"])
        return
    day, month = _day_month(a, b, lex)
    found.put(month=month, day=day)


def _on_text_date(m: re.Match[str], found: Found, lex: Lexicon) -> None:
    day = int(m["d"]) if m["d"] else lex.day_words[m["dw"]]
    found.put(month=lex.months[m["mo"]], day=day)
    _put_year(m, found, lex)


def _on_day_of_month(m: re.Match[str], found: Found, lex: Lexicon) -> None:
    found.put(day=int(m["d"]))


def _on_day_word(m: re.Match[str], found: Found, lex: Lexicon) -> None:
    found.put(day=lex.day_words[m["dw"]])


def _on_relative_day(m: re.Match[str], found: Found, lex: Lexicon) -> None:
    offset, part = lex.relative_days[m["w"]]
    found.put(day_offset=offset)
    if part:
        found.put(part=part)


def _on_weekday(m: re.Match[str], found: Found, lex: Lexicon) -> None:
    found.put(weekday=lex.weekdays[m["wd"]])
    if m["wdp"]:
        found.put(part=lex.weekday_parts[m["wdp"]])
    if m["nw1"] or m["nw2"] or (m["mod"] in lex.next_weekday):
        found.put(next_week=True)
    elif m["mod"]:
        found.put(this_one=True)
    if m["tw1"] or m["tw2"]:
        found.put(this_week=True)
    if m["an1"] or m["an2"]:
        found.put(after_next=True)


def _on_next_week(m: re.Match[str], found: Found, lex: Lexicon) -> None:
    found.put(duration=True)
    found.days = 7


def _on_part_of_day(m: re.Match[str], found: Found, lex: Lexicon) -> None:
    """ "wieczorem", "o 7 wieczorem", "ósma wieczorem", "2 uur 15 's middags"."""
    found.put(part=lex.parts_of_day[m["part"]])
    if m["h"]:
        found.put_time(str(_hour(m["h"], lex)), m["m"] or m["m2"])


def _on_hour_then_minutes(m: re.Match[str], found: Found, lex: Lexicon) -> None:
    """An hour, its word, then the minutes: "14 uur 15", "om drie uur 20"."""
    found.put_time(str(_hour(m["h"], lex)), m["m"])


def _on_prep_hour(m: re.Match[str], found: Found, lex: Lexicon) -> None:
    found.put_spoken_hour(m["h"])


# -- grammar ----------------------------------------------------------------------------


def _steps(words: Words) -> tuple[tuple[re.Pattern[str], Handler], ...]:
    f = fold if words.fold else str

    def w(items: Iterable[str]) -> str:
        return word(map(f, items))

    preps = w(words.time_preps)
    # No (?<!\w) before a suffix: it may be glued to the digits ("14u", "18ч").
    hour_suffix = (
        rf"(?:{alt(map(f, words.hour_suffixes))})(?!\w)" if words.hour_suffixes else "(?!)"
    )
    day_ord = f"(?:{alt(map(f, words.day_ordinals))})?" if words.day_ordinals else ""
    hour_ord = f"(?:{alt(map(f, words.hour_ordinals))})?" if words.hour_ordinals else ""
    months = rf"(?P<mo>{alt(map(f, words.months))})\.?(?!\w)"
    of = r"(?:of\s+)?" if words.month_first else ""  # "12th of March"
    year_preps = rf"(?:{w(words.year_preps)}\s+)?" if words.year_preps else ""
    year_words = rf"|(?P<yw>{alt(map(f, words.year_words))})(?!\w)" if words.year_words else ""
    year = rf"(?:\s+{year_preps}(?:(?P<y>[0-9]{{4}})(?![0-9:.]){year_words}))?"
    hour_words = w(words.hour_words) if words.hour_words else "(?!)"
    hour = rf"(?P<h>[0-9]{{1,2}}|{hour_words})"
    fixed_hours = f"|{w(words.fixed_hours)}" if words.fixed_hours else ""
    minute_words = alt(f(n) for n, v in words.numbers.items() if v == int(v) and 5 <= v < 60)
    the = r"(?:the\s+)?" if words.month_first else ""  # "the 12th of March"
    day = rf"{the}(?:(?P<d>[0-9]{{1,2}}){day_ord}|(?P<dw>{alt(map(f, words.day_words))}))"
    part = duration_part(words, f, named=False)
    joined = rf"{part}(?:\s+(?:{w(words.joiners)}\s+)?{part})*"
    about = rf"(?:(?:{w(words.about)})\s+)?"
    durations = [rf"(?<!\w)(?:{w(words.duration_prefixes)})\s+{about}(?P<body>{joined})"]
    if words.duration_suffixes:
        durations.append(rf"(?<!\w)(?P<body>{joined})\s+(?:{w(words.duration_suffixes)})")
    compact = "".join(s for s in words.hour_suffixes if len(s) == 1)
    next_week = w(words.next_week)
    this_week = w(words.this_week)
    after_next = w(words.after_next)
    weekday_parts = alt(map(f, words.weekday_part_suffixes)) or "(?!)"
    steps: list[tuple[str, Handler]] = [
        (
            rf"(?<!\w)(?:(?:{w(words.next_weekday + words.this_weekday)})\s+)?"
            rf"(?P<name>{alt(map(f, words.holidays))})(?!\w){year}",
            _on_holiday,
        ),
        (
            rf"(?<!\w)(?P<yo>{alt(map(f, words.year_offsets)) or '(?!)'})(?!\w)",
            _on_year_offset,
        ),
        (rf"(?<!\w)(?P<zone>{alt(map(f, words.zones)) or '(?!)'})(?!\w)", _on_zone),
        (
            rf"(?<!\w)(?P<nth>{alt(map(f, words.nth))})\s+(?P<wd>{alt(map(f, words.weekdays))})"
            rf"\.?\s+(?:(?:(?:{w(words.nth_of)})\s+)?{months}{year}|{w(words.of_month)}(?!\w))",
            _on_nth_weekday,
        ),
        (
            rf"(?<!\w){the}(?:(?P<which>{alt(map(f, {**words.nth, **words.day_words}))})"
            rf"|(?P<dn>[0-9]{{1,2}}){day_ord}\.?)\s+"
            rf"(?:{w(words.day_word)})\s+(?:(?:(?:{w(words.nth_of)})\s+)?{months}{year}"
            rf"|{w(words.of_month)}(?!\w))",
            _on_day_of,
        ),
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
        phrase = alt(f(p) for p, _, _ in words.clock_prefixes)
        steps.append(
            (
                rf"(?<!\w)(?:{preps}\s+){{0,3}}(?P<phrase>{phrase})\s+"
                rf"(?P<h>[0-9]{{1,2}}|{hour_words}{fixed_hours}){hour_ord}"
                rf"(?:{_MERIDIEM}|\s*{hour_suffix}|(?!\w))",
                _on_clock,
            )
        )
    if words.spoken_minutes:  # "ten thirty", "twelve oh three", "nine fifty-nine am"
        steps.append(
            (
                rf"(?<!\w)(?:{preps}\s+){{0,3}}(?P<h>{hour_words})[\s-]+"
                rf"(?P<sm>{alt(map(f, words.spoken_minutes))})(?!\w)(?:{_MERIDIEM})?",
                _on_spoken_time,
            )
        )
    if words.weekdays_ahead:  # "3 fridays from now"
        amount = rf"(?P<n>[0-9]{{1,3}}|{w(k for k, v in words.numbers.items() if v == int(v))})"
        steps.append(
            (
                rf"(?<!\w){amount}\s+(?P<wd>{alt(map(f, words.weekdays))})s\s+"
                rf"(?:{w(words.weekdays_ahead)})",
                _on_weekdays_ahead,
            )
        )
    weekday = rf"(?P<wd>{alt(map(f, words.weekdays))})\.?"
    week_later = w(words.week_later)
    steps += [
        (rf"(?<!\w){weekday}\s+{week_later}(?!\w)", _on_week_later),
        (
            rf"(?<!\w){week_later}\s+(?:(?:{w(words.weekday_preps)})\s+)?{weekday}(?!\w)",
            _on_week_later,
        ),
    ]
    steps += [(pattern, _on_duration) for pattern in durations]
    if words.clock_suffixes:
        phrase = alt(f(p) for p, _, _ in words.clock_suffixes)
        steps.append(
            (
                rf"(?<!\w)(?:{preps}\s+){{0,3}}{hour}(?:\s+{hour_suffix})?\s+(?P<phrase>{phrase})(?!\w)",
                _on_clock,
            )
        )
    steps += [
        (
            rf"(?<!\w)(?:{preps}\s+){{0,3}}{hour}\s*{hour_suffix}\s+(?P<m>[0-9]{{2}})"
            rf"(?![\w:.]|\s+(?:{alt(map(f, words.parts_of_day))})(?!\w))",
            _on_hour_then_minutes,
        ),
        (rf"(?<!\w)(?P<h>{hour_words})\s+{hour_suffix}", _on_hour_word),
        (
            _NO_NUM_BEFORE + r"(?P<h>[0-9]{1,2}):(?P<m>[0-9]{2})(?::(?P<s>[0-9]{2}))?(?![0-9:])"
            rf"(?:{_MERIDIEM})?(?:\s*{hour_suffix})?",
            _on_time,
        ),
        # "7pm", "3 oclock pm", "330 p.m.", "7p": with am/pm, hour and minutes may run
        # together.
        (
            _NO_NUM_BEFORE + rf"(?P<h>[0-9]{{1,2}})(?:[.:]?(?P<m>[0-9]{{2}}))?"
            rf"(?:\s*{hour_suffix})?{_MERIDIEM}",
            _on_time,
        ),
        (
            _NO_NUM_BEFORE
            + rf"(?P<h>[0-9]{{1,2}}){hour_ord}(?:\.(?P<m>[0-9]{{2}}))?\s*{hour_suffix}",
            _on_time,
        ),
    ]
    if compact:
        steps.append(
            (
                rf"(?<![\w:.])(?P<h>[0-9]{{1,2}})[{compact}](?P<m>[0-9]{{2}})(?!\w)",
                _on_compact_time,
            )
        )
    steps += [
        (
            rf"(?:(?P<prep>{preps})\s+)?" + _NO_NUM_BEFORE + r"(?P<a>[0-9]{1,2})(?P<sep>[./-])"
            r"(?P<b>[0-9]{1,2})(?![0-9:/-]|\.[0-9])",
            _on_day_month_pair,
        ),
        (
            rf"(?<!\w){day}\.?\s*{of}{months}{year}",
            _on_text_date,
        ),
    ]
    if words.month_first or words.month_then_day:
        steps.append(
            (
                rf"(?<!\w){months}\s+{day}(?![0-9:]|\w){year}",
                _on_text_date,
            )
        )
    if words.day_ordinals:  # "the 12th", "12-go", "de 12e", "на 12-ти": a day of a month
        steps.append(
            (
                rf"(?<![\w.:/-])(?P<d>[0-9]{{1,2}})(?:{alt(map(f, words.day_ordinals))})(?!\w)"
                rf"(?:\s+{w(words.of_month)})?",
                _on_day_of_month,
            )
        )
    if words.month_first:  # "on the first": the day of this month or the next
        steps.append(
            (
                rf"(?<!\w)the\s+(?P<dw>{alt(map(f, words.day_words))})(?!\w)"
                rf"(?!\s+(?:{alt(map(f, words.weekdays))}|{w(words.day_word)}))",
                _on_day_word,
            )
        )
    steps += [
        (rf"(?<!\w)(?P<w>{alt(map(f, words.relative_days))})(?!\w)", _on_relative_day),
        # After the relative days: "the day after tomorrow" is one of them.
        (
            rf"(?<![\w.,/])(?:(?P<amt>{AMOUNT}|{w(words.numbers)})\s+)?"
            rf"(?P<unit>{alt(f(u) for u, (kind, _) in words.units.items() if kind == 'day')})"
            rf"\s+(?P<dir>{alt(map(f, words.shifts)) or '(?!)'})(?!\w)",
            _on_shift,
        ),
        (
            rf"(?<!\w)(?:(?P<nw1>{next_week})\s+|(?P<tw1>{this_week})\s+|(?P<an1>{after_next})\s+)?"
            rf"(?:{w(words.weekday_preps)}\s+)?"
            rf"(?:(?P<mod>{alt(map(f, words.next_weekday + words.this_weekday))})\s+)?"
            rf"(?P<wd>{alt(map(f, words.weekdays))})(?P<wdp>{weekday_parts})?\.?(?!\w)"
            rf"(?:\s+(?P<nw2>{next_week})|\s+(?P<tw2>{this_week})|\s+(?P<an2>{after_next}))?",
            _on_weekday,
        ),
        (next_week, _on_next_week),
        (
            rf"(?<!\w)(?:(?:{preps}\s+){{0,3}}{hour}(?::(?P<m>[0-9]{{2}})|\s*{hour_suffix}\s+(?P<m2>[0-9]{{2}}))?"
            rf"(?:\s*{hour_suffix})?\s+)?(?P<part>{alt(map(f, words.parts_of_day))})(?!\w)",
            _on_part_of_day,
        ),
        (
            rf"(?<!\w)(?:{preps}\s+){{1,3}}(?P<h>[0-9]{{1,2}}){hour_ord}(?![\w:/-]|\.[0-9])",
            _on_prep_hour,
        ),
        (
            rf"(?<!\w)(?:{preps}\s+){{1,3}}(?P<h>{hour_words})\s+(?P<mw>{minute_words})(?!\w)",
            _on_hour_and_minute_words,
        ),
        (
            rf"(?<!\w)(?:{preps}\s+){{1,3}}(?P<h>{hour_words})(?:\s*{hour_suffix})?"
            rf"(?:\s*{_AMPM})?",
            _on_hour_word,
        ),
        (rf"(?<!\w)(?P<h>{hour_words})\s*{_AMPM}", _on_hour_word),
        # "at 1030", "o 730": hour and minutes run together, only after a time word
        # (alone, "1030" could be a year).
        (
            rf"(?<!\w)(?:{preps}\s+){{1,3}}(?P<h>[0-9]{{1,2}})(?P<m>[0-5][0-9])(?![\w:./-])",
            _on_time,
        ),
    ]
    return tuple((re.compile(pattern), handler) for pattern, handler in steps)


@dataclass(frozen=True)
class Grammar:
    lexicon: Lexicon
    steps: tuple[tuple[re.Pattern[str], Handler], ...]
    # Time words right before a number, removed before handing text to dateparser.
    time_preps: re.Pattern[str]
    # The same with the number captured: the hour the phrase names.
    prep_hours: re.Pattern[str]
    # A phrase that opens with a bound ("do 10", "by 5"): this language's, refused.
    bound: re.Pattern[str]
    # "in 15", "za 15": a length of time without its unit, which dateparser reads as a
    # day of the month.
    unitless: re.Pattern[str]


def _grammar(words: Words) -> Grammar:
    return Grammar(
        lexicon=Lexicon.of(words),
        steps=_steps(words),
        time_preps=re.compile(rf"{word(words.time_preps)}\s+(?=[0-9])"),
        prep_hours=re.compile(rf"{word(words.time_preps)}\s+([0-9]{{1,2}})(?![0-9])"),
        # Matched against the folded text where the language folds ("najpozniej").
        bound=re.compile(
            rf"{word(map(fold, words.bounds) if words.fold else words.bounds)}\s"
            if words.bounds
            else "(?!)"
        ),
        unitless=re.compile(rf"{word(words.duration_prefixes)}\s+[0-9]+(?:/[0-9]+)?\W*"),
    )


@functools.cache
def grammar_of(lang: str) -> Grammar:
    """`lang`'s grammar (a code of LANGUAGES), compiled at its first use: compiling all
    four at import cost a start about a tenth of a second. Two threads asking at once at
    most compile it twice; the front ends' warm-up compiles them off the event loop."""
    return _grammar(LANGUAGES[lang])


# The steps that read a time of day ("o 9 rano", "noon", "half negen", "7 вечерта") and
# nothing else: where a time of day stands among other words (a repetition's "co piątek w
# południe"), it is read by these, with the same words and conventions as a single time.
_TIME_OF_DAY_STEPS = frozenset(
    {
        _on_clock,
        _on_spoken_time,
        _on_hour_then_minutes,
        _on_hour_word,
        _on_time,
        _on_compact_time,
        _on_day_month_pair,  # "o 14.30"; a date it reads ("15.04") is no time of day
        _on_part_of_day,
        _on_prep_hour,
        _on_hour_and_minute_words,
    }
)


@functools.cache
def time_of_day_grammar_of(lang: str) -> Grammar:
    """`lang`'s grammar with only the steps that read a time of day, in the same order."""
    grammar = grammar_of(lang)
    steps = tuple(step for step in grammar.steps if step[1] in _TIME_OF_DAY_STEPS)
    return replace(grammar, steps=steps)


# The words of am/pm as `_AMPM` and `_MERIDIEM` read them ("3 in the am", "7 p.m.", "9 a m").
_AMPM_WORDS = ("am", "pm", "a.m.", "p.m.", "a", "p", "m", "a.", "p.", "m.", "in", "the")


@functools.cache
def time_of_day_words(lang: str) -> frozenset[str]:
    """Every word without digits that `lang`'s time-of-day steps may read, normalised and
    folded as the input is: a run of words holding any other is no time of day."""
    words = LANGUAGES[lang]
    f = fold if words.fold else str
    phrases = [
        *words.hour_words,
        *words.numbers,
        *words.fixed_hours,
        *words.parts_of_day,
        *(phrase for phrase, _, _ in words.clock_prefixes + words.clock_suffixes),
        *words.time_preps,
        *words.hour_suffixes,
        *words.spoken_minutes,
        *words.fillers,
        *_AMPM_WORDS,
    ]
    return frozenset(f(part) for phrase in phrases for part in normalize(phrase).split())


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
    rest = [t for t in (token.strip(_STRIP) for token in text.split()) if t not in lex.fillers]
    if rest == [] or _bare_hour(rest, found, lex):
        return found
    return None


_BARE_HOUR = re.compile(r"[0-9]{1,2}")


def _bare_hour(rest: list[str], found: Found, lex: Lexicon) -> bool:
    """A lone number after a day is its hour: "jutro 18", "w piątek 10"."""
    has_day = (
        found.day_offset is not None
        or found.weekday is not None
        or found.holiday is not None
        or found.day is not None
    )
    if len(rest) != 1 or not has_day:
        return False
    if rest[0] in lex.hour_words:  # "eight tonight", "jutro ósma"
        rest = [str(lex.hour_words[rest[0]])]
    if not _BARE_HOUR.fullmatch(rest[0]):
        return False
    if found.hour is not None:
        return False
    if found.month is not None and found.year is None:
        return False  # "14 kwietnia 15": the hour, or the year 2015? Not a guess to make.
    found.put_spoken_hour(rest[0])
    return True
