"""The Discord commands mirror the core's: same paths, same options, translated payloads."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import discord
import pytest
from discord import app_commands

from bot.clock import SettableClock
from cogs.client import EXTENSIONS, PodajBot
from cogs.translator import CatalogTranslator
from tests.helpers.console import START, ConsoleSession, settings_for


@pytest.fixture
async def bot(tmp_path: Path) -> AsyncIterator[PodajBot]:
    client = PodajBot(settings_for(tmp_path / "d.sqlite3"), clock=SettableClock(START))
    for extension in EXTENSIONS:
        await client.load_extension(extension)
    yield client
    await client.close()


def walk(commands: list[app_commands.Command | app_commands.Group]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for command in commands:
        if isinstance(command, app_commands.Group):
            out.update(walk(command.commands))
        else:
            out[command.qualified_name] = sorted(p.name for p in command.parameters)
    return out


async def test_discord_commands_match_the_core_registry(
    bot: PodajBot, console: ConsoleSession
) -> None:
    discord_side = walk(bot.tree.get_commands())
    core_side = {
        c.path: sorted(o.name for o in c.options)
        for c in console.app.registry.all()
        if c.available_on("discord")
    }
    assert discord_side == core_side


async def test_payloads_carry_polish_dutch_and_bulgarian_texts(bot: PodajBot) -> None:
    translator = CatalogTranslator()
    settings = bot.tree.get_command("settings")
    assert isinstance(settings, app_commands.Group)
    payload = await settings.get_translated_payload(bot.tree, translator)
    assert payload["name_localizations"][discord.Locale.polish.value] == "ustawienia"
    language = next(o for o in payload["options"] if o["name"] == "language")
    assert language["description_localizations"][discord.Locale.bulgarian.value] == (
        "Изберете езика, на който да ви пиша"
    )
    option = language["options"][0]
    assert option["name_localizations"][discord.Locale.dutch.value] == "taal"
    choices = {c["value"]: c for c in option["choices"]}
    assert choices["bg"]["name_localizations"][discord.Locale.polish.value] == "bułgarski"
