"""What the bot knows of a room's members survives a sync that arrives while it sends
(matrix.ports): later syncs carry only what is new, so a room sync has filled must never
be replaced or dropped."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from nio import (
    MatrixRoom,
    RoomGetStateEventError,
    RoomGetStateEventResponse,
    RoomSendResponse,
)

from bot.ports import DeliveryFailed
from bot.refs import platform_id
from matrix import crypto
from matrix.ports import PLATFORM, MatrixPorts

BOT, ANNA, ROOM = "@podaj:example.org", "@anna:example.org", "!dm:example.org"


def synced_room(room: MatrixRoom | None = None) -> MatrixRoom:
    """The room as sync shows it, the bot in it and Anna invited; like nio, sync fills
    the room it already knows."""
    room = room or MatrixRoom(ROOM, BOT)
    room.add_member(BOT, None, None)
    room.add_member(ANNA, None, None, invited=True)
    return room


@dataclass
class Client:
    """Enough of nio's AsyncClient: `sync_during` names the request during which sync
    brings the room."""

    sync_during: str
    user_id: str = BOT
    olm: object = object()
    rooms: dict[str, MatrixRoom] = field(default_factory=dict)
    encrypted_rooms: set[str] = field(default_factory=set)

    def _maybe_sync(self, request: str) -> None:
        if request == self.sync_during:
            self.rooms[ROOM] = synced_room(self.rooms.get(ROOM))

    async def room_get_state_event(self, room_id: str, event_type: str) -> Any:
        self._maybe_sync("state")
        return RoomGetStateEventError("not encrypted", "M_NOT_FOUND")

    async def room_send(self, room_id: str, *args: Any, **kwargs: Any) -> Any:
        self._maybe_sync("send")
        return RoomSendResponse("$sent", room_id)


async def test_a_room_sync_brings_while_its_state_is_asked_for_keeps_its_members() -> None:
    client = Client(sync_during="state")
    await MatrixPorts(client).send_event(ROOM, "m.room.message", {"body": "hi"})  # type: ignore[arg-type]
    assert ANNA in client.rooms[ROOM].invited_users and BOT in client.rooms[ROOM].users


async def test_a_room_sync_fills_while_sending_stays() -> None:
    client = Client(sync_during="send")
    await MatrixPorts(client).send_event(ROOM, "m.room.message", {"body": "hi"})  # type: ignore[arg-type]
    assert ANNA in client.rooms[ROOM].invited_users


async def test_a_plain_room_sync_has_not_shown_yet_is_left_for_sync_to_add() -> None:
    client = Client(sync_during="never")
    await MatrixPorts(client).send_event(ROOM, "m.room.message", {"body": "hi"})  # type: ignore[arg-type]
    assert ROOM not in client.rooms


def test_a_room_made_encrypted_after_sync_brought_it_keeps_its_members() -> None:
    client = Client(sync_during="never")
    client.rooms[ROOM] = synced_room()
    crypto.expect_invited(client, ROOM, ANNA)  # type: ignore[arg-type]
    room = client.rooms[ROOM]
    assert room.encrypted and BOT in room.users and ROOM in client.encrypted_rooms


@dataclass
class Store:
    """The bot's record of each person's direct room."""

    rooms: dict[str, str]

    async def dm_room(self, user_id: str) -> str | None:
        return self.rooms.get(user_id)


@dataclass
class Homeserver(Client):
    """Anna's membership as the homeserver has it, whatever the bot's view shows."""

    membership: str = "join"

    async def room_get_state_event(self, room_id: str, event_type: str, key: str = "") -> Any:
        if event_type == "m.room.member" and self.membership:
            return RoomGetStateEventResponse(
                {"membership": self.membership}, event_type, key, room_id
            )
        return await super().room_get_state_event(room_id, event_type)


def ports_for(client: Client) -> MatrixPorts:
    ports = MatrixPorts(client)  # type: ignore[arg-type]
    ports.attach(None, Store({platform_id(PLATFORM, ANNA): ROOM}))  # type: ignore[arg-type]
    return ports


async def test_a_direct_room_the_bots_view_shows_without_them_is_asked_of_the_homeserver() -> None:
    client = Homeserver(sync_during="never", membership="join")
    client.rooms[ROOM] = MatrixRoom(ROOM, BOT)  # seen in sync, its members not yet
    assert await ports_for(client).dm_room(platform_id(PLATFORM, ANNA)) == ROOM


async def test_a_direct_room_they_left_is_given_up() -> None:
    for membership in ("leave", "ban", ""):
        client = Homeserver(sync_during="never", membership=membership)
        client.rooms[ROOM] = MatrixRoom(ROOM, BOT)
        with pytest.raises(DeliveryFailed) as failed:
            await ports_for(client).dm_room(platform_id(PLATFORM, ANNA))
        assert failed.value.permanent
