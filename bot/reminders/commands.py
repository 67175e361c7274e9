"""/remind me, channel, list, cancel, edit, snooze, and the Snooze/Done buttons."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.commands import ChannelKind, Command, Invocation, Limit, Option, OptionType, Registry
from bot.errors import UserError
from bot.i18n import t
from bot.offload import RULE_SECONDS, off_loop
from bot.refs import ChannelRef
from bot.reminders import messages
from bot.reminders.model import MAX_TEXT, Kind
from bot.reminders.recurrence import Recurrence, is_off, parse_every
from bot.reminders.service import ReminderService
from bot.replies import Reply
from bot.roles import Role
from bot.timelang.durations import parse_duration
from bot.timelang.understand import MAX_AHEAD, understand_when

MORNING = time(9, 0)
_PRESETS = {"10m": timedelta(minutes=10), "1h": timedelta(hours=1)}


ChannelLeads = Callable[[str, str], Awaitable[bool]]


class ReminderCommands:
    def __init__(self, service: ReminderService, *, leads_channel: ChannelLeads) -> None:
        self._service = service
        # Initiators may remind their own group's channel; moderators any channel.
        self._leads_channel = leads_channel

    def register(self, registry: Registry) -> None:
        when = Option("when", required=True, max_length=200)
        what = Option("what", required=True, max_length=MAX_TEXT)
        every = Option("every", max_length=100)
        reminder_id = Option("id", OptionType.INTEGER, required=True, min_value=1)
        registry.add(
            # Pending ones are capped (REMINDER_MAX_PENDING); these bound the churn too.
            Command(
                "remind me",
                Role.DIRECTOR,
                self.me,
                (when, what, every),
                limit=Limit(30, timedelta(hours=1)),
            ),
            Command(
                "remind channel",
                Role.INITIATOR,
                self.channel,
                (when, what, every),
                limit=Limit(20, timedelta(days=1)),
            ),
            Command(
                "remind list",
                Role.DIRECTOR,
                self.list,
                (Option("channel", OptionType.CHANNEL, channel_kinds=(ChannelKind.TEXT,)),),
            ),
            Command("remind cancel", Role.DIRECTOR, self.cancel, (reminder_id,)),
            Command(
                "remind edit",
                Role.DIRECTOR,
                self.edit,
                (
                    reminder_id,
                    Option("when", max_length=200),
                    Option("what", max_length=MAX_TEXT),
                    every,
                ),
            ),
            Command(
                "remind snooze",
                Role.DIRECTOR,
                self.snooze,
                (reminder_id, Option("by", max_length=200)),
            ),
        )
        registry.add_button(
            r"remind:snooze:(?P<reminder_id>\d{1,18}):(?P<by>10m|1h|morning)", self.press_snooze
        )
        registry.add_button(r"remind:done:(?P<reminder_id>\d{1,18})", self.press_done)

    async def me(self, ctx: Invocation, when: str, what: str, every: str | None = None) -> Reply:
        return await self._create(ctx, Kind.ME, when, what, every)

    async def channel(
        self, ctx: Invocation, when: str, what: str, every: str | None = None
    ) -> Reply:
        if ctx.role < Role.MODERATOR and not await self._leads_channel(
            ctx.channel.home, ctx.actor.user.id
        ):
            raise UserError("error.reminder.not_your_channel")
        return await self._create(ctx, Kind.CHANNEL, when, what, every)

    async def _create(
        self, ctx: Invocation, kind: Kind, when: str, what: str, every: str | None
    ) -> Reply:
        due = understand_when(when, ctx, repeat="every")
        rule = _recurrence(every, ctx) if every else None
        reminder = await self._service.create(
            guild_id=ctx.guild_id,
            owner=ctx.actor.user,
            kind=kind,
            channel=ctx.channel,
            text=what,
            due=due,
            timezone=ctx.timezone,
            recurrence=rule,
        )
        if reminder.recurrence is None:
            return messages.created(reminder)
        upcoming = await off_loop(
            RULE_SECONDS, reminder.recurrence.upcoming, reminder.due_at, ctx.timezone
        )
        return messages.created(reminder, asked=due, upcoming=tuple(upcoming))

    async def list(self, ctx: Invocation, channel: ChannelRef | None = None) -> Reply:
        if channel is None:
            return messages.listing(await self._service.pending_of(ctx.actor.user.id))
        # Those who may set a channel's reminders may see them all, whoever set them (the
        # author may be gone), and cancel them by number.
        if ctx.role < Role.MODERATOR and not await self._leads_channel(
            channel.home, ctx.actor.user.id
        ):
            raise UserError("error.reminder.list_not_your_channel", channel=channel.name)
        found = await self._service.pending_in_channel(channel.id)
        return messages.listing(found, channel=channel.name)

    async def cancel(self, ctx: Invocation, id: int) -> Reply:
        reminder = await self._service.cancel(
            id,
            ctx.actor.user.id,
            moderator_in=ctx.guild_id if ctx.role >= Role.MODERATOR else None,
        )
        return Reply(t("reminder.cancelled", id=reminder.id), ephemeral=True)

    async def edit(
        self,
        ctx: Invocation,
        id: int,
        when: str | None = None,
        what: str | None = None,
        every: str | None = None,
    ) -> Reply:
        if when is None and what is None and every is None:
            raise UserError("error.reminder.nothing_to_edit")
        stop = every is not None and is_off(every)
        reminder = await self._service.edit(
            id,
            ctx.actor.user.id,
            text=what,
            due=understand_when(when, ctx, repeat="every") if when else None,
            recurrence=_recurrence(every, ctx) if every and not stop else None,
            stop_repeating=stop,
        )
        return messages.updated(reminder, repeat_removed=stop)

    async def snooze(self, ctx: Invocation, id: int, by: str | None = None) -> Reply:
        until = _snooze_until(by or "10m", ctx)
        return messages.snoozed(await self._service.snooze(id, ctx.actor.user.id, until))

    async def press_snooze(self, ctx: Invocation, reminder_id: str, by: str) -> Reply:
        return await self.snooze(ctx, int(reminder_id), by)

    async def press_done(self, ctx: Invocation, reminder_id: str) -> Reply:
        reminder = await self._service.done(int(reminder_id), ctx.actor.user.id)
        return Reply(t("reminder.done", id=reminder.id), ephemeral=True)


def _recurrence(every: str, ctx: Invocation) -> Recurrence | None:
    """The rule in `every` (any of the four languages; a RepetitionError says why not)."""
    return parse_every(every, today=ctx.now.astimezone(ZoneInfo(ctx.timezone)).date())


def _snooze_until(by: str, ctx: Invocation) -> datetime:
    """10m, 1h, morning (tomorrow 09:00 in the user's zone), any duration, or a time."""
    key = by.strip().lower()
    if key in _PRESETS:
        return ctx.now + _PRESETS[key]
    if key == "morning":
        zone = ZoneInfo(ctx.timezone)
        tomorrow = ctx.now.astimezone(zone).date() + timedelta(days=1)
        return datetime.combine(tomorrow, MORNING, tzinfo=zone)
    delta = parse_duration(key)
    if delta is not None:
        if delta > MAX_AHEAD:
            raise UserError("error.time_too_far", name="by")
        return ctx.now + delta
    return understand_when(by, ctx, option="by")
