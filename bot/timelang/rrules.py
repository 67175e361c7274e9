"""Repetition rules (RFC 5545 RRULE) that cannot hang the bot.

Two guards, because dateutil computes whatever it is given:

* `check_rule` reads a rule part by part before it is saved and refuses what would repeat
  more often than the feature allows or never finish: INTERVAL outside 1..n (INTERVAL=0
  loops forever, a negative one walks backwards), a FREQ below a day, BYSECOND, several
  BYHOUR/BYMINUTE values, a COUNT beyond the cap, parts that are not RFC 5545.
* `expand` is the one place a rule is turned into dates, bounded in count and in time.
  A rule whose parts never meet (BYMONTH=2;BYMONTHDAY=30) makes dateutil scan every day up
  to the year 9999 without yielding anything — seconds of work inside a single `next()`.
  A profile hook on the computing thread raises once the deadline has passed, so the work
  really stops (a thread cannot be killed from outside) and the caller gets a RuleError.

Callers on the event loop run `expand` in a worker thread (`bot.offload.off_loop`).
"""

from __future__ import annotations

import re
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from types import FrameType
from typing import Any

from dateutil.rrule import rrule, rrulestr

from bot.errors import UserError
from bot.i18n import tn
from bot.text import inert

# Parts of RFC 5545 an RRULE may have; dateutil's own extras (BYEASTER …) are refused.
RFC_PARTS = frozenset(
    {
        "FREQ",
        "UNTIL",
        "COUNT",
        "INTERVAL",
        "BYSECOND",
        "BYMINUTE",
        "BYHOUR",
        "BYDAY",
        "BYMONTHDAY",
        "BYYEARDAY",
        "BYWEEKNO",
        "BYMONTH",
        "BYSETPOS",
        "WKST",
    }
)
SUB_DAILY = ("HOURLY", "MINUTELY", "SECONDLY")
# The largest INTERVAL per frequency: at most two years between occurrences.
MAX_INTERVAL = {"DAILY": 730, "WEEKLY": 104, "MONTHLY": 24, "YEARLY": 2}
MAX_COUNT = 1000
# Expanding a rule: at most this many dates and this much work (seconds) per call. Sane
# rules take about a millisecond; a saved rule gets a second, longer try (STORED_SECONDS)
# before it is set aside, so a busy machine does not cost a series.
MAX_DATES = 100
SECONDS = 0.5
STORED_SECONDS = 5.0
# The values RFC 5545 allows in each numeric part (signed ones never 0). dateutil takes
# more (BYMONTHDAY=0 matches every day; BYMONTH=13 never matches, after a scan to 9999).
RANGES = {
    "BYHOUR": (0, 23, False),
    "BYMINUTE": (0, 59, False),
    "BYMONTH": (1, 12, False),
    "BYMONTHDAY": (1, 31, True),
    "BYYEARDAY": (1, 366, True),
    "BYWEEKNO": (1, 53, True),
    "BYSETPOS": (1, 366, True),
}
# The largest n in BYDAY=nMO: the fifth Monday of a month, the 53rd of a year.
MAX_ORDINAL = {"MONTHLY": 5, "YEARLY": 53}
_INTEGER = re.compile(r"[+-]?\d{1,9}")
_WEEKDAY = re.compile(r"([+-]?\d{1,3})?(MO|TU|WE|TH|FR|SA|SU)")
_PART = re.compile(r"^([A-Z]+)=([A-Z0-9,+\-]+)$")
_EXAMPLE = "FREQ=MONTHLY;BYDAY=2TU"  # the second Tuesday of every month


class RuleError(UserError):
    """A rule that cannot be expanded: it took too long, or dateutil refused it. It
    renders as a short localized reason; `detail` says more, for the log."""

    def __init__(self, key: str, detail: str) -> None:
        super().__init__(key)
        self.detail = detail


@dataclass(frozen=True)
class Counted:
    """A plural phrase put into an error's message when the message is rendered, so it is
    in the reader's language, not in the one current when the error was raised."""

    key: str
    n: int

    def __format__(self, spec: str) -> str:
        return tn(self.key, self.n)


@dataclass(frozen=True)
class Parts:
    """A rule's NAME=VALUE parts, each at most once."""

    values: dict[str, str]

    def get(self, name: str) -> str | None:
        return self.values.get(name)

    def list_of(self, name: str) -> list[str]:
        """The comma-separated values of a part; none when it is absent."""
        value = self.values.get(name)
        return value.split(",") if value else []


def split_parts(body: str) -> Parts | None:
    """'FREQ=WEEKLY;INTERVAL=2' → its parts; None when it is not NAME=VALUE;… or a name
    repeats."""
    values: dict[str, str] = {}
    for piece in body.split(";"):
        match = _PART.match(piece)
        if match is None or match[1] in values:
            return None
        values[match[1]] = match[2]
    return Parts(values)


def check_rule(body: str, shown: str, *, per_day: int = 1) -> None:
    """Refuse, with a UserError that says what was understood and gives a rule that
    works, a rule that repeats more than `per_day` times a day or cannot be computed.
    `shown` is the text as the person typed it."""
    parts = split_parts(body)
    if parts is None or "FREQ" not in parts.values:
        raise UserError("error.rule.bad_rrule", value=shown)
    for name in parts.values:
        if name not in RFC_PARTS:
            raise UserError("error.rule.unsupported", value=shown, part=name, example=_EXAMPLE)
    freq = parts.values["FREQ"]
    interval = _integer(parts.get("INTERVAL") or "1")
    if interval is None:
        raise UserError("error.rule.bad_rrule", value=shown)
    if freq in SUB_DAILY:
        raise UserError(
            "error.rule.too_often",
            value=shown,
            understood=Counted(f"rule.every.{freq.lower()}", interval),
            example="FREQ=DAILY",
        )
    if freq not in MAX_INTERVAL:
        raise UserError("error.rule.bad_rrule", value=shown)
    if not 1 <= interval <= MAX_INTERVAL[freq]:
        raise UserError(
            "error.rule.interval",
            value=shown,
            understood=Counted(f"rule.every.{freq.lower()}", interval),
            max=MAX_INTERVAL[freq],
            example=f"FREQ={freq};INTERVAL=2",
        )
    if "BYSECOND" in parts.values:
        raise UserError("error.rule.bysecond", value=shown, example="FREQ=WEEKLY;BYDAY=TU")
    times = max(len(parts.list_of("BYHOUR")), 1) * max(len(parts.list_of("BYMINUTE")), 1)
    if times > per_day:
        raise UserError(
            "error.rule.too_often",
            value=shown,
            understood=Counted("rule.per_day", times),
            example="FREQ=WEEKLY;BYDAY=MO,TH",
        )
    _check_values(parts, shown)
    if "COUNT" in parts.values and "UNTIL" in parts.values:
        raise UserError("error.rule.count_and_until", value=shown, example="FREQ=WEEKLY;COUNT=10")
    if "COUNT" in parts.values:
        count = _integer(parts.values["COUNT"])
        if count is None or not 1 <= count <= MAX_COUNT:
            raise UserError(
                "error.rule.count",
                value=shown,
                count=parts.values["COUNT"],
                max=MAX_COUNT,
                example="FREQ=WEEKLY;COUNT=10",
            )


def _check_values(parts: Parts, shown: str) -> None:
    """Each value of the numeric parts and of BYDAY within what RFC 5545 allows."""
    for name, (low, high, signed) in RANGES.items():
        for given in parts.list_of(name):
            number = _integer(given)
            if number is None or not low <= (abs(number) if signed else number) <= high:
                allowed = f"{-high}…{-low}, {low}…{high}" if signed else f"{low}…{high}"
                raise UserError(
                    "error.rule.range",
                    value=shown,
                    part=name,
                    given=given,
                    allowed=allowed,
                    example=_EXAMPLE,
                )
    ordinal_max = MAX_ORDINAL.get(parts.values["FREQ"])
    for given in parts.list_of("BYDAY"):
        match = _WEEKDAY.fullmatch(given)
        if match is None:
            raise UserError("error.rule.bad_rrule", value=shown)
        if match[1] is None:
            continue
        ordinal = int(match[1])
        if ordinal_max is None or not 1 <= abs(ordinal) <= ordinal_max:
            raise UserError(
                "error.rule.range",
                value=shown,
                part="BYDAY",
                given=given,
                allowed=f"-{ordinal_max}…-1, 1…{ordinal_max}" if ordinal_max else "MO…SU",
                example=_EXAMPLE,
            )


def _integer(text: str) -> int | None:
    return int(text) if _INTEGER.fullmatch(text) else None


def problem(body: str, *, per_day: int = 1) -> UserError | None:
    """What is wrong with a stored rule (an error that renders why, in the reader's
    language), or None when it passes the checks a new rule must pass. Reads the text
    only: cheap enough for every row at start."""
    try:
        check_rule(body, inert(body), per_day=per_day)
        build(body, datetime(2026, 1, 1, 10, 0))  # noqa: DTZ001 - naive wall-clock anchor
    except UserError as exc:
        return exc
    return None


def build(body: str, anchor: datetime) -> rrule:
    """The rule anchored at `anchor` (naive wall-clock time); RuleError when dateutil
    cannot read it. Building reads the text only: nothing is expanded yet."""
    try:
        rule = rrulestr(f"RRULE:{body}", dtstart=anchor)
    except (ValueError, TypeError, OverflowError) as exc:
        raise RuleError("error.rule.unreadable", f"{body}: {exc}") from None
    if not isinstance(rule, rrule):
        raise RuleError("error.rule.unreadable", f"{body}: not a single rule")
    return rule


class _Deadline(Exception):
    """Raised inside dateutil's loop by the profile hook once time is up."""


def expand(
    rule: rrule,
    after: datetime,
    *,
    count: int = 1,
    seconds: float | None = None,
    timer: Callable[[], float] = time.monotonic,
) -> list[datetime]:
    """At most `count` (and never more than MAX_DATES) dates of `rule` strictly after
    `after`, found within `seconds` of work (SECONDS by default). RuleError when the time
    runs out or dateutil fails on the way (a negative INTERVAL walks to the year 0)."""
    wanted = max(0, min(count, MAX_DATES))
    limit = SECONDS if seconds is None else seconds
    deadline = timer() + limit

    def guard(frame: FrameType, event: str, arg: Any) -> None:
        # Called on every Python call on this thread; dateutil calls one per period.
        if timer() > deadline:
            raise _Deadline

    found: list[datetime] = []
    if not wanted:
        return found
    previous = sys.getprofile()
    sys.setprofile(guard)
    try:
        # Not xafter(count=…): it computes one date more than asked before stopping.
        for at in rule.xafter(after):
            found.append(at)
            if len(found) == wanted:
                break
    except _Deadline:
        raise RuleError("error.rule.too_slow", f"no date after {after} within {limit}s") from None
    except (ValueError, OverflowError) as exc:
        raise RuleError("error.rule.unreadable", str(exc)) from None
    finally:
        sys.setprofile(previous)
    return found
