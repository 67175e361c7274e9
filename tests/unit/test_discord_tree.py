"""The Discord commands are generated from the core's registry: same paths, same options
with the same limits, translated payloads."""

from __future__ import annotations

from typing import Any

import discord
import pytest
from discord import app_commands

from bot.commands import ChannelKind, Command, Option, OptionType
from bot.i18n import has_key, t
from bot.roles import Role
from cogs.client import OVERRIDES
from cogs.translator import CatalogTranslator, opt
from cogs.tree import Override, build_tree
from tests.helpers.console import ConsoleSession

_TYPES = {
    OptionType.STRING: 3,
    OptionType.INTEGER: 4,
    OptionType.BOOLEAN: 5,
    OptionType.USER: 6,
    OptionType.CHANNEL: 7,
    OptionType.ROLE: 8,
}
# Discord's channel types: text and announcement; forum and media.
_CHANNEL_TYPES = {ChannelKind.TEXT: [0, 5], ChannelKind.FORUM: [15, 16]}


@pytest.fixture
def tree(console: ConsoleSession) -> app_commands.CommandTree[discord.Client]:
    made = app_commands.CommandTree(discord.Client(intents=discord.Intents.none()))
    for command in build_tree(console.app.registry.all(), OVERRIDES):
        made.add_command(command)
    return made


async def payloads(tree: app_commands.CommandTree[discord.Client]) -> dict[str, dict[str, Any]]:
    """Every leaf command's payload by path, with the top-level fields it inherits."""
    translator = CatalogTranslator()
    out: dict[str, dict[str, Any]] = {}
    for command in tree.get_commands():
        payload = await command.get_translated_payload(tree, translator)
        out.update(_leaves(payload, "", payload))
    return out


def _leaves(payload: dict[str, Any], prefix: str, top: dict[str, Any]) -> dict[str, Any]:
    path = f"{prefix} {payload['name']}".strip()
    subs = [o for o in payload.get("options", []) if o["type"] in (1, 2)]
    if not subs:
        return {path: {**payload, "top": top}}
    out: dict[str, Any] = {}
    for sub in subs:
        out.update(_leaves(sub, path, top))
    return out


# Discord's locales for the catalogs' languages other than English (the source).
_LOCALES = ("bg", "nl", "pl")


def localized(key: str) -> dict[str, str]:
    """A text's translations as Discord takes them: every catalog language but English."""
    return {locale: t(key, locale=locale) for locale in _LOCALES if has_key(key, locale)}


def expected_command(command: Command) -> dict[str, Any]:
    """The whole payload Discord should get for a core command, from its declaration and
    the catalogs alone (not through the translator the tree uses)."""
    key = "cmd." + command.path.replace(" ", ".") + ".desc"
    want: dict[str, Any] = {
        "name": command.path.split()[-1],
        "description": t(key, locale="en"),
        "type": 1,
        "name_localizations": localized(f"name.{command.path.split()[-1]}"),
        "description_localizations": localized(key),
    }
    options = sorted(command.options, key=lambda o: not expected_option(command, o)["required"])
    if options:
        want["options"] = [expected_option(command, o) for o in options]
    return want


def expected_option(command: Command, option: Option) -> dict[str, Any]:
    """The payload Discord should get for a core option, written out field by field."""
    override = OVERRIDES.get(command.path, Override(_never))
    required = option.required and option.name not in override.optional
    description = "cmd." + command.path.replace(" ", ".") + f".opt.{option.name}"
    want: dict[str, Any] = {
        "name": option.name,
        "type": _TYPES[option.type],
        "required": required,
        "description": opt(command.path, option.name),
        "name_localizations": localized(f"name.{option.name}"),
        "description_localizations": localized(description),
    }
    if option.choices:
        want["choices"] = [
            {
                "name": t(f"choice.{c}", locale="en") if has_key(f"choice.{c}", "en") else c,
                "value": int(c) if option.type is OptionType.INTEGER else c,
                "name_localizations": localized(f"choice.{c}"),
            }
            for c in option.choices
        ]
    elif option.type is OptionType.STRING and option.max_length is not None:
        want["min_length"], want["max_length"] = 1, option.max_length
    if option.type is OptionType.INTEGER and not option.choices:
        if option.min_value is not None:
            want["min_value"] = option.min_value
        if option.max_value is not None:
            want["max_value"] = option.max_value
    if option.autocomplete is not None:
        want["autocomplete"] = True
    if option.channel_kinds:
        want["channel_types"] = sorted(t for k in option.channel_kinds for t in _CHANNEL_TYPES[k])
    return want


async def _never(interaction: discord.Interaction, **options: Any) -> None:
    raise AssertionError("not called")


# Where and to whom a command shows: a top-level command's own fields, compared by
# test_only_admin_groups_are_hidden_from_members.
_WHERE_FIELDS = frozenset(
    {"top", "nsfw", "contexts", "dm_permission", "default_member_permissions", "integration_types"}
)


def actual(payload: dict[str, Any]) -> dict[str, Any]:
    """A generated payload as compared: whole, with what discord.py leaves empty or
    unordered made plain (no None, no empty localizations, channel types sorted)."""
    got: dict[str, Any] = {}
    for key, value in payload.items():
        if key in _WHERE_FIELDS or value is None or value in ({}, []):
            continue
        if key == "options":
            value = [actual(o) for o in value]
        elif key == "channel_types":
            value = sorted(value)
        elif key == "choices":
            value = [{k: v for k, v in c.items() if v != {}} for c in value]
        elif key == "autocomplete" and not value:
            continue
        got[key] = value
    return got


async def test_every_core_command_is_on_discord_as_declared_whole_payloads(
    tree: app_commands.CommandTree[discord.Client], console: ConsoleSession
) -> None:
    generated = await payloads(tree)
    core = {c.path: c for c in console.app.registry.all() if c.available_on("discord")}
    assert sorted(generated) == sorted(core)
    for path, command in core.items():
        want = expected_command(command)
        for option in want.get("options", []):
            option["name_localizations"] = option["name_localizations"] or None
            option["description_localizations"] = option["description_localizations"] or None
        assert actual(generated[path]) == actual(want), path


async def test_only_admin_groups_are_hidden_from_members(
    tree: app_commands.CommandTree[discord.Client], console: ConsoleSession
) -> None:
    generated = await payloads(tree)
    core = {c.path: c for c in console.app.registry.all() if c.available_on("discord")}
    by_top: dict[str, list[Command]] = {}
    for path, command in core.items():
        by_top.setdefault(path.split()[0], []).append(command)
    for path, payload in generated.items():
        top = payload["top"]
        admins_only = all(c.role is Role.ADMIN for c in by_top[path.split()[0]])
        assert top["default_member_permissions"] == (8 if admins_only else None), path
        assert top.get("dm_permission") is False or top["contexts"] == [0], path  # guild only
    assert {
        p.split()[0] for p, v in generated.items() if v["top"]["default_member_permissions"]
    } == {
        "audit",
        "role",
        "setup",
    }


async def test_limits_come_from_the_core(
    tree: app_commands.CommandTree[discord.Client],
) -> None:
    """The limits that had drifted apart when both sides were written by hand."""
    generated = await payloads(tree)

    def option(path: str, name: str) -> dict[str, Any]:
        return next(o for o in generated[path]["options"] if o["name"] == name)

    assert option("panel ask", "text")["max_length"] == 500
    assert option("group list", "region")["max_length"] == 60
    assert option("settings timezone", "timezone")["max_length"] == 64
    assert option("panel upvote", "question")["max_value"] == 100_000
    assert option("setup server", "forum")["channel_types"] == [15, 16]


async def test_the_event_form_fields_are_optional_on_discord_only(
    tree: app_commands.CommandTree[discord.Client], console: ConsoleSession
) -> None:
    generated = await payloads(tree)
    required = {o["name"] for o in generated["event create"]["options"] if o["required"]}
    assert required == {"kind"}
    core = console.app.registry.get("event create")
    assert core is not None and core.option("title") and core.option("title").required  # type: ignore[union-attr]


def test_an_override_for_a_command_the_core_lacks_is_refused() -> None:
    with pytest.raises(ValueError, match="no such"):
        build_tree([], {"no such": Override(_never)})


async def test_payloads_carry_polish_dutch_and_bulgarian_texts(
    tree: app_commands.CommandTree[discord.Client],
) -> None:
    translator = CatalogTranslator()
    settings = tree.get_command("settings")
    assert isinstance(settings, app_commands.Group)
    payload = await settings.get_translated_payload(tree, translator)
    assert payload["name_localizations"][discord.Locale.polish.value] == "ustawienia"
    language = next(o for o in payload["options"] if o["name"] == "language")
    assert language["description_localizations"][discord.Locale.bulgarian.value] == (
        "Изберете езика, на който да ви пиша"
    )
    option = language["options"][0]
    assert option["name_localizations"][discord.Locale.dutch.value] == "taal"
    choices = {c["value"]: c for c in option["choices"]}
    assert choices["bg"]["name_localizations"][discord.Locale.polish.value] == "bułgarski"


async def test_english_readers_see_choices_by_name_not_by_value(
    tree: app_commands.CommandTree[discord.Client],
) -> None:
    """Discord shows a choice's default name to English readers (the translator gives
    the other languages): "Polish", not "pl"."""
    generated = await payloads(tree)
    [language] = generated["settings language"]["options"]
    names = {c["value"]: c["name"] for c in language["choices"]}
    assert names == {"pl": "Polish", "en": "English", "nl": "Dutch", "bg": "Bulgarian"}
    for path, payload in generated.items():
        for option in payload.get("options", []):
            named = [c["name"] for c in option.get("choices", [])]
            assert len(set(named)) == len(named), (path, option["name"])
