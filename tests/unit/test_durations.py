"""Lengths of time in four languages, compact or in words; anything not understood is None."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.timelang.durations import parse_duration

H, M = timedelta(hours=1), timedelta(minutes=1)


@pytest.mark.parametrize(
    ("text", "length"),
    [
        ("2h", 2 * H),
        ("1d12h", timedelta(days=1, hours=12)),
        ("1h30", 90 * M),
        ("1h30m", 90 * M),
        ("45s", timedelta(seconds=45)),
        ("90 min", 90 * M),
        ("2 godz.", 2 * H),
        ("1 godz. 30 min", 90 * M),
        ("1,5 godziny", 90 * M),
        ("półtorej godziny", 90 * M),
        ("pół godziny", 30 * M),
        ("kwadrans", 15 * M),
        ("3 dni", timedelta(days=3)),
        ("2 tygodnie", timedelta(weeks=2)),
        ("1.5 hours", 90 * M),
        ("2 hours and 15 minutes", 135 * M),
        ("half an hour", 30 * M),
        ("an hour and a half", 90 * M),
        ("1,5 uur", 90 * M),
        ("anderhalf uur", 90 * M),
        ("een kwartier", 15 * M),
        ("2 uur en 30 minuten", 150 * M),
        ("1ч", H),
        ("90 минути", 90 * M),
        ("1 час и 30 минути", 90 * M),
        ("час и половина", 90 * M),
        ("половин час", 30 * M),
    ],
)
def test_a_length_is_read_in_any_language(text: str, length: timedelta) -> None:
    assert parse_duration(text) == length


@pytest.mark.parametrize(
    "text", ["", "jutro", "2 x", "2 hours maybe", "5 lat", "0m", "10000d", "pół", "1,5", "h"]
)
def test_anything_not_understood_or_out_of_range_is_none(text: str) -> None:
    assert parse_duration(text) is None
