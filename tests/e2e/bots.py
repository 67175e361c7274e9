"""Bot factories the harness (and the subprocess runner) can build, by name.

A factory gets a BotContext (database file, guild, settable clock, extra commands.Bot
options) and returns an unstarted commands.Bot. The runner in a subprocess rebuilds the same
bot from the same name, which is why factories are looked up by name rather than passed in.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Literal

from discord.ext import commands

from bot.clock import SettableClock
from tests.helpers.clock import START

TOKEN = "test-token"


def make_clock(start: datetime = START) -> SettableClock:
    return SettableClock(start)


@dataclass
class BotContext:
    db_path: Path
    guild_id: int
    clock: SettableClock
    token: str = TOKEN
    # SHARD_COUNT for bots that read settings: None (one connection), a number or "auto".
    shard_count: int | Literal["auto"] | None = None
    # Forwarded to commands.Bot; guild_ready_timeout keeps startup from idling 2 s.
    options: dict[str, Any] = field(default_factory=lambda: {"guild_ready_timeout": 0.05})


@dataclass(frozen=True)
class BotSpec:
    name: str
    factory: Callable[[BotContext], commands.Bot]
    # Moves the bot's clock and runs what became due; the contract is `bot.app.advance`.
    advance: Callable[[commands.Bot, timedelta], Awaitable[None]]


async def _advance_app(bot: commands.Bot, delta: timedelta) -> None:
    await bot.app.advance(delta)  # type: ignore[attr-defined]


def sample_factory(ctx: BotContext) -> commands.Bot:
    from .sample_bot import SampleBot

    return SampleBot(ctx)


async def _no_identify_pause(shard_id: int | None, *, initial: bool = False) -> None:
    """discord.py waits 5 s before each IDENTIFY after the first (Discord's pace for
    max_concurrency 1); the double does not count them, so sharded stories need not wait."""


def podaj_factory(ctx: BotContext) -> commands.Bot:
    from bot.config import Settings
    from cogs.client import build_bot

    settings = Settings(
        discord_token=ctx.token,
        database_path=ctx.db_path,
        default_locale="pl",
        default_timezone="Europe/Warsaw",
        dev_guild_id=ctx.guild_id,
        shard_count=ctx.shard_count,
        _env_file=None,
    )
    bot = build_bot(settings, clock=ctx.clock, **ctx.options)
    if ctx.shard_count is not None:
        bot.before_identify_hook = _no_identify_pause  # type: ignore[method-assign]
    return bot


BOTS: dict[str, BotSpec] = {
    "sample": BotSpec("sample", sample_factory, _advance_app),
    "podaj": BotSpec("podaj", podaj_factory, _advance_app),
}
