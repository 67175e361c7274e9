"""Commands as data: the same names, options and roles on every front end.

A feature declares its commands here (path, options, role, handler); the console calls
them by name and each Discord cog calls the same handler from its app command.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from bot.errors import UserError
from bot.refs import Actor, ChannelRef
from bot.replies import Reply
from bot.roles import Role

# Past this many commands a word is common to (an option like "name"), it points nowhere.
RELATED_LIMIT = 4


class OptionType(StrEnum):
    STRING = "string"
    INTEGER = "integer"
    BOOLEAN = "boolean"
    USER = "user"
    CHANNEL = "channel"
    ROLE = "role"


@dataclass(frozen=True)
class Choice:
    name: str
    value: str


@dataclass(frozen=True)
class Invocation:
    """One user action, with everything resolved that a handler needs."""

    platform: str
    guild_id: str
    channel: ChannelRef
    actor: Actor
    role: Role
    locale: str
    timezone: str
    now: datetime
    # The language the client said it speaks (Discord's), which `locale` was chosen with.
    locale_hint: str | None = None


Handler = Callable[..., Awaitable[Reply]]
Completer = Callable[[Invocation, str], Awaitable[list[Choice]]]


class ChannelKind(StrEnum):
    """Which channels a channel option offers (Discord filters its picker by these)."""

    TEXT = "text"
    FORUM = "forum"


@dataclass(frozen=True)
class Option:
    """One option of a command, with every limit the front ends enforce or show.

    The Discord tree is generated from these, so a limit declared here is the limit on
    every front end."""

    name: str
    type: OptionType = OptionType.STRING
    required: bool = False
    choices: tuple[str, ...] = ()
    autocomplete: Completer | None = None
    max_length: int | None = None
    min_value: int | None = None
    max_value: int | None = None
    # Empty: any channel the platform has.
    channel_kinds: tuple[ChannelKind, ...] = ()
    # A text that names people (`@ewa @jan`): a front end where people are typed by name
    # (Matrix) writes each as the platform's id before the command reads it.
    lists_people: bool = False


@dataclass(frozen=True)
class Limit:
    """At most `uses` uses by one person in any window of `per` (bot/ratelimit.py counts
    them); people whose role is at least `exempt` are not limited — by default moderators
    and admins, who run the community."""

    uses: int
    per: timedelta
    exempt: Role | None = Role.MODERATOR

    def __post_init__(self) -> None:
        if self.uses < 1 or self.per <= timedelta():
            raise ValueError("a limit needs at least one use in a positive period")


@dataclass(frozen=True)
class Command:
    path: str
    role: Role
    handler: Handler
    options: tuple[Option, ...] = ()
    # None: every front end; otherwise only these (e.g. the console's clock).
    platforms: frozenset[str] | None = None
    # Moderators' and admins' actions go to the audit log and the log channel.
    audit: bool = False
    # Commands that post where others read, or store rows, are limited per person.
    limit: Limit | None = None

    @property
    def key(self) -> str:
        """The catalog key stem: 'settings timezone' → 'cmd.settings.timezone'."""
        return "cmd." + self.path.replace(" ", ".")

    @property
    def example_key(self) -> str:
        """A working example in console syntax, tested in every language."""
        return self.key + ".example"

    def option(self, name: str) -> Option | None:
        return next((o for o in self.options if o.name == name), None)

    def available_on(self, platform: str) -> bool:
        return self.platforms is None or platform in self.platforms


ButtonHandler = Callable[..., Awaitable[Reply]]


@dataclass(frozen=True)
class ButtonRoute:
    pattern: re.Pattern[str]
    handler: ButtonHandler
    # The command whose limit (and count) a press shares, with the id's groups filled in:
    # "signup {action}" makes a press of signup:join:1:2 count as one /signup join.
    counts_as: str | None = None


class Registry:
    """Every command and button route of the running app."""

    def __init__(self) -> None:
        self._commands: dict[str, Command] = {}
        self._buttons: list[ButtonRoute] = []

    def add(self, *commands: Command) -> None:
        for command in commands:
            if command.path in self._commands:
                raise ValueError(f"command {command.path!r} is declared twice")
            self._commands[command.path] = command

    def add_button(
        self, pattern: str, handler: ButtonHandler, *, counts_as: str | None = None
    ) -> None:
        # ASCII: a custom id's `\d` means 0-9, never '٣' (ids are parsed in one way only).
        self._buttons.append(ButtonRoute(re.compile(pattern, re.ASCII), handler, counts_as))

    def get(self, path: str) -> Command | None:
        return self._commands.get(path)

    def all(self) -> Iterable[Command]:
        return self._commands.values()

    def under(self, prefix: str) -> list[Command]:
        """The commands of a group ('remind' → remind me, remind channel, …), in the
        order they were declared; empty when no group has that name."""
        start = prefix.strip().lower() + " "
        return [c for c in self._commands.values() if c.path.startswith(start)]

    def longest_prefix(self, words: list[str]) -> tuple[Command | None, int]:
        """The command named by the most leading words, and how many words it used."""
        for size in range(min(len(words), 3), 0, -1):
            command = self._commands.get(" ".join(words[:size]).lower())
            if command:
                return command, size
        return None, 0

    def unknown(self, typed: str) -> UserError:
        """The answer to a command name that is none: with the command most likely meant
        ("remnd list" → /remind list) when one is close."""
        names = {c.path for c in self._commands.values()}
        names |= {path.rsplit(" ", 1)[0] for path in names if " " in path}
        close = difflib.get_close_matches(typed.strip().lower(), sorted(names), n=1, cutoff=0.75)
        if close:
            return UserError("error.unknown_command_meant", name=typed, meant=close[0])
        related = self.related(typed)
        if related:
            return UserError(
                "error.unknown_command_related", name=typed, commands=", ".join(related)
            )
        return UserError("error.unknown_command", name=typed or "/")

    def related(self, typed: str) -> list[str]:
        """The commands that do what a word names when it is no command of its own: "digest"
        → /settings digest, /setup server digest:…"""
        word = typed.strip().lower().split(" ", 1)[0]
        if not word or any(c.path.split(" ", 1)[0] == word for c in self._commands.values()):
            return []
        named = [f"/{c.path}" for c in self._commands.values() if word in c.path.split(" ")[1:]]
        taking = [f"/{c.path} {word}:…" for c in self._commands.values() if c.option(word)]
        found = named + taking
        return found if len(found) <= RELATED_LIMIT else []

    def buttons(self) -> Iterable[ButtonRoute]:
        return tuple(self._buttons)

    def button(self, custom_id: str) -> tuple[ButtonHandler, dict[str, Any]] | None:
        found = self.button_route(custom_id)
        return (found[0].handler, found[1]) if found else None

    def button_route(self, custom_id: str) -> tuple[ButtonRoute, dict[str, Any]] | None:
        for route in self._buttons:
            match = route.pattern.fullmatch(custom_id)
            if match:
                return route, match.groupdict()
        return None

    def counted_as(self, route: ButtonRoute, params: dict[str, Any]) -> Command | None:
        """The command a press of this button counts as, for its limit; None when none."""
        if route.counts_as is None:
            return None
        return self.get(route.counts_as.format(**params))
