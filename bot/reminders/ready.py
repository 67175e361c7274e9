"""Reminders read and worded shortly before their moment, so the moment itself only sends.

A thousand reminders due in the same second cost tens of milliseconds to read and word;
doing that a couple of seconds ahead (the scheduler's prepare step) keeps it out of
their lateness.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from bot.i18n import use_locale
from bot.reminders import messages
from bot.reminders.model import LATE_AFTER, Reminder
from bot.replies import Reply


@dataclass(frozen=True)
class Ready:
    """A pending reminder, its owner's locale, and its message as worded for `at`."""

    reminder: Reminder
    locale: str
    late: bool  # whether `reply` says it is late
    reply: Reply

    @classmethod
    def word(cls, reminder: Reminder, locale: str, *, at: datetime) -> Ready:
        late = is_late(reminder, at)
        return cls(reminder, locale, late, delivery_message(reminder, locale, late=late))


def is_late(reminder: Reminder, at: datetime) -> bool:
    """Sent at `at`, would the reminder have to say it is late?"""
    return at - reminder.due_at > LATE_AFTER


def delivery_message(
    reminder: Reminder, locale: str, *, late: bool, mention: str | None = None
) -> Reply:
    with use_locale(locale):
        return messages.delivery(reminder, late=late, mention=mention)


class ReadyCache:
    """Prepared reminders by moment. Every write of a reminder row forgets its entry, also
    one that lands while a preparation is still reading, so a reminder cancelled or edited
    since it was prepared is never sent as it was."""

    def __init__(self) -> None:
        self._by_moment: dict[datetime, dict[int, Ready]] = {}
        self._reading: list[set[int]] = []

    @contextmanager
    def reading(self) -> Iterator[set[int]]:
        """Wrap a preparation's reads; the set fills with the ids written meanwhile."""
        written: set[int] = set()
        self._reading.append(written)
        try:
            yield written
        finally:
            self._reading.remove(written)

    def keep(self, moment: datetime, ready: Iterable[Ready]) -> None:
        self._by_moment[moment] = {r.reminder.id: r for r in ready}

    def take(self, moment: datetime) -> dict[int, Ready]:
        """The moment's prepared reminders by id, once; empty when none were prepared."""
        return self._by_moment.pop(moment, {})

    def forget(self, ids: Iterable[int]) -> None:
        """Call after writing these rows: what was prepared from them is out of date."""
        gone = set(ids)
        for written in self._reading:
            written |= gone
        for moment, ready in list(self._by_moment.items()):
            for reminder_id in gone & ready.keys():
                del ready[reminder_id]
            if not ready:
                del self._by_moment[moment]
