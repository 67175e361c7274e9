"""SQL for sign-up sheets, slots and entries.

Every change to who holds a seat runs inside one `BEGIN IMMEDIATE` transaction that reads
the counts and writes the rows, so capacity can never be exceeded, whatever runs at once.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from bot.db import Database, Transaction, from_db, to_db
from bot.errors import UserError
from bot.outbox import Letter, record
from bot.rows import FromRow
from bot.scheduler import Due, Job
from bot.signups.model import (
    OFFER_LETTER,
    Entry,
    EntryStatus,
    Placed,
    Placement,
    Sheet,
    SheetStatus,
    SignupJob,
    Slot,
    SlotCount,
    offer_deadline,
    place,
)
from bot.text import inert

_SHEET = (
    "id, guild_id, title, channel_id, channel_name, capacity, max_per_person, waitlist, "
    "approval, opens_at, closes_at, status, timezone, created_by, created_at, "
    "message_channel_id, message_id, group_id"
)
_ENTRY = "seq, sheet_id, slot, user_id, name, status, offer_expires_at, created_at"
# SQLite allows 32766 variables a statement; a batch stays far below.
CHUNK = 1000
# Where each status counts in a slot's [taken, waiting, requested].
_TALLY = {
    EntryStatus.CONFIRMED: 0,
    EntryStatus.OFFERED: 0,
    EntryStatus.WAITLISTED: 1,
    EntryStatus.REQUESTED: 2,
}


_sheet = FromRow(Sheet)
# The position is counted, and the library joined from the profile, by the readers
# that show them; the others leave both at their defaults.
_entry = FromRow(Entry, given=("position", "library"))
_slot = FromRow(Slot)


@dataclass(frozen=True)
class Change:
    """What one seat change did: the entry it touched (as it is now, or as it was when
    removed), the seats it offered to the next in line, and the outbox letters that tell
    them (written in the same transaction, sent after it)."""

    entry: Entry | None
    offers: list[Entry]
    sheet: Sheet
    letters: tuple[int, ...] = ()


@dataclass(frozen=True)
class Standing:
    """A sheet and its slots' counts as a transaction left them, with the database's
    changes count right after its commit: while `SignupStore.changes()` still says the
    same, nothing was written since and this is how the sheet stands."""

    sheet: Sheet
    counts: dict[int, SlotCount]
    changes: int


class SignupStore:
    def __init__(self, db: Database) -> None:
        self._db = db

    # -- sheets ----------------------------------------------------------------------

    async def create(self, sheet: Sheet, title_key: str, slots: Sequence[Slot]) -> int | None:
        """The new sheet's id, or None when a live sheet of that title exists."""
        try:
            async with self._db.transaction() as tx:
                sheet_id = await tx.insert(
                    "INSERT INTO signup_sheets (guild_id, title, title_key, channel_id, "
                    "channel_name, capacity, max_per_person, waitlist, approval, opens_at, "
                    "closes_at, opened_shown, status, timezone, created_by, created_at, "
                    "group_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?, ?, ?)",
                    (
                        sheet.guild_id,
                        sheet.title,
                        title_key,
                        sheet.channel_id,
                        sheet.channel_name,
                        sheet.capacity,
                        sheet.max_per_person,
                        int(sheet.waitlist),
                        int(sheet.approval),
                        to_db(sheet.opens_at) if sheet.opens_at else None,
                        to_db(sheet.closes_at) if sheet.closes_at else None,
                        int(sheet.opens_at is None or sheet.opens_at <= sheet.created_at),
                        sheet.timezone,
                        sheet.created_by,
                        to_db(sheet.created_at),
                        sheet.group_id,
                    ),
                )
                await tx.executemany(
                    "INSERT INTO signup_slots (sheet_id, number, starts_at, topic) "
                    "VALUES (?, ?, ?, ?)",
                    [(sheet_id, s.number, to_db(s.starts_at), s.topic) for s in slots],
                )
        except sqlite3.IntegrityError:
            return None
        return sheet_id

    async def set_message(self, sheet_id: int, channel_id: str, message_id: str) -> None:
        await self._db.execute(
            "UPDATE signup_sheets SET message_channel_id = ?, message_id = ? WHERE id = ?",
            (channel_id, message_id, sheet_id),
        )

    async def get(self, sheet_id: int) -> Sheet | None:
        row = await self._db.fetchone(
            f"SELECT {_SHEET} FROM signup_sheets WHERE id = ?", (sheet_id,)
        )
        return _sheet(row) if row else None

    async def get_counted(self, sheet_id: int) -> tuple[Sheet, dict[int, SlotCount]] | None:
        """The sheet and its slots' counts in one read (what redrawing it needs)."""
        row = await self._db.fetchone(
            f"SELECT {_SHEET}, ({_SLOTS_COUNTED}) AS slots FROM signup_sheets s WHERE id = ?",
            (sheet_id,),
        )
        if row is None:
            return None
        slots = json.loads(row["slots"])
        return _sheet(row), {number: SlotCount(*tally) for number, _, *tally in slots}

    async def by_title(self, guild_id: str, title_key: str) -> list[Sheet]:
        """The sheets of that title: the live one first, then the deleted ones, newest
        first."""
        rows = await self._db.fetchall(
            f"SELECT {_SHEET} FROM signup_sheets WHERE guild_id = ? AND title_key = ? "
            "ORDER BY status = 'deleted', id DESC LIMIT 100",
            (guild_id, title_key),
        )
        return [_sheet(r) for r in rows]

    async def live(self, guild_id: str, *, open_only: bool) -> list[Sheet]:
        wanted = "status = 'open'" if open_only else "status != 'deleted'"
        rows = await self._db.fetchall(
            f"SELECT {_SHEET} FROM signup_sheets WHERE guild_id = ? AND {wanted} "
            "ORDER BY id DESC LIMIT 100",
            (guild_id,),
        )
        return [_sheet(r) for r in rows]

    async def set_status(
        self,
        sheet_id: int,
        status: SheetStatus,
        *,
        was: tuple[SheetStatus, ...],
        opens_at: datetime | None = None,
        closes_at: datetime | None = None,
        set_times: bool = False,
    ) -> Sheet | None:
        """Change the status if it is one of `was`; the sheet as it is now, or None."""
        async with self._db.transaction() as tx:
            marks = ",".join("?" * len(was))
            changed = await tx.execute(
                "UPDATE signup_sheets SET status = ?, "
                "opens_at = CASE WHEN ? THEN ? ELSE opens_at END, "
                "closes_at = CASE WHEN ? THEN ? ELSE closes_at END, "
                "opened_shown = CASE WHEN ? THEN 1 ELSE opened_shown END "
                f"WHERE id = ? AND status IN ({marks})",
                (
                    status.value,
                    set_times,
                    to_db(opens_at) if opens_at else None,
                    set_times,
                    to_db(closes_at) if closes_at else None,
                    set_times,
                    sheet_id,
                    *(w.value for w in was),
                ),
            )
            if not changed:
                return None
            row = await tx.fetchone(f"SELECT {_SHEET} FROM signup_sheets WHERE id = ?", (sheet_id,))
        return _sheet(row) if row else None

    async def mark_opened(self, sheet_id: int, now: datetime) -> bool:
        changed = await self._db.execute(
            "UPDATE signup_sheets SET opened_shown = 1 WHERE id = ? AND status = 'open' "
            "AND opened_shown = 0 AND opens_at <= ?",
            (sheet_id, to_db(now)),
        )
        return changed == 1

    async def close_due(self, sheet_id: int, now: datetime) -> Sheet | None:
        """Close the sheet if it is open and its closing time has come, or its last slot
        has started (`model.closing`)."""
        async with self._db.transaction() as tx:
            changed = await tx.execute(
                "UPDATE signup_sheets SET status = 'closed', opened_shown = 1 "
                "WHERE id = ? AND status = 'open' AND ((closes_at IS NOT NULL AND closes_at <= ?) "
                "OR NOT EXISTS (SELECT 1 FROM signup_slots l WHERE l.sheet_id = signup_sheets.id "
                "AND l.starts_at > ?))",
                (sheet_id, to_db(now), to_db(now)),
            )
            if not changed:
                return None
            row = await tx.fetchone(f"SELECT {_SHEET} FROM signup_sheets WHERE id = ?", (sheet_id,))
        return _sheet(row) if row else None

    # -- slots and counts ------------------------------------------------------------

    async def slots(self, sheet_id: int) -> list[Slot]:
        rows = await self._db.fetchall(
            "SELECT number, starts_at, topic FROM signup_slots WHERE sheet_id = ? ORDER BY number",
            (sheet_id,),
        )
        return [_slot(r) for r in rows]

    async def counts(self, sheet_id: int) -> dict[int, SlotCount]:
        rows = await self._db.fetchall(
            "SELECT number, taken, waiting, requested FROM signup_slots WHERE sheet_id = ?",
            (sheet_id,),
        )
        return {r["number"]: SlotCount(r["taken"], r["waiting"], r["requested"]) for r in rows}

    async def entries(self, sheet_id: int) -> list[Entry]:
        """Every entry with its position in its slot and status, and the library from the
        person's profile; by slot, then status, then arrival."""
        rows = await self._db.fetchall(
            "SELECT e.seq, e.sheet_id, e.slot, e.user_id, COALESCE(u.display_name, e.name) "
            "AS name, e.status, e.offer_expires_at, e.created_at, "
            "COALESCE(p.library, '') AS library FROM signup_entries e "
            "LEFT JOIN users u ON u.user_id = e.user_id "
            "LEFT JOIN profiles p ON p.user_id = e.user_id WHERE e.sheet_id = ? "
            "ORDER BY e.slot, CASE e.status WHEN 'confirmed' THEN 0 WHEN 'offered' THEN 1 "
            "WHEN 'waitlisted' THEN 2 ELSE 3 END, e.seq",
            (sheet_id,),
        )
        out: list[Entry] = []
        rank: dict[tuple[int, str], int] = {}
        for row in rows:
            key = (row["slot"], row["status"])
            rank[key] = rank.get(key, 0) + 1
            out.append(_entry(row, position=rank[key], library=row["library"]))
        return out

    async def seats_in_group(
        self, group_id: int, user_id: str, after: datetime
    ) -> list[tuple[int, int]]:
        """(sheet, slot) of the person's entries on the group's sheets, slots not begun."""
        rows = await self._db.fetchall(
            "SELECT e.sheet_id, e.slot FROM signup_entries e "
            "JOIN signup_sheets h ON h.id = e.sheet_id "
            "JOIN signup_slots s ON s.sheet_id = e.sheet_id AND s.number = e.slot "
            "WHERE h.group_id = ? AND e.user_id = ? AND s.starts_at >= ? AND h.status != 'deleted'",
            (group_id, user_id, to_db(after)),
        )
        return [(r[0], r[1]) for r in rows]

    async def entries_of(self, sheet_id: int, user_id: str) -> list[Entry]:
        """The person's entries on the sheet, waitlisted ones with their position."""
        rows = await self._db.fetchall(
            f"SELECT {_ENTRY}, (SELECT count(*) FROM signup_entries w WHERE "
            "w.sheet_id = e.sheet_id AND w.slot = e.slot AND w.status = e.status "
            "AND w.seq <= e.seq) AS position FROM signup_entries e "
            "WHERE sheet_id = ? AND user_id = ? ORDER BY slot",
            (sheet_id, user_id),
        )
        return [_entry(r, position=r["position"]) for r in rows]

    async def entry(self, seq: int) -> Entry | None:
        row = await self._db.fetchone(f"SELECT {_ENTRY} FROM signup_entries WHERE seq = ?", (seq,))
        return _entry(row) if row else None

    # -- taking and giving back seats ------------------------------------------------

    async def place_many(
        self, batch: Sequence[Placement], now: datetime
    ) -> tuple[list[Placed], list[Standing]]:
        """Decide and write every placement in arrival order, in ONE transaction: the
        counts are read once, updated as each placement is decided, and the rows
        written together. Errors are per placement and leave the others alone. Also how
        each sheet stands after the commit, so its redraw need not read it again."""
        results: list[Placed] = []
        left: dict[int, tuple[Sheet, dict[int, SlotCount]]] = {}
        async with self._db.transaction() as tx:
            for start in range(0, len(batch), CHUNK):
                chunk = batch[start : start + CHUNK]
                placed, standing = await self._place_chunk(
                    tx, chunk, now, alone=len(batch) <= CHUNK
                )
                results += placed
                left.update(standing)
        return results, [Standing(sheet, counts, tx.changes) for sheet, counts in left.values()]

    def changes(self) -> int:
        """What a Standing's `changes` is compared with."""
        return self._db.changes()

    async def _place_chunk(
        self, tx: Transaction, batch: Sequence[Placement], now: datetime, *, alone: bool = False
    ) -> tuple[list[Placed], dict[int, tuple[Sheet, dict[int, SlotCount]]]]:
        """The chunk's placements, and each sheet with its slots' counts after them.
        `alone`: the transaction writes nothing else, before or after, so a lone row (one
        person joining) is sent with the COMMIT."""
        sheets, slots, tallies, mine = await _placing_state(
            tx, sorted({p.sheet_id for p in batch}), sorted({p.user_id for p in batch})
        )
        created = to_db(now)
        inserts: list[tuple[object, ...]] = []
        conversions: list[tuple[object, ...]] = []
        results: list[Placed] = []
        for p in batch:
            sheet = sheets.get(p.sheet_id)
            tally = tallies.setdefault((p.sheet_id, p.slot), [0, 0, 0])
            held = mine.setdefault((p.sheet_id, p.user_id), {})
            status, position, error, converting = place(
                sheet,
                p,
                now=now,
                slot_starts=slots.get((p.sheet_id, p.slot)),
                slot_count=SlotCount(*tally),
                mine=held,
            )
            results.append(Placed(p, status, position, error, sheet))
            if status is None:
                continue
            if converting:
                conversions.append((status.value, p.sheet_id, p.slot, p.user_id))
                tally[2] -= 1
            else:
                inserts.append((p.sheet_id, p.slot, p.user_id, p.name, status.value, created))
            held[p.slot] = status
            tally[_TALLY[status]] += 1
        insert = (
            "INSERT OR IGNORE INTO signup_entries (sheet_id, slot, user_id, name, status, "
            "created_at) VALUES (?, ?, ?, ?, ?, ?)"
        )
        if alone and len(inserts) == 1 and not conversions:
            await tx.execute_and_commit(insert, inserts[0])
        elif inserts:
            # Inserted in arrival order, so AUTOINCREMENT hands out seq in that order.
            await tx.executemany(insert, inserts)
        if conversions:
            # An approved request joins the end of the line like any later arrival.
            await tx.executemany(
                "UPDATE signup_entries SET status = ?, seq = (SELECT max(seq) + 1 FROM "
                "signup_entries) WHERE sheet_id = ? AND slot = ? AND user_id = ? "
                "AND status = 'requested'",
                conversions,
            )
        standing: dict[int, tuple[Sheet, dict[int, SlotCount]]] = {
            sheet_id: (sheet, {}) for sheet_id, sheet in sheets.items()
        }
        for (sheet_id, number), (taken, waiting, requested) in tallies.items():
            if (sheet_id, number) in slots:
                standing[sheet_id][1][number] = SlotCount(taken, waiting, requested)
        return results, standing

    async def remove(
        self,
        sheet_id: int,
        slot: int,
        user_id: str,
        now: datetime,
        offer_for: timedelta,
        *,
        only: tuple[EntryStatus, ...] = tuple(EntryStatus),
        missing: str = "error.signup.not_in_slot",
    ) -> Change:
        """Take the person out of the slot and offer a freed seat to the next in line."""
        async with self._db.transaction() as tx:
            sheet = await _live_sheet(tx, sheet_id)
            row = await tx.fetchone(
                f"SELECT {_ENTRY} FROM signup_entries WHERE sheet_id = ? AND slot = ? "
                "AND user_id = ?",
                (sheet_id, slot, user_id),
            )
            if row is None or EntryStatus(row["status"]) not in only:
                raise UserError(missing, slot=slot)
            entry = _entry(row)
            await tx.execute("DELETE FROM signup_entries WHERE seq = ?", (entry.seq,))
            offers, letters = await _fill(tx, sheet, slot, now, offer_for)
        return Change(entry, offers, sheet, letters)

    async def accept(self, sheet_id: int, slot: int, user_id: str, now: datetime) -> Change:
        async with self._db.transaction() as tx:
            sheet = await _live_sheet(tx, sheet_id)
            row = await tx.fetchone(
                f"SELECT {_ENTRY} FROM signup_entries WHERE sheet_id = ? AND slot = ? "
                "AND user_id = ? AND status = 'offered'",
                (sheet_id, slot, user_id),
            )
            if row is None:
                raise UserError("error.signup.no_offer", slot=slot)
            entry = _entry(row)
            if entry.offer_expires_at is not None and entry.offer_expires_at <= now:
                raise UserError("error.signup.offer_expired", slot=slot)
            await tx.execute(
                "UPDATE signup_entries SET status = 'confirmed', offer_expires_at = NULL "
                "WHERE seq = ?",
                (entry.seq,),
            )
        return Change(replace(entry, status=EntryStatus.CONFIRMED), [], sheet)

    async def expire(self, seq: int, now: datetime, offer_for: timedelta) -> Change | None:
        """An offer whose time ran out: it goes, and the seat is offered to the next."""
        async with self._db.transaction() as tx:
            row = await tx.fetchone(
                f"SELECT {_ENTRY} FROM signup_entries WHERE seq = ? AND status = 'offered' "
                "AND offer_expires_at <= ?",
                (seq, to_db(now)),
            )
            if row is None:
                return None
            entry = _entry(row)
            sheet_row = await tx.fetchone(
                f"SELECT {_SHEET} FROM signup_sheets WHERE id = ? AND status != 'deleted'",
                (entry.sheet_id,),
            )
            if sheet_row is None:
                return None
            sheet = _sheet(sheet_row)
            await tx.execute("DELETE FROM signup_entries WHERE seq = ?", (seq,))
            offers, letters = await _fill(tx, sheet, entry.slot, now, offer_for)
        return Change(entry, offers, sheet, letters)

    async def move(
        self,
        sheet_id: int,
        user_id: str,
        from_slot: int,
        to_slot: int,
        now: datetime,
        offer_for: timedelta,
    ) -> tuple[Change, Placed]:
        """Move a person between slots in one transaction: a seat in the new slot if one
        is free (else the end of its waitlist), and the old seat offered on."""
        async with self._db.transaction() as tx:
            sheet = await _live_sheet(tx, sheet_id)
            row = await tx.fetchone(
                f"SELECT {_ENTRY} FROM signup_entries WHERE sheet_id = ? AND slot = ? "
                "AND user_id = ?",
                (sheet_id, from_slot, user_id),
            )
            if row is None:
                raise UserError("error.signup.not_in_slot", slot=from_slot)
            entry = _entry(row)
            await tx.execute("DELETE FROM signup_entries WHERE seq = ?", (entry.seq,))
            [placed], _ = await self._place_chunk(
                tx, [Placement(sheet_id, to_slot, user_id, entry.name, forced=True)], now
            )
            if placed.error is not None:
                raise placed.error  # rolls the whole move back
            offers, letters = await _fill(tx, sheet, from_slot, now, offer_for)
        return Change(entry, offers, sheet, letters), placed

    # -- the scheduler's side --------------------------------------------------------

    async def due_before(self, until: datetime, limit: int) -> list[Due[SignupJob]]:
        end = to_db(until)
        opening = await self._db.fetchall(
            "SELECT id, opens_at FROM signup_sheets WHERE status = 'open' AND opened_shown = 0 "
            "AND opens_at <= ? ORDER BY opens_at LIMIT ?",
            (end, limit),
        )
        # Each open sheet closes at its closing time, or when its last slot starts.
        closing = await self._db.fetchall(
            "SELECT id, min(coalesce(closes_at, last), last) AS due FROM (SELECT id, "
            "closes_at, (SELECT max(starts_at) FROM signup_slots l WHERE l.sheet_id = s.id) "
            "AS last FROM signup_sheets s WHERE status = 'open') WHERE due <= ? "
            "ORDER BY due LIMIT ?",
            (end, limit),
        )
        offers = await self._db.fetchall(
            "SELECT e.seq, e.offer_expires_at FROM signup_entries e JOIN signup_sheets s "
            "ON s.id = e.sheet_id WHERE e.status = 'offered' AND s.status != 'deleted' "
            "AND e.offer_expires_at <= ? ORDER BY e.offer_expires_at LIMIT ?",
            (end, limit),
        )
        jobs = [(Job(SignupJob.OPEN, r[0]), from_db(r[1])) for r in opening]
        jobs += [(Job(SignupJob.CLOSE, r[0]), from_db(r[1])) for r in closing]
        jobs += [(Job(SignupJob.OFFER_EXPIRES, r[0]), from_db(r[1])) for r in offers]
        return sorted(jobs, key=lambda job: job[1])[:limit]


async def _live_sheet(tx: Transaction, sheet_id: int) -> Sheet:
    row = await tx.fetchone(f"SELECT {_SHEET} FROM signup_sheets WHERE id = ?", (sheet_id,))
    if row is None:
        raise UserError("error.signup.unknown", sheet=sheet_id)
    sheet = _sheet(row)
    if sheet.status is SheetStatus.DELETED:
        raise UserError("error.signup.deleted", title=inert(sheet.title))
    return sheet


# Each slot of the sheet `s` as a JSON array [number, starts_at, taken, waiting,
# requested]: the counts are kept on the slot by triggers (migration 0028), so reading
# them costs the same at 10 entries as at 10 000.
_SLOTS_COUNTED = (
    "SELECT json_group_array(json_array(number, starts_at, taken, waiting, requested)) "
    "FROM signup_slots l WHERE l.sheet_id = s.id"
)


async def _placing_state(
    tx: Transaction, sheet_ids: list[int], users: list[str]
) -> tuple[
    dict[int, Sheet],
    dict[tuple[int, int], datetime],
    dict[tuple[int, int], list[int]],
    dict[tuple[int, str], dict[int, EntryStatus]],
]:
    """What placing decides from, in ONE read (a trip to the database thread costs more
    than the query): each sheet; its slots' starts; each slot's [taken, waiting,
    requested], to be updated as placements are decided; and the entries the people
    already hold on it."""
    sheet_marks, user_marks = ",".join("?" * len(sheet_ids)), ",".join("?" * len(users))
    rows = await tx.fetchall(
        f"SELECT {_SHEET}, ({_SLOTS_COUNTED}) AS slots, "
        "(SELECT json_group_array(json_array(slot, user_id, status)) FROM signup_entries m "
        f"WHERE m.sheet_id = s.id AND m.user_id IN ({user_marks})) AS held "
        f"FROM signup_sheets s WHERE s.id IN ({sheet_marks})",
        [*users, *sheet_ids],
    )
    sheets: dict[int, Sheet] = {}
    starts: dict[tuple[int, int], datetime] = {}
    tallies: dict[tuple[int, int], list[int]] = {}
    mine: dict[tuple[int, str], dict[int, EntryStatus]] = {}
    for row in rows:
        sheet_id = row["id"]
        sheets[sheet_id] = _sheet(row)
        for number, starts_at, *tally in json.loads(row["slots"]):
            starts[sheet_id, number] = from_db(starts_at)
            tallies[sheet_id, number] = tally
        for slot, user_id, status in json.loads(row["held"]):
            mine.setdefault((sheet_id, user_id), {})[slot] = EntryStatus(status)
    return sheets, starts, tallies, mine


async def _fill(
    tx: Transaction, sheet: Sheet, slot_number: int, now: datetime, offer_for: timedelta
) -> tuple[list[Entry], tuple[int, ...]]:
    """Offer every free seat of the slot to the first in line, in order; the offers and
    the outbox letters that tell them, so an offer is never made without its message."""
    slot_row = await tx.fetchone(
        "SELECT number, starts_at, topic FROM signup_slots WHERE sheet_id = ? AND number = ?",
        (sheet.id, slot_number),
    )
    if slot_row is None:
        return [], ()
    deadline = offer_deadline(now, offer_for, _slot(slot_row))
    taken = await tx.fetchone(
        "SELECT count(*) FROM signup_entries WHERE sheet_id = ? AND slot = ? "
        "AND status IN ('confirmed', 'offered')",
        (sheet.id, slot_number),
    )
    free = sheet.capacity - (taken[0] if taken else 0)
    if deadline is None or free <= 0:
        return [], ()
    rows = await tx.fetchall(
        f"SELECT {_ENTRY} FROM signup_entries WHERE sheet_id = ? AND slot = ? "
        "AND status = 'waitlisted' ORDER BY seq LIMIT ?",
        (sheet.id, slot_number, free),
    )
    offers = [
        replace(_entry(r), status=EntryStatus.OFFERED, offer_expires_at=deadline) for r in rows
    ]
    await tx.executemany(
        "UPDATE signup_entries SET status = 'offered', offer_expires_at = ? WHERE seq = ?",
        [(to_db(deadline), e.seq) for e in offers],
    )
    letters = [
        Letter(OFFER_LETTER, sheet.guild_id, {"seq": e.seq}, user_id=e.user_id) for e in offers
    ]
    return offers, tuple(await record(tx, letters, now))
