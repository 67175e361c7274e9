"""bot.timelang.points.parse_when: the phrase corpus, invariants (fuzzed) and conventions."""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from dateutil.easter import easter
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.timelang.points import parse_when, passed, skipped, todays_weekday
from bot.timelang.words import LANGUAGES

CORPUS_PATH = Path(__file__).resolve().parents[1] / "timeparse_corpus.json"
CORPUS: list[dict] = json.loads(CORPUS_PATH.read_text(encoding="utf-8"))
MIN_ACCURACY = 0.95
ZONES = {
    "pl": "Europe/Warsaw",
    "en": "Europe/London",
    "nl": "Europe/Amsterdam",
    "bg": "Europe/Sofia",
}
WARSAW = ZoneInfo("Europe/Warsaw")


def _answer(row: dict) -> str | None:
    when = parse_when(
        row["text"], now=datetime.fromisoformat(row["now"]), tz=row["tz"], lang=row["lang"]
    )
    return when.isoformat() if when else None


def _at(text: str, now: datetime, lang: str = "pl", tz: str = "Europe/Warsaw") -> datetime | None:
    return parse_when(text, now=now, tz=tz, lang=lang)


# -- corpus ---------------------------------------------------------------------------


def test_corpus_size() -> None:
    per_language = Counter(row["lang"] for row in CORPUS)
    assert len(CORPUS) >= 140
    assert all(per_language[lang] >= 35 for lang in ZONES), per_language


@pytest.mark.parametrize(
    "row", CORPUS, ids=[f"{row['lang']}:{row['text']}@{row['now'][:10]}" for row in CORPUS]
)
def test_corpus_phrase(row: dict) -> None:
    got = _answer(row)
    if row.get("known_failure"):
        # Listed so the gap stays visible; once it passes, drop the flag.
        assert got != row["expected"], "fixed: remove known_failure from the corpus"
    else:
        assert got == row["expected"]


def test_corpus_accuracy_per_language() -> None:
    hits: dict[str, list[int]] = {lang: [0, 0] for lang in ZONES}
    for row in CORPUS:
        hits[row["lang"]][0] += _answer(row) == row["expected"]
        hits[row["lang"]][1] += 1
    accuracy = {lang: ok / n for lang, (ok, n) in hits.items()}
    print("timeparse accuracy:", {lang: f"{a:.1%}" for lang, a in accuracy.items()})  # noqa: T201
    assert all(a >= MIN_ACCURACY for a in accuracy.values()), accuracy


# -- invariants, fuzzed -----------------------------------------------------------------

_NOWS = st.datetimes(  # hypothesis takes naive bounds and attaches the zone itself
    min_value=datetime(2020, 1, 1),  # noqa: DTZ001
    max_value=datetime(2040, 12, 31),  # noqa: DTZ001
    timezones=st.just(UTC),
)
_VOCABULARY = sorted(
    {
        word
        for words in LANGUAGES.values()
        for table in (
            words.months,
            words.weekdays,
            words.relative_days,
            words.parts_of_day,
            words.numbers,
            words.units,
            words.holidays,
            words.hour_words,
        )
        for word in table
    }
    | {p for words in LANGUAGES.values() for p in words.duration_prefixes + words.time_preps}
    | {"25:00", "14:30", "2:30pm", "31", "12", "0", "99999999", "15.04.2026", "30.02", "15/04"}
)
_PHRASES = st.one_of(
    st.text(max_size=300),
    st.text(alphabet="0123456789:./- ", max_size=40),
    st.lists(st.sampled_from(_VOCABULARY), max_size=6).map(" ".join),
)


def _check(result: datetime | None, now: datetime, tz: str) -> None:
    if result is not None:
        assert result.tzinfo == ZoneInfo(tz)
        assert result.utcoffset() is not None
        assert result > now


@settings(max_examples=200, deadline=None)
@given(
    text=_PHRASES,
    now=_NOWS,
    lang=st.sampled_from([*ZONES, "xx", ""]),
    tz=st.sampled_from([*ZONES.values(), "UTC", "America/New_York"]),
)
def test_never_raises_and_is_future_aware_or_none(
    text: str, now: datetime, lang: str, tz: str
) -> None:
    _check(parse_when(text, now=now, tz=tz, lang=lang), now, tz)


@settings(max_examples=100, deadline=None)
@given(text=st.text(min_size=201, max_size=5000), now=_NOWS)
def test_very_long_text_is_refused(text: str, now: datetime) -> None:
    assert parse_when(text, now=now, tz="Europe/Warsaw", lang="pl") is None


def test_bad_arguments_give_none() -> None:
    now = datetime(2026, 1, 15, 10, tzinfo=WARSAW)
    assert parse_when("jutro", now=now, tz="Nowhere/City", lang="pl") is None
    assert parse_when("jutro", now=now, tz="", lang="pl") is None
    assert parse_when("jutro", now=datetime(2026, 1, 15, 10), tz="Europe/Warsaw", lang="pl") is None  # noqa: DTZ001
    assert parse_when(None, now=now, tz="Europe/Warsaw", lang="pl") is None  # type: ignore[arg-type]
    assert parse_when("", now=now, tz="Europe/Warsaw", lang="pl") is None


# -- conventions --------------------------------------------------------------------------


def _before_dst(zone: ZoneInfo) -> datetime:
    """10:00 on the Saturday before the March 2026 change to summer time."""
    return datetime(2026, 3, 28, 10, 0, tzinfo=zone)


@pytest.mark.parametrize(
    ("lang", "text"),
    [("pl", "za 2 dni"), ("en", "in 2 days"), ("nl", "over 2 dagen"), ("bg", "след 2 дни")],
)
def test_day_durations_keep_the_wall_clock_across_dst(lang: str, text: str) -> None:
    zone = ZoneInfo(ZONES[lang])
    now = _before_dst(zone)
    expected = datetime(2026, 3, 30, 10, 0, tzinfo=zone)
    result = parse_when(text, now=now, tz=ZONES[lang], lang=lang)
    assert result == expected
    assert result is not None and result.utcoffset() == expected.utcoffset() != now.utcoffset()


def test_day_duration_keeps_the_wall_clock_in_autumn() -> None:
    now = datetime(2026, 10, 24, 10, 0, tzinfo=WARSAW)
    result = _at("za 1 dzień", now)
    assert result is not None
    assert result.isoformat() == "2026-10-25T10:00:00+01:00"


def test_hour_durations_are_elapsed_time() -> None:
    now = _before_dst(WARSAW)
    result = _at("za 24 godziny", now)
    assert result is not None
    # Same-tzinfo subtraction in Python is wall-clock; compare instants in UTC.
    assert result.astimezone(UTC) - now.astimezone(UTC) == timedelta(hours=24)
    assert result.isoformat() == "2026-03-29T11:00:00+02:00"


@pytest.mark.parametrize(
    ("lang", "text", "tz", "moved"),
    [
        ("pl", "29 marca o 2:30", "Europe/Warsaw", "2026-03-29T03:30:00+02:00"),
        ("en", "tomorrow at 1:30am", "Europe/London", "2026-03-29T02:30:00+01:00"),
        ("nl", "morgen om 2:30", "Europe/Amsterdam", "2026-03-29T03:30:00+02:00"),
        ("bg", "утре в 3:30", "Europe/Sofia", "2026-03-29T04:30:00+03:00"),
    ],
)
def test_a_time_the_clocks_skip_is_refused_and_the_time_they_jump_to_offered(
    lang: str, text: str, tz: str, moved: str
) -> None:
    zone = ZoneInfo(tz)
    now = datetime(2026, 3, 28, 10, 0, tzinfo=zone)
    assert parse_when(text, now=now, tz=tz, lang=lang) is None
    found = skipped(text, now=now, tz=tz, lang=lang)
    assert found is not None and found.isoformat() == moved


def test_a_skipped_time_already_behind_is_not_the_one_meant() -> None:
    # 06:00 on the spring-forward day: "2:30" is tomorrow's, which exists.
    now = datetime(2026, 3, 29, 6, 0, tzinfo=WARSAW)
    assert _at("o 2:30", now) == datetime(2026, 3, 30, 2, 30, tzinfo=WARSAW)
    assert skipped("o 2:30", now=now, tz="Europe/Warsaw", lang="pl") is None


def test_times_that_exist_are_not_skipped() -> None:
    now = _before_dst(WARSAW)
    assert skipped("29 marca o 3:00", now=now, tz="Europe/Warsaw", lang="pl") is None
    assert skipped("nie wiem", now=now, tz="Europe/Warsaw", lang="pl") is None


def test_now_in_another_zone_answers_in_tz() -> None:
    now = datetime(2026, 1, 15, 9, 0, tzinfo=UTC)  # 10:00 in Warsaw
    result = _at("o 18", now)
    assert result is not None
    assert result.tzinfo == WARSAW
    assert result.isoformat() == "2026-01-15T18:00:00+01:00"


@pytest.mark.parametrize("year", range(2020, 2041))
def test_fat_thursday_is_52_days_before_easter(year: int) -> None:
    now = datetime(year, 1, 1, 0, 0, tzinfo=WARSAW)
    expected = easter(year) - timedelta(days=52)
    for lang, text in [
        ("pl", "Tłusty Czwartek"),
        ("en", "Fat Thursday"),
        ("nl", "Dikke Donderdag"),
    ]:
        result = parse_when(text, now=now, tz="Europe/Warsaw", lang=lang)
        assert result is not None
        assert (result.date(), result.hour) == (expected, 9)


def test_fat_thursday_known_dates() -> None:
    now = datetime(2026, 1, 15, 10, tzinfo=WARSAW)
    assert _at("Tłusty Czwartek", now) == datetime(2026, 2, 12, 9, tzinfo=WARSAW)
    assert _at("tłusty czwartek 2027", now) == datetime(2027, 2, 4, 9, tzinfo=WARSAW)


@pytest.mark.parametrize(
    "text",
    ["25:00", "o 25", "o 24:00", "12:61", "31 lutego", "30.02", "31.04.2026", "13pm", "0am"],
)
def test_impossible_times_give_none(text: str) -> None:
    now = datetime(2026, 1, 15, 10, tzinfo=WARSAW)
    assert _at(text, now) is None
    assert _at(text, now, lang="en", tz="Europe/London") is None


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("pl", "wczoraj"),
        ("pl", "12 stycznia 2025"),
        ("pl", "dziś o 8"),
        ("en", "yesterday at 10"),
        ("nl", "gisteren"),
        ("bg", "вчера"),
        ("en", "15/01/2026 9:00"),
    ],
)
def test_past_gives_none(lang: str, text: str) -> None:
    now = datetime(2026, 1, 15, 10, tzinfo=WARSAW)
    assert parse_when(text, now=now, tz="Europe/Warsaw", lang=lang) is None


def test_time_comes_only_from_now() -> None:
    now = datetime(2035, 6, 1, 12, tzinfo=WARSAW)
    assert _at("jutro", now) == datetime(2035, 6, 2, 9, tzinfo=WARSAW)
    assert _at("12 marca", now) == datetime(2036, 3, 12, 9, tzinfo=WARSAW)
    # An explicit offset goes through dateparser, which must take `now`, not the clock.
    assert _at("2036-03-12T10:00Z", now) == datetime(2036, 3, 12, 11, tzinfo=WARSAW)
    sources = Path(__file__).resolve().parents[2].joinpath("bot", "timelang").glob("*.py")
    clock = re.compile(r"\b(?:datetime\.now|datetime\.utcnow|date\.today|time\.time)\(")
    assert not [p.name for p in sources if clock.search(p.read_text(encoding="utf-8"))]


def test_language_codes_are_forgiving() -> None:
    now = datetime(2026, 1, 15, 10, tzinfo=WARSAW)
    expected = datetime(2026, 1, 16, 18, tzinfo=WARSAW)
    assert parse_when("jutro o 18", now=now, tz="Europe/Warsaw", lang="pl-PL") == expected
    assert parse_when("tomorrow at 6pm", now=now, tz="Europe/Warsaw", lang="xx") == expected


def test_todays_weekday_is_asked_about_while_its_time_is_ahead() -> None:
    thursday = datetime(2026, 1, 15, 10, tzinfo=WARSAW)
    # Today, or a week from today? Neither is taken; both are offered.
    assert _at("w czwartek o 11", thursday) is None
    assert todays_weekday("w czwartek o 11", now=thursday, tz="Europe/Warsaw", lang="pl") == (
        datetime(2026, 1, 15, 11, tzinfo=WARSAW),
        datetime(2026, 1, 22, 11, tzinfo=WARSAW),
    )
    # Its time passed today: only next week is left.
    assert _at("w czwartek o 9", thursday) == datetime(2026, 1, 22, 9, tzinfo=WARSAW)
    # A date or a week named says which one.
    assert _at("czwartek 15 stycznia o 11", thursday) == datetime(2026, 1, 15, 11, tzinfo=WARSAW)
    assert _at("w przyszły czwartek o 11", thursday) == datetime(2026, 1, 22, 11, tzinfo=WARSAW)
    sunday = datetime(2026, 1, 18, 10, tzinfo=WARSAW)
    # "next <weekday>" is in the next Monday-based week, even the day after.
    assert _at("w przyszły poniedziałek", sunday) == datetime(2026, 1, 19, 9, tzinfo=WARSAW)
    assert _at("w przyszłą niedzielę", sunday) == datetime(2026, 1, 25, 9, tzinfo=WARSAW)


def test_english_numeric_dates() -> None:
    now = datetime(2026, 1, 15, 10, tzinfo=ZoneInfo("Europe/London"))
    london = ZoneInfo("Europe/London")
    assert _at("05/03/2026", now, "en", "Europe/London") == datetime(2026, 3, 5, 9, tzinfo=london)
    assert _at("12/25", now, "en", "Europe/London") == datetime(2026, 12, 25, 9, tzinfo=london)
    assert _at("12/25", now, "pl") is None  # day-first only: there is no month 25


@pytest.mark.parametrize(
    ("lang", "text", "moment"),
    [
        ("pl", "wczoraj", "2026-01-14T09:00:00+01:00"),
        ("pl", "dzisiaj o 8", "2026-01-15T08:00:00+01:00"),
        ("pl", "1 marca 2025 o 12", "2025-03-01T12:00:00+01:00"),
        ("en", "yesterday at 10", "2026-01-14T10:00:00+01:00"),
        ("en", "3 hours ago", "2026-01-15T07:00:00+01:00"),
        ("nl", "gisteren", "2026-01-14T09:00:00+01:00"),
        ("nl", "eergisteren om 15 uur", "2026-01-13T15:00:00+01:00"),
        ("bg", "вчера", "2026-01-14T09:00:00+01:00"),
        ("bg", "онзи ден в 10", "2026-01-13T10:00:00+01:00"),
    ],
)
def test_a_moment_already_passed_is_told_apart_from_nonsense(
    lang: str, text: str, moment: str
) -> None:
    now = datetime(2026, 1, 15, 10, 0, tzinfo=WARSAW)
    assert parse_when(text, now=now, tz="Europe/Warsaw", lang=lang) is None
    found = passed(text, now=now, tz="Europe/Warsaw", lang=lang)
    assert found is not None and found.isoformat() == moment


@pytest.mark.parametrize("text", ["jutro o 10", "kiedyś tam", "31 lutego", ""])
def test_future_and_unreadable_phrases_have_not_passed(text: str) -> None:
    now = datetime(2026, 1, 15, 10, 0, tzinfo=WARSAW)
    assert passed(text, now=now, tz="Europe/Warsaw", lang="pl") is None


@pytest.mark.parametrize(
    ("lang", "text"),
    [("nl", "binnen een uur"), ("nl", "binnen 2 uur"), ("bg", "до 10"), ("pl", "do 10")],
)
def test_words_skipped_over_are_not_now_and_so_not_passed(lang: str, text: str) -> None:
    # dateparser read "binnen een uur" (within an hour) as now and "до 10" (by ten) as the
    # 10th, and so answered "already passed".
    now = datetime(2026, 1, 15, 10, 0, tzinfo=WARSAW)
    assert passed(text, now=now, tz="Europe/Warsaw", lang=lang) is None
