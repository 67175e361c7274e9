"""Sharding stories: the real PodajBot over two gateway shards (SHARD_COUNT) through the
Discord double, which hands each guild to shard `(guild_id >> 22) % shard_count` as Discord
does. Four servers, two on each shard; commands answered in every one; a channel reminder in
a server on shard 1 arrives on time; a restart brings both shards back with it intact."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import discord
import pytest

from bot.config import Settings
from cogs.client import ShardedPodajBot, sync_commands

from .bots import BOTS, BotContext, make_clock
from .discord_double import DiscordDouble
from .discord_double import state as st
from .discord_double.guild import SeededGuild
from .discord_double.harness import Harness, point_discord_at
from .discord_double.ratelimits import STORY_TIME_SCALE
from .discord_double.snowflakes import shard_for

SHARDS = 2
NAMES = ("Biblioteki Pomorza", "Biblioteki Śląska", "Biblioteki Mazowsza")
# Shaped like a bot token (three parts), so `python -m bot sync`'s own check lets it through.
TOKEN = "podaj.test.token"


class Network:
    """The harness and the four servers, by name, each with the shard that carries it."""

    def __init__(self, dc: Harness, servers: dict[str, SeededGuild]) -> None:
        self.dc = dc
        self.servers = servers

    def shard(self, name: str) -> int:
        return shard_for(self.servers[name].guild_id, SHARDS)

    def on_shard(self, shard_id: int) -> list[str]:
        return [name for name in self.servers if self.shard(name) == shard_id]

    def general(self, name: str) -> st.Channel:
        return self.dc.double.state.channels[self.servers[name].channel_ids["general"]]


def four_servers(double: DiscordDouble) -> dict[str, SeededGuild]:
    """The seeded server and three more, so that each of the two shards carries two."""
    servers = {double.state.guilds[double.seeded.guild_id].name: double.seeded}
    names = iter(NAMES)
    for shard_id in range(SHARDS):
        while sum(shard_for(s.guild_id, SHARDS) == shard_id for s in servers.values()) < 2:
            name = next(names)
            servers[name] = double.add_guild(name, shard=(shard_id, SHARDS))
    return servers


@pytest.fixture
async def double() -> AsyncIterator[DiscordDouble]:
    d = DiscordDouble(token=TOKEN)
    await d.start()
    restore = point_discord_at(d)
    try:
        yield d
    finally:
        restore()
        await d.stop()


async def _network(
    double: DiscordDouble, tmp_path: Path, *, subprocess: bool
) -> AsyncIterator[Network]:
    servers = four_servers(double)
    clock = make_clock()
    double.clock = clock.now
    double.enforce_rate_limits(time_scale=STORY_TIME_SCALE)
    db_path = tmp_path / "bot.sqlite3"
    # The operator registered the commands for every server once (`python -m bot sync`).
    once = Settings(discord_token=TOKEN, database_path=db_path, _env_file=None)
    await sync_commands(once, everywhere=True)
    ctx = BotContext(
        db_path=db_path,
        guild_id=double.seeded.guild_id,
        clock=clock,
        token=TOKEN,
        shard_count=SHARDS,
    )
    dc = Harness(double, BOTS["podaj"], ctx, workdir=tmp_path, subprocess=subprocess)
    try:
        await dc.start()
        yield Network(dc, servers)
    finally:
        await dc.close()
    dc.check()


@pytest.fixture
async def network(double: DiscordDouble, tmp_path: Path) -> AsyncIterator[Network]:
    async for network in _network(double, tmp_path, subprocess=False):
        yield network


@pytest.fixture
async def network_proc(double: DiscordDouble, tmp_path: Path) -> AsyncIterator[Network]:
    async for network in _network(double, tmp_path, subprocess=True):
        yield network


async def help_in(network: Network, name: str) -> str:
    """What /help shows Anna in a server's #general (its embeds' text)."""
    resp = await network.dc.slash("anna", "help", in_channel=network.general(name))
    assert resp.ephemeral, name
    return resp.text + "".join(str(e.get("description", "")) for e in resp.embeds)


async def answered_everywhere(network: Network) -> None:
    for name in network.servers:
        assert await help_in(network, name), name


def assert_each_guild_on_its_shard(double: DiscordDouble) -> None:
    """READY lists only the shard's guilds, and every event about a guild went out on the
    connection of the shard that carries it."""
    sessions = {shard_id: double.gateway.session(shard_id) for shard_id in range(SHARDS)}
    for shard_id, session in sessions.items():
        assert session is not None and session.shard == (shard_id, SHARDS)
        for _seq, payload in session.buffer:
            data = payload["d"]
            if payload["t"] == "READY":
                guilds = [int(g["id"]) for g in data["guilds"]]
                assert guilds and all(shard_for(g, SHARDS) == shard_id for g in guilds)
            guild_id = data.get("guild_id") or (
                data.get("id") if payload["t"] == "GUILD_CREATE" else None
            )
            if guild_id is not None:
                assert shard_for(int(guild_id), SHARDS) == shard_id, payload["t"]


async def test_two_shards_over_four_servers_answer_remind_and_survive_a_restart(
    network: Network,
) -> None:
    dc = network.dc
    bot = dc.bot
    assert isinstance(bot, ShardedPodajBot) and bot.shard_count == SHARDS
    assert sorted(bot.shards) == [0, 1]
    assert [len(network.on_shard(s)) for s in range(SHARDS)] == [2, 2]
    for name, server in network.servers.items():
        guild = bot.get_guild(server.guild_id)
        assert guild is not None and guild.shard_id == network.shard(name)
    assert dc.double.gateway.identify_count == SHARDS
    await answered_everywhere(network)

    # A board on shard 1 (not the one commands are developed in) sets a daily reminder.
    board = next(n for n in network.on_shard(1) if n != "Podaj dalej test")
    where = network.general(board)
    set_ = await dc.slash(
        "admin", "remind channel", in_channel=where, when="za 2 godziny", what="Zebranie zarządu",
        every="codziennie",
    )  # fmt: skip
    assert set_.ephemeral

    await dc.advance("1h59m")
    assert dc.messages(where) == []
    await dc.advance("1m")
    [post] = dc.messages(where)
    assert "Zebranie zarządu" in post.content
    assert all(dc.messages(network.general(n)) == [] for n in network.servers if n != board)
    assert_each_guild_on_its_shard(dc.double)

    await dc.restart()  # a new client: both shards IDENTIFY again, the database is the same
    bot = dc.bot
    assert isinstance(bot, ShardedPodajBot) and bot.shard_count == SHARDS
    assert dc.double.gateway.identify_count == 2 * SHARDS
    assert all(bot.get_guild(s.guild_id) is not None for s in network.servers.values())
    await answered_everywhere(network)
    for name in network.servers:  # the reminder is still set, in its own server only
        listed = await dc.slash(
            "admin", "remind list", in_channel=network.general(name), channel="#general"
        )
        assert ("Zebranie zarządu" in listed.text) == (name == board), name

    await dc.advance("1d")
    assert [m.content for m in dc.messages(where)] == [post.content] * 2
    assert_each_guild_on_its_shard(dc.double)


async def test_a_killed_sharded_process_comes_back_on_both_shards(network_proc: Network) -> None:
    dc = network_proc.dc
    gateway = dc.double.gateway
    assert sorted(gateway.shards) == [0, 1] and gateway.shard_count == SHARDS
    board = network_proc.on_shard(0)[0]
    where = network_proc.general(board)
    await dc.slash("admin", "remind channel", in_channel=where, when="za 30 minut", what="Kawa")

    await dc.kill_and_restart()  # SIGKILL: no goodbye; a new process IDENTIFYs both shards
    assert gateway.identify_count == 2 * SHARDS and sorted(gateway.shards) == [0, 1]
    await answered_everywhere(network_proc)
    await dc.advance("30m")
    [post] = dc.messages(where)
    assert "Kawa" in post.content
    assert_each_guild_on_its_shard(dc.double)


async def test_auto_asks_discord_for_the_recommended_count(
    double: DiscordDouble, tmp_path: Path
) -> None:
    four_servers(double)
    double.gateway.recommended_shards = SHARDS
    clock = make_clock()
    double.clock = clock.now
    ctx = BotContext(
        db_path=tmp_path / "bot.sqlite3",
        guild_id=double.seeded.guild_id,
        clock=clock,
        token=TOKEN,
        shard_count="auto",
    )
    dc = Harness(double, BOTS["podaj"], ctx, workdir=tmp_path)
    try:
        await dc.start()
        assert dc.bot.shard_count == SHARDS
        assert "GET /gateway/bot" in [r.route for r in double.state.requests]
        assert (await dc.slash("anna", "help")).embeds
    finally:
        await dc.close()
    dc.check()


async def test_too_few_shards_for_the_servers_stop_the_start(
    double: DiscordDouble, tmp_path: Path
) -> None:
    """Discord closes with 4011 (sharding required) when a shard would carry too many
    guilds; discord.py does not reconnect after it, so the start fails."""
    four_servers(double)
    double.gateway.guilds_per_shard = 2
    client = discord.Client(intents=discord.Intents.none())
    try:
        with pytest.raises(discord.ConnectionClosed) as closed:
            await client.start(TOKEN)
    finally:
        await client.close()
    assert closed.value.code == 4011
    assert double.gateway.closed_by_rule == [(4011, "4 guilds on 1 shard(s)")]
