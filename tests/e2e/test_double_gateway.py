"""The double's gateway keeps Discord's rules: close codes, the heartbeat timeout and the
intent gate on member lists.

Each rule is proven with a raw websocket client (so the payloads are exactly what the test
sends), and where a bot meets the rule in practice, with the sample bot. Time for the
heartbeat timeout and the 120-payloads-a-minute limit is the double's `monotonic`, which
these tests replace with seconds they move themselves: nothing waits for real time.
https://discord.com/developers/docs/topics/opcodes-and-status-codes#gateway-gateway-close-event-codes
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import aiohttp
import pytest

from tests.helpers.clock import START

from .discord_double import DiscordDouble, Harness
from .discord_double.gateway import (
    DIRECT_MESSAGES,
    GUILD_MEMBERS,
    GUILD_MESSAGES,
    GUILDS,
    HEARTBEAT_TIMEOUT_S,
    MESSAGE_CONTENT,
    SEND_LIMIT,
)
from .discord_double.snowflakes import Snowflakes, shard_for

HEARTBEAT, IDENTIFY, RESUME, REQUEST_GUILD_MEMBERS = 1, 2, 6, 8
INVALID_SESSION, HEARTBEAT_ACK = 9, 11
# Within one receive, a frame the double sends at once; a bound, not a pause.
RECEIVE_S = 5.0


@dataclass
class Seconds:
    """A monotonic clock that moves only when the test says."""

    now: float = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def seconds(double: DiscordDouble) -> Seconds:
    clock = Seconds()
    double.monotonic = clock
    return clock


class Client:
    """A raw gateway connection: sends payloads, reads frames, sees the close code."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse, double: DiscordDouble) -> None:
        self.ws = ws
        self.double = double
        self.ready: dict[str, Any] = {}

    async def send(self, op: int, d: Any = None) -> None:
        await self.ws.send_str(json.dumps({"op": op, "d": d}))

    async def receive(self) -> dict[str, Any] | None:
        """The next frame, or None once the double closed the socket."""
        msg = await self.ws.receive(timeout=RECEIVE_S)
        if msg.type is not aiohttp.WSMsgType.TEXT:
            return None
        frame: dict[str, Any] = json.loads(msg.data)
        return frame

    async def identify(
        self, intents: Any = GUILDS, shard: list[int] | None = None
    ) -> dict[str, Any]:
        """IDENTIFY; returns the first GUILD_CREATE (READY when the shard carries none)."""
        data: dict[str, Any] = {"token": self.double.token, "properties": {}}
        if intents is not None:
            data["intents"] = intents
        if shard is not None:
            data["shard"] = shard
        await self.send(IDENTIFY, data)
        frame = await self.receive()
        assert frame is not None and frame["t"] == "READY", frame
        self.ready = frame
        while frame["d"]["guilds"] and (frame := await self.receive()) is not None:
            if frame["t"] == "GUILD_CREATE":
                break
        return frame or {}

    async def heartbeat(self) -> list[dict[str, Any]]:
        """Sends a heartbeat; returns the frames before its ACK. The double handles a
        connection's payloads in order, so those are all it answered to earlier ones."""
        await self.send(HEARTBEAT, None)
        return await self.frames_until_ack()

    async def frames_until_ack(self) -> list[dict[str, Any]]:
        seen = []
        while (frame := await self.receive()) is not None:
            if frame["op"] == HEARTBEAT_ACK:
                return seen
            seen.append(frame)
        raise AssertionError(f"closed with {self.ws.close_code} before the ACK; saw {seen}")

    async def closed_with(self) -> int | None:
        while await self.receive() is not None:
            pass
        return self.ws.close_code


@pytest.fixture
async def connect(double: DiscordDouble) -> AsyncIterator[Any]:
    async with aiohttp.ClientSession() as session:

        async def open_one() -> Client:
            ws = await session.ws_connect(f"{double.gateway_url}?v=10&encoding=json")
            client = Client(ws, double)
            hello = await client.receive()
            assert hello is not None and hello["op"] == 10
            return client

        yield open_one


# close codes -----------------------------------------------------------------------------


async def test_a_payload_before_identify_closes_with_4003(connect: Any) -> None:
    client = await connect()
    await client.heartbeat()  # a heartbeat before IDENTIFY is allowed

    await client.send(REQUEST_GUILD_MEMBERS, {"guild_id": "1", "query": "", "limit": 0})

    assert await client.closed_with() == 4003


async def test_more_than_120_payloads_a_minute_close_with_4008(
    connect: Any, seconds: Seconds, double: DiscordDouble
) -> None:
    client = await connect()
    await client.identify()  # payload 1
    for _ in range(SEND_LIMIT - 1):
        await client.heartbeat()
    seconds.now += 59.9

    await client.send(HEARTBEAT)  # the 121st within 60 s

    assert await client.closed_with() == 4008
    assert double.gateway.closed_by_rule[-1][0] == 4008


async def test_120_payloads_in_each_minute_are_fine(connect: Any, seconds: Seconds) -> None:
    client = await connect()
    await client.identify()
    for already in (1, 0):  # the IDENTIFY counts in the first minute
        for _ in range(SEND_LIMIT - already):
            await client.heartbeat()
            seconds.now += 0.25
        seconds.now += 60.0  # the window moves past every earlier payload

    await client.heartbeat()


@pytest.mark.parametrize("intents", [1 << 17, -1, "513", None], ids=str)
async def test_invalid_intents_close_with_4013(connect: Any, intents: Any) -> None:
    client = await connect()

    await client.send(IDENTIFY, {"token": "test-token", "properties": {}, "intents": intents})

    assert await client.closed_with() == 4013


async def test_intents_missing_from_identify_close_with_4013(connect: Any) -> None:
    client = await connect()

    await client.send(IDENTIFY, {"token": "test-token", "properties": {}})

    assert await client.closed_with() == 4013


async def test_privileged_intents_off_in_the_portal_close_with_4014(
    connect: Any, double: DiscordDouble
) -> None:
    double.gateway.allowed_privileged_intents = MESSAGE_CONTENT
    allowed = await connect()
    await allowed.identify(GUILDS | MESSAGE_CONTENT)
    refused = await connect()

    await refused.send(
        IDENTIFY, {"token": "test-token", "properties": {}, "intents": GUILDS | GUILD_MEMBERS}
    )

    assert await refused.closed_with() == 4014


# shards ----------------------------------------------------------------------------------


def test_a_guild_belongs_to_the_shard_of_its_id() -> None:
    # https://discord.com/developers/docs/events/gateway#sharding-sharding-formula
    assert shard_for(41771983423143937, 1) == 0
    assert [shard_for(n << 22, 3) for n in range(6)] == [0, 1, 2, 0, 1, 2]
    assert shard_for((7 << 22) + (1 << 22) - 1, 4) == 3  # the low 22 bits do not count
    flakes = Snowflakes(lambda: START)
    for count in (1, 2, 5):
        ids = [flakes.seed_on_shard(shard_id, count) for shard_id in reversed(range(count))]
        assert [shard_for(i, count) for i in ids] == list(reversed(range(count)))
        assert ids == sorted(ids) and flakes.next() > ids[-1]


@pytest.mark.parametrize("shard", [[2, 2], [-1, 2], [0, 0], [0], [True, 2], "0,1"], ids=str)
async def test_an_invalid_shard_closes_with_4010(connect: Any, shard: Any) -> None:
    client = await connect()

    data = {"token": "test-token", "properties": {}, "intents": GUILDS, "shard": shard}
    await client.send(IDENTIFY, data)

    assert await client.closed_with() == 4010


async def test_too_many_guilds_for_the_shards_close_with_4011(
    connect: Any, double: DiscordDouble
) -> None:
    double.add_guild("Druga sieć", shard=(0, 2))
    double.gateway.guilds_per_shard = 1
    unsharded = await connect()
    await unsharded.send(IDENTIFY, {"token": "test-token", "properties": {}, "intents": GUILDS})
    assert await unsharded.closed_with() == 4011

    sharded = await connect()
    await sharded.identify(shard=[0, 2])  # one guild on each of two shards is allowed


async def test_each_shard_carries_its_guilds_and_their_events(
    connect: Any, double: DiscordDouble
) -> None:
    seeded = double.seeded.guild_id
    seeded_shard = shard_for(seeded, 2)
    other = double.add_guild("Druga sieć", shard=(1 - seeded_shard, 2))
    double.gateway.recommended_shards = 2
    clients = [await connect(), await connect()]
    for shard_id, client in enumerate(clients):
        intents = GUILDS | GUILD_MESSAGES | DIRECT_MESSAGES | MESSAGE_CONTENT
        created = await client.identify(intents, shard=[shard_id, 2])
        assert client.ready["d"]["shard"] == [shard_id, 2]
        mine = seeded if shard_id == seeded_shard else other.guild_id
        assert [g["id"] for g in client.ready["d"]["guilds"]] == [str(mine)]
        assert created["t"] == "GUILD_CREATE" and created["d"]["id"] == str(mine)

    anna = double.state.user_by_name("anna")
    general = double.state.channels[other.channel_ids["general"]]
    double.user_says(anna, general, "dzień dobry")
    double.dispatch("MESSAGE_CREATE", {"id": "1", "channel_id": "2", "content": "DM"})

    heard = [[f["d"]["content"] for f in await c.heartbeat()] for c in clients]
    expected: list[list[str]] = [[], []]
    expected[1 - seeded_shard].append("dzień dobry")
    expected[0].append("DM")  # events outside guilds go out on shard 0
    assert heard == expected


# heartbeat timeout -------------------------------------------------------------------------


async def test_a_connection_without_heartbeats_is_closed_and_its_session_gone(
    connect: Any, seconds: Seconds, double: DiscordDouble
) -> None:
    client = await connect()
    ready = await client.identify()
    session = double.gateway.session()
    session_id = session.id if session else None
    assert ready and session_id

    seconds.now += HEARTBEAT_TIMEOUT_S - 0.5
    await double.gateway.expire_silent()
    await client.heartbeat()  # just in time: the interval starts again
    seconds.now += HEARTBEAT_TIMEOUT_S - 0.5
    await double.gateway.expire_silent()
    await client.heartbeat()
    seconds.now += HEARTBEAT_TIMEOUT_S + 0.5
    await double.gateway.expire_silent()

    assert await client.closed_with() == 4009
    again = await connect()
    await again.send(RESUME, {"token": "test-token", "session_id": session_id, "seq": 1})
    frame = await again.receive()
    assert frame is not None and frame["op"] == INVALID_SESSION and frame["d"] is False


async def test_the_bot_comes_back_after_a_heartbeat_timeout(
    sample_dc: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    seconds = Seconds()
    sample_dc.double.monotonic = seconds
    for conn in sample_dc.double.gateway.connections:
        conn.last_heartbeat = seconds.now

    async def no_identify_pause(shard_id: int | None, *, initial: bool = False) -> None:
        return None  # discord.py waits 5 s before a non-initial IDENTIFY; not here

    monkeypatch.setattr(sample_dc.bot, "before_identify_hook", no_identify_pause)
    seconds.now += HEARTBEAT_TIMEOUT_S + 1
    await sample_dc.double.gateway.expire_silent()

    await sample_dc.wait_until(
        lambda: sample_dc.double.gateway.identify_count == 2, what="a fresh IDENTIFY"
    )
    assert sample_dc.double.gateway.closed_by_rule == [(4009, "no heartbeat within the interval")]
    [closed] = sample_dc.take_problems("gateway-closed")
    assert closed.detail == "4009: no heartbeat within the interval"
    assert (await sample_dc.slash("jan", "ping")).text == "pong"


# the member list -------------------------------------------------------------------------


def request_members(double: DiscordDouble, **extra: Any) -> dict[str, Any]:
    return {"guild_id": str(double.seeded.guild_id), "limit": 0, **extra}


async def test_the_whole_member_list_needs_the_guild_members_intent(
    connect: Any, double: DiscordDouble
) -> None:
    client = await connect()
    await client.identify(GUILDS)

    await client.send(REQUEST_GUILD_MEMBERS, request_members(double, query=""))

    assert await client.heartbeat() == []
    [problem] = [p for p in double.state.problems if p.kind == "invalid-request"]
    assert "GUILD_MEMBERS" in problem.detail
    double.state.problems.clear()


async def test_the_whole_member_list_with_the_intent(connect: Any, double: DiscordDouble) -> None:
    client = await connect()
    await client.identify(GUILDS | GUILD_MEMBERS)

    await client.send(REQUEST_GUILD_MEMBERS, request_members(double, query="", nonce="n1"))

    [chunk] = await client.heartbeat()
    assert chunk["t"] == "GUILD_MEMBERS_CHUNK" and chunk["d"]["nonce"] == "n1"
    guild = double.state.guilds[double.seeded.guild_id]
    assert len(chunk["d"]["members"]) == len(guild.members)
    assert (chunk["d"]["chunk_index"], chunk["d"]["chunk_count"]) == (0, 1)


async def test_a_query_or_user_ids_need_no_intent(connect: Any, double: DiscordDouble) -> None:
    client = await connect()
    await client.identify(GUILDS)
    anna = double.seeded.user_ids["anna"]

    await client.send(REQUEST_GUILD_MEMBERS, request_members(double, query="an"))
    await client.send(REQUEST_GUILD_MEMBERS, request_members(double, user_ids=[str(anna), "42"]))

    by_query, by_ids = await client.heartbeat()
    assert [m["user"]["id"] for m in by_query["d"]["members"]] == [str(anna)]
    assert [m["user"]["id"] for m in by_ids["d"]["members"]] == [str(anna)]
    assert by_ids["d"]["not_found"] == ["42"]


async def rest(double: DiscordDouble, path: str) -> tuple[int, Any]:
    headers = {"Authorization": f"Bot {double.token}"}
    async with (
        aiohttp.ClientSession(headers=headers) as session,
        session.get(double.api_base + path) as resp,
    ):
        return resp.status, await resp.json(content_type=None)


async def test_the_rest_member_list_needs_the_intent_switched_on(double: DiscordDouble) -> None:
    guild = double.seeded.guild_id
    anna = double.seeded.user_ids["anna"]
    status, members = await rest(double, f"/guilds/{guild}/members?limit=1000")
    assert status == 200 and len(members) == len(double.state.guilds[guild].members)

    double.gateway.allowed_privileged_intents = MESSAGE_CONTENT
    status, body = await rest(double, f"/guilds/{guild}/members?limit=1000")
    assert (status, body["code"]) == (403, 50001)
    status, member = await rest(double, f"/guilds/{guild}/members/{anna}")
    assert status == 200 and member["user"]["id"] == str(anna)  # one member needs no intent
    status, app = await rest(double, "/applications/@me")
    assert app["flags"] & (1 << 18) and not app["flags"] & (1 << 14)
