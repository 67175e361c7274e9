"""What the bot knows of a room's members survives a sync that arrives while it sends
(matrix.ports): later syncs carry only what is new, so a room sync has filled must never
be replaced or dropped."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from nio import MatrixRoom, RoomGetStateEventError, RoomSendResponse

from matrix import crypto
from matrix.ports import MatrixPorts

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
