"""`python -m bot import groups FILE.csv`: seed the directory from a network's list.

Columns (a header line names them, in any order): name, town, region, initiator, join.
`region` narrows the town (`Łazy` in `śląskie`); `initiator` is a platform id such as
`discord:123456789012345678` or `matrix:@anna:example.org`; `join` is open (the default) or
approval. Every line is checked first; one bad line and nothing is written, and each error
names its line. A group already there with the same town and join mode is left as it is,
so importing the same file again changes nothing; one there with other values is an error
(change it with /group edit). Imported groups have no channel or role yet: an initiator or
admin makes them with /group repair.
"""

from __future__ import annotations

import asyncio
import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from bot.clock import Clock
from bot.db import Database, to_db
from bot.geography.places import Gazetteer, Place
from bot.groups.model import MAX_NAME, JoinMode
from bot.text import normalize

COLUMNS = ("name", "town", "region", "initiator", "join")
_ALIASES = {"join_mode": "join", "city": "town", "mode": "join"}
_ID = re.compile(r"^[a-z][a-z0-9_-]{0,19}:\S{1,200}$")
MAX_LINES = 5000
IMPORTED_BY = "import"


@dataclass(frozen=True)
class Row:
    line: int
    name: str
    place: Place
    join: JoinMode
    initiator: str | None


@dataclass
class Plan:
    create: list[Row] = field(default_factory=list)
    unchanged: list[Row] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def read_rows(text: str) -> tuple[list[tuple[int, dict[str, str]]], list[str]]:
    """The data lines with their line numbers, or the errors of the header."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    try:
        header = next(reader)
    except StopIteration:
        return [], ["the file is empty: it needs a header line (name,town,region,initiator,join)"]
    names = [_ALIASES.get(h.strip().lower(), h.strip().lower()) for h in header]
    unknown = [n for n in names if n not in COLUMNS]
    if unknown or "name" not in names or "town" not in names:
        return [], [
            f"line 1: the header must name the columns {', '.join(COLUMNS)} "
            f"(name and town required); unknown: {', '.join(unknown) or '-'}"
        ]
    rows: list[tuple[int, dict[str, str]]] = []
    for cells in reader:
        if not any(c.strip() for c in cells):
            continue
        if len(rows) >= MAX_LINES:
            return [], [f"more than {MAX_LINES} lines: split the file"]
        rows.append((reader.line_num, {n: c.strip() for n, c in zip(names, cells, strict=False)}))
    return rows, []


def _place(gazetteer: Gazetteer, town: str, region: str) -> Place | str:
    query = f"{town} ({region})" if region else town
    place = gazetteer.find(query)
    if place is not None:
        return place
    close = "; ".join(p.label() for p in gazetteer.suggest(town))
    hint = f"; did you mean: {close}" if close else ""
    return f"town {query!r} not found in the gazetteer{hint}"


def check(
    rows: list[tuple[int, dict[str, str]]],
    gazetteer: Gazetteer,
    existing: dict[str, tuple[str, str]],
) -> Plan:
    """Every line's errors, or what to create; `existing` is name key → (town, join)."""
    plan = Plan()
    seen: dict[str, int] = {}
    for line, cells in rows:
        problems = []
        name = cells.get("name", "")
        key = normalize(name)
        if not key or len(name) > MAX_NAME:
            problems.append(f"the name must have letters and at most {MAX_NAME} characters")
        elif key in seen:
            problems.append(f"the name {name!r} is already on line {seen[key]}")
        found = _place(gazetteer, cells.get("town", ""), cells.get("region", ""))
        if isinstance(found, str):
            problems.append(found)
        join_text = cells.get("join", "").lower() or JoinMode.OPEN.value
        if join_text not in {m.value for m in JoinMode}:
            problems.append(f"join must be open or approval, not {join_text!r}")
        initiator = cells.get("initiator", "") or None
        if initiator and not _ID.match(initiator):
            problems.append(
                f"initiator {initiator!r} is no platform id (e.g. discord:123456789012345678)"
            )
        if problems:
            plan.errors.extend(f"line {line}: {p}" for p in problems)
            continue
        assert isinstance(found, Place)
        seen[key] = line
        row = Row(line, name, found, JoinMode(join_text), initiator)
        if key in existing:
            town, join = existing[key]
            if (town, join) == (found.name, row.join.value):
                plan.unchanged.append(row)
            else:
                plan.errors.append(
                    f"line {line}: a group {name!r} already exists ({town}, {join}); "
                    "change it with /group edit"
                )
            continue
        plan.create.append(row)
    return plan


async def existing_groups(db: Database, guild_id: str) -> dict[str, tuple[str, str]]:
    rows = await db.fetchall(
        "SELECT name_key, city, join_mode FROM groups WHERE guild_id = ?", (guild_id,)
    )
    return {r["name_key"]: (r["city"], r["join_mode"]) for r in rows}


async def apply(db: Database, guild_id: str, plan: Plan, clock: Clock) -> None:
    """All of the plan's groups in one transaction: all of them, or none."""
    now = to_db(clock.now())
    async with db.transaction() as tx:
        for row in plan.create:
            p = row.place
            group_id = await tx.insert(
                "INSERT INTO groups (guild_id, name, name_key, city, place_id, region, country, "
                "lat, lon, join_mode, created_by, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    guild_id,
                    row.name,
                    normalize(row.name),
                    p.name,
                    p.id,
                    p.region,
                    p.country,
                    p.lat,
                    p.lon,
                    row.join.value,
                    IMPORTED_BY,
                    now,
                ),
            )
            if row.initiator:
                await tx.execute(
                    "INSERT OR IGNORE INTO users (user_id, display_name, updated_at) "
                    "VALUES (?, ?, ?)",
                    (row.initiator, row.initiator.partition(":")[2], now),
                )
                await tx.execute(
                    "INSERT INTO group_members (group_id, user_id, status, is_initiator, since) "
                    "VALUES (?, ?, 'member', 1, ?)",
                    (group_id, row.initiator, now),
                )
                await tx.execute(
                    "INSERT OR IGNORE INTO role_grants (guild_id, user_id, role, granted_by, "
                    "granted_at) VALUES (?, ?, 'initiator', ?, ?)",
                    (guild_id, row.initiator, IMPORTED_BY, now),
                )


async def the_guild(db: Database, wanted: str | None) -> str | None:
    """The server named, or the only one configured; None when that is not clear."""
    if wanted:
        return wanted
    rows = await db.fetchall("SELECT guild_id FROM guild_config ORDER BY guild_id")
    return str(rows[0]["guild_id"]) if len(rows) == 1 else None


async def import_groups(
    db: Database,
    clock: Clock,
    gazetteer: Gazetteer,
    path: Path,
    *,
    dry_run: bool,
    guild: str | None,
) -> tuple[Plan, list[str]]:
    """(the plan, the report's lines); writes only when not a dry run and nothing is wrong."""
    try:
        text = await asyncio.to_thread(path.read_text, encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return Plan(errors=[f"cannot read {path}: {exc}"]), [f"cannot read {path}: {exc}"]
    rows, header_errors = read_rows(text)
    if header_errors:
        return Plan(errors=header_errors), header_errors
    guild_id = await the_guild(db, guild)
    if guild_id is None:
        message = "name the server with --guild (the database has none or several configured)"
        return Plan(errors=[message]), [message]
    plan = check(rows, gazetteer, await existing_groups(db, guild_id))
    if plan.errors:
        return plan, [*plan.errors, f"{len(plan.errors)} error(s): nothing was imported"]
    lines = [f"line {r.line}: {r.name} — {r.place.label()}" for r in plan.create]
    if dry_run:
        lines.append(
            f"dry run: {len(plan.create)} group(s) would be created, "
            f"{len(plan.unchanged)} already there; nothing was changed"
        )
        return plan, lines
    await apply(db, guild_id, plan, clock)
    lines.append(
        f"{len(plan.create)} group(s) created, {len(plan.unchanged)} already there "
        "(make their channels and roles with /group repair)"
    )
    return plan, lines
