"""Finding a thing by what a person types of its title: the one rule for events and sign-up
sheets.

A typed title names the things of exactly that title (folded by `normalize`: case,
diacritics and punctuation do not count); when none has it, those whose title holds every
typed word ("superwizja" finds "Superwizja krajowa"). When the things found bear more than
one title, or a feature will not pick among things of one title, the person gets them listed
with their numbers and picks one by its full title or its number (`Ambiguous`). Things of
one title may live in different places (a group's sheet and the whole network's) or differ
only in time, so each listed thing says where it lives and, when it has one, its time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from bot.errors import UserError
from bot.i18n import t
from bot.text import inert, normalize
from bot.timelang.timestamps import stamp

T = TypeVar("T")

# Matches listed in one answer; the rest are counted ("… and 4 more").
SHOWN = 10


def named(typed: str, items: Iterable[T], title: Callable[[T], str]) -> list[T]:
    """The items a typed title names, in the items' order: those of exactly that title when
    there are any, else those whose title holds every typed word; none for blank text."""
    wanted = normalize(typed)
    if not wanted:
        return []
    listed = list(items)
    exact = [item for item in listed if normalize(title(item)) == wanted]
    if exact:
        return exact
    words = wanted.split()
    return [item for item in listed if all(word in normalize(title(item)) for word in words)]


def titles(items: Iterable[T], title: Callable[[T], str]) -> int:
    """How many different titles (as a lookup folds them) the items bear."""
    return len({normalize(title(item)) for item in items})


def where(group_id: int | None, groups: Mapping[int, str]) -> str:
    """Where a thing lives, in the reader's language: its group by name, or the whole
    network. `groups` names the groups of things the reader already sees (a group whose
    row is gone is just "a group")."""
    if group_id is None:
        return t("title.where.network")
    name = groups.get(group_id)
    if name is None:
        return t("event.audience.group")
    return t("event.audience.group_named", group=inert(name))


@dataclass(frozen=True)
class Match:
    """One of the things a typed title names, as its line in the list tells it apart."""

    number: int
    title: str
    group_id: int | None  # None: the whole network's
    when: datetime | None = None  # its start (or next date, or first slot), if it has one

    def line(self, groups: Mapping[int, str]) -> str:
        about = where(self.group_id, groups)
        if self.when is not None:
            about += f", {stamp(self.when, 'f')}"
        return f"**#{self.number}** {inert(self.title)} ({about})"


class Ambiguous(UserError):
    """A typed title that names several things: each listed by its number, where it lives
    and its time, so the person can pick one (`option:number`, or the full title)."""

    def __init__(
        self,
        key: str,
        typed: str,
        option: str,
        matches: list[Match],
        groups: Mapping[int, str],
    ) -> None:
        super().__init__(key)
        self.typed = typed
        self.option = option
        self.matches = matches
        # The names of the matches' groups (bot/visibility.py `group_names`).
        self.groups = groups

    def render(self) -> str:
        lines = [match.line(self.groups) for match in self.matches[:SHOWN]]
        if len(self.matches) > SHOWN:
            lines.append(t("title.more", count=len(self.matches) - SHOWN))
        return t(
            self.key,
            typed=inert(self.typed),
            matches="\n".join(lines),
            example=f"{self.option}:{self.matches[0].number}",
        )
