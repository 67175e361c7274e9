"""Reminder use cases: create, list, edit, snooze, cancel, tick off.

Delivering them when they come due is `bot/reminders/delivery.py`'s; this module only
tells it what to schedule, move or forget.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime

from bot.clock import Clock
from bot.community.service import CommunityService
from bot.db import whole_second
from bot.errors import UserError
from bot.offload import RULE_SECONDS, off_loop
from bot.refs import ChannelRef, UserRef
from bot.reminders.delivery import Delivery
from bot.reminders.model import Kind, Reminder, Snooze, Snoozed, Status
from bot.reminders.recurrence import Recurrence
from bot.reminders.store import ReminderStore
from bot.timelang.repetition import Worded

log = logging.getLogger(__name__)


class ReminderService:
    def __init__(
        self,
        store: ReminderStore,
        clock: Clock,
        delivery: Delivery,
        community: CommunityService,
        *,
        max_pending: int,
    ) -> None:
        self._store = store
        self._clock = clock
        self._delivery = delivery
        self._community = community
        self._max_pending = max_pending

    # -- use cases -------------------------------------------------------------------

    async def create(
        self,
        *,
        guild_id: str,
        owner: UserRef,
        kind: Kind,
        channel: ChannelRef,
        text: str,
        due: datetime,
        timezone: str,
        recurrence: Recurrence | None,
    ) -> Reminder:
        now = self._clock.now()
        rule = recurrence.anchored(due, timezone) if recurrence else None
        due = whole_second(await _first(rule, due, timezone) if rule else due)
        draft = Reminder(
            id=0,
            guild_id=guild_id,
            owner_id=owner.id,
            kind=kind,
            channel_id=channel.id,
            channel_name=channel.name,
            text=text,
            due_at=due,
            fire_at=due,
            timezone=timezone,
            recurrence=rule,
            status=Status.PENDING,
            attempts=0,
            created_at=now,
        )
        new_id = await self._store.add_if_room(draft, self._max_pending)
        if new_id is None:
            raise UserError("error.reminder.too_many", max=self._max_pending)
        if owner.name:
            await self._community.remember(owner)
        reminder = replace(draft, id=new_id)
        self._delivery.schedule((new_id), due)
        return reminder

    async def pending_of(self, owner_id: str) -> list[Reminder]:
        return await self._store.pending_of(owner_id)

    async def pending_in_channel(self, channel_id: str) -> list[Reminder]:
        return await self._store.pending_in_channel(channel_id)

    async def let_go(self, owner_id: str) -> None:
        """Before /privacy forget rewrites the owner's rows: nothing worded for them ahead
        of time may still be sent (their rows are read again when due)."""
        self._delivery.forget(r.id for r in await self._store.pending_of(owner_id))

    async def cancel(
        self, reminder_id: int, actor_id: str, *, moderator_in: str | None = None
    ) -> Reminder:
        """Cancel one's own reminder, or (moderator_in: the server where the actor is a
        moderator) any channel reminder of that server."""
        reminder = await self._owned(reminder_id, actor_id, moderator_in=moderator_in)
        if reminder.status is Status.CANCELLED:
            raise UserError("error.reminder.already_cancelled", id=reminder_id)
        if reminder.status is not Status.PENDING:
            raise UserError("error.reminder.not_pending", id=reminder_id)
        cancelled = replace(reminder, status=Status.CANCELLED)
        await self._save(cancelled, expected=Status.PENDING)
        self._delivery.cancel(reminder_id)
        return cancelled

    async def edit(
        self,
        reminder_id: int,
        actor_id: str,
        *,
        text: str | None = None,
        due: datetime | None = None,
        recurrence: Recurrence | None = None,
        stop_repeating: bool = False,
    ) -> Reminder:
        reminder = await self._owned(reminder_id, actor_id)
        if reminder.status is not Status.PENDING:
            raise UserError("error.reminder.not_pending", id=reminder_id)
        asked = due or reminder.due_at
        rule = None if stop_repeating else (recurrence or reminder.recurrence)
        rule = rule.anchored(asked, reminder.timezone) if rule else None
        new_due = whole_second(await _first(rule, asked, reminder.timezone) if rule else asked)
        edited = replace(
            reminder,
            text=text or reminder.text,
            due_at=new_due,
            fire_at=new_due,
            attempts=0,
            recurrence=rule,
        )
        await self._save(edited, expected=Status.PENDING)
        self._delivery.schedule((reminder_id), new_due)
        return edited

    async def snooze(self, reminder_id: int, actor_id: str, until: datetime) -> Snooze:
        """Remind again at `until`: the same reminder once delivered; for a repeating one,
        a one-off copy, so the series keeps its own times. One snooze per delivery: asked
        again, the snooze made from it moves (the same time asked again changes nothing)."""
        until = whole_second(until)
        reminder = await self._owned(reminder_id, actor_id)
        if reminder.recurrence is not None and reminder.status is Status.PENDING:
            return await self._snooze_series(reminder, until)
        state, outcome = await self._store.snooze_own(reminder_id, until)
        self._rearm(state, outcome)
        return Snooze(state, outcome)

    async def _snooze_series(self, series: Reminder, until: datetime) -> Snooze:
        """The copy of the delivery just made; the series' next time names that delivery
        (it moves on when the series is delivered again)."""
        following = await self._following(series)
        if until >= following:
            # The series comes by then anyway: a copy would only repeat it.
            dropped = await self._store.drop_copy(series.id, following)
            if dropped is not None:
                self._delivery.forget([dropped])
                self._delivery.cancel(dropped)
            return Snooze(series, Snoozed.AT_NEXT, dropped=dropped)
        draft = replace(
            series,
            id=0,
            due_at=until,
            fire_at=until,
            recurrence=None,
            attempts=0,
            created_at=self._clock.now(),
            snoozed_from=series.id,
        )
        made = await self._store.snooze_copy(draft, following, self._max_pending)
        if made is None:
            raise UserError("error.reminder.too_many", max=self._max_pending)
        copy, outcome = made
        self._rearm(copy, outcome)
        return Snooze(copy, outcome)

    def _rearm(self, snoozed: Reminder, outcome: Snoozed) -> None:
        """Deliver the snooze at its new time (a prepared, older wording is dropped);
        the same snooze asked again changes nothing."""
        if outcome is not Snoozed.SAME:
            self._delivery.forget([snoozed.id])
            self._delivery.schedule(snoozed.id, snoozed.due_at)

    async def _following(self, series: Reminder) -> datetime:
        """The series' next regular time after the delivery being snoozed. While a batch
        of deliveries is still being sent, a row already delivered keeps its time until
        the batch is written: its next one is then the occurrence after it (a rule that
        has ended keeps the last, which still names that delivery)."""
        if series.due_at > self._clock.now() or series.recurrence is None:
            return series.due_at
        after = await off_loop(
            RULE_SECONDS, series.recurrence.next_after, series.due_at, series.timezone
        )
        return after or series.due_at

    async def done(self, reminder_id: int, actor_id: str) -> Reminder:
        reminder = await self._owned(reminder_id, actor_id)
        if reminder.status is Status.PENDING and reminder.recurrence is None:
            raise UserError("error.reminder.not_delivered", id=reminder_id)
        if reminder.status in (Status.DELIVERED, Status.MISSED):
            done = replace(reminder, status=Status.DONE)
            await self._save(done, expected=reminder.status)
            return done
        return reminder

    async def _owned(
        self, reminder_id: int, actor_id: str, *, moderator_in: str | None = None
    ) -> Reminder:
        reminder = await self._store.get(reminder_id)
        mine = reminder is not None and reminder.owner_id == actor_id
        # A moderator of one server is nobody in another.
        moderated = (
            reminder is not None
            and reminder.kind is Kind.CHANNEL
            and moderator_in is not None
            and reminder.guild_id == moderator_in
        )
        if reminder is None or not (mine or moderated):
            # Someone else's reminder is reported as unknown: ids reveal nothing.
            raise UserError("error.reminder.not_found", id=reminder_id)
        return reminder

    async def _save(self, reminder: Reminder, *, expected: Status) -> None:
        saved = await self._store.update(reminder, expected=expected, now=self._clock.now())
        self._delivery.forget([reminder.id])
        if not saved:
            raise UserError("error.reminder.changed", id=reminder.id)


async def _first(rule: Recurrence, asked: datetime, tz: str) -> datetime:
    """The first occurrence: the asked time when it fits the rule, else the next one that
    does (the reply says so); a UserError when the rule leaves no date at all."""
    first = await off_loop(RULE_SECONDS, rule.first_from, asked, tz)
    if first is None:
        raise UserError("error.repeat.no_dates", value=Worded(rule.rule))
    return first
