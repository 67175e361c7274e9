"""Use cases for local groups: create, manage, join, find near, meetings that rotate."""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from difflib import get_close_matches
from zoneinfo import ZoneInfo

from bot.clock import Clock
from bot.community.service import CommunityService
from bot.errors import UserError
from bot.geography.places import Gazetteer, Place, distance_km
from bot.geography.regions import region_named, region_names
from bot.groups import messages
from bot.groups.model import (
    DECISION_LETTER,
    MAX_HOSTS,
    REQUEST_LETTER,
    Group,
    GroupStatus,
    JoinMode,
    Meeting,
    MeetingJob,
    MeetingPlan,
    MeetingStatus,
    Member,
    MemberStatus,
    Profile,
)
from bot.groups.store import GroupStore
from bot.i18n import t, use_locale
from bot.notify import Build, Notifier
from bot.outbox import Courier, Envelope, Letter, Outbox
from bot.ports import DeliveryFailed, GuildAdmin, Members, Messenger
from bot.refs import UserRef
from bot.repetition import dates, from_body
from bot.replies import Reply
from bot.roles import Role
from bot.rrules import RuleError
from bot.scheduler import Due, Job, Scheduler
from bot.text import clean_name, inert, lookalike, normalize

log = logging.getLogger(__name__)

# Told (group id, user id) when someone leaves a group.
LeaveListener = Callable[[int, str], Awaitable[None]]

REMIND_BEFORE = timedelta(days=1)
# A meeting counts as held this long after it starts; then the host moves on.
MEETING_LENGTH = timedelta(hours=3)
_CHANNEL_UNSAFE = re.compile(r"[^\w-]+")


@dataclass(frozen=True)
class JoinOutcome:
    group: Group
    status: MemberStatus
    new: bool


@dataclass(frozen=True)
class Nearby:
    place: Place
    groups: list[tuple[Group, float]]  # nearest first, with the distance in km


def find_place(gazetteer: Gazetteer, query: str) -> Place:
    """The place a person means, or a UserError that suggests the closest names (shared by
    /group near and the public page's "a group near me")."""
    place = gazetteer.find(query)
    if place is not None:
        return place
    close = [p.label() for p in gazetteer.suggest(query)]
    if close:
        raise UserError("error.place.unknown_suggest", place=query, suggestions="; ".join(close))
    raise UserError("error.place.unknown", place=query)


def channel_slug(name: str) -> str:
    """A Discord-friendly channel name: lower case, dashes, letters kept ("grupa-jura")."""
    slug = _CHANNEL_UNSAFE.sub("-", name.strip().lower()).strip("-")
    return (slug or "grupa")[:90]


class GroupService:
    def __init__(
        self,
        store: GroupStore,
        clock: Clock,
        scheduler: Scheduler,
        messenger: Messenger,
        members: Members,
        guilds: GuildAdmin,
        community: CommunityService,
        gazetteer: Gazetteer,
        outbox: Outbox,
        *,
        max_pending_requests: int = 5,
    ) -> None:
        self._store = store
        # Join requests one person may have waiting in a server (each is posted for the
        # group's initiators to answer).
        self._max_pending_requests = max_pending_requests
        self._clock = clock
        self._members = members
        self._guilds = guilds
        self._community = community
        self._gazetteer = gazetteer
        self._notify = Notifier(messenger, community)
        self._outbox = outbox
        self._leave_listeners: list[LeaveListener] = []
        self._jobs = scheduler.register_each("meeting", self._meeting_due, self._due_before)
        outbox.register(REQUEST_LETTER, Courier(self._word_request))
        outbox.register(DECISION_LETTER, Courier(self._word_decision))

    # -- finding groups and places ---------------------------------------------------

    async def get(self, guild_id: str, name: str) -> Group:
        """The group of this name, or a UserError that suggests the nearest names."""
        group = await self._store.by_key(guild_id, normalize(name))
        if group is not None:
            return group
        names = [g.name for g in await self._store.all(guild_id, include_archived=True)]
        close = _closest(name, names)
        if close:
            raise UserError("error.group.unknown_suggest", name=name, suggestions=", ".join(close))
        raise UserError("error.group.unknown", name=name)

    async def all(self, guild_id: str, region: str | None = None) -> list[Group]:
        """The guild's groups; only those of `region` (any of its names) when given."""
        groups = await self._store.all(guild_id)
        if region:
            wanted = normalize(self.region(region))
            groups = [g for g in groups if normalize(g.region) == wanted]
        return groups

    def region(self, name: str) -> str:
        """The region's proper name ("małopolskie") for any of its names ("Małopolska",
        "Lesser Poland", "Малополско"), or a UserError when no region is called so."""
        region = region_named(name)
        if region is None:
            raise UserError("error.group.unknown_region", region=name.strip())
        return region

    async def regions(self, guild_id: str, typed: str) -> list[str]:
        """The regions that have groups and a name containing `typed`, for autocomplete."""
        needle = normalize(typed)
        have = sorted({g.region for g in await self._store.all(guild_id)})
        return [r for r in have if any(needle in normalize(n) for n in region_names(r))]

    def place(self, query: str) -> Place:
        return find_place(self._gazetteer, query)

    def places(self, query: str) -> list[Place]:
        return self._gazetteer.search(query)

    async def near(self, guild_id: str, query: str, radius_km: float) -> Nearby:
        place = self.place(query)
        here = (place.lat, place.lon)
        found = sorted(
            ((g, distance_km(here, g.point)) for g in await self._store.all(guild_id)),
            key=lambda pair: pair[1],
        )
        return Nearby(place, [(g, km) for g, km in found if km <= radius_km])

    async def is_initiator(self, group: Group, user_id: str) -> bool:
        membership = await self._store.membership(group.id, user_id)
        return bool(membership and membership[1])

    async def groups_of(self, guild_id: str, user_id: str) -> list[Group]:
        return await self._store.groups_of(guild_id, user_id)

    async def initiated_by(self, guild_id: str, user_id: str) -> list[Group]:
        return await self._store.groups_initiated_by(guild_id, user_id)

    async def leads_channel(self, channel_id: str, user_id: str) -> bool:
        """Whether the user is an initiator of the group whose channel this is."""
        group = await self._store.by_channel(channel_id)
        return group is not None and await self.is_initiator(group, user_id)

    # -- what the visibility rule asks (bot/visibility.py) -----------------------------

    async def insider(self, group_id: int, user_id: str) -> tuple[bool, bool]:
        """(a member, an initiator): a pending request is neither."""
        membership = await self._store.membership(group_id, user_id)
        if membership is None or membership[0] is not MemberStatus.MEMBER:
            return False, False
        return True, membership[1]

    async def insider_groups(
        self, guild_id: str, user_id: str
    ) -> tuple[frozenset[int], frozenset[int]]:
        rows = await self._store.insider_groups(guild_id, user_id)
        return frozenset(g for g, _ in rows), frozenset(g for g, lead in rows if lead)

    async def group_of_channel(self, channel_id: str) -> int | None:
        group = await self._store.by_channel(channel_id)
        return group.id if group else None

    async def by_id(self, group_id: int) -> Group | None:
        return await self._store.get(group_id)

    async def by_channel(self, channel_id: str) -> Group | None:
        return await self._store.by_channel(channel_id)

    # -- creating and managing -------------------------------------------------------

    async def create(
        self,
        guild_id: str,
        *,
        name: str,
        city: str,
        description: str,
        join: JoinMode,
        creator: UserRef,
        initiator: UserRef | None,
    ) -> Group:
        name = clean_name(name, option="name")
        await self._refuse_lookalike(guild_id, name)
        place = self.place(city)
        draft = Group(
            id=0,
            guild_id=guild_id,
            name=name,
            city=place.name,
            region=place.region,
            country=place.country,
            lat=place.lat,
            lon=place.lon,
            description=description.strip(),
            join_mode=join,
            status=GroupStatus.ACTIVE,
            role_id=None,
            role_name=None,
            channel_id=None,
            channel_name=None,
        )
        now = self._clock.now()
        # The row first: it reserves the name, so two admins cannot make the same group.
        group_id = await self._store.add(draft, normalize(draft.name), place.id, creator.id, now)
        if group_id is None:
            raise UserError("error.group.exists", name=name)
        group = replace(draft, id=group_id)
        lead = initiator or creator
        try:
            group = await self._make_space(group, [lead.id])
        except UserError:
            await self._store.delete(group_id)  # nothing half-made stays behind
            raise
        await self._store.set_initiator(group.id, lead.id, True, now)
        await self._give_role(group, lead.id)
        await self._community.grant(group.guild_id, lead, Role.INITIATOR, by=creator)
        await self._post(group, lambda: messages.welcome(group))
        return group

    async def _refuse_lookalike(self, guild_id: str, name: str, besides: int = 0) -> None:
        """A name that only looks like another group's (a Cyrillic "а", a soft hyphen)
        would let someone pass for that group: refused, naming the one it imitates. The
        same name in other letter case or without diacritics is the database's to refuse."""
        others = await self._store.all(guild_id, include_archived=True)
        taken = [g.name for g in others if g.id != besides and normalize(g.name) != normalize(name)]
        existing = lookalike(name, taken)
        if existing is not None:
            raise UserError("error.name_lookalike", name=inert(name), existing=inert(existing))

    async def _make_space(self, group: Group, managers: list[str]) -> Group:
        # The category is named in the server's language, whoever creates the group.
        locale = (await self._community.guild(group.guild_id)).locale
        category = t("group.category", locale=locale or self._community.default_locale)
        try:
            space = await self._guilds.create_group_space(
                group.guild_id,
                name=group.name,
                channel_name=channel_slug(group.name),
                category=category,
                managers=managers,
            )
        except DeliveryFailed as exc:
            log.warning("group %s: platform refused the channel or role: %s", group.name, exc)
            raise UserError("error.group.platform_failed") from exc
        updated = replace(
            group,
            role_id=space.role_id,
            role_name=space.role_name,
            channel_id=space.channel_id,
            channel_name=space.channel_name,
        )
        await self._store.update(updated, normalize(updated.name))
        return updated

    async def edit(
        self,
        group: Group,
        *,
        new_name: str | None,
        city: str | None,
        description: str | None,
        join: JoinMode | None,
        public: bool | None = None,
    ) -> Group:
        updated = group
        if city:
            place = self.place(city)
            updated = replace(
                updated,
                city=place.name,
                region=place.region,
                country=place.country,
                lat=place.lat,
                lon=place.lon,
            )
        if new_name:
            name = clean_name(new_name, option="new_name")
            await self._refuse_lookalike(group.guild_id, name, besides=group.id)
            updated = replace(updated, name=name)
        if description is not None:
            updated = replace(updated, description=description.strip())
        if join is not None:
            updated = replace(updated, join_mode=join)
        if public is not None:
            updated = replace(updated, public=public)
        if not await self._store.update(updated, normalize(updated.name)):
            raise UserError("error.group.exists", name=updated.name)
        return updated

    async def archive(self, group: Group) -> Group:
        if group.status is GroupStatus.ARCHIVED:
            raise UserError("error.group.already_archived", name=group.name)
        if group.channel_id:
            try:
                await self._guilds.archive_channel(group.guild_id, group.channel_id, group.role_id)
            except DeliveryFailed as exc:
                raise UserError("error.group.platform_failed") from exc
        archived = replace(group, status=GroupStatus.ARCHIVED)
        await self._store.update(archived, normalize(archived.name))
        await self._store.cancel_planned(group.id)
        return archived

    async def repair(self, group: Group) -> Group:
        """Make the channel and role again after someone deleted them on the platform."""
        initiators = [m.user_id for m in await self._store.members(group.id) if m.is_initiator]
        repaired = await self._make_space(group, initiators)
        for member in await self._store.members(group.id):
            if member.status is MemberStatus.MEMBER:
                await self._give_role(repaired, member.user_id)
        return repaired

    async def platform_gone(
        self, *, channel_id: str | None = None, role_id: str | None = None
    ) -> None:
        """Someone deleted a group's channel or role on the platform: forget it and offer
        the initiators to make it again (never a crash on the next use)."""
        group = None
        if channel_id:
            group = await self._store.by_channel(channel_id)
        if group is None and role_id:
            group = await self._store.by_role(role_id)
        if group is None:
            return
        gone = replace(
            group,
            channel_id=None if group.channel_id == channel_id else group.channel_id,
            channel_name=None if group.channel_id == channel_id else group.channel_name,
            role_id=None if group.role_id == role_id else group.role_id,
            role_name=None if group.role_id == role_id else group.role_name,
        )
        await self._store.update(gone, normalize(gone.name))
        for member in await self._store.members(group.id):
            if member.is_initiator:
                await self._notify.tell(
                    member.user_id, group.guild_id, lambda: messages.platform_gone(gone)
                )

    async def left_channel(self, channel_id: str, user_id: str) -> bool:
        """Someone left a group's channel on the platform itself (left the room, was
        removed or banned, or turned the invitation down): they are no longer a member,
        so the member list reads true and a later `/group join` lets them in again.
        True when they were a member."""
        group = await self._store.by_channel(channel_id)
        if group is None or not await self._store.remove_member(group.id, user_id):
            return False
        log.info("%s left the channel of group %d on the platform", user_id, group.id)
        await self._gave_up(group, user_id)
        return True

    async def set_initiator(self, group: Group, user: UserRef, *, on: bool) -> bool:
        """True when something changed."""
        membership = await self._store.membership(group.id, user.id)
        if bool(membership and membership[1]) == on:
            return False
        await self._community.remember(user)
        now = self._clock.now()
        if on:
            await self._store.set_initiator(group.id, user.id, True, now)
            await self._give_role(group, user.id)
            # Running a group is what the initiator role means; a later removal leaves the
            # community role alone, since an admin may have granted it for other reasons.
            await self._community.grant(group.guild_id, user, Role.INITIATOR, by=user)
        else:
            await self._store.set_initiator(group.id, user.id, False, now)
        if group.channel_id:
            try:
                await self._guilds.set_channel_manager(
                    group.guild_id, group.channel_id, user.id, allowed=on
                )
            except DeliveryFailed as exc:
                log.warning("could not change channel rights in %s: %s", group.name, exc)
        return True

    # -- joining ---------------------------------------------------------------------

    async def join(self, group: Group, user: UserRef) -> JoinOutcome:
        if group.status is GroupStatus.ARCHIVED:
            raise UserError("error.group.archived", name=group.name)
        status = MemberStatus.MEMBER if group.join_mode is JoinMode.OPEN else MemberStatus.PENDING
        await self._community.remember(user)
        # A request is posted for the initiators by a letter written with it: a crash
        # after the commit cannot leave a request nobody was shown.
        letters = []
        if status is MemberStatus.PENDING and group.channel_id:
            letters.append(
                Letter(
                    REQUEST_LETTER,
                    group.guild_id,
                    {"group": group.id},
                    channel_id=group.channel_id,
                    about_id=user.id,
                )
            )
        now = self._clock.now()
        if status is MemberStatus.PENDING:
            added = await self._store.add_request_if_room(
                group, user.id, now, self._max_pending_requests, letters
            )
        else:
            added = await self._store.add_member(group.id, user.id, status, now)
        if added is None:
            current = await self._store.membership(group.id, user.id)
            return JoinOutcome(group, current[0] if current else status, False)
        if status is MemberStatus.MEMBER:
            await self._give_role(group, user.id)
        await self._outbox.deliver(added)
        return JoinOutcome(group, status, True)

    async def leave(self, group: Group, user_id: str) -> MemberStatus:
        """Leave the group, or withdraw a request to join; what the person was."""
        membership = await self._store.membership(group.id, user_id)
        if membership is None or not await self._store.remove_member(group.id, user_id):
            raise UserError("error.group.not_member", name=group.name)
        await self._take_role(group, user_id)
        await self._gave_up(group, user_id)
        return membership[0]

    def on_leaving(self, listener: LeaveListener) -> None:
        """Features whose group content holds people (seats, answers) let go of someone
        who leaves: they could not even see it any more."""
        self._leave_listeners.append(listener)

    async def _gave_up(self, group: Group, user_id: str) -> None:
        for listener in self._leave_listeners:
            await listener(group.id, user_id)

    async def decide(self, group: Group, user_id: str, *, approve: bool) -> bool:
        """Approve or decline a pending request and tell the director (by a letter
        written with the decision); False when it was already decided."""
        letters = await self._store.decide(group, user_id, approve=approve, now=self._clock.now())
        if letters is None:
            return False
        if approve:
            await self._give_role(group, user_id)
        await self._outbox.deliver(letters)
        return True

    # -- the letters: worded when they are sent, from the rows as they are then ------------

    async def _word_request(self, envelope: Envelope) -> Reply | None:
        """The request in the group's channel, in the server's language, while it is
        still waiting for a decision."""
        group = await self._store.get(int(envelope.payload["group"]))
        user_id = envelope.letter.about_id
        if group is None or group.status is GroupStatus.ARCHIVED or user_id is None:
            return None
        membership = await self._store.membership(group.id, user_id)
        if membership is None or membership[0] is not MemberStatus.PENDING:
            return None  # decided, or withdrawn, before it could be shown
        name = await self._community.display_name(user_id) or user_id.split(":", 1)[-1]
        with use_locale(await self._notify.guild_locale(group.guild_id)):
            return messages.approval_request(group, user_id, name)

    async def _word_decision(self, envelope: Envelope) -> Reply | None:
        group = await self._store.get(int(envelope.payload["group"]))
        user_id = envelope.letter.user_id
        if group is None or user_id is None:
            return None
        approved = bool(envelope.payload["approved"])
        with use_locale(await self._community.locale_for(user_id, group.guild_id)):
            return messages.decision_for_director(group, approved)

    async def members(self, group: Group) -> list[Member]:
        return await self._store.members(group.id)

    async def name_of(self, user_id: str) -> str | None:
        """The name the bot knows for someone (None after they were forgotten)."""
        return await self._community.display_name(user_id)

    async def _give_role(self, group: Group, user_id: str) -> None:
        if group.role_id:
            try:
                await self._members.add_role(group.guild_id, user_id, group.role_id)
            except DeliveryFailed as exc:
                log.warning("could not give the role of %s to %s: %s", group.name, user_id, exc)

    async def _take_role(self, group: Group, user_id: str) -> None:
        if group.role_id:
            try:
                await self._members.remove_role(group.guild_id, user_id, group.role_id)
            except DeliveryFailed as exc:
                log.warning("could not take the role of %s from %s: %s", group.name, user_id, exc)

    # -- profiles --------------------------------------------------------------------

    async def set_profile(
        self,
        user: UserRef,
        library: str | None,
        town: str | None,
        show_name: bool | None = None,
    ) -> Profile:
        current = await self._store.profile(user.id) or Profile(user.id, "", "")
        profile = Profile(
            user.id,
            clean_name(library, option="library") if library is not None else current.library,
            clean_name(town, option="town") if town is not None else current.town,
            current.show_name if show_name is None else show_name,
        )
        await self._community.remember(user)
        await self._store.save_profile(profile, self._clock.now())
        return profile

    async def profile(self, user_id: str) -> Profile | None:
        return await self._store.profile(user_id)

    # -- meetings --------------------------------------------------------------------

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
    ) -> Meeting:
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
        await self._store.cancel_planned(group.id)
        await self._store.save_plan(plan, by="", now=self._clock.now())
        return await self._add_meeting(plan, seq=0, starts=first)

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
            await self._post(group, lambda: messages.meeting_announcement(group, meeting))

    async def _post(self, group: Group, build: Build) -> None:
        """Say something in the group's channel, in the server's language."""
        if group.channel_id:
            await self._notify.post(group.channel_id, group.guild_id, build)

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

    async def skip(self, group: Group) -> Meeting:
        """Skip the next meeting; its host hosts the one after instead."""
        meeting = await self._require_next(group)
        plan = await self._require_plan(group)
        self._unschedule(meeting)
        await self._store.set_meeting(replace(meeting, status=MeetingStatus.SKIPPED))
        following = _following(plan, meeting)
        if following is None:
            raise UserError("error.meeting.no_more_dates")
        starts, plan = following
        await self._store.save_plan(plan, by="", now=self._clock.now())
        return await self._add_meeting(plan, seq=meeting.seq, starts=starts)

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


def _jobs_of(meeting: Meeting) -> list[Due[MeetingJob]]:
    """A planned meeting's jobs: the reminder (until it went out), then the rotation."""
    jobs: list[Due[MeetingJob]] = []
    if not meeting.reminded:
        jobs.append((Job(MeetingJob.REMIND, meeting.id), meeting.starts_at - REMIND_BEFORE))
    jobs.append((Job(MeetingJob.ROTATE, meeting.id), meeting.starts_at + MEETING_LENGTH))
    return jobs


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


def _closest(name: str, names: list[str], limit: int = 3) -> list[str]:
    keys = {normalize(n): n for n in names}
    return [keys[k] for k in get_close_matches(normalize(name), list(keys), n=limit, cutoff=0.6)]
