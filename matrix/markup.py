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
# "1. " or, as sign-up sheets number their slots, "**1.** ".
_NUMBERED = re.compile(
    r"^(?P<indent>\s*)(?P<bold>\*\*)?(?P<n>\d{1,3})\.(?(bold)\*\*) (?P<item>.*)$"
)


def to_html(text: str) -> str:
    """Discord-style markdown (bold, italics, code, strike, headings, quotes) as HTML;
    runs of "• " or "1. " lines become real lists (an indented line under an item belongs
    to it, as a slot's seats under the slot), and indentation is kept."""
    out: list[str] = []
    open_list = ""
    for line in text.split("\n"):
        found = _BULLET.match(line) or _NUMBERED.match(line)
        if found is None and open_list and line.startswith(" ") and line.strip():
            out[-1] = out[-1].removesuffix("</li>") + f"<br>{_line(line.strip())}</li>"
            continue
        kind = "" if found is None else "ol" if "n" in found.groupdict() else "ul"
        if kind != open_list:
            if open_list:
                out.append(f"</{open_list}>")
            if kind == "ol" and found is not None and found["n"] != "1":
                out.append(f'<ol start="{int(found["n"])}">')
            elif kind:
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


# What a reply is made of, in reading order: markdown text, or a card (an embed).
Part = str | Embed


def reply_parts(reply: Reply, legend: str = "") -> list[Part]:
    """Everything a reply says, in reading order; the legend explains its reactions."""
    parts: list[Part] = [reply.text] if reply.text.strip() else []
    parts.extend(reply.embeds)
    if legend:
        parts.append(legend)
    return parts


def embed_text(embed: Embed) -> str:
    """An embed as markdown: a bold title, the description, each field, the footer."""
    parts = [f"**{embed.title}**"] if embed.title else []
    if embed.description:
        parts.append(embed.description)
    parts.extend(f"**{field.name}**\n{field.value}" for field in embed.fields)
    if embed.footer:
        parts.append(f"*{embed.footer}*")
    return "\n".join(parts)


def parts_markdown(parts: list[Part]) -> str:
    """The parts as one markdown text (what long replies are split from)."""
    return "\n\n".join(p if isinstance(p, str) else embed_text(p) for p in parts)


def parts_content(
    parts: list[Part], *, mentions: dict[str, str], notice: bool = False
) -> dict[str, Any]:
    """An m.room.message of a reply's parts: a card's fields become a table (name, value)
    in the HTML and "name: value" lines in the plain body."""
    body = "\n\n".join(plain(p) if isinstance(p, str) else _embed_plain(p) for p in parts)
    formatted = "<br><br>".join(to_html(p) if isinstance(p, str) else _embed_html(p) for p in parts)
    return _content(body, formatted, mentions=mentions, notice=notice)


def _embed_plain(embed: Embed) -> str:
    lines = [plain(embed.title)] if embed.title else []
    if embed.description:
        lines.append(plain(embed.description))
    for field in embed.fields:
        value = plain(field.value)
        lines.append(f"{plain(field.name)}:" + ("\n" if "\n" in value else " ") + value)
    if embed.footer:
        lines.append(plain(embed.footer))
    return "\n".join(lines)


def _embed_html(embed: Embed) -> str:
    out = [f"<strong>{_inline(embed.title)}</strong>"] if embed.title else []
    if embed.description:
        out.append(f"<p>{to_html(embed.description)}</p>")
    if embed.fields:
        rows = "".join(
            f"<tr><th>{_inline(field.name)}</th><td>{to_html(field.value)}</td></tr>"
            for field in embed.fields
        )
        out.append(f"<table><tbody>{rows}</tbody></table>")
    if embed.footer:
        out.append(f"<p><em>{_inline(embed.footer)}</em></p>")
    return "".join(out)


def message_content(
    markdown: str, *, mentions: dict[str, str], notice: bool = False
) -> dict[str, Any]:
    """An m.room.message. `mentions` maps each Matrix id the message may ping to how the
    text writes it; those become pills, everything else stays plain text."""
    return _content(plain(markdown), to_html(markdown), mentions=mentions, notice=notice)


def _content(
    body: str, formatted: str, *, mentions: dict[str, str], notice: bool
) -> dict[str, Any]:
    # Longest first: "Jan Kowalski" is one pill, not "Jan" and the rest.
    for user_id, written in sorted(mentions.items(), key=lambda item: -len(item[1])):
        shown = _inline(written)
        pill = f'<a href="https://matrix.to/#/{html.escape(user_id)}">{shown}</a>'
        formatted = _pilled(formatted, shown, pill)
    return {
        "msgtype": "m.notice" if notice else "m.text",
        "body": body,
        "format": HTML_FORMAT,
        "formatted_body": formatted,
        "m.mentions": {"user_ids": sorted(mentions)} if mentions else {},
    }


def _pilled(formatted: str, shown: str, pill: str) -> str:
    """`shown` (a person as the text writes them: a display name or an id) made a pill
    where it first stands as a word of text, never inside a tag or a link. Only there: a
    text names the person once, and a display name that is also a word ("i", "Jura")
    must not turn every "i" of the message into their pill."""
    word = re.compile(rf"(?<![\w@]){re.escape(shown)}(?!\w)")
    out: list[str] = []
    in_link = done = False
    for part in _TAG_OR_TEXT.split(formatted):
        if part.startswith("<"):
            in_link = part.startswith("<a ") or (in_link and not part.startswith("</a"))
        elif not (in_link or done):
            part, found = word.subn(lambda _: pill, part, count=1)
            done = found > 0
        out.append(part)
    return "".join(out)


_TAG_OR_TEXT = re.compile(r"(<[^>]*>)")


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
