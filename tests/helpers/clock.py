"""The moment every test harness's settable clock starts at, the moment stories about the
change to summer time start at instead, and wall-clock times in Warsaw counted from them.

`World`, `ConsoleSession`, console subprocesses (`--now`), the Discord stories and the Matrix
stories all start at `START`, so an expectation written for one harness reads the same in
another.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

WARSAW = ZoneInfo("Europe/Warsaw")

# Thursday 15 January 2026, 10:00 in Warsaw (09:00 UTC, winter time). A weekday morning, so
# "jutro 10:00" is a working day's morning and today's 10:00 has not passed yet; eleven weeks
# after the change to winter time (26 October 2025) and ten before summer time (29 March),
# so "za tydzień" or "za miesiąc" keeps the same offset; no public holiday until Easter.
START = datetime(2026, 1, 15, 9, 0, tzinfo=UTC)

# For the stories that must cross the change to summer time (Sunday 29 March 2026, 02:00 →
# 03:00 in Warsaw): Friday 20 March 2026, 10:00 in Warsaw, nine days before it.
BEFORE_SUMMER_TIME = datetime(2026, 3, 20, 9, 0, tzinfo=UTC)


def warsaw(days: int, hour: int, minute: int = 0, *, since: datetime = START) -> datetime:
    """`hour:minute` on the wall clock in Warsaw, `days` days after `since`'s day there."""
    day = since.astimezone(WARSAW).date() + timedelta(days=days)
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=WARSAW).astimezone(UTC)
