"""Finding a thing by what a person types of its title: the one rule for events and sign-up
sheets.

A typed title names the things of exactly that title (folded by `normalize`: case,
diacritics and punctuation do not count); when none has it, those whose title holds every
typed word ("superwizja" finds "Superwizja krajowa"). When the things found bear more than
one title, or a feature will not pick among things of one title, the person gets them listed
with their numbers and picks one by its full title or its number (`Ambiguous`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

from bot.errors import UserError
from bot.i18n import t
from bot.text import inert, normalize

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


class Ambiguous(UserError):
    """A typed title that names several things: each listed by its number, so the person
    can pick one (`option:number`, or the full title)."""

    def __init__(self, key: str, typed: str, option: str, matches: list[tuple[int, str]]) -> None:
        super().__init__(key)
        self.typed = typed
        self.option = option
        # (number, how the thing is shown: its inert title, maybe with its time)
        self.matches = matches

    def render(self) -> str:
        lines = [f"**#{number}** {shown}" for number, shown in self.matches[:SHOWN]]
        if len(self.matches) > SHOWN:
            lines.append(t("title.more", count=len(self.matches) - SHOWN))
        return t(
            self.key,
            typed=inert(self.typed),
            matches="\n".join(lines),
            example=f"{self.option}:{self.matches[0][0]}",
        )
