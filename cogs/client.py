"""The Discord bot: a commands.Bot whose setup_hook opens the core and loads every cog;
its sharded form (SHARD_COUNT) and `build_bot`, which picks one from the settings."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.app import App, Ports, open_app
from bot.clock import Clock, SystemClock
from bot.config import ConfigError, Settings
from bot.events.commands import FORM_FIELDS
from bot.i18n import t, use_locale
from cogs.events import create_event
from cogs.interactions import request_from
from cogs.pacing import GlobalPacer
from cogs.panels import create_panel
from cogs.ports import DiscordAnnouncer, DiscordGuildAdmin, DiscordMembers, DiscordMessenger
from cogs.render import CoreButton
from cogs.translator import CatalogTranslator
from cogs.tree import Override, build_tree

log = logging.getLogger(__name__)

# What Discord does beyond the generated commands: listeners and the "ask" form's button.
EXTENSIONS = ("cogs.groups", "cogs.panels", "cogs.welcome")
# The commands whose Discord side does more than pass their options on.
OVERRIDES = {
    "event create": Override(create_event, optional=frozenset(FORM_FIELDS)),
    "panel create": Override(create_panel),
}


def intents(*, members: bool = False) -> discord.Intents:
    """Only what the features use. Slash commands, buttons and modals need no intent;
    `guilds` keeps channels, threads and roles cached; `guild_messages` lets features see
    that messages were posted in their channels. One privileged intent: `message_content`,
    because panels record what is said in a live panel's thread for the transcript (it
    must be switched on in the developer portal; see README, Intents). `members`, the
    optional one (DISCORD_MEMBERS_INTENT), lets the welcome greet people as they join."""
    wanted = discord.Intents.none()
    wanted.members = members
    wanted.guilds = True
    wanted.guild_messages = True
    wanted.guild_scheduled_events = True
    wanted.dm_messages = True
    wanted.message_content = True
    return wanted


class PodajTree(app_commands.CommandTree["PodajBot"]):
    async def on_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError
    ) -> None:
        """The traceback goes to the log; the user gets a short message in their language."""
        log.error("app command failed", exc_info=error)
        bot = interaction.client
        assert isinstance(bot, PodajBot)
        request = request_from(interaction)
        locale = await bot.app.community.locale_for(
            request.actor.user.id, request.guild_id, request.locale_hint
        )
        with use_locale(locale):
            text = t("error.internal")
        if interaction.response.is_done():
            await interaction.followup.send(text, ephemeral=True)
        else:
            await interaction.response.send_message(text, ephemeral=True)


class PodajBot(commands.Bot):
    def __init__(self, settings: Settings, *, clock: Clock | None = None, **options: Any) -> None:
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=intents(members=settings.discord_members_intent),
            help_command=None,
            tree_cls=PodajTree,
            allowed_mentions=discord.AllowedMentions.none(),
            # No cache of recent messages (discord.py keeps 1000 by default): nothing here
            # reads one back — panels take each message as it comes, and no listener needs
            # a message's earlier state (edits, deletions). It would grow with traffic.
            max_messages=None,
            **options,
        )
        self.settings = settings
        self.clock: Clock = clock or SystemClock()
        # Discord's global limit (50 requests/s): discord.py paces only per route.
        self.pacer = GlobalPacer()
        self.http.request = self.pacer.wrap(self.http.request)  # type: ignore[method-assign,assignment]
        self._app: App | None = None
        self._ready_once = False
        self._warming: asyncio.Task[None] | None = None

    @property
    def app(self) -> App:
        if self._app is None:
            raise RuntimeError("the core is opened in setup_hook")
        return self._app

    async def setup_hook(self) -> None:
        ports = Ports(
            DiscordMessenger(self),
            DiscordMembers(self),
            DiscordGuildAdmin(self),
            DiscordAnnouncer(self),
        )
        self._app = await open_app(self.settings, clock=self.clock, ports=ports)
        await self.tree.set_translator(CatalogTranslator())
        for command in build_tree(self._app.registry.all(), OVERRIDES):
            self.tree.add_command(command)
        for extension in EXTENSIONS:
            await self.load_extension(extension)
        self.add_dynamic_items(CoreButton)
        await self._app.start()
        self._warming = asyncio.create_task(self._app.warm_up())
        if self.settings.dev_guild_id:
            guild = discord.Object(self.settings.dev_guild_id)
            self.tree.copy_global_to(guild=guild)
            synced = await self.tree.sync(guild=guild)
            log.info("synced %d commands to guild %s", len(synced), self.settings.dev_guild_id)

    async def on_ready(self) -> None:
        if self._ready_once:
            log.info("reconnected as %s", self.user)
            return
        self._ready_once = True
        log.info(
            "Podaj dalej ready: logged in as %s (id %s) in %d guild(s) over %d shard(s), "
            "%d commands",
            self.user,
            self.user.id if self.user else "?",
            len(self.guilds),
            self.shard_count or 1,
            len(self.tree.get_commands()),
        )

    async def close(self) -> None:
        # The scheduler first, while the HTTP session can still finish what it is sending.
        if self._app is not None:
            await self._app.scheduler.stop()
        await super().close()
        if self._app is not None:
            await self._app.close()
            self._app = None


class ShardedPodajBot(PodajBot, commands.AutoShardedBot):
    """The same bot over several gateway connections (SHARD_COUNT). discord.py runs every
    shard in this process over one connection state, one HTTP client and one event loop, so
    the core, the scheduler and the global pacer stay one per process and each guild's
    events reach the same handlers whichever shard carries them."""

    async def on_shard_ready(self, shard_id: int) -> None:
        log.info("shard %d of %s ready", shard_id, self.shard_count)


def build_bot(settings: Settings, *, clock: Clock | None = None, **options: Any) -> PodajBot:
    """One connection unless SHARD_COUNT is set; "auto" lets discord.py ask Discord
    (GET /gateway/bot) for the recommended count."""
    if settings.shard_count is None:
        return PodajBot(settings, clock=clock, **options)
    count = None if settings.shard_count == "auto" else settings.shard_count
    return ShardedPodajBot(settings, clock=clock, shard_count=count, **options)


async def run_discord(settings: Settings) -> int:
    token = settings.token()
    bot = build_bot(settings)
    try:
        async with bot:
            await bot.start(token)
    except discord.LoginFailure:
        raise ConfigError(
            "DISCORD_TOKEN was rejected by Discord: reset it on the Bot page and copy it again"
        ) from None
    except discord.PrivilegedIntentsRequired:
        raise ConfigError("Discord refused the requested intents; see README, Intents") from None
    return 0


async def sync_commands(settings: Settings, *, everywhere: bool) -> str:
    """Register the slash commands: to DEV_GUILD_ID (setup_hook does it) or globally.
    Returns what was done, for the operator."""
    token = settings.token()
    bot = PodajBot(settings)
    try:
        async with bot:
            await bot.login(token)
            if everywhere or not settings.dev_guild_id:
                synced = await bot.tree.sync()
                return f"synced {len(synced)} commands globally (Discord may take a while)"
            return f"synced commands to guild {settings.dev_guild_id}"
    except discord.LoginFailure:
        raise ConfigError("DISCORD_TOKEN was rejected by Discord") from None
