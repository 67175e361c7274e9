"""The bot at work on a command: read receipt, typing, and the typing taken back however
the work ends (matrix.presence)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import aiohttp
import pytest

from matrix import presence


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
