"""A reminder and the rules about it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from bot.reminders.recurrence import Recurrence

MAX_TEXT = 1000
# A failed send is tried again after 1, 2, 4 … minutes, never more than an hour apart.
FIRST_RETRY = timedelta(minutes=1)
LONGEST_RETRY = timedelta(hours=1)
# Delivered later than this after its time, a reminder says it is late.
LATE_AFTER = timedelta(minutes=1)


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

    def retry_delay(self) -> timedelta:
        return min(FIRST_RETRY * 2**self.attempts, LONGEST_RETRY)


@dataclass(frozen=True)
class StoredRule:
    """A pending reminder's `every` as stored, read without decoding it."""

    id: int
    guild_id: str
    owner_id: str
    text: str
    recurrence: str
