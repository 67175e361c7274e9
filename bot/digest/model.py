"""The weekly digest: its setting, what it holds, and the rules for both.

A server has at most one digest setting: a weekly rule of the time language (one day of the
week and an hour, "poniedziałek 9:00"), kept as an RRULE body at the wall-clock time of the
zone it was set in. What a digest holds is read from the features' services each time it is
sent (bot/digest/assembly.py); only when it is due and the last week it went out are kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from bot.events.model import Event
from bot.groups.model import Group, Meeting
from bot.learning.model import Program
from bot.signups.model import Sheet
from bot.timelang.repetition import (
    NOTHING,
    Allowed,
    Repetition,
    RepetitionError,
    Unit,
    Worded,
    parse,
)

# What "coming up" means: the next two weeks, and a group is new for a week.
AHEAD = timedelta(days=14)
NEW_FOR = timedelta(days=7)
# Once a week at most and for good: "every 2 weeks" or "until June" is not a weekly digest.
WEEKLY = Allowed(Unit.WEEK, end=False, longest=1)


class DigestJob(StrEnum):
    """The scheduler's one job: a server's digest is due (the row is the setting)."""

    POST = "d"


@dataclass(frozen=True)
class DigestSetting:
    id: int
    guild_id: str
    rule: str  # RRULE body, weekly on one day at one time (bot.timelang.repetition)
    timezone: str  # the wall-clock time of the rule is in this zone
    next_at: datetime
    last_week: str | None = None


@dataclass(frozen=True)
class Weekly:
    """A server's digest day and hour, the zone that hour is in, and when it comes next."""

    rule: Repetition
    timezone: str
    next_at: datetime


def weekly_rule(text: str, *, today: date) -> Repetition:
    """The digest's rule from a phrase in any of the four languages: one day of the week
    and an hour. Anything else is refused with what was understood and examples of what
    the digest takes (not the time language's, most of which a digest refuses)."""
    try:
        rule = parse(text, allowed=WEEKLY, today=today)
    except RepetitionError as exc:
        if exc.key != "error.repeat.unknown":
            raise
        # Only an hour ("9:00"): the day is what is missing.
        key = "error.digest.no_day" if exc.params["words"] == NOTHING else "error.digest.unknown"
        raise RepetitionError(key, **exc.params) from None
    if rule.expert is not None or rule.unit is not Unit.WEEK or len(rule.weekdays) != 1:
        raise RepetitionError("error.digest.weekly", value=text.strip(), understood=Worded(rule))
    if rule.at is None:
        raise RepetitionError("error.digest.no_time", value=text.strip(), understood=Worded(rule))
    return rule


def week_of(at: datetime, timezone: str) -> str:
    """The ISO week the moment falls in, on the server's calendar: '2026-W03'."""
    year, week, _ = at.astimezone(ZoneInfo(timezone)).isocalendar()
    return f"{year}-W{week:02d}"


@dataclass(frozen=True)
class EventItem:
    """A server-wide event to come; `seats_left` is None when it has no limit."""

    event: Event
    seats_left: int | None


@dataclass(frozen=True)
class SheetItem:
    sheet: Sheet
    free: int  # places still free across its slots


@dataclass(frozen=True)
class ProgramItem:
    program: Program
    closes_at: datetime | None


@dataclass(frozen=True)
class MeetingItem:
    group: Group
    meeting: Meeting


@dataclass(frozen=True)
class Digest:
    """What one server's digest says, for everyone there: nothing of a private group."""

    guild_id: str
    start: datetime
    end: datetime
    events: tuple[EventItem, ...] = ()
    sheets: tuple[SheetItem, ...] = ()
    programs: tuple[ProgramItem, ...] = ()
    new_groups: tuple[Group, ...] = ()
    meetings: tuple[MeetingItem, ...] = ()

    @property
    def empty(self) -> bool:
        """An empty fortnight posts nothing."""
        return not (self.events or self.sheets or self.programs or self.new_groups or self.meetings)
