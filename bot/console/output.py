"""What the console prints: one event per bot message, as text or as a JSON line."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict, dataclass, field
from typing import Any, TextIO


@dataclass(frozen=True)
class Event:
    at: str
    reply_to: int | None
    channel: str | None
    to: str | None
    ephemeral: bool
    thread: str | None
    text: str
    embeds: list[dict[str, Any]] = field(default_factory=list)
    buttons: list[dict[str, Any]] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    created: dict[str, Any] | None = None


# Characters that JSON leaves raw but that many line readers (Python's str.splitlines, for
# one) take as line breaks: escaped, so one event stays one line whatever users typed.
_LINE_BREAKS = str.maketrans({"\x85": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"})


class Printer:
    def __init__(self, *, as_json: bool, stream: TextIO | None = None) -> None:
        self._json = as_json
        self._stream = stream or sys.stdout

    def emit(self, event: Event) -> None:
        if self._json:
            out = json.dumps(asdict(event), ensure_ascii=False).translate(_LINE_BREAKS)
        else:
            out = _as_text(event)
        self._stream.write(out + "\n")
        self._stream.flush()


def _as_text(event: Event) -> str:
    where = "DM" if event.channel is None else f"#{event.channel}"
    if event.thread:
        where += f" › {event.thread}"
    head = f"[{event.at[:16].replace('T', ' ')}] {where}"
    if event.to:
        head += f" → {event.to}"
    if event.ephemeral:
        head += " (ephemeral)"
    lines = [head]
    lines += [f"  {line}" for line in event.text.splitlines()]
    for embed in event.embeds:
        lines += _embed_lines(embed)
    # A disabled button is shown locked, as a client greys it out.
    lines += [
        f"  [{b['id']}] {'🔒 ' if b.get('disabled') else ''}{b['label']}" for b in event.buttons
    ]
    lines += [f"  📎 {path}" for path in event.files]
    return "\n".join(lines)


def _embed_lines(embed: dict[str, Any]) -> list[str]:
    lines = []
    if embed.get("title"):
        lines.append(f"  ┃ {embed['title']}")
    lines += [f"  ┃ {line}" for line in embed.get("description", "").splitlines()]
    for fld in embed.get("fields", []):
        lines.append(f"  ┃ {fld['name']}:")
        lines += [f"  ┃   {line}" for line in fld["value"].splitlines()]
    if embed.get("footer"):
        lines.append(f"  ┃ — {embed['footer']}")
    return lines
