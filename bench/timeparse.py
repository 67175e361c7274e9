"""parse_when vs raw dateparser over the time-phrase corpus (tests/timeparse_corpus.json).

Figures: warm mean µs per call for `bot.timelang.points.parse_when` and for the raw
`dateparser.parse(text, languages=[lang], settings={...})` it builds on, measured in
the same run; their ratio, overall and on the phrases the rules hand to dateparser
(the worst case); the share of phrases the rules answer alone; and per-language
accuracy of both against the corpus' expected answers (raw results are localised in
the phrase's zone and must lie after `now`, as parse_when's do), and the share of
confident wrong answers (an answer that is not the expected one, where refusing would
have been right); and the first parse in a fresh interpreter.

`--duckling DIR` measures Duckling's public corpora instead, read from a Duckling
checkout at DIR (bench/_duckling.py; docs/timeparse.md has the figures);
`TIMEPARSE_CORPUS=path.json` any other corpus in the same format. A row may carry
`"grain": "day" | "hour" | "minute"`: the answer then counts as right when it names the
expected day (hour, minute), as corpora of date expressions mean it.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import dateparser

from bench import _duckling
from bot.timelang.lexicon import normalize
from bot.timelang.points import parse_when
from bot.timelang.rules import Invalid, extract, grammar_of

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "timeparse_corpus.json"
_GRAINS = {"day": 10, "hour": 13, "minute": 16}  # ISO prefix lengths: date, +hour, +minute
ROUNDS = 5  # passes over the corpus; the small dateparser subset gets 8x as many


@dataclass(frozen=True)
class Case:
    lang: str
    text: str
    now: datetime
    tz: str
    expected: datetime | None
    grain: str | None = None

    def right(self, answer: datetime | None) -> bool:
        if answer is None or self.expected is None or self.grain is None:
            return answer == self.expected
        zone = ZoneInfo(self.tz)
        cut = _GRAINS[self.grain]
        return (
            answer.astimezone(zone).isoformat()[:cut]
            == (self.expected.astimezone(zone).isoformat()[:cut])
        )

    @property
    def raw_settings(self) -> dict[str, object]:
        base = self.now.astimezone(ZoneInfo(self.tz)).replace(tzinfo=None)
        return {"PREFER_DATES_FROM": "future", "RELATIVE_BASE": base}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--duckling",
        type=Path,
        default=None,
        help="a Duckling checkout: measure its time corpora (pl, nl, en, bg)",
    )


def load_cases(duckling: Path | None = None) -> list[Case]:
    if duckling is not None:
        rows = [example.row() for example in _duckling.examples(duckling)]
    else:
        path = Path(os.environ.get("TIMEPARSE_CORPUS") or CORPUS)
        rows = json.loads(path.read_text(encoding="utf-8"))
    return [
        Case(
            lang=row["lang"],
            text=row["text"],
            now=datetime.fromisoformat(row["now"]),
            tz=row["tz"],
            expected=datetime.fromisoformat(row["expected"]) if row["expected"] else None,
            grain=row.get("grain"),
        )
        for row in rows
    ]


def _ours(case: Case) -> datetime | None:
    return parse_when(case.text, now=case.now, tz=case.tz, lang=case.lang)


def _raw(case: Case, settings: dict[str, object]) -> datetime | None:
    return dateparser.parse(case.text, languages=[case.lang], settings=settings)


def _raw_answer(case: Case) -> datetime | None:
    """The raw result read as parse_when's would be: wall clock in the zone, future."""
    when = _raw(case, case.raw_settings)
    if when is None:
        return None
    zone = ZoneInfo(case.tz)
    when = when.astimezone(zone) if when.tzinfo else when.replace(tzinfo=zone)
    return when if when > case.now else None


def _by_rules(case: Case) -> bool:
    """Whether the rules answer the phrase (a time, or None for an impossible one)."""
    try:
        return extract(normalize(case.text), grammar_of(case.lang)) is not None
    except Invalid:
        return True


def _pass_seconds(calls: list[Callable[[], object]]) -> float:
    start = time.perf_counter()
    for call in calls:
        call()
    return time.perf_counter() - start


def _compare(cases: list[Case], rounds: int = ROUNDS) -> tuple[float, float]:
    """Warm mean µs per call of parse_when and of raw dateparser over `cases`; the two
    alternate round by round so that load on the machine weighs on both alike."""
    ours = [lambda c=case: _ours(c) for case in cases]
    raw = [lambda c=case, s=case.raw_settings: _raw(c, s) for case in cases]
    _pass_seconds(ours + raw)  # warm-up: locale data, regex and parser caches
    ours_s = raw_s = 0.0
    for _ in range(rounds):
        ours_s += _pass_seconds(ours)
        raw_s += _pass_seconds(raw)
    calls = rounds * len(cases)
    return ours_s / calls * 1e6, raw_s / calls * 1e6


def _accuracy(cases: list[Case], answer: Callable[[Case], datetime | None]) -> dict[str, float]:
    totals: dict[str, list[int]] = {}
    for case in cases:
        hits = totals.setdefault(case.lang, [0, 0])
        hits[0] += case.right(answer(case))
        hits[1] += 1
    return {lang: round(ok / n, 3) for lang, (ok, n) in totals.items()}


def _confidently_wrong(cases: list[Case], answer: Callable[[Case], datetime | None]) -> float:
    """The share of phrases answered with a time that is not the one meant."""
    wrong = 0
    for case in cases:
        got = answer(case)
        wrong += got is not None and not case.right(got)
    return round(wrong / len(cases), 4)


_FIRST_PARSE = """
import time
start = time.perf_counter()
from datetime import datetime
from zoneinfo import ZoneInfo
from bot.timelang.points import parse_when
imported = time.perf_counter()
now = datetime(2026, 1, 15, 10, tzinfo=ZoneInfo("Europe/Warsaw"))
parse_when("jutro o 18", now=now, tz="Europe/Warsaw", lang="pl")
ruled = time.perf_counter()
parse_when("Thursday 8:00 GMT", now=now, tz="Europe/Warsaw", lang="en")
fallback = time.perf_counter()
print((imported - start) * 1000, (ruled - imported) * 1000, (fallback - ruled) * 1000)
"""

_AFTER_WARM_UP = """
import time
from datetime import datetime
from zoneinfo import ZoneInfo
from bot.timelang.points import parse_when, warm_up
warm_up(["Europe/Warsaw"])  # what the Discord and Matrix front ends do at start
now = datetime(2026, 1, 15, 10, tzinfo=ZoneInfo("Europe/Warsaw"))
start = time.perf_counter()
parse_when("Thursday 8:00 GMT", now=now, tz="Europe/Warsaw", lang="en")
print((time.perf_counter() - start) * 1000)
"""


def _first_parse_ms() -> dict[str, float]:
    """In a fresh interpreter: importing the parser, then the first phrase the rules
    read, then the first one handed to dateparser (which loads its language data); and,
    in another, the first one handed to dateparser after the front ends' warm-up."""
    out = subprocess.run(
        [sys.executable, "-c", _FIRST_PARSE], capture_output=True, text=True, check=True
    )
    imported, ruled, fallback = (round(float(x), 1) for x in out.stdout.split())
    warm = subprocess.run(
        [sys.executable, "-c", _AFTER_WARM_UP], capture_output=True, text=True, check=True
    )
    return {
        "import": imported,
        "first_by_rules": ruled,
        "first_by_dateparser": fallback,
        "first_by_dateparser_after_warm_up": round(float(warm.stdout.strip()), 1),
    }


async def run(duckling: Path | None = None) -> dict[str, object]:
    cases = load_cases(duckling)
    ours_us, raw_us = _compare(cases)
    # The worst case for the 1.5x budget: phrases the rules hand to dateparser.
    handed_over = [case for case in cases if not _by_rules(case)]
    fallback_ours_us, fallback_raw_us = _compare(handed_over, rounds=ROUNDS * 8)
    return {
        "phrases": len(cases),
        "parse_when_us": round(ours_us, 1),
        "dateparser_us": round(raw_us, 1),
        "ratio_vs_dateparser": round(ours_us / raw_us, 3),
        "rules_share": round(1 - len(handed_over) / len(cases), 3),
        "fallback_ratio_vs_dateparser": round(fallback_ours_us / fallback_raw_us, 3),
        "accuracy": _accuracy(cases, _ours),
        "dateparser_accuracy": _accuracy(cases, _raw_answer),
        "confidently_wrong": _confidently_wrong(cases, _ours),
        "dateparser_confidently_wrong": _confidently_wrong(cases, _raw_answer),
        "first_parse_ms": _first_parse_ms(),
    }
