"""Times in messages are Discord timestamp markup, `<t:UNIX:STYLE>` (DESIGN.md rule 5).

Discord renders it in each reader's own zone; other front ends call `render` to turn it
into text in the reader's language and zone.

A timestamp is rendered without a preposition, so in a catalog message a date stands
after a label, a colon or a parenthesis ("Termin: {when}"), never after a word that
would need the date in another form (tests/unit/test_date_sentences.py).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from babel.dates import format_datetime

from bot.i18n import current_locale, format_relative, format_when

_STAMP = re.compile(r"<t:(-?\d{1,12})(?::([tTdDfFR]))?>")
_PATTERNS = {
    "t": "HH:mm",
    "T": "HH:mm:ss",
    "d": "dd.MM.y",
    "D": "d MMMM y",
    "f": "d MMMM y HH:mm",
}


def stamp(at: datetime, style: str = "F") -> str:
    return f"<t:{int(at.timestamp())}:{style}>"


def when(at: datetime) -> str:
    """The absolute and the relative time, so a wrong reading shows at once."""
    return f"{stamp(at, 'F')} ({stamp(at, 'R')})"


def render(text: str, *, now: datetime, tz: str, locale: str | None = None) -> str:
    """Replace every timestamp in `text` by local text, e.g. for the console."""
    loc = locale or current_locale()
    zone = ZoneInfo(tz)

    def one(match: re.Match[str]) -> str:
        try:
            at = datetime.fromtimestamp(int(match[1]), UTC)
        except (OverflowError, OSError, ValueError):
            return match[0]
        style = match[2] or "f"
        if style == "R":
            return format_relative(at, now, locale=loc)
        if style == "F":
            return format_when(at, tz, locale=loc)
        return format_datetime(at, _PATTERNS[style], tzinfo=zone, locale=loc)

    return _STAMP.sub(one, text)
