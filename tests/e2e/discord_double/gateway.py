"""The Gateway (websocket) side of the double: HELLO, IDENTIFY/READY, heartbeats, RESUME.

https://discord.com/developers/docs/events/gateway

One session per IDENTIFY. Sharding as on Discord
(https://discord.com/developers/docs/events/gateway#sharding): IDENTIFY carries
`shard: [id, count]` (none means [0, 1]); a guild belongs to shard
`(guild_id >> 22) % count`, so READY and GUILD_CREATE for a shard carry only its guilds,
each guild's events go out on its shard's connection only, and events outside any guild
(DMs) on shard 0. A shard array that is no [id, count] with 0 ≤ id < count closes 4010;
more guilds than `guilds_per_shard` times the count closes 4011 (sharding required).
Every dispatch gets the session's next sequence number and is
kept in a replay buffer, so a client that lost its socket can RESUME and receive what it
missed, as on Discord. Frames are written by one writer task per connection to keep order.

The gateway's own rules, with the close codes Discord documents
(https://discord.com/developers/docs/topics/opcodes-and-status-codes#gateway-gateway-close-event-codes):
a payload other than HEARTBEAT, IDENTIFY or RESUME before identifying → 4003; more than
120 payloads in 60 seconds → 4008; intents missing or with undocumented bits → 4013;
privileged intents not switched on in the (imaginary) developer portal → 4014; an invalid
shard → 4010; too few shards for the guilds → 4011; no
heartbeat for the heartbeat interval (plus a leeway) → 4009 and the session is gone. Each
such close is a `gateway-closed` problem. The 60 s window and the heartbeat timeout count
time on `DiscordDouble.monotonic`, which a test may replace to move time.
Asking for the whole member list (op 8 with an empty query) needs the GUILD_MEMBERS
intent; without it Discord sends nothing back, and the double records the request.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
import uuid
import zlib
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from aiohttp import WSMsgType, web

from .snowflakes import shard_for

if TYPE_CHECKING:
    from .server import DiscordDouble

log = logging.getLogger("discord_double.gateway")

DISPATCH, HEARTBEAT, IDENTIFY, PRESENCE_UPDATE, VOICE_STATE_UPDATE = 0, 1, 2, 3, 4
RESUME, RECONNECT, REQUEST_GUILD_MEMBERS, INVALID_SESSION, HELLO, HEARTBEAT_ACK = (
    6,
    7,
    8,
    9,
    10,
    11,
)
HEARTBEAT_INTERVAL_MS = 41_250
# Discord does not publish how late a heartbeat may be; a client heartbeating on time is
# never later than the interval plus its own latency.
HEARTBEAT_LEEWAY_S = 5.0
HEARTBEAT_TIMEOUT_S = HEARTBEAT_INTERVAL_MS / 1000 + HEARTBEAT_LEEWAY_S
# https://discord.com/developers/docs/events/gateway#rate-limiting
SEND_LIMIT = 120
SEND_WINDOW_S = 60.0
# Op 8 answers at most 1000 members per chunk, and 100 for a query or a list of user ids.
# https://discord.com/developers/docs/events/gateway-events#request-guild-members
CHUNK_SIZE = 1000
QUERY_LIMIT = 100
REPLAY_BUFFER = 2_000

NOT_AUTHENTICATED, RATE_LIMITED, SESSION_TIMED_OUT = 4003, 4008, 4009
INVALID_SHARD, SHARDING_REQUIRED = 4010, 4011
INVALID_INTENTS, DISALLOWED_INTENTS = 4013, 4014
# Discord requires sharding from 2 500 guilds on (a test may lower it to see 4011).
GUILDS_PER_SHARD = 2_500
# Events about a guild whose id is the payload's own `id` rather than a `guild_id`.
_GUILD_OBJECT_EVENTS = frozenset({"GUILD_CREATE", "GUILD_UPDATE", "GUILD_DELETE"})

# Gateway intents, https://discord.com/developers/docs/events/gateway#list-of-intents
GUILDS = 1 << 0
GUILD_MEMBERS = 1 << 1
GUILD_MESSAGES = 1 << 9
DIRECT_MESSAGES = 1 << 12
MESSAGE_CONTENT = 1 << 15
GUILD_SCHEDULED_EVENTS = 1 << 16
PRIVILEGED = GUILD_MEMBERS | (1 << 8) | MESSAGE_CONTENT
# Every documented intent: bits 0–16, 20–21 (auto moderation), 24–25 (polls).
ALL_INTENTS = (1 << 17) - 1 | (1 << 20) | (1 << 21) | (1 << 24) | (1 << 25)
# What may be sent before IDENTIFY (or RESUME) without a 4003 close.
_BEFORE_IDENTIFY = frozenset({HEARTBEAT, IDENTIFY, RESUME})

_EVENT_INTENTS = {
    "GUILD_CREATE": GUILDS,
    "GUILD_UPDATE": GUILDS,
    "GUILD_ROLE_CREATE": GUILDS,
    "GUILD_ROLE_UPDATE": GUILDS,
    "GUILD_ROLE_DELETE": GUILDS,
    "CHANNEL_CREATE": GUILDS,
    "CHANNEL_UPDATE": GUILDS,
    "CHANNEL_DELETE": GUILDS,
    "THREAD_CREATE": GUILDS,
    "THREAD_UPDATE": GUILDS,
    "THREAD_DELETE": GUILDS,
    "THREAD_MEMBER_UPDATE": GUILDS,
    "GUILD_MEMBER_ADD": GUILD_MEMBERS,
    "GUILD_MEMBER_UPDATE": GUILD_MEMBERS,
    "GUILD_MEMBER_REMOVE": GUILD_MEMBERS,
    "GUILD_SCHEDULED_EVENT_CREATE": GUILD_SCHEDULED_EVENTS,
    "GUILD_SCHEDULED_EVENT_UPDATE": GUILD_SCHEDULED_EVENTS,
    "GUILD_SCHEDULED_EVENT_DELETE": GUILD_SCHEDULED_EVENTS,
}
_MESSAGE_EVENTS = frozenset({"MESSAGE_CREATE", "MESSAGE_UPDATE", "MESSAGE_DELETE"})


@dataclass
class Frame:
    payload: dict[str, Any]
    # Called with the monotonic time the frame was actually written (interaction timing).
    on_sent: Callable[[float], None] | None = None


@dataclass
class Session:
    id: str
    intents: int
    # [shard id, shard count] from IDENTIFY.
    shard: tuple[int, int] = (0, 1)
    seq: int = 0
    buffer: deque[tuple[int, dict[str, Any]]] = field(
        default_factory=lambda: deque(maxlen=REPLAY_BUFFER)
    )
    connection: Connection | None = None
    resumed: asyncio.Event = field(default_factory=asyncio.Event)
    # Dispatches replayed or queued while the socket was away, e.g. for assertions.
    missed: int = 0


class Connection:
    """One websocket: its compression context and its ordered writer."""

    def __init__(self, ws: web.WebSocketResponse, compress: str | None, now: float) -> None:
        self.ws = ws
        # For the heartbeat timeout: HELLO starts the first interval.
        self.last_heartbeat = now
        # When the client's recent payloads arrived, for the 120-per-60-s limit.
        self.received: deque[float] = deque()
        self.queue: asyncio.Queue[Frame | None] = asyncio.Queue()
        self.session: Session | None = None
        self._zlib = zlib.compressobj() if compress == "zlib-stream" else None
        self.writer = asyncio.create_task(self._write(), name="discord-double-ws-writer")
        self.closing = False

    @property
    def compressed(self) -> bool:
        return self._zlib is not None

    def encode(self, payload: dict[str, Any]) -> str | bytes:
        text = json.dumps(payload, separators=(",", ":"), ensure_ascii=False)
        if self._zlib is None:
            return text
        # zlib-stream: one shared context, each message ends with a Z_SYNC_FLUSH marker.
        return self._zlib.compress(text.encode()) + self._zlib.flush(zlib.Z_SYNC_FLUSH)

    def send(self, frame: Frame) -> None:
        if not self.closing:
            self.queue.put_nowait(frame)

    async def _write(self) -> None:
        while True:
            frame = await self.queue.get()
            if frame is None or self.ws.closed:
                return
            data = self.encode(frame.payload)
            try:
                if isinstance(data, bytes):
                    await self.ws.send_bytes(data)
                else:
                    await self.ws.send_str(data)
            except (ConnectionError, RuntimeError):
                return
            if frame.on_sent is not None:
                frame.on_sent(time.monotonic())

    async def close(self, code: int) -> None:
        self.closing = True
        self.queue.put_nowait(None)
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self.writer, 1)
        with contextlib.suppress(Exception):
            await self.ws.close(code=code)


class Gateway:
    def __init__(self, double: DiscordDouble) -> None:
        self.double = double
        # Resumable sessions by id, and the bot's current session for each shard id.
        self.sessions: dict[str, Session] = {}
        self.shards: dict[int, Session] = {}
        # The shard count of the current sessions, and the count GET /gateway/bot
        # recommends (discord.py's AutoShardedBot starts that many without a count).
        self.shard_count = 1
        self.recommended_shards = 1
        self.guilds_per_shard = GUILDS_PER_SHARD
        self.connections: set[Connection] = set()
        self.identified = asyncio.Event()
        self.identify_count = 0
        self.resume_count = 0
        # The privileged intents switched on in the developer portal: IDENTIFY asking for
        # others fails with 4014, and the REST member list needs GUILD_MEMBERS here.
        self.allowed_privileged_intents = PRIVILEGED
        # Connections closed by the gateway's rules, as (close code, reason), for tests.
        self.closed_by_rule: list[tuple[int, str]] = []
        self._watcher: asyncio.Task[None] | None = None

    def start(self) -> None:
        """Starts the watch on silent connections (the heartbeat timeout)."""
        self._watcher = asyncio.create_task(self._watch(), name="discord-double-heartbeats")

    async def _watch(self) -> None:
        while True:
            await asyncio.sleep(1.0)
            await self.expire_silent()

    async def expire_silent(self) -> None:
        """Closes (4009) every connection without a heartbeat for HEARTBEAT_TIMEOUT_S on
        the double's monotonic clock; its session can't be resumed. Tests that move that
        clock call this instead of waiting for the watch."""
        now = self.double.monotonic()
        for conn in list(self.connections):
            if not conn.closing and now - conn.last_heartbeat > HEARTBEAT_TIMEOUT_S:
                if conn.session is not None:
                    self._forget(conn.session)
                await self._refuse(conn, SESSION_TIMED_OUT, "no heartbeat within the interval")

    def session(self, shard_id: int = 0) -> Session | None:
        """The bot's current session on a shard (the only one when it does not shard)."""
        return self.shards.get(shard_id)

    def _forget(self, session: Session) -> None:
        self.sessions.pop(session.id, None)
        if self.shards.get(session.shard[0]) is session:
            del self.shards[session.shard[0]]

    async def _refuse(self, conn: Connection, code: int, reason: str) -> None:
        # discord.py comes back after most of these, but Discord counts them against the
        # bot (repeated 4008s cost its API access): a story must not cause one unnoticed.
        self.double.problem("gateway-closed", f"{code}: {reason}")
        self.closed_by_rule.append((code, reason))
        await conn.close(code)

    # websocket endpoint ------------------------------------------------------------------

    async def handle(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(max_msg_size=0, autoping=True)
        await ws.prepare(request)
        compress = request.query.get("compress")
        # zstd-stream would need the zstandard package; send plain text frames then, which
        # discord.py accepts whatever it asked for (it only decompresses binary frames).
        conn = Connection(
            ws, compress if compress == "zlib-stream" else None, self.double.monotonic()
        )
        if request.query.get("encoding", "json") != "json":
            await conn.close(4002)
            return ws
        self.connections.add(conn)
        conn.send(
            Frame(
                {
                    "op": HELLO,
                    "d": {"heartbeat_interval": HEARTBEAT_INTERVAL_MS},
                    "s": None,
                    "t": None,
                }
            )
        )
        try:
            async for msg in ws:
                if msg.type is not WSMsgType.TEXT:
                    if msg.type is WSMsgType.BINARY:
                        await conn.close(4002)  # we only speak JSON text from clients
                    break
                await self._on_message(conn, json.loads(msg.data))
        finally:
            self.connections.discard(conn)
            conn.closing = True
            conn.queue.put_nowait(None)
            if conn.session is not None and conn.session.connection is conn:
                conn.session.connection = None
        return ws

    async def _on_message(self, conn: Connection, msg: dict[str, Any]) -> None:
        op = msg.get("op")
        data = msg.get("d")
        if self._over_send_limit(conn):
            await self._refuse(conn, RATE_LIMITED, f"more than {SEND_LIMIT} payloads in 60 s")
            return
        if conn.session is None and op not in _BEFORE_IDENTIFY:
            await self._refuse(conn, NOT_AUTHENTICATED, f"op {op} before IDENTIFY")
            return
        if op == HEARTBEAT:
            conn.last_heartbeat = self.double.monotonic()
            conn.send(Frame({"op": HEARTBEAT_ACK, "d": None, "s": None, "t": None}))
        elif op == IDENTIFY:
            await self._identify(conn, data or {})
        elif op == RESUME:
            await self._resume(conn, data or {})
        elif op == REQUEST_GUILD_MEMBERS:
            self._chunk(conn, data or {})
        elif op in (PRESENCE_UPDATE, VOICE_STATE_UPDATE):
            pass
        else:
            log.warning("unknown gateway opcode %s", op)
            await conn.close(4001)

    def _over_send_limit(self, conn: Connection) -> bool:
        now = self.double.monotonic()
        conn.received.append(now)
        while conn.received and now - conn.received[0] >= SEND_WINDOW_S:
            conn.received.popleft()
        return len(conn.received) > SEND_LIMIT

    async def _identify(self, conn: Connection, data: dict[str, Any]) -> None:
        if conn.session is not None:
            await conn.close(4005)  # already authenticated
            return
        if data.get("token") != self.double.token:
            await conn.close(4004)  # authentication failed
            return
        intents = data.get("intents")
        if not isinstance(intents, int) or isinstance(intents, bool) or intents & ~ALL_INTENTS:
            await self._refuse(conn, INVALID_INTENTS, f"invalid intents {intents!r}")
            return
        if intents & PRIVILEGED & ~self.allowed_privileged_intents:
            await self._refuse(conn, DISALLOWED_INTENTS, f"disallowed intents {intents}")
            return
        shard = _shard_array(data.get("shard", [0, 1]))
        if shard is None:
            await self._refuse(conn, INVALID_SHARD, f"invalid shard {data.get('shard')!r}")
            return
        shard_id, count = shard
        all_guilds = self.double.state.guilds.values()
        if len(all_guilds) > self.guilds_per_shard * count:
            reason = f"{len(all_guilds)} guilds on {count} shard(s)"
            await self._refuse(conn, SHARDING_REQUIRED, reason)
            return
        await self._replace_sessions(shard_id, count, conn)
        session = Session(id=uuid.uuid4().hex, intents=intents, shard=shard)
        self.sessions[session.id] = session
        self.shards[shard_id] = session
        self.shard_count = count
        session.connection = conn
        conn.session = session
        self.identify_count += 1
        payloads = self.double.payloads
        guilds = [g for g in all_guilds if shard_for(g.id, count) == shard_id]
        ready = {
            "v": 10,
            "user": payloads.client_user(self.double.bot_user),
            "guilds": [{"id": str(g.id), "unavailable": True} for g in guilds],
            "session_id": session.id,
            "resume_gateway_url": self.double.gateway_url,
            "shard": list(shard),
            "application": {"id": str(self.double.application_id), "flags": 0},
            "private_channels": [],
            "relationships": [],
            "presences": [],
            "guild_join_requests": [],
            "geo_ordered_rtc_regions": [],
            "user_settings": {},
            "session_type": "normal",
            "auth": {},
        }
        self._dispatch_to(session, "READY", ready)
        all_members = bool(intents & GUILD_MEMBERS)
        for guild in guilds:
            data = payloads.guild_create(guild, all_members=all_members)
            self._dispatch_to(session, "GUILD_CREATE", data)
        self.identified.set()

    async def _replace_sessions(self, shard_id: int, count: int, conn: Connection) -> None:
        """A new IDENTIFY replaces the session the bot had on that shard (e.g. after a
        restart); with another shard count, every session it had."""
        replaced = list(self.shards.values()) if count != self.shard_count else []
        if shard_id in self.shards:
            replaced.append(self.shards[shard_id])
        for old in replaced:
            self._forget(old)
            if old.connection not in (None, conn):
                assert old.connection is not None
                await old.connection.close(1000)

    async def _resume(self, conn: Connection, data: dict[str, Any]) -> None:
        session = self.sessions.get(str(data.get("session_id")))
        if session is None or data.get("token") != self.double.token:
            # d=false: not resumable, the client must IDENTIFY again.
            conn.send(Frame({"op": INVALID_SESSION, "d": False, "s": None, "t": None}))
            return
        last = data.get("seq") or 0
        session.connection = conn
        conn.session = session
        self.resume_count += 1
        for seq, payload in list(session.buffer):
            if seq > last:
                session.missed += 1
                conn.send(Frame(payload))
        self._dispatch_to(session, "RESUMED", {})
        session.resumed.set()

    def _chunk(self, conn: Connection, data: dict[str, Any]) -> None:
        session = conn.session
        assert session is not None  # _on_message closed the connection otherwise
        guild = self.double.state.guilds.get(int(data.get("guild_id", 0)))
        if guild is None:
            return
        if shard_for(guild.id, session.shard[1]) != session.shard[0]:
            self.double.problem(
                "invalid-request",
                f"REQUEST_GUILD_MEMBERS for guild {guild.id} on shard {session.shard[0]}, "
                "which does not carry it",
            )
            return
        members = sorted(guild.members.values(), key=lambda m: m.user_id)
        wanted = [int(u) for u in data.get("user_ids") or []]
        query = data.get("query") or ""
        limit = int(data.get("limit") or 0)
        if not wanted and not query and not session.intents & GUILD_MEMBERS:
            # "GUILD_MEMBERS intent is required to request the entire member list":
            # Discord answers nothing at all, so a client waiting for the chunk hangs.
            self.double.problem(
                "invalid-request",
                "REQUEST_GUILD_MEMBERS for the whole member list without the GUILD_MEMBERS "
                "intent (Discord sends no GUILD_MEMBERS_CHUNK)",
            )
            return
        if wanted:
            found = {m.user_id for m in members}
            members = [m for m in members if m.user_id in set(wanted)][:QUERY_LIMIT]
            not_found = [str(u) for u in wanted if u not in found]
        else:
            not_found = []
            if query:
                users = self.double.state.users
                members = [m for m in members if users[m.user_id].username.startswith(query)]
                members = members[: min(limit or QUERY_LIMIT, QUERY_LIMIT)]
            elif limit:
                members = members[:limit]
        parts = [members[i : i + CHUNK_SIZE] for i in range(0, len(members), CHUNK_SIZE)]
        for index, part in enumerate(parts or [[]]):
            chunk: dict[str, Any] = {
                "guild_id": str(guild.id),
                "members": [self.double.payloads.member(m) for m in part],
                "chunk_index": index,
                "chunk_count": len(parts or [[]]),
            }
            if not_found and index == 0:
                chunk["not_found"] = not_found
            if data.get("nonce"):
                chunk["nonce"] = data["nonce"]
            self._dispatch_to(session, "GUILD_MEMBERS_CHUNK", chunk)

    # dispatching -------------------------------------------------------------------------

    def dispatch(
        self, event: str, data: dict[str, Any], *, on_sent: Callable[[float], None] | None = None
    ) -> bool:
        """Sends an event to the session of the shard that carries its guild (shard 0 for
        events outside guilds); False when there is none or the bot's intents filter it out.

        While the socket is away (dropped, reconnecting) the event is only buffered and is
        delivered on RESUME, as Discord does.
        """
        session = self.shards.get(self._shard_of(event, data))
        if session is None:
            return False
        data = self._apply_intents(session, event, data)
        if data is None:
            return False
        self._dispatch_to(session, event, data, on_sent=on_sent)
        return True

    def _shard_of(self, event: str, data: dict[str, Any]) -> int:
        guild_id = data.get("guild_id")
        if guild_id is None and event in _GUILD_OBJECT_EVENTS:
            guild_id = data.get("id")
        return 0 if guild_id is None else shard_for(int(guild_id), self.shard_count)

    def _dispatch_to(
        self,
        session: Session,
        event: str,
        data: dict[str, Any],
        *,
        on_sent: Callable[[float], None] | None = None,
    ) -> None:
        session.seq += 1
        payload = {"op": DISPATCH, "t": event, "s": session.seq, "d": data}
        session.buffer.append((session.seq, payload))
        if session.connection is not None and not session.connection.closing:
            session.connection.send(Frame(payload, on_sent))
        else:
            session.missed += 1

    def _apply_intents(
        self, session: Session, event: str, data: dict[str, Any]
    ) -> dict[str, Any] | None:
        intents = session.intents
        needed = _EVENT_INTENTS.get(event)
        if needed is not None and not intents & needed:
            return None
        if event in _MESSAGE_EVENTS:
            in_guild = "guild_id" in data
            if not intents & (GUILD_MESSAGES if in_guild else DIRECT_MESSAGES):
                return None
            if event != "MESSAGE_DELETE" and not intents & MESSAGE_CONTENT:
                return self._strip_content(data, in_guild)
        return data

    def _strip_content(self, data: dict[str, Any], in_guild: bool) -> dict[str, Any]:
        # Without MESSAGE_CONTENT a bot still sees content in DMs, in messages that mention
        # it and in its own messages; everywhere else the fields arrive empty.
        bot_id = str(self.double.bot_user.id)
        author = (data.get("author") or {}).get("id")
        mentioned = any(m.get("id") == bot_id for m in data.get("mentions") or [])
        if not in_guild or author == bot_id or mentioned:
            return data
        stripped = {**data, "content": "", "embeds": [], "attachments": [], "components": []}
        stripped.pop("poll", None)
        return stripped

    # test controls -----------------------------------------------------------------------

    def drop(self, *, resumable: bool = True, shard_id: int = 0) -> None:
        """Cuts the bot's socket (of one shard) the way a network failure would; by default
        the session stays resumable, otherwise RESUME will be refused with INVALID_SESSION."""
        session = self.shards.get(shard_id)
        if session is None or session.connection is None:
            raise RuntimeError(f"the bot has no open gateway connection on shard {shard_id}")
        if not resumable:
            self._forget(session)
        conn = session.connection
        session.connection = None
        session.resumed.clear()
        conn.closing = True
        # 4000 "unknown error" is a close code discord.py answers with RESUME.
        asyncio.get_running_loop().create_task(conn.close(4000))

    async def close_all(self) -> None:
        if self._watcher is not None:
            self._watcher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._watcher
            self._watcher = None
        for conn in list(self.connections):
            await conn.close(1001)


def _shard_array(value: object) -> tuple[int, int] | None:
    """IDENTIFY's `shard`: [shard id, shard count] with 0 ≤ id < count, else None."""
    if not isinstance(value, list | tuple) or len(value) != 2:
        return None
    if not all(isinstance(n, int) and not isinstance(n, bool) for n in value):
        return None
    shard_id, count = value
    return (shard_id, count) if 0 <= shard_id < count else None
