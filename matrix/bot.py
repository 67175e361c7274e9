"""The Matrix bot: log in, follow /sync, answer `!commands`, turn reactions into presses.

The sync token is stored after each batch is handled, so after a restart the bot goes on
from where it was. Each event is claimed in the database before it is handled, so one that
comes again (a batch repeated after a crash) is never answered twice; a crash between the
claim and the answer loses that one answer rather than repeating it.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import re
import signal
from datetime import timedelta
from pathlib import Path
from typing import Any, TypeVar

import aiohttp
from nio import (
    AsyncClient,
    AsyncClientConfig,
    InviteMemberEvent,
    JoinResponse,
    LoginResponse,
    MegolmEvent,
    ReactionEvent,
    RedactionEvent,
    RoomCreateEvent,
    RoomMemberEvent,
    RoomMessageText,
    SyncResponse,
    UnknownEvent,
    WhoamiResponse,
)

from bot.app import App, Ports, open_app
from bot.clock import Clock, SystemClock
from bot.commands import Option, OptionType
from bot.config import ConfigError, MatrixLogin, Settings
from bot.console.parser import read_command
from bot.db import to_db
from bot.dispatch import Request
from bot.errors import UserError
from bot.i18n import t, use_locale, use_words
from bot.polls.commands import poll_of_button
from bot.ports import DeliveryFailed
from bot.refs import Actor, ChannelRef, RoleRef, UserRef, native_id, platform_id
from bot.replies import Reply
from bot.text import inert, normalize
from bot.visibility import Viewer
from bot.welcome import messages as welcome
from matrix import crypto, markup, presence, reactions
from matrix.ports import (
    ADMIN_LEVEL,
    COMMAND_PREFIX,
    MODERATOR_LEVEL,
    PLATFORM,
    MatrixPorts,
    Place,
    poll_key,
    room_ref_id,
)
from matrix.store import MatrixStore, Reacted

log = logging.getLogger(__name__)

SYNC_TIMEOUT_MS = 30_000
MAX_TIMEOUTS = 3
REQUEST_TIMEOUT_S = 60.0
# The catch-up sync at start returns at once (timeout 0 would mean "no client timeout").
FIRST_SYNC_TIMEOUT_MS = 1
# What people type when they do not know the commands yet (in a direct chat, or to a
# mention of the bot): answered with the help.
HELP_WORDS = frozenset(
    {"help", "pomoc", "hulp", "помощ", "помогни", "hi", "hello", "cześć", "hallo", "здравей"}
)
# Claims of handled events are kept this long (a repeated batch comes within minutes).
KEEP_HANDLED = timedelta(days=7)
# Room versions from which a room's creators outrank every power level.
CREATORS_RULE_FROM = 12
MAX_BACKOFF_S = 60.0
# Synapse sends 10 events per room and sync by default; a sign-up sheet with its reactions
# is already that many, and anything cut off would go unanswered.
SYNC_FILTER = {"room": {"timeline": {"limit": 200}}}
POLL_RESPONSES = ("org.matrix.msc3381.poll.response", "m.poll.response")
ANSWERED_ELSEWHERE = "📬"
RoomRef = TypeVar("RoomRef", ChannelRef, RoleRef)
# Between the people of a list option: spaces, commas, semicolons.
_WORDS = re.compile(r"[\s,;]+")


class MatrixBot:
    def __init__(self, settings: Settings, login: MatrixLogin, *, clock: Clock | None = None):
        self._settings = settings
        self._login = login
        self._clock = clock or SystemClock()
        self._warming: asyncio.Task[None] | None = None
        self.client = AsyncClient(
            login.homeserver,
            login.user,
            # nio loads its key store from here once it knows the device (after login).
            store_path=str(crypto.key_store(settings.database_path)) if crypto.AVAILABLE else "",
            # Without a bound nio retries a dead connection forever, silently. The sync
            # token is kept in the bot's database, with the events it claimed.
            config=AsyncClientConfig(
                store_sync_tokens=False,
                encryption_enabled=crypto.AVAILABLE,
                store=crypto.STORE,
                max_timeouts=MAX_TIMEOUTS,
                request_timeout=REQUEST_TIMEOUT_S,
            ),
        )
        self.ports = MatrixPorts(self.client)
        self._app: App | None = None
        self._store: MatrixStore | None = None
        self._since: str | None = None
        self._admin_rooms: set[str] = set()
        self._creators: dict[str, set[str]] = {}
        self._following: asyncio.Task[None] | None = None

    @property
    def app(self) -> App:
        if self._app is None:
            raise RuntimeError("the Matrix bot is not started")
        return self._app

    @property
    def store(self) -> MatrixStore:
        if self._store is None:
            raise RuntimeError("the Matrix bot is not started")
        return self._store

    # -- start and stop --------------------------------------------------------------

    async def start(self) -> None:
        """Open the core, log in, join the configured rooms and catch up on what happened
        while the bot was away; then the scheduler starts delivering."""
        ports = self.ports
        self._app = await open_app(
            self._settings,
            clock=self._clock,
            ports=Ports(ports, ports, ports, ports, words=PLATFORM),
        )
        self._store = MatrixStore(self._app.db)
        ports.attach(self._app, self._store)
        # What the key store knows of people is theirs to export and to have forgotten.
        self._app.privacy.keep_elsewhere(crypto.PeoplesKeys(self.client, PLATFORM))
        await self._log_in()
        await crypto.keep_keys(self.client)
        await presence.introduce(self.client, self.store)
        await self._join_configured_rooms()
        self._since = await self.store.get("since")
        await self.store.forget_handled(to_db(self._clock.now() - KEEP_HANDLED))
        await self.sync_once(timeout_ms=FIRST_SYNC_TIMEOUT_MS, full_state=True)
        await self.app.start()
        self._warming = asyncio.create_task(self.app.warm_up())
        log.info(
            "Podaj dalej on Matrix as %s in %d room(s), encryption %s",
            self.client.user_id,
            len(self.client.rooms),
            "on" if crypto.active(self.client) else "off",
        )

    async def _log_in(self) -> None:
        """With an access token, use it; with a password, log in as the same device as
        last time (its id is kept; the token itself is never stored). Either way nio then
        loads the device's encryption keys from the key store."""
        if self._login.access_token:
            self.client.access_token = self._login.access_token
            who = await self.client.whoami()
            if not isinstance(who, WhoamiResponse):
                raise ConfigError(f"MATRIX_ACCESS_TOKEN was rejected by the homeserver: {who}")
            if who.device_id:
                self.client.restore_login(who.user_id, who.device_id, self._login.access_token)
            else:
                log.warning("the access token names no device: encrypted rooms stay unread")
                self.client.user_id, self.client.device_id = who.user_id, ""
            return
        assert self._login.password is not None  # matrix_login() demands one of the two
        self.client.device_id = await self.store.get("device_id") or ""
        response = await self.client.login(self._login.password, device_name="Podaj dalej")
        if not isinstance(response, LoginResponse):
            raise ConfigError(f"MATRIX_PASSWORD was rejected by the homeserver: {response}")
        await self.store.put("device_id", response.device_id)

    async def _join_configured_rooms(self) -> None:
        for room in self._login.rooms:
            response = await self.client.join(room)
            if isinstance(response, JoinResponse):
                self._admin_rooms.add(response.room_id)
            else:
                log.warning("could not join %s: %s", room, response)

    async def run(self) -> None:
        """Follow the homeserver until cancelled; a failed sync is retried with backoff."""
        backoff = 1.0
        while True:
            try:
                await self.sync_once(timeout_ms=SYNC_TIMEOUT_MS)
                backoff = 1.0
            except (aiohttp.ClientError, TimeoutError, SyncFailed) as exc:
                log.warning("sync failed (%s); again in %.0f s", exc, backoff)
            except Exception:
                log.exception("a sync batch failed; again in %.0f s", backoff)
            else:
                continue
            await asyncio.sleep(backoff)
            backoff = min(backoff * 2, MAX_BACKOFF_S)

    def follow(self) -> asyncio.Task[None]:
        """Follow the homeserver in the background until `close`."""
        self._following = asyncio.create_task(self.run(), name="matrix-sync")
        return self._following

    async def close(self) -> None:
        if self._following is not None:
            self._following.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._following
            self._following = None
        if self._app is not None:
            await self._app.scheduler.stop()
        await self.client.close()
        if self._app is not None:
            await self._app.close()
            self._app = None

    async def sync_once(self, *, timeout_ms: int, full_state: bool = False) -> None:
        first_ever = self._since is None
        response = await self.client.sync(
            timeout=timeout_ms,
            sync_filter=SYNC_FILTER,
            since=self._since,
            full_state=full_state or None,
        )
        if not isinstance(response, SyncResponse):
            if getattr(response, "status_code", None) == "M_UNKNOWN_TOKEN" and self._login.password:
                log.warning("the homeserver ended the bot's session; logging in again")
                await self._log_in()
            raise SyncFailed(str(response))
        # Keys first: answers in encrypted rooms need the device lists this sync changed.
        await crypto.keep_keys(self.client)
        # The very first sync of a new account is history: accept invites, answer nothing.
        with use_words(PLATFORM):
            await self._handle(response, answer=not first_ever)
        self._since = response.next_batch
        await self.store.put("since", response.next_batch)

    # -- what came in ----------------------------------------------------------------

    async def _handle(self, response: SyncResponse, *, answer: bool) -> None:
        for room_id, info in response.rooms.join.items():
            self._note_creators(room_id, [*info.state, *info.timeline.events])
        for room_id, info in response.rooms.invite.items():
            await self._accept_invite(room_id, info.invite_state)
        if not answer:
            return
        for room_id in response.rooms.leave:
            # Removed from a room (a server admin deleted it, say): if it was a group's,
            # its initiators are offered to make it again, as when a Discord channel goes.
            gone = room_ref_id(room_id)
            await self.app.groups.management.platform_gone(channel_id=gone, role_id=gone)
        batches = {
            room_id: self._since_joining(room_id, info.timeline.events, info.timeline.limited)
            for room_id, info in response.rooms.join.items()
        }
        await asyncio.gather(*(self._room_events(r, events) for r, events in batches.items()))

    def _since_joining(self, room_id: str, events: list[Any], limited: bool) -> list[Any]:
        """The events to answer: in a room the bot just joined, only those after its join
        (the timeline also holds what was said before it came)."""
        for index in range(len(events) - 1, -1, -1):
            event = events[index]
            if (
                isinstance(event, RoomMemberEvent)
                and event.state_key == self.client.user_id
                and event.membership == "join"
                and event.prev_membership != "join"
            ):
                return events[index + 1 :]
        if limited:
            log.warning("more happened in %s than one sync holds; older events skipped", room_id)
        return events

    def _note_creators(self, room_id: str, events: list[Any]) -> None:
        """Since room version 12 a room's creators outrank every power level and are not
        listed among them (nio does not track them), so they are read from m.room.create."""
        for event in events:
            if (
                isinstance(event, RoomCreateEvent)
                and _version(event.room_version) >= CREATORS_RULE_FROM
            ):
                extra = event.source.get("content", {}).get("additional_creators") or []
                self._creators[room_id] = {event.sender, *extra}

    async def _accept_invite(self, room_id: str, state: list[Any]) -> None:
        inviter = next(
            (
                e.sender
                for e in state
                if isinstance(e, InviteMemberEvent) and e.state_key == self.client.user_id
            ),
            "",
        )
        if not self.may_invite(inviter):
            log.info("declined an invite to %s from %s (not of this community)", room_id, inviter)
            await self.client.room_leave(room_id)
            return
        response = await self.client.join(room_id)
        if not isinstance(response, JoinResponse):
            log.warning("could not accept the invite to %s: %s", room_id, response)
            return
        direct = any(
            isinstance(event, InviteMemberEvent)
            and event.state_key == self.client.user_id
            and event.content.get("is_direct")
            for event in state
        )
        if not crypto.active(self.client) and await self.ports.encrypted_state(room_id):
            # Until the bot can read a room, it never becomes anyone's direct room: private
            # answers sent there could not be answered by reaction.
            await self._cannot_read(room_id)
            return
        if direct:
            # Someone opened a direct chat with the bot: answer them there from now on.
            await self.store.set_dm_room(platform_id(PLATFORM, inviter), room_id)
        await self._greet(room_id, platform_id(PLATFORM, inviter) if direct else None)

    async def _greet(self, room_id: str, person: str | None) -> None:
        """Once per room the bot is brought into: what it does and how to begin, in the
        language of the person who opened a direct chat, else the server's."""
        key = f"greeted:{room_id}"
        if await self.store.get(key) is not None:
            return
        await self.store.put(key, "1")
        guild = await self.app.community.guild(self.ports.guild_id)
        locale = guild.locale or self.app.community.default_locale
        if person is not None:
            locale = await self.app.community.locale_for(person, self.ports.guild_id)
            # Greeted here, so joining the community's room later brings no second hello.
            await self.app.welcome.first_time(self.ports.guild_id, person)
        with use_locale(locale):
            greeting = welcome.with_ways(
                t("matrix.greeting_direct" if person else "matrix.greeting")
            )
        await self.ports.deliver(Place(room_id), greeting, reader=person, notice=True)

    def may_invite(self, mxid: str) -> bool:
        """People of the bot's own homeserver and members of the community's rooms may
        bring the bot into a room; strangers from elsewhere may not."""
        if mxid.partition(":")[2] == self._login.user.partition(":")[2]:
            return True
        return any(mxid in self._joined(room_id) for room_id in self._admin_rooms)

    def _joined(self, room_id: str) -> set[str]:
        room = self.client.rooms.get(room_id)
        return set(room.users) - set(room.invited_users) if room else set()

    async def _room_events(self, room_id: str, events: list[Any]) -> None:
        """One room's new events in order (rooms run side by side)."""
        for event in events:
            if getattr(event, "sender", None) == self.client.user_id:
                continue
            try:
                await self._event(room_id, event)
            except Exception:
                log.exception("event %s in %s was not handled", event.event_id, room_id)

    async def _event(self, room_id: str, event: Any) -> None:
        if isinstance(event, RoomMessageText):
            if await self._first_time(event):
                await self._message(room_id, event)
        elif isinstance(event, ReactionEvent):
            await self._reaction(room_id, event)
        elif isinstance(event, RedactionEvent):
            await self._taken_back(room_id, event)
        elif isinstance(event, UnknownEvent) and event.type in POLL_RESPONSES:
            if await self._first_time(event):
                await self._poll_response(room_id, event)
        elif isinstance(event, MegolmEvent):
            # nio decrypts what it holds the keys for; this one it could not.
            if crypto.active(self.client):
                await self._undecryptable(room_id, event)
            else:
                await self._cannot_read(room_id)
        elif isinstance(event, RoomMemberEvent):
            await self._membership(room_id, event)

    async def _membership(self, room_id: str, event: RoomMemberEvent) -> None:
        """Someone new in one of the community's rooms is greeted once, in the room of the
        "Start here" message (when `!setup server welcome:` placed one). Leaving a group's
        room in one's client (or being kicked, banned, or turning the invitation down) is
        leaving the group; being let into it by hand is joining it (`_let_in`). The bot's
        own kicks never get here: its events are skipped, and `/group leave` has already
        done the rest."""
        if event.state_key == self.client.user_id:
            return
        joined = event.membership == "join" and event.prev_membership != "join"
        if joined and room_id in self._admin_rooms:
            await self.app.welcome.greet(self.ports.guild_id, self._user(room_id, event.state_key))
            return
        if joined:
            await self._let_in(room_id, event)
            return
        gone = event.membership in ("leave", "ban") and event.prev_membership in ("join", "invite")
        if gone:
            await self.app.groups.membership.left_channel(
                Place(room_id).channel_id, platform_id(PLATFORM, event.state_key)
            )

    async def _let_in(self, room_id: str, event: RoomMemberEvent) -> None:
        """Someone joined a group's room by an invitation: a room moderator let them back
        in from Element, say. Whose invitation counts: a group's room is invite-only, so a
        join answers an invitation by someone the homeserver let invite (in a private room,
        anyone in it). In an open group, which anyone may join anyway, any invitation makes
        a member; in a group by approval, where the initiators decide, only the bot's or a
        room moderator's (the group's managers, or the room's creator): a guest another
        member brought in stays a guest until they ask (`!group join`) and are approved.
        A join without an invitation (a room opened up by hand) is not followed."""
        if event.prev_membership != "invite":
            return
        channel = Place(room_id).channel_id
        if await self.app.groups.directory.by_channel(channel) is None:
            return
        inviter = await self._inviter(room_id, event)
        await self.app.groups.membership.came_in(
            channel,
            self._user(room_id, event.state_key),
            by_manager=inviter is not None and self._moderates(room_id, inviter),
        )

    async def _inviter(self, room_id: str, joined: RoomMemberEvent) -> str | None:
        """Who sent the invitation a join answered: Synapse names them beside the join
        (`prev_sender`); else the invitation is asked for (the state it replaced)."""
        unsigned = joined.source.get("unsigned") or {}
        if unsigned.get("prev_sender"):
            return str(unsigned["prev_sender"])
        replaced = unsigned.get("replaces_state")
        if not replaced:
            return None
        response = await self.client.room_get_event(room_id, replaced)
        return getattr(getattr(response, "event", None), "sender", None)

    def _moderates(self, room_id: str, mxid: str) -> bool:
        """The bot itself, a room creator (room version 12) or someone of moderator power."""
        room = self.client.rooms.get(room_id)
        return (
            mxid == self.client.user_id
            or mxid in self._creators.get(room_id, ())
            or (room is not None and room.power_levels.get_user_level(mxid) >= MODERATOR_LEVEL)
        )

    async def _first_time(self, event: Any) -> bool:
        """Claim an event the bot acts on; False when it was handled before a crash made
        the homeserver send it again. Only these are written down, not every event."""
        return await self.store.take(event.event_id, to_db(self._clock.now()))

    async def _cannot_read(self, room_id: str) -> None:
        """Say once per room that encrypted messages go unread, rather than stay silent."""
        key = f"encrypted-warned:{room_id}"
        if await self.store.get(key) is not None:
            return
        await self.store.put(key, "1")
        guild = await self.app.community.guild(self.ports.guild_id)
        with use_locale(guild.locale or self.app.community.default_locale):
            notice = Reply(t("matrix.encrypted"))
        await self.ports.deliver(Place(room_id), notice, reader=None, notice=True)

    async def _undecryptable(self, room_id: str, event: MegolmEvent) -> None:
        """Ask for the missing room key, and say once per key that the message went unread
        (a key that comes later does not bring the message back: it must be sent again)."""
        await crypto.ask_for_key(self.client, event)
        key = f"undecryptable-warned:{room_id}:{event.session_id}"
        if await self.store.get(key) is not None:
            return
        await self.store.put(key, "1")
        locale = await self.app.community.locale_for(
            platform_id(PLATFORM, event.sender), self.ports.guild_id
        )
        with use_locale(locale):
            notice = Reply(t("matrix.undecryptable"))
        await self.ports.deliver(Place(room_id), notice, reader=None, notice=True)

    async def _message(self, room_id: str, event: RoomMessageText) -> None:
        content = event.source.get("content", {})
        relation = content.get("m.relates_to") or {}
        if relation.get("rel_type") == "m.replace":
            await self._edited(room_id, event.sender, relation.get("event_id"), content)
            return
        thread_root = relation.get("event_id") if relation.get("rel_type") == "m.thread" else None
        place = Place(room_id, thread_root)
        text = markup.command_text(content).strip()
        if text.startswith(COMMAND_PREFIX) and len(text) > 1:
            await self._command(place, event.sender, event.event_id, text)
            return
        if await self._asks_for_help(room_id, event.sender, content, text):
            await self._command(place, event.sender, event.event_id, f"{COMMAND_PREFIX}help")
            return
        user = self._user(room_id, event.sender)
        await self.app.panels.audience.heard(place.channel_id, user, event.body)

    async def _asks_for_help(
        self, room_id: str, sender: str, content: dict[str, Any], text: str
    ) -> bool:
        """A bare help word in someone's direct room with the bot, or the bot mentioned
        alone anywhere: people who do not know the `!` yet get the help, not silence."""
        mentioned = self.client.user_id in (content.get("m.mentions") or {}).get("user_ids", [])
        words = {word.strip("!?.:,;") for word in text.lower().split()} - {""}
        if mentioned:
            # "Podaj dalej: pomoc", "@podaj:example.org help", or the pill alone.
            return words - self._own_names() <= HELP_WORDS
        if not words or not words <= HELP_WORDS:
            return False
        return await self.store.dm_person(room_id) == platform_id(PLATFORM, sender)

    def _own_names(self) -> set[str]:
        """The words people address the bot by: its id, local part and display name."""
        mxid = self.client.user_id.lower()
        return {mxid, mxid.lstrip("@").split(":")[0], *presence.DISPLAY_NAME.lower().split()}

    async def _command(self, place: Place, sender: str, event_id: str, text: str) -> None:
        """Run a typed command; a refused one stays open to a correction by editing it.
        The command is marked read, and the bot shows it is typing until it answered."""
        async with presence.working(self.client, place.room_id, event_id, place.thread_root):
            try:
                # Whose direct room this is, as it was asked in: `!privacy forget` typed in
                # one's direct room forgets that room, and its answer still belongs there.
                private_here = await self._private_to(sender, place.room_id)
                reply = await self._run(place, sender, text[len(COMMAND_PREFIX) :])
                await self._answer(place, sender, event_id, reply, private_here=private_here)
            except Exception:
                # A fault here, outside the command (the dispatcher answers its own): the
                # person still hears that it failed and may try again.
                log.exception("command in %s failed for %s", place.room_id, sender)
                await self._sorry(place, sender)
                return
        key = _editable(place.room_id, event_id)
        if reply.refused:
            at = to_db(self._clock.now())
            await self.store.mark_editable(key, at, sender, place.thread_root or "")
        else:
            await self.store.delete(key)

    async def _edited(
        self, room_id: str, sender: str, original: str | None, content: dict[str, Any]
    ) -> None:
        """An edit is how Element users fix a typo: a refused command, corrected, runs.
        A command that ran is never run again by an edit (it would do it twice)."""
        if not original:
            return
        refused = await self.store.editable(_editable(room_id, original))
        if refused is None or refused[0] != sender:  # only its author may correct it
            return
        thread_root = refused[1]
        text = markup.command_text(content.get("m.new_content") or {}).strip()
        if text.startswith(COMMAND_PREFIX) and len(text) > 1:
            await self._command(Place(room_id, thread_root or None), sender, original, text)

    async def _poll_response(self, room_id: str, event: UnknownEvent) -> None:
        """A vote in one of the bot's polls presses the chosen answer's button; the poll
        shows the voter their vote, so only a vote that did not count is answered."""
        content = event.source.get("content", {})
        poll_id = (content.get("m.relates_to") or {}).get("event_id", "")
        response = content.get(POLL_RESPONSES[0]) or content.get(POLL_RESPONSES[1]) or {}
        chosen = response.get("answers") or []
        offered = json.loads(await self.store.get(poll_key(room_id, poll_id)) or "[]")
        if chosen and chosen[0] in offered:
            await self._press(room_id, event.sender, chosen[0], quiet=True)
        elif not chosen and offered:
            # MSC3381's "unvote": a response without answers takes the vote back.
            await self._withdraw_vote(room_id, event.sender, poll_of_button(offered[0]))

    async def _withdraw_vote(self, room_id: str, sender: str, poll_id: int | None) -> None:
        """A vote taken back no longer counts; like a vote, it is answered only when it
        was refused (the poll closed a moment ago)."""
        if poll_id is None:
            return
        place = Place(room_id)
        ctx = await self.app.dispatcher.invocation(self.request(place, sender))
        with use_locale(ctx.locale):
            try:
                poll = await self.app.polls.find(Viewer.of(ctx), str(poll_id))
                await self.app.polls.withdraw(poll, ctx.actor.user.id)
                return
            except UserError as exc:
                refused = Reply(exc.render(), ephemeral=True, refused=True)
        private_here = await self._private_to(sender, room_id)
        await self._answer(place, sender, None, refused, private_here=private_here)

    # -- reactions as buttons --------------------------------------------------------

    async def _reaction(self, room_id: str, event: ReactionEvent) -> None:
        """A reaction on one of the bot's messages presses the button it stands for; then
        the reactions are tidied (`_tidy`)."""
        key = reactions.normalized(event.key)
        offer = await self.store.offer(room_id, event.reacts_to, key)
        if offer is None or not await self._first_time(event):
            return
        person = platform_id(PLATFORM, event.sender)
        reacted = Reacted(event.event_id, room_id, event.reacts_to, key, person)
        await self.store.note_reaction(reacted)
        reply = None
        private_here = False
        if offer.custom_id is not None:
            # Whose direct room this is, as it was pressed in (a press may forget it).
            private_here = await self._private_to(event.sender, room_id)
            reply = await self.app.dispatcher.press(
                self.request(Place(room_id), event.sender), offer.custom_id
            )
        stood = reply is not None and not reply.refused
        if not stood:
            # Off the books, before anything is said: taking back a reaction that pressed
            # nothing undoes nothing (a refused 2️⃣ taken back must not answer "not signed
            # up for slot 2"), also after a restart right after the answer.
            await self.store.forget_reaction(reacted.reaction_id)
        if reply is not None:
            await self._answer(Place(room_id), event.sender, None, reply, private_here=private_here)
        await self._tidy(reacted, offer.custom_id if stood else None)

    async def _tidy(self, reacted: Reacted, custom_id: str | None) -> None:
        """After a press by reaction (`custom_id`; None: it pressed nothing): the bot's own
        reaction with that key gives way, so the count shows people only; and where the
        bot may redact other people's events, a reaction that pressed nothing is taken
        off, and so is the person's earlier answer to the same question (✅ after 🤔), so
        no reaction shows a choice that does not stand."""
        may_redact = self.ports.may_redact_others(reacted.room_id)
        if custom_id is None:
            # It counts for nothing; the bot's own reaction stays to be pressed.
            stale = [reacted] if may_redact else []
        else:
            on_message = await self.store.reactions_on(reacted.message_id)
            me = self.ports.own_id
            stale = [r for r in on_message if r.user_id == me and r.key == reacted.key]
            question = reactions.answer_of(custom_id)
            if may_redact and question is not None:
                stale += [
                    other
                    for other in on_message
                    if other.user_id == reacted.user_id
                    and other.key != reacted.key
                    and await self._answers(other, question)
                ]
        for gone in stale:
            await self.store.forget_reaction(gone.reaction_id)
            try:
                await self.ports.redact(gone.room_id, gone.reaction_id)
            except DeliveryFailed as exc:
                log.warning("reaction %s not taken off: %s", gone.reaction_id, exc)
                continue
            if gone.user_id != self.ports.own_id:
                await self._offer_again(gone.room_id, gone.message_id, gone.key)

    async def _answers(self, reacted: Reacted, question: str) -> bool:
        """Whether this reaction gave an answer to `question`."""
        offer = await self.store.offer(reacted.room_id, reacted.message_id, reacted.key)
        pressed = offer.custom_id if offer is not None else None
        return pressed is not None and reactions.answer_of(pressed) == question

    async def _taken_back(self, room_id: str, event: RedactionEvent) -> None:
        """Someone took their reaction back: the button that undoes it is pressed (a sign-up
        sheet's keycap signs out)."""
        reacted = await self.store.forget_reaction(event.redacts)
        if reacted is None or reacted.user_id != platform_id(PLATFORM, event.sender):
            return
        offer = await self.store.offer(room_id, reacted.message_id, reacted.key)
        if offer is not None and offer.undo_custom_id is not None:
            await self._press(room_id, event.sender, offer.undo_custom_id)
        await self._offer_again(room_id, reacted.message_id, reacted.key)

    async def _offer_again(self, room_id: str, message_id: str, key: str) -> None:
        """With nobody's reaction of this kind left, the bot adds its own again, so pressing
        stays one click."""
        offer = await self.store.offer(room_id, message_id, key)
        if offer is None or offer.custom_id is None:
            return
        if await self.store.reactions_on(message_id, key=key):
            return
        try:
            await self.ports.seed(room_id, message_id, offer.emoji)
        except DeliveryFailed as exc:
            log.warning("reaction on %s not offered again: %s", message_id, exc)

    # -- commands and presses --------------------------------------------------------

    async def _run(self, place: Place, sender: str, text: str) -> Reply:
        request = self.request(place, sender)
        try:
            command, options = read_command(self.app.registry, text)
            args = {
                name: await self._typed(command.option(name), value, place.room_id)
                for name, value in options.items()
            }
        except UserError as exc:
            locale = await self.app.community.locale_for(request.actor.user.id, self.ports.guild_id)
            with use_locale(locale):
                return Reply(exc.render(), ephemeral=True, refused=True)
        return await self.app.dispatcher.run(request, command.path, args)

    async def _press(
        self, room_id: str, sender: str, custom_id: str, *, quiet: bool = False
    ) -> Reply:
        """Press a button for `sender`; `quiet`: answer only if it was refused."""
        place = Place(room_id)
        private_here = await self._private_to(sender, room_id)
        reply = await self.app.dispatcher.press(self.request(place, sender), custom_id)
        if not quiet or reply.refused:
            await self._answer(place, sender, None, reply, private_here=private_here)
        return reply

    async def _private_to(self, sender: str, room_id: str) -> bool:
        """Whether the room is the sender's direct room with the bot."""
        return await self.store.dm_person(room_id) == platform_id(PLATFORM, sender)

    def request(self, place: Place, sender: str) -> Request:
        room = self.client.rooms.get(place.room_id)
        channel = ChannelRef(
            place.channel_id,
            room.display_name if room else place.room_id,
            Place(place.room_id).channel_id if place.thread_root else None,
        )
        user = self._user(place.room_id, sender)
        actor = Actor(user, is_admin=self._is_admin(sender), platform_roles=self._rooms_of(sender))
        return Request(PLATFORM, self.ports.guild_id, channel, actor)

    def _user(self, room_id: str, mxid: str) -> UserRef:
        room = self.client.rooms.get(room_id)
        name = room.user_name(mxid) if room else None
        return UserRef(platform_id(PLATFORM, mxid), name or mxid)

    def _is_admin(self, mxid: str) -> bool:
        """Room admins of the configured community rooms administer the bot."""
        return any(
            room.power_levels.get_user_level(mxid) >= ADMIN_LEVEL
            or mxid in self._creators.get(room_id, ())
            for room_id, room in self.client.rooms.items()
            if room_id in self._admin_rooms
        )

    def _rooms_of(self, mxid: str) -> frozenset[str]:
        """A Matrix platform role is a room: the person holds the rooms they are in."""
        return frozenset(
            room_ref_id(room_id) for room_id in self.client.rooms if mxid in self._joined(room_id)
        )

    async def _answer(
        self,
        place: Place,
        sender: str,
        command_event: str | None,
        reply: Reply,
        *,
        private_here: bool,
    ) -> None:
        """Public answers go where the command was; private ones too when it was the
        person's direct room (`private_here`), else to their direct room — a 📬 on their
        message, and once a line in the room, say where — and never into a room others
        read, even when no direct room can be had."""
        user_id = platform_id(PLATFORM, sender)
        try:
            if not reply.ephemeral or private_here:
                await self.ports.deliver(place, reply, reader=user_id, notice=reply.ephemeral)
                return
            try:
                room = await self.ports.dm_room(user_id)
            except DeliveryFailed as exc:
                if not exc.permanent:
                    raise
                # They left their direct room with the bot: tell them where to find it.
                await self._point_to_dm(place, user_id, "matrix.private_unreachable")
                return
            await self.ports.deliver(Place(room), reply, reader=user_id, notice=True)
            if command_event is not None:
                await self.ports.react(place.room_id, command_event, ANSWERED_ELSEWHERE)
            key = f"told-private:{user_id}"
            if await self.store.get(key) is None:
                await self.store.put(key, "1")
                await self._point_to_dm(place, user_id, "matrix.private_elsewhere")
        except DeliveryFailed as exc:
            log.warning("answer to %s not delivered: %s", sender, exc)

    async def _sorry(self, place: Place, sender: str) -> None:
        """The internal-error answer, in the room the command came from."""
        user_id = platform_id(PLATFORM, sender)
        try:
            locale = await self.app.community.locale_for(user_id, self.ports.guild_id)
            with use_locale(locale):
                sorry = Reply(t("error.internal"), mentions=(user_id,))
            await self.ports.deliver(place, sorry, reader=user_id, notice=True)
        except Exception:
            log.exception("the error answer to %s was not delivered either", sender)

    async def _point_to_dm(self, place: Place, user_id: str, key: str) -> None:
        """A line in the room for one person, naming them (so they are notified)."""
        locale = await self.app.community.locale_for(user_id, self.ports.guild_id)
        who = self.ports.mention(user_id)
        with use_locale(locale):
            note = Reply(t(key, who=who, bot=self.client.user_id), mentions=(user_id,))
        await self.ports.deliver(place, note, reader=user_id, notice=True)

    # -- options written as text -----------------------------------------------------

    async def _typed(self, option: Option | None, value: str, room_id: str) -> Any:
        if option is None:
            return value
        if option.type is OptionType.USER:
            return self._person(value, room_id)
        if option.lists_people:
            return await self._people(value, room_id)
        if option.type is OptionType.CHANNEL:
            return await self._room(value, ChannelRef)
        if option.type is OptionType.ROLE:
            return await self._room(value, RoleRef)
        return value

    def _person(self, value: str, room_id: str) -> UserRef:
        """`@anna:example.org` of someone in a room with the bot (or a pill), or the local
        part (`@anna`, `anna`) or display name of a member of this room. A full id nobody
        here has (a typo such as `@jna:example.org`) is refused: it would seat or grant no
        one; so is a name that fits several members, naming them."""
        if value.startswith("@") and ":" in value:
            if not any(value in room.users for room in self.client.rooms.values()):
                raise UserError("error.matrix.unknown_user_id", name=value)
            return self._user(room_id, value)
        wanted = normalize(value.lstrip("@"))
        room = self.client.rooms.get(room_id)
        members = room.users if room else {}
        found = sorted(
            mxid
            for mxid, member in members.items()
            if wanted in (normalize(member.display_name or ""), normalize(_local_part(mxid)))
        )
        if not found:
            raise UserError("error.matrix.unknown_user", name=value)
        if len(found) > 1:
            named = ", ".join(f"{members[m].display_name or _local_part(m)} ({m})" for m in found)
            raise UserError(
                "error.matrix.ambiguous_user", name=inert(value), candidates=inert(named)
            )
        return self._user(room_id, found[0])

    async def _people(self, text: str, room_id: str) -> str:
        """A list of people — full ids, pills, local parts or display names of members of
        this room — written as their full ids; each one's display name is remembered, so
        cards and transcripts show it rather than the id."""
        ids: list[str] = []
        for word in _WORDS.split(text):
            if word:
                person = self._person(word, room_id)
                await self.app.community.remember(person)
                ids.append(native_id(person.id))
        return " ".join(ids)

    async def _room(self, value: str, kind: type[RoomRef]) -> RoomRef:
        """`!id`, `#alias:server`, or the name of a room the bot is in."""
        if value.startswith("!"):
            room_id: str | None = value
        elif value.startswith("#") and ":" in value:
            response = await self.client.room_resolve_alias(value)
            room_id = getattr(response, "room_id", None)
        else:
            room_id = self._room_named(value)
        if room_id is None:
            raise UserError("error.matrix.unknown_room", room=value)
        room = self.client.rooms.get(room_id)
        return kind(room_ref_id(room_id), room.display_name if room else value)

    def _room_named(self, value: str) -> str | None:
        wanted = normalize(value.lstrip("#"))
        for room_id, room in self.client.rooms.items():
            alias = (room.canonical_alias or "")[1:].split(":", 1)[0]
            if wanted in (normalize(room.display_name), normalize(alias)):
                return room_id
        return None


def _local_part(mxid: str) -> str:
    """'@anna:example.org' → 'anna'."""
    return mxid[1:].split(":", 1)[0]


def _version(room_version: str) -> int:
    """'12' → 12; unknown or experimental versions ('org.example.v1') count as old."""
    return int(room_version) if room_version.isdigit() else 0


class SyncFailed(Exception):
    """The homeserver answered /sync with an error."""


async def run_matrix(settings: Settings) -> int:
    """`python -m bot matrix`: run until stopped (Ctrl-C or SIGTERM)."""
    login = settings.matrix_login()
    bot = MatrixBot(settings, login)
    try:
        try:
            await bot.start()
        except (aiohttp.ClientError, TimeoutError) as exc:
            raise ConfigError(f"cannot reach MATRIX_HOMESERVER {login.homeserver}: {exc}") from None
        following = bot.follow()
        # systemd stops the service with SIGTERM: finish the batch in hand and close cleanly.
        asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, following.cancel)
        with contextlib.suppress(asyncio.CancelledError):
            await following
    finally:
        await bot.close()
    return 0


def back_up_keys(settings: Settings, target: Path) -> Path | None:
    """`python -m bot backup PATH`: the Matrix key store goes beside the database's copy."""
    return crypto.back_up_key_store(settings.database_path, target)


def _editable(room_id: str, event_id: str) -> str:
    """The store key of a refused command that an edit may correct (its thread, if any)."""
    return f"editable:{room_id}:{event_id}"
