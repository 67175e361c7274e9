"""Duckling's time corpora as rows of the timeparse benchmark: the public corpus nobody
here wrote (facebook/duckling, BSD-3-Clause; docs/timeparse.md).

From `Duckling/Time/{PL,NL,EN,BG}/Corpus.hs` of a Duckling checkout, the examples of each
language's main corpus (`allExamples`; not the latent one, whose phrases Duckling itself
reads only on request, nor the one checked at another reference time) that name a single
point in time at the grain of a second, minute, hour or day, at Duckling's reference time
2013-02-12 04:30 (UTC−2), leaving out those whose time lies before it: a reminder bot
reads no past. Nothing here is shipped with the project: the rows are made from the
checkout each time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

LANGUAGES = ("pl", "nl", "en", "bg")
# Duckling's reference time; America/Noronha is UTC−2 all year (no summer time then).
REFERENCE = datetime(2013, 2, 12, 4, 30, tzinfo=timezone(timedelta(hours=-2)))
ZONE = "America/Noronha"
_GRAINS = {"Second": "minute", "Minute": "minute", "Hour": "hour", "Day": "day"}
_EXAMPLE = re.compile(
    r"examples \((?:datetime|datetimeHoliday) \((\d+), (\d+), (\d+), (\d+), (\d+), (\d+)\) (\w+)"
)
_PHRASE = re.compile(r'"((?:[^"\\]|\\.)*)"')


@dataclass(frozen=True)
class Example:
    lang: str
    text: str
    expected: datetime
    grain: str  # day, hour or minute

    def row(self) -> dict[str, str]:
        return {
            "lang": self.lang,
            "text": self.text,
            "now": REFERENCE.isoformat(),
            "tz": ZONE,
            "expected": self.expected.isoformat(),
            "grain": self.grain,
        }


def examples(checkout: Path) -> list[Example]:
    """Every example of the four corpora that the benchmark measures, in file order."""
    found: list[Example] = []
    for lang in LANGUAGES:
        source = checkout / "Duckling" / "Time" / lang.upper() / "Corpus.hs"
        found += _examples(lang, _main_corpus(source.read_text(encoding="utf-8")))
    return found


def _main_corpus(source: str) -> str:
    """The text of `allExamples` alone: it is the last definition of every Corpus.hs."""
    start = source.find("\nallExamples ::")
    if start < 0:
        raise ValueError("no allExamples in this Corpus.hs")
    return source[start:]


def _examples(lang: str, text: str) -> list[Example]:
    found: list[Example] = []
    for block in re.split(r"(?=examples \()", text):
        head = _EXAMPLE.match(block)
        if head is None or head[7] not in _GRAINS:
            continue
        year, month, day, hour, minute, second = (int(n) for n in head.groups()[:6])
        expected = datetime(year, month, day, hour, minute, second, tzinfo=REFERENCE.tzinfo)
        grain = _GRAINS[head[7]]
        past = expected.date() < REFERENCE.date() if grain == "day" else expected <= REFERENCE
        if past:
            continue
        body = block[head.end() :]
        phrases = body[body.find("[") : body.find("]")]
        found += [
            Example(lang, _unescape(phrase), expected, grain) for phrase in _PHRASE.findall(phrases)
        ]
    return found


def _unescape(phrase: str) -> str:
    """Haskell's string escapes as Duckling writes them (\\" and decimal \\NNN)."""
    return re.sub(r"\\(\d+)|\\(.)", lambda m: chr(int(m[1])) if m[1] else m[2], phrase)
