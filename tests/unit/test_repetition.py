"""One grammar for everything that repeats (bot/timelang/repetition.py): every form in pl, en, nl
and bg, the refusals, the rule said back in words, and the dates across summer time."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from bot.errors import UserError
from bot.i18n import SUPPORTED_LOCALES, use_locale
from bot.reminders.recurrence import Recurrence
from bot.timelang.repetition import (
    MEETINGS,
    REMINDERS,
    SERIES,
    Allowed,
    Repetition,
    Unit,
    dates,
    describe,
    first_from,
    from_body,
    parse,
    settle,
)

TODAY = date(2026, 3, 20)  # a Friday
WARSAW = "Europe/Warsaw"


def body(text: str, allowed: Allowed = REMINDERS) -> str:
    return parse(text, allowed=allowed, today=TODAY).body()


def refusal(text: str, allowed: Allowed = REMINDERS) -> UserError:
    with pytest.raises(UserError) as caught:
        parse(text, allowed=allowed, today=TODAY)
    return caught.value


# -- every form, in every language ---------------------------------------------------------

FORMS = {
    # every N units; the phrases of the issue that became "weekly" without a word
    "FREQ=WEEKLY;INTERVAL=2": [
        "every 2 weeks",
        "co 2 tygodnie",
        "elke 2 weken",
        "всеки 2 седмици",
        "every other week",
        "co drugi tydzień",
        "om de 2 weken",
        "през седмица",
        "every two weeks",
        "fortnightly",
    ],
    "FREQ=MONTHLY;INTERVAL=2": ["every 2 months", "co 2 miesiące", "elke 2 maanden"],
    "FREQ=DAILY;INTERVAL=3": ["co 3 dni", "every 3 days", "elke 3 dagen", "на всеки 3 дни"],
    "FREQ=HOURLY;INTERVAL=2": ["every 2 hours", "co 2 godziny", "elke 2 uur", "на всеки 2 часа"],
    "FREQ=DAILY": ["daily", "codziennie", "dagelijks", "ежедневно", "every day", "всеки ден"],
    "FREQ=WEEKLY": ["weekly", "co tydzień", "wekelijks", "всяка седмица"],
    "FREQ=MONTHLY": ["monthly", "co miesiąc", "elke maand", "ежемесечно", "once a month"],
    "FREQ=YEARLY": ["every year", "co rok", "jaarlijks", "ежегодно", "raz w roku"],
    # twice a year and friends
    "FREQ=MONTHLY;INTERVAL=6": [
        "every 6th month",
        "elke 6e maand",
        "всеки 6-и месец",
        "twice a year",
        "co pół roku",
        "halfjaarlijks",
        "два пъти годишно",
        "dwa razy w roku",
        "twee keer per jaar",
        "every 6 months",
        "semi-annually",
        "на половин година",
    ],
    "FREQ=MONTHLY;INTERVAL=3": ["quarterly", "co kwartał", "elk kwartaal", "4 times a year"],
    # working days, weekends, a list of weekdays
    "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR": [
        "weekdays",
        "w dni robocze",
        "op werkdagen",
        "в делнични дни",
        "od poniedziałku do piątku",
        "monday to friday",
    ],
    "FREQ=WEEKLY;BYDAY=SA,SU": ["weekends", "w weekendy", "in het weekend", "през уикенда"],
    "FREQ=WEEKLY;BYDAY=MO,TH": [
        "w poniedziałki i czwartki",
        "on Mondays and Thursdays",
        "op maandag en donderdag",
        "в понеделник и четвъртък",
    ],
    "FREQ=WEEKLY;BYDAY=MO": ["every Monday", "co poniedziałek", "elke maandag", "всеки понеделник"],
    "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO": ["every second Monday", "co drugi poniedziałek"],
    # the n-th weekday of the month
    "FREQ=MONTHLY;BYDAY=1MO": [
        "w pierwszy poniedziałek miesiąca",
        "the first Monday of the month",
        "elke eerste maandag van de maand",
        "всеки първи понеделник от месеца",
    ],
    "FREQ=MONTHLY;BYDAY=-1FR": [
        "last Friday of the month",
        "w ostatni piątek miesiąca",
        "elke laatste vrijdag van de maand",
        "всеки последен петък от месеца",
    ],
    "FREQ=MONTHLY;BYDAY=1TH": ["w pierwszy czwartek miesiąca"],
    "FREQ=MONTHLY;BYDAY=3WE": ["w trzecią środę miesiąca", "every third Wednesday of the month"],
    "FREQ=MONTHLY;BYDAY=1MO,3MO": ["first and third Monday of the month"],
    # the n-th day of the month
    "FREQ=MONTHLY;BYMONTHDAY=15": [
        "every month on the 15th",
        "15th of every month",
        "15. dnia miesiąca",
        "elke maand op de 15e",
        "на 15-о число всеки месец",
        "every month on day 15",
        "co miesiąc dnia 15",
    ],
    "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=2": [
        "every 3 months on day 2",
        "co 3 miesiące, 2 dnia miesiąca",
        "elke 3 maanden op de 2e",
        "всеки 3 месеца на 2-ро число",
    ],
    "FREQ=MONTHLY;BYMONTHDAY=1": ["всеки месец на 1-во число"],
    "FREQ=MONTHLY;BYMONTHDAY=-1": [
        "last day of the month",
        "ostatniego dnia miesiąca",
        "the last of the month",
        "elke laatste van de maand",
    ],
    "FREQ=MONTHLY;BYMONTHDAY=28,29,30,31;BYSETPOS=-1": ["every month on the 31st"],
    # a time
    "FREQ=WEEKLY;BYHOUR=9;BYMINUTE=0": [
        "co tydzień o 9",
        "elke week om 9 uur",
        "всяка седмица в 9",
    ],
    "FREQ=WEEKLY;INTERVAL=2;BYHOUR=10;BYMINUTE=0": ["every 2 weeks at 10am", "elke 2 weken 10 uur"],
    # an hour after the words that say how often is a time of day …
    "FREQ=WEEKLY;BYDAY=MO;BYHOUR=9;BYMINUTE=0": [
        "maandag 9 uur",
        "elke maandag 9u",
        "понеделник 9 часа",
    ],
    "FREQ=DAILY;BYHOUR=9;BYMINUTE=0": ["dagelijks 9 uur", "всеки ден 9 часа"],
    # … straight after "every" it says how often
    "FREQ=HOURLY;INTERVAL=9": ["elke 9 uur", "om de 9 uur", "всеки 9 часа"],
    "FREQ=DAILY;BYHOUR=18;BYMINUTE=30": ["codziennie o 18:30", "daily at 6:30pm"],
    # an end
    "FREQ=WEEKLY;UNTIL=20260630T235959": [
        "every week until June",
        "co tydzień do czerwca",
        "elke week tot juni",
        "всяка седмица до юни",
    ],
    "FREQ=WEEKLY;COUNT=10": ["weekly, 10 times", "co tydzień 10 razy", "elke week 10 keer"],
    "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO;BYHOUR=9;BYMINUTE=0;UNTIL=20260630T235959": [
        "co drugi poniedziałek o 9 do 30 czerwca",
        "every second Monday at 9:00 until 30 June",
    ],
    # "of the month" tells a day of the month from "every 5th month"
    "FREQ=MONTHLY;BYMONTHDAY=5": [
        "every 5th of the month",
        "on the 5th of every month",
        "the 5th of each month",
        "de 5e van elke maand",
        "op de 5e van de maand",
    ],
    "FREQ=MONTHLY;BYMONTHDAY=1;BYHOUR=9;BYMINUTE=0": [
        "every 1st of the month at 9",
        "on the first of every month at 9",
        "iedere eerste van de maand om 9 uur",
    ],
    "FREQ=DAILY;INTERVAL=10": ["every 10th day", "elke 10e dag"],
}


@pytest.mark.parametrize(
    ("text", "expected"), [(text, rule) for rule, texts in FORMS.items() for text in texts]
)
def test_every_form_becomes_its_rule(text: str, expected: str) -> None:
    assert body(text) == expected


def test_an_end_without_a_year_is_the_next_one() -> None:
    assert parse("co tydzień do lutego", allowed=REMINDERS, today=TODAY).until == date(2027, 2, 28)


@pytest.mark.parametrize(
    ("text", "until"),
    [
        # TODAY is Friday 20 March 2026.
        ("codziennie o 9 do wtorku", date(2026, 3, 24)),
        ("every day at 9 until Tuesday", date(2026, 3, 24)),
        ("elke dag om 9 uur tot dinsdag", date(2026, 3, 24)),
        ("всеки ден в 9 до вторник", date(2026, 3, 24)),
        # Said on that very day, the coming week's: an end of today leaves nothing.
        ("codziennie do piątku", date(2026, 3, 27)),
        ("every day until tomorrow", date(2026, 3, 21)),
        ("codziennie do jutra", date(2026, 3, 21)),
        ("co tydzień do końca miesiąca", date(2026, 3, 31)),
        ("every week until the end of the year", date(2026, 12, 31)),
        ("elke week tot het einde van het jaar", date(2026, 12, 31)),
        ("всяка седмица до края на месеца", date(2026, 3, 31)),
        ("co tydzień do końca kwietnia", date(2026, 4, 30)),
        ("every week until the end of April", date(2026, 4, 30)),
        ("elke week tot eind april", date(2026, 4, 30)),
        ("всяка седмица до края на април", date(2026, 4, 30)),
    ],
)
def test_an_end_by_a_day_word(text: str, until: date) -> None:
    assert parse(text, allowed=REMINDERS, today=TODAY).until == until


def test_rfc5545_is_the_expert_form_and_is_checked() -> None:
    assert body("FREQ=MONTHLY;BYDAY=2TU", SERIES) == "FREQ=MONTHLY;BYDAY=2TU"
    assert body("RRULE:FREQ=WEEKLY;INTERVAL=2", SERIES) == "FREQ=WEEKLY;INTERVAL=2"
    assert refusal("FREQ=WEEKLY;INTERVAL=0", SERIES).key == "error.rule.interval"
    assert refusal("FREQ=HOURLY", SERIES).key == "error.rule.too_often"


# -- refusals: never approximated ----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("every 5 minutes", "error.repeat.too_often"),
        ("every 1 second", "error.repeat.too_often"),
        ("co minutę", "error.repeat.too_often"),
        ("every blue moon", "error.repeat.unknown"),
        ("czasami", "error.repeat.unknown"),
        ("twice a month", "error.repeat.unknown"),  # on which days?
        ("dwa razy w tygodniu", "error.repeat.unknown"),
        ("w pierwszy czwartek", "error.repeat.unknown"),  # of the month? Ask.
        ("every 3 weeks on the 15th", "error.repeat.unknown"),
        ("monthly on the 15th daily", "error.repeat.unknown"),  # which one?
        ("co miesiąc 15 dnia codziennie", "error.repeat.unknown"),
        ("co miesiąc, 9 miesięcy", "error.repeat.unknown"),  # no day: not the 9th
        ("every 2 months, 6 months", "error.repeat.unknown"),
        ("co tydzień o 25", "error.repeat.bad_time"),
        ("every hour at 9", "error.repeat.hourly_at"),  # the 9 would be dropped
        ("co godzinę o 9:30", "error.repeat.hourly_at"),
        ("elk uur om 9 uur", "error.repeat.hourly_at"),
        ("всеки 2 часа в 9", "error.repeat.hourly_at"),
        ("co tydzień do 31 lutego", "error.repeat.bad_until"),
        ("every 30 months", "error.repeat.interval"),
        ("co tydzień 5000 razy", "error.repeat.count"),
        ("co tydzień, 100000 razy", "error.repeat.count"),  # too many, not unknown words
        ("weekly, 999999999999 times", "error.repeat.count"),
        ("", "error.repeat.unknown"),
    ],
)
def test_what_is_not_fully_understood_is_refused(text: str, key: str) -> None:
    assert refusal(text).key == key


def test_each_feature_states_how_often_it_may_repeat() -> None:
    assert body("every 2 hours", REMINDERS) == "FREQ=HOURLY;INTERVAL=2"
    assert refusal("every 2 hours", SERIES).key == "error.repeat.too_often"
    assert refusal("co 3 dni", MEETINGS).key == "error.repeat.too_often"
    checkins = Allowed(Unit.WEEK, weeks_only=True, end=False, longest=26)
    assert parse("co 2 tygodnie", allowed=checkins, today=TODAY).interval == 2
    assert refusal("every Monday", checkins).key == "error.repeat.weeks_only"
    assert refusal("co tydzień do czerwca", checkins).key == "error.repeat.no_end"
    assert refusal("every 30 weeks", checkins).key == "error.repeat.interval"


REFUSALS = {
    "pl": (
        "Nie rozumiem powtarzania „co niebieski księżyc o 9” (zrozumiałem: o 09:00) — nie znam: "
        "„niebieski księżyc”."
    ),
    "en": (
        "I don't understand the repetition “co niebieski księżyc o 9” (understood: at 09:00) — "
        "not understood: “niebieski księżyc”."
    ),
    "nl": (
        "Ik begrijp de herhaling „co niebieski księżyc o 9” niet (begrepen: om 09:00) — "
        "niet begrepen: „niebieski księżyc”."
    ),
    "bg": (
        "Не разбирам повторението „co niebieski księżyc o 9“ (разбрах: в 09:00) — не разбрах: "
        "„niebieski księżyc“."
    ),
}


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_a_refusal_says_what_was_understood_and_gives_examples_that_work(locale: str) -> None:
    error = refusal("co niebieski księżyc o 9")
    with use_locale(locale):
        said = error.render()
    assert said.startswith(REFUSALS[locale])
    quoted = re.findall(r"[„“]([^„“”]+)[”“]", said[len(REFUSALS[locale]) :])
    assert len(quoted) == 6
    for example in quoted:
        assert parse(example, allowed=REMINDERS, today=TODAY), example


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("pl", "„every 5 minutes” to co 5 minut — tutaj za często: najczęściej co godzinę."),
        ("en", "“every 5 minutes” is every 5 minutes — too often here: at most every hour."),
        ("nl", "„every 5 minutes” is elke 5 minuten — hier te vaak: hooguit elk uur."),
        ("bg", "„every 5 minutes“ е на всеки 5 минути — тук е твърде често: най-често всеки час."),
    ],
)
def test_too_often_is_refused_in_the_readers_language(locale: str, expected: str) -> None:
    error = refusal("every 5 minutes")
    with use_locale(locale):
        assert error.render() == expected


@pytest.mark.parametrize(
    ("locale", "past", "both"),
    [
        ("pl", "W „{}” koniec (1 stycznia 2025) już minął.", "„{}” ma dwa końce naraz"),
        ("en", "In “{}” the end (1 January 2025) has already passed.", "“{}” has two ends"),
        ("nl", "In „{}” is het einde (1 januari 2025) al voorbij.", "„{}” heeft twee eindes"),
        ("bg", "В „{}“ краят (1 януари 2025) вече е минал.", "„{}“ има два края"),
    ],
)
def test_an_end_that_has_passed_or_two_ends_at_once_are_named_as_such(
    locale: str, past: str, both: str
) -> None:
    """Not "not understood", not "no date left", and never one end silently dropped."""
    for text in ("FREQ=WEEKLY;UNTIL=20250101T000000Z", "FREQ=WEEKLY;UNTIL=20250101"):
        with use_locale(locale):
            assert refusal(text).render() == past.format(text)
    with use_locale(locale):
        assert refusal("co tydzień do 2025-01-01").render() == past.format(
            "co tydzień do 2025-01-01"
        )
    for text in ("co tydzień, 5 razy do czerwca", "every week until June, 5 times"):
        error = refusal(text)
        assert error.key == "error.repeat.count_and_until"
        with use_locale(locale):
            assert error.render().startswith(both.format(text))
    error = refusal("FREQ=WEEKLY;COUNT=5;UNTIL=20270601")
    assert error.key == "error.rule.count_and_until"
    with use_locale(locale):
        assert "COUNT" in error.render() and "UNTIL" in error.render()


def test_a_utc_end_in_rfc5545_is_read_as_the_day_it_names() -> None:
    rule = parse("FREQ=WEEKLY;UNTIL=20260601T000000Z", allowed=REMINDERS, today=TODAY)
    assert rule.until == date(2026, 6, 1)  # the last day, inclusive, as in words
    assert rule.body() == "FREQ=WEEKLY;UNTIL=20260601T235959"


# -- the rule said back in words -----------------------------------------------------------

WORDS = {
    "co drugi poniedziałek o 9 do 30 czerwca": {
        "pl": "co drugi poniedziałek, o 09:00, do 30 czerwca 2026",
        "en": "every other Monday, at 09:00, until 30 June 2026",
        "nl": "om de andere week op maandag, om 09:00, tot en met 30 juni 2026",
        "bg": "всеки втори понеделник, в 09:00, до 30 юни 2026",
    },
    "co środę": {
        "pl": "w każdą środę",
        "en": "every Wednesday",
        "nl": "elke woensdag",
        "bg": "всяка сряда",
    },
    "every 3 weeks on Friday and Saturday": {
        "pl": "co 3 tygodnie: piątek i sobota",
        "en": "every 3 weeks on Friday and Saturday",
        "nl": "elke 3 weken op vrijdag en zaterdag",
        "bg": "на всеки 3 седмици: петък и събота",
    },
    "w pierwszy czwartek miesiąca": {
        "pl": "w pierwszy czwartek miesiąca",
        "en": "on the first Thursday of the month",
        "nl": "elke eerste donderdag van de maand",
        "bg": "всеки първи четвъртък от месеца",
    },
    "w ostatnią niedzielę miesiąca": {
        "pl": "w ostatnią niedzielę miesiąca",
        "en": "on the last Sunday of the month",
        "nl": "elke laatste zondag van de maand",
        "bg": "всяка последна неделя от месеца",
    },
    "twice a year": {
        "pl": "co 6 miesięcy",
        "en": "every 6 months",
        "nl": "elke 6 maanden",
        "bg": "на всеки 6 месеца",
    },
    "w dni robocze o 8:30, 10 razy": {
        "pl": "w dni robocze (pon.–pt.), o 08:30, 10 razy",
        "en": "on weekdays (Mon–Fri), at 08:30, 10 times",
        "nl": "op werkdagen (ma–vr), om 08:30, 10 keer",
        "bg": "в делнични дни (пн–пт), в 08:30, 10 пъти",
    },
    "co 2 miesiące 15. dnia": {
        "pl": "co 2 miesiące, 15. dnia miesiąca",
        "en": "every 2 months on day 15",
        "nl": "elke 2 maanden op dag 15",
        "bg": "на всеки 2 месеца на 15-о число",
    },
    "codziennie": {"pl": "codziennie", "en": "every day", "nl": "elke dag", "bg": "всеки ден"},
}


@pytest.mark.parametrize(
    ("text", "locale", "expected"),
    [(text, loc, said) for text, by in WORDS.items() for loc, said in by.items()],
)
def test_the_rule_is_said_back_in_the_readers_language(
    text: str, locale: str, expected: str
) -> None:
    rule = parse(text, allowed=REMINDERS, today=TODAY)
    with use_locale(locale):
        assert describe(rule) == expected
        # What is stored reads back the same.
        assert describe(from_body(rule.body())) == expected


def test_a_rule_only_rfc5545_can_say_is_shown_as_it_is() -> None:
    rule = from_body("FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=1")
    assert rule.expert == "FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=1"
    with use_locale("en"):
        assert describe(rule) == "by the RFC 5545 rule FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=1"


# -- dates -----------------------------------------------------------------------------------


def warsaw(*parts: int) -> datetime:
    from zoneinfo import ZoneInfo

    return datetime(*parts, tzinfo=ZoneInfo(WARSAW))


def test_every_two_weeks_keeps_nine_oclock_across_the_change_to_summer_time() -> None:
    rule = settle(
        parse("co 2 tygodnie", allowed=REMINDERS, today=TODAY), warsaw(2026, 3, 16, 9), WARSAW
    )
    found = dates(rule, warsaw(2026, 3, 16, 9), warsaw(2026, 3, 16, 9), WARSAW, count=3)
    assert found == [warsaw(2026, 3, 30, 9), warsaw(2026, 4, 13, 9), warsaw(2026, 4, 27, 9)]
    assert [at.astimezone(UTC).hour for at in found] == [7, 7, 7]  # 09:00 CEST


@pytest.mark.parametrize(
    ("text", "at"),
    [
        ("every weekday at 3:30", time(15, 30)),  # as a reminder's "at 3:30"
        ("every weekday at 03:30", time(3, 30)),
        ("every weekday at 3:30am", time(3, 30)),
        ("every weekday at 8:30", time(8, 30)),
        ("w dni robocze o 3:30", time(3, 30)),  # Polish clocks are written 24-hour
        ("co tydzień o 3", time(15, 0)),
    ],
)
def test_a_clock_time_reads_as_in_a_single_time(text: str, at: time) -> None:
    assert parse(text, allowed=REMINDERS, today=TODAY).at == at


def test_a_working_days_rule_asked_for_a_saturday_starts_on_monday() -> None:
    rule = settle(
        parse("w dni robocze", allowed=REMINDERS, today=TODAY), warsaw(2026, 3, 21, 9), WARSAW
    )
    assert rule.at == time(9, 0)
    assert first_from(rule, warsaw(2026, 3, 21, 9), WARSAW) == warsaw(2026, 3, 23, 9)
    assert first_from(rule, warsaw(2026, 3, 24, 9), WARSAW) == warsaw(2026, 3, 24, 9)


def test_the_31st_stands_for_the_last_day_of_a_short_month() -> None:
    rule = settle(parse("monthly", allowed=REMINDERS, today=TODAY), warsaw(2026, 1, 31, 9), WARSAW)
    found = dates(rule, warsaw(2026, 1, 31, 9), warsaw(2026, 1, 31, 9), WARSAW, count=3)
    assert [at.date() for at in found] == [date(2026, 2, 28), date(2026, 3, 31), date(2026, 4, 30)]


def test_a_count_becomes_the_last_date_so_each_occurrence_can_go_on_from_the_one_before() -> None:
    rule = settle(
        parse("co tydzień, 3 razy", allowed=REMINDERS, today=TODAY), warsaw(2026, 3, 23, 9), WARSAW
    )
    assert (rule.count, rule.until) == (None, date(2026, 4, 6))
    assert dates(rule, warsaw(2026, 4, 6, 9), warsaw(2026, 4, 6, 9), WARSAW) == []


def test_the_first_thursday_of_the_month() -> None:
    rule = parse("w pierwszy czwartek miesiąca", allowed=MEETINGS, today=TODAY)
    rule = settle(rule, warsaw(2026, 4, 2, 18), WARSAW)
    found = dates(rule, warsaw(2026, 4, 2, 18), warsaw(2026, 4, 2, 18), WARSAW, count=3)
    assert found == [warsaw(2026, 5, 7, 18), warsaw(2026, 6, 4, 18), warsaw(2026, 7, 2, 18)]


# -- the stored form of reminders ------------------------------------------------------------


@pytest.mark.parametrize(
    ("stored", "expected"),
    [
        ("daily::0900:", Repetition(Unit.DAY, at=time(9, 0))),
        ("weekdays::0800:", Repetition(Unit.WEEK, weekdays=(0, 1, 2, 3, 4), at=time(8, 0))),
        ("weekly:3:0930:", Repetition(Unit.WEEK, weekdays=(3,), at=time(9, 30))),
        ("monthly::0900:15", Repetition(Unit.MONTH, monthday=15, at=time(9, 0))),
    ],
)
def test_reminders_stored_before_keep_working(stored: str, expected: Repetition) -> None:
    assert Recurrence.decode(stored).rule == expected


@pytest.mark.parametrize(
    "stored",
    ["hourly:::", "weekly:9:0900:", "monthly::0900:40", "FREQ=MINUTELY", "FREQ=WEEKLY;INTERVAL=0"],
)
def test_a_stored_rule_a_new_reminder_could_not_have_is_unreadable(stored: str) -> None:
    assert not Recurrence.readable(stored)


def test_every_phrase_the_repetitions_doc_lists_is_understood() -> None:
    from pathlib import Path

    doc = Path(__file__).resolve().parents[2].joinpath("docs", "repetitions.md").read_text("utf-8")
    section = doc.split("# Repetitions", 1)[1].split("\n\n", 3)[2]
    rows = section.splitlines()[2:]
    phrases = [
        # an end ends something: "weekly, until June"
        f"weekly, {p}" if row.startswith("| an end") else p
        for row in rows
        for p in re.findall(r"`([^`]+)`", row)
    ]
    assert len(phrases) > 60
    for phrase in phrases:
        if phrase.startswith("FREQ=") or phrase.endswith(".py"):
            continue
        parse(phrase, allowed=REMINDERS, today=TODAY)  # raises on a phrase not understood


@pytest.mark.parametrize(
    ("text", "first", "then"),
    [
        # Asked on Friday 20 March 2026 at 9:00; the interval counts from the first one.
        ("co 2 tygodnie w poniedziałek", "2026-03-23", "2026-04-06"),
        ("every 3 months on day 2", "2026-04-02", "2026-07-02"),
        ("elke 2 weken op dinsdag", "2026-03-24", "2026-04-07"),
        ("co 2 tygodnie", "2026-03-20", "2026-04-03"),
    ],
)
def test_the_first_is_the_nearest_that_fits_and_the_interval_counts_from_it(
    text: str, first: str, then: str
) -> None:
    asked = datetime(2026, 3, 20, 9, 0, tzinfo=ZoneInfo(WARSAW))
    rule = parse(text, allowed=REMINDERS, today=TODAY)
    found = first_from(rule, asked, WARSAW)
    assert found is not None and found.date().isoformat() == first
    [following] = dates(settle(rule, found, WARSAW), found, found, WARSAW, count=1)
    assert following.date().isoformat() == then
