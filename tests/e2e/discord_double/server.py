"""DiscordDouble: the aiohttp app serving REST (/api/v10), the Gateway (/gateway) and the CDN.

It binds 127.0.0.1 on a free port. Every request passes one middleware that counts in-flight
requests (for `settle`), injects rate limits a test asked for, checks the bot token,
turns DiscordError into Discord's error JSON, and records unknown routes as problems.
"""

from __future__ import annotations

import asyncio
import fnmatch
import logging
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from aiohttp import web

from . import openapi, ratelimits
from . import state as st
from .errors import DiscordError, missing_permissions
from .gateway import Gateway
from .guild import SeededGuild, add_guild, seed
from .http_util import Handler, Multipart, json_response, read_payload
from .messaging import Messaging
from .payloads import Payloads
from .permissions import base_permissions, bit, channel_permissions
from .rest_app import AppRoutes
from .rest_channels import ChannelRoutes
from .rest_guilds import GuildRoutes
from .rest_interactions import InteractionRoutes
from .rest_messages import MessageRoutes
from .snowflakes import Snowflakes

log = logging.getLogger("discord_double.server")

API_PREFIX = "/api/v10"
# Interaction callbacks and interaction webhooks authenticate with the token in the URL.
UNAUTHENTICATED = ("/interactions/", "/webhooks/")


@dataclass
class RateLimitRule:
    method: str | None
    pattern: str
    remaining: int
    retry_after: float
    is_global: bool
    hits: int = 0

    def matches(self, method: str, template: str, path: str) -> bool:
        return route_matches(self.method, self.pattern, method, template, path)


@dataclass
class SlowRoute:
    """Requests matching the pattern are answered only after `seconds` (a slow API)."""

    method: str | None
    pattern: str
    seconds: float
    # Requests being held back right now (a story may kill the bot while one waits).
    waiting: int = 0

    def matches(self, method: str, template: str, path: str) -> bool:
        return route_matches(self.method, self.pattern, method, template, path)


def split_pattern(pattern: str) -> tuple[str | None, str]:
    """'POST /channels/*/messages' → ('POST', '/channels/*/messages'); no method: None."""
    method, _, rest = pattern.partition(" ")
    return (method, rest) if rest else (None, pattern)


def route_matches(
    rule_method: str | None, pattern: str, method: str, template: str, path: str
) -> bool:
    if rule_method is not None and rule_method != method:
        return False
    return (
        pattern == template
        or fnmatch.fnmatchcase(path, pattern)
        or fnmatch.fnmatchcase(template, pattern)
    )


class DiscordDouble:
    def __init__(
        self,
        *,
        token: str = "test-token",
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.token = token
        # The double's notion of "now" (timestamps, snowflakes, "event in the past" checks)
        # follows the bot's settable clock when a test wires one in. The 3-second interaction
        # rule uses real monotonic time instead.
        self.clock: Callable[[], datetime] = clock or (lambda: datetime.now(UTC))
        # Seconds for the rules discord.py meets on real time: the gateway's (heartbeat
        # timeout, 120 payloads a minute) and the rate limits'. A test replaces it to move
        # time without waiting.
        self.monotonic: Callable[[], float] = time.monotonic
        # How far tests moved the clock: rate-limit time jumps with it (`clock_moved`).
        self._jumped = 0.0
        self.state = st.DoubleState()
        self.snowflakes = Snowflakes(self.now)
        self.payloads = Payloads(self)
        self.messaging = Messaging(self)
        self.gateway = Gateway(self)
        self.seeded: SeededGuild = seed(self)
        self.bot_user = self.state.users[self.seeded.bot_id]
        self.application_id = self.bot_user.id
        self.owner_id = self.seeded.user_ids["admin"]
        self.interaction_deadline = 3.0
        # Discord's rate limits (ratelimits.py), on from the start as on Discord; a 429 they
        # give is a `rate-limited` problem. `None` switches them off.
        self.rate_limiter: ratelimits.RateLimiter | None = ratelimits.RateLimiter(
            clock=self._seconds
        )
        # Every request is checked against Discord's API description (openapi.py).
        self.validate_requests = True
        self.api_description = openapi.load()
        self.rate_limits: list[RateLimitRule] = []
        self.slow_routes: list[SlowRoute] = []
        self.in_flight = 0
        self.last_activity = time.monotonic()
        self.port = 0
        self._runner: web.AppRunner | None = None
        self._attachment_index: dict[int, st.Attachment] = {}

    # lifecycle ---------------------------------------------------------------------------

    def now(self) -> datetime:
        return self.clock()

    def _seconds(self) -> float:
        """Rate-limit time: real seconds, plus every jump a test made with the clock."""
        return self.monotonic() + self._jumped

    def clock_moved(self, delta: timedelta) -> None:
        """The test moved the double's clock by `delta`: the rate-limit windows move as
        far, so what the bot does hours later is not counted with what it did before."""
        self._jumped += max(0.0, delta.total_seconds())

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_base(self) -> str:
        return self.base_url + API_PREFIX

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/gateway"

    def build_app(self) -> web.Application:
        app = web.Application(middlewares=[self._middleware], client_max_size=64 * 1024 * 1024)
        for group in (AppRoutes, MessageRoutes, ChannelRoutes, GuildRoutes, InteractionRoutes):
            group(self).register(app.router, API_PREFIX)
        app.router.add_get("/gateway", self.gateway.handle)
        app.router.add_get("/attachments/{attachment_id}/{filename}", self._attachment)
        return app

    async def start(self, port: int = 0) -> None:
        self._runner = web.AppRunner(self.build_app(), access_log=None, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", port)
        await site.start()
        server = site._server
        assert server is not None
        self.port = server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.gateway.start()

    async def stop(self) -> None:
        await self.gateway.close_all()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    # middleware --------------------------------------------------------------------------

    @web.middleware
    async def _middleware(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        if request.path == "/gateway":
            # A websocket lives for the whole connection; it is not a request "in flight".
            return await handler(request)
        self.in_flight += 1
        self.last_activity = time.monotonic()
        try:
            return await self._handle(request, handler)
        finally:
            self.in_flight -= 1
            self.last_activity = time.monotonic()

    async def _handle(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        resource = request.match_info.route.resource
        template = resource.canonical if resource is not None else request.path
        template = template.removeprefix(API_PREFIX)
        path = request.path.removeprefix(API_PREFIX)
        if resource is None:
            return self._unknown_route(request, path)
        if not request.path.startswith(API_PREFIX):
            return await handler(request)
        for slow in list(self.slow_routes):
            if slow.matches(request.method, template, path):
                # The request has arrived whole; only its answer is late (so a client that
                # dies meanwhile has still sent it, as with Discord).
                await request.read()
                slow.waiting += 1
                try:
                    await asyncio.sleep(slow.seconds)
                finally:
                    slow.waiting -= 1
        for rule in self.rate_limits:
            if rule.remaining > 0 and rule.matches(request.method, template, path):
                rule.remaining -= 1
                rule.hits += 1
                return self._rate_limited(rule)
        authorized = request.headers.get("Authorization") == f"Bot {self.token}"
        if not authorized and not path.startswith(UNAUTHENTICATED) and path != "/gateway":
            return json_response({"message": "401: Unauthorized", "code": 0}, status=401)
        verdict = None
        if self.rate_limiter is not None:
            verdict = self.rate_limiter.check(
                request.method, template, path, dict(request.match_info)
            )
            if verdict.retry_after is not None:
                # discord.py waits out what the headers announce and paces the global
                # limit (cogs/pacing.py), so a 429 nobody injected is a bug to see.
                self.problem(
                    "rate-limited",
                    f"{request.method} {path} answered 429 ({verdict.scope}, retry after "
                    f"{verdict.retry_after:.3f}s)",
                )
                body, headers = ratelimits.too_many(verdict)
                return json_response(body, status=429, headers=headers)
        try:
            if self.validate_requests:
                await self._check_against_description(request, path)
            response = await handler(request)
        except DiscordError as exc:
            response = json_response(exc.body(), status=exc.status)
        except (web.HTTPNotFound, web.HTTPMethodNotAllowed):
            return self._unknown_route(request, path)
        self.state.requests.append(
            st.RequestRecord(request.method, path, f"{request.method} {template}", response.status)
        )
        if verdict is not None:
            response.headers.update(verdict.headers)
        return response

    async def _check_against_description(self, request: web.Request, path: str) -> None:
        """Discord's API description refuses it → `invalid-request` problem + 400 50035."""
        payload = await read_payload(request)
        body = payload.payload if isinstance(payload, Multipart) else payload
        found = self.api_description.check(request.method, path, dict(request.query), body)
        if found is None:
            return
        if isinstance(found, str):
            # A route the double implements but the description does not list: recorded,
            # answered as the double implements it.
            self.problem("invalid-request", found)
            return
        self.problem("invalid-request", found.summary())
        found.errors.raise_if_any()

    def _unknown_route(self, request: web.Request, path: str) -> web.Response:
        self.problem("unknown-route", f"{request.method} {path} is not implemented by the double")
        return json_response({"message": "404: Not Found", "code": 0}, status=404)

    def _rate_limited(self, rule: RateLimitRule) -> web.Response:
        reset_after = rule.retry_after
        headers = {
            "Retry-After": str(max(1, math.ceil(reset_after))),
            "X-RateLimit-Limit": "5",
            "X-RateLimit-Remaining": "0",
            "X-RateLimit-Reset": f"{time.time() + reset_after:.3f}",
            "X-RateLimit-Reset-After": f"{reset_after:.3f}",
            "X-RateLimit-Bucket": f"double-{abs(hash(rule.pattern)):x}",
            "X-RateLimit-Scope": "shared" if not rule.is_global else "global",
            # discord.py treats a 429 without Via as a Cloudflare ban and gives up.
            "Via": "1.1 google",
        }
        if rule.is_global:
            headers["X-RateLimit-Global"] = "true"
        body = {
            "message": "You are being rate limited.",
            "retry_after": rule.retry_after,
            "global": rule.is_global,
        }
        return json_response(body, status=429, headers=headers)

    async def _attachment(self, request: web.Request) -> web.StreamResponse:
        ident = int(request.match_info["attachment_id"])
        att = self._find_attachment(ident)
        if att is None:
            return web.Response(status=404)
        return web.Response(
            body=att.data, content_type=att.content_type or "application/octet-stream"
        )

    def _find_attachment(self, ident: int) -> st.Attachment | None:
        if ident in self._attachment_index:
            return self._attachment_index[ident]
        for message in self.state.messages.values():
            for att in message.attachments:
                if att.id == ident:
                    return att
        return None

    def register_attachment(self, att: st.Attachment) -> None:
        """Attachments a user "uploads" as a command option, downloadable by the bot."""
        self._attachment_index[att.id] = att

    # used by routes ----------------------------------------------------------------------

    def dispatch(
        self, event: str, data: dict[str, Any], *, on_sent: Callable[[float], None] | None = None
    ) -> bool:
        return self.gateway.dispatch(event, data, on_sent=on_sent)

    def problem(self, kind: str, detail: str) -> None:
        log.warning("problem: %s %s", kind, detail)
        self.state.problems.append(st.Problem(kind, detail))

    def guild_permissions(self, guild: st.Guild) -> int:
        return base_permissions(guild, self.bot_user.id)

    def require_guild(self, guild: st.Guild, *names: str) -> None:
        perms = self.guild_permissions(guild)
        for name in names:
            if not perms & bit(name):
                raise missing_permissions()

    def require(self, channel: st.Channel, *names: str) -> None:
        if channel.guild_id is None:
            return
        guild = self.state.guilds[channel.guild_id]
        perms = channel_permissions(guild, self.bot_user.id, channel)
        if not perms & bit("view_channel"):
            # Discord answers 403 Missing Access (50001) for channels the bot cannot see.
            raise DiscordError(403, 50001, "Missing Access")
        for name in names:
            if not perms & bit(name):
                raise missing_permissions()

    def dm_channel(self, user: st.User) -> st.Channel:
        ident = self.state.dm_channels.get(user.id)
        if ident is not None:
            return self.state.channels[ident]
        channel = st.Channel(id=self.snowflakes.next(), type=st.DM, name=None, recipient_id=user.id)
        self.state.add_channel(channel)
        self.state.dm_channels[user.id] = channel.id
        return channel

    # test controls -----------------------------------------------------------------------

    def user_says(self, user: st.User, channel: st.Channel, text: str) -> st.Message:
        """A person (not the bot) posts `text`: stored, then MESSAGE_CREATE to the bot."""
        message = st.Message(
            id=self.snowflakes.next(),
            channel_id=channel.id,
            guild_id=channel.guild_id,
            author_id=user.id,
            content=text,
            created_at=self.now(),
        )
        self.state.add_message(message)
        self.messaging.dispatch_create(message)
        return message

    def add_guild(self, name: str, *, shard: tuple[int, int]) -> SeededGuild:
        """Another server like the seeded one, whose id puts it on `shard` (id, count);
        add it before the bot connects (see guild.add_guild)."""
        return add_guild(self, name, shard=shard)

    def add_people(self, count: int, prefix: str = "reader") -> list[int]:
        """`count` more members of the seeded guild (`reader0000`, …), with no roles;
        returns their ids in order."""
        guild = self.state.guilds[self.seeded.guild_id]
        ids = []
        for i in range(count):
            user = st.User(id=self.snowflakes.next(), username=f"{prefix}{i:04d}")
            self.state.users[user.id] = user
            guild.members[user.id] = st.Member(user.id, guild.id, [], self.now())
            ids.append(user.id)
        return ids

    def slow_down(self, pattern: str, seconds: float) -> SlowRoute:
        """Answer every request matching `pattern` (as for `rate_limit`) `seconds` late."""
        slow = SlowRoute(*split_pattern(pattern), seconds)
        self.slow_routes.append(slow)
        return slow

    def enforce_rate_limits(self, time_scale: float = 1.0) -> ratelimits.RateLimiter:
        """Fresh rate limits (ratelimits.py) from now on, every window `time_scale` times
        as long; returns the limiter (its counts of what it refused and let through)."""
        self.rate_limiter = ratelimits.RateLimiter(clock=self._seconds, time_scale=time_scale)
        return self.rate_limiter

    def rate_limit(
        self,
        pattern: str,
        *,
        times: int = 1,
        retry_after: float = 0.05,
        is_global: bool = False,
    ) -> RateLimitRule:
        """Answer the next `times` requests matching `pattern` with 429.

        `pattern` is "METHOD /route/{template}" (as Discord documents routes, e.g.
        "POST /channels/{channel_id}/messages"), or a glob on the concrete path
        ("POST /channels/*/messages"); the method may be left out.
        """
        rule = RateLimitRule(*split_pattern(pattern), times, retry_after, is_global)
        self.rate_limits.append(rule)
        return rule
