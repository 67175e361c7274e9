"""The core's replies as Matrix message content: a plain body and an HTML body.

The core writes Discord's markdown with user text escaped by `bot.text.inert`. Here the
escapes become literal characters and the markup becomes HTML; everything else is
HTML-escaped, so user text can never turn into a pill or a link (DESIGN.md rule 9).
Every message carries `m.mentions`, so only the people named in it are notified and an
"@room" typed by a user stays text.
"""

from __future__ import annotations

import html
import re
from typing import Any

from bot.replies import Embed, Reply

HTML_FORMAT = "org.matrix.custom.html"
# Matrix events may be 64 KiB; long answers are split well below that.
MAX_BODY = 16_000

_CONTENT = r"((?:\\.|[^\\])+?)"
_INLINE = re.compile(
    r"\\(?P<escaped>.)"
    r"|`(?P<code>[^`]+)`"
    rf"|\*\*{_CONTENT}\*\*"
    rf"|~~{_CONTENT}~~"
    r"|\*(?P<em>(?:\\.|[^\\*])+?)\*"
    r"|__(?P<underline>(?:\\.|[^\\_])+?)__"
    r"|(?<!\w)_(?P<em2>(?:\\.|[^\\_])+?)_(?!\w)",
    re.DOTALL,
)
_ESCAPE = re.compile(r"\\(.)")
_HEADING = re.compile(r"^#{1,3} ")
_ROOM_PING = re.compile(r"@room\b")


def plain(text: str) -> str:
    """The body (what notifications and plain clients show): the text as people read it,
    without markup; what a user typed, escaped by `inert`, stays as typed."""
    lines = (_HEADING.sub("", line) for line in text.split("\n"))
    return _ROOM_PING.sub("@\u200broom", "\n".join(_bare(line) for line in lines))


def _bare(text: str) -> str:
    out: list[str] = []
    last = 0
    for match in _INLINE.finditer(text):
        out.append(text[last : match.start()])
        out.append(_bare_span(match))
        last = match.end()
    out.append(text[last:])
    return "".join(out)


def _bare_span(match: re.Match[str]) -> str:
    if match["escaped"] is not None:
        return match["escaped"]
    if match["code"] is not None:
        return match["code"]
    inner = next(
        g
        for g in (match[3], match[4], match["underline"], match["em"], match["em2"])
        if g is not None
    )
    return _bare(inner)


_BULLET = re.compile(r"^(?P<indent>\s*)[•\-] (?P<item>.*)$")
_NUMBERED = re.compile(r"^(?P<indent>\s*)(?P<n>\d{1,3})\. (?P<item>.*)$")


def to_html(text: str) -> str:
    """Discord-style markdown (bold, italics, code, strike, headings, quotes) as HTML;
    runs of "• " or "1. " lines become real lists, and indentation is kept."""
    out: list[str] = []
    open_list = ""
    for line in text.split("\n"):
        found = _BULLET.match(line) or _NUMBERED.match(line)
        kind = "" if found is None else "ol" if "n" in found.groupdict() else "ul"
        if kind != open_list:
            if open_list:
                out.append(f"</{open_list}>")
            if kind:
                out.append(f"<{kind}>")
            open_list = kind
        if found is not None:
            out.append(f"<li>{_inline(found['item'])}</li>")
            continue
        if out and not out[-1].endswith(("</ul>", "</ol>")):
            out.append("<br>")
        out.append(_line(line))
    if open_list:
        out.append(f"</{open_list}>")
    return "".join(out)


def _line(line: str) -> str:
    indent = len(line) - len(line.lstrip(" "))
    if indent:
        return "\u00a0" * indent + _line(line[indent:])
    if _HEADING.match(line):
        return f"<strong>{_inline(_HEADING.sub('', line))}</strong>"
    if line.startswith("> "):
        return f"<blockquote>{_inline(line[2:])}</blockquote>"
    return _inline(line)


def _inline(text: str) -> str:
    out: list[str] = []
    last = 0
    for match in _INLINE.finditer(text):
        out.append(html.escape(text[last : match.start()], quote=False))
        out.append(_span(match))
        last = match.end()
    out.append(html.escape(text[last:], quote=False))
    return _ROOM_PING.sub("@\u200broom", "".join(out))


def _span(match: re.Match[str]) -> str:
    if match["escaped"] is not None:
        return html.escape(match["escaped"], quote=False)
    if match["code"] is not None:
        return f"<code>{html.escape(match['code'], quote=False)}</code>"
    bold, strike = match[3], match[4]
    if bold is not None:
        return f"<strong>{_inline(bold)}</strong>"
    if strike is not None:
        return f"<del>{_inline(strike)}</del>"
    if match["underline"] is not None:
        return f"<u>{_inline(match['underline'])}</u>"
    return f"<em>{_inline(match['em'] or match['em2'])}</em>"


def embed_text(embed: Embed) -> str:
    """An embed as markdown: a bold title, the description, each field, the footer."""
    parts = [f"**{embed.title}**"] if embed.title else []
    if embed.description:
        parts.append(embed.description)
    parts.extend(f"**{field.name}**\n{field.value}" for field in embed.fields)
    if embed.footer:
        parts.append(f"*{embed.footer}*")
    return "\n".join(parts)


def reply_markdown(reply: Reply, legend: str = "") -> str:
    """Everything a reply says, in reading order; the legend explains its reactions."""
    parts = [reply.text] if reply.text else []
    parts.extend(embed_text(embed) for embed in reply.embeds)
    if legend:
        parts.append(legend)
    return "\n\n".join(part for part in parts if part.strip())


def message_content(
    markdown: str, *, mentions: dict[str, str], notice: bool = False
) -> dict[str, Any]:
    """An m.room.message. `mentions` maps each Matrix id the message may ping to how the
    text writes it; those become pills, everything else stays plain text."""
    formatted = to_html(markdown)
    for user_id, written in mentions.items():
        escaped = html.escape(written, quote=False)
        pill = f'<a href="https://matrix.to/#/{html.escape(user_id)}">{escaped}</a>'
        formatted = formatted.replace(escaped, pill)
    return {
        "msgtype": "m.notice" if notice else "m.text",
        "body": plain(markdown),
        "format": HTML_FORMAT,
        "formatted_body": formatted,
        "m.mentions": {"user_ids": sorted(mentions)} if mentions else {},
    }


def edit_content(event_id: str, new: dict[str, Any]) -> dict[str, Any]:
    """An edit (m.replace) of a message sent earlier, showing `new` in its place."""
    return {
        **{key: value for key, value in new.items() if key != "m.relates_to"},
        # Only people newly named would be notified again; an edit names nobody new.
        "m.mentions": {},
        "body": f"* {new['body']}",
        "formatted_body": f"* {new['formatted_body']}",
        "m.new_content": {k: v for k, v in new.items() if k != "m.relates_to"},
        "m.relates_to": {"rel_type": "m.replace", "event_id": event_id},
    }


def in_thread(content: dict[str, Any], root: str) -> dict[str, Any]:
    """The same content as a message in the thread that starts at `root` (a reply to a
    message in the thread stays one; otherwise clients without threads see a reply to
    the root)."""
    answered = (content.get("m.relates_to") or {}).get("m.in_reply_to")
    return {
        **content,
        "m.relates_to": {
            "rel_type": "m.thread",
            "event_id": root,
            "is_falling_back": answered is None,
            "m.in_reply_to": answered or {"event_id": root},
        },
    }


def as_reply(content: dict[str, Any], event_id: str) -> dict[str, Any]:
    """The same content as a reply to the message `event_id`."""
    return {**content, "m.relates_to": {"m.in_reply_to": {"event_id": event_id}}}


def command_text(content: dict[str, Any]) -> str:
    """What a user typed, with mention pills turned back into Matrix ids, so
    `!group approve user:<pill>` reads as `user:@anna:example.org`."""
    formatted = content.get("formatted_body")
    if content.get("format") != HTML_FORMAT or not isinstance(formatted, str):
        return _REPLY_QUOTE.sub("", str(content.get("body", "")))
    # A reply carries the message it answers as a quote (<mx-reply>): not part of the command.
    with_ids = _PILL.sub(lambda m: html.unescape(m[1]), _MX_REPLY.sub("", formatted))
    without_tags = _TAG.sub("", _BREAK.sub("\n", with_ids))
    return html.unescape(without_tags)


_PILL = re.compile(r'<a [^>]*href="https://matrix\.to/#/(@[^"/?]+)[^"]*"[^>]*>.*?</a>', re.DOTALL)
_MX_REPLY = re.compile(r"<mx-reply>.*?</mx-reply>", re.DOTALL)
_REPLY_QUOTE = re.compile(r"\A(?:> .*\n)+\n")
_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")
