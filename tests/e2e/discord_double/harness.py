"""The test-facing side: start a bot against the double and tell user stories to it.

    resp = await dc.slash("anna", "remind me", when="jutro o 18", what="zebranie")
    assert resp.ephemeral and "zebranie" in resp.text
    await dc.advance("1d")
    assert "zebranie" in dc.dms("anna")[-1].text

Every wait is bounded, and every wait fails fast when the bot crashed, an ERROR was logged,
or the bot called a route the double does not know, so failures name their cause instead of
surfacing as timeouts.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import state as st
from .interactions import InteractionFactory
from .permissions import bit
from .responses import ForumPost, InteractionTimeout, Response
from .runners import START_TIMEOUT, WAIT_TIMEOUT, InProcessBot, SubprocessBot, point_discord_at
from .server import DiscordDouble
from .watch import LogWatch, bot_tasks_busy, watched

if TYPE_CHECKING:
    from ..bots import BotContext, BotSpec

__all__ = [
    "ForumPost",
    "Harness",
    "InteractionTimeout",
    "Response",
    "bot_tasks_busy",
    "parse_duration",
    "point_discord_at",
    "watched",
]

# Problems that abort a wait immediately (unless the test said it expects them).
FATAL = ("bot-crashed", "log-error", "unknown-route")
_DURATION = re.compile(r"(\d+(?:\.\d+)?)\s*(ms|min|d|h|m|s)")


def parse_duration(spec: str | timedelta) -> timedelta:
    """ "1d", "2h30m", "90s", "250ms" or a timedelta."""
    if isinstance(spec, timedelta):
        return spec
    parts = _DURATION.findall(spec.replace(" ", ""))
    if not parts or "".join(a + u for a, u in parts) != spec.replace(" ", ""):
        raise ValueError(f"cannot parse duration {spec!r}")
    unit = {
        "d": timedelta(days=1),
        "h": timedelta(hours=1),
        "m": timedelta(minutes=1),
        "min": timedelta(minutes=1),
        "s": timedelta(seconds=1),
        "ms": timedelta(milliseconds=1),
    }
    return sum((float(a) * unit[u] for a, u in parts), timedelta())


class Harness:
    """`dc` in tests: one double, one bot, and the helpers to tell stories with them."""

    def __init__(
        self,
        double: DiscordDouble,
        spec: BotSpec,
        context: BotContext,
        *,
        workdir: Path,
        subprocess: bool = False,
    ) -> None:
        self.double = double
        self.spec = spec
        self.context = context
        self.workdir = workdir
        self.factory = InteractionFactory(double)
        self.runner: InProcessBot | SubprocessBot = (
            SubprocessBot(self) if subprocess else InProcessBot(self)
        )
        self._expected: list[str] = []
        self._reported: set[int] = set()
        self.log_watch = LogWatch(double)
        self._log_ctx: contextlib.AbstractContextManager[None] | None = None

    # lifecycle ---------------------------------------------------------------------------

    async def start(self) -> None:
        self._log_ctx = self.log_watch.installed()
        self._log_ctx.__enter__()
        await self._start_bot()

    async def _start_bot(self) -> None:
        identified = self.double.gateway.identify_count
        await self.runner.start()
        await self.wait_until(
            lambda: self.double.gateway.identify_count > identified,
            within=START_TIMEOUT,
            what="the bot to IDENTIFY",
        )

    async def close(self) -> None:
        try:
            await self.runner.stop()
        finally:
            if self._log_ctx is not None:
                self._log_ctx.__exit__(None, None, None)
                self._log_ctx = None

    @property
    def bot(self) -> Any:
        """The discord.py Bot object (in-process runs only)."""
        if not isinstance(self.runner, InProcessBot):
            raise RuntimeError("the bot runs in a subprocess; there is no bot object here")
        return self.runner.bot

    async def restart(self) -> None:
        """Graceful stop and start again: same database, same double, same clock."""
        await self.runner.stop()
        await self._start_bot()

    async def kill_and_restart(self) -> None:
        """SIGKILL the bot subprocess and start a new one on the same database."""
        await self.runner.kill()
        await self._start_bot()

    # problems ----------------------------------------------------------------------------

    @property
    def problems(self) -> list[st.Problem]:
        return list(self.double.state.problems)

    def take_problems(self, *kinds: str) -> list[st.Problem]:
        """Removes and returns problems (of the given kinds, or all): "I expected these"."""
        taken = [p for p in self.double.state.problems if not kinds or p.kind in kinds]
        self.double.state.problems[:] = [p for p in self.double.state.problems if p not in taken]
        return taken

    @contextlib.contextmanager
    def expecting(self, *kinds: str) -> Iterator[list[st.Problem]]:
        """Within the block, problems of these kinds don't abort waits; at the end each kind
        must have happened at least once and they are removed (so teardown stays green)."""
        seen: list[st.Problem] = []
        self._expected.extend(kinds)
        try:
            yield seen
        finally:
            for kind in kinds:
                self._expected.remove(kind)
        seen.extend(self.take_problems(*kinds))
        missing = [k for k in kinds if not any(p.kind == k for p in seen)]
        if missing:
            raise AssertionError(f"expected problems of kind {missing}, got {seen}")

    def check(self) -> None:
        """Raises if anything went wrong that the test did not take: the fixture calls this.

        Problems a wait already raised are not repeated, so one cause gives one failure."""
        unreported = [p for p in self.double.state.problems if id(p) not in self._reported]
        if unreported:
            lines = "\n".join(f"  - {p}" for p in unreported)
            raise AssertionError(f"the Discord double recorded problems:\n{lines}")

    def _raise_if_fatal(self, what: str) -> None:
        fatal = [
            p
            for p in self.double.state.problems
            if p.kind in FATAL and p.kind not in self._expected
        ]
        if fatal:
            self._reported.update(id(p) for p in fatal)
            lines = "\n".join(f"  - {p}" for p in fatal)
            raise AssertionError(f"while waiting for {what}:\n{lines}")

    # waiting -----------------------------------------------------------------------------

    async def wait_until(
        self,
        predicate: Callable[[], bool],
        *,
        within: float = WAIT_TIMEOUT,
        what: str = "a condition",
        event: asyncio.Event | None = None,
    ) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + within
        while True:
            self._raise_if_fatal(what)
            if predicate():
                return
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise AssertionError(f"timed out after {within}s waiting for {what}")
            if event is not None:
                event.clear()
                if predicate():
                    return
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(event.wait(), min(remaining, 0.05))
            else:
                await asyncio.sleep(min(remaining, 0.005))

    async def settle(self, within: float = WAIT_TIMEOUT, quiet: float = 0.02) -> None:
        """Waits until nothing is moving: no REST request in flight, no gateway frame queued,
        no discord.py handler task running, and `quiet` seconds passed like that."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + within
        calm_since: float | None = None
        while True:
            self._raise_if_fatal("the bot to settle")
            busy = (
                self.double.in_flight > 0
                or any(not c.queue.empty() for c in self.double.gateway.connections)
                or self.runner.busy()
                or time.monotonic() - self.double.last_activity < quiet
            )
            now = loop.time()
            if busy:
                calm_since = None
            elif calm_since is None:
                calm_since = now
            elif now - calm_since >= quiet:
                if isinstance(self.runner, SubprocessBot):
                    await self.runner.settle_bot()
                    if (
                        self.double.in_flight == 0
                        and time.monotonic() - self.double.last_activity >= quiet
                    ):
                        return
                    calm_since = None
                else:
                    return
            if now > deadline:
                raise AssertionError(f"the bot did not settle within {within}s")
            await asyncio.sleep(0.002)

    # who and where -----------------------------------------------------------------------

    @property
    def guild(self) -> st.Guild:
        return self.double.state.guilds[self.double.seeded.guild_id]

    def user(self, who: str | st.User) -> st.User:
        return who if isinstance(who, st.User) else self.double.state.user_by_name(who)

    def channel(self, where: str | st.Channel) -> st.Channel:
        if isinstance(where, st.Channel):
            return where
        return self.double.state.channel_by_name(self.guild.id, where)

    def role(self, name: str) -> st.Role:
        return self.double.state.role_by_name(self.guild.id, name)

    # interactions ------------------------------------------------------------------------

    async def _interact(self, record: st.InteractionRecord, *, wait: bool = True) -> Response:
        payload = self.factory.payload(record)

        def sent(at: float) -> None:
            record.dispatched_at = at

        record.dispatched_at = time.monotonic()  # replaced by the real write time
        self.double.dispatch("INTERACTION_CREATE", payload, on_sent=sent)
        response = Response(self, record)
        if not wait:
            return response
        grace = self.double.interaction_deadline + 1.0
        try:
            await self.wait_until(
                lambda: record.acknowledged or record.late,
                within=grace,
                what=f"the bot to answer interaction {record.id}",
                event=record.changed,
            )
        except AssertionError as exc:
            if "timed out" not in str(exc):
                raise
            raise InteractionTimeout(
                f"the bot did not answer {_describe(record)} within "
                f"{self.double.interaction_deadline}s"
            ) from None
        if record.late:
            raise InteractionTimeout(
                f"the bot answered {_describe(record)} too late (after "
                f"{self.double.interaction_deadline}s): Discord says 'Unknown interaction'"
            )
        return response

    async def slash(
        self,
        who: str | st.User,
        path: str,
        /,
        *,
        in_channel: str | st.Channel = "#general",
        options: dict[str, Any] | None = None,
        wait: bool = True,
        **kw: Any,
    ) -> Response:
        """Runs `/path` as `who` with the given options; returns the bot's first answer."""
        user = self.user(who)
        channel = self._where(user, in_channel)
        values = self._option_names(path, channel, {**kw, **(options or {})})
        resolved = self.factory.resolve(channel.guild_id, path)
        self.factory.ensure_available(resolved, user, channel)
        data = self.factory.command_data(
            resolved, values, guild_id=channel.guild_id, channel=channel, user=user
        )
        record = self.factory.new(2, user, channel, data)
        return await self._interact(record, wait=wait)

    def _option_names(
        self, path: str, channel: st.Channel, values: dict[str, Any]
    ) -> dict[str, Any]:
        # Python keywords can't have dashes; map when_time= to a declared "when-time".
        declared = {o["name"] for o in self.factory.resolve(channel.guild_id, path).options}
        out = {}
        for key, value in values.items():
            dashed = key.replace("_", "-")
            out[dashed if key not in declared and dashed in declared else key] = value
        return out

    async def autocomplete(
        self,
        who: str | st.User,
        path: str,
        option: str,
        typed: str,
        /,
        *,
        in_channel: str | st.Channel = "#general",
        **others: Any,
    ) -> list[dict[str, Any]]:
        """What the bot suggests while `who` types `typed` into `option`: the choices."""
        user = self.user(who)
        channel = self._where(user, in_channel)
        resolved = self.factory.resolve(channel.guild_id, path)
        self.factory.ensure_available(resolved, user, channel)
        values = self._option_names(path, channel, {**others, option: typed})
        option = next(k for k in values if k.replace("-", "_") == option.replace("-", "_"))
        data = self.factory.command_data(
            resolved, values, guild_id=channel.guild_id, channel=channel, user=user, focused=option
        )
        record = self.factory.new(4, user, channel, data)
        response = await self._interact(record)
        return response.choices

    def _where(self, user: st.User, where: str | st.Channel) -> st.Channel:
        if isinstance(where, str) and where.lower() in ("dm", "@dm"):
            return self.double.dm_channel(user)
        return self.channel(where)

    def _message_of(self, message: Response | st.Message) -> st.Message:
        target = message.message if isinstance(message, Response) else message
        if target is None:
            raise ValueError(f"{message} has no message to interact with")
        return target

    async def press(
        self, who: str | st.User, message: Response | st.Message, button: str, /
    ) -> Response:
        """Clicks the button labelled `button` (or with that custom_id) on `message`."""
        user = self.user(who)
        target = self._message_of(message)
        buttons = target.buttons
        found = [b for b in buttons if button in (b.get("label"), b.get("custom_id"))]
        if not found:
            labels = [b.get("label") or b.get("custom_id") for b in buttons]
            raise LookupError(f"no button {button!r} on message {target.id}; it has {labels}")
        comp = found[0]
        if comp.get("disabled"):
            raise AssertionError(f"button {button!r} is disabled")
        if comp.get("style") in (5, 6):
            raise AssertionError(f"button {button!r} is a link/premium button: no interaction")
        data = {"custom_id": comp["custom_id"], "component_type": 2}
        if "id" in comp:
            data["id"] = comp["id"]
        channel = self.double.state.channels[target.channel_id]
        record = self.factory.new(3, user, channel, data, source=target)
        return await self._interact(record)

    async def select(
        self,
        who: str | st.User,
        message: Response | st.Message,
        custom_id: str,
        values: list[Any],
        /,
    ) -> Response:
        """Chooses `values` in the select menu `custom_id` on `message`."""
        user = self.user(who)
        target = self._message_of(message)
        menu = next((s for s in target.selects if s.get("custom_id") == custom_id), None)
        if menu is None:
            raise LookupError(
                f"no select {custom_id!r} on message {target.id}; it has "
                f"{[s.get('custom_id') for s in target.selects]}"
            )
        low, high = menu.get("min_values", 1), menu.get("max_values", 1)
        if not low <= len(values) <= high:
            raise AssertionError(f"select {custom_id!r} takes {low}..{high} values")
        data: dict[str, Any] = {"custom_id": custom_id, "component_type": menu["type"]}
        channel = self.double.state.channels[target.channel_id]
        if menu["type"] == 3:
            allowed = {o["value"]: o for o in menu.get("options", [])}
            by_label = {o["label"]: o["value"] for o in menu.get("options", [])}
            picked = [v if v in allowed else by_label.get(v) for v in values]
            if None in picked:
                raise AssertionError(f"select {custom_id!r} offers {sorted(allowed)}, not {values}")
            data["values"] = picked
        else:
            data.update(self._entity_values(menu["type"], values, channel))
        record = self.factory.new(3, user, channel, data, source=target)
        return await self._interact(record)

    def _entity_values(self, kind: int, values: list[Any], channel: st.Channel) -> dict[str, Any]:
        payloads = self.double.payloads
        resolved: dict[str, dict[str, Any]] = {}
        ids = []
        for value in values:
            if kind in (5, 7) and not (
                kind == 7 and isinstance(value, str) and value.startswith("@&")
            ):
                user = self.user(value)
                resolved.setdefault("users", {})[str(user.id)] = payloads.user(user)
                member = self.guild.members.get(user.id)
                if member is not None:
                    resolved.setdefault("members", {})[str(user.id)] = payloads.member(
                        member, with_user=False
                    )
                ids.append(str(user.id))
            elif kind in (6, 7):
                role = self.role(str(value).removeprefix("@&"))
                resolved.setdefault("roles", {})[str(role.id)] = payloads.role(role)
                ids.append(str(role.id))
            else:
                target = self.channel(value)
                resolved.setdefault("channels", {})[str(target.id)] = payloads.channel(target)
                ids.append(str(target.id))
        return {"values": ids, "resolved": resolved}

    async def submit_modal(
        self, who: str | st.User, modal_response: Response, values: dict[str, Any], /
    ) -> Response:
        """Fills the modal the bot opened (by field custom_id or label) and submits it."""
        user = self.user(who)
        modal = modal_response.modal
        if modal is None:
            raise AssertionError(f"{modal_response} did not open a modal")
        remaining = dict(values)
        components = []
        for comp in modal.get("components", []):
            if comp.get("type") == 1:
                children = [self._fill(c, remaining) for c in comp.get("components", [])]
                components.append({"type": 1, "components": [c for c in children if c]})
            elif comp.get("type") == 18:
                child = self._fill(comp["component"], remaining, label=comp.get("label"))
                if child:
                    components.append({"type": 18, "component": child})
        if remaining:
            raise LookupError(f"modal {modal.get('title')!r} has no fields {sorted(remaining)}")
        origin = modal_response.record
        channel = self.double.state.channels[origin.channel_id or 0]
        source = (
            self.double.state.messages.get(origin.source_message_id)
            if origin.source_message_id is not None
            else None
        )
        data = {"custom_id": modal["custom_id"], "components": components}
        record = self.factory.new(5, user, channel, data, source=source)
        return await self._interact(record)

    def _fill(
        self, comp: dict[str, Any], remaining: dict[str, Any], *, label: str | None = None
    ) -> dict[str, Any] | None:
        keys = [k for k in (comp.get("custom_id"), comp.get("label"), label) if k]
        key = next((k for k in keys if k in remaining), None)
        if comp.get("type") == 4:
            value = "" if key is None else str(remaining.pop(key))
            if comp.get("required", True) and not value:
                raise AssertionError(f"modal field {keys[0]!r} is required")
            low, high = comp.get("min_length", 0), comp.get("max_length", 4000)
            if value and not low <= len(value) <= high:
                raise AssertionError(f"modal field {keys[0]!r} takes {low}..{high} characters")
            out = {"type": 4, "custom_id": comp["custom_id"], "value": value}
        elif comp.get("type") == 3:
            chosen = [] if key is None else list(remaining.pop(key))
            out = {"type": 3, "custom_id": comp["custom_id"], "values": chosen}
        else:
            return None
        if "id" in comp:
            out["id"] = comp["id"]
        return out

    # people ------------------------------------------------------------------------------

    def member_joins(self, name: str, *, locale: str = "pl") -> st.User:
        """A new person joins the server: a member, and GUILD_MEMBER_ADD to the bot — which
        Discord sends only to a bot with the Server Members intent."""
        user = st.User(id=self.double.snowflakes.next(), username=name, locale=locale)
        self.double.state.users[user.id] = user
        member = st.Member(user.id, self.guild.id, [], self.double.now())
        self.guild.members[user.id] = member
        data = {**self.double.payloads.member(member), "guild_id": str(self.guild.id)}
        self.double.dispatch("GUILD_MEMBER_ADD", data)
        return user

    # plain messages ----------------------------------------------------------------------

    async def say(self, who: str | st.User, where: str | st.Channel, text: str) -> st.Message:
        """`who` writes `text` in a channel ("#general", a thread, or "dm")."""
        user = self.user(who)
        return self.double.user_says(user, self._where(user, where), text)

    # reading the world -------------------------------------------------------------------

    def messages(self, where: str | st.Channel) -> list[st.Message]:
        return self.double.state.live_messages(self.channel(where).id)

    def dms(self, who: str | st.User) -> list[st.Message]:
        user = self.user(who)
        ident = self.double.state.dm_channels.get(user.id)
        return [] if ident is None else self.double.state.live_messages(ident)

    def forum_posts(self, where: str | st.Channel) -> list[ForumPost]:
        forum = self.channel(where)
        names = {int(t["id"]): t["name"] for t in forum.available_tags}
        posts = []
        for channel in self.double.state.guild_channels(self.guild.id):
            if channel.parent_id == forum.id and channel.is_thread:
                starter = self.double.state.messages.get(channel.id)
                posts.append(
                    ForumPost(
                        channel, starter, [names.get(t, str(t)) for t in channel.applied_tags]
                    )
                )
        return posts

    def threads(self, where: str | st.Channel) -> list[st.Channel]:
        parent = self.channel(where)
        return [
            c
            for c in self.double.state.guild_channels(self.guild.id)
            if c.parent_id == parent.id and c.is_thread
        ]

    def scheduled_events(self) -> list[st.ScheduledEvent]:
        return [e for e in self.guild.scheduled_events.values() if not e.deleted]

    def member_roles(self, who: str | st.User) -> list[str]:
        member = self.guild.members[self.user(who).id]
        return [self.guild.roles[r].name for r in member.roles if r in self.guild.roles]

    def roles(self) -> list[st.Role]:
        return list(self.guild.roles.values())

    def interactions(self) -> list[st.InteractionRecord]:
        return list(self.double.state.interactions.values())

    # time and network --------------------------------------------------------------------

    async def advance(self, spec: str | timedelta) -> None:
        """Moves the bot's clock forward, running what became due, then settles."""
        delta = parse_duration(spec)
        self.double.clock_moved(delta)
        await self.runner.advance(delta)
        await self.settle()

    def drop_connection(self, *, resumable: bool = True, shard_id: int = 0) -> None:
        """Cuts the bot's websocket (of one shard); it comes back with RESUME and gets what
        it missed. With resumable=False the session is forgotten: RESUME gets
        INVALID_SESSION and the bot must IDENTIFY again (a fresh READY and GUILD_CREATE)."""
        self.double.gateway.drop(resumable=resumable, shard_id=shard_id)

    async def wait_resumed(self, within: float = WAIT_TIMEOUT, *, shard_id: int = 0) -> None:
        session = self.double.gateway.session(shard_id)
        assert session is not None
        await self.wait_until(
            lambda: session.resumed.is_set() and session.connection is not None,
            within=within,
            what="the bot to RESUME",
        )

    def rate_limit(
        self, pattern: str, times: int = 1, retry_after: float = 0.05, *, is_global: bool = False
    ) -> Any:
        return self.double.rate_limit(
            pattern, times=times, retry_after=retry_after, is_global=is_global
        )

    def close_dms(self, who: str | st.User) -> None:
        self.user(who).dms_open = False

    def open_dms(self, who: str | st.User) -> None:
        self.user(who).dms_open = True

    # permissions -------------------------------------------------------------------------

    def deny_bot(self, where: str | st.Channel | None, *permissions: str) -> None:
        """Takes permissions from the bot: in one channel (an overwrite) or guild-wide."""
        mask = sum(bit(p) for p in permissions)
        if where is None:
            bot_role = self.role("Podaj dalej")
            bot_role.permissions &= ~mask
            return
        channel = self.channel(where)
        bot_id = self.double.bot_user.id
        existing = next((o for o in channel.overwrites if o.id == bot_id), None)
        if existing is None:
            channel.overwrites.append(st.Overwrite(bot_id, 1, 0, mask))
        else:
            existing.deny |= mask
            existing.allow &= ~mask


def _describe(record: st.InteractionRecord) -> str:
    if record.type in (2, 4):
        return f"/{record.data.get('name')}"
    return f"component {record.data.get('custom_id')!r}"
