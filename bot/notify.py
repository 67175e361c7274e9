"""What features say on their own initiative: in the reader's language, never failing the
use case that triggered it, and live messages kept in step with their rows."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from bot.community.service import CommunityService
from bot.i18n import use_locale
from bot.ports import DeliveryFailed, MessageRef, Messenger
from bot.refs import is_former
from bot.replies import Reply

log = logging.getLogger(__name__)

Build = Callable[[], Reply]


class Notifier:
    def __init__(self, messenger: Messenger, community: CommunityService) -> None:
        self._messenger = messenger
        self._community = community

    async def guild_locale(self, guild_id: str) -> str:
        return await self._community.server_locale(guild_id)

    async def tell(self, user_id: str, guild_id: str, build: Build) -> bool:
        """A direct message in the user's language; False when it could not be sent."""
        if is_former(user_id):
            return False
        with use_locale(await self._community.locale_for(user_id, guild_id)):
            reply = build()
        try:
            await self._messenger.send_dm(user_id, reply)
        except DeliveryFailed as exc:
            log.info("direct message to %s not sent: %s", user_id, exc)
            return False
        return True

    async def post(self, channel_id: str, guild_id: str, build: Build) -> MessageRef | None:
        """A message in a channel, in the server's language; None when it failed."""
        with use_locale(await self.guild_locale(guild_id)):
            reply = build()
        try:
            return await self._messenger.send_channel(channel_id, reply)
        except DeliveryFailed as exc:
            log.warning("could not post in %s: %s", channel_id, exc)
            return None

    async def to_log(self, guild_id: str, build: Build) -> MessageRef | None:
        """A line in the server's log channel (chosen in /setup); None without one."""
        channel = (await self._community.guild(guild_id)).log
        if channel is None:
            return None
        return await self.post(channel.id, guild_id, build)

    async def edit(self, channel_id: str, message_id: str, guild_id: str, build: Build) -> None:
        """Bring a posted message up to date, in the server's language. The change behind
        it is already committed, so a failed edit is logged, never the user's error; the
        next change edits the message again."""
        with use_locale(await self.guild_locale(guild_id)):
            reply = build()
        try:
            await self._messenger.edit_message(channel_id, message_id, reply)
        except DeliveryFailed as exc:
            log.warning("message %s in %s not updated: %s", message_id, channel_id, exc)
        except Exception:
            log.exception("message %s in %s not updated", message_id, channel_id)


class LiveMessages:
    """Keeps posted messages (a sheet, a poll) in step with their rows. Changes that come
    while a message is being edited fold into one more edit, so a burst of a hundred joins
    costs a couple of edits, not a hundred."""

    def __init__(self, edit: Callable[[int], Awaitable[None]]) -> None:
        self._edit = edit
        self._editing: set[int] = set()
        self._dirty: set[int] = set()

    async def refresh(self, key: int) -> None:
        if key in self._editing:
            self._dirty.add(key)
            return
        self._editing.add(key)
        try:
            while True:
                # Let the other changes of this moment (the joins one commit answered)
                # reach `refresh` first, so they fold into this edit, not one more.
                await asyncio.sleep(0)
                self._dirty.discard(key)
                await self._edit(key)
                if key not in self._dirty:
                    break
        finally:
            self._editing.discard(key)
