"""/group meeting …: planning a group's rotating meetings, and the next one, skipped or swapped."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.commands import Command, Invocation, Limit, Option, Registry
from bot.errors import UserError
from bot.groups import messages
from bot.groups.directory import GroupDirectory
from bot.groups.meetings import Meetings, PlanOutcome
from bot.groups.model import MAX_HOSTS, Group
from bot.offload import RULE_SECONDS, off_loop
from bot.replies import Reply
from bot.roles import Role
from bot.text import clean_name
from bot.timelang import repetition
from bot.timelang.repetition import MEETINGS, Repetition, Worded, first_from, parse, settle
from bot.timelang.timestamps import when
from bot.timelang.understand import understand_when
from bot.visibility import Scope, Viewer, Visibility

# The group of this name, if the actor may manage it (GroupCommands decides who may).
Managed = Callable[[Invocation, str], Awaitable[Group]]


class MeetingCommands:
    def __init__(
        self,
        directory: GroupDirectory,
        meetings: Meetings,
        managed: Managed,
        visibility: Visibility,
    ) -> None:
        self._directory = directory
        self._meetings = meetings
        self._managed = managed
        self._visibility = visibility

    def register(self, registry: Registry, name: Option) -> None:
        """`name` is the group's name option, completed as in the other /group commands."""
        registry.add(
            Command(
                "group meeting plan",
                Role.INITIATOR,
                self.plan,
                (
                    name,
                    Option("hosts", required=True, max_length=1000),
                    Option("first", max_length=200),
                    Option("every", max_length=60),
                    Option("dates", max_length=1000),
                    Option("topic", max_length=300),
                    Option("confirm", choices=("yes",)),
                ),
                limit=Limit(10, timedelta(days=1)),
            ),
            Command("group meeting next", Role.DIRECTOR, self.next_one, (name,)),
            Command("group meeting skip", Role.INITIATOR, self.skip, (name,)),
            Command("group meeting swap", Role.INITIATOR, self.swap, (name,)),
        )

    async def plan(
        self,
        ctx: Invocation,
        name: str,
        hosts: str,
        first: str | None = None,
        every: str | None = None,
        dates: str | None = None,
        topic: str = "",
        confirm: str | None = None,
    ) -> Reply:
        group = await self._managed(ctx, name)
        host_list = [h.strip() for h in hosts.split(";") if h.strip()]
        if not 1 <= len(host_list) <= MAX_HOSTS:
            raise UserError("error.meeting.hosts", max=MAX_HOSTS)
        if (every is None) == (dates is None):
            raise UserError("error.meeting.every_or_dates")
        later: list[datetime] = []
        rule: Repetition | None = None
        asked: datetime | None = None
        if every is not None:
            if first is None:
                raise UserError("error.meeting.first_needed")
            asked = understand_when(first, ctx, option="first", repeat="every")
            rule = _rule(every, asked, ctx)
            starts = await _first(rule, asked, ctx.timezone)
        else:
            assert dates is not None
            when_list = [
                understand_when(d.strip(), ctx, option="dates")
                for d in dates.split(";")
                if d.strip()
            ]
            if not when_list:
                raise UserError("error.meeting.every_or_dates")
            twice = next((w for i, w in enumerate(when_list) if w in when_list[:i]), None)
            if twice is not None:
                raise UserError("error.meeting.duplicate_date", date=when(twice))
            when_list.sort()
            starts, later = when_list[0], when_list[1:]
        result = await self._meetings.plan_meetings(
            group,
            hosts=host_list,
            first=starts,
            every_months=None,
            every_weeks=None,
            later_dates=later,
            topic=clean_name(topic, option="topic") if topic.strip() else "",
            timezone=ctx.timezone,
            rule=rule.body() if rule else None,
            confirmed=confirm == "yes",
        )
        meeting = result.meeting
        if result.outcome is PlanOutcome.ASK:
            return messages.meeting_replace_ask(group, meeting)
        if result.outcome is PlanOutcome.UNCHANGED:
            return messages.meeting_unchanged(group, meeting)
        if rule is None:
            return messages.meeting_planned(group, meeting, host_list)
        # (`dates` is this command's option: the module's function is named in full)
        following = await off_loop(
            RULE_SECONDS, repetition.dates, rule, starts, starts, ctx.timezone, 2
        )
        return messages.meeting_planned(
            group, meeting, host_list, rule=rule, asked=asked, upcoming=(starts, *following)
        )

    async def next_one(self, ctx: Invocation, name: str) -> Reply:
        group = await self._directory.get(ctx.guild_id, name)
        meeting = await self._meetings.next_meeting(group)
        return messages.meeting_next(
            group, meeting, topic=await topic_shown(self._visibility, ctx, group)
        )

    async def skip(self, ctx: Invocation, name: str) -> Reply:
        group = await self._managed(ctx, name)
        return messages.meeting_skipped(group, *await self._meetings.skip(group))

    async def swap(self, ctx: Invocation, name: str) -> Reply:
        group = await self._managed(ctx, name)
        # Only those who manage the group swap: its content is theirs to see.
        return messages.meeting_next(group, await self._meetings.swap(group), topic=True)


async def topic_shown(visibility: Visibility, ctx: Invocation, group: Group) -> bool:
    """A meeting's topic is made for its group ("zwolnienia" may be sensitive): it is
    shown where the group's content is seen (bot/visibility.py); others see date and host."""
    return await visibility.sees(Viewer.of(ctx), Scope(group.guild_id, group.id))


def _rule(every: str, first: datetime, ctx: Invocation) -> Repetition:
    """The plan's repetition ("3 months", "co 6 tygodni", "w pierwszy czwartek miesiąca"),
    at least a week apart, settled on the first meeting."""
    zone = ZoneInfo(ctx.timezone)
    rule = parse(every, allowed=MEETINGS, today=ctx.now.astimezone(zone).date())
    return settle(rule, first, ctx.timezone)


async def _first(rule: Repetition, asked: datetime, tz: str) -> datetime:
    """The first meeting: the date asked when it fits the rule, else the next that does."""
    first = await off_loop(RULE_SECONDS, first_from, rule, asked, tz)
    if first is None:
        raise UserError("error.repeat.no_dates", value=Worded(rule))
    return first
