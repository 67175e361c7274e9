"""Times typed by users, understood in their language first, then in the others."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from babel.dates import format_datetime

from bot.commands import Invocation
from bot.errors import UserError
from bot.i18n import SUPPORTED_LOCALES, current_locale
from bot.timelang import repetition
from bot.timelang.points import (
    beyond_table,
    parse_when,
    passed,
    recognised,
    skipped,
    todays_weekday,
)
from bot.timelang.repetition import Allowed, RepetitionError, Unit
from bot.timelang.timestamps import stamp

MAX_AHEAD = timedelta(days=366)
# Years a person may name where a date is typed by its parts (a month to list, say):
# beyond them nothing can exist, and datetime itself ends at 9999.
MIN_YEAR = 2000
MAX_YEAR = 2100
# Any repetition at all, to recognise one typed where a single time belongs.
_ANY_REPETITION = Allowed(Unit.SECOND)


def check_year(year: int, *, option: str) -> int:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise UserError(
            "error.year_out_of_range", name=option, min=str(MIN_YEAR), max=str(MAX_YEAR)
        )
    return year


def understand_when(
    text: str, ctx: Invocation, *, option: str = "when", repeat: str | None = None
) -> datetime:
    """A future time from the user's words, or a UserError with examples in their language.

    People mix languages (an English phrase on a Polish server), so the user's language is
    tried first and the others after it, unless the user's own language reads the words
    and refuses them ("za 5" has no unit in Polish; in Dutch it would be Saturday at 5).
    A time the clocks skip, or one already passed, is refused with what it was understood
    as, never moved or guessed. A repetition typed here ("co 2 tygodnie") is pointed to
    `repeat`, the command's option for it, when it has one.
    """
    languages = _languages(ctx, text)
    for lang in languages:
        at = parse_when(text, now=ctx.now, tz=ctx.timezone, lang=lang)
        if at is not None:
            if at - ctx.now > MAX_AHEAD:
                # Said with the date it was read as: "29 lutego" in 2026 is 2028's.
                raise UserError("error.time_too_far_at", name=option, value=text, at=stamp(at))
            return at
    for lang in languages:
        moved = skipped(text, now=ctx.now, tz=ctx.timezone, lang=lang)
        if moved is not None:
            raise UserError(
                "error.time_skipped", name=option, value=text, zone=ctx.timezone, moved=stamp(moved)
            )
    for lang in languages:
        years = beyond_table(text, now=ctx.now, tz=ctx.timezone, lang=lang)
        if years is not None:
            raise UserError(
                "error.holiday_year_unknown",
                name=option,
                value=text,
                first=str(years[0]),
                last=str(years[1]),
            )
    for lang in languages:
        both = todays_weekday(text, now=ctx.now, tz=ctx.timezone, lang=lang)
        if both is not None:
            today, later = both
            raise UserError(
                "error.time_today_or_week_later",
                name=option,
                value=text,
                weekday=_weekday(today, ctx.timezone),
                today=stamp(today),
                later=stamp(later),
            )
    if any(passed(text, now=ctx.now, tz=ctx.timezone, lang=lang) for lang in languages):
        raise UserError("error.time_passed", name=option, value=text)
    if _repeats(text, ctx):
        if repeat is not None:
            raise UserError("error.time_is_repetition_use", name=option, value=text, repeat=repeat)
        raise UserError("error.time_is_repetition", name=option, value=text)
    raise UserError("error.bad_time", name=option, value=text)


def _repeats(text: str, ctx: Invocation) -> bool:
    """Whether `text` reads as a repetition ("every 2 weeks"), not as one moment; a bare
    length of time ("tydzień") is neither, and gets the examples of times."""
    if repetition.is_length(text):
        return False
    today = ctx.now.astimezone(ZoneInfo(ctx.timezone)).date()
    try:
        repetition.parse(text, allowed=_ANY_REPETITION, today=today)
    except RepetitionError:
        return False
    return True


def _weekday(at: datetime, tz: str) -> str:
    """The day's name in the reader's language ("czwartek", "Thursday")."""
    return format_datetime(at.astimezone(ZoneInfo(tz)), "EEEE", locale=current_locale())


def _languages(ctx: Invocation, text: str) -> tuple[str, ...]:
    """The languages to read `text` in: the user's, then, when their own does not
    recognise the words, the others."""
    if recognised(text, lang=ctx.locale):
        return (ctx.locale,)
    return (ctx.locale, *(lang for lang in SUPPORTED_LOCALES if lang != ctx.locale))


def understand_optional_when(text: str | None, ctx: Invocation, option: str) -> datetime | None:
    """understand_when for an option that may be left out."""
    return understand_when(text, ctx, option=option) if text else None
