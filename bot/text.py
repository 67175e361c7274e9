"""User text is inert (DESIGN.md rule 9): escaped markdown, no mass mentions, split to limits."""

from __future__ import annotations

import re

# Inline markers anywhere; headings, quotes and lists only where a line starts.
_MARKDOWN = re.compile(r"([\\*_~`|\[\]])")
_LINE_START = re.compile(r"^(\s*)([#>-])", re.MULTILINE)
_MASS_MENTION = re.compile(r"@(everyone|here)", re.IGNORECASE)
_USER_MENTION = re.compile(r"<(@[!&]?|#)(\d+)>")


def inert(text: str) -> str:
    """Show user text as typed: no formatting, no pings, no channel links."""
    escaped = _LINE_START.sub(r"\1\\\2", _MARKDOWN.sub(r"\\\1", text))
    escaped = _MASS_MENTION.sub("@\u200b\\1", escaped)
    return _USER_MENTION.sub(lambda m: f"<{m[1]}\u200b{m[2]}>", escaped)


def chunks(text: str, limit: int) -> list[str]:
    """Split at paragraph, then line, then word boundaries so each piece fits `limit`."""
    pieces: list[str] = []
    rest = text.strip()
    while len(rest) > limit:
        cut = max(rest.rfind("\n\n", 0, limit), rest.rfind("\n", 0, limit))
        if cut <= 0:
            cut = rest.rfind(" ", 0, limit)
        if cut <= 0:
            cut = limit
        pieces.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest:
        pieces.append(rest)
    return pieces
