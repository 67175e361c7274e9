"""How the bot shows itself on Matrix: its name and face, and that it is at work.

At start the bot's profile carries the display name "Podaj dalej" and the avatar shipped
in `data/avatar/avatar.png`. The picture is uploaded once: the `mxc://` URI it got is kept
in the database with the picture's hash, and later starts only point the profile back at
it (a new picture is uploaded when the file changes). An avatar the operator gave the
account in their own client is left alone.

While a command is worked on, the command is marked read (a read receipt, in its thread
if it has one) and the bot is shown typing, for a bounded time: the notice is taken back
as soon as the answer is out or the command failed, and the homeserver drops it by itself
after `TYPING_TIMEOUT_MS` should the bot die on the way. None of this is worth an error:
a failure is logged and the command goes on.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import io
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
from nio import AsyncClient, ErrorResponse, ProfileGetAvatarResponse, UploadResponse
from nio.api import ReceiptType

from matrix.store import MatrixStore

log = logging.getLogger(__name__)

DISPLAY_NAME = "Podaj dalej"
AVATAR = Path(__file__).resolve().parent.parent / "data" / "avatar" / "avatar.png"
# Where the uploaded avatar is remembered: "<sha256 of the file> <mxc URI>".
AVATAR_KEY = "avatar"
# Long enough for a slow command (a map, a certificate), short enough that a typing
# notice never outlives a crashed bot by much.
TYPING_TIMEOUT_MS = 20_000
# The main timeline's id for threaded read receipts.
MAIN_TIMELINE = "main"
_NETWORK = (aiohttp.ClientError, TimeoutError)


async def introduce(client: AsyncClient, store: MatrixStore, avatar: Path = AVATAR) -> None:
    """Give the bot's profile its display name, and the shipped avatar unless the operator
    gave the account another picture (an avatar that is not one the bot set is theirs)."""
    current = await client.get_displayname()
    if getattr(current, "displayname", None) != DISPLAY_NAME:
        _logged("setting the display name", await client.set_displayname(DISPLAY_NAME))
    response = await client.get_avatar()
    # No avatar yet reads as an error response (the homeserver leaves the field out).
    shown = response.avatar_url if isinstance(response, ProfileGetAvatarResponse) else None
    kept = _Kept.read(await store.get(AVATAR_KEY))
    if shown and shown != kept.mxc:
        return
    mxc = await _uploaded_avatar(client, store, avatar, kept)
    if mxc is not None and shown != mxc:
        _logged("setting the avatar", await client.set_avatar(mxc))


@dataclass(frozen=True)
class _Kept:
    """The avatar the bot uploaded last: the picture's hash and where it went."""

    digest: str = ""
    mxc: str = ""

    @classmethod
    def read(cls, value: str | None) -> _Kept:
        digest, _, mxc = (value or "").partition(" ")
        return cls(digest, mxc)


async def _uploaded_avatar(
    client: AsyncClient, store: MatrixStore, avatar: Path, kept: _Kept
) -> str | None:
    """The mxc URI of the avatar, uploaded now only if this picture never was."""
    picture = await asyncio.to_thread(avatar.read_bytes)
    digest = hashlib.sha256(picture).hexdigest()
    if kept.digest == digest and kept.mxc:
        return kept.mxc
    response, _ = await client.upload(
        io.BytesIO(picture),
        content_type="image/png",
        filename=avatar.name,
        filesize=len(picture),
    )
    if not isinstance(response, UploadResponse):
        log.warning("could not upload the avatar: %s", response)
        return None
    await store.put(AVATAR_KEY, f"{digest} {response.content_uri}")
    return str(response.content_uri)


@contextlib.asynccontextmanager
async def working(
    client: AsyncClient, room_id: str, event_id: str, thread_root: str | None = None
) -> AsyncIterator[None]:
    """Around the work on one command: its message marked read, the bot typing meanwhile
    (never longer than TYPING_TIMEOUT_MS, and stopped when the work ends, however)."""
    await _quietly(
        "a read receipt",
        client.update_receipt_marker(
            room_id, event_id, ReceiptType.read, thread_id=thread_root or MAIN_TIMELINE
        ),
    )
    await _quietly("a typing notice", client.room_typing(room_id, True, TYPING_TIMEOUT_MS))
    try:
        yield
    finally:
        await _quietly("the end of a typing notice", client.room_typing(room_id, False))


async def _quietly(what: str, request: Any) -> None:
    """Send something that only shows the bot's state: a failure is logged, not raised."""
    try:
        _logged(what, await request)
    except _NETWORK as exc:
        log.warning("%s failed: %r", what, exc)


def _logged(what: str, response: Any) -> None:
    if isinstance(response, ErrorResponse):
        log.warning("%s failed: %s", what, response)
