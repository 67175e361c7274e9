"""The Gateway (websocket) side of the double: HELLO, IDENTIFY/READY, heartbeats, RESUME.

https://discord.com/developers/docs/events/gateway

One session per IDENTIFY. Every dispatch gets the session's next sequence number and is
kept in a replay buffer, so a client that lost its socket can RESUME and receive what it
missed, as on Discord. Frames are written by one writer task per connection to keep order.
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
REPLAY_BUFFER = 2_000

# Gateway intents, https://discord.com/developers/docs/events/gateway#list-of-intents
GUILDS = 1 << 0
GUILD_MEMBERS = 1 << 1
GUILD_MESSAGES = 1 << 9
DIRECT_MESSAGES = 1 << 12
MESSAGE_CONTENT = 1 << 15
GUILD_SCHEDULED_EVENTS = 1 << 16
PRIVILEGED = GUILD_MEMBERS | (1 << 8) | MESSAGE_CONTENT

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

    def __init__(self, ws: web.WebSocketResponse, compress: str | None) -> None:
        self.ws = ws
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
        self.sessions: dict[str, Session] = {}
        self.current: Session | None = None
        self.connections: set[Connection] = set()
        self.identified = asyncio.Event()
        self.identify_count = 0
        self.resume_count = 0
        # Set by the double to make the next IDENTIFY fail, e.g. to test privileged intents.
        self.allowed_privileged_intents = PRIVILEGED

    # websocket endpoint ------------------------------------------------------------------

    async def handle(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(max_msg_size=0, autoping=True)
        await ws.prepare(request)
        compress = request.query.get("compress")
        # zstd-stream would need the zstandard package; send plain text frames then, which
        # discord.py accepts whatever it asked for (it only decompresses binary frames).
        conn = Connection(ws, compress if compress == "zlib-stream" else None)
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
        if op == HEARTBEAT:
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

    async def _identify(self, conn: Connection, data: dict[str, Any]) -> None:
        if conn.session is not None:
            await conn.close(4005)  # already authenticated
            return
        if data.get("token") != self.double.token:
            await conn.close(4004)  # authentication failed
            return
        intents = int(data.get("intents", 0))
        if intents & PRIVILEGED & ~self.allowed_privileged_intents:
            await conn.close(4014)  # disallowed intents
            return
        # A new IDENTIFY replaces whatever session the bot had (e.g. after a restart).
        if self.current is not None and self.current.connection not in (None, conn):
            old = self.current.connection
            assert old is not None
            await old.close(1000)
        session = Session(id=uuid.uuid4().hex, intents=intents)
        self.sessions = {session.id: session}
        self.current = session
        session.connection = conn
        conn.session = session
        self.identify_count += 1
        payloads = self.double.payloads
        ready = {
            "v": 10,
            "user": payloads.client_user(self.double.bot_user),
            "guilds": [{"id": str(g), "unavailable": True} for g in self.double.state.guilds],
            "session_id": session.id,
            "resume_gateway_url": self.double.gateway_url,
            "shard": data.get("shard") or [0, 1],
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
        for guild in self.double.state.guilds.values():
            data = payloads.guild_create(guild, all_members=all_members)
            self._dispatch_to(session, "GUILD_CREATE", data)
        self.identified.set()

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
        if conn.session is None:
            return
        guild = self.double.state.guilds.get(int(data.get("guild_id", 0)))
        if guild is None:
            return
        members = list(guild.members.values())
        wanted = data.get("user_ids")
        if wanted:
            ids = {int(u) for u in wanted}
            members = [m for m in members if m.user_id in ids]
        query = data.get("query")
        if query:
            users = self.double.state.users
            members = [m for m in members if users[m.user_id].username.startswith(query)]
        chunk: dict[str, Any] = {
            "guild_id": str(guild.id),
            "members": [self.double.payloads.member(m) for m in members],
            "chunk_index": 0,
            "chunk_count": 1,
        }
        if data.get("nonce"):
            chunk["nonce"] = data["nonce"]
        self._dispatch_to(conn.session, "GUILD_MEMBERS_CHUNK", chunk)

    # dispatching -------------------------------------------------------------------------

    def dispatch(
        self, event: str, data: dict[str, Any], *, on_sent: Callable[[float], None] | None = None
    ) -> bool:
        """Sends an event to the bot's session; False when the bot's intents filter it out.

        While the socket is away (dropped, reconnecting) the event is only buffered and is
        delivered on RESUME, as Discord does.
        """
        session = self.current
        if session is None:
            return False
        data = self._apply_intents(session, event, data)
        if data is None:
            return False
        self._dispatch_to(session, event, data, on_sent=on_sent)
        return True

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

    def drop(self, *, resumable: bool = True) -> None:
        """Cuts the bot's socket the way a network failure would; by default the session
        stays resumable, otherwise RESUME will be refused with INVALID_SESSION."""
        session = self.current
        if session is None or session.connection is None:
            raise RuntimeError("the bot has no open gateway connection to drop")
        if not resumable:
            self.sessions.pop(session.id, None)
            self.current = None
        conn = session.connection
        session.connection = None
        session.resumed.clear()
        conn.closing = True
        # 4000 "unknown error" is a close code discord.py answers with RESUME.
        asyncio.get_running_loop().create_task(conn.close(4000))

    async def close_all(self) -> None:
        for conn in list(self.connections):
            await conn.close(1001)
