"""The console's line syntax: `[@user] [#channel] text` (the two in either order), commands
as `/name opt:value`."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.commands import Command, Registry
from bot.errors import UserError
from bot.text import QUOTES

_OPTION = re.compile(r"([A-Za-z_][A-Za-z0-9_]*):")


@dataclass(frozen=True)
class Line:
    user: str | None
    channel: str | None
    text: str


@dataclass
class CommandText:
    words: list[str] = field(default_factory=list)
    options: dict[str, str] = field(default_factory=dict)


def split_line(raw: str) -> Line:
    """`@user` and `#channel` lead the line in either order, each at most once."""
    text = raw.strip()
    user = channel = None
    while len(text) > 1 and not text[1].isspace():
        if text[0] == "@" and user is None:
            user, _, text = text[1:].partition(" ")
        elif text[0] == "#" and channel is None:
            channel, _, text = text[1:].partition(" ")
        else:
            break
        text = text.strip()
    return Line(user, channel, text)


def parse_command(text: str) -> CommandText:
    """'/remind me when:"jutro o 18" what:x' → words ['remind', 'me'] and the options."""
    body = text[1:] if text.startswith("/") else text
    parsed = CommandText()
    i = 0
    while i < len(body):
        if body[i].isspace():
            i += 1
            continue
        match = _OPTION.match(body, i)
        if match:
            name = match[1].lower()
            value, i = _value(body, match.end())
            if name in parsed.options:
                raise UserError("error.console.duplicate_option", name=name)
            parsed.options[name] = value
            continue
        if parsed.options:
            raise UserError("error.console.word_after_options", word=_word(body, i)[0])
        word, i = _word(body, i)
        parsed.words.append(word.lower())
    return parsed


def read_command(registry: Registry, text: str) -> tuple[Command, dict[str, str]]:
    """The command a text line names and its raw options; UserError when there is none.
    Shared by the front ends that take commands as text (console, Matrix)."""
    parsed = parse_command(text)
    command, used = registry.longest_prefix(parsed.words)
    if command is None:
        group = " ".join(parsed.words)
        helper = registry.get("help")
        if group and helper is not None and registry.under(group):
            # A group alone (`/remind`, `!remind`) lists its subcommands: without Discord's
            # autocomplete this is how people find them.
            return helper, {"command": group}
        raise registry.unknown(group)
    if parsed.words[used:]:
        raise UserError("error.console.unexpected_words", words=" ".join(parsed.words[used:]))
    return command, parsed.options


def _value(body: str, i: int) -> tuple[str, int]:
    if i < len(body) and body[i] in QUOTES:
        closing = QUOTES[body[i]]
        out: list[str] = []
        j = i + 1
        while j < len(body):
            char = body[j]
            if char == "\\" and j + 1 < len(body):
                out.append(body[j + 1])
                j += 2
                continue
            if char == closing:
                return "".join(out), j + 1
            out.append(char)
            j += 1
        raise UserError("error.console.unclosed_quote")
    return _word(body, i)


def _word(body: str, i: int) -> tuple[str, int]:
    j = i
    while j < len(body) and not body[j].isspace():
        j += 1
    return body[i:j], j
