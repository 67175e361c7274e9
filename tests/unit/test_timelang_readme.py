"""bot/timelang/README.md answers "what can users type?": every example in its table is
understood, in its column's language, by the module that reads that kind of phrase."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from bot.errors import UserError
from bot.timelang import repetition
from bot.timelang.durations import parse_duration
from bot.timelang.points import parse_when
from bot.timelang.zones import choose_zone

README = Path(__file__).resolve().parents[2] / "bot" / "timelang" / "README.md"
LANGUAGES = ("pl", "en", "nl", "bg")
NOW = datetime(2026, 1, 15, 9, 0, tzinfo=UTC)
POINTS = ("a day", "a time of day", "both", "from now", "a holiday")


def examples() -> list[tuple[str, str, str]]:
    """(kind, language, phrase) for every phrase in the table."""
    found = []
    for line in README.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 5 or cells[0] in ("kind", "---"):
            continue
        for lang, cell in zip(LANGUAGES, cells[1:], strict=True):
            found += [(cells[0], lang, phrase) for phrase in re.findall(r"`([^`]+)`", cell)]
    return found


def test_the_table_has_every_kind_in_every_language() -> None:
    kinds = {(kind, lang) for kind, lang, _ in examples()}
    assert len({kind for kind, _ in kinds}) == 8
    assert all((kind, lang) in kinds for kind, _ in kinds for lang in LANGUAGES)


@pytest.mark.parametrize(("kind", "lang", "phrase"), examples())
def test_every_example_is_understood(kind: str, lang: str, phrase: str) -> None:
    if kind in POINTS:
        assert parse_when(phrase, now=NOW, tz="Europe/Warsaw", lang=lang) is not None
    elif kind == "a duration":
        assert parse_duration(phrase) is not None
    elif kind == "a repetition":
        try:
            repetition.parse(phrase, allowed=repetition.SERIES, today=date(2026, 1, 15))
        except UserError as exc:
            pytest.fail(f"{phrase}: {exc.key}")
    else:
        assert kind == "a zone"
        assert choose_zone(phrase)
