"""The events feature put together: its parts, each with one job, built in one place.

`Events` is what the rest of the bot holds; callers take the part they need (the learning
programmes create sessions through the publisher and find them through the lookup).
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.clock import Clock
from bot.community.service import CommunityService
from bot.events.announcements import Announcements
from bot.events.answers import Answers
from bot.events.calendars import Calendars
from bot.events.changes import Changes
from bot.events.drafts import Drafts
from bot.events.lookup import EventLookup
from bot.events.publishing import Publisher
from bot.events.reminders import EventReminders
from bot.events.schedule import EventSchedule
from bot.events.series import SeriesService
from bot.events.store import EventStore
from bot.groups.directory import GroupDirectory
from bot.notify import Notifier
from bot.outbox import Outbox
from bot.ports import Announcer, Messenger
from bot.scheduler import Scheduler
from bot.visibility import Visibility


@dataclass(frozen=True)
class Events:
    lookup: EventLookup  # finding events as a person may see them
    drafts: Drafts  # the Discord form's drafts
    publisher: Publisher  # creating and announcing
    answers: Answers  # going / maybe / no
    changes: Changes  # editing and cancelling, and telling those coming
    reminders: EventReminders  # reminders, registration windows, nudges
    series: SeriesService  # repeating events
    calendars: Calendars  # .ics files


def build_events(
    store: EventStore,
    clock: Clock,
    scheduler: Scheduler,
    messenger: Messenger,
    announcer: Announcer,
    community: CommunityService,
    groups: GroupDirectory,
    visibility: Visibility,
    outbox: Outbox,
) -> Events:
    notify = Notifier(messenger, community)
    schedule = EventSchedule(store, scheduler)
    lookup = EventLookup(store, clock, announcer, groups, visibility)
    announcements = Announcements(
        store, clock, schedule, messenger, announcer, community, groups, lookup, notify
    )
    publisher = Publisher(store, clock, schedule, community, announcements, notify)
    events = Events(
        lookup=lookup,
        drafts=Drafts(store, clock),
        publisher=publisher,
        answers=Answers(store, clock, lookup, announcements),
        changes=Changes(
            store,
            clock,
            schedule,
            messenger,
            community,
            lookup,
            publisher,
            announcements,
            notify,
            outbox,
        ),
        reminders=EventReminders(
            store, clock, schedule, messenger, community, groups, lookup, announcements, notify
        ),
        series=SeriesService(store, clock, schedule, community, visibility, publisher, notify),
        calendars=Calendars(store, clock, lookup),
    )
    schedule.check_routes()
    return events
