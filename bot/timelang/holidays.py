"""Dates of the public holidays and well-known days that users name in reminders.

Covers Poland, the Netherlands and Bulgaria plus a few days every language knows
(Christmas, New Year, Easter). Each holiday is a key mapped to a rule `year -> date`;
the words that name a holiday in each language live in `bot.timelang.words`.
Movable feasts hang off Easter: Western Easter for Poland and the Netherlands,
Orthodox Easter (dateutil's EASTER_ORTHODOX, already in the Gregorian calendar) for
Bulgaria.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Literal

from dateutil.easter import EASTER_ORTHODOX, EASTER_WESTERN, easter

HolidayRule = Callable[[int], date]


def _fixed(month: int, day: int) -> HolidayRule:
    """A holiday on the same day every year."""
    return lambda year: date(year, month, day)


def _from_easter(days: int, method: Literal[1, 2, 3] = EASTER_WESTERN) -> HolidayRule:
    """A movable feast `days` after (negative: before) Easter Sunday."""
    return lambda year: easter(year, method) + timedelta(days=days)


def _nth_sunday(month: int, n: int) -> HolidayRule:
    """The n-th Sunday of a month (Dutch Mother's and Father's Day)."""

    def rule(year: int) -> date:
        first = date(year, month, 1)
        return first + timedelta(days=(6 - first.weekday()) % 7 + 7 * (n - 1))

    return rule


def _koningsdag(year: int) -> date:
    """The Dutch King's Day: 27 April, or the 26th when the 27th is a Sunday."""
    day = date(year, 4, 27)
    return day - timedelta(days=1) if day.weekday() == 6 else day


HOLIDAYS: dict[str, HolidayRule] = {
    # Fixed days shared by (nearly) everyone.
    "new_year": _fixed(1, 1),
    "womens_day": _fixed(3, 8),
    "halloween": _fixed(10, 31),
    "st_nicholas": _fixed(12, 6),
    "ash_wednesday": _from_easter(-46),
    "palm_sunday": _from_easter(-7),
    "holy_saturday": _from_easter(-1),
    "maundy_thursday": _from_easter(-3),
    "shrove_tuesday": _from_easter(-47),
    "trinity_sunday": _from_easter(56),
    # Poland's days of a mother, a father, a child, and of libraries and librarians.
    "mothers_day_pl": _fixed(5, 26),
    "fathers_day_pl": _fixed(6, 23),
    "childrens_day": _fixed(6, 1),
    "librarians_day_pl": _fixed(5, 8),
    "mothers_day_nl": _nth_sunday(5, 2),
    "fathers_day_nl": _nth_sunday(6, 3),
    "epiphany": _fixed(1, 6),
    "valentines_day": _fixed(2, 14),
    "labour_day": _fixed(5, 1),
    "all_saints": _fixed(11, 1),
    "christmas_eve": _fixed(12, 24),
    "christmas": _fixed(12, 25),
    "boxing_day": _fixed(12, 26),
    "new_years_eve": _fixed(12, 31),
    # Western Easter cycle (Poland, the Netherlands, English).
    "fat_thursday": _from_easter(-52),
    "good_friday": _from_easter(-2),
    "easter": _from_easter(0),
    "easter_monday": _from_easter(1),
    "ascension": _from_easter(39),
    "pentecost": _from_easter(49),
    "whit_monday": _from_easter(50),
    "corpus_christi": _from_easter(60),
    # Poland.
    "constitution_day_pl": _fixed(5, 3),
    "assumption": _fixed(8, 15),
    "independence_day_pl": _fixed(11, 11),
    # The Netherlands.
    "kings_day": _koningsdag,
    "liberation_day_nl": _fixed(5, 5),
    "sinterklaas": _fixed(12, 5),
    # Bulgaria (Orthodox Easter; fixed feasts follow the Gregorian calendar).
    "orthodox_good_friday": _from_easter(-2, EASTER_ORTHODOX),
    "orthodox_easter": _from_easter(0, EASTER_ORTHODOX),
    "orthodox_easter_monday": _from_easter(1, EASTER_ORTHODOX),
    "liberation_day_bg": _fixed(3, 3),
    "st_george_bg": _fixed(5, 6),
    "culture_day_bg": _fixed(5, 24),
    "unification_day_bg": _fixed(9, 6),
    "independence_day_bg": _fixed(9, 22),
}


def holiday_date(key: str, year: int) -> date:
    """The date of holiday `key` in `year`; KeyError for an unknown key."""
    return HOLIDAYS[key](year)
