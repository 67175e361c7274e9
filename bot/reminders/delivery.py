"""Delivering reminders when they come due, and what a start checks first.

Delivery order is send, then mark: a crash between the two repeats one message at the
next start, and never skips one (docs/features.md, Reminders). The rows of a moment are
read and worded a couple of seconds ahead (bot/reminders/ready.py), so at the moment only
the sends are left. At start, rows whose rule cannot be read are set aside and reminders
long overdue are reported as missed instead of arriving hours late.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime, timedelta
from itertools import groupby

from bot.clock import Clock
from bot.community.service import CommunityService
from bot.db import whole_second
from bot.i18n import use_locale
from bot.notify import Notifier
from bot.ports import DeliveryFailed, Messenger
from bot.refs import is_former
from bot.reminders import messages
from bot.reminders.model import Kind, Reminder, ReminderJob, Status, StoredRule
from bot.reminders.ready import Ready, ReadyCache, delivery_message, is_late
from bot.reminders.recurrence import Recurrence
from bot.reminders.store import ReminderStore
from bot.scheduler import Due, Job, Scheduler

log = logging.getLogger(__name__)

# Sends in flight at once; discord.py queues behind Discord's rate limits anyway.
SEND_CONCURRENCY = 50
# What one send came to: delivered, failed for good, or a failure worth another try.
Outcome = Status | DeliveryFailed


class Delivery:
    def __init__(
        self,
        store: ReminderStore,
        clock: Clock,
        scheduler: Scheduler,
        messenger: Messenger,
        community: CommunityService,
        *,
        grace: timedelta,
    ) -> None:
        self._store = store
        self._clock = clock
        self._messenger = messenger
        self._community = community
        self._grace = grace
        self._ready = ReadyCache()
        # Moments whose preparation is under way, set when it is over.
        self._preparing: dict[datetime, asyncio.Event] = {}
        self._notify = Notifier(messenger, community)
        self._jobs = scheduler.register(
            "reminder", self._fire, self._due_before, prepare=self._prepare
        )

    def schedule(self, reminder_id: int, due: datetime) -> None:
        self._jobs.schedule(_job(reminder_id), due)

    def cancel(self, reminder_id: int) -> None:
        self._jobs.cancel(_job(reminder_id))

    def forget(self, reminder_ids: Iterable[int]) -> None:
        """Drop what was worded ahead for these rows: they changed, or their owner is
        being forgotten; they are read again when due."""
        self._ready.forget(reminder_ids)

    async def _due_before(self, until: datetime, limit: int) -> list[Due[ReminderJob]]:
        return [(_job(i), at) for i, at in await self._store.due_before(until, limit)]

    async def check_rules(self) -> None:
        """At start, before anything reads the rows: a pending reminder whose stored
        `every` cannot be read (edited by hand, or written by a version that is gone) is
        set aside — logged, its owner and the server's log channel told — instead of
        failing the start and every list of its owner's reminders."""
        # Only rules not checked since they were stored (the bot stores its own as checked),
        # each distinct one read once: a start with many reminders stays quick.
        for text in await self._store.unchecked_rule_texts():
            if Recurrence.readable(text):
                await self._store.mark_checked(text)
                continue
            for rule in await self._store.unchecked_with_rule(text):
                if await self._store.set_aside(rule.id, "error.rule.unreadable"):
                    await self._tell_set_aside(rule)

    async def _tell_set_aside(self, rule: StoredRule) -> None:
        log.warning("reminder %d set aside: unreadable every %r", rule.id, rule.recurrence)
        self._jobs.cancel(_job(rule.id))
        await self._notify.tell(rule.owner_id, rule.guild_id, lambda: messages.set_aside(rule))
        # The log channel sees that it happened, never what the private reminder says.
        owner = await self._community.display_name(rule.owner_id) or rule.owner_id
        await self._notify.to_log(rule.guild_id, lambda: messages.set_aside_log(rule, owner))

    async def sweep_missed(self) -> None:
        """At start: reminders more than the grace period late are reported, one message
        per owner, instead of arriving hours after they mattered."""
        overdue = await self._store.overdue(self._clock.now() - self._grace)
        for _, group in groupby(overdue, key=lambda r: r.owner_id):
            await self._report_missed(list(group))

    async def _prepare(self, batch: list[Due[ReminderJob]]) -> None:
        """Shortly before a moment: read its rows, their owners' locales and the messages,
        so that when it comes only the sends are left."""
        moment = batch[0][1]
        preparing = self._preparing[moment] = asyncio.Event()
        try:
            with self._ready.reading() as written:
                ready = await self._load({job.row: due for job, due in batch}, moment)
            # Kept even when it finishes after the moment: the handler is waiting for it.
            self._ready.keep(moment, (r for r in ready if r.reminder.id not in written))
        finally:
            del self._preparing[moment]
            preparing.set()

    async def _fire(self, batch: list[Due[ReminderJob]]) -> None:
        """Deliver every reminder that came due together: the sends side by side, the
        longest waiting first, then one write, then the missed reports (a report that fails
        must not leave delivered rows pending)."""
        moment = batch[0][1]
        wanted = {job.row: due for job, due in batch}
        preparing = self._preparing.get(moment)
        if preparing is not None:
            # A big batch still being read ahead: waiting for it costs less than reading
            # every row a second time.
            await preparing.wait()
        prepared = self._ready.take(moment)
        # Prepared keys that left the batch were cancelled or moved since.
        ready = [r for key, r in prepared.items() if key in wanted]
        unread = {key: due for key, due in wanted.items() if key not in prepared}
        if unread:
            ready += await self._load(unread, self._clock.now())
        now = self._clock.now()
        sending = sorted(
            (r for r in ready if now - r.reminder.due_at <= self._grace), key=_longest_waiting
        )
        states = await self._send_all(sending)
        await self._write(states, {r.reminder.id: r.reminder.fire_at for r in sending})
        missed = [r.reminder for r in ready if now - r.reminder.due_at > self._grace]
        for _, group in groupby(sorted(missed, key=_owner), key=_owner):
            await self._report_missed(list(group))

    async def _load(self, wanted: dict[int, datetime], at: datetime) -> list[Ready]:
        """The rows still pending at the time they were fired for, worded for sending at
        `at`."""
        live = [
            r
            for r in await self._store.get_many(list(wanted))
            if r.status is Status.PENDING and r.fire_at == wanted[r.id]
        ]  # others were cancelled, edited or handled since their job was made
        locales = await self._community.locales_for({(r.owner_id, r.guild_id) for r in live})
        return [Ready.word(r, locales[r.owner_id, r.guild_id], at=at) for r in live]

    async def _send_all(self, sending: list[Ready]) -> list[Reminder]:
        """Send them; their next states, worked out once every send is done so that the
        sends come as close to their time as they can."""
        # A few workers share the batch: sends overlap on the network, and a thousand due
        # at once cost a handful of tasks rather than a thousand.
        queue = iter(sending)
        outcomes: list[tuple[Reminder, Outcome]] = []

        async def worker() -> None:
            for ready in queue:
                outcomes.append((ready.reminder, await self._send(ready)))

        await asyncio.gather(*(worker() for _ in range(min(SEND_CONCURRENCY, len(sending)))))
        return [self._state_after(reminder, outcome) for reminder, outcome in outcomes]

    async def _send(self, ready: Ready) -> Outcome:
        """Send one reminder; a failure is returned, not raised, as the others go on."""
        try:
            delivered = await self._deliver(ready)
        except DeliveryFailed as exc:
            return exc
        except Exception as exc:
            # A timeout or a bug in one send must not lose the batch's other results.
            log.exception("reminder %d: unexpected error while sending", ready.reminder.id)
            return DeliveryFailed(repr(exc))
        return Status.DELIVERED if delivered else Status.FAILED

    async def _deliver(self, ready: Ready) -> bool:
        """Send it in its owner's locale; False when it can never be delivered."""
        reminder = ready.reminder
        late = is_late(reminder, self._clock.now())
        reply = ready.reply
        if late != ready.late:  # worded for its moment, but a send held up must say so
            reply = delivery_message(reminder, ready.locale, late=late)
        if reminder.kind is Kind.ME:
            try:
                await self._messenger.send_dm(reminder.owner_id, reply)
                return True
            except DeliveryFailed as exc:
                if not exc.permanent:
                    raise
            mention = self._messenger.mention(reminder.owner_id)
            reply = delivery_message(reminder, ready.locale, late=late, mention=mention)
        try:
            await self._messenger.send_channel(reminder.channel_id, reply)
        except DeliveryFailed as exc:
            if not exc.permanent:
                raise
            log.error("reminder %d cannot be delivered anywhere: %s", reminder.id, exc)
            return False
        return True

    async def _report_missed(self, reminders: list[Reminder]) -> None:
        first = reminders[0]
        if is_former(first.owner_id):
            # Their author asked to be forgotten: nobody to tell (and no one to mention).
            await self._write(
                [self._after(r, Status.MISSED) for r in reminders],
                {r.id: r.fire_at for r in reminders},
            )
            return
        locale = await self._community.locale_for(first.owner_id, first.guild_id)
        try:
            with use_locale(locale):
                try:
                    await self._messenger.send_dm(first.owner_id, messages.missed(reminders))
                except DeliveryFailed as exc:
                    if not exc.permanent:
                        raise
                    mention = self._messenger.mention(first.owner_id)
                    reply = messages.missed(reminders, mention=mention)
                    await self._messenger.send_channel(first.channel_id, reply)
        except DeliveryFailed as exc:
            if not exc.permanent:
                await self._retry_report(reminders, exc)
                return
            log.error("missed reminders of %s could not be reported: %s", first.owner_id, exc)
        except Exception as exc:
            log.exception("missed reminders of %s: unexpected error", first.owner_id)
            await self._retry_report(reminders, DeliveryFailed(repr(exc)))
            return
        await self._write(
            [self._after(r, Status.MISSED) for r in reminders], {r.id: r.fire_at for r in reminders}
        )

    async def _retry_report(self, reminders: list[Reminder], exc: DeliveryFailed) -> None:
        await self._write(
            [self._retry_state(r, exc) for r in reminders], {r.id: r.fire_at for r in reminders}
        )

    def _state_after(self, reminder: Reminder, outcome: Outcome) -> Reminder:
        if isinstance(outcome, DeliveryFailed):
            return self._retry_state(reminder, outcome)
        return self._after(reminder, outcome)

    def _after(self, reminder: Reminder, outcome: Status) -> Reminder:
        """After a delivery or a report: the next occurrence, or the final status."""
        if reminder.recurrence is None or outcome is Status.FAILED:
            return replace(reminder, status=outcome)
        upcoming = reminder.recurrence.next_after(
            reminder.due_at, reminder.timezone, after=max(reminder.due_at, self._clock.now())
        )
        if upcoming is None:  # the rule has ended ("until June", "10 times")
            return replace(reminder, status=outcome)
        return replace(reminder, due_at=upcoming, fire_at=upcoming, attempts=0)

    def _retry_state(self, reminder: Reminder, exc: DeliveryFailed) -> Reminder:
        retry_at = whole_second(self._clock.now() + reminder.retry_delay())
        log.warning("reminder %d not sent (%s); next try at %s", reminder.id, exc, retry_at)
        return replace(reminder, attempts=reminder.attempts + 1, fire_at=retry_at)

    async def _write(self, states: list[Reminder], fired: dict[int, datetime]) -> None:
        """Save what the sends decided, in one transaction, and schedule what is pending.
        A row edited while it was being sent keeps the edit (its fire_at moved on)."""
        written = await self._store.update_many(
            states, expected=Status.PENDING, now=self._clock.now(), fire_at_was=fired
        )
        self._ready.forget(fired)
        for state in states:
            if state.id in written and state.status is Status.PENDING:
                self._jobs.schedule(_job(state.id), state.fire_at)


def _job(reminder_id: int) -> Job[ReminderJob]:
    return Job(ReminderJob.SEND, reminder_id)


def _owner(reminder: Reminder) -> str:
    return reminder.owner_id


def _longest_waiting(ready: Ready) -> tuple[datetime, int]:
    return ready.reminder.due_at, ready.reminder.id
