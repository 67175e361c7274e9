"""Commands as data: the same names, options and roles on every front end.

A feature declares its commands here (path, options, role, handler); the console calls
them by name and each Discord cog calls the same handler from its app command.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from bot.refs import Actor, ChannelRef
from bot.replies import Reply
from bot.roles import Role


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


Handler = Callable[..., Awaitable[Reply]]
Completer = Callable[[Invocation, str], Awaitable[list[Choice]]]


@dataclass(frozen=True)
class Option:
    name: str
    type: OptionType = OptionType.STRING
    required: bool = False
    choices: tuple[str, ...] = ()
    autocomplete: Completer | None = None
    max_length: int | None = None
    min_value: int | None = None
    max_value: int | None = None


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

    @property
    def key(self) -> str:
        """The catalog key stem: 'settings timezone' → 'cmd.settings.timezone'."""
        return "cmd." + self.path.replace(" ", ".")

    def option(self, name: str) -> Option | None:
        return next((o for o in self.options if o.name == name), None)

    def available_on(self, platform: str) -> bool:
        return self.platforms is None or platform in self.platforms


ButtonHandler = Callable[..., Awaitable[Reply]]


@dataclass(frozen=True)
class ButtonRoute:
    pattern: re.Pattern[str]
    handler: ButtonHandler


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

    def add_button(self, pattern: str, handler: ButtonHandler) -> None:
        # ASCII: a custom id's `\d` means 0-9, never '٣' (ids are parsed in one way only).
        self._buttons.append(ButtonRoute(re.compile(pattern, re.ASCII), handler))

    def get(self, path: str) -> Command | None:
        return self._commands.get(path)

    def all(self) -> Iterable[Command]:
        return self._commands.values()

    def longest_prefix(self, words: list[str]) -> tuple[Command | None, int]:
        """The command named by the most leading words, and how many words it used."""
        for size in range(min(len(words), 3), 0, -1):
            command = self._commands.get(" ".join(words[:size]).lower())
            if command:
                return command, size
        return None, 0

    def button(self, custom_id: str) -> tuple[ButtonHandler, dict[str, Any]] | None:
        for route in self._buttons:
            match = route.pattern.fullmatch(custom_id)
            if match:
                return route.handler, match.groupdict()
        return None
