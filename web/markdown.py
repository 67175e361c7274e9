"""The guides' small Markdown (headings, paragraphs, lists, **bold**) as escaped HTML.

Only these forms are read: every character of the text is escaped first, so a guide can
never put markup of its own into the page.
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape

_BOLD = re.compile(r"\*\*(.+?)\*\*")
_ITEM = re.compile(r"^\s*(?:[-*]|\d+\.)\s+(.*)$")
_ORDERED = re.compile(r"^\s*\d+\.\s")


def _inline(text: str) -> str:
    return _BOLD.sub(r"<strong>\1</strong>", str(escape(text)))


def to_html(text: str) -> Markup:
    out: list[str] = []
    for block in re.split(r"\n\s*\n", text.strip()):
        lines = [line for line in block.splitlines() if line.strip()]
        if not lines:
            continue
        head = lines[0]
        if head.startswith("#"):
            # The page's own title is the h1: the guide's headings sit below it.
            level = min(max(len(head) - len(head.lstrip("#")), 2), 4)
            out.append(f"<h{level}>{_inline(head.lstrip('#').strip())}</h{level}>")
            lines = lines[1:]
            if not lines:
                continue
        if all(_ITEM.match(line) for line in lines):
            tag = "ol" if _ORDERED.match(lines[0]) else "ul"
            items = "".join(f"<li>{_inline(_ITEM.match(line)[1])}</li>" for line in lines)  # type: ignore[index]
            out.append(f"<{tag}>{items}</{tag}>")
        else:
            out.append(f"<p>{_inline(' '.join(line.strip() for line in lines))}</p>")
    return Markup("\n".join(out))
