"""The time of day of a repetition (bot/timelang/repetition.py) is read by the point grammar
(bot.timelang.points.time_of_day): the words a single time takes — noon, midnight, "o 9
rano", "half negen", "7 вечерта" — in `every:`, event series, meeting plans and the digest
day, in pl, en, nl and bg; what it cannot fix to one hour is refused."""

from __future__ import annotations

import re
from datetime import date, time

import pytest

from bot.digest.model import weekly_rule
from bot.errors import UserError
from bot.i18n import SUPPORTED_LOCALES, use_locale
from bot.timelang.points import TimeOfDay, time_of_day
from bot.timelang.repetition import REMINDERS, SERIES, describe, parse
from bot.timelang.rules import Invalid

TODAY = date(2026, 3, 20)  # a Friday


def body(text: str) -> str:
    return parse(text, allowed=REMINDERS, today=TODAY).body()


def refusal(text: str) -> UserError:
    with pytest.raises(UserError) as caught:
        parse(text, allowed=REMINDERS, today=TODAY)
    return caught.value


FRIDAY = "FREQ=WEEKLY;BYDAY=FR"
MONDAY = "FREQ=WEEKLY;BYDAY=MO"

FORMS = {
    # noon
    f"{FRIDAY};BYHOUR=12;BYMINUTE=0": [
        "every Friday at noon",
        "every Friday at midday",
        "co piątek w południe",
        "w piątki w samo południe",
        "elke vrijdag om 12 uur",
        "elke vrijdag middag",
        "всеки петък на обяд",
        "всеки петък по обед",
        "всеки петък по пладне",
    ],
    # midnight ends the day named, as in a single time: Friday's is Saturday 00:00
    "FREQ=WEEKLY;BYDAY=SA;BYHOUR=0;BYMINUTE=0": [
        "every Friday at midnight",
        "co piątek o północy",
        "elke vrijdag om middernacht",
        "всеки петък в полунощ",
    ],
    "FREQ=WEEKLY;INTERVAL=2;BYDAY=SA;BYHOUR=0;BYMINUTE=0": ["every other Friday at midnight"],
    "FREQ=DAILY;BYHOUR=0;BYMINUTE=0": ["every day at midnight", "codziennie o północy"],
    # an hour with its part of the day
    f"{MONDAY};BYHOUR=9;BYMINUTE=0": [
        "every Monday at 9 in the morning",
        "co poniedziałek o 9 rano",
        "w poniedziałki o 9 rano",
        "elke maandag om 9 uur 's ochtends",
        "elke maandag 9 's ochtends",
        "всеки понеделник в 9 сутринта",
    ],
    f"{MONDAY};BYHOUR=19;BYMINUTE=0": [
        "every Monday at 7 in the evening",
        "co poniedziałek o 7 wieczorem",
        "elke maandag om 7 uur 's avonds",
        "elke maandag 7 's avonds",
        "всеки понеделник в 7 вечерта",
    ],
    f"{MONDAY};BYHOUR=15;BYMINUTE=0": [
        "every Monday at 3 in the afternoon",
        "co poniedziałek o 3 po południu",
        "elke maandag om 3 uur 's middags",
        "elke maandag 3 's middags",
        "всеки понеделник в 3 следобед",
    ],
    # clock phrases
    f"{FRIDAY};BYHOUR=8;BYMINUTE=30": [
        "elke vrijdag om half negen",
        "elke vrijdag om half 9",  # "om" is Dutch: the Dutch reading
        "co piątek o wpół do dziewiątej",
    ],
    f"{FRIDAY};BYHOUR=9;BYMINUTE=15": [
        "co piątek kwadrans po 9",
        "every Friday at a quarter past 9",
        "elke vrijdag om kwart over 9",
        "всеки петък в 9 и четвърт",
    ],
    f"{FRIDAY};BYHOUR=19;BYMINUTE=30": ["every Friday at half past 7 in the evening"],
    "FREQ=DAILY;BYHOUR=10;BYMINUTE=30": ["every day at ten thirty"],
    # an end and a count still come off first
    "FREQ=WEEKLY;INTERVAL=2;BYDAY=FR;BYHOUR=12;BYMINUTE=0;UNTIL=20260331T235959": [
        "every other Friday at noon until March",
        "co drugi piątek w południe do marca",
    ],
    f"{FRIDAY};BYHOUR=12;BYMINUTE=0;COUNT=5": ["co piątek w południe, 5 razy"],
    # the words the time's grammar skips stay the repetition's ("raz w roku")
    "FREQ=YEARLY;BYHOUR=9;BYMINUTE=0": ["raz w roku o 9"],
}


@pytest.mark.parametrize(
    ("text", "expected"), [(text, rule) for rule, texts in FORMS.items() for text in texts]
)
def test_a_time_of_day_a_single_time_takes_is_read_in_a_repetition(
    text: str, expected: str
) -> None:
    assert body(text) == expected


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("pl", "co drugą sobotę, o 00:00"),
        ("en", "every other Saturday, at 00:00"),
        ("nl", "om de andere week op zaterdag, om 00:00"),
        ("bg", "всяка втора събота, в 00:00"),
    ],
)
def test_midnight_is_said_back_as_the_day_it_starts(locale: str, expected: str) -> None:
    rule = parse("every other Friday at midnight", allowed=REMINDERS, today=TODAY)
    with use_locale(locale):
        assert describe(rule) == expected


@pytest.mark.parametrize(("locale", "at"), [("en", time(9, 30)), ("nl", time(8, 30))])
def test_the_readers_language_reads_a_clock_phrase_first(locale: str, at: time) -> None:
    """ "half 9" is 9:30 in English and 8:30 in Dutch: the reader's language decides, as
    for a single time."""
    with use_locale(locale):
        assert parse("every day half 9", allowed=REMINDERS, today=TODAY).at == at


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("pl", "„every day half 9”: „half 9” to 08:30 lub 09:30, zależnie od języka."),
        ("bg", "„every day half 9“: „half 9“ е 08:30 или 09:30 в зависимост от езика."),
    ],
)
def test_a_clock_phrase_other_languages_read_apart_is_refused(locale: str, expected: str) -> None:
    """Neither Polish nor Bulgarian reads "half 9"; English (9:30) and Dutch (8:30) do, apart."""
    with use_locale(locale):
        error = refusal("every day half 9")
        assert error.key == "error.repeat.time_readings"
        assert error.render().startswith(expected)


@pytest.mark.parametrize(
    ("text", "key", "words"),
    [
        # a part of the day alone names no hour a rule kept for good could be set to
        ("co piątek rano", "error.repeat.part_of_day", "rano"),
        ("every Friday in the morning", "error.repeat.part_of_day", "morning"),
        ("elke vrijdag 's avonds", "error.repeat.part_of_day", "'s avonds"),
        ("всеки петък вечерта", "error.repeat.part_of_day", "вечерта"),
        ("codziennie po południu", "error.repeat.part_of_day", "po południu"),
        # noon with another clock
        ("every Friday at noon 9", "error.repeat.bad_time", "noon 9"),
        ("every Friday at noon at 9", "error.repeat.bad_time", "noon at 9"),
        ("co piątek w południe o 9", "error.repeat.bad_time", "południe o 9"),
        ("co piątek o 9 i o 18", "error.repeat.two_times", "o 9 i o 18"),
        ("every day at 9 and at 6pm", "error.repeat.two_times", "at 9 and at 6pm"),
        # what a single time refuses
        ("co piątek o 12 w nocy", "error.repeat.bad_time", "o 12 w nocy"),
        ("every Friday at 2 in the morning at noon", "error.repeat.two_times", None),
        ("co tydzień o 25", "error.repeat.bad_time", "o 25"),
        ("every Friday at 13pm", "error.repeat.bad_time", "13pm"),
        # midnight of a day of the month would be the next day, which is not always one
        ("co miesiąc 15 dnia o północy", "error.repeat.midnight_day", None),
        ("the last Friday of the month at midnight", "error.repeat.midnight_day", None),
        # an hourly rule still has no time of day
        ("every hour at noon", "error.repeat.hourly_at", None),
    ],
)
def test_a_time_not_fixed_to_one_hour_is_refused(text: str, key: str, words: str | None) -> None:
    error = refusal(text)
    assert error.key == key
    if words is not None:
        assert error.params.get("words", error.params.get("time")) == words


@pytest.mark.parametrize(
    "text",
    ["elke 9 uur", "om de 2 uur", "всеки 9 часа", "elke twee uur"],
)
def test_a_spoken_hour_straight_after_every_still_says_how_often(text: str) -> None:
    assert body(text).startswith("FREQ=HOURLY;INTERVAL=")


@pytest.mark.parametrize(
    ("text", "at"),
    [
        ("codziennie o 9.05", time(9, 5)),
        ("co tydzień 9.30", time(9, 30)),  # no month 30: a time
        ("co tydzień 9h", time(9)),
        ("elke dag om 9u30", time(9, 30)),
        ("every day at 9 o'clock", time(9)),
    ],
)
def test_clock_times_read_as_in_a_single_time(text: str, at: time) -> None:
    assert parse(text, allowed=REMINDERS, today=TODAY).at == at


def test_a_dotted_time_without_its_time_word_is_a_date_and_not_understood() -> None:
    error = refusal("co tydzień 9.05")  # 9 May, as a single time reads it
    assert error.key == "error.repeat.unknown" and error.params["words"] == "9.05"


def test_a_phrase_too_long_for_a_repetition_is_refused_without_reading_every_run() -> None:
    """200 characters of time words are no repetition: refused for its words, at once."""
    assert refusal("o 9 " * 13).key == "error.repeat.unknown"


@pytest.mark.parametrize("key", ["part_of_day", "midnight_day", "two_times"])
@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_the_examples_of_a_refusal_are_understood(key: str, locale: str) -> None:
    phrase = {
        "part_of_day": "co piątek rano",
        "midnight_day": "co miesiąc 15 dnia o północy",
        "two_times": "co piątek o 9 i o 18",
    }[key]
    error = refusal(phrase)
    assert error.key == f"error.repeat.{key}"
    with use_locale(locale):
        said = error.render()
    quoted = re.findall(r"[„“]([^„“”]+)[”“]", said)
    examples = quoted[1:] if key == "midnight_day" else quoted[2:]  # after what was typed
    assert len(examples) == 2 + (key == "part_of_day"), said
    for example in examples:
        assert parse(example, allowed=REMINDERS, today=TODAY), example


@pytest.mark.parametrize(
    ("text", "at"),
    [
        ("co piątek w południe", time(12)),
        ("every Friday at noon", time(12)),
        ("elke vrijdag om half negen", time(8, 30)),
        ("всеки петък в 7 вечерта", time(19)),
    ],
)
def test_event_series_take_the_same_times(text: str, at: time) -> None:
    assert parse(text, allowed=SERIES, today=TODAY).at == at


# -- the digest day ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("co piątek w południe", f"{FRIDAY};BYHOUR=12;BYMINUTE=0"),
        ("poniedziałek o 9 rano", f"{MONDAY};BYHOUR=9;BYMINUTE=0"),
        ("every Friday at noon", f"{FRIDAY};BYHOUR=12;BYMINUTE=0"),
        ("Monday 9 in the morning", f"{MONDAY};BYHOUR=9;BYMINUTE=0"),
        ("vrijdag om 12 uur", f"{FRIDAY};BYHOUR=12;BYMINUTE=0"),
        ("maandag half negen", f"{MONDAY};BYHOUR=8;BYMINUTE=30"),
        ("петък на обяд", f"{FRIDAY};BYHOUR=12;BYMINUTE=0"),
        ("понеделник в 7 вечерта", f"{MONDAY};BYHOUR=19;BYMINUTE=0"),
        ("every Friday at midnight", "FREQ=WEEKLY;BYDAY=SA;BYHOUR=0;BYMINUTE=0"),
    ],
)
def test_the_digest_day_takes_the_same_times(text: str, expected: str) -> None:
    assert weekly_rule(text, today=TODAY).body() == expected


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("poniedziałek rano", "error.repeat.part_of_day"),
        ("every Friday at noon at 9", "error.repeat.bad_time"),
        ("w poniedziałki o 9 i o 18", "error.repeat.two_times"),
        ("elke maandag 's ochtends", "error.repeat.part_of_day"),
        ("понеделник сутринта", "error.repeat.part_of_day"),
    ],
)
def test_the_digest_day_refuses_a_time_without_its_hour(text: str, key: str) -> None:
    with pytest.raises(UserError) as caught:
        weekly_rule(text, today=TODAY)
    assert caught.value.key == key


# -- the reading itself --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("noon", "en", TimeOfDay(time(12), "noon", hour_named=False)),
        ("o 9 rano", "pl", TimeOfDay(time(9), "morning", hour_named=True)),
        ("rano", "pl", TimeOfDay(time(9), "morning", hour_named=False)),
        ("half negen", "nl", TimeOfDay(time(8, 30), None, hour_named=True)),
        ("7 вечерта", "bg", TimeOfDay(time(19), "evening", hour_named=True)),
        ("o 14.30", "pl", TimeOfDay(time(14, 30), None, hour_named=True)),
        ("friday at noon", "en", None),  # a day too
        ("15.04", "pl", None),  # a date
        ("jutro rano", "pl", None),
        ("za 2 godziny", "pl", None),
    ],
)
def test_a_time_of_day_alone_is_read_by_the_point_grammar(
    text: str, lang: str, expected: TimeOfDay | None
) -> None:
    assert time_of_day(text, lang=lang) == expected


@pytest.mark.parametrize(("text", "lang"), [("at noon at 9", "en"), ("o 25", "pl")])
def test_an_impossible_time_of_day_raises(text: str, lang: str) -> None:
    with pytest.raises((Invalid, ValueError)):
        time_of_day(text, lang=lang)
