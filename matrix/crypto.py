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
"""

from __future__ import annotations

import contextlib
import logging
from pathlib import Path
from typing import Any

from nio import AsyncClient, ErrorResponse, KeysQueryResponse, MegolmEvent
from nio.crypto import ENCRYPTION_ENABLED
from nio.exceptions import LocalProtocolError
from nio.store import SqliteStore

from bot.db import backup

log = logging.getLogger(__name__)

# False when matrix-nio was installed without its e2e extra: the bot then stays out of
# encrypted rooms' business (it says it cannot read them and never adopts one as a DM).
AVAILABLE: bool = ENCRYPTION_ENABLED
KEY_STORE_SUFFIX = ".matrix-keys"
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
    that later shows other keys under the same id is not believed)."""
    for device in client.device_store:
        if device.deleted or device.verified or device.blacklisted:
            continue
        if (device.user_id, device.id) == (client.user_id, client.device_id):
            continue
        client.verify_device(device)
        log.info("trusting device %s of %s on first use", device.id, device.user_id)


def follow_trust(client: AsyncClient) -> None:
    """Trust new devices whenever nio fetches device lists (also inside room_send)."""

    async def trusted(_response: Any) -> None:
        trust_on_first_use(client)

    client.add_response_callback(trusted, KeysQueryResponse)


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


async def ask_for_key(client: AsyncClient, event: MegolmEvent) -> None:
    """Ask the sender's and our own devices for the key of a message that could not be
    decrypted (asked once per session; nio refuses to ask twice)."""
    with contextlib.suppress(LocalProtocolError):  # already asked for this session
        _logged("a room key request", await client.request_room_key(event))


def _logged(what: str, response: Any) -> None:
    if isinstance(response, ErrorResponse):
        log.warning("%s failed: %s", what, response)
