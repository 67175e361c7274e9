"""The console front end: one local guild, users and channels that exist once named.

It is also the core's Messenger, Members and Announcer port, so scheduled deliveries print as
events with `reply_to` null, and everything said while a line runs answers that line.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from contextvars import ContextVar
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bot.app import App
from bot.commands import Command, Invocation, Option, OptionType
from bot.console.output import Event, Printer
from bot.console.parser import read_command, split_line
from bot.dispatch import Request
from bot.errors import UserError
from bot.i18n import format_when, t, use_locale
from bot.ports import Access, DeliveryFailed, GroupSpace, MessageRef, ScheduledEventSpec
from bot.refs import Actor, ChannelRef, RoleRef, UserRef, native_id
from bot.replies import Reply
from bot.roles import Role
from bot.text import normalize
from bot.timelang.durations import parse_duration
from bot.timelang.timestamps import render

log = logging.getLogger(__name__)

PLATFORM = "console"
GUILD = "console:guild"
DEFAULT_CHANNEL = "general"

_line: ContextVar[int | None] = ContextVar("console_line", default=None)
# Like durations, a clock jump is bounded: every day on the way is simulated.
MAX_JUMP = timedelta(days=3660)
_UNDECODED = re.compile("[\ud800-\udfff]")
_NUMBERED = re.compile(r"(\d+)-")


def user_ref(name: str) -> UserRef:
    clean = name.lstrip("@")
    return UserRef(f"{PLATFORM}:{clean.lower()}", clean)


def channel_ref(name: str) -> ChannelRef:
    clean = name.lstrip("#")
    return ChannelRef(f"{PLATFORM}:#{clean.lower()}", clean)


class ConsoleRoom:
    def __init__(
        self, printer: Printer, *, admin: str, locale: str | None, files_dir: Path
    ) -> None:
        self._printer = printer
        self._admin = admin.lower()
        self._locale_hint = locale
        self._files_dir = files_dir
        # Numbered after what an earlier session left in the folder, so nothing is overwritten.
        self._files_written = _last_file_number(files_dir)
        self._messages = 0
        self.platform_roles: dict[str, set[str]] = {}
        # Forum posts: thread id → (forum name, title); scheduled events by id.
        self._threads: dict[str, tuple[str, str]] = {}
        self._thread_count = 0
        self._slowmodes: dict[str, int] = {}
        self.scheduled_events: dict[str, ScheduledEventSpec] = {}
        self._app: App | None = None

    @property
    def app(self) -> App:
        if self._app is None:
            raise RuntimeError("the console room is not attached to an app yet")
        return self._app

    def attach(self, app: App) -> None:
        self._app = app
        app.registry.add(*self._commands())

    def commands(self) -> list[Command]:
        """Every command one can type here."""
        return [c for c in self.app.registry.all() if c.available_on(PLATFORM)]

    async def welcome(self) -> str:
        """The banner of an interactive session, in the language of the one who types."""
        admin = user_ref(self._admin).id
        locale = await self.app.community.locale_for(admin, GUILD, self._locale_hint)
        return t("console.welcome", locale=locale) + "\n"

    # -- reading lines ---------------------------------------------------------------

    async def handle(self, number: int, raw: str) -> None:
        """Handle one input line completely; never raises."""
        if _UNDECODED.search(raw):
            # Bytes that were not UTF-8 arrive as lone surrogates, which can be neither
            # stored nor printed: the line is answered and not run.
            who = split_line(raw).user or self._admin
            token = _line.set(number)
            await self._emit_plain(
                Reply(t("error.console.not_text", locale=self._locale_hint), ephemeral=True),
                channel=DEFAULT_CHANNEL,
                to=who.encode("utf-8", "replace").decode("utf-8"),
            )
            _line.reset(token)
            return
        line = split_line(raw)
        user = user_ref(line.user or self._admin)
        channel = self._in_place(channel_ref(line.channel or DEFAULT_CHANNEL))
        if not line.text.startswith("/"):
            # Chat: said in the channel, not answered; a live panel there records it.
            await self._chat(user, channel, line.text)
            return
        token = _line.set(number)
        try:
            reply = await self._run(self.request(user, channel), line.text)
            name, thread = self._where(channel.id)
            await self._emit(
                reply,
                channel=name,
                to=user.name if reply.ephemeral else None,
                reader=user.id,
                thread=thread,
            )
        except Exception:
            # Whatever broke (a full disk for --files, say), the line still gets an answer
            # and the session goes on; the traceback goes to the log only.
            log.exception("console line %d failed", number)
            with use_locale(self._locale_hint or "pl"):
                error = Reply(t("error.internal"), ephemeral=True)
            await self._emit_plain(error, channel=channel.name, to=user.name)
        finally:
            _line.reset(token)

    async def _chat(self, user: UserRef, channel: ChannelRef, text: str) -> None:
        if not text:
            return
        try:
            await self.app.panels.audience.heard(channel.id, user, text)
        except Exception:
            log.exception("chat in #%s was not recorded", channel.name)

    def request(self, user: UserRef, channel: ChannelRef) -> Request:
        actor = Actor(
            user,
            is_admin=user.id == user_ref(self._admin).id,
            platform_roles=frozenset(self.platform_roles.get(user.id, set())),
        )
        return Request(PLATFORM, GUILD, channel, actor, self._locale_hint)

    async def _run(self, request: Request, text: str) -> Reply:
        try:
            command, options = read_command(self.app.registry, text)
        except UserError as exc:
            return await self._error(request, exc)
        args: dict[str, Any] = {
            name: _typed(command.option(name), value) for name, value in options.items()
        }
        return await self.app.dispatcher.run(request, command.path, args)

    async def _error(self, request: Request, exc: UserError) -> Reply:
        locale = await self.app.community.locale_for(
            request.actor.user.id, GUILD, self._locale_hint
        )
        with use_locale(locale):
            return Reply(exc.render(), ephemeral=True)

    # -- printing --------------------------------------------------------------------

    async def _emit(
        self,
        reply: Reply,
        *,
        channel: str | None,
        to: str | None,
        reader: str | None,
        thread: str | None = None,
    ) -> None:
        community = self.app.community
        locale = (
            await community.locale_for(reader, GUILD, self._locale_hint)
            if reader
            else ((await community.guild(GUILD)).locale or community.default_locale)
        )
        tz = await community.timezone_for(reader or "", GUILD)
        guild_tz = await community.timezone_for("", GUILD)
        now = self.app.clock.now()

        def show(text: str) -> str:
            return render(text, now=now, tz=tz, locale=locale)

        event = Event(
            at=now.astimezone(ZoneInfo(guild_tz)).isoformat(),
            reply_to=_line.get(),
            channel=channel,
            to=to,
            ephemeral=reply.ephemeral,
            thread=thread,
            text=show(reply.text),
            embeds=[
                {
                    "title": show(e.title),
                    "description": show(e.description),
                    "fields": [
                        {"name": show(f.name), "value": show(f.value), "inline": f.inline}
                        for f in e.fields
                    ],
                    "footer": show(e.footer),
                }
                for e in reply.embeds
            ],
            buttons=[
                {"id": b.custom_id, "label": b.label, "disabled": b.disabled} for b in reply.buttons
            ],
            files=[self._write_file(f.filename, f.data) for f in reply.files],
            created={"type": reply.created.type, "id": reply.created.id} if reply.created else None,
        )
        self._printer.emit(event)

    async def _emit_plain(self, reply: Reply, *, channel: str, to: str) -> None:
        """An answer that needs nothing but the clock: used when something else failed."""
        self._printer.emit(
            Event(
                at=self.app.clock.now().isoformat(),
                reply_to=_line.get(),
                channel=channel,
                to=to,
                ephemeral=True,
                thread=None,
                text=reply.text,
            )
        )

    def _write_file(self, filename: str, data: bytes) -> str:
        safe = Path(filename).name or "file"
        self._files_dir.mkdir(parents=True, exist_ok=True)
        while True:
            self._files_written += 1
            path = self._files_dir / f"{self._files_written:03d}-{safe}"
            try:
                # Exclusive: a second console on the same folder takes the next number.
                with path.open("xb") as out:
                    out.write(data)
            except FileExistsError:
                continue
            return str(path)

    # -- the Messenger and Members ports ---------------------------------------------

    async def send_dm(self, user_id: str, reply: Reply) -> MessageRef:
        await self._emit(
            replace(reply, ephemeral=False), channel=None, to=native_id(user_id), reader=user_id
        )
        return self._next_message(f"dm:{user_id}")

    async def send_channel(self, channel_id: str, reply: Reply) -> MessageRef:
        name, thread = self._where(channel_id)
        await self._emit(
            replace(reply, ephemeral=False), channel=name, to=None, reader=None, thread=thread
        )
        return self._next_message(channel_id)

    def _in_place(self, channel: ChannelRef) -> ChannelRef:
        """A thread the bot opened knows its channel."""
        if channel.id in self._threads:
            return replace(channel, parent_id=channel_ref(self._threads[channel.id][0]).id)
        return channel

    def _where(self, channel_id: str) -> tuple[str, str | None]:
        """(channel name, thread title) of a channel or a forum post's thread."""
        if channel_id in self._threads:
            return self._threads[channel_id]
        return native_id(channel_id).lstrip("#"), None

    async def edit_message(self, channel_id: str, message_id: str, reply: Reply) -> None:
        """The console cannot change printed lines: the updated message is a new event
        in the same channel (or DM)."""
        if channel_id.startswith("dm:"):
            user_id = channel_id.removeprefix("dm:")
            await self._emit(
                replace(reply, ephemeral=False), channel=None, to=native_id(user_id), reader=user_id
            )
            return
        name, thread = self._where(channel_id)
        await self._emit(
            replace(reply, ephemeral=False), channel=name, to=None, reader=None, thread=thread
        )

    def mention(self, user_id: str) -> str:
        return f"@{native_id(user_id)}"

    # -- the Announcer port: forum posts print with their thread; scheduled events are
    # kept in memory only (the console has no calendar to show them in).

    async def create_forum_post(
        self, forum_id: str, title: str, reply: Reply, tag_names: Sequence[str]
    ) -> MessageRef:
        forum = native_id(forum_id).lstrip("#")
        self._thread_count += 1
        thread_id = f"{forum_id}/{self._thread_count}"
        self._threads[thread_id] = (forum, title)
        await self._emit(
            replace(reply, ephemeral=False), channel=forum, to=None, reader=None, thread=title
        )
        return self._next_message(thread_id)

    async def rename_thread(self, thread_id: str, title: str) -> None:
        if thread_id in self._threads:
            self._threads[thread_id] = (self._threads[thread_id][0], title)

    async def reopen_thread(self, thread_id: str) -> None:
        return None  # console threads never archive

    def link(self, guild_id: str, channel_id: str) -> str:
        name, thread = self._where(channel_id)
        return f"#{name} › {thread}" if thread else f"#{name}"

    async def create_scheduled_event(self, guild_id: str, spec: ScheduledEventSpec) -> str:
        event_id = f"{PLATFORM}:scheduled:{len(self.scheduled_events) + 1}"
        self.scheduled_events[event_id] = spec
        return event_id

    async def edit_scheduled_event(
        self, guild_id: str, event_id: str, spec: ScheduledEventSpec
    ) -> None:
        self.scheduled_events[event_id] = spec

    async def cancel_scheduled_event(self, guild_id: str, event_id: str) -> None:
        self.scheduled_events.pop(event_id, None)

    def _next_message(self, channel_id: str) -> MessageRef:
        self._messages += 1
        return MessageRef(channel_id, str(self._messages))

    async def create_group_space(
        self,
        guild_id: str,
        *,
        name: str,
        channel_name: str,
        category: str,
        managers: list[str],
        keep: GroupSpace | None = None,
    ) -> GroupSpace:
        # Console channels exist once named and every user sees every channel.
        role = f"{PLATFORM}:role:{name.lower()}"
        return GroupSpace(role, name, channel_ref(channel_name).id, channel_name)

    async def channel_exists(self, guild_id: str, channel_id: str) -> bool:
        return True  # a console channel exists once named; nothing deletes it

    async def role_exists(self, guild_id: str, role_id: str) -> bool:
        return True  # a group's role is its name here, never deleted

    async def set_channel_manager(
        self, guild_id: str, channel_id: str, user_id: str, *, allowed: bool
    ) -> None:
        return None

    async def archive_channel(self, guild_id: str, channel_id: str, role_id: str | None) -> None:
        return None

    async def create_thread(
        self, guild_id: str, channel_id: str, name: str, first: Reply
    ) -> MessageRef:
        """A thread prints as `#channel › name`; people write in it as `#name`."""
        if channel_id in self._threads:
            raise DeliveryFailed("a thread cannot hold threads", permanent=True)
        parent = native_id(channel_id).lstrip("#")
        slug = "-".join(normalize(name).split())[:40] or "thread"
        thread = channel_ref(slug)
        self._threads[thread.id] = (parent, slug)
        await self._emit(
            replace(first, ephemeral=False), channel=parent, to=None, reader=None, thread=slug
        )
        return self._next_message(thread.id)

    async def set_slowmode(self, guild_id: str, channel_id: str, seconds: int) -> int:
        # Console users type one line at a time: slow mode is only remembered.
        before = self._slowmodes.get(channel_id, 0)
        self._slowmodes[channel_id] = seconds
        return before

    async def add_role(self, guild_id: str, user_id: str, role_id: str) -> Access:
        held = self.platform_roles.setdefault(user_id, set())
        if role_id in held:
            return Access.HELD
        held.add(role_id)
        return Access.GIVEN

    async def remove_role(
        self, guild_id: str, user_id: str, role_id: str, *, reason: str = ""
    ) -> None:
        self.platform_roles.get(user_id, set()).discard(role_id)

    # -- console-only commands -------------------------------------------------------

    def _commands(self) -> list[Command]:
        only_here = frozenset({PLATFORM})
        return [
            Command(
                "clock set",
                Role.DIRECTOR,
                self._clock_set,
                (Option("at", required=True, max_length=64),),
                only_here,
            ),
            Command(
                "clock advance",
                Role.DIRECTOR,
                self._clock_advance,
                (Option("by", required=True, max_length=32),),
                only_here,
            ),
            Command(
                "press",
                Role.DIRECTOR,
                self._press,
                (Option("id", required=True, max_length=100),),
                only_here,
            ),
        ]

    async def _clock_set(self, ctx: Invocation, at: str) -> Reply:
        try:
            target = datetime.fromisoformat(at)
        except ValueError:
            raise UserError("error.console.bad_iso", value=at) from None
        if target.tzinfo is None:
            target = target.replace(tzinfo=ZoneInfo(ctx.timezone))
        if target < self.app.clock.now():
            raise UserError("error.console.clock_backwards")
        if target - self.app.clock.now() > MAX_JUMP:
            raise UserError("error.console.bad_iso", value=at)
        await self.run_scheduled(target)
        return self._clock_reply(ctx)

    async def _clock_advance(self, ctx: Invocation, by: str) -> Reply:
        delta = parse_duration(by)
        if delta is None:
            raise UserError("error.console.bad_duration", value=by)
        await self.run_scheduled(self.app.clock.now() + delta)
        return self._clock_reply(ctx)

    async def run_scheduled(self, until: datetime) -> None:
        """Move the clock; what comes due on the way is scheduled output (`reply_to` null)."""
        token = _line.set(None)
        try:
            await self.app.scheduler.advance_to(until)
        finally:
            _line.reset(token)

    def _clock_reply(self, ctx: Invocation) -> Reply:
        return Reply(t("console.clock", now=format_when(self.app.clock.now(), ctx.timezone)))

    async def _press(self, ctx: Invocation, id: str) -> Reply:
        request = Request(PLATFORM, ctx.guild_id, ctx.channel, ctx.actor, self._locale_hint)
        return await self.app.dispatcher.press(request, id)


def _last_file_number(folder: Path) -> int:
    """The highest `NNN-` a file in the folder starts with (0 for none or no folder)."""
    try:
        names = [entry.name for entry in folder.iterdir()]
    except OSError:
        return 0
    numbers = [int(m[1]) for m in map(_NUMBERED.match, names) if m]
    return max(numbers, default=0)


def _typed(option: Option | None, value: str) -> Any:
    """Turn `@anna`, `#jura` and role names into the references the core expects."""
    if option is None:
        return value
    if option.type is OptionType.USER:
        return user_ref(value)
    if option.type is OptionType.CHANNEL:
        return channel_ref(value)
    if option.type is OptionType.ROLE:
        clean = value.lstrip("@&")
        return RoleRef(f"{PLATFORM}:role:{clean.lower()}", clean)
    return value
