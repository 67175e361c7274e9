"""SQL for reminders."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from bot.db import Database, Transaction, from_db, to_db
from bot.errors import UserError
from bot.reminders.model import Reminder, Snoozed, Status, StoredRule, snooze_outcome
from bot.reminders.recurrence import Recurrence
from bot.rows import FromRow

_COLUMNS = (
    "id, guild_id, owner_id, kind, channel_id, channel_name, text, due_at, fire_at, timezone, "
    "recurrence, status, attempts, created_at, snoozed_from"
)


# The rows a start checks (the partial index reminders_rule_unchecked holds exactly these).
_UNCHECKED = "status = 'pending' AND recurrence IS NOT NULL AND rule_checked = 0"

_reminder = FromRow(
    Reminder,
    recurrence=lambda row: Recurrence.decode(row["recurrence"]) if row["recurrence"] else None,
)


class ReminderStore:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def add_if_room(self, draft: Reminder, limit: int) -> int | None:
        """Insert unless the owner already has `limit` pending; the new id, or None."""
        async with self._db.transaction() as tx:
            if not await _room(tx, draft.owner_id, limit):
                return None
            return await _insert(tx, draft)

    async def snooze_copy(
        self, draft: Reminder, series_due: datetime, limit: int
    ) -> tuple[Reminder, Snoozed] | None:
        """The one copy of a repeating reminder's delivery, made or moved to `draft`'s
        time (`draft.snoozed_from` is the series, `series_due` its next regular time, which
        names the delivery); None when the owner already has `limit` pending. Read and
        written inside BEGIN IMMEDIATE, and the unique index reminders_one_snooze refuses
        a second copy whatever runs at the same time."""
        async with self._db.transaction() as tx:
            row = await tx.fetchone(
                f"SELECT {_COLUMNS} FROM reminders WHERE snoozed_from = ? AND series_due = ?",
                (draft.snoozed_from, to_db(series_due)),
            )
            if row is None:
                if not await _room(tx, draft.owner_id, limit):
                    return None
                return replace(draft, id=await _insert(tx, draft, series_due)), Snoozed.NEW
            copy = _reminder(row)
            outcome = snooze_outcome(copy, draft.due_at, copy=True)
            if outcome is Snoozed.SAME:
                return copy, outcome
            if copy.status is not Status.PENDING and not await _room(tx, copy.owner_id, limit):
                return None
            return await _bring_back(tx, copy, draft.due_at), outcome

    async def snooze_own(self, reminder_id: int, until: datetime) -> tuple[Reminder, Snoozed]:
        """A one-off reminder brought back at `until` after it arrived, or its snooze
        moved there; decided and written inside BEGIN IMMEDIATE, so two presses at once
        cannot both decide on the row as they found it."""
        async with self._db.transaction() as tx:
            row = await tx.fetchone(
                f"SELECT {_COLUMNS} FROM reminders WHERE id = ?", (reminder_id,)
            )
            if row is None:
                raise UserError("error.reminder.not_found", id=reminder_id)
            current = _reminder(row)
            outcome = snooze_outcome(current, until, copy=False)
            if outcome is Snoozed.SAME:
                return current, outcome
            return await _bring_back(tx, current, until), outcome

    async def drop_copy(self, series_id: int, series_due: datetime) -> int | None:
        """Cancel the waiting copy of this delivery of a series; its id, or None."""
        async with self._db.transaction() as tx:
            row = await tx.fetchone(
                "SELECT id FROM reminders WHERE snoozed_from = ? AND series_due = ? "
                "AND status = 'pending'",
                (series_id, to_db(series_due)),
            )
            if row is None:
                return None
            await tx.execute("UPDATE reminders SET status = 'cancelled' WHERE id = ?", (row[0],))
            return int(row[0])

    async def get(self, reminder_id: int) -> Reminder | None:
        row = await self._db.fetchone(
            f"SELECT {_COLUMNS} FROM reminders WHERE id = ?", (reminder_id,)
        )
        return _reminder(row) if row else None

    async def get_many(self, ids: list[int]) -> list[Reminder]:
        if not ids:
            return []
        marks = ",".join("?" * len(ids))
        rows = await self._db.fetchall(
            f"SELECT {_COLUMNS} FROM reminders WHERE id IN ({marks})", ids
        )
        return [_reminder(r) for r in rows]

    async def pending_of(self, owner_id: str) -> list[Reminder]:
        rows = await self._db.fetchall(
            f"SELECT {_COLUMNS} FROM reminders WHERE owner_id = ? AND status = 'pending' "
            "ORDER BY due_at, id",
            (owner_id,),
        )
        return [_reminder(r) for r in rows]

    async def pending_in_channel(self, channel_id: str) -> list[Reminder]:
        """The channel reminders waiting to be posted in this channel, anyone's."""
        rows = await self._db.fetchall(
            f"SELECT {_COLUMNS} FROM reminders WHERE channel_id = ? AND kind = 'channel' "
            "AND status = 'pending' ORDER BY due_at, id",
            (channel_id,),
        )
        return [_reminder(r) for r in rows]

    async def due_before(self, until: datetime, limit: int) -> list[tuple[int, datetime]]:
        rows = await self._db.fetchall(
            "SELECT id, fire_at FROM reminders WHERE status = 'pending' AND fire_at <= ? "
            "ORDER BY fire_at, id LIMIT ?",
            (to_db(until), limit),
        )
        return [(r["id"], from_db(r["fire_at"])) for r in rows]

    async def unchecked_rule_texts(self) -> list[str]:
        """Each rule of a pending reminder not checked since it was stored, once (many
        people share a rule). Read along reminders_rule_unchecked: a start with a million
        pending reminders reads only the rows whose rule changed outside the bot."""
        rows = await self._db.fetchall(
            f"SELECT DISTINCT recurrence FROM reminders WHERE {_UNCHECKED}"
        )
        return [row[0] for row in rows]

    async def unchecked_with_rule(self, recurrence: str) -> list[StoredRule]:
        rows = await self._db.fetchall(
            "SELECT id, guild_id, owner_id, text, recurrence FROM reminders "
            f"WHERE {_UNCHECKED} AND recurrence = ? ORDER BY id",
            (recurrence,),
        )
        return [StoredRule(*row) for row in rows]

    async def mark_checked(self, recurrence: str) -> None:
        """The pending rows with this rule can be read: a start need not read them again."""
        await self._db.execute(
            f"UPDATE reminders SET rule_checked = 1 WHERE {_UNCHECKED} AND recurrence = ?",
            (recurrence,),
        )

    async def set_aside(self, reminder_id: int, reason: str) -> bool:
        """A pending reminder that cannot be run becomes failed, saying why; False when
        it was not pending any more."""
        changed = await self._db.execute(
            "UPDATE reminders SET status = 'failed', set_aside = ? "
            "WHERE id = ? AND status = 'pending'",
            (reason, reminder_id),
        )
        return changed > 0

    async def overdue(self, before: datetime) -> list[Reminder]:
        """Pending reminders due before `before`, by owner then due time. Read along the
        due-time index (reminders_due) — few rows at a start, however many are pending —
        and sorted here."""
        rows = await self._db.fetchall(
            f"SELECT {_COLUMNS} FROM reminders WHERE status = 'pending' AND due_at < ? "
            "ORDER BY due_at, id",
            (to_db(before),),
        )
        return sorted((_reminder(r) for r in rows), key=lambda r: (r.owner_id, r.due_at, r.id))

    async def update(self, reminder: Reminder, *, expected: Status, now: datetime) -> bool:
        """Write the reminder's state if its status is still `expected` (no lost updates)."""
        return reminder.id in await self.update_many([reminder], expected=expected, now=now)

    async def update_many(
        self,
        reminders: list[Reminder],
        *,
        expected: Status,
        now: datetime,
        fire_at_was: dict[int, datetime] | None = None,
    ) -> set[int]:
        """Write each state whose row still has status `expected` (and, when given, still
        the fire_at it had when it was fired), in one transaction; the ids written. Inside
        BEGIN IMMEDIATE nobody can change a row between the read and the write."""
        if not reminders:
            return set()
        marks = ",".join("?" * len(reminders))
        async with self._db.transaction() as tx:
            rows = await tx.fetchall(
                f"SELECT id, fire_at FROM reminders WHERE status = ? AND id IN ({marks})",
                [expected.value, *(r.id for r in reminders)],
            )
            writable = {
                row["id"]
                for row in rows
                if fire_at_was is None or row["fire_at"] == to_db(fire_at_was[row["id"]])
            }
            await tx.executemany(
                "UPDATE reminders SET text = ?, due_at = ?, fire_at = ?, timezone = ?, "
                "recurrence = ?, status = ?, attempts = ?, delivered_at = CASE WHEN ? IN "
                "('delivered', 'done') THEN ? ELSE delivered_at END WHERE id = ?",
                [
                    (
                        r.text,
                        to_db(r.due_at),
                        to_db(r.fire_at),
                        r.timezone,
                        r.recurrence.encode() if r.recurrence else None,
                        r.status.value,
                        r.attempts,
                        r.status.value,
                        to_db(now),
                        r.id,
                    )
                    for r in reminders
                    if r.id in writable
                ],
            )
        return writable


async def _room(tx: Transaction, owner_id: str, limit: int) -> bool:
    row = await tx.fetchone(
        "SELECT count(*) FROM reminders WHERE owner_id = ? AND status = 'pending'", (owner_id,)
    )
    return row is None or row[0] < limit


async def _insert(tx: Transaction, draft: Reminder, series_due: datetime | None = None) -> int:
    return await tx.insert(
        "INSERT INTO reminders (guild_id, owner_id, kind, channel_id, channel_name, text, "
        "due_at, fire_at, timezone, recurrence, status, attempts, created_at, rule_checked, "
        "snoozed_from, series_due) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', 0, ?, 1, ?, ?)",
        (
            draft.guild_id,
            draft.owner_id,
            draft.kind.value,
            draft.channel_id,
            draft.channel_name,
            draft.text,
            to_db(draft.due_at),
            to_db(draft.fire_at),
            draft.timezone,
            draft.recurrence.encode() if draft.recurrence else None,
            to_db(draft.created_at),
            draft.snoozed_from,
            to_db(series_due) if series_due else None,
        ),
    )


async def _bring_back(tx: Transaction, reminder: Reminder, until: datetime) -> Reminder:
    """Pending again at `until`, marked as a snooze of its delivery."""
    snoozed_from = reminder.snoozed_from or reminder.id
    await tx.execute(
        "UPDATE reminders SET status = 'pending', due_at = ?, fire_at = ?, attempts = 0, "
        "snoozed_from = ? WHERE id = ?",
        (to_db(until), to_db(until), snoozed_from, reminder.id),
    )
    return replace(
        reminder,
        status=Status.PENDING,
        due_at=until,
        fire_at=until,
        attempts=0,
        snoozed_from=snoozed_from,
    )
