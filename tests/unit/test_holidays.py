"""bot.timelang.holidays: holiday date rules."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from dateutil.easter import EASTER_ORTHODOX, easter

from bot.timelang.holidays import HOLIDAYS, holiday_date


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        (2014, date(2014, 4, 26)),  # the 27th was a Sunday
        (2025, date(2025, 4, 26)),  # likewise
        (2026, date(2026, 4, 27)),
        (2031, date(2031, 4, 26)),
    ],
)
def test_koningsdag(year: int, expected: date) -> None:
    assert holiday_date("kings_day", year) == expected


def test_koningsdag_is_never_a_sunday() -> None:
    assert all(holiday_date("kings_day", year).weekday() != 6 for year in range(2014, 2100))


def test_fat_thursday() -> None:
    assert holiday_date("fat_thursday", 2026) == date(2026, 2, 12)
    assert holiday_date("fat_thursday", 2027) == date(2027, 2, 4)
    for year in range(2000, 2101):
        day = holiday_date("fat_thursday", year)
        assert day == easter(year) - timedelta(days=52)
        assert day.weekday() == 3


def test_easters() -> None:
    assert holiday_date("easter", 2026) == date(2026, 4, 5)
    assert holiday_date("orthodox_easter", 2026) == date(2026, 4, 12)
    assert holiday_date("orthodox_good_friday", 2026) == date(2026, 4, 10)
    assert holiday_date("orthodox_easter", 2030) == easter(2030, EASTER_ORTHODOX)
    assert holiday_date("corpus_christi", 2026) == date(2026, 6, 4)
    assert holiday_date("ascension", 2026) == date(2026, 5, 14)


def test_every_rule_gives_a_date_in_its_year() -> None:
    for key in HOLIDAYS:
        for year in (2024, 2026, 2100):
            assert holiday_date(key, year).year == year


def test_unknown_holiday() -> None:
    with pytest.raises(KeyError):
        holiday_date("no_such_day", 2026)
