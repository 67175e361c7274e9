"""The parts of the groups feature, built together for bot/app.py (`App.groups`).

Each part has one job and callers take only the part they need: the directory (finding
groups, what the visibility rule asks), management (creating and keeping groups and their
platform space), membership (joining, leaving, requests), meetings, profiles, and
proposals to start a group (with a new group's checklist).
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.clock import Clock
from bot.community.service import CommunityService
from bot.geography.places import Gazetteer
from bot.groups.directory import GroupDirectory
from bot.groups.management import GroupManagement
from bot.groups.meetings import Meetings
from bot.groups.membership import Membership
from bot.groups.platform import GroupPlatform
from bot.groups.profiles import Profiles
from bot.groups.proposals import Proposals
from bot.groups.store import GroupStore
from bot.notify import Notifier
from bot.outbox import Outbox
from bot.ports import GuildAdmin, Members, Messenger
from bot.scheduler import Scheduler


@dataclass(frozen=True)
class Groups:
    directory: GroupDirectory
    management: GroupManagement
    membership: Membership
    meetings: Meetings
    profiles: Profiles
    proposals: Proposals


def build_groups(
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
    max_pending_requests: int,
) -> Groups:
    """Every part over one store; registers the meeting jobs with the scheduler and the
    request, decision and proposal letters with the outbox."""
    notify = Notifier(messenger, community)
    platform = GroupPlatform(members, notify)
    management = GroupManagement(store, clock, guilds, community, gazetteer, platform, notify)
    return Groups(
        directory=GroupDirectory(store, gazetteer),
        management=management,
        membership=Membership(
            store,
            clock,
            community,
            outbox,
            platform,
            notify,
            max_pending_requests=max_pending_requests,
        ),
        meetings=Meetings(store, clock, scheduler, platform, notify),
        profiles=Profiles(store, clock, community),
        proposals=Proposals(store, clock, community, gazetteer, management, outbox, notify),
    )
