"""A poll, its options and votes, and the rules: answer cycling and the best option."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from bot.text import parse_ref
from bot.visibility import Scope

MAX_QUESTION = 300
MAX_ANSWER = 55  # Discord's limit for a native poll answer
MAX_OPTIONS = 10  # Discord's limit, and enough dates to choose from
DEFAULT_HOURS = 24
MAX_HOURS = 768  # 32 days, Discord's longest poll
# Platforms whose front end shows quick polls natively and counts the votes itself.
NATIVE_POLL_PLATFORMS = frozenset({"discord"})


class PollKind(StrEnum):
    DATES = "dates"
    QUICK = "quick"


class PollJob(StrEnum):
    """The scheduler's one kind of poll job: close it at its deadline."""

    CLOSE = "c"


class PollStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class Answer(StrEnum):
    YES = "yes"
    MAYBE = "maybe"
    NO = "no"


# A date poll's button moves the voter's answer on: (none) → yes → if need be → no → yes.
_NEXT = {None: Answer.YES, Answer.YES: Answer.MAYBE, Answer.MAYBE: Answer.NO, Answer.NO: Answer.YES}


def next_answer(current: Answer | None) -> Answer:
    return _NEXT[current]


@dataclass(frozen=True)
class PollOption:
    number: int
    label: str = ""
    starts_at: datetime | None = None


@dataclass(frozen=True)
class Poll:
    id: int
    guild_id: str
    kind: PollKind
    question: str
    channel_id: str
    channel_name: str
    platform: str
    closes_at: datetime | None
    status: PollStatus
    created_by: str
    created_at: datetime
    message_channel_id: str | None = None
    message_id: str | None = None
    # The group whose channel it was posted in: only its members see it.
    group_id: int | None = None

    @property
    def scope(self) -> Scope:
        return Scope(self.guild_id, self.group_id)

    @property
    def native(self) -> bool:
        """A quick poll the platform runs itself: the core neither counts nor announces."""
        return self.kind is PollKind.QUICK and self.platform in NATIVE_POLL_PLATFORMS

    def is_open(self, now: datetime) -> bool:
        return self.status is PollStatus.OPEN and (self.closes_at is None or now < self.closes_at)


@dataclass(frozen=True)
class Tally:
    yes: int = 0
    maybe: int = 0
    no: int = 0


@dataclass(frozen=True)
class PollView:
    poll: Poll
    options: tuple[PollOption, ...]
    tallies: dict[int, Tally] = field(default_factory=dict)
    voters: int = 0

    def tally(self, number: int) -> Tally:
        return self.tallies.get(number, Tally())


def best_date(view: PollView) -> PollOption | None:
    """Most yes, then most if-need-be; the earlier option wins a tie. None when nobody
    could come to any of them."""
    ranked = [
        (view.tally(o.number).yes, view.tally(o.number).maybe, -o.number, o) for o in view.options
    ]
    if not ranked:
        return None
    yes, maybe, _, option = max(ranked, key=lambda r: r[:3])
    return option if yes or maybe else None


def leaders(view: PollView) -> list[PollOption]:
    """The quick poll's options with the most votes (several on a tie; none without votes)."""
    top = max((view.tally(o.number).yes for o in view.options), default=0)
    if top == 0:
        return []
    return [o for o in view.options if view.tally(o.number).yes == top]


def parse_poll_ref(text: str) -> int | None:
    return parse_ref(text)
