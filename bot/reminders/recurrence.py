"""`every:` of a reminder: a repetition read by bot.timelang.repetition, at least an hour apart.

The stored form is the rule's RFC 5545 body ("FREQ=WEEKLY;INTERVAL=2;BYHOUR=9;BYMINUTE=0").
Rows written before it ("daily::0900:", "weekly:3:0900:", "monthly::0900:15",
"weekdays::0800:") are still read, and are written in the new form the next time they are
saved (after their next delivery), so no migration is needed.

The next occurrence keeps the wall-clock time in the owner's zone, so 09:00 in Warsaw stays
09:00 after the change to summer time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from bot.timelang import rrules
from bot.timelang.repetition import (
    MAX_INTERVAL,
    REMINDERS,
    WORKDAYS,
    Repetition,
    RepetitionError,
    Unit,
    dates,
    first_from,
    from_body,
    parse,
    settle,
)

# What switches a repetition off, in each language: a small closed list, read whole (after
# lower case and single spaces), so nothing longer is taken for "off" by accident. Listed
# for users in docs/features.md (Reminders).
OFF_WORDS = frozenset(
    {
        *("off", "none", "never", "no repeat", "no repetition", "don't repeat"),
        *("nie", "brak", "nigdy", "wyłącz", "bez powtarzania", "nie powtarzaj"),
        *("nooit", "geen", "uit", "geen herhaling", "niet herhalen"),
        *("не", "никога", "изключи", "без повторение", "без повтаряне", "не повтаряй"),
    }
)
_LEGACY_UNITS = {"daily": Unit.DAY, "weekdays": Unit.WEEK, "weekly": Unit.WEEK}


@dataclass(frozen=True)
class Recurrence:
    rule: Repetition

    def encode(self) -> str:
        return self.rule.body()

    @classmethod
    def decode(cls, text: str) -> Recurrence:
        """The stored form back; ValueError for a rule a new reminder could not have (a
        row edited by hand), so that it is set aside at start, not run."""
        if text.startswith("FREQ="):
            rule = from_body(text)
            if rule.expert is not None:
                if rrules.problem(text) is not None:
                    raise ValueError(text)
            elif (
                rule.unit < REMINDERS.shortest or not 1 <= rule.interval <= MAX_INTERVAL[rule.unit]
            ):
                raise ValueError(text)
            return cls(rule)
        return cls(_legacy(text))

    @classmethod
    def readable(cls, text: str) -> bool:
        try:
            cls.decode(text)
        except ValueError:
            return False
        return True

    def anchored(self, first: datetime, tz: str) -> Recurrence:
        """Fill in what the first occurrence fixes (bot.timelang.repetition.settle)."""
        return Recurrence(settle(self.rule, first, tz))

    def first_from(self, asked: datetime, tz: str) -> datetime | None:
        """The first occurrence at or after `asked` (a Saturday asked of a working-days
        rule starts on Monday); None when the rule has no date left."""
        return first_from(self.rule, asked, tz)

    def upcoming(self, first: datetime, tz: str, count: int = 3) -> list[datetime]:
        """The first `count` occurrences from `first` on (itself included)."""
        return [first, *dates(self.rule, first, first, tz, count - 1)]

    def next_after(
        self, previous: datetime, tz: str, *, after: datetime | None = None
    ) -> datetime | None:
        """The first occurrence strictly after `after` (by default `previous`, the last
        occurrence, which keeps "every 2 weeks" in step), at the wall-clock time in `tz`;
        None when the rule has ended."""
        found = dates(self.rule, previous, after or previous, tz, count=1)
        return found[0] if found else None


def _legacy(text: str) -> Repetition:
    """A row written before rules were RFC 5545: frequency:weekday:HHMM:monthday."""
    frequency, weekday, clock, monthday = text.split(":")
    at = time(int(clock[:2]), int(clock[2:])) if clock else None
    if frequency == "monthly":
        day = int(monthday) if monthday else None
        if day is not None and not 1 <= day <= 31:
            raise ValueError(f"day of month {day} in {text!r}")
        return Repetition(Unit.MONTH, monthday=day, at=at)
    unit = _LEGACY_UNITS.get(frequency)
    if unit is None:
        raise ValueError(f"frequency {frequency!r} in {text!r}")
    if frequency == "weekdays":
        return Repetition(unit, weekdays=WORKDAYS, at=at)
    if frequency == "weekly" and weekday:
        day = int(weekday)
        if not 0 <= day <= 6:
            raise ValueError(f"weekday {day} in {text!r}")
        return Repetition(unit, weekdays=(day,), at=at)
    return Repetition(unit, at=at)


def is_off(text: str) -> bool:
    """Whether `text` switches a repetition off ("off", "nie", "uit", "изключи" …)."""
    return " ".join(text.lower().replace("’", "'").split()) in OFF_WORDS


def parse_every(text: str, *, today: date) -> Recurrence | None:
    """A Recurrence, None for "off", or a RepetitionError that says why not."""
    if is_off(text):
        return None
    return Recurrence(parse(text, allowed=REMINDERS, today=today))


__all__ = ["Recurrence", "RepetitionError", "is_off", "parse_every"]
