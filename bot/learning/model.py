"""A learning programme and what hangs on it: its sessions and who attended them.

Registration is a sign-up sheet (one slot: the programme) and each session is an event of
kind "training"; these records only tie them to the programme and its themes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from bot.errors import UserError
from bot.outbox import Status
from bot.text import clean_names, inert, normalize, parse_ref

MAX_NAME = 100
MAX_THEME = 80
MAX_THEMES = 12
MAX_GOALS = 5
MAX_GOAL = 200
# The outbox letter (bot/outbox.py) that carries a certificate: {"program", "issued",
# "name", "themes"}, drawn when it is sent, in its reader's language.
CERTIFICATE_LETTER = "learning.certificate"
MAX_ENTRY = 1500
MAX_CHECKIN_WEEKS = 26
MAX_CASE_TITLE = 100  # a forum post's title
# The sheet's one slot is the programme itself.
SLOT = 1


class LearningJob(StrEnum):
    """The scheduler's one kind of programme job: the check-in reminder."""

    CHECKIN = "c"


@dataclass(frozen=True)
class Program:
    id: int
    guild_id: str
    name: str
    themes: tuple[str, ...]
    starts_at: datetime
    ends_at: datetime
    sheet_id: int
    timezone: str
    created_by: str
    created_at: datetime
    checkin_weeks: int | None = None
    next_checkin_at: datetime | None = None
    threshold: int = 1  # sessions attended for a certificate

    def theme(self, text: str) -> str:
        """The programme's theme that `text` names (case and accents don't count)."""
        wanted = normalize(text)
        for theme in self.themes:
            if normalize(theme) == wanted:
                return theme
        matches = [theme for theme in self.themes if wanted and wanted in normalize(theme)]
        if len(matches) == 1:
            return matches[0]
        raise UserError(
            "error.learning.unknown_theme", theme=inert(text), themes=inert("; ".join(self.themes))
        )


@dataclass(frozen=True)
class Session:
    event_id: int
    program_id: int
    theme: str
    title: str
    starts_at: datetime
    ends_at: datetime
    place: str
    cancelled: bool = False


@dataclass(frozen=True)
class Participant:
    """One person's attendance in a programme: sessions per theme, in the theme order."""

    user_id: str
    name: str
    themes: tuple[tuple[str, int], ...]

    @property
    def days(self) -> int:
        return sum(days for _, days in self.themes)


@dataclass(frozen=True)
class Certificates:
    """One round of sending certificates: who was sent one (and how its letter went:
    SENT when the DM arrived, PENDING when it follows once the platform is back), and
    how many who qualify had theirs already."""

    sent: list[tuple[Participant, Status]]
    had_one: int = 0


@dataclass(frozen=True)
class ThemeDays:
    """One line of a participation record: sessions of a theme attended."""

    program: str
    theme: str
    days: int


def parse_themes(text: str) -> tuple[str, ...]:
    """'Leadership; Change; Coaching' → the themes, each once, in order."""
    themes: list[str] = []
    for theme in clean_names(text, option="themes"):
        if len(theme) > MAX_THEME:
            raise UserError("error.learning.theme_too_long", max=MAX_THEME)
        if all(normalize(t) != normalize(theme) for t in themes):
            themes.append(theme)
    if not 1 <= len(themes) <= MAX_THEMES:
        raise UserError("error.learning.themes", max=MAX_THEMES)
    return tuple(themes)


def parse_program_ref(text: str) -> int | None:
    """'3' or '#3' → 3; anything else is a name."""
    return parse_ref(text)


@dataclass(frozen=True)
class LogEntry:
    goal: str
    text: str
    written_at: datetime


@dataclass(frozen=True)
class Line:
    """A person's learning line: the goals now set (in order) and every reflection."""

    user_id: str
    name: str
    goals: tuple[str, ...]
    entries: tuple[LogEntry, ...]

    def entries_of(self, goal: str) -> list[LogEntry]:
        return [e for e in self.entries if e.goal == goal]

    def earlier(self) -> list[LogEntry]:
        """Reflections on goals that are no longer set."""
        return [e for e in self.entries if e.goal not in self.goals]


def parse_goals(text: str) -> tuple[str, ...]:
    """'Lead a team; Open a maker space' → 1 to 5 goals, each once, in order."""
    goals: list[str] = []
    for goal in clean_names(text, option="goals"):
        if len(goal) > MAX_GOAL:
            raise UserError("error.learning.goal_too_long", max=MAX_GOAL)
        if all(normalize(g) != normalize(goal) for g in goals):
            goals.append(goal)
    if not 1 <= len(goals) <= MAX_GOALS:
        raise UserError("error.learning.goals", max=MAX_GOALS)
    return tuple(goals)


def pick_goal(goals: tuple[str, ...], ref: str) -> str:
    """The goal `ref` names: its number (1..5) or (a part of) its text."""
    clean = ref.strip().lstrip("#").strip()
    if not goals:
        raise UserError("error.learning.no_goals")
    number = parse_ref(clean)
    if number is not None:
        if 1 <= number <= len(goals):
            return goals[number - 1]
    else:
        wanted = normalize(clean)
        exact = [g for g in goals if normalize(g) == wanted]
        if exact:
            return exact[0]
        matches = [g for g in goals if wanted and wanted in normalize(g)]
        if len(matches) == 1:
            return matches[0]
    listed = "; ".join(f"{i}. {g}" for i, g in enumerate(goals, 1))
    raise UserError("error.learning.unknown_goal", goal=inert(ref), goals=inert(listed))


@dataclass(frozen=True)
class OverviewRow:
    """One person in a programme's overview: their seat, attendance and last log date."""

    user_id: str
    name: str
    status: str  # the sign-up entry's status, or "" for someone only marked present
    themes: tuple[tuple[str, int], ...]
    last_entry: datetime | None

    @property
    def days(self) -> int:
        return sum(days for _, days in self.themes)
