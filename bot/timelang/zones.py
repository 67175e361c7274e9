"""The time zones a person may choose: IANA zones of places (zone.tab), and UTC.

`zoneinfo` loads much more than that — `localtime` (whatever the host is set to),
`Factory`, `posix/…` and `right/…` copies (the latter count leap seconds, so their clocks
are 27 s off), `Etc/GMT+5` (which is UTC−5: POSIX turned the sign round) and old aliases
such as `Poland` or `US/Eastern`. A person choosing one of those gets a clear answer,
with the zone they meant when there is one ("Poland" → Europe/Warsaw). Zones stored
before this rule keep working: only a new choice is checked.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from functools import cache
from importlib import resources
from pathlib import Path
from zoneinfo import TZPATH, ZoneInfo, ZoneInfoNotFoundError

from bot.errors import UserError
from bot.text import inert

UTC_NAME = "UTC"
# Link targets that are UTC under another name: a person wanting them wants UTC.
_UTC_TARGETS = frozenset({"Etc/UTC", "Etc/GMT"})
_COPIES = ("posix/", "right/")
_MAX_SUGGESTIONS = 3


def choose_zone(text: str) -> str:
    """The zone `text` names, spelled as IANA spells it ("europe/warsaw" → Europe/Warsaw);
    anything else is a UserError that suggests what was probably meant."""
    wanted = "_".join(text.strip().split())
    exact = _by_lower().get(wanted.lower())
    if exact is not None:
        return exact
    suggestions = _suggest(wanted)
    if suggestions:
        raise UserError(
            "error.unknown_timezone_suggest",
            value=inert(text.strip()),
            suggestions=", ".join(suggestions),
        )
    raise UserError("error.unknown_timezone", value=inert(text.strip()))


@cache
def choosable() -> tuple[str, ...]:
    """Every zone a person may choose, sorted."""
    names = {UTC_NAME}
    for table in ("zone.tab", "zone1970.tab"):
        for line in _read(table):
            fields = line.split("\t")
            if len(fields) >= 3 and not line.startswith("#"):
                names.add(fields[2].strip())
    return tuple(sorted(n for n in names if _loads(n)))


@cache
def _by_lower() -> dict[str, str]:
    return {name.lower(): name for name in choosable()}


@cache
def _links() -> dict[str, str]:
    """Old and alternative names (lower case) → the choosable zone they stand for."""
    targets: dict[str, str] = {}
    for line in _read("tzdata.zi"):
        parts = line.split()
        if len(parts) == 3 and parts[0] == "L":
            targets[parts[2]] = parts[1]
    out: dict[str, str] = {}
    for link in targets:
        name, seen = link, set()
        while name in targets and name not in seen:  # links may point at links
            seen.add(name)
            name = targets[name]
        zone = UTC_NAME if name in _UTC_TARGETS else _by_lower().get(name.lower())
        if zone is not None:
            out[link.lower()] = zone
    for name in _UTC_TARGETS:
        out[name.lower()] = UTC_NAME
    return out


def _suggest(wanted: str) -> list[str]:
    lower = wanted.lower()
    for prefix in _COPIES:
        lower = lower.removeprefix(prefix)
    direct = _by_lower().get(lower) or _links().get(lower)
    if direct is not None:
        return [direct]
    # Only the city ("Warsaw", "sofia"), or a typo in the whole name.
    cities = [z for z in choosable() if z.rsplit("/", 1)[-1].lower() == lower]
    if cities:
        return cities[:_MAX_SUGGESTIONS]
    close = difflib.get_close_matches(lower, list(_by_lower()), _MAX_SUGGESTIONS, 0.8)
    return [_by_lower()[c] for c in close]


def _loads(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True


def _read(filename: str) -> Iterator[str]:
    """A file of the tz database: from the tzdata package (a dependency), else the system."""
    try:
        text = resources.files("tzdata.zoneinfo").joinpath(filename).read_text("utf-8")
    except (ModuleNotFoundError, FileNotFoundError, OSError):
        text = next(
            (
                (Path(d) / filename).read_text("utf-8")
                for d in TZPATH
                if (Path(d) / filename).is_file()
            ),
            "",
        )
    yield from text.splitlines()
