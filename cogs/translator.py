"""Slash command names and descriptions in every language, from the same catalogs.

Keys are derived from where a string sits, so cogs need no keys of their own:
a command's name is `name.<word>`, its description `cmd.<path>.desc`, an option's name
`name.<option>` and description `cmd.<path>.opt.<option>`, a choice `choice.<value>`.
"""

from __future__ import annotations

from typing import Any, cast

import discord
from discord import app_commands
from discord.app_commands import TranslationContextLocation as Where

from bot.i18n import has_key, normalize_locale, t

_SOURCE_LOCALE = "en"


def key_for(string: app_commands.locale_str, context: app_commands.TranslationContextTypes) -> str:
    # The data's type follows from the location, which mypy cannot see.
    where, data = context.location, cast(Any, context.data)
    if where in (Where.command_name, Where.group_name, Where.parameter_name):
        return f"name.{string.message}"
    if where in (Where.command_description, Where.group_description):
        return "cmd." + data.qualified_name.replace(" ", ".") + ".desc"
    if where is Where.parameter_description:
        return "cmd." + data.command.qualified_name.replace(" ", ".") + f".opt.{data.name}"
    if where is Where.choice_name:
        return f"choice.{data.value}"
    return ""


def english(key: str) -> str:
    """The source text the cogs declare, so Discord's default matches the catalogs."""
    return t(key, locale=_SOURCE_LOCALE)


def choice_name(value: str) -> str:
    """A choice's name as Discord shows it by default: its English catalog text
    (`choice.pl` is "Polish"), or the value itself when it has none."""
    key = f"choice.{value}"
    return english(key) if has_key(key, _SOURCE_LOCALE) else value


def desc(path: str) -> str:
    """A command's description: `desc("remind me")` is the text of `cmd.remind.me.desc`."""
    return english("cmd." + path.replace(" ", ".") + ".desc")


def opt(path: str, option: str) -> str:
    """One option's description, as the generated tree gives it to discord.py."""
    return english("cmd." + path.replace(" ", ".") + f".opt.{option}")


class CatalogTranslator(app_commands.Translator):
    async def translate(
        self,
        string: app_commands.locale_str,
        locale: discord.Locale,
        context: app_commands.TranslationContextTypes,
    ) -> str | None:
        target = normalize_locale(locale.value)
        if target is None or target == _SOURCE_LOCALE:
            return None
        key = key_for(string, context)
        if not key or not has_key(key, target):
            return None
        return t(key, locale=target)
