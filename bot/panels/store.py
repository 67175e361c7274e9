"""SQL for panels: the panel, its queue, turns, questions and votes, pączki and the log.

A change that touches several rows (giving the floor: end the open turn, take the person
off the queue, open the new turn, log both) runs in one `BEGIN IMMEDIATE` transaction, and
the unique indexes (one live panel a channel, one open turn a panel, one pączek a giver a
turn, one vote a person a question) hold whatever runs at once.
"""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import datetime, timedelta

from bot.db import Database, Transaction, from_db, to_db
from bot.panels.model import (
    LogEntry,
    LogKind,
    Panel,
    Panelist,
    PanelJob,
    Question,
    QuestionStatus,
    QueueEntry,
    QueueKind,
    Turn,
    TurnEnd,
    TurnKind,
    turn_times,
)
from bot.refs import UserRef
from bot.rows import FromRow
from bot.scheduler import Due, Job

_PANEL = (
    "id, guild_id, topic, channel_id, channel_name, place_id, place_name, card_message_id, "
    "starts_at, remind_at, duration_s, turn_s, moderator_id, moderator_name, status, "
    "started_at, ends_at, ended_at, slowmode, slowmode_before, timezone, created_by, created_at, "
    "group_id"
)
_TURN = "id, panel_id, user_id, name, kind, started_at, ends_at, warn_at, ended_at, ended_by"
_QUESTION = (
    "q.id, q.panel_id, q.number, q.author_id, q.author_name, q.text, q.status, q.asked_at, "
    "(SELECT count(*) FROM panel_votes v WHERE v.question_id = q.id) AS votes"
)


_panel = FromRow(Panel, duration="duration_s", turn="turn_s", given=("panelists",))
_panelist = FromRow(Panelist)
_turn = FromRow(Turn)
_question = FromRow(Question)
_queue = FromRow(QueueEntry)
_log_entry = FromRow(LogEntry)


async def _log(
    tx: Transaction,
    panel_id: int,
    at: datetime,
    kind: LogKind,
    *,
    user_id: str = "",
    name: str = "",
    text: str = "",
    number: int = 0,
) -> None:
    await tx.execute(
        "INSERT INTO panel_log (panel_id, at, kind, user_id, name, text, number) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        (panel_id, to_db(at), kind.value, user_id, name, text, number),
    )


async def _open_turn(tx: Transaction, panel_id: int) -> Turn | None:
    row = await tx.fetchone(
        f"SELECT {_TURN} FROM panel_turns WHERE panel_id = ? AND ended_at IS NULL", (panel_id,)
    )
    return _turn(row) if row else None


async def _end_turn(tx: Transaction, turn: Turn, at: datetime, how: TurnEnd) -> Turn:
    await tx.execute(
        "UPDATE panel_turns SET ended_at = ?, ended_by = ? WHERE id = ? AND ended_at IS NULL",
        (to_db(at), how.value, turn.id),
    )
    ended = replace(turn, ended_at=at, ended_by=how)
    spoken = int(ended.spoken(at).total_seconds())
    await _log(
        tx,
        turn.panel_id,
        at,
        LogKind.TURN_END,
        user_id=turn.user_id,
        name=turn.name,
        text=how.value,
        number=spoken,
    )
    return ended


class PanelStore:
    def __init__(self, db: Database) -> None:
        self._db = db

    # -- panels ----------------------------------------------------------------------

    async def create(self, panel: Panel) -> int:
        async with self._db.transaction() as tx:
            panel_id = await tx.insert(
                "INSERT INTO panels (guild_id, topic, channel_id, channel_name, starts_at, "
                "remind_at, duration_s, turn_s, moderator_id, moderator_name, status, timezone, "
                "created_by, created_at, group_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                "'scheduled', ?, ?, ?, ?)",
                (
                    panel.guild_id,
                    panel.topic,
                    panel.channel_id,
                    panel.channel_name,
                    to_db(panel.starts_at),
                    to_db(panel.remind_at),
                    int(panel.duration.total_seconds()),
                    int(panel.turn.total_seconds()),
                    panel.moderator_id,
                    panel.moderator_name,
                    panel.timezone,
                    panel.created_by,
                    to_db(panel.created_at),
                    panel.group_id,
                ),
            )
            await tx.executemany(
                "INSERT INTO panel_panelists (panel_id, position, user_id, name) "
                "VALUES (?, ?, ?, ?)",
                [(panel_id, p.position, p.user_id, p.name) for p in panel.panelists],
            )
        return panel_id

    async def get(self, panel_id: int) -> Panel | None:
        row = await self._db.fetchone(f"SELECT {_PANEL} FROM panels WHERE id = ?", (panel_id,))
        if row is None:
            return None
        return _panel(row, panelists=await self._panelists(panel_id))

    async def _panelists(self, panel_id: int) -> tuple[Panelist, ...]:
        rows = await self._db.fetchall(
            "SELECT position, user_id, name FROM panel_panelists WHERE panel_id = ? "
            "ORDER BY position",
            (panel_id,),
        )
        return tuple(_panelist(r) for r in rows)

    async def of_guild(self, guild_id: str, *, ended: bool = False) -> list[Panel]:
        """Scheduled and live panels (with `ended`, the latest ended ones too), soonest
        first."""
        wanted = "" if ended else "AND status != 'ended'"
        rows = await self._db.fetchall(
            f"SELECT {_PANEL} FROM panels WHERE guild_id = ? {wanted} "
            "ORDER BY status = 'ended', starts_at, id LIMIT 50",
            (guild_id,),
        )
        return [_panel(r, panelists=await self._panelists(r["id"])) for r in rows]

    async def live_places(self) -> dict[str, int]:
        """Where each live panel speaks (its thread or channel) → its id."""
        rows = await self._db.fetchall(
            "SELECT id, COALESCE(place_id, channel_id) AS place FROM panels WHERE status = 'live'"
        )
        return {r["place"]: r["id"] for r in rows}

    async def start(
        self,
        panel_id: int,
        *,
        now: datetime,
        place_id: str,
        place_name: str,
        slowmode: int,
        slowmode_before: int | None,
    ) -> Panel | None:
        """Scheduled → live; None when it is not scheduled any more or the channel already
        has a live panel (the unique index)."""
        try:
            async with self._db.transaction() as tx:
                row = await tx.fetchone(
                    "SELECT duration_s FROM panels WHERE id = ? AND status = 'scheduled'",
                    (panel_id,),
                )
                if row is None:
                    return None
                ends = now + timedelta(seconds=row["duration_s"])
                await tx.execute(
                    "UPDATE panels SET status = 'live', started_at = ?, ends_at = ?, "
                    "place_id = ?, place_name = ?, slowmode = ?, slowmode_before = ? "
                    "WHERE id = ?",
                    (
                        to_db(now),
                        to_db(ends),
                        place_id,
                        place_name,
                        slowmode,
                        slowmode_before,
                        panel_id,
                    ),
                )
                await _log(tx, panel_id, now, LogKind.START)
        except sqlite3.IntegrityError:
            return None
        return await self.get(panel_id)

    async def set_card(self, panel_id: int, message_id: str) -> None:
        await self._db.execute(
            "UPDATE panels SET card_message_id = ? WHERE id = ?", (message_id, panel_id)
        )

    async def live_in_channel(self, channel_id: str) -> int | None:
        row = await self._db.fetchone(
            "SELECT id FROM panels WHERE channel_id = ? AND status = 'live'", (channel_id,)
        )
        return row["id"] if row else None

    async def end(
        self, panel_id: int, now: datetime, *, due_only: bool
    ) -> tuple[bool, Turn | None]:
        """Live → ended: the open turn ends, the queue empties, the current question counts
        as answered. Returns (whether it ended now, the turn that was open); not ended when
        it was not live (or, with `due_only`, not yet due)."""
        async with self._db.transaction() as tx:
            due = "AND ends_at <= ?" if due_only else ""
            params: tuple[object, ...] = (to_db(now), panel_id)
            if due_only:
                params += (to_db(now),)
            changed = await tx.execute(
                f"UPDATE panels SET status = 'ended', ended_at = ? WHERE id = ? "
                f"AND status = 'live' {due}",
                params,
            )
            if not changed:
                return False, None
            turn = await _open_turn(tx, panel_id)
            ended = await _end_turn(tx, turn, now, TurnEnd.END) if turn else None
            await tx.execute("DELETE FROM panel_queue WHERE panel_id = ?", (panel_id,))
            await tx.execute(
                "UPDATE panel_questions SET status = 'answered' WHERE panel_id = ? "
                "AND status = 'current'",
                (panel_id,),
            )
            await _log(tx, panel_id, now, LogKind.END)
        return True, ended

    async def is_published(self, panel_id: int) -> bool:
        row = await self._db.fetchone("SELECT published FROM panels WHERE id = ?", (panel_id,))
        return bool(row and row[0])

    async def mark_published(self, panel_id: int) -> None:
        await self._db.execute("UPDATE panels SET published = 1 WHERE id = ?", (panel_id,))

    async def mark_reminded(self, panel_id: int) -> Panel | None:
        changed = await self._db.execute(
            "UPDATE panels SET reminded = 1 WHERE id = ? AND reminded = 0 AND status = 'scheduled'",
            (panel_id,),
        )
        return await self.get(panel_id) if changed else None

    # -- the queue -------------------------------------------------------------------

    async def queue(self, panel_id: int) -> list[QueueEntry]:
        rows = await self._db.fetchall(
            "SELECT seq, kind, user_id, name FROM panel_queue WHERE panel_id = ? "
            "ORDER BY kind = 'hand', seq",
            (panel_id,),
        )
        return [_queue(r) for r in rows]

    async def raise_hand(self, panel_id: int, user: UserRef, now: datetime) -> bool:
        """False when the hand was already raised."""
        try:
            await self._db.execute(
                "INSERT INTO panel_queue (panel_id, kind, user_id, name, queued_at) "
                "VALUES (?, 'hand', ?, ?, ?)",
                (panel_id, user.id, user.name, to_db(now)),
            )
        except sqlite3.IntegrityError:
            return False
        return True

    async def lower_hand(self, panel_id: int, user_id: str) -> bool:
        changed = await self._db.execute(
            "DELETE FROM panel_queue WHERE panel_id = ? AND kind = 'hand' AND user_id = ?",
            (panel_id, user_id),
        )
        return changed == 1

    async def set_round(
        self, panel_id: int, panelists: tuple[Panelist, ...], now: datetime
    ) -> None:
        """A new round: every panelist, in order, ahead of the raised hands."""
        async with self._db.transaction() as tx:
            await tx.execute(
                "DELETE FROM panel_queue WHERE panel_id = ? AND kind = 'round'", (panel_id,)
            )
            await tx.executemany(
                "INSERT INTO panel_queue (panel_id, kind, user_id, name, queued_at) "
                "VALUES (?, 'round', ?, ?, ?)",
                [(panel_id, p.user_id, p.name, to_db(now)) for p in panel_panelists(panelists)],
            )

    # -- turns -----------------------------------------------------------------------

    async def open_turn(self, panel_id: int) -> Turn | None:
        row = await self._db.fetchone(
            f"SELECT {_TURN} FROM panel_turns WHERE panel_id = ? AND ended_at IS NULL",
            (panel_id,),
        )
        return _turn(row) if row else None

    async def turn(self, turn_id: int) -> Turn | None:
        row = await self._db.fetchone(f"SELECT {_TURN} FROM panel_turns WHERE id = ?", (turn_id,))
        return _turn(row) if row else None

    async def turns(self, panel_id: int) -> list[Turn]:
        rows = await self._db.fetchall(
            f"SELECT {_TURN} FROM panel_turns WHERE panel_id = ? ORDER BY id", (panel_id,)
        )
        return [_turn(r) for r in rows]

    async def last_turn_of(self, panel_id: int, user_id: str) -> Turn | None:
        row = await self._db.fetchone(
            f"SELECT {_TURN} FROM panel_turns WHERE panel_id = ? AND user_id = ? "
            "ORDER BY id DESC LIMIT 1",
            (panel_id, user_id),
        )
        return _turn(row) if row else None

    async def give_floor(
        self,
        panel_id: int,
        user: UserRef | None,
        kind: TurnKind,
        now: datetime,
        length: timedelta,
    ) -> tuple[Turn | None, Turn | None]:
        """End the open turn and give the floor: to `user`, or (None) to the next in line,
        taking them off the queue. Returns (the turn that ended, the new turn); the new
        turn is None when nobody is waiting (the floor is then free)."""
        async with self._db.transaction() as tx:
            live = await tx.fetchone(
                "SELECT 1 FROM panels WHERE id = ? AND status = 'live'", (panel_id,)
            )
            if live is None:
                # Ended while this call waited (e.g. /panel end posting its transcript):
                # no new turn in a panel that is over.
                return None, None
            if user is None:
                row = await tx.fetchone(
                    "SELECT seq, kind, user_id, name FROM panel_queue WHERE panel_id = ? "
                    "ORDER BY kind = 'hand', seq LIMIT 1",
                    (panel_id,),
                )
                if row is not None:
                    entry = _queue(row)
                    user = UserRef(entry.user_id, entry.name)
                    kind = TurnKind.ROUND if entry.kind is QueueKind.ROUND else TurnKind.QUEUE
                    await tx.execute("DELETE FROM panel_queue WHERE seq = ?", (entry.seq,))
            old = await _open_turn(tx, panel_id)
            ended = await _end_turn(tx, old, now, TurnEnd.NEXT) if old else None
            if user is None:
                return ended, None
            if kind is not TurnKind.ROUND:
                # Given the floor, a raised hand has been answered.
                await tx.execute(
                    "DELETE FROM panel_queue WHERE panel_id = ? AND kind = 'hand' AND user_id = ?",
                    (panel_id, user.id),
                )
            ends, warn = turn_times(now, length)
            turn_id = await tx.insert(
                "INSERT INTO panel_turns (panel_id, user_id, name, kind, started_at, ends_at, "
                "warn_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    panel_id,
                    user.id,
                    user.name,
                    kind.value,
                    to_db(now),
                    to_db(ends),
                    to_db(warn) if warn else None,
                ),
            )
            await _log(
                tx, panel_id, now, LogKind.TURN, user_id=user.id, name=user.name, text=kind.value
            )
            return ended, Turn(turn_id, panel_id, user.id, user.name, kind, now, ends, warn)

    async def warn(self, turn_id: int, now: datetime) -> Turn | None:
        """Mark the turn warned; None when it ended, was warned already, or is already
        over (after a downtime "30 seconds left" would come after the time is up)."""
        changed = await self._db.execute(
            "UPDATE panel_turns SET warned = 1 WHERE id = ? AND warned = 0 AND ended_at IS NULL "
            "AND ends_at > ?",
            (turn_id, to_db(now)),
        )
        return await self.turn(turn_id) if changed else None

    async def time_up(self, turn_id: int) -> Turn | None:
        """End the turn at its end time; None when it had already ended."""
        async with self._db.transaction() as tx:
            row = await tx.fetchone(
                f"SELECT {_TURN} FROM panel_turns WHERE id = ? AND ended_at IS NULL", (turn_id,)
            )
            if row is None:
                return None
            turn = _turn(row)
            return await _end_turn(tx, turn, turn.ends_at, TurnEnd.TIME)

    # -- questions -------------------------------------------------------------------

    async def ask(self, panel_id: int, author: UserRef, text: str, now: datetime) -> Question:
        async with self._db.transaction() as tx:
            row = await tx.fetchone(
                "SELECT COALESCE(max(number), 0) + 1 FROM panel_questions WHERE panel_id = ?",
                (panel_id,),
            )
            number = int(row[0]) if row else 1
            question_id = await tx.insert(
                "INSERT INTO panel_questions (panel_id, number, author_id, author_name, text, "
                "asked_at) VALUES (?, ?, ?, ?, ?, ?)",
                (panel_id, number, author.id, author.name, text, to_db(now)),
            )
            await _log(
                tx,
                panel_id,
                now,
                LogKind.ASKED,
                user_id=author.id,
                name=author.name,
                text=text,
                number=number,
            )
        return Question(
            question_id, panel_id, number, author.id, author.name, text, QuestionStatus.QUEUED, now
        )

    async def question(self, panel_id: int, number: int) -> Question | None:
        row = await self._db.fetchone(
            f"SELECT {_QUESTION} FROM panel_questions q WHERE q.panel_id = ? AND q.number = ?",
            (panel_id, number),
        )
        return _question(row) if row else None

    async def questions(self, panel_id: int) -> list[Question]:
        rows = await self._db.fetchall(
            f"SELECT {_QUESTION} FROM panel_questions q WHERE q.panel_id = ? ORDER BY q.number",
            (panel_id,),
        )
        return [_question(r) for r in rows]

    async def vote(self, question_id: int, voter_id: str, now: datetime) -> bool:
        """False when the person had voted for it already."""
        try:
            await self._db.execute(
                "INSERT INTO panel_votes (question_id, voter_id, voted_at) VALUES (?, ?, ?)",
                (question_id, voter_id, to_db(now)),
            )
        except sqlite3.IntegrityError:
            return False
        return True

    async def pick(self, panel_id: int, number: int | None, now: datetime) -> Question | None:
        """Make a waiting question the current one (the given one, or the most voted, then
        the earliest); the current one before counts as answered. None when there is no
        such waiting question."""
        async with self._db.transaction() as tx:
            if number is None:
                row = await tx.fetchone(
                    f"SELECT {_QUESTION} FROM panel_questions q WHERE q.panel_id = ? AND "
                    "q.status = 'queued' ORDER BY votes DESC, q.number LIMIT 1",
                    (panel_id,),
                )
            else:
                row = await tx.fetchone(
                    f"SELECT {_QUESTION} FROM panel_questions q WHERE q.panel_id = ? AND "
                    "q.number = ? AND q.status = 'queued'",
                    (panel_id, number),
                )
            if row is None:
                return None
            picked = _question(row)
            await tx.execute(
                "UPDATE panel_questions SET status = 'answered' WHERE panel_id = ? "
                "AND status = 'current'",
                (panel_id,),
            )
            await tx.execute(
                "UPDATE panel_questions SET status = 'current', picked_at = ? WHERE id = ?",
                (to_db(now), picked.id),
            )
            await _log(
                tx,
                panel_id,
                now,
                LogKind.QUESTION,
                user_id=picked.author_id,
                name=picked.author_name,
                text=picked.text,
                number=picked.number,
            )
        return replace(picked, status=QuestionStatus.CURRENT)

    # -- pączki ----------------------------------------------------------------------

    async def give_paczek(self, turn: Turn, giver_id: str, now: datetime) -> bool:
        """False when this giver already gave this turn's speaker a pączek."""
        try:
            await self._db.execute(
                "INSERT INTO panel_paczki (turn_id, panel_id, giver_id, receiver_id, "
                "receiver_name, given_at) VALUES (?, ?, ?, ?, ?, ?)",
                (turn.id, turn.panel_id, giver_id, turn.user_id, turn.name, to_db(now)),
            )
        except sqlite3.IntegrityError:
            return False
        return True

    async def tally(self, panel_id: int) -> list[tuple[str, str, int]]:
        """(receiver id, name, pączki), most first, then by name."""
        rows = await self._db.fetchall(
            "SELECT receiver_id, max(receiver_name) AS name, count(*) AS n FROM panel_paczki "
            "WHERE panel_id = ? GROUP BY receiver_id ORDER BY n DESC, name",
            (panel_id,),
        )
        return [(r["receiver_id"], r["name"], r["n"]) for r in rows]

    # -- the transcript --------------------------------------------------------------

    async def chat(self, panel_id: int, user: UserRef, text: str, now: datetime) -> None:
        async with self._db.transaction() as tx:
            await _log(tx, panel_id, now, LogKind.CHAT, user_id=user.id, name=user.name, text=text)

    async def log(self, panel_id: int) -> list[LogEntry]:
        rows = await self._db.fetchall(
            "SELECT seq, at, kind, user_id, name, text, number FROM panel_log "
            "WHERE panel_id = ? ORDER BY seq",
            (panel_id,),
        )
        return [_log_entry(r) for r in rows]

    async def greet(self, guild_id: str, day: str) -> bool:
        """True the first time a server's panels speak on that day."""
        changed = await self._db.execute(
            "INSERT OR IGNORE INTO panel_greetings (guild_id, day) VALUES (?, ?)", (guild_id, day)
        )
        return changed == 1

    # -- the scheduler ---------------------------------------------------------------

    async def due_before(self, until: datetime, limit: int) -> list[Due[PanelJob]]:
        """Reminders, automatic ends, turn warnings and time-ups, and transcripts still to
        post (the bot stopped between the end and posting)."""
        rows = await self._db.fetchall(
            "SELECT kind, id, due FROM ("
            "SELECT 'r' AS kind, id, remind_at AS due FROM panels "
            "WHERE status = 'scheduled' AND reminded = 0 AND remind_at <= :until "
            "UNION ALL SELECT 'e', id, ends_at FROM panels "
            "WHERE status = 'live' AND ends_at <= :until "
            "UNION ALL SELECT 'p', id, ended_at FROM panels "
            "WHERE status = 'ended' AND published = 0 AND ended_at <= :until "
            "UNION ALL SELECT 'w', id, warn_at FROM panel_turns "
            "WHERE ended_at IS NULL AND warned = 0 AND warn_at IS NOT NULL AND warn_at <= :until "
            "UNION ALL SELECT 't', id, ends_at FROM panel_turns "
            "WHERE ended_at IS NULL AND ends_at <= :until"
            ") ORDER BY due, kind, id LIMIT :limit",
            {"until": to_db(until), "limit": limit},
        )
        return [(Job(PanelJob(r["kind"]), r["id"]), from_db(r["due"])) for r in rows]


def panel_panelists(panelists: tuple[Panelist, ...]) -> list[Panelist]:
    return sorted(panelists, key=lambda p: p.position)
