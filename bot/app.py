"""The one wiring point: settings → database → stores → services → scheduler → commands."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Protocol

from bot.audit.service import AuditLog
from bot.clock import Clock
from bot.commands import Limit, Registry
from bot.community.commands import CommunityCommands
from bot.community.service import CommunityService
from bot.community.store import CommunityStore
from bot.config import ConfigError, Settings
from bot.db import Database
from bot.digest.assembly import Assembly
from bot.digest.service import DigestService
from bot.digest.store import DigestStore
from bot.dispatch import Dispatcher
from bot.events.commands import EventCommands
from bot.events.store import EventStore
from bot.events.wiring import Events, build_events
from bot.geography.places import Gazetteer
from bot.groups.commands import GroupCommands
from bot.groups.store import GroupStore
from bot.groups.wiring import Groups, build_groups
from bot.i18n import use_words
from bot.instance import Instance, hold
from bot.learning.commands import LearningCommands
from bot.learning.line import LearningLine
from bot.learning.service import LearningService
from bot.learning.store import LearningStore
from bot.notify import Notifier
from bot.outbox import Outbox
from bot.panels.commands import PanelCommands
from bot.panels.store import PanelStore
from bot.panels.wiring import Panels, build_panels
from bot.polls.commands import PollCommands
from bot.polls.service import PollService
from bot.polls.store import PollStore
from bot.ports import Announcer, GuildAdmin, Members, Messenger
from bot.privacy.commands import PrivacyCommands
from bot.privacy.service import PrivacyService
from bot.ratelimit import Limiter
from bot.reminders.commands import ReminderCommands
from bot.reminders.delivery import Delivery
from bot.reminders.service import ReminderService
from bot.reminders.store import ReminderStore
from bot.roles import Role
from bot.scheduler import Scheduler
from bot.signups.commands import SignupCommands
from bot.signups.store import SignupStore
from bot.signups.wiring import Signups, build_signups
from bot.timelang.points import warm_up as timelang_warm_up
from bot.visibility import Visibility
from bot.welcome.commands import WelcomeCommands
from bot.welcome.service import Welcome
from bot.welcome.store import WelcomeStore

log = logging.getLogger(__name__)


class Companion(Protocol):
    """Something served beside the bot in its process, started after the scheduler and
    stopped first (the public web page, when WEB_ENABLED): the entry point adds it, so the
    core never imports it."""

    async def start(self, app: App) -> None: ...

    async def stop(self) -> None: ...


# Factories the entry point registers (`python -m bot` with WEB_ENABLED): each running app
# gets its own companions.
_COMPANIONS: list[Callable[[], Companion]] = []


def add_companion(factory: Callable[[], Companion]) -> None:
    _COMPANIONS.append(factory)


@dataclass(frozen=True)
class Ports:
    """What the running front end lends the core."""

    messenger: Messenger
    members: Members
    guilds: GuildAdmin
    announcer: Announcer
    # The platform whose names for things the texts use (bot/i18n `use_words`): "matrix"
    # says room and reaction where Discord says channel and button.
    words: str | None = None


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
    groups: Groups
    signups: Signups
    polls: PollService
    panels: Panels
    events: Events
    privacy: PrivacyService
    audit: AuditLog
    welcome: Welcome
    # Feature work to do once at start, before the scheduler runs (e.g. the missed sweep).
    on_start: list[Callable[[], Awaitable[None]]] = field(default_factory=list)
    learning: LearningService | None = None
    digest: DigestService | None = None
    outbox: Outbox | None = None
    # This process's hold on the database (one running bot per database).
    instance: Instance | None = None
    companions: list[Companion] = field(default_factory=list)
    words: str | None = None

    async def start(self) -> None:
        """Run the features' start-up work, then rebuild and start the scheduler."""
        with use_words(self.words):
            for hook in self.on_start:
                await hook()
        await self.scheduler.start()
        for companion in self.companions:
            await companion.start(self)

    async def warm_up(self) -> None:
        """Compile the time language's rules and load its fallback (0.4 s or more on its
        first phrase) off the event loop, for front ends that run for long: the first time
        a person types after a start is then answered as fast as the next ones. The
        gazetteer is left for its first lookup: it would hold ~40 MB in a bot whose server
        may never ask about places (its trade-off: `timelang.points.warm_up`)."""
        await asyncio.to_thread(timelang_warm_up, [self.settings.default_timezone])

    async def advance(self, by: timedelta) -> int:
        """Move a settable clock forward, running every job due on the way."""
        return await self.scheduler.advance_to(self.clock.now() + by)

    async def close(self) -> None:
        for companion in self.companions:
            await companion.stop()
        await self.scheduler.stop()
        await self.db.close()
        if self.instance is not None:
            self.instance.release()


async def open_app(settings: Settings, *, clock: Clock, ports: Ports) -> App:
    """Open the database (applying migrations) and build every service; the front end
    calls `app.start()` once it can deliver. Catalogs and the gazetteer are read at their
    first use, not here (tests/unit/test_footprint.py)."""
    instance = hold(settings.database_path)
    try:
        db = await Database.open(settings.database_path)
    except BaseException:
        instance.release()
        raise
    scheduler = Scheduler(
        clock,
        horizon=timedelta(hours=settings.scheduler_horizon_hours),
        around=lambda: use_words(ports.words),
    )
    registry = Registry()
    # What changes must say is written with them and sent after the commit (bot/outbox.py).
    outbox = Outbox(db, clock, scheduler, ports.messenger)
    community = CommunityService(
        CommunityStore(db),
        clock,
        ports.members,
        default_locale=settings.default_locale,
        default_timezone=settings.default_timezone,
    )
    reminder_store = ReminderStore(db)
    # Delivering when due (and the start's checks) beside the use cases.
    reminder_delivery = Delivery(
        reminder_store,
        clock,
        scheduler,
        ports.messenger,
        community,
        grace=timedelta(hours=settings.reminder_grace_hours),
    )
    reminders = ReminderService(
        reminder_store,
        clock,
        reminder_delivery,
        community,
        max_pending=settings.reminder_max_pending,
    )
    groups = build_groups(
        GroupStore(db),
        clock,
        scheduler,
        ports.messenger,
        ports.members,
        ports.guilds,
        community,
        Gazetteer.load(),
        outbox,
        max_pending_requests=settings.group_max_pending_requests,
    )
    # The welcome's greeting and "Start here" message; its ways forward are wired below.
    welcome = Welcome(
        WelcomeStore(db), clock, ports.messenger, community, groups.directory.group_of_channel
    )
    audit = AuditLog(db, clock, community, Notifier(ports.messenger, community))
    # One rule for who sees a group's content, used by every feature below.
    visibility = Visibility(groups.directory, community.effective_role)
    GroupCommands(groups, audit, visibility, server_locale=community.server_locale).register(
        registry
    )
    ReminderCommands(reminders, leads_channel=groups.directory.leads_channel).register(registry)
    signups = build_signups(
        SignupStore(db),
        clock,
        scheduler,
        ports.messenger,
        community,
        visibility,
        outbox,
        offer_for=timedelta(hours=settings.signup_offer_hours),
    )
    SignupCommands(signups, groups.directory).register(registry)
    polls = PollService(PollStore(db), clock, scheduler, ports.messenger, community, visibility)
    PollCommands(polls, groups.directory).register(registry)
    privacy = PrivacyService(
        db, clock, community, groups.directory, groups.membership, signups.seats, reminders
    )
    PrivacyCommands(privacy, audit, ports.messenger).register(registry)
    panels = build_panels(
        PanelStore(db),
        clock,
        scheduler,
        ports.messenger,
        ports.guilds,
        ports.announcer,
        community,
        visibility,
        opted_out=privacy.opted_out,
    )
    PanelCommands(panels, groups.directory).register(registry)
    events = build_events(
        EventStore(db),
        clock,
        scheduler,
        ports.messenger,
        ports.announcer,
        community,
        groups.directory,
        visibility,
        outbox,
    )
    # Leaving a group lets go of its seats and answers (they could not be seen any more).
    groups.membership.on_leaving(signups.seats.left_group)
    groups.membership.on_leaving(events.answers.left_group)
    # A person forgotten leaves the counts on the event posts too.
    privacy.on_forget(events.answers.before_forget)
    privacy.on_forget(groups.proposals.before_forget)
    event_commands = EventCommands(events, groups.directory)
    event_commands.register(registry)
    # Learning programmes: registration through a sign-up sheet, sessions as events.
    learning_store = LearningStore(db)
    learning = LearningService(
        learning_store,
        clock,
        scheduler,
        ports.messenger,
        signups,
        events.publisher,
        events.lookup,
        community,
        outbox,
        full_name=groups.profiles.full_name,
    )
    # Each director's own line and local cases, beside the programmes.
    learning_line = LearningLine(
        learning_store,
        clock,
        ports.messenger,
        ports.announcer,
        community,
        max_entries=settings.learning_max_entries,
    )
    LearningCommands(learning, learning_line, event_commands).register(registry)
    # The weekly digest reads the features above; its day is set with the server's settings.
    digest = DigestService(
        DigestStore(db),
        Assembly(events.lookup, signups.sheets, learning, groups.directory, groups.meetings),
        clock,
        scheduler,
        ports.announcer,
        community,
        Notifier(ports.messenger, community),
    )
    CommunityCommands(community, digest, welcome).register(registry)
    WelcomeCommands(groups.directory, events.lookup).register(registry)
    try:
        limits = limiter(settings, clock, registry)
    except ConfigError:
        await db.close()
        instance.release()
        raise
    dispatcher = Dispatcher(registry, community, clock, audit, limits)
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
        on_start=[
            reminder_delivery.check_rules,
            events.series.check_rules,
            reminder_delivery.sweep_missed,
        ],
        welcome=welcome,
        learning=learning,
        digest=digest,
        outbox=outbox,
        instance=instance,
        companions=[factory() for factory in _COMPANIONS],
        words=ports.words,
    )


def limiter(settings: Settings, clock: Clock, registry: Registry) -> Limiter:
    """The per-person limits: RATE_LIMIT_SCALE on every period, RATE_LIMITS per command."""
    overrides: dict[str, Limit | None] = {}
    for path, value in settings.rate_limit_overrides().items():
        command = registry.get(path)
        if command is None:
            raise ConfigError(f"RATE_LIMITS: there is no command /{path}")
        exempt = command.limit.exempt if command.limit else Role.MODERATOR
        overrides[path] = Limit(value[0], value[1], exempt) if value else None
    return Limiter(clock, scale=settings.rate_limit_scale, overrides=overrides)
