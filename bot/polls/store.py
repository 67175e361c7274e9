"""SQL for polls, their options and votes."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.db import Database, Transaction, from_db, to_db
from bot.errors import UserError
from bot.polls.model import (
    Answer,
    Poll,
    PollJob,
    PollOption,
    Tally,
    next_answer,
)
from bot.rows import FromRow
from bot.scheduler import Due, Job
from bot.text import inert

_POLL = (
    "id, guild_id, kind, question, channel_id, channel_name, platform, closes_at, status, "
    "created_by, created_at, message_channel_id, message_id, group_id"
)


_poll = FromRow(Poll)
_option = FromRow(PollOption)
_tally = FromRow(Tally)


class PollStore:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def create(self, poll: Poll, options: Sequence[PollOption]) -> int:
        async with self._db.transaction() as tx:
            poll_id = await tx.insert(
                "INSERT INTO polls (guild_id, kind, question, channel_id, channel_name, platform, "
                "closes_at, status, created_by, created_at, group_id) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, 'open', ?, ?, ?)",
                (
                    poll.guild_id,
                    poll.kind.value,
                    poll.question,
                    poll.channel_id,
                    poll.channel_name,
                    poll.platform,
                    to_db(poll.closes_at) if poll.closes_at else None,
                    poll.created_by,
                    to_db(poll.created_at),
                    poll.group_id,
                ),
            )
            await tx.executemany(
                "INSERT INTO poll_options (poll_id, number, label, starts_at) VALUES (?, ?, ?, ?)",
                [
                    (poll_id, o.number, o.label, to_db(o.starts_at) if o.starts_at else None)
                    for o in options
                ],
            )
        return poll_id

    async def set_message(self, poll_id: int, channel_id: str, message_id: str) -> None:
        await self._db.execute(
            "UPDATE polls SET message_channel_id = ?, message_id = ? WHERE id = ?",
            (channel_id, message_id, poll_id),
        )

    async def get(self, poll_id: int) -> Poll | None:
        row = await self._db.fetchone(f"SELECT {_POLL} FROM polls WHERE id = ?", (poll_id,))
        return _poll(row) if row else None

    async def recent(self, guild_id: str, *, open_only: bool) -> list[Poll]:
        wanted = "AND status = 'open'" if open_only else ""
        rows = await self._db.fetchall(
            f"SELECT {_POLL} FROM polls WHERE guild_id = ? {wanted} ORDER BY id DESC LIMIT 100",
            (guild_id,),
        )
        return [_poll(r) for r in rows]

    async def options(self, poll_id: int) -> list[PollOption]:
        rows = await self._db.fetchall(
            "SELECT number, label, starts_at FROM poll_options WHERE poll_id = ? ORDER BY number",
            (poll_id,),
        )
        return [_option(r) for r in rows]

    async def tallies(self, poll_id: int) -> tuple[dict[int, Tally], int]:
        """Votes per option, and how many people answered at all."""
        async with self._db.transaction() as tx:
            rows = await tx.fetchall(
                "SELECT number, sum(answer = 'yes') AS yes, sum(answer = 'maybe') AS maybe, "
                "sum(answer = 'no') AS no FROM poll_votes WHERE poll_id = ? GROUP BY number",
                (poll_id,),
            )
            voters = await tx.fetchone(
                "SELECT count(DISTINCT user_id) FROM poll_votes WHERE poll_id = ?", (poll_id,)
            )
        tallies = {r["number"]: _tally(r) for r in rows}
        return tallies, int(voters[0]) if voters else 0

    async def vote(
        self,
        poll_id: int,
        number: int,
        user_id: str,
        answer: Answer | None,
        now: datetime,
        *,
        single: bool,
    ) -> tuple[Answer, bool]:
        """Record the answer (None: the next in the cycle) in one transaction; with
        `single`, the person's other votes in the poll go. Returns the answer and whether
        anything changed."""
        async with self._db.transaction() as tx:
            await _open_poll(tx, poll_id, now)
            known = await tx.fetchone(
                "SELECT 1 FROM poll_options WHERE poll_id = ? AND number = ?", (poll_id, number)
            )
            if known is None:
                raise UserError("error.poll.no_option", option=number)
            current_row = await tx.fetchone(
                "SELECT answer FROM poll_votes WHERE poll_id = ? AND number = ? AND user_id = ?",
                (poll_id, number, user_id),
            )
            current = Answer(current_row[0]) if current_row else None
            chosen = answer if answer is not None else next_answer(current)
            removed = 0
            if single:
                removed = await tx.execute(
                    "DELETE FROM poll_votes WHERE poll_id = ? AND user_id = ? AND number != ?",
                    (poll_id, user_id, number),
                )
            if chosen == current:
                return chosen, removed > 0
            await tx.execute(
                "INSERT INTO poll_votes (poll_id, number, user_id, answer, voted_at) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (poll_id, number, user_id) "
                "DO UPDATE SET answer = excluded.answer, voted_at = excluded.voted_at",
                (poll_id, number, user_id, chosen.value, to_db(now)),
            )
        return chosen, True

    async def withdraw(self, poll_id: int, user_id: str, now: datetime) -> bool:
        """Delete the person's votes in an open poll, in one transaction; whether there
        were any. A closed poll's count stands."""
        async with self._db.transaction() as tx:
            await _open_poll(tx, poll_id, now)
            removed = await tx.execute(
                "DELETE FROM poll_votes WHERE poll_id = ? AND user_id = ?", (poll_id, user_id)
            )
        return removed > 0

    async def close(self, poll_id: int, now: datetime, *, due_only: bool) -> Poll | None:
        """Open → closed (with `due_only`, only once its closing time has come)."""
        async with self._db.transaction() as tx:
            changed = await tx.execute(
                "UPDATE polls SET status = 'closed' WHERE id = ? AND status = 'open' "
                "AND (NOT ? OR (closes_at IS NOT NULL AND closes_at <= ?))",
                (poll_id, due_only, to_db(now)),
            )
            if not changed:
                return None
            row = await tx.fetchone(f"SELECT {_POLL} FROM polls WHERE id = ?", (poll_id,))
        return _poll(row) if row else None

    async def due_before(self, until: datetime, limit: int) -> list[Due[PollJob]]:
        rows = await self._db.fetchall(
            "SELECT id, closes_at FROM polls WHERE status = 'open' AND closes_at IS NOT NULL "
            "AND closes_at <= ? ORDER BY closes_at LIMIT ?",
            (to_db(until), limit),
        )
        return [(Job(PollJob.CLOSE, r[0]), from_db(r[1])) for r in rows]


async def _open_poll(tx: Transaction, poll_id: int, now: datetime) -> Poll:
    """The poll, read in `tx`, refused when it is unknown or closed (a closed poll's
    count stands)."""
    row = await tx.fetchone(f"SELECT {_POLL} FROM polls WHERE id = ?", (poll_id,))
    if row is None:
        raise UserError("error.poll.unknown", poll=poll_id)
    poll = _poll(row)
    if not poll.is_open(now):
        raise UserError("error.poll.closed", question=inert(poll.question))
    return poll
