"""The welcome's rules: greet each person once per server, in their language, and keep a
server's "Start here" message where an admin put it.

The three ways forward the greeting offers (a group near me, language and zone, what is
coming up) are answered by the features that own them; this module only says hello and
keeps the message that offers them (bot/welcome/commands.py wires the buttons).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from bot.clock import Clock
from bot.community.service import CommunityService
from bot.errors import UserError
from bot.i18n import use_locale
from bot.ports import DeliveryFailed, Messenger
from bot.refs import ChannelRef, UserRef
from bot.welcome import messages
from bot.welcome.store import StartHerePost, WelcomeStore

log = logging.getLogger(__name__)


class Welcome:
    def __init__(
        self,
        store: WelcomeStore,
        clock: Clock,
        messenger: Messenger,
        community: CommunityService,
        group_of_channel: Callable[[str], Awaitable[int | None]],
    ) -> None:
        self._store = store
        self._clock = clock
        self._messenger = messenger
        self._community = community
        self._group_of_channel = group_of_channel

    # -- greeting a person once ----------------------------------------------------------

    async def first_time(self, guild_id: str, user_id: str) -> bool:
        """Whether this is the person's first greeting in the server (and note it)."""
        return await self._store.claim_greeting(guild_id, user_id, self._clock.now())

    async def greet(self, guild_id: str, user: UserRef, channel_id: str | None = None) -> bool:
        """Say hello to a newcomer, once: in `channel_id`, or else in the server's "Start
        here" channel, in the person's language (their choice, else the server's). False
        when they were greeted before or there is nowhere to greet them."""
        if channel_id is None:
            post = await self._store.post(guild_id)
            if post is None:
                log.info("no welcome channel in %s: %s is not greeted", guild_id, user.id)
                return False
            channel_id = post.channel.id
        if not await self.first_time(guild_id, user.id):
            return False
        await self._community.remember(user)
        with use_locale(await self._community.locale_for(user.id, guild_id)):
            greeting = messages.greeting(user.id, self._messenger.mention(user.id))
        try:
            await self._messenger.send_channel(channel_id, greeting)
        except DeliveryFailed as exc:
            # /start still offers them the same; a lost hello is not worth a retry.
            log.warning("the greeting of %s in %s was not sent: %s", user.id, channel_id, exc)
        return True

    # -- the "Start here" message --------------------------------------------------------

    async def start_here(self, guild_id: str) -> ChannelRef | None:
        """The channel of the server's "Start here" message, if it has one."""
        post = await self._store.post(guild_id)
        return post.channel if post else None

    async def check_start_here(self, channel: ChannelRef) -> None:
        """Refuse a group's channel: only its members see it, so newcomers would never
        find the message there, and the group would watch each newcomer being greeted."""
        if await self._group_of_channel(channel.id) is not None:
            raise UserError("error.welcome.group_channel", channel=channel.name)

    async def place_start_here(self, guild_id: str, channel: ChannelRef | None) -> None:
        """Post the "Start here" message in `channel`, in the server's language: the one
        already there is edited (and one left in another channel says where it went). With
        no channel, the message where it is is worded again (the language changed)."""
        old = await self._store.post(guild_id)
        target = channel or (old.channel if old else None)
        if target is None:
            return
        with use_locale(await self._community.server_locale(guild_id)):
            message = messages.start_here()
            moved = messages.start_here_moved(target.name)
        if old is not None and old.channel.id == target.id:
            try:
                await self._messenger.edit_message(target.id, old.message_id, message)
                return
            except DeliveryFailed as exc:
                if not exc.permanent:
                    raise
                # Someone deleted it: post it again.
        try:
            sent = await self._messenger.send_channel(target.id, message)
        except DeliveryFailed as exc:
            log.warning("the Start here message was not posted in %s: %s", target.id, exc)
            raise UserError("error.welcome.not_posted", channel=target.name) from exc
        await self._store.save_post(
            guild_id, StartHerePost(target, sent.message_id), self._clock.now()
        )
        if old is not None and old.channel.id != target.id:
            try:
                await self._messenger.edit_message(old.channel.id, old.message_id, moved)
            except DeliveryFailed as exc:
                log.info("the old Start here message in %s stays: %s", old.channel.id, exc)
