"""`every:` — daily, weekly, monthly, weekdays, or a phrase like "co poniedziałek o 9".

The next occurrence keeps the wall-clock time in the owner's zone, so 09:00 in Warsaw stays
09:00 after the change to summer time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta

from bot.timeparse import parse_when


class Frequency(StrEnum):
    DAILY = "daily"
    WEEKDAYS = "weekdays"
    WEEKLY = "weekly"
    MONTHLY = "monthly"


# Words for each frequency in pl, en, nl and bg; any language is accepted from anyone.
KEYWORDS: dict[Frequency, tuple[str, ...]] = {
    Frequency.DAILY: (
        "daily",
        "every day",
        "each day",
        "codziennie",
        "co dzień",
        "co dziennie",
        "dagelijks",
        "elke dag",
        "iedere dag",
        "ежедневно",
        "всеки ден",
    ),
    Frequency.WEEKDAYS: (
        "weekdays",
        "every weekday",
        "on weekdays",
        "w dni robocze",
        "w dni powszednie",
        "co dzień roboczy",
        "werkdagen",
        "elke werkdag",
        "op werkdagen",
        "в делнични дни",
        "всеки делничен ден",
        "делнично",
    ),
    Frequency.WEEKLY: (
        "weekly",
        "every week",
        "co tydzień",
        "cotygodniowo",
        "wekelijks",
        "elke week",
        "iedere week",
        "ежеседмично",
        "всяка седмица",
    ),
    Frequency.MONTHLY: (
        "monthly",
        "every month",
        "co miesiąc",
        "comiesięcznie",
        "maandelijks",
        "elke maand",
        "iedere maand",
        "ежемесечно",
        "всеки месец",
    ),
}
OFF_WORDS = ("off", "none", "never", "nie", "brak", "nigdy", "nooit", "geen", "не", "никога")
# "co środę" → "w środę": the rest is a phrase parse_when understands, read for its weekday.
WEEKDAY_PREFIXES: tuple[tuple[str, str], ...] = (
    ("co ", "w "),
    ("every ", ""),
    ("each ", ""),
    ("elke ", ""),
    ("iedere ", ""),
    ("всеки ", "в "),
    ("всяка ", "в "),
    ("всяко ", "в "),
)
_DIGIT = re.compile(r"\d")


@dataclass(frozen=True)
class Recurrence:
    frequency: Frequency
    weekday: int | None = None  # Monday is 0; weekly on this day
    at: time | None = None  # the wall-clock time, when the phrase gave one
    monthday: int | None = None  # monthly on this day, clamped to short months

    def encode(self) -> str:
        parts = [
            self.frequency.value,
            "" if self.weekday is None else str(self.weekday),
            "" if self.at is None else self.at.strftime("%H%M"),
            "" if self.monthday is None else str(self.monthday),
        ]
        return ":".join(parts)

    @classmethod
    def decode(cls, text: str) -> Recurrence:
        """The stored form back; ValueError for anything `encode` could not have written
        (a row edited by hand), so that it is set aside at start, not run."""
        frequency, weekday, clock, monthday = text.split(":")
        rule = cls(
            Frequency(frequency),
            int(weekday) if weekday else None,
            time(int(clock[:2]), int(clock[2:])) if clock else None,
            int(monthday) if monthday else None,
        )
        if rule.weekday is not None and not 0 <= rule.weekday <= 6:
            raise ValueError(f"weekday {rule.weekday} in {text!r}")
        if rule.monthday is not None and not 1 <= rule.monthday <= 31:
            raise ValueError(f"day of month {rule.monthday} in {text!r}")
        return rule

    @classmethod
    def readable(cls, text: str) -> bool:
        try:
            cls.decode(text)
        except ValueError:
            return False
        return True

    def anchored(self, first: datetime, tz: str) -> Recurrence:
        """Fill in what the first occurrence fixes: its time, weekday and day of month."""
        local = first.astimezone(ZoneInfo(tz))
        weekday = self.weekday
        if self.frequency is Frequency.WEEKLY and weekday is None:
            weekday = local.weekday()
        monthday = local.day if self.frequency is Frequency.MONTHLY else None
        return Recurrence(self.frequency, weekday, self.at or local.time(), monthday)

    def next_after(self, previous: datetime, tz: str) -> datetime:
        """The first occurrence strictly after `previous`, at the wall-clock time in `tz`."""
        zone = ZoneInfo(tz)
        local = previous.astimezone(zone)
        wall = self.at or local.time().replace(second=0, microsecond=0)
        day = local.date()
        while True:
            day = self._next_day(day)
            candidate = _localize(datetime.combine(day, wall), zone)
            if candidate > previous:
                return candidate

    def _next_day(self, day: date) -> date:
        if self.frequency is Frequency.DAILY:
            return day + timedelta(days=1)
        if self.frequency is Frequency.WEEKDAYS:
            day += timedelta(days=1)
            while day.weekday() >= 5:
                day += timedelta(days=1)
            return day
        if self.frequency is Frequency.WEEKLY:
            target = day.weekday() if self.weekday is None else self.weekday
            return day + timedelta(days=(target - day.weekday() - 1) % 7 + 1)
        anchor = self.monthday or day.day
        following = day.replace(day=1) + relativedelta(months=1)
        return following + relativedelta(day=anchor)  # relativedelta clamps to the month's end


def _localize(naive: datetime, zone: ZoneInfo) -> datetime:
    """Attach the zone; a wall-clock time that does not exist (the spring gap) moves on."""
    aware = naive.replace(tzinfo=zone)
    round_trip = aware.astimezone(ZoneInfo("UTC")).astimezone(zone)
    return round_trip if round_trip.replace(tzinfo=None) != naive else aware


_BY_LENGTH = sorted(
    ((word, frequency) for frequency, words in KEYWORDS.items() for word in words),
    key=lambda pair: -len(pair[0]),
)


def keyword(text: str) -> tuple[Frequency, str] | None:
    """The frequency named at the start of `text`, and what follows it."""
    lowered = " ".join(text.lower().split())
    for word, frequency in _BY_LENGTH:
        if lowered == word or lowered.startswith(word + " "):
            return frequency, lowered[len(word) :].strip()
    return None


def parse_every(text: str, *, now: datetime, tz: str, langs: tuple[str, ...]) -> Recurrence | None:
    """A Recurrence, None for "off", or ValueError for words we do not understand."""
    lowered = " ".join(text.lower().split())
    if lowered in OFF_WORDS:
        return None
    named = keyword(lowered)
    if named is not None:
        frequency, rest = named
        return Recurrence(frequency, at=_clock_of(rest, now, tz, langs) if rest else None)
    phrase = weekday_phrase(lowered)
    if phrase is None:
        raise ValueError(text)
    at = _first(phrase, now, tz, langs)
    local = at.astimezone(ZoneInfo(tz))
    clock = local.time() if has_clock_time(phrase) else None
    return Recurrence(Frequency.WEEKLY, weekday=local.weekday(), at=clock)


def _clock_of(rest: str, now: datetime, tz: str, langs: tuple[str, ...]) -> time:
    """The time in "codziennie o 9" / "daily at 9am": read as a time of today or tomorrow."""
    return _first(rest, now, tz, langs).astimezone(ZoneInfo(tz)).time()


def _first(phrase: str, now: datetime, tz: str, langs: tuple[str, ...]) -> datetime:
    for lang in langs:
        at = parse_when(phrase, now=now, tz=tz, lang=lang)
        if at is not None:
            return at
    raise ValueError(phrase)


def weekday_phrase(text: str) -> str | None:
    """'co poniedziałek o 9' → 'w poniedziałek o 9', for parse_when to read."""
    lowered = " ".join(text.lower().split())
    for prefix, replacement in WEEKDAY_PREFIXES:
        if lowered.startswith(prefix):
            return replacement + lowered[len(prefix) :]
    return None


def has_clock_time(phrase: str) -> bool:
    return bool(_DIGIT.search(phrase))
