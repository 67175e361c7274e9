"""The one wiring point: settings → database → stores → services → scheduler → commands."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta

from bot.audit.service import AuditLog
from bot.clock import Clock
from bot.commands import Registry
from bot.community.commands import CommunityCommands
from bot.community.service import CommunityService
from bot.community.store import CommunityStore
from bot.config import Settings
from bot.db import Database
from bot.dispatch import Dispatcher
from bot.events.commands import EventCommands
from bot.events.service import EventService
from bot.events.store import EventStore
from bot.geo import Gazetteer
from bot.groups.commands import GroupCommands
from bot.groups.service import GroupService
from bot.groups.store import GroupStore
from bot.i18n import load_catalogs
from bot.learning.commands import LearningCommands
from bot.learning.service import LearningService
from bot.learning.store import LearningStore
from bot.notify import Notifier
from bot.panels.commands import PanelCommands
from bot.panels.service import PanelService
from bot.panels.store import PanelStore
from bot.polls.commands import PollCommands
from bot.polls.service import PollService
from bot.polls.store import PollStore
from bot.ports import Announcer, GuildAdmin, Members, Messenger
from bot.privacy.commands import PrivacyCommands
from bot.privacy.service import PrivacyService
from bot.reminders.commands import ReminderCommands
from bot.reminders.service import ReminderService
from bot.reminders.store import ReminderStore
from bot.scheduler import Scheduler
from bot.signups.commands import SignupCommands
from bot.signups.service import SignupService
from bot.signups.store import SignupStore

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Ports:
    """What the running front end lends the core."""

    messenger: Messenger
    members: Members
    guilds: GuildAdmin
    announcer: Announcer


@dataclass
class App:
    settings: Settings
    clock: Clock
    db: Database
    scheduler: Scheduler
    registry: Registry
    dispatcher: Dispatcher
    community: CommunityService
    reminders: ReminderService
    groups: GroupService
    signups: SignupService
    polls: PollService
    panels: PanelService
    events: EventService
    privacy: PrivacyService
    audit: AuditLog
    # Feature work to do once at start, before the scheduler runs (e.g. the missed sweep).
    on_start: list[Callable[[], Awaitable[None]]] = field(default_factory=list)
    learning: LearningService | None = None

    async def start(self) -> None:
        """Run the features' start-up work, then rebuild and start the scheduler."""
        for hook in self.on_start:
            await hook()
        await self.scheduler.start()

    async def advance(self, by: timedelta) -> int:
        """Move a settable clock forward, running every job due on the way."""
        return await self.scheduler.advance_to(self.clock.now() + by)

    async def close(self) -> None:
        await self.scheduler.stop()
        await self.db.close()


async def open_app(settings: Settings, *, clock: Clock, ports: Ports) -> App:
    """Open the database (applying migrations) and build every service; the front end
    calls `app.start()` once it can deliver."""
    load_catalogs()
    db = await Database.open(settings.database_path)
    scheduler = Scheduler(clock, horizon=timedelta(hours=settings.scheduler_horizon_hours))
    registry = Registry()
    community = CommunityService(
        CommunityStore(db),
        clock,
        ports.members,
        default_locale=settings.default_locale,
        default_timezone=settings.default_timezone,
    )
    registry.add(*CommunityCommands(community, registry).commands())
    reminders = ReminderService(
        ReminderStore(db),
        clock,
        scheduler,
        ports.messenger,
        community,
        grace=timedelta(hours=settings.reminder_grace_hours),
        max_pending=settings.reminder_max_pending,
    )
    groups = GroupService(
        GroupStore(db),
        clock,
        scheduler,
        ports.messenger,
        ports.members,
        ports.guilds,
        community,
        Gazetteer.load(),
    )
    GroupCommands(groups).register(registry)
    ReminderCommands(reminders, leads_channel=groups.leads_channel).register(registry)
    signups = SignupService(
        SignupStore(db),
        clock,
        scheduler,
        ports.messenger,
        community,
        offer_for=timedelta(hours=settings.signup_offer_hours),
    )
    SignupCommands(signups, groups).register(registry)
    polls = PollService(PollStore(db), clock, scheduler, ports.messenger, community)
    PollCommands(polls, groups).register(registry)
    audit = AuditLog(db, clock, community, Notifier(ports.messenger, community))
    privacy = PrivacyService(db, clock, community, groups, signups, reminders)
    PrivacyCommands(privacy, audit, ports.messenger).register(registry)
    panels = PanelService(
        PanelStore(db),
        clock,
        scheduler,
        ports.messenger,
        ports.guilds,
        ports.announcer,
        community,
        opted_out=privacy.opted_out,
    )
    PanelCommands(panels, groups).register(registry)
    events = EventService(
        EventStore(db), clock, scheduler, ports.messenger, ports.announcer, community, groups
    )
    event_commands = EventCommands(events, groups)
    event_commands.register(registry)
    # Learning programmes: registration through a sign-up sheet, sessions as events.
    learning = LearningService(
        LearningStore(db),
        clock,
        scheduler,
        ports.messenger,
        ports.announcer,
        signups,
        events,
        community,
    )
    LearningCommands(learning, event_commands).register(registry)
    dispatcher = Dispatcher(registry, community, clock, audit)
    log.info("database %s at schema %d", settings.database_path, await db.schema_version())
    return App(
        settings,
        clock,
        db,
        scheduler,
        registry,
        dispatcher,
        community,
        reminders,
        groups,
        signups=signups,
        polls=polls,
        panels=panels,
        events=events,
        privacy=privacy,
        audit=audit,
        # Rows whose rules cannot be handled are set aside before anything reads them.
        on_start=[reminders.check_rules, events.check_series, reminders.sweep_missed],
        learning=learning,
    )
