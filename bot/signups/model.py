"""A sign-up sheet, its slots and entries, and the rule that places a person in a slot.

Capacity counts confirmed seats and seats offered to someone from the waitlist (an offer
holds its seat until it is accepted, declined or runs out). The waitlist is first in, first
out by `seq`, a number that only grows (SQLite AUTOINCREMENT), never by a timestamp.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from bot.errors import UserError
from bot.text import inert, parse_ref
from bot.timelang.timestamps import when
from bot.visibility import Scope

MAX_TITLE = 100
MAX_TOPIC = 100
# Two buttons a slot (join, leave) within Discord's 25 components a message.
MAX_SLOTS = 12
MAX_CAPACITY = 500
# The outbox letter (bot/outbox.py) that offers a freed seat: {"seq": the offered entry}.
OFFER_LETTER = "signup.offer"


class SignupJob(StrEnum):
    """The scheduler's jobs: a sheet opens, a sheet closes (at its closing time, or when
    its last slot starts; their rows are sheets), and a waitlist offer runs out (its row
    is the entry's seq)."""

    OPEN = "o"
    CLOSE = "c"
    OFFER_EXPIRES = "x"


class SheetStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"
    DELETED = "deleted"


class Phase(StrEnum):
    """Where a sheet is in its life at a given moment."""

    UPCOMING = "upcoming"
    OPEN = "open"
    CLOSED = "closed"
    DELETED = "deleted"


class EntryStatus(StrEnum):
    CONFIRMED = "confirmed"
    WAITLISTED = "waitlisted"
    OFFERED = "offered"
    REQUESTED = "requested"  # on sheets with approval: waits for a moderator


# Errors are rendered later, in the reader's language, so each status has its own key.
ALREADY = {
    EntryStatus.CONFIRMED: "error.signup.already_confirmed",
    EntryStatus.WAITLISTED: "error.signup.already_waitlisted",
    EntryStatus.OFFERED: "error.signup.already_offered",
    EntryStatus.REQUESTED: "error.signup.already_requested",
}


@dataclass(frozen=True)
class Slot:
    number: int
    starts_at: datetime
    topic: str = ""

    def started(self, now: datetime) -> bool:
        """Signing up for a slot ends when it starts (see `place`)."""
        return self.starts_at <= now


def closing(closes_at: datetime | None, slots: Sequence[Slot]) -> datetime:
    """When a sheet's sign-ups end: its closing time, and at the latest when its last slot
    starts — from then on there is no slot left to sign up for."""
    last = max(slot.starts_at for slot in slots)
    return last if closes_at is None else min(closes_at, last)


@dataclass(frozen=True)
class Sheet:
    id: int
    guild_id: str
    title: str
    channel_id: str
    channel_name: str
    capacity: int
    max_per_person: int
    waitlist: bool
    approval: bool
    opens_at: datetime | None
    closes_at: datetime | None
    status: SheetStatus
    timezone: str
    created_by: str
    created_at: datetime
    message_channel_id: str | None = None
    message_id: str | None = None
    # The group whose channel it was posted in: only its members see it.
    group_id: int | None = None

    @property
    def scope(self) -> Scope:
        return Scope(self.guild_id, self.group_id)

    def phase(self, now: datetime) -> Phase:
        if self.status is SheetStatus.DELETED:
            return Phase.DELETED
        if self.status is SheetStatus.CLOSED:
            return Phase.CLOSED
        if self.opens_at is not None and now < self.opens_at:
            return Phase.UPCOMING
        if self.closes_at is not None and now >= self.closes_at:
            return Phase.CLOSED
        return Phase.OPEN


@dataclass(frozen=True)
class SlotCount:
    """How a slot stands: seats held (confirmed + offered), the waitlist, open requests."""

    taken: int = 0
    waiting: int = 0
    requested: int = 0


@dataclass(frozen=True)
class Entry:
    seq: int
    sheet_id: int
    slot: int
    user_id: str
    name: str
    status: EntryStatus
    offer_expires_at: datetime | None
    created_at: datetime
    library: str = ""
    position: int = 0  # within its slot and status, by seq (1 = first)


@dataclass(frozen=True)
class SheetView:
    """A sheet with its slots and their counts: what the posted message shows."""

    sheet: Sheet
    slots: tuple[Slot, ...]
    counts: dict[int, SlotCount] = field(default_factory=dict)

    def count(self, number: int) -> SlotCount:
        return self.counts.get(number, SlotCount())

    def over(self, now: datetime) -> bool:
        """Every slot has started: nothing is left to sign up for."""
        return all(slot.started(now) for slot in self.slots)

    def phase(self, now: datetime) -> Phase:
        """The sheet's phase, closed once every slot has started even before the job that
        closes it has run."""
        phase = self.sheet.phase(now)
        if phase in (Phase.UPCOMING, Phase.OPEN) and self.over(now):
            return Phase.CLOSED
        return phase

    @property
    def closes_at(self) -> datetime:
        """When sign-ups end (`closing`)."""
        return closing(self.sheet.closes_at, self.slots)


@dataclass(frozen=True)
class Placement:
    """Asking for a seat: by a person (a join) or by a moderator (`forced`: add, approve)."""

    sheet_id: int
    slot: int
    user_id: str
    name: str
    forced: bool = False


@dataclass(frozen=True)
class Placed:
    """What a placement came to: the status and waitlist position given, or the error."""

    placement: Placement
    status: EntryStatus | None = None
    position: int = 0
    error: UserError | None = None
    sheet: Sheet | None = None


def place(
    sheet: Sheet | None,
    placement: Placement,
    *,
    now: datetime,
    slot_starts: datetime | None,
    slot_count: SlotCount,
    mine: dict[int, EntryStatus],
) -> tuple[EntryStatus | None, int, UserError | None, bool]:
    """The rule: (status, waitlist position, error, converts a request) for one placement,
    given the slot's start (None: no such slot), its counts and the person's entries on
    the sheet at that moment."""
    n = placement.slot
    if sheet is None:
        return None, 0, UserError("error.signup.unknown", sheet=placement.sheet_id), False
    phase = sheet.phase(now)
    if phase is Phase.DELETED:
        return None, 0, UserError("error.signup.deleted", title=inert(sheet.title)), False
    if not placement.forced and phase is Phase.UPCOMING:
        assert sheet.opens_at is not None
        return None, 0, UserError("error.signup.not_open", opens=when(sheet.opens_at)), False
    started = slot_starts is not None and slot_starts <= now
    # A sheet closes when its last slot starts: a started slot says so itself.
    if not placement.forced and phase is Phase.CLOSED and not started:
        return None, 0, UserError("error.signup.closed", title=inert(sheet.title)), False
    if slot_starts is None:
        return None, 0, UserError("error.signup.no_slot", slot=n), False
    if not placement.forced and started:
        # Freed seats of a started slot are no longer offered to its waitlist, so a seat
        # taken now would go to whoever asks first, past everyone waiting in line.
        error = UserError("error.signup.slot_started", slot=n, start=when(slot_starts))
        return None, 0, error, False
    current = mine.get(n)
    converting = placement.forced and current is EntryStatus.REQUESTED
    if current is not None and not converting:
        return None, 0, UserError(ALREADY[current], slot=n), False
    if not placement.forced and len(mine) >= sheet.max_per_person:
        return None, 0, UserError("error.signup.max_per_person", max=sheet.max_per_person), False
    if not placement.forced and sheet.approval:
        return EntryStatus.REQUESTED, 0, None, False
    if slot_count.taken < sheet.capacity:
        return EntryStatus.CONFIRMED, 0, None, converting
    if sheet.waitlist:
        return EntryStatus.WAITLISTED, slot_count.waiting + 1, None, converting
    return None, 0, UserError("error.signup.full", slot=n), False


def offer_deadline(now: datetime, offer_for: timedelta, slot: Slot) -> datetime | None:
    """Until when a freed seat is offered: the offer time, never past the slot's start;
    None when the slot has already started (no more offers)."""
    if slot.started(now):
        return None
    return min(now + offer_for, slot.starts_at)


def parse_sheet_ref(text: str) -> int | None:
    """'42' or '#42' → 42; anything else is a title."""
    return parse_ref(text)
