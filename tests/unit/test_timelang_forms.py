"""bot.timelang: the forms read since the public-corpus measurement (issue 17), per form,
with the refusals that go with them: holidays by rule and from the table, a holiday's
year in words or by distance, spoken and short clock times, quarters around noon and
midnight, fractions of an hour, "N <weekday>s from now", zone abbreviations."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.commands import Invocation
from bot.errors import UserError
from bot.refs import Actor, ChannelRef, UserRef
from bot.roles import Role
from bot.timelang.holidays import NotInTable, holiday_dates
from bot.timelang.points import beyond_table, parse_when
from bot.timelang.understand import understand_when

# Thursday 15 January 2026, 10:00 in London (UTC in winter).
NOW = datetime(2026, 1, 15, 10, 0, tzinfo=UTC)
TZ = "Europe/London"


def when(text: str, lang: str = "en") -> str | None:
    got = parse_when(text, now=NOW, tz=TZ, lang=lang)
    return None if got is None else got.astimezone(UTC).strftime("%Y-%m-%d %H:%M")


# -- holidays -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "year", "expected"),
    [
        ("thanksgiving", 2026, date(2026, 11, 26)),  # the fourth Thursday of November
        ("black_friday", 2026, date(2026, 11, 27)),
        ("mlk_day", 2027, date(2027, 1, 18)),  # the third Monday of January
        ("memorial_day", 2026, date(2026, 5, 25)),  # the last Monday of May
        ("labor_day", 2026, date(2026, 9, 7)),
        ("bosses_day", 2016, date(2016, 10, 17)),  # the 16th was a Sunday
        ("bosses_day", 2021, date(2021, 10, 15)),  # a Saturday
        ("clean_monday", 2018, date(2018, 2, 19)),  # Orthodox Easter - 48
        ("lazarus_saturday", 2018, date(2018, 3, 31)),
        ("whit_monday", 2013, date(2013, 5, 20)),
    ],
)
def test_holidays_by_rule(key: str, year: int, expected: date) -> None:
    assert holiday_dates(key, year) == [expected]


@pytest.mark.parametrize(
    ("key", "year", "expected"),
    [
        ("diwali", 2019, [date(2019, 10, 27)]),  # two days after Dhanteras
        ("yom_kippur", 2018, [date(2018, 9, 18)]),  # nine days after Rosh Hashana
        ("eid_al_fitr", 2018, [date(2018, 6, 15)]),
        ("jumuatul_wida", 2018, [date(2018, 6, 8)]),  # the Friday before, not Eid itself
        ("chinese_new_year", 2018, [date(2018, 2, 16)]),
        ("parsi_new_year", 2022, [date(2022, 8, 16)]),
        ("eid_al_fitr", 2033, [date(2033, 1, 3), date(2033, 12, 23)]),  # twice that year
    ],
)
def test_holidays_from_the_table(key: str, year: int, expected: list[date]) -> None:
    assert holiday_dates(key, year) == expected


def test_a_year_outside_the_table_is_refused_not_extrapolated() -> None:
    with pytest.raises(NotInTable) as outside:
        holiday_dates("diwali", 2031)
    assert (outside.value.first, outside.value.last) == (2000, 2030)
    assert when("diwali 2031") is None
    assert beyond_table("diwali 2031", now=NOW, tz=TZ, lang="en") == (2000, 2030)
    assert beyond_table("diwali 2029", now=NOW, tz=TZ, lang="en") is None


def test_the_table_is_read_on_first_use_only() -> None:
    import subprocess
    import sys

    probe = (
        "import bot.timelang.points, bot.timelang.holidays as h; "
        "print(h._tables.cache_info().currsize)"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "0"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("thanksgiving", "2026-11-26 09:00"),
        ("next thanksgiving day", "2026-11-26 09:00"),  # the nearest coming one
        ("this MLK day", "2026-01-19 09:00"),
        ("thanksgiving of next year", "2027-11-25 09:00"),
        ("black friday of this year", "2026-11-27 09:00"),
        ("thanksgiving in a year", "2027-11-25 09:00"),
        ("thanksgiving 9 months from now", "2026-11-26 09:00"),
        ("Lakshmi Puja three years hence", "2029-11-06 09:00"),
        ("diwali in 2027", "2027-10-29 08:00"),  # 09:00 summer time
        ("christmas two thousand thirty", "2030-12-25 09:00"),
        ("Monday of the Holy Spirit", "2026-05-25 08:00"),
        ("st paddy's day", "2026-03-17 09:00"),
        ("Eid al-Fitr 2026", "2026-03-20 09:00"),
        ("purim", "2026-03-02 09:00"),
    ],
)
def test_holidays_in_english(text: str, expected: str) -> None:
    assert when(text) == expected


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("чисти понеделник", "bg", "2026-02-23 07:00"),  # 09:00 in Sofia
        ("цветница", "bg", "2026-04-05 06:00"),
        ("спасовден", "bg", "2026-05-21 06:00"),
        ("black friday", "pl", "2026-11-27 08:00"),
        ("black friday", "nl", "2026-11-27 08:00"),
        ("dzień babci", "pl", "2026-01-21 08:00"),
        ("andrzejki", "pl", "2026-11-29 08:00"),
        ("prinsjesdag", "nl", "2026-09-15 07:00"),  # the third Tuesday of September
        ("sint-maarten", "nl", "2026-11-11 08:00"),
        ("баба марта", "bg", "2026-03-01 07:00"),
        ("сирни заговезни", "bg", "2026-02-22 07:00"),  # Orthodox Easter - 49
    ],
)
def test_holidays_in_bulgarian_polish_dutch(text: str, lang: str, expected: str) -> None:
    zone = {"bg": "Europe/Sofia", "pl": "Europe/Warsaw", "nl": "Europe/Amsterdam"}[lang]
    got = parse_when(text, now=NOW, tz=zone, lang=lang)
    assert got is not None
    assert got.astimezone(UTC).strftime("%Y-%m-%d %H:%M") == expected


@pytest.mark.parametrize(
    "text",
    [
        "Eid al-Fitr 2033",  # two that year: which one?
        "christmas in 2 days",  # a holiday is placed by years or months, not days
        "at 5pm next year",  # a year names no day
        "next year",
        "independence day",  # Poland's, Bulgaria's, or the United States'?
        "mother's day",  # likewise
    ],
)
def test_holiday_refusals(text: str) -> None:
    assert when(text) is None


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("three days after Easter", "en", "2026-04-08 08:00"),
        ("a week before christmas", "en", "2026-12-18 09:00"),
        ("the day before christmas", "en", "2026-12-24 09:00"),
        ("3 days before christmas at 5pm", "en", "2026-12-22 17:00"),
        ("2 days after march 3", "en", "2026-03-05 09:00"),
        ("the day after tomorrow", "en", "2026-01-17 09:00"),  # still a relative day
        ("3 dni po Wielkanocy", "pl", "2026-04-08 08:00"),
        ("2 dagen voor kerst", "nl", "2026-12-23 09:00"),
        ("2 дни след коледа", "bg", "2026-12-27 09:00"),
    ],
)
def test_days_before_or_after_a_holiday_or_date(text: str, lang: str, expected: str) -> None:
    assert when(text, lang) == expected


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("2 days before friday", "en"),  # which Friday's?
        ("3 days after", "en"),
        ("one year after christmas", "en"),  # last Christmas's, or the coming one's?
        ("1.5 days before easter", "en"),
        ("wigilia 25 grudnia", "pl"),  # a holiday and a date that disagree
    ],
)
def test_shift_and_holiday_refusals(text: str, lang: str) -> None:
    assert when(text, lang) is None


def test_a_holiday_with_its_own_date_is_that_day() -> None:
    assert when("wigilia 24 grudnia", "pl") == "2026-12-24 09:00"


# -- clock times ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ten thirty", "2026-01-15 10:30"),
        ("ten-thirty am", "2026-01-15 10:30"),
        ("twelve oh three", "2026-01-15 12:03"),
        ("twelve-zero-three", "2026-01-15 12:03"),
        ("nine fifty nine a m", "2026-01-16 09:59"),
        ("seven thirty p.m.", "2026-01-15 19:30"),
        ("at one twenty", "2026-01-15 13:20"),  # 1-6 are afternoon, as for "at 1"
        ("7p", "2026-01-15 19:00"),
        ("7a", "2026-01-16 07:00"),
        ("3:15p", "2026-01-15 15:15"),
        ("3:18a", "2026-01-16 03:18"),
        ("at 3p.", "2026-01-15 15:00"),
        ("330 p.m.", "2026-01-15 15:30"),
        ("3 oclock pm", "2026-01-15 15:00"),
        ("3 in the AM", "2026-01-16 03:00"),
        ("at three am", "2026-01-16 03:00"),
        ("3h18", "2026-01-16 03:18"),  # the continental 24-hour way
        ("eight tonight", "2026-01-15 20:00"),
        ("tonight @ 3:20", "2026-01-15 15:20"),
        ("mid day", "2026-01-15 12:00"),
        ("on Saturday for 9am", "2026-01-17 09:00"),
    ],
)
def test_spoken_and_short_clock_times(text: str, expected: str) -> None:
    assert when(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a quarter past noon", "2026-01-15 12:15"),
        ("15 minutes past noon", "2026-01-15 12:15"),
        ("a quarter to noon", "2026-01-15 11:45"),
        ("15 to noon", "2026-01-15 11:45"),
        ("for a quarter past 3pm", "2026-01-15 15:15"),
        ("10 to midnight", "2026-01-15 23:50"),
        ("quarter past midnight", "2026-01-16 00:15"),
        ("15 minutes past 15h", "2026-01-15 15:15"),
        ("30 minutes past 3 pm", "2026-01-15 15:30"),
    ],
)
def test_quarters_around_noon_and_midnight(text: str, expected: str) -> None:
    assert when(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("in 1/4h", "2026-01-15 10:15"),
        ("in 1/2 hour", "2026-01-15 10:30"),
        ("in 3/4 h", "2026-01-15 10:45"),
        ("in three-quarters of an hour", "2026-01-15 10:45"),
        ("in 2 and an half hours", "2026-01-15 12:30"),
        ("in a couple hours", "2026-01-15 12:00"),
        ("in a pair of minutes", "2026-01-15 10:02"),
        ("in 15'", "2026-01-15 10:15"),
        ("a day from right now", "2026-01-16 10:00"),
    ],
)
def test_fractions_and_lengths(text: str, expected: str) -> None:
    assert when(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2 sundays from now", "2026-01-25 09:00"),
        ("three fridays from now", "2026-01-30 09:00"),
        ("2 thursdays from now", "2026-01-29 09:00"),  # today's does not count
        ("on the first", "2026-02-01 09:00"),
        ("20th of the current month", "2026-01-20 09:00"),
    ],
)
def test_days_counted_and_named(text: str, expected: str) -> None:
    assert when(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Thursday 8h GMT", "2026-01-22 08:00"),  # today's 08:00 has passed
        ("Thu at 8 gmt", "2026-01-22 08:00"),
        ("tomorrow 9am PST", "2026-01-16 17:00"),
        ("friday 10:00 cet", "2026-01-16 09:00"),
        ("at noon utc", "2026-01-15 12:00"),
    ],
)
def test_zone_abbreviations(text: str, expected: str) -> None:
    assert when(text) == expected


def test_a_zone_word_in_dutch_is_only_a_zone_where_it_names_one() -> None:
    assert parse_when("om 9 uur cet", now=NOW, tz="Europe/Amsterdam", lang="nl") is not None
    assert parse_when("om 9 uur eet", now=NOW, tz="Europe/Amsterdam", lang="nl") is None


@pytest.mark.parametrize(
    "text",
    [
        "Thursday at 9:30pm ist",  # India, Ireland or Israel
        "at 9 cst",  # US Central, China or Cuba
        "tomorrow gmt",  # a zone with no time
        "3ish pm",  # vague: refused, never approximated
        "in a few hours",
        "at 12 15",  # 12:15, or 15 December?
        "15 minutes from 1pm",
        "in 3/4",  # a length without its unit
        "the second monday",  # of which month?
        "room 7a",
        "3 a",  # dateparser: 3 January
        "3 m",  # minutes or months?
        "3 d",  # a count of days, from when?
    ],
)
def test_refusals(text: str) -> None:
    assert when(text) is None


def test_a_letter_that_counts_something_after_in_is_read() -> None:
    assert when("in 3 d") is not None and when("in 2 h") is not None


# -- the refusal a person reads ---------------------------------------------------------------


def _ctx(locale: str) -> Invocation:
    return Invocation(
        platform="console",
        guild_id="g",
        channel=ChannelRef("c", "general"),
        actor=Actor(UserRef("u", "Ula")),
        role=Role.DIRECTOR,
        locale=locale,
        timezone=TZ,
        now=NOW,
    )


@pytest.mark.parametrize("locale", ["pl", "en", "nl", "bg"])
def test_a_year_beyond_the_table_is_answered_with_the_years_known(locale: str) -> None:
    with pytest.raises(UserError) as refused:
        understand_when("diwali 2031", _ctx(locale))
    assert refused.value.key == "error.holiday_year_unknown"
    assert refused.value.params["first"] == "2000"
    assert refused.value.params["last"] == "2030"
