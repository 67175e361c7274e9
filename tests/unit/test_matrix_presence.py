"""How the bot shows itself (matrix.presence): read receipt and typing around a command,
taken back however the work ends; the avatar uploaded once, and never over the operator's."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from nio import (
    ProfileGetAvatarError,
    ProfileGetAvatarResponse,
    ProfileGetDisplayNameResponse,
    UploadResponse,
)

from bot.db import Database
from matrix import presence
from matrix.store import MatrixStore


@dataclass
class Client:
    calls: list[tuple[Any, ...]] = field(default_factory=list)
    offline: bool = False

    async def update_receipt_marker(
        self, room_id: str, event_id: str, receipt_type: Any, thread_id: str
    ) -> None:
        self.calls.append(("read", room_id, event_id, thread_id))

    async def room_typing(self, room_id: str, typing_state: bool, *limit_ms: int) -> None:
        if self.offline:
            raise aiohttp.ClientConnectionError("down")
        self.calls.append(("typing", room_id, typing_state, *limit_ms))


async def test_a_command_is_read_and_typed_on_until_answered() -> None:
    client = Client()
    async with presence.working(client, "!room", "$command"):  # type: ignore[arg-type]
        client.calls.append(("answer",))
    assert client.calls == [
        ("read", "!room", "$command", "main"),
        ("typing", "!room", True, presence.TYPING_TIMEOUT_MS),
        ("answer",),
        ("typing", "!room", False),
    ]


async def test_typing_stops_when_the_work_fails_and_in_a_thread_the_thread_is_read() -> None:
    client = Client()
    with pytest.raises(RuntimeError):
        async with presence.working(client, "!room", "$c", "$root"):  # type: ignore[arg-type]
            raise RuntimeError("the command broke")
    assert client.calls[0] == ("read", "!room", "$c", "$root")
    assert client.calls[-1] == ("typing", "!room", False)


async def test_a_homeserver_out_of_reach_never_stops_the_command() -> None:
    client = Client(offline=True)
    async with presence.working(client, "!room", "$c"):  # type: ignore[arg-type]
        client.calls.append(("answer",))
    assert client.calls == [("read", "!room", "$c", "main"), ("answer",)]


@dataclass
class Profile:
    """A homeserver's profile of the bot, and its media repository."""

    avatar_url: str | None = None
    uploads: list[bytes] = field(default_factory=list)

    async def get_displayname(self) -> Any:
        return ProfileGetDisplayNameResponse(presence.DISPLAY_NAME)

    async def get_avatar(self) -> Any:
        if self.avatar_url is None:
            return ProfileGetAvatarError("'avatar_url' is a required property")
        return ProfileGetAvatarResponse(self.avatar_url)

    async def set_avatar(self, mxc: str) -> None:
        self.avatar_url = mxc

    async def upload(self, data: Any, **_: Any) -> tuple[Any, None]:
        self.uploads.append(data.read())
        return UploadResponse(f"mxc://podaj.test/{len(self.uploads)}"), None


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[MatrixStore]:
    db = await Database.open(tmp_path / "bot.sqlite3")
    yield MatrixStore(db)
    await db.close()


async def test_the_avatar_is_uploaded_once_and_again_only_when_the_picture_changes(
    store: MatrixStore, tmp_path: Path
) -> None:
    profile = Profile()
    await presence.introduce(profile, store)  # type: ignore[arg-type]
    assert profile.avatar_url == "mxc://podaj.test/1"
    assert profile.uploads == [presence.AVATAR.read_bytes()]

    await presence.introduce(profile, store)  # type: ignore[arg-type]
    assert len(profile.uploads) == 1  # the next start only points at it

    newer = tmp_path / "avatar.png"
    newer.write_bytes(b"another picture")
    await presence.introduce(profile, store, newer)  # type: ignore[arg-type]
    assert profile.avatar_url == "mxc://podaj.test/2"
    assert profile.uploads[-1] == b"another picture"


async def test_an_avatar_the_operator_chose_is_left_alone(store: MatrixStore) -> None:
    profile = Profile(avatar_url="mxc://podaj.test/operators-choice")
    await presence.introduce(profile, store)  # type: ignore[arg-type]
    assert profile.avatar_url == "mxc://podaj.test/operators-choice"
    assert profile.uploads == []
