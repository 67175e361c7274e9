"""What services need from a front end, as Protocols (DESIGN.md: dependencies point inward)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from bot.replies import Reply


class DeliveryFailed(Exception):
    """The front end could not deliver (closed DMs, deleted channel, platform down)."""

    def __init__(self, reason: str, *, permanent: bool = False) -> None:
        super().__init__(reason)
        self.permanent = permanent


@dataclass(frozen=True)
class MessageRef:
    channel_id: str
    message_id: str


class Messenger(Protocol):
    async def send_dm(self, user_id: str, reply: Reply) -> MessageRef:
        """Raises DeliveryFailed(permanent=True) when the user does not accept DMs."""
        ...

    async def send_channel(self, channel_id: str, reply: Reply) -> MessageRef: ...

    def mention(self, user_id: str) -> str:
        """How this front end writes a ping of the user (allowed via Reply.mentions)."""
        ...


class Members(Protocol):
    """Platform roles of guild members; role grants keep the mapped platform role in step."""

    async def add_role(self, guild_id: str, user_id: str, role_id: str) -> None: ...

    async def remove_role(self, guild_id: str, user_id: str, role_id: str) -> None: ...
