"""A local group, its members, a director's profile and the meeting rotation."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from dateutil.relativedelta import relativedelta

from bot.errors import UserError
from bot.text import clean_name, inert

MAX_NAME = 60
# A group's name becomes a role and a channel: text a chat would read as a mention ("@here",
# "<@&123>") would make a role that looks like one.
_MENTION_LIKE = re.compile(r"^@|<[@#]|@(?:everyone|here|room)\b", re.IGNORECASE)
MAX_DESCRIPTION = 1000
MAX_HOSTS = 20
# Outbox letters (bot/outbox.py): a join request posted for the initiators, about the
# person asking ({"group": id}); the decision told to that person ({"group", "approved"},
# and "opened" when the request was let in because the group opened to everyone).
REQUEST_LETTER = "group.request"
DECISION_LETTER = "group.decision"
# A proposal to start a group: its card in the log channel ({"proposal": id}) and the
# outcome told to the proposer ({"proposal": id}); both worded from the row when sent.
PROPOSAL_LETTER = "group.proposal"
PROPOSAL_OUTCOME_LETTER = "group.proposal.outcome"
# A town this close to an active group is already served by it: a proposal is refused,
# and a moderator who creates a group there is warned.
SERVED_KM = 15
# After a declined request the same person may ask the same group again only this much
# later: a decline is not answered by a stream of new requests (each a card in the channel).
ASK_AGAIN_AFTER = timedelta(days=7)


class JoinMode(StrEnum):
    OPEN = "open"
    APPROVAL = "approval"


class GroupStatus(StrEnum):
    ACTIVE = "active"
    ARCHIVED = "archived"


class MemberStatus(StrEnum):
    MEMBER = "member"
    PENDING = "pending"


class MeetingJob(StrEnum):
    """The scheduler's jobs for a meeting: the reminder the day before, and rotating the
    host once it is over."""

    REMIND = "r"
    ROTATE = "a"


class MeetingStatus(StrEnum):
    PLANNED = "planned"
    HELD = "held"
    SKIPPED = "skipped"
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class Group:
    id: int
    guild_id: str
    name: str
    city: str
    region: str
    country: str
    lat: float
    lon: float
    description: str
    join_mode: JoinMode
    status: GroupStatus
    role_id: str | None
    role_name: str | None
    channel_id: str | None
    channel_name: str | None
    # Shown on the public web page (when its server is); initiators can hide it.
    public: bool = True

    @property
    def point(self) -> tuple[float, float]:
        return (self.lat, self.lon)


_CHANNEL_UNSAFE = re.compile(r"[^\w-]+")


def channel_slug(name: str) -> str:
    """A Discord-friendly channel name: lower case, dashes, letters kept ("grupa-jura")."""
    slug = _CHANNEL_UNSAFE.sub("-", name.strip().lower()).strip("-")
    return (slug or "grupa")[:90]


@dataclass(frozen=True)
class Member:
    user_id: str
    name: str
    status: MemberStatus
    is_initiator: bool
    library: str
    town: str


@dataclass(frozen=True)
class Profile:
    user_id: str
    library: str
    town: str
    # The person chose to have their name shown on the public web page (as an initiator).
    show_name: bool = False
    # The name they chose to be known by ("dr Anna Kowalska"); certificates carry it.
    full_name: str = ""


# A meeting plan repeats every 1-24 months or every 1-52 weeks.
MAX_EVERY_MONTHS = 24
MAX_EVERY_WEEKS = 52


@dataclass(frozen=True)
class MeetingPlan:
    group_id: int
    hosts: tuple[str, ...]
    every_months: int | None
    every_weeks: int | None
    dates: tuple[datetime, ...]  # explicit dates still to come, when not periodic
    topic: str
    timezone: str
    rule: str | None = None  # RFC 5545 text (bot.timelang.repetition); older plans have a step

    @property
    def periodic(self) -> bool:
        return bool(self.rule or self.every_months or self.every_weeks)

    def step(self) -> relativedelta | None:
        """The time from one meeting to the next; None when the plan lists its dates, or
        when a stored interval is out of range — a zero or negative step would make the
        next meeting in the past, ended at once, and the next, without end."""
        if self.every_months:
            if 1 <= self.every_months <= MAX_EVERY_MONTHS:
                return relativedelta(months=self.every_months)
            return None
        if self.every_weeks and 1 <= self.every_weeks <= MAX_EVERY_WEEKS:
            return relativedelta(weeks=self.every_weeks)
        return None

    def host(self, seq: int) -> str:
        return self.hosts[seq % len(self.hosts)]


@dataclass(frozen=True)
class Meeting:
    id: int
    group_id: int
    seq: int
    host: str
    starts_at: datetime
    topic: str
    status: MeetingStatus
    reminded: bool


class ProposalStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    DECLINED = "declined"


@dataclass(frozen=True)
class Proposal:
    """A director's proposal to start a local group, waiting for a moderator or decided."""

    id: int
    guild_id: str
    user_id: str
    name: str
    place_id: str
    city: str
    description: str
    join_mode: JoinMode
    status: ProposalStatus
    reason: str
    created_at: datetime
    decider_name: str | None
    group_id: int | None
    # The card in the log channel, once sent: edited when the proposal is decided.
    card_channel_id: str | None = None
    card_message_id: str | None = None


@dataclass(frozen=True)
class Checklist:
    """The first steps of a new group, read from its state (so it ticks itself)."""

    group: Group
    meeting_planned: bool
    directors_invited: bool
    hosts_set: bool

    @property
    def done(self) -> bool:
        return self.meeting_planned and self.directors_invited and self.hosts_set


def group_name(text: str, *, option: str) -> str:
    """A group's name, cleaned (`clean_name`), never one that reads as a mention."""
    name = clean_name(text, option=option)
    if _MENTION_LIKE.search(name):
        raise UserError("error.group.name_mention", name=option, value=inert(name))
    return name
