"""Dates of the public holidays and well-known days that users name in reminders.

Covers Poland, the Netherlands and Bulgaria, the days English speakers name (the US
Thanksgiving, Memorial Day, ...) and a few days every language knows (Christmas, New
Year, Easter). Each holiday is a key mapped to a rule `year -> date` (`HOLIDAYS`); the
words that name a holiday in each language live in `bot.timelang.words`. Movable feasts
hang off Easter: Western Easter for Poland and the Netherlands, Orthodox Easter
(dateutil's EASTER_ORTHODOX, already in the Gregorian calendar) for Bulgaria.

Lunar and lunisolar days (Chinese New Year; Jewish, Islamic, Hindu, Sikh and Buddhist
days) follow no rule this module could compute: their dates come from a table copied
from Duckling (data/holidays/computed.tsv, read on first use), and a year the table does
not cover is refused (`NotInTable`), never extrapolated (`TABLE_HOLIDAYS`).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
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


def _nth_weekday(month: int, weekday: int, n: int) -> HolidayRule:
    """The n-th (-1: last) weekday of a month: "the fourth Thursday of November"."""

    def rule(year: int) -> date:
        if n > 0:
            first = date(year, month, 1)
            return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))
        last = date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
        return last - timedelta(days=(last.weekday() - weekday) % 7)

    return rule


def _after(rule: HolidayRule, days: int) -> HolidayRule:
    """A day a fixed number of days after another: Black Friday after Thanksgiving."""
    return lambda year: rule(year) + timedelta(days=days)


def _nearest_weekday(month: int, day: int) -> HolidayRule:
    """A date, or the working day nearest to it when it falls on a weekend (Boss's Day)."""

    def rule(year: int) -> date:
        named = date(year, month, day)
        return named + timedelta(days={5: -1, 6: 1}.get(named.weekday(), 0))

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
    # Orthodox days named in Bulgaria: Clean Monday opens Lent, Lazarus Saturday and
    # Palm Sunday (Tsvetnitsa) close it.
    "clean_monday": _from_easter(-48, EASTER_ORTHODOX),
    "lazarus_saturday": _from_easter(-8, EASTER_ORTHODOX),
    "orthodox_palm_sunday": _from_easter(-7, EASTER_ORTHODOX),
    "orthodox_ascension": _from_easter(39, EASTER_ORTHODOX),
    "cheesefare_sunday": _from_easter(-49, EASTER_ORTHODOX),  # Sirni zagovezni
    "baba_marta": _fixed(3, 1),
    # Grandmothers' day in Poland (Dzień Babci) and Bulgaria (Babinden); grandfathers'.
    "grandmothers_day": _fixed(1, 21),
    "grandfathers_day_pl": _fixed(1, 22),
    "andrzejki": _fixed(11, 29),
    # The Netherlands: Remembrance of the Dead, St Martin's lanterns, the King's speech.
    "remembrance_day_nl": _fixed(5, 4),
    "st_martins_day": _fixed(11, 11),
    "prinsjesdag": _nth_weekday(9, 1, 3),
    # The United States, and days English speakers name.
    "thanksgiving": _nth_weekday(11, 3, 4),
    "black_friday": _after(_nth_weekday(11, 3, 4), 1),
    "mlk_day": _nth_weekday(1, 0, 3),
    "presidents_day": _nth_weekday(2, 0, 3),
    "memorial_day": _nth_weekday(5, 0, -1),
    "labor_day": _nth_weekday(9, 0, 1),
    "columbus_day": _nth_weekday(10, 0, 2),
    "independence_day_us": _fixed(7, 4),
    "veterans_day": _fixed(11, 11),
    "st_patricks_day": _fixed(3, 17),
    "april_fools": _fixed(4, 1),
    "earth_day": _fixed(4, 22),
    "groundhog_day": _fixed(2, 2),
    "world_vegan_day": _fixed(11, 1),
    "bosses_day": _nearest_weekday(10, 16),
}


def holiday_date(key: str, year: int) -> date:
    """The date of holiday `key` in `year`; KeyError for an unknown key."""
    return HOLIDAYS[key](year)


# -- days from the table --------------------------------------------------------------------

TABLE = Path(__file__).resolve().parents[2] / "data" / "holidays" / "computed.tsv"


class NotInTable(ValueError):
    """A day only the table gives, asked for in a year the table does not cover."""

    def __init__(self, key: str, first: int, last: int) -> None:
        super().__init__(f"{key} is known for {first}-{last} only")
        self.key = key
        self.first = first
        self.last = last


@functools.cache
def _tables() -> dict[str, tuple[date, ...]]:
    """The table file: a key, a tab, the dates; lines starting with # are comments."""
    tables = {}
    for line in TABLE.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            key, dates = line.split("\t")
            tables[key] = tuple(map(date.fromisoformat, dates.split()))
    return tables


TableRule = Callable[[int], list[date]]


@dataclass(frozen=True)
class _FromTable:
    """A day of a table, or `days` after it (Diwali: two days after Dhanteras). Some
    years hold two (the Islamic year is shorter), some none."""

    table: str
    days: int = 0

    def __call__(self, year: int) -> list[date]:
        dates = _tables()[self.table]
        if not dates[0].year <= year <= dates[-1].year:
            raise NotInTable(self.table, dates[0].year, dates[-1].year)
        shifted = (day + timedelta(days=self.days) for day in dates)
        return [day for day in shifted if day.year == year]


@dataclass(frozen=True)
class _FridayBefore:
    """The last Friday before a table's day: Jumu'atul-Wida before Eid al-Fitr."""

    table: str

    def __call__(self, year: int) -> list[date]:
        days = _FromTable(self.table)(year)
        return [day - timedelta(days=(day.weekday() - 4 - 1) % 7 + 1) for day in days]


def _parsi_new_year(year: int) -> list[date]:
    """Navroz of the Shahenshahi calendar, which has no leap years: every 365 days."""
    anchor = date(2020, 8, 16)
    start = (date(year, 1, 1) - anchor).days // 365
    days = (anchor + timedelta(days=365 * n) for n in range(start, start + 2))
    return [day for day in days if day.year == year]


TABLE_HOLIDAYS: dict[str, TableRule] = {
    "chinese_new_year": _FromTable("chinese_new_year"),
    # Jewish days, each as the day at whose sunset it begins (as the table gives them).
    "yom_kippur": _FromTable("rosh_hashana", 9),
    "shemini_atzeret": _FromTable("rosh_hashana", 21),
    "simchat_torah": _FromTable("rosh_hashana", 22),
    "tisha_bav": _FromTable("tisha_bav"),
    "yom_haatzmaut": _FromTable("yom_haatzmaut"),
    "lag_baomer": _FromTable("lag_baomer"),
    "yom_hashoah": _FromTable("passover", 12),
    "tu_bishvat": _FromTable("tu_bishvat"),
    "purim": _FromTable("purim"),
    "shushan_purim": _FromTable("purim", 1),
    # Islamic days.
    "eid_al_fitr": _FromTable("eid_al_fitr"),
    "eid_al_adha": _FromTable("eid_al_adha"),
    "mawlid": _FromTable("mawlid"),
    "laylat_al_qadr": _FromTable("ramadan", 26),
    "islamic_new_year": _FromTable("muharram"),
    "ashura": _FromTable("muharram", 9),
    "isra_and_miraj": _FromTable("rajab", 26),
    "jumuatul_wida": _FridayBefore("eid_al_fitr"),
    # Hindu, Sikh, Jain, Buddhist and Parsi days.
    "dhanteras": _FromTable("dhanteras"),
    "naraka_chaturdashi": _FromTable("dhanteras", 1),
    "diwali": _FromTable("dhanteras", 2),
    "govardhan_puja": _FromTable("dhanteras", 3),
    "bhai_dooj": _FromTable("dhanteras", 4),
    "chhath": _FromTable("dhanteras", 8),
    "maha_saptami": _FromTable("navaratri", 6),
    "durga_ashtami": _FromTable("navaratri", 7),
    "maha_navami": _FromTable("navaratri", 8),
    "dussehra": _FromTable("navaratri", 9),
    "raksha_bandhan": _FromTable("raksha_bandhan"),
    "ganesh_chaturthi": _FromTable("ganesh_chaturthi"),
    "mahavir_jayanti": _FromTable("mahavir_jayanti"),
    "thai_pongal": _FromTable("thai_pongal"),
    "bogi_pandigai": _FromTable("thai_pongal", -1),
    "mattu_pongal": _FromTable("thai_pongal", 1),
    "kaanum_pongal": _FromTable("thai_pongal", 2),
    "maha_shivaratri": _FromTable("maha_shivaratri"),
    "thiru_onam": _FromTable("thiru_onam"),
    "ratha_yatra": _FromTable("ratha_yatra"),
    "vasant_panchami": _FromTable("vasant_panchami"),
    "holika_dahan": _FromTable("vasant_panchami", 38),
    "holi": _FromTable("vasant_panchami", 39),
    "guru_gobind_singh_jayanti": _FromTable("guru_gobind_singh_jayanti"),
    "karva_chauth": _FromTable("karva_chauth"),
    "krishna_janmashtami": _FromTable("krishna_janmashtami"),
    "vesak": _FromTable("vesak"),
    "vaisakhi": _FromTable("vaisakhi"),
    "saraswati_jayanti": _FromTable("saraswati_jayanti"),
    "rabindra_jayanti": _FromTable("rabindra_jayanti"),
    "ravidass_jayanti": _FromTable("ravidass_jayanti"),
    "pargat_diwas": _FromTable("pargat_diwas"),
    "ugadi": _FromTable("ugadi"),
    "rama_navami": _FromTable("rama_navami"),
    "parsi_new_year": _parsi_new_year,
}


def holiday_dates(key: str, year: int) -> list[date]:
    """The dates of holiday `key` in `year`: one for the days a rule gives; none, one or
    two for a table's (NotInTable outside its years). KeyError for an unknown key."""
    if key in HOLIDAYS:
        return [HOLIDAYS[key](year)]
    return TABLE_HOLIDAYS[key](year)
