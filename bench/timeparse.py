"""parse_when vs raw dateparser over the time-phrase corpus (tests/timeparse_corpus.json).

Figures: warm mean µs per call for `bot.timelang.points.parse_when` and for the raw
`dateparser.parse(text, languages=[lang], settings={...})` it builds on, measured in
the same run; their ratio, overall and on the phrases the rules hand to dateparser
(the worst case); the share of phrases the rules answer alone; and per-language
accuracy of both against the corpus' expected answers (raw results are localised in
the phrase's zone and must lie after `now`, as parse_when's do).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import dateparser

from bot.timelang.lexicon import normalize
from bot.timelang.points import parse_when
from bot.timelang.rules import GRAMMARS, Invalid, extract

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "timeparse_corpus.json"
ROUNDS = 5  # passes over the corpus; the small dateparser subset gets 8x as many


@dataclass(frozen=True)
class Case:
    lang: str
    text: str
    now: datetime
    tz: str
    expected: datetime | None

    @property
    def raw_settings(self) -> dict[str, object]:
        base = self.now.astimezone(ZoneInfo(self.tz)).replace(tzinfo=None)
        return {"PREFER_DATES_FROM": "future", "RELATIVE_BASE": base}


def load_cases() -> list[Case]:
    rows = json.loads(CORPUS.read_text(encoding="utf-8"))
    return [
        Case(
            lang=row["lang"],
            text=row["text"],
            now=datetime.fromisoformat(row["now"]),
            tz=row["tz"],
            expected=datetime.fromisoformat(row["expected"]) if row["expected"] else None,
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
        return extract(normalize(case.text), GRAMMARS[case.lang]) is not None
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
        hits[0] += answer(case) == case.expected
        hits[1] += 1
    return {lang: round(ok / n, 3) for lang, (ok, n) in totals.items()}


async def run() -> dict[str, object]:
    cases = load_cases()
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
    }
