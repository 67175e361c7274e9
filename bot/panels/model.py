"""A "virtual pączek" panel: its speaking queue, timed turns, audience questions and the
pączek tally, and the rules that govern them (who is next, when a turn is warned and ends,
who may give whom a pączek), free of storage and of any front end.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from bot.errors import UserError
from bot.refs import UserRef
from bot.text import clean_name, parse_ref
from bot.timelang.holidays import holiday_date
from bot.visibility import Scope

MAX_TOPIC = 200
MAX_QUESTION = 500
MAX_PANELISTS = 10
MIN_TURN_MINUTES = 1
MAX_TURN_MINUTES = 30
DEFAULT_TURN_MINUTES = 3
DEFAULT_DURATION = timedelta(minutes=60)
MAX_DURATION = timedelta(hours=8)
MIN_DURATION = timedelta(minutes=5)
MAX_SLOWMODE = 21600  # Discord's longest slow mode, six hours
# The speaker hears this long before the turn ends; the panelists this long before the start.
WARN_BEFORE = timedelta(seconds=30)
REMIND_BEFORE = timedelta(minutes=15)
# Started earlier than this before its time, a panel is most likely the wrong one: the
# answer asks first (a button starts it anyway).
EARLY_START = timedelta(hours=1)
# What the posted card lists at most; the transcript has everything.
CARD_QUEUE = 10
CARD_TALLY = 10

_DISCORD_MENTION = re.compile(r"<@!?(\d{1,25})>")
_NAME_MENTION = re.compile(r"@([\w.\-]{1,64})")
# A Matrix user id: @localpart:server (the server may carry a port).
_MATRIX_MENTION = re.compile(r"(@[a-z0-9._=\-/+]{1,200}:[A-Za-z0-9.\-]{1,230}(?::\d{1,5})?)")
_MENTIONS = {"discord": _DISCORD_MENTION, "matrix": _MATRIX_MENTION}


class PanelJob(StrEnum):
    """The scheduler's jobs: a panel's reminder, its automatic end and its transcript still
    to post (rows are panels); a speaking turn's warning and its time-up (rows are turns)."""

    REMIND = "r"
    END = "e"
    PUBLISH = "p"
    WARN = "w"
    TIME_UP = "t"


class PanelStatus(StrEnum):
    SCHEDULED = "scheduled"
    LIVE = "live"
    ENDED = "ended"


class QueueKind(StrEnum):
    """A raised hand, or a panelist's place in a round (rounds go before hands)."""

    HAND = "hand"
    ROUND = "round"


class TurnKind(StrEnum):
    QUEUE = "queue"  # the next raised hand
    FLOOR = "floor"  # given out of order by the moderator
    ROUND = "round"  # a panelist's turn in a round


class TurnEnd(StrEnum):
    TIME = "time"  # the time ran out
    NEXT = "next"  # the moderator gave the floor on
    END = "end"  # the panel ended


class QuestionStatus(StrEnum):
    QUEUED = "queued"
    CURRENT = "current"
    ANSWERED = "answered"


class LogKind(StrEnum):
    """What the transcript records, in order."""

    START = "start"
    TURN = "turn"
    TURN_END = "turn_end"
    ASKED = "asked"
    QUESTION = "question"  # picked: now being answered
    CHAT = "chat"
    END = "end"


@dataclass(frozen=True)
class Panelist:
    position: int
    user_id: str
    name: str


@dataclass(frozen=True)
class Panel:
    id: int
    guild_id: str
    topic: str
    channel_id: str
    channel_name: str
    starts_at: datetime
    duration: timedelta
    turn: timedelta
    moderator_id: str
    moderator_name: str
    status: PanelStatus
    timezone: str
    created_by: str
    created_at: datetime
    remind_at: datetime
    place_id: str | None = None  # where it runs once started: its thread, or the channel
    place_name: str | None = None
    card_message_id: str | None = None
    started_at: datetime | None = None
    ends_at: datetime | None = None
    ended_at: datetime | None = None
    slowmode: int = 0
    slowmode_before: int | None = None
    panelists: tuple[Panelist, ...] = ()
    # The group whose channel it is announced in: only its members see it.
    group_id: int | None = None

    @property
    def scope(self) -> Scope:
        return Scope(self.guild_id, self.group_id)

    @property
    def live(self) -> bool:
        return self.status is PanelStatus.LIVE

    @property
    def where(self) -> str:
        """The channel (or thread) the panel speaks in."""
        return self.place_id or self.channel_id

    def runs(self, user_id: str) -> bool:
        """The panel's own moderator and its creator run it (besides server moderators)."""
        return user_id in (self.moderator_id, self.created_by)


@dataclass(frozen=True)
class QueueEntry:
    seq: int
    kind: QueueKind
    user_id: str
    name: str


@dataclass(frozen=True)
class Turn:
    id: int
    panel_id: int
    user_id: str
    name: str
    kind: TurnKind
    started_at: datetime
    ends_at: datetime
    warn_at: datetime | None
    ended_at: datetime | None = None
    ended_by: TurnEnd | None = None

    @property
    def open(self) -> bool:
        return self.ended_at is None

    def spoken(self, now: datetime) -> timedelta:
        """How long the speaker held the floor (so far)."""
        return max((self.ended_at or now) - self.started_at, timedelta())


@dataclass(frozen=True)
class Question:
    id: int
    panel_id: int
    number: int
    author_id: str
    author_name: str
    text: str
    status: QuestionStatus
    asked_at: datetime
    votes: int = 0


@dataclass(frozen=True)
class LogEntry:
    seq: int
    at: datetime
    kind: LogKind
    user_id: str = ""
    name: str = ""
    text: str = ""
    number: int = 0  # a question's number, or a turn's seconds for TURN_END


@dataclass(frozen=True)
class PanelState:
    """Everything the card shows: the floor, the queue, the questions and the tally."""

    panel: Panel
    floor: Turn | None = None
    queue: tuple[QueueEntry, ...] = ()
    current_question: Question | None = None
    waiting_questions: int = 0
    tally: tuple[tuple[str, str, int], ...] = ()  # (user id, name, pączki), most first


@dataclass(frozen=True)
class Speaker:
    user_id: str
    name: str
    turns: int
    spoken: timedelta


@dataclass(frozen=True)
class Summary:
    """The numbers after a panel: who spoke and how long, questions, pączki."""

    duration: timedelta
    speakers: tuple[Speaker, ...]  # by first turn
    asked: int
    answered: int
    tally: tuple[tuple[str, str, int], ...]  # (user id, name, pączki), most first

    def anonymized(self, hidden: set[str], label: str) -> Summary:
        """The same numbers with the people in `hidden` named `label`."""
        return Summary(
            self.duration,
            tuple(replace(s, name=label) if s.user_id in hidden else s for s in self.speakers),
            self.asked,
            self.answered,
            tuple((u, label if u in hidden else n, c) for u, n, c in self.tally),
        )


# -- rules ---------------------------------------------------------------------------


def hand_position(queue: tuple[QueueEntry, ...] | list[QueueEntry], user_id: str) -> int:
    """1-based place among the raised hands, 0 when the hand is not raised."""
    hands = sorted((e for e in queue if e.kind is QueueKind.HAND), key=lambda e: e.seq)
    return next((i for i, e in enumerate(hands, start=1) if e.user_id == user_id), 0)


def turn_times(start: datetime, length: timedelta) -> tuple[datetime, datetime | None]:
    """(ends at, warned at): the warning comes WARN_BEFORE the end when the turn is longer."""
    ends = start + length
    return ends, (ends - WARN_BEFORE if length > WARN_BEFORE else None)


def check_paczek(giver_id: str, receiver_id: str) -> None:
    if giver_id == receiver_id:
        raise UserError("error.panel.paczek_self")


def check_question(text: str) -> str:
    clean = " ".join(text.split())
    if not clean:
        raise UserError("error.panel.question_empty")
    if len(clean) > MAX_QUESTION:
        raise UserError("error.panel.question_too_long", max=MAX_QUESTION, length=len(clean))
    return clean


def check_topic(text: str) -> str:
    if not text.strip():
        raise UserError("error.panel.bad_topic")
    clean = clean_name(text, option="topic")
    if len(clean) > MAX_TOPIC:
        raise UserError("error.panel.topic_too_long", max=MAX_TOPIC)
    return clean


def mentions_in(text: str, platform: str) -> list[UserRef]:
    """The people mentioned in `text`, in order, each once, as the platform writes them:
    Discord sends `<@123>` ("discord:123"), Matrix ids (`@ewa:example.org`, which the Matrix
    front end writes for local parts and pills) — their names are filled in later from
    what the front end remembered; the console and the tests type `@ewa` ("console:ewa").
    Raises when something else is in the text."""
    found: list[UserRef] = []
    pattern = _MENTIONS.get(platform, _NAME_MENTION)
    rest = pattern.sub(" ", text)
    if rest.replace(",", " ").replace(";", " ").strip():
        raise UserError("error.panel.bad_panelists", text=rest.strip()[:60])
    for match in pattern.finditer(text):
        native = match[1]
        name = "" if platform in _MENTIONS else native
        ref = UserRef(f"{platform}:{native.lower()}", name)
        if all(r.id != ref.id for r in found):
            found.append(ref)
    if not found:
        raise UserError("error.panel.no_panelists")
    if len(found) > MAX_PANELISTS:
        raise UserError("error.panel.too_many_panelists", max=MAX_PANELISTS)
    return found


def parse_panel_ref(text: str) -> int | None:
    """'7' or '#7' → 7; anything else is a topic."""
    return parse_ref(text)


def fat_thursday(year: int) -> date:
    """Tłusty Czwartek: the Thursday 52 days before (Western) Easter Sunday."""
    return holiday_date("fat_thursday", year)


def is_fat_thursday(at: datetime, tz: str) -> bool:
    """Whether `at` falls on Tłusty Czwartek in the zone `tz` (the guild's)."""
    local = at.astimezone(ZoneInfo(tz)).date()
    return local == fat_thursday(local.year)


def local_day(at: datetime, tz: str) -> str:
    return at.astimezone(ZoneInfo(tz)).date().isoformat()


def minutes_seconds(span: timedelta) -> str:
    """'4:05' for a speaking time: the same in every language."""
    total = int(span.total_seconds())
    return f"{total // 60}:{total % 60:02d}"
