"""In-memory front end for unit tests: records what the core sends, fails on request."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from bot.clock import Clock
from bot.ports import DeliveryFailed, GroupSpace, MessageRef
from bot.replies import Reply


@dataclass
class Sent:
    at: datetime
    to: str  # a user id for a DM, a channel id otherwise
    dm: bool
    reply: Reply


@dataclass
class Edited:
    at: datetime
    channel_id: str
    message_id: str
    reply: Reply


@dataclass
class FakeFrontEnd:
    clock: Clock
    sent: list[Sent] = field(default_factory=list)
    edits: list[Edited] = field(default_factory=list)
    closed_dms: set[str] = field(default_factory=set)
    # How many of the next sends fail for a moment (Discord down, a timeout).
    transient_failures: int = 0
    roles: dict[str, set[str]] = field(default_factory=dict)
    spaces: list[tuple[str, str, str, tuple[str, ...]]] = field(default_factory=list)
    managers: dict[tuple[str, str], bool] = field(default_factory=dict)
    archived: set[str] = field(default_factory=set)

    async def send_dm(self, user_id: str, reply: Reply) -> MessageRef:
        self._maybe_fail()
        if user_id in self.closed_dms:
            raise DeliveryFailed("Cannot send messages to this user", permanent=True)
        self.sent.append(Sent(self.clock.now(), user_id, True, reply))
        return MessageRef(f"dm:{user_id}", str(len(self.sent)))

    async def send_channel(self, channel_id: str, reply: Reply) -> MessageRef:
        self._maybe_fail()
        self.sent.append(Sent(self.clock.now(), channel_id, False, reply))
        return MessageRef(channel_id, str(len(self.sent)))

    async def edit_message(self, channel_id: str, message_id: str, reply: Reply) -> None:
        self._maybe_fail()
        self.edits.append(Edited(self.clock.now(), channel_id, message_id, reply))

    def mention(self, user_id: str) -> str:
        return f"<@{user_id}>"

    async def create_group_space(
        self, guild_id: str, *, name: str, channel_name: str, category: str, managers: list[str]
    ) -> GroupSpace:
        self._maybe_fail()
        self.spaces.append((name, channel_name, category, tuple(managers)))
        n = len(self.spaces)
        return GroupSpace(f"role:{n}", name, f"channel:{n}", channel_name)

    async def set_channel_manager(
        self, guild_id: str, channel_id: str, user_id: str, *, allowed: bool
    ) -> None:
        self.managers[channel_id, user_id] = allowed

    async def archive_channel(self, guild_id: str, channel_id: str, role_id: str | None) -> None:
        self.archived.add(channel_id)

    async def add_role(self, guild_id: str, user_id: str, role_id: str) -> None:
        self.roles.setdefault(user_id, set()).add(role_id)

    async def remove_role(self, guild_id: str, user_id: str, role_id: str) -> None:
        self.roles.get(user_id, set()).discard(role_id)

    def _maybe_fail(self) -> None:
        if self.transient_failures:
            self.transient_failures -= 1
            raise DeliveryFailed("503 Service Unavailable")
