"""Every relative link in the documentation leads somewhere: the README links out to docs/
for the details, so a moved file or a renamed heading must not leave a dead link behind."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCS = sorted(
    [
        ROOT / "README.md",
        ROOT / "CONTRIBUTING.md",
        ROOT / "CHANGELOG.md",
        ROOT / "bench" / "README.md",
        ROOT / "tests" / "README.md",
        ROOT / "tests" / "e2e" / "README.md",
        *(ROOT / "docs").rglob("*.md"),
    ]
)
# [text](target) and ![alt](target); the target ends at whitespace or the closing bracket.
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)\)")
FENCE = re.compile(r"^(```|~~~)")


def _prose(text: str) -> list[str]:
    """The lines outside code fences: a `# …` line in a code sample is no heading."""
    lines, fenced = [], False
    for line in text.splitlines():
        if FENCE.match(line):
            fenced = not fenced
        elif not fenced:
            lines.append(line)
    return lines


def _anchor(heading: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def _anchors(path: Path) -> set[str]:
    headings = (line.lstrip("#") for line in _prose(path.read_text("utf-8")) if line[:1] == "#")
    return {_anchor(h) for h in headings}


def _links(path: Path) -> list[str]:
    return [m for line in _prose(path.read_text("utf-8")) for m in LINK.findall(line)]


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_relative_link_points_to_a_file_and_heading_that_exist(doc: Path) -> None:
    dead = []
    for target in _links(doc):
        if re.match(r"^[a-z]+:", target):  # https:, mailto: … are not ours to check
            continue
        name, _, anchor = target.partition("#")
        file = (doc.parent / name).resolve() if name else doc
        if not file.exists() or (file.suffix == ".md" and anchor not in _anchors(file) | {""}):
            dead.append(target)
    assert not dead, f"{doc.relative_to(ROOT)} links to what does not exist: {dead}"
