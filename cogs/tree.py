"""The slash command tree, generated from the core's registry.

Each core command becomes an app command with the same path and the options the core
declares (types, limits, choices, autocomplete): discord.py reads options from a callback's
signature, so every callback here carries a signature built from the core's options. A
command whose Discord side must do more than pass its options on (open a form, look up
names first) names a body in `overrides`; its options still come from the core.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Coroutine, Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

import discord
from discord import app_commands

from bot.commands import ChannelKind, Command, Option, OptionType
from bot.roles import Role
from cogs.interactions import complete, run
from cogs.translator import choice_name, desc, opt

# What a command does on Discord when it does more than `run`: called with the
# interaction and the options as given.
Body = Callable[..., Coroutine[Any, Any, None]]


@dataclass(frozen=True)
class Override:
    body: Body
    # Options the core requires that may be left out on Discord (a form asks for them).
    optional: frozenset[str] = frozenset()


AppCommand = app_commands.Command[Any, ..., Any] | app_commands.Group

_ADMIN = discord.Permissions(administrator=True)
_CHANNELS: Mapping[ChannelKind, type[discord.abc.GuildChannel]] = {
    ChannelKind.TEXT: discord.TextChannel,
    ChannelKind.FORUM: discord.ForumChannel,
}
_INTERACTION = inspect.Parameter(
    "interaction", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=discord.Interaction
)


def build_tree(commands: Iterable[Command], overrides: Mapping[str, Override]) -> list[AppCommand]:
    """Top-level app commands and groups for every command available on Discord."""
    on_discord = [c for c in commands if c.available_on("discord")]
    unknown = set(overrides) - {c.path for c in on_discord}
    if unknown:
        raise ValueError(f"overrides for commands the core does not have: {sorted(unknown)}")
    top: dict[str, AppCommand] = {}
    groups: dict[str, app_commands.Group] = {}
    for command in on_discord:
        *parents, name = command.path.split()
        parent = _group(parents, groups, top, on_discord)
        made = app_command(command, name, overrides.get(command.path), parent)
        if parent is None:
            top[name] = made
        else:
            parent.add_command(made)
    return list(top.values())


def _group(
    words: list[str],
    groups: dict[str, app_commands.Group],
    top: dict[str, AppCommand],
    commands: list[Command],
) -> app_commands.Group | None:
    """The group for these leading words, made (with its parents) on first use."""
    if not words:
        return None
    path = " ".join(words)
    if path not in groups:
        parent = _group(words[:-1], groups, top, commands)
        inside = [c for c in commands if c.path.startswith(path + " ")]
        group = app_commands.Group(
            name=words[-1],
            description=desc(path),
            parent=parent,
            # Discord takes these on top-level commands only.
            guild_only=parent is None,
            default_permissions=_ADMIN if parent is None and _admins_only(inside) else None,
        )
        groups[path] = group
        if parent is None:
            top[path] = group
    return groups[path]


def _admins_only(commands: list[Command]) -> bool:
    """Discord hides a command from members without the permission; only groups that
    admins alone may use are hidden, the rest is checked by the core's roles."""
    return all(c.role is Role.ADMIN for c in commands)


def app_command(
    command: Command, name: str, override: Override | None, parent: app_commands.Group | None
) -> app_commands.Command[Any, ..., Any]:
    callback = _callback(command, override)
    if parent is None:
        # Discord takes these on top-level commands only.
        callback = app_commands.guild_only()(callback)
        if command.role is Role.ADMIN:
            callback = app_commands.default_permissions(administrator=True)(callback)
    made: app_commands.Command[Any, ..., Any] = app_commands.Command(
        name=name, description=desc(command.path), callback=callback, parent=parent
    )
    for option in command.options:
        if option.autocomplete is not None:
            made.autocomplete(option.name)(_completer(command.path, option.name))
    return made


def _callback(command: Command, override: Override | None) -> Body:
    path = command.path
    body = override.body if override else None
    options = command.options
    if override and override.optional:
        options = tuple(
            replace(o, required=False) if o.name in override.optional else o for o in options
        )

    async def callback(interaction: discord.Interaction, **options: Any) -> None:
        if body is not None:
            await body(interaction, **options)
        else:
            await run(interaction, path, **options)

    parameters = [_INTERACTION, *(_parameter(o) for o in _required_first(options))]
    callback.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
    callback.__discord_app_commands_param_description__ = {  # type: ignore[attr-defined]
        o.name: opt(path, o.name) for o in options
    }
    # What @app_commands.choices sets: named choices, where a Literal is named by value.
    callback.__discord_app_commands_param_choices__ = {  # type: ignore[attr-defined]
        o.name: choices_for(o) for o in options if o.choices
    }
    return callback


def choices_for(option: Option) -> list[app_commands.Choice[Any]]:
    """An option's choices, each named by its catalog text (`choice.<value>`) in English,
    Discord's default — what English readers, and readers of a language the catalogs do
    not have, see; the translator gives the other languages. A value without a text is
    its own name."""
    integer = option.type is OptionType.INTEGER
    return [
        app_commands.Choice(name=choice_name(value), value=int(value) if integer else value)
        for value in option.choices
    ]


def _required_first(options: tuple[Option, ...]) -> list[Option]:
    """Discord lists required options before optional ones; the core's order otherwise."""
    return [o for o in options if o.required] + [o for o in options if not o.required]


def _parameter(option: Option) -> inspect.Parameter:
    annotation = annotation_for(option)
    return inspect.Parameter(
        option.name,
        inspect.Parameter.KEYWORD_ONLY,
        annotation=annotation if option.required else annotation | None,
        default=inspect.Parameter.empty if option.required else None,
    )


def annotation_for(option: Option) -> Any:
    """The type discord.py turns into this option's payload."""
    if option.type is OptionType.STRING:
        if option.choices:
            return str  # named choices: _callback
        if option.max_length is not None:
            return app_commands.Range[str, 1, option.max_length]
        return str
    if option.type is OptionType.INTEGER:
        if option.choices:
            return int  # named choices: _callback
        if option.min_value is None and option.max_value is None:
            return int
        return app_commands.Range[int, option.min_value, option.max_value]
    if option.type is OptionType.BOOLEAN:
        return bool
    if option.type is OptionType.USER:
        return discord.Member
    if option.type is OptionType.ROLE:
        return discord.Role
    kinds = [_CHANNELS[k] for k in option.channel_kinds]
    if not kinds:
        return discord.abc.GuildChannel
    union: Any = kinds[0]
    for kind in kinds[1:]:
        union = union | kind
    return union


def _completer(
    path: str, name: str
) -> Callable[[discord.Interaction, str], Coroutine[Any, Any, list[app_commands.Choice[str]]]]:
    async def suggest(
        interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return await complete(interaction, path, name, current)

    return suggest
