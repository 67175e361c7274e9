"""The public page's view of the network: plain values, nothing private in them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.events.model import Event, Registration
from bot.groups.model import Group


@dataclass(frozen=True)
class PublicServer:
    guild_id: str
    invite: str | None
    locale: str | None


@dataclass(frozen=True)
class PublicGroup:
    group: Group
    slug: str
    invite: str | None  # the server's invite: how to join
    # Initiators who chose to be named in /profile (show_name), nobody else.
    initiators: tuple[str, ...] = ()
    # The libraries that host its meetings in turn (the meeting plan's rotation).
    hosts: tuple[str, ...] = ()


@dataclass(frozen=True)
class PublicMeeting:
    starts_at: datetime
    host: str
    timezone: str


@dataclass(frozen=True)
class PublicEvent:
    event: Event
    going: int
    registration: Registration
    # None: the event has no capacity (no limit).
    seats_left: int | None
    # A learning programme's sessions: how many wait for a seat on its sign-up sheet.
    waitlist: int | None = None
    invite: str | None = None
    # Ended: the page shows it as past (no seats, no sign-up); a link can outlive it.
    over: bool = False


@dataclass(frozen=True)
class Health:
    database: bool
    scheduler: bool | None  # None: another process runs it and cannot be asked
    last_delivery: datetime | None
    schema: int
