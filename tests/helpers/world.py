"""The core with an in-memory front end, driven by requests as a front end would."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from bot.app import App, Ports, open_app
from bot.clock import SettableClock
from bot.dispatch import Request
from bot.refs import Actor, ChannelRef, UserRef
from bot.replies import Reply
from tests.helpers.clock import START
from tests.helpers.console import settings_for
from tests.helpers.fakes import FakeFrontEnd

GUILD = "test:guild"
GENERAL = ChannelRef("test:#general", "general")
ADMIN = UserRef("test:admin", "Admin")
ANNA = UserRef("test:anna", "Anna")
JAN = UserRef("test:jan", "Jan")
EWA = UserRef("test:ewa", "Ewa")


@dataclass
class World:
    app: App
    front: FakeFrontEnd
    clock: SettableClock
    path: Path
    # Settings other than the defaults (e.g. learning_max_entries=3), kept across restarts.
    settings: dict[str, Any] = field(default_factory=dict)

    @classmethod
    async def open(cls, path: Path, start: datetime = START, **settings: Any) -> World:
        clock = SettableClock(start)
        front = FakeFrontEnd(clock)
        app = await open_app(
            settings_for(path, **settings), clock=clock, ports=Ports(front, front, front, front)
        )
        await app.start()
        return cls(app, front, clock, path, settings)

    async def say(
        self,
        path: str,
        actor: UserRef = ANNA,
        channel: ChannelRef = GENERAL,
        clashing: dict[str, Any] | None = None,
        **args: Any,
    ) -> Reply:
        """Run `/path` as `actor` in `channel`; `clashing` holds options whose names clash
        with these parameters (a `channel:` option, say)."""
        return await self.app.dispatcher.run(
            self._request(actor, channel), path, {**args, **(clashing or {})}
        )

    async def press(self, custom_id: str, actor: UserRef = ANNA) -> Reply:
        return await self.app.dispatcher.press(self._request(actor, GENERAL), custom_id)

    def _request(self, user: UserRef, channel: ChannelRef) -> Request:
        return Request("test", GUILD, channel, Actor(user, is_admin=user.id == ADMIN.id))

    async def restart(self, *, down_for: timedelta = timedelta()) -> None:
        """Stop, let time pass with nobody watching, start again on the same database."""
        await self.app.close()
        self.clock.advance(down_for)
        self.app = await open_app(
            settings_for(self.path, **self.settings),
            clock=self.clock,
            ports=Ports(self.front, self.front, self.front, self.front),
        )
        await self.app.start()

    def dms(self, user: UserRef) -> list[Reply]:
        return [s.reply for s in self.front.sent if s.dm and s.to == user.id]

    def posts(self, channel_id: str) -> list[Reply]:
        return [s.reply for s in self.front.sent if not s.dm and s.to == channel_id]
