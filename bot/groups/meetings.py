"""A group's meetings that rotate between libraries: the plan, the reminder, the rotation.

`Meetings` plans a series (hosts in turn, every few weeks or months, by a rule or on listed
dates), skips or swaps the next one, and runs its scheduler jobs (`MeetingJob`): members
are reminded the day before, and once a meeting is over the next library hosts the next.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from bot.clock import Clock
from bot.errors import UserError
from bot.groups import messages
from bot.groups.model import (
    MAX_HOSTS,
    Group,
    GroupStatus,
    Meeting,
    MeetingJob,
    MeetingPlan,
    MeetingStatus,
    MemberStatus,
)
from bot.groups.platform import GroupPlatform
from bot.groups.store import GroupStore
from bot.notify import Notifier
from bot.scheduler import Due, Job, Scheduler
from bot.timelang.repetition import dates, from_body
from bot.timelang.rrules import RuleError

log = logging.getLogger(__name__)

REMIND_BEFORE = timedelta(days=1)
# A meeting counts as held this long after it starts; then the host moves on.
MEETING_LENGTH = timedelta(hours=3)


class PlanOutcome(StrEnum):
    PLANNED = "planned"  # a new plan, or one that replaced the old: announced
    UNCHANGED = "unchanged"  # the plan already in force, asked for again: nothing happens
    ASK = "ask"  # another plan has a meeting coming: replaced only when confirmed


@dataclass(frozen=True)
class PlanResult:
    outcome: PlanOutcome
    meeting: Meeting  # the first meeting of the new plan, else the one still coming


class Meetings:
    def __init__(
        self,
        store: GroupStore,
        clock: Clock,
        scheduler: Scheduler,
        platform: GroupPlatform,
        notify: Notifier,
    ) -> None:
        self._store = store
        self._clock = clock
        self._platform = platform
        self._notify = notify
        self._jobs = scheduler.register_each("meeting", self._meeting_due, self._due_before)

    async def plan_meetings(
        self,
        group: Group,
        *,
        hosts: list[str],
        first: datetime,
        every_months: int | None,
        every_weeks: int | None,
        later_dates: list[datetime],
        topic: str,
        timezone: str,
        rule: str | None = None,
        confirmed: bool = False,
    ) -> PlanResult:
        """Plan the group's meetings. A plan whose meetings are still coming is not
        replaced unasked (its planned meetings would be called off) and the same plan
        asked for again changes nothing, so the channel does not hear it twice."""
        if not 1 <= len(hosts) <= MAX_HOSTS:
            raise UserError("error.meeting.hosts", max=MAX_HOSTS)
        plan = MeetingPlan(
            group.id,
            tuple(hosts),
            every_months,
            every_weeks,
            tuple(later_dates),
            topic,
            timezone,
            rule,
        )
        coming = await self._store.next_meeting(group.id)
        if coming is not None:
            if await self._store.plan(group.id) == plan and coming.starts_at == first:
                return PlanResult(PlanOutcome.UNCHANGED, coming)
            if not confirmed:
                return PlanResult(PlanOutcome.ASK, coming)
        await self._store.cancel_planned(group.id)
        await self._store.save_plan(plan, by="", now=self._clock.now())
        return PlanResult(PlanOutcome.PLANNED, await self._add_meeting(plan, seq=0, starts=first))

    async def _add_meeting(self, plan: MeetingPlan, *, seq: int, starts: datetime) -> Meeting:
        draft = Meeting(
            0, plan.group_id, seq, plan.host(seq), starts, plan.topic, MeetingStatus.PLANNED, False
        )
        meeting = replace(draft, id=await self._store.add_meeting(draft))
        self._schedule(meeting)
        await self._announce(meeting)
        return meeting

    async def _announce(self, meeting: Meeting) -> None:
        group = await self._store.get(meeting.group_id)
        if group is not None:
            await self._platform.post(group, lambda: messages.meeting_announcement(group, meeting))

    def _schedule(self, meeting: Meeting) -> None:
        if not meeting.reminded:
            self._jobs.schedule(
                Job(MeetingJob.REMIND, meeting.id), meeting.starts_at - REMIND_BEFORE
            )
        self._jobs.schedule(Job(MeetingJob.ROTATE, meeting.id), meeting.starts_at + MEETING_LENGTH)

    def _unschedule(self, meeting: Meeting) -> None:
        self._jobs.cancel(Job(MeetingJob.REMIND, meeting.id))
        self._jobs.cancel(Job(MeetingJob.ROTATE, meeting.id))

    async def next_meeting(self, group: Group) -> Meeting | None:
        return await self._store.next_meeting(group.id)

    async def skip(self, group: Group) -> tuple[Meeting, Meeting]:
        """Skip the next meeting; its host hosts the one after instead. The meeting
        skipped, and the one that takes its place."""
        meeting = await self._require_next(group)
        plan = await self._require_plan(group)
        self._unschedule(meeting)
        await self._store.set_meeting(replace(meeting, status=MeetingStatus.SKIPPED))
        following = _following(plan, meeting)
        if following is None:
            raise UserError("error.meeting.no_more_dates")
        starts, plan = following
        await self._store.save_plan(plan, by="", now=self._clock.now())
        return meeting, await self._add_meeting(plan, seq=meeting.seq, starts=starts)

    async def swap(self, group: Group) -> Meeting:
        """The next two hosts change places in the rotation."""
        meeting = await self._require_next(group)
        plan = await self._require_plan(group)
        if len(plan.hosts) < 2:
            raise UserError("error.meeting.one_host")
        hosts = list(plan.hosts)
        i, j = meeting.seq % len(hosts), (meeting.seq + 1) % len(hosts)
        hosts[i], hosts[j] = hosts[j], hosts[i]
        plan = replace(plan, hosts=tuple(hosts))
        await self._store.save_plan(plan, by="", now=self._clock.now())
        swapped = replace(meeting, host=plan.host(meeting.seq))
        await self._store.set_meeting(swapped)
        return swapped

    async def _require_next(self, group: Group) -> Meeting:
        meeting = await self._store.next_meeting(group.id)
        if meeting is None:
            raise UserError("error.meeting.none", name=group.name)
        return meeting

    async def _require_plan(self, group: Group) -> MeetingPlan:
        plan = await self._store.plan(group.id)
        if plan is None:
            raise UserError("error.meeting.none", name=group.name)
        return plan

    # -- the scheduler's jobs --------------------------------------------------------

    async def _due_before(self, until: datetime, limit: int) -> list[Due[MeetingJob]]:
        jobs: list[Due[MeetingJob]] = []
        for meeting in await self._store.planned_before(until + REMIND_BEFORE, limit):
            if not meeting.reminded and meeting.starts_at - REMIND_BEFORE <= until:
                jobs.append((Job(MeetingJob.REMIND, meeting.id), meeting.starts_at - REMIND_BEFORE))
            if meeting.starts_at + MEETING_LENGTH <= until:
                jobs.append(
                    (Job(MeetingJob.ROTATE, meeting.id), meeting.starts_at + MEETING_LENGTH)
                )
        return sorted(jobs, key=lambda job: job[1])[:limit]

    async def _meeting_due(self, job: Job[MeetingJob]) -> None:
        meeting = await self._store.meeting(job.row)
        if meeting is None or meeting.status is not MeetingStatus.PLANNED:
            return
        if job.kind is MeetingJob.REMIND and not meeting.reminded:
            await self._remind(meeting)
        elif job.kind is MeetingJob.ROTATE:
            await self._rotate(meeting)

    async def _remind(self, meeting: Meeting) -> None:
        """The day before: every member gets a message in their own language."""
        group = await self._store.get(meeting.group_id)
        if group is not None and group.status is GroupStatus.ACTIVE:
            for member in await self._store.members(group.id):
                if member.status is MemberStatus.MEMBER:
                    await self._remind_member(group, meeting, member.user_id)
        # Only the flag: a swap made while the messages went out must stay.
        await self._store.mark_reminded(meeting.id)

    async def _remind_member(self, group: Group, meeting: Meeting, user_id: str) -> None:
        # One closed inbox must not stop the others; the channel has the announcement.
        await self._notify.tell(
            user_id, group.guild_id, lambda: messages.meeting_reminder(group, meeting)
        )

    async def _rotate(self, meeting: Meeting) -> None:
        """After a meeting: it is held, and the next library hosts the next one."""
        await self._store.set_meeting(replace(meeting, status=MeetingStatus.HELD))
        group = await self._store.get(meeting.group_id)
        plan = await self._store.plan(meeting.group_id)
        if group is None or plan is None or group.status is GroupStatus.ARCHIVED:
            return
        following = _following(plan, meeting)
        if following is None:
            return
        starts, plan = following
        await self._store.save_plan(plan, by="", now=self._clock.now())
        await self._add_meeting(plan, seq=meeting.seq + 1, starts=starts)


def _following(plan: MeetingPlan, meeting: Meeting) -> tuple[datetime, MeetingPlan] | None:
    """When the meeting after this one is, and the plan with that date used up."""
    if plan.rule:
        return _by_rule(plan, meeting)
    step = plan.step()
    if step is not None:
        local = meeting.starts_at.astimezone(ZoneInfo(plan.timezone))
        return (local + step).astimezone(meeting.starts_at.tzinfo), plan
    if plan.periodic:
        log.warning(
            "group %d: meeting plan every %s months / %s weeks is out of range; no next meeting",
            plan.group_id,
            plan.every_months,
            plan.every_weeks,
        )
        return None
    if not plan.dates:
        return None
    return plan.dates[0], replace(plan, dates=plan.dates[1:])


def _by_rule(plan: MeetingPlan, meeting: Meeting) -> tuple[datetime, MeetingPlan] | None:
    """The next date of a plan's rule after this meeting; None when the rule has ended or
    cannot be computed (logged: a rule only this module writes is simple)."""
    assert plan.rule is not None
    try:
        found = dates(from_body(plan.rule), meeting.starts_at, meeting.starts_at, plan.timezone, 1)
    except (ValueError, RuleError) as exc:
        log.warning(
            "group %d: meeting rule %r cannot be computed: %s", plan.group_id, plan.rule, exc
        )
        return None
    return (found[0], plan) if found else None
