"""People in the Matrix stories: real matrix-nio clients that type, react, vote and read.

Waiting is a bounded series of /sync long-polls (one second each), never a sleep: a
story ends as soon as the awaited message arrives, or fails with what did arrive.

Someone who logs in with a key store encrypts like Element does: their keys are uploaded,
every device they meet (the bot's too) is trusted on first use, what they write in an
encrypted room is encrypted, and what they read there is decrypted before they see it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nio import (
    AsyncClient,
    AsyncClientConfig,
    LoginResponse,
    RoomCreateResponse,
    RoomSendResponse,
    SyncResponse,
)
from nio.api import Api
from nio.crypto import decrypt_attachment

from matrix import crypto

POLL_RESPONSE = "org.matrix.msc3381.poll.response"
# More than Synapse's default of 10 per room, so a busy second is never cut short.
SYNC_FILTER = {"room": {"timeline": {"limit": 200}}}


@dataclass(frozen=True)
class Seen:
    """An event someone else sent, with the room it was in; `encrypted`: it came
    encrypted and was decrypted on arrival."""

    room_id: str
    source: dict[str, Any]
    encrypted: bool = False

    @property
    def type(self) -> str:
        return str(self.source.get("type", ""))

    @property
    def content(self) -> dict[str, Any]:
        return dict(self.source.get("content", {}))

    @property
    def body(self) -> str:
        return str(self.content.get("body", ""))

    @property
    def event_id(self) -> str:
        return str(self.source.get("event_id", ""))

    @property
    def sender(self) -> str:
        return str(self.source.get("sender", ""))

    @property
    def relation(self) -> dict[str, Any]:
        return dict(self.content.get("m.relates_to") or {})


Match = Callable[[Seen], bool]


class Person:
    def __init__(self, client: AsyncClient) -> None:
        self.client = client
        self.user_id = client.user_id
        self.unread: list[Seen] = []
        self.direct_rooms: set[str] = set()

    @classmethod
    async def log_in(
        cls, base_url: str, user_id: str, password: str, *, key_store: Path | None = None
    ) -> Person:
        """Log in; with a `key_store` directory, as an encrypting client."""
        if key_store is None:
            client = AsyncClient(base_url, user_id)
        else:
            config = AsyncClientConfig(encryption_enabled=True, store_sync_tokens=False)
            store = str(_made(key_store))
            client = AsyncClient(base_url, user_id, store_path=store, config=config)
        response = await client.login(password)
        assert isinstance(response, LoginResponse), response
        person = cls(client)
        await crypto.keep_keys(client)
        await person._sync(timeout_ms=0)
        person.unread.clear()
        return person

    async def close(self) -> None:
        await self.client.close()

    # -- acting ------------------------------------------------------------------------

    async def create_room(self, name: str, invite: list[str]) -> str:
        response = await self.client.room_create(name=name, invite=invite)
        assert isinstance(response, RoomCreateResponse), response
        return str(response.room_id)

    async def open_encrypted_dm(self, with_: str) -> str:
        """A direct chat as Element opens it by default: encrypted from the start."""
        encryption = {
            "type": "m.room.encryption",
            "state_key": "",
            "content": {"algorithm": "m.megolm.v1.aes-sha2"},
        }
        response = await self.client.room_create(
            is_direct=True, invite=[with_], initial_state=[encryption]
        )
        assert isinstance(response, RoomCreateResponse), response
        self.direct_rooms.add(response.room_id)
        return str(response.room_id)

    async def say(self, room_id: str, body: str, *, thread: str | None = None) -> str:
        content: dict[str, Any] = {"msgtype": "m.text", "body": body}
        if thread is not None:
            content["m.relates_to"] = {"rel_type": "m.thread", "event_id": thread}
        return await self._send(room_id, "m.room.message", content)

    async def edit(self, room_id: str, event_id: str, body: str) -> str:
        """Correct a message the way Element does: an m.replace carrying the new text."""
        new = {"msgtype": "m.text", "body": body}
        content = {
            "msgtype": "m.text",
            "body": f"* {body}",
            "m.new_content": new,
            "m.relates_to": {"rel_type": "m.replace", "event_id": event_id},
        }
        return await self._send(room_id, "m.room.message", content)

    async def download(self, seen: Seen) -> bytes:
        """The file a message carries (m.file, m.image), decrypted if it came encrypted."""
        encrypted = seen.content.get("file")
        mxc = encrypted["url"] if encrypted else seen.content["url"]
        response = await self.client.download(mxc=mxc)
        assert hasattr(response, "body"), response
        if encrypted:
            return bytes(
                decrypt_attachment(
                    response.body,
                    encrypted["key"]["k"],
                    encrypted["hashes"]["sha256"],
                    encrypted["iv"],
                )
            )
        return bytes(response.body)

    async def react(self, room_id: str, event_id: str, key: str) -> str:
        relation = {"rel_type": "m.annotation", "event_id": event_id, "key": key}
        return await self._send(room_id, "m.reaction", {"m.relates_to": relation})

    async def take_back(self, room_id: str, reaction_id: str) -> None:
        """Remove one's own reaction, as clicking it again in Element does (a redaction)."""
        response = await self.client.room_redact(room_id, reaction_id)
        assert hasattr(response, "event_id"), response

    async def react_encrypted(self, room_id: str, event_id: str, key: str) -> str:
        """A reaction encrypted like any other event (as some clients send them; nio
        itself leaves reactions in the clear)."""
        relation = {"rel_type": "m.annotation", "event_id": event_id, "key": key}
        if not self.client.rooms[room_id].members_synced:
            await self.client.joined_members(room_id)
            await crypto.keep_keys(self.client)
        if self.client.olm.should_share_group_session(room_id):
            await self.client.share_group_session(room_id, ignore_unverified_devices=True)
        event_type, content = self.client.encrypt(room_id, "m.reaction", {"m.relates_to": relation})
        # room_send would encrypt it a second time: the encrypted event goes out as it is.
        method, path, data = Api.room_send(
            self.client.access_token, room_id, event_type, content, f"reaction-{event_id}-{key}"
        )
        response = await self.client._send(RoomSendResponse, method, path, data, (room_id,))
        assert isinstance(response, RoomSendResponse), response
        return str(response.event_id)

    async def vote(self, room_id: str, poll_id: str, answer_id: str) -> str:
        content = {
            POLL_RESPONSE: {"answers": [answer_id]},
            "m.relates_to": {"rel_type": "m.reference", "event_id": poll_id},
        }
        return await self._send(room_id, POLL_RESPONSE, content)

    async def _send(self, room_id: str, event_type: str, content: dict[str, Any]) -> str:
        response = await self.client.room_send(
            room_id, event_type, content, ignore_unverified_devices=True
        )
        assert hasattr(response, "event_id"), response
        return str(response.event_id)

    # -- reading -----------------------------------------------------------------------

    async def wait_for(self, match: Match, *, timeout_s: float = 15.0) -> Seen:
        """The first unread event that matches (taken off the unread list)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout_s
        while True:
            for index, seen in enumerate(self.unread):
                if match(seen):
                    return self.unread.pop(index)
            if loop.time() > deadline:
                shown = [f"{s.type}: {s.body[:80]!r}" for s in self.unread]
                raise AssertionError(f"{self.user_id} waited {timeout_s} s in vain; saw {shown}")
            await self._sync(timeout_ms=1000)

    async def nothing_more(self, match: Match, *, for_s: float = 2.0) -> None:
        """No matching event arrives within `for_s` seconds (bounded, for "never twice")."""
        try:
            extra = await self.wait_for(match, timeout_s=for_s)
        except AssertionError:
            return
        raise AssertionError(f"unexpected: {extra.body!r}")

    def read_up_to(self, room_id: str, who: str) -> str | None:
        """The event `who` last marked read in a room's main timeline (from sync)."""
        room = self.client.rooms.get(room_id)
        receipt = room.threaded_read_receipts.get(who, {}).get("main") if room else None
        return receipt.event_id if receipt else None

    async def catch_up(self) -> None:
        """One short sync: accept pending invitations, collect what arrived."""
        await self._sync(timeout_ms=200)

    async def _sync(self, *, timeout_ms: int) -> None:
        response = await self.client.sync(timeout=timeout_ms, sync_filter=SYNC_FILTER)
        if not isinstance(response, SyncResponse):
            return
        await crypto.keep_keys(self.client)
        for room_id, info in response.rooms.invite.items():
            # Everyone in these stories accepts the bot's invites at once.
            if any(getattr(e, "content", {}).get("is_direct") for e in info.invite_state):
                self.direct_rooms.add(room_id)
            await self.client.join(room_id)
        # Rooms they were taken out of show them why (the removal with its reason).
        timelines = [*response.rooms.join.items(), *response.rooms.leave.items()]
        for room_id, info in timelines:
            for event in info.timeline.events:
                if event.sender != self.user_id:
                    decrypted = bool(getattr(event, "decrypted", False))
                    self.unread.append(Seen(room_id, event.source, decrypted))


def _made(directory: Path) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def says(*parts: str, room: str | None = None, after_edit: bool = False) -> Match:
    """A text message (or notice) containing every part, optionally in one room; not a
    command someone typed. `after_edit`: the text as an edit shows it (m.new_content)."""

    def match(seen: Seen) -> bool:
        body = seen.content.get("m.new_content", {}).get("body", "") if after_edit else seen.body
        return (
            seen.type == "m.room.message"
            # A command someone typed is plain text; the bot's messages are always formatted.
            and not (seen.body.startswith("!") and "formatted_body" not in seen.content)
            and (room is None or seen.room_id == room)
            and all(part in body for part in parts)
        )

    return match


def of_type(event_type: str, room: str | None = None) -> Match:
    return lambda seen: seen.type == event_type and (room is None or seen.room_id == room)


def reaction(on: str, key: str, *, by: str | None = None) -> Match:
    """A reaction with `key` on the message `on` (by someone in particular, if given)."""
    return lambda seen: (
        seen.type == "m.reaction"
        and seen.relation.get("event_id") == on
        and seen.relation.get("key") == key
        and (by is None or seen.sender == by)
    )


def redaction(of: str) -> Match:
    """The redaction of the event `of` (in rooms of version 11 on, `redacts` moved into
    the content)."""
    return lambda seen: (
        seen.type == "m.room.redaction"
        and of
        in (
            seen.source.get("redacts"),
            seen.content.get("redacts"),
        )
    )
