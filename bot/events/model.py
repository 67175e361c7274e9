"""An event (a forum, a supervision, a training, a regional or a group meeting), the answers
to it and the rules about its time, its registration window and its reminders."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from dateutil.rrule import rrule

from bot.errors import UserError
from bot.text import parse_ref
from bot.timelang import repetition, rrules
from bot.visibility import Scope

MAX_TITLE = 100
# Discord's limits for a scheduled event: location 100, description 1000.
MAX_PLACE = 100
MAX_DESCRIPTION = 1000
MAX_DURATION = timedelta(days=14)
MAX_CAPACITY = 10_000
# Reminders to those who answered going or maybe, before the start.
REMINDER_OFFSETS = (timedelta(days=7), timedelta(days=1), timedelta(hours=1))
# Publishing or creating the platform's scheduled event failed: try again this much later.
RETRY_TRANSIENT = timedelta(minutes=5)
RETRY_PERMANENT = timedelta(hours=1)
MAX_NATIVE_ATTEMPTS = 12
# Outbox letters (bot/outbox.py) to each person who answered going or maybe: an event
# changed ({"event", "before", "after", and what changed}) or cancelled ({"event"}).
CHANGED_LETTER = "event.changed"
CANCELLED_LETTER = "event.cancelled"


class Kind(StrEnum):
    FORUM = "forum"
    SUPERVISION = "supervision"
    TRAINING = "training"
    REGIONAL = "regional"
    GROUP = "group"


class EventJob(StrEnum):
    """The scheduler's jobs: publish an event, retry its scheduled event on the platform,
    its registration opens or closes, a reminder (`part`: its lead in seconds) — rows are
    events — and a series makes its next occurrence (the row is the series)."""

    PUBLISH = "p"
    RETRY_NATIVE = "n"
    OPENS = "o"
    CLOSES = "c"
    REMIND = "r"
    SERIES = "s"


class Audience(StrEnum):
    ALL = "all"
    REGION = "region"
    GROUP = "group"


class Status(StrEnum):
    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"


class Answer(StrEnum):
    GOING = "going"
    MAYBE = "maybe"
    NO = "no"


class Registration(StrEnum):
    """Where an event's registration window is at a moment."""

    NONE = "none"  # no window: answers are always welcome
    UPCOMING = "upcoming"
    OPEN = "open"
    CLOSED = "closed"


@dataclass(frozen=True)
class Event:
    id: int
    guild_id: str
    title: str
    kind: Kind
    starts_at: datetime
    ends_at: datetime
    timezone: str
    place: str
    description: str
    audience: Audience
    group_id: int | None
    capacity: int | None
    publish_at: datetime | None
    published_at: datetime | None
    registration_opens: datetime | None
    registration_closes: datetime | None
    status: Status
    sequence: int
    created_by: str
    created_at: datetime
    updated_at: datetime
    publish_attempts: int = 0
    registration_shown: Registration = Registration.NONE
    forum_id: str | None = None
    post_channel_id: str | None = None
    post_message_id: str | None = None
    native_id: str | None = None
    native_retry_at: datetime | None = None
    native_attempts: int = 0
    series_id: int | None = None

    @property
    def cancelled(self) -> bool:
        return self.status is Status.CANCELLED

    @property
    def published(self) -> bool:
        return self.published_at is not None

    @property
    def is_group_event(self) -> bool:
        """Posted in the group's channel (no forum thread, no server-wide scheduled event)."""
        return self.group_id is not None

    @property
    def scope(self) -> Scope:
        """Who sees it (bot/visibility.py): its group's, and its creator's until announced."""
        return Scope(self.guild_id, self.group_id, None if self.published else self.created_by)

    def registration(self, now: datetime) -> Registration:
        if self.registration_opens is None and self.registration_closes is None:
            return Registration.NONE
        if self.registration_opens is not None and now < self.registration_opens:
            return Registration.UPCOMING
        if self.registration_closes is not None and now >= self.registration_closes:
            return Registration.CLOSED
        return Registration.OPEN

    def over(self, now: datetime) -> bool:
        return now >= self.ends_at


@dataclass(frozen=True)
class Rsvp:
    event_id: int
    user_id: str
    name: str
    answer: Answer
    answered_at: datetime
    library: str = ""


@dataclass(frozen=True)
class Counts:
    going: int = 0
    maybe: int = 0
    no: int = 0

    def of(self, answer: Answer) -> int:
        return {Answer.GOING: self.going, Answer.MAYBE: self.maybe, Answer.NO: self.no}[answer]


@dataclass(frozen=True)
class EventView:
    """An event with its answer counts: what the posted announcement shows."""

    event: Event
    counts: Counts = field(default_factory=Counts)
    group_name: str | None = None
    link: str | None = None


@dataclass(frozen=True)
class Draft:
    """What someone typed into the form before confirming the preview."""

    id: int
    guild_id: str
    user_id: str
    channel_id: str
    channel_name: str
    options: dict[str, str]
    created_at: datetime


def reminder_times(starts_at: datetime, now: datetime) -> list[tuple[int, datetime]]:
    """(offset in seconds, due) of the reminders still ahead when the event is made or
    moved. One whose moment has passed is not sent late, and neither is one that would
    come within a tenth of its lead time (a "7 days" reminder an hour after people were
    told of the event or its new date is noise)."""
    return [
        (int(offset.total_seconds()), starts_at - offset)
        for offset in REMINDER_OFFSETS
        if starts_at - offset > now + offset / 10
    ]


def event_end(starts: datetime, length: timedelta, tz: str) -> datetime:
    """Whole days keep the wall-clock time across summer time (a two-day forum from 9:00
    ends at 9:00); hours and minutes are elapsed time (2 h from 01:30 on the night the
    clocks go forward ends at 04:30, two hours later), as reminders count them."""
    days = timedelta(days=length.days)
    # Arithmetic on a datetime in a ZoneInfo zone is wall-clock arithmetic: days there,
    # the rest in UTC, where an hour is an hour. The end is in UTC: an end in the hour
    # that repeats in autumn would compare unequal to the same moment in other zones.
    local_end = starts.astimezone(ZoneInfo(tz)) + days
    return local_end.astimezone(UTC) + (length - days)


def parse_event_ref(text: str) -> int | None:
    """'42' or '#42' → 42; anything else is a title."""
    return parse_ref(text)


# -- series ----------------------------------------------------------------------------

DEFAULT_AHEAD = timedelta(days=14)
MAX_AHEAD_DAYS = 60
# Dates one run of a series' job steps through (made, or passed while the bot was down);
# at most daily and at most MAX_AHEAD_DAYS ahead, a new series makes at most 61.
MAX_MADE_PER_RUN = 100


class SeriesStatus(StrEnum):
    ACTIVE = "active"
    STOPPED = "stopped"


@dataclass(frozen=True)
class Series:
    """A repeating event: each occurrence is made (and announced) `ahead` before it."""

    id: int
    guild_id: str
    title: str
    kind: Kind
    rule: str
    first_at: datetime
    duration: timedelta
    until_at: datetime | None
    timezone: str
    place: str
    description: str
    audience: Audience
    group_id: int | None
    capacity: int | None
    ahead: timedelta
    next_at: datetime | None
    made: int
    status: SeriesStatus
    created_by: str
    created_at: datetime

    @property
    def scope(self) -> Scope:
        return Scope(self.guild_id, self.group_id)

    def rrule(self) -> rrule:
        return series_rule(self.rule, self.first_at, self.timezone)

    def occurrence_after(self, after: datetime, seconds: float | None = None) -> datetime | None:
        """The first start strictly after `after` (None when the series is over). Bounded
        in time (`seconds`, rrules.SECONDS by default): RuleError when the rule cannot be
        computed in that time. Run it off the event loop."""
        return next_start(self.rrule(), after, self.timezone, self.until_at, seconds)

    def upcoming(self, after: datetime, count: int = 3) -> list[datetime]:
        """Up to `count` starts strictly after `after`; each bounded like occurrence_after.
        Run it off the event loop."""
        found: list[datetime] = []
        while len(found) < count:
            start = self.occurrence_after(found[-1] if found else after)
            if start is None:
                break
            found.append(start)
        return found

    def end_of(self, start: datetime) -> datetime:
        """When the occurrence starting at `start` ends."""
        return event_end(start, self.duration, self.timezone)


def parse_rule(text: str, today: date) -> repetition.Repetition:
    """A repetition in words ("every 6 months", "twice a year", "w pierwszy czwartek
    miesiąca", bot.timelang.repetition) or an RFC 5545 RRULE ('FREQ=MONTHLY;BYDAY=2TU', 'RRULE:…')
    → the rule, whose RFC 5545 text (`body()`) is what a series stores; at most daily, and
    computable (bot.timelang.rrules). `today` (in the series' zone) places an end typed
    without a year."""
    rule = repetition.parse(text, allowed=repetition.SERIES, today=today)
    check_series_rule(rule.body(), text)
    return rule


def check_series_rule(body: str, shown: str) -> None:
    """The checks every series rule passes before it is saved (UserError otherwise)."""
    rrules.check_rule(body, shown)
    try:
        rrules.build(body, datetime(2026, 1, 1, 10, 0))  # noqa: DTZ001 - wall-clock anchor
    except rrules.RuleError:
        raise UserError("error.rule.bad_rrule", value=shown) from None


def series_rule(body: str, first_at: datetime, tz: str) -> rrule:
    """The rule anchored at the first start in local wall-clock time, so 10:00 stays 10:00
    across summer time."""
    local = first_at.astimezone(ZoneInfo(tz)).replace(tzinfo=None)
    return rrules.build(body, local)


def next_start(
    rule: rrule,
    after: datetime,
    tz: str,
    until: datetime | None = None,
    seconds: float | None = None,
) -> datetime | None:
    zone = ZoneInfo(tz)
    local_after = after.astimezone(zone).replace(tzinfo=None)
    found = rrules.expand(rule, local_after, count=1, seconds=seconds)
    if not found:
        return None
    at = found[0].replace(tzinfo=zone)
    if until is not None and at > until:
        return None
    return at
