"""End-to-end encryption on Matrix: where the bot's keys live, trust on first use, and
the key traffic nio needs around each sync.

matrix-nio encrypts and decrypts by itself once its key store is loaded (after login);
what it leaves to its caller is done here: uploading the bot's own keys, fetching the
device lists of the people it shares rooms with, claiming one-time keys for new Olm
sessions, and sending the to-device messages (room keys, key requests) it queued.

Devices are trusted on first use: the first keys seen for a device are the ones the bot
encrypts for, and nio refuses a later change of keys under the same device id. Nobody
verifies the bot's counterparts by hand; that is the trade a bot makes to be reachable
from a default Element setup, which encrypts every direct chat.

Direct rooms the bot opens itself are encrypted when the person's client encrypts, and
what the key store knows of a person (their devices, the sessions with them) is part of
`/privacy export` and `/privacy forget` (`PeoplesKeys`).

No server-side key backup: matrix-nio (0.26) implements none of the `/room_keys` API, so
the keys live only in the key store, and `python -m bot backup` is what keeps them.
"""

from __future__ import annotations

import contextlib
import logging
from pathlib import Path
from typing import Any

from nio import AsyncClient, ErrorResponse, MatrixRoom, MegolmEvent
from nio.crypto import ENCRYPTION_ENABLED, OlmDevice, TrustState
from nio.exceptions import LocalProtocolError
from nio.store import SqliteStore
from nio.store.models import (
    DeviceKeys,
    DeviceTrustState,
    Keys,
    MegolmInboundSessions,
    OlmSessions,
)

from bot.db import backup
from bot.ports import DeliveryFailed
from bot.refs import native_id

log = logging.getLogger(__name__)

# False when matrix-nio was installed without its e2e extra: the bot then stays out of
# encrypted rooms' business (it says it cannot read them and never adopts one as a DM).
AVAILABLE: bool = ENCRYPTION_ENABLED
KEY_STORE_SUFFIX = ".matrix-keys"
# The state event that makes a room encrypted from its creation.
ENCRYPTION_STATE = {
    "type": "m.room.encryption",
    "state_key": "",
    "content": {"algorithm": "m.megolm.v1.aes-sha2"},
}
# How the key store's trust reads in an export.
TRUST_WORDS = {
    TrustState.verified: "trusted on first use",
    TrustState.blacklisted: "blocked",
    TrustState.ignored: "ignored",
    TrustState.unset: "not yet trusted",
}
# Everything in one SQLite file per device, trust included (nio's default store keeps
# trust in text files beside it): one file to back up, through the online backup API.
STORE = SqliteStore


def key_store_of(database_path: Path) -> Path:
    """Where the keys of the bot on this database live: `<database>.matrix-keys/`."""
    return database_path.with_name(database_path.name + KEY_STORE_SUFFIX)


def key_store(database_path: Path) -> Path:
    """The directory of the bot's encryption keys, beside its database, made if need be
    (back both up together: a database restored without its keys cannot read what was
    sent before)."""
    path = key_store_of(database_path)
    # Private keys: readable by the bot's own user only.
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def back_up_key_store(database_path: Path, target: Path) -> Path | None:
    """Copy the key store beside a backup of the database (`<target>.matrix-keys/`),
    each of its SQLite files through the online backup API, so it may run while the bot
    does; None when this database has no key store (never ran on Matrix)."""
    source = key_store_of(database_path)
    if not source.is_dir():
        return None
    copy = key_store(target)
    for store in sorted(source.glob("*.db")):
        backup(store, copy / store.name)
    return copy


def active(client: AsyncClient) -> bool:
    """Whether this client encrypts and decrypts (its key store is loaded)."""
    return client.olm is not None


def trust_on_first_use(client: AsyncClient) -> None:
    """Trust every device seen for the first time (nio keeps its first keys: a device
    that later shows other keys under the same id is not believed), also one nio set
    aside as "ignored" when it encrypted for it before this ran."""
    for device in client.device_store:
        if device.deleted or device.verified or device.blacklisted:
            continue
        if (device.user_id, device.id) == (client.user_id, client.device_id):
            continue
        client.verify_device(device)
        log.info("trusting device %s of %s on first use", device.id, device.user_id)


async def keep_keys(client: AsyncClient) -> None:
    """The key traffic of one sync: own keys up, others' device lists down, Olm sessions
    where room keys must go, and the queued to-device messages out. A failure is logged
    and tried again after the next sync; it never stops the batch."""
    if not active(client):
        return
    if client.should_upload_keys:
        _logged("upload of the bot's keys", await client.keys_upload())
    if client.should_query_keys:
        _logged("query of device keys", await client.keys_query())
    if client.should_claim_keys:
        claim = client.get_users_for_key_claiming()
        _logged("claim of one-time keys", await client.keys_claim(claim))
    for response in await client.send_to_device_messages():
        _logged("a to-device message", response)
    # nio runs no callbacks for the device lists it fetches (here or inside room_send,
    # where it sets new devices aside as "ignored"): each sync trusts what it found.
    trust_on_first_use(client)


async def devices_known(client: AsyncClient) -> None:
    """Before writing in an encrypted room: the device lists nio was told to fetch (one
    that changed, or a person's forgotten by `/privacy forget`) are fetched now and trusted
    on first use, not after the next sync, so the room key of this very message goes to
    those devices; a room key shared with none of a person's devices is one they never
    get, and the message stays unreadable to them."""
    if active(client) and client.should_query_keys:
        _logged("query of device keys", await client.keys_query())
        trust_on_first_use(client)


async def ask_for_key(client: AsyncClient, event: MegolmEvent) -> None:
    """Ask the sender's and our own devices for the key of a message that could not be
    decrypted (asked once per session; nio refuses to ask twice)."""
    with contextlib.suppress(LocalProtocolError):  # already asked for this session
        _logged("a room key request", await client.request_room_key(event))


def _logged(what: str, response: Any) -> None:
    if isinstance(response, ErrorResponse):
        log.warning("%s failed: %s", what, response)


async def can_encrypt_for(client: AsyncClient, mxid: str) -> bool:
    """Whether a room with this person can be encrypted: the bot encrypts, and at least
    one of their devices has published its keys (asked of the homeserver when none is
    known yet; the devices found are trusted on first use)."""
    if not active(client):
        return False
    if not any(client.device_store.active_user_devices(mxid)):
        client.olm.users_for_key_query.add(mxid)
        response = await client.keys_query()
        if isinstance(response, ErrorResponse):
            raise DeliveryFailed(f"query of the devices of {mxid}: {response}")
        trust_on_first_use(client)
    return any(client.device_store.active_user_devices(mxid))


def expect_invited(client: AsyncClient, room_id: str, mxid: str) -> None:
    """Make a room the bot just created encrypted, with `mxid` invited, known to nio
    before sync shows it, so the room key of the first message goes to the invited
    person's devices too (nio shares keys with the members it knows of, invited ones
    included; its sync adds the room only later). A room sync has brought meanwhile is
    kept: it already knows the members, and later syncs carry only what is new."""
    client.encrypted_rooms.add(room_id)
    if room_id in client.rooms:
        client.rooms[room_id].encrypted = True
        return
    room = MatrixRoom(room_id, client.user_id, encrypted=True)
    room.add_member(mxid, None, None, invited=True)
    client.rooms[room_id] = room


class PeoplesKeys:
    """What the key store knows of one person, for `/privacy export` and `forget`: their
    devices (with the keys trusted on first use), the Olm sessions with those devices and
    the room keys they sent. Forgotten in the store and in nio's memory alike; someone who
    still shares a room with the bot has their devices fetched again when the bot next
    writes there, as any client would."""

    name = "matrix_devices"

    def __init__(self, client: AsyncClient, platform: str) -> None:
        self._client = client
        self._prefix = f"{platform}:"

    def _mxid(self, user_id: str) -> str | None:
        if not user_id.startswith(self._prefix) or not active(self._client):
            return None
        return native_id(user_id)

    def _devices(self, mxid: str) -> list[OlmDevice]:
        return list(dict(self._client.device_store.items()).get(mxid, {}).values())

    async def export(self, user_id: str) -> list[dict[str, Any]]:
        mxid = self._mxid(user_id)
        if mxid is None:
            return []
        olm = self._client.olm
        sessions = dict(olm.session_store.items())
        room_keys = [s.sender_key for s in olm.inbound_group_store]
        return [
            {
                "device_id": device.id,
                "display_name": device.display_name,
                "ed25519": device.ed25519,
                "curve25519": device.curve25519,
                "trust": TRUST_WORDS.get(device.trust_state, device.trust_state.name),
                "deleted": device.deleted,
                "olm_sessions": len(sessions.get(device.curve25519, [])),
                "room_keys_received": room_keys.count(device.curve25519),
            }
            for device in self._devices(mxid)
        ]

    async def forget(self, user_id: str) -> int:
        mxid = self._mxid(user_id)
        if mxid is None:
            return 0
        olm = self._client.olm
        devices = self._devices(mxid)
        senders = {d.curve25519 for d in devices} - {None}
        forgotten = _forget_stored(self._client.store, mxid)
        # nio offers no call to forget a device or a session: its stores are emptied by
        # their keys, as they were filled.
        olm.device_store._entries.pop(mxid, None)
        for sender in senders:
            olm.session_store._entries.pop(sender, None)
        for by_sender in olm.inbound_group_store._entries.values():
            for sender in senders:
                by_sender.pop(sender, None)
        olm.tracked_users.discard(mxid)
        if any(mxid in room.users for room in self._client.rooms.values()):
            olm.users_for_key_query.add(mxid)
        # The devices of the file and of memory (a device fetched a moment ago may not be
        # saved yet): each counts once.
        return len(forgotten | {d.id for d in devices})


def _forget_stored(store: SqliteStore, mxid: str) -> set[str]:
    """Delete the person's rows from the key store's file; the ids of the devices it held."""
    with store.database.bind_ctx(store.models), store.database.atomic():
        rows = list(DeviceKeys.select().where(DeviceKeys.user_id == mxid))
        devices = [d.id for d in rows]
        senders = [
            k.key
            for k in Keys.select().where(Keys.device.in_(devices), Keys.key_type == "curve25519")
        ]
        DeviceTrustState.delete().where(DeviceTrustState.device.in_(devices)).execute()
        Keys.delete().where(Keys.device.in_(devices)).execute()
        DeviceKeys.delete().where(DeviceKeys.id.in_(devices)).execute()
        OlmSessions.delete().where(OlmSessions.sender_key.in_(senders)).execute()
        # Their forwarded chains go with them (the store enforces its foreign keys).
        MegolmInboundSessions.delete().where(
            MegolmInboundSessions.sender_key.in_(senders)
        ).execute()
    return {d.device_id for d in rows}
