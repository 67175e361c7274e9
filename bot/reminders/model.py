"""A reminder and the rules about it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from bot.errors import UserError
from bot.reminders.recurrence import Recurrence

MAX_TEXT = 1000
# A failed send is tried again after 1, 2, 4 … minutes, never more than an hour apart.
FIRST_RETRY = timedelta(minutes=1)
LONGEST_RETRY = timedelta(hours=1)
# Delivered later than this after its time, a reminder says it is late.
LATE_AFTER = timedelta(minutes=1)
# A snooze moved by less than this is the same snooze: the same button pressed twice (a
# double click, a press repeated while the first answer was on its way) changes nothing.
SAME_SNOOZE = timedelta(minutes=1)


class Kind(StrEnum):
    ME = "me"
    CHANNEL = "channel"


class ReminderJob(StrEnum):
    """The scheduler's one kind of reminder job: send it (bot/scheduler.py)."""

    SEND = "s"


class Status(StrEnum):
    PENDING = "pending"
    DELIVERED = "delivered"
    DONE = "done"
    CANCELLED = "cancelled"
    MISSED = "missed"
    FAILED = "failed"


@dataclass(frozen=True)
class Reminder:
    id: int
    guild_id: str
    owner_id: str
    kind: Kind
    channel_id: str
    channel_name: str
    text: str
    due_at: datetime
    fire_at: datetime
    timezone: str
    recurrence: Recurrence | None
    status: Status
    attempts: int
    created_at: datetime
    # The reminder whose delivery this one brings back (itself, or its series): set by a
    # snooze, so that Snooze pressed again moves it (bot/migrations/0029_reminder_snoozes.sql).
    snoozed_from: int | None = None

    def retry_delay(self) -> timedelta:
        return min(FIRST_RETRY * 2**self.attempts, LONGEST_RETRY)


class Snoozed(StrEnum):
    """What a snooze did: brought a delivered reminder back, moved the snooze already
    made from that delivery, or nothing (the same snooze asked again)."""

    NEW = "new"
    MOVED = "moved"
    SAME = "same"
    # A repeating reminder's snooze at or after its own next time: no copy (it would only
    # repeat that delivery); the copy already made from the delivery is cancelled.
    AT_NEXT = "at_next"


@dataclass(frozen=True)
class Snooze:
    """What a snooze came to, for its answer."""

    reminder: Reminder  # the snooze made or moved; for AT_NEXT the series itself
    outcome: Snoozed
    dropped: int | None = None  # AT_NEXT: the copy cancelled, if there was one


def snooze_outcome(current: Reminder, until: datetime, *, copy: bool) -> Snoozed:
    """Snoozing `current` to `until`: a delivered reminder itself (`copy` False), or the
    one-off copy already made from a repeating reminder's delivery. One rule for both: a
    snooze that is still waiting is moved, never doubled. A UserError says why not."""
    if current.status is Status.PENDING:
        if current.snoozed_from is None:
            raise UserError("error.reminder.not_delivered", id=current.id)
        if abs(current.due_at - until) < SAME_SNOOZE:
            return Snoozed.SAME
        return Snoozed.MOVED
    if current.status is Status.DONE:
        # Ticked off means finished: a Snooze pressed later on the old message must not
        # bring it back.
        raise UserError("error.reminder.already_done", id=current.id)
    if current.status in (Status.DELIVERED, Status.MISSED) or copy:
        # A copy cancelled (by its owner, or as a snooze onto the series' own next time)
        # is brought back by a new snooze of its delivery.
        return Snoozed.NEW
    raise UserError("error.reminder.not_found", id=current.id)


@dataclass(frozen=True)
class StoredRule:
    """A pending reminder's `every` as stored, read without decoding it."""

    id: int
    guild_id: str
    owner_id: str
    text: str
    recurrence: str
