"""SQL for learning programmes, their sessions and attendance."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime

from bot.db import Database, Transaction, from_db, to_db
from bot.learning.model import (
    CERTIFICATE_LETTER,
    LearningJob,
    Line,
    LogEntry,
    Participant,
    Program,
    Session,
    ThemeDays,
)
from bot.outbox import Letter, record
from bot.rows import FromRow
from bot.scheduler import Due, Job

_PROGRAM = (
    "id, guild_id, name, themes, starts_at, ends_at, sheet_id, timezone, created_by,"
    " created_at, checkin_weeks, next_checkin_at, threshold"
)


_program = FromRow(Program)
# Sessions are the programme's events: cancelled is the event's status.
_session = FromRow(Session, cancelled=lambda row: row["status"] == "cancelled")
_theme_days = FromRow(ThemeDays)
_log_entry = FromRow(LogEntry)


class LearningStore:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def create(self, program: Program, name_key: str) -> int | None:
        """The new programme's id, or None when the server has one of that name."""
        try:
            return await self._db.insert(
                "INSERT INTO learning_programs (guild_id, name, name_key, themes, starts_at,"
                " ends_at, sheet_id, timezone, created_by, created_at, checkin_weeks,"
                " next_checkin_at, threshold) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    program.guild_id,
                    program.name,
                    name_key,
                    json.dumps(list(program.themes), ensure_ascii=False),
                    to_db(program.starts_at),
                    to_db(program.ends_at),
                    program.sheet_id,
                    program.timezone,
                    program.created_by,
                    to_db(program.created_at),
                    program.checkin_weeks,
                    to_db(program.next_checkin_at) if program.next_checkin_at else None,
                    program.threshold,
                ),
            )
        except sqlite3.IntegrityError:
            return None

    async def name_taken(self, guild_id: str, name_key: str) -> bool:
        row = await self._db.fetchone(
            "SELECT 1 FROM learning_programs WHERE guild_id = ? AND name_key = ?",
            (guild_id, name_key),
        )
        return row is not None

    async def get(self, program_id: int) -> Program | None:
        row = await self._db.fetchone(
            f"SELECT {_PROGRAM} FROM learning_programs WHERE id = ?", (program_id,)
        )
        return _program(row) if row else None

    async def by_name(self, guild_id: str, name_key: str) -> Program | None:
        row = await self._db.fetchone(
            f"SELECT {_PROGRAM} FROM learning_programs WHERE guild_id = ? AND name_key = ?",
            (guild_id, name_key),
        )
        return _program(row) if row else None

    async def all(self, guild_id: str) -> list[Program]:
        rows = await self._db.fetchall(
            f"SELECT {_PROGRAM} FROM learning_programs WHERE guild_id = ? ORDER BY starts_at, id",
            (guild_id,),
        )
        return [_program(r) for r in rows]

    async def add_session(self, event_id: int, program_id: int, theme: str) -> None:
        await self._db.execute(
            "INSERT INTO learning_sessions (event_id, program_id, theme) VALUES (?, ?, ?)",
            (event_id, program_id, theme),
        )

    async def sessions(self, program_id: int) -> list[Session]:
        rows = await self._db.fetchall(
            "SELECT s.event_id, s.program_id, s.theme, e.title, e.starts_at, e.ends_at,"
            " e.place, e.status FROM learning_sessions s JOIN events e ON e.id = s.event_id"
            " WHERE s.program_id = ? ORDER BY e.starts_at, s.event_id",
            (program_id,),
        )
        return [_session(r) for r in rows]

    async def session(self, event_id: int) -> Session | None:
        row = await self._db.fetchone(
            "SELECT s.event_id, s.program_id, s.theme, e.title, e.starts_at, e.ends_at,"
            " e.place, e.status FROM learning_sessions s JOIN events e ON e.id = s.event_id"
            " WHERE s.event_id = ?",
            (event_id,),
        )
        return _session(row) if row else None

    async def mark(
        self, event_id: int, people: list[tuple[str, str]], by: str, at: datetime
    ) -> int:
        """Mark (user id, name) as present; returns how many were not marked before."""
        added = 0
        async with self._db.transaction() as tx:
            for user_id, name in people:
                added += await tx.execute(
                    "INSERT OR IGNORE INTO learning_attendance"
                    " (event_id, user_id, name, marked_by, marked_at) VALUES (?, ?, ?, ?, ?)",
                    (event_id, user_id, name, by, to_db(at)),
                )
        return added

    async def record(self, guild_id: str, user_id: str) -> list[ThemeDays]:
        """Sessions attended per programme and theme, for one person."""
        rows = await self._db.fetchall(
            "SELECT p.name AS program, s.theme, count(*) AS days FROM learning_attendance a"
            " JOIN learning_sessions s ON s.event_id = a.event_id"
            " JOIN learning_programs p ON p.id = s.program_id"
            " WHERE p.guild_id = ? AND a.user_id = ?"
            " GROUP BY p.id, s.theme ORDER BY p.starts_at, p.id, min(a.event_id)",
            (guild_id, user_id),
        )
        return [_theme_days(r) for r in rows]

    async def participants(self, program: Program) -> list[Participant]:
        """Everyone marked present at a session of the programme, by name."""
        rows = await self._db.fetchall(
            "SELECT a.user_id, max(a.name) AS name, s.theme, count(*) AS days"
            " FROM learning_attendance a JOIN learning_sessions s ON s.event_id = a.event_id"
            " WHERE s.program_id = ? GROUP BY a.user_id, s.theme",
            (program.id,),
        )
        by_user: dict[str, dict[str, int]] = {}
        names: dict[str, str] = {}
        for r in rows:
            by_user.setdefault(r["user_id"], {})[r["theme"]] = r["days"]
            names[r["user_id"]] = r["name"]
        found = [
            Participant(
                user_id,
                names[user_id],
                tuple((theme, days.get(theme, 0)) for theme in program.themes),
            )
            for user_id, days in by_user.items()
        ]
        return sorted(found, key=lambda p: (p.name.casefold(), p.user_id))

    async def certified(self, program: Program) -> set[str]:
        """Who has been sent this programme's certificate."""
        rows = await self._db.fetchall(
            "SELECT user_id FROM learning_certificates WHERE program_id = ?", (program.id,)
        )
        return {r["user_id"] for r in rows}

    async def certify(
        self, program: Program, people: list[Participant], issued: datetime
    ) -> tuple[int, ...]:
        """Count the certificates as issued and write the outbox letters that carry them,
        in one transaction; the letters' ids, in the order of `people`."""
        async with self._db.transaction() as tx:
            await tx.executemany(
                "INSERT INTO learning_certificates (program_id, user_id, issued_at) "
                "VALUES (?, ?, ?) ON CONFLICT (program_id, user_id) "
                "DO UPDATE SET issued_at = excluded.issued_at",
                [(program.id, p.user_id, to_db(issued)) for p in people],
            )
            letters = [
                Letter(
                    CERTIFICATE_LETTER,
                    program.guild_id,
                    {
                        "program": program.id,
                        "issued": to_db(issued),
                        "name": p.name,
                        "themes": [list(theme) for theme in p.themes],
                    },
                    user_id=p.user_id,
                )
                for p in people
            ]
            return tuple(await record(tx, letters, issued))

    @staticmethod
    async def uncertify(tx: Transaction, program_id: int, user_id: str, issued: str) -> None:
        """A certificate that never arrived does not count as issued (asking again sends
        it), unless a later one was issued since."""
        await tx.execute(
            "DELETE FROM learning_certificates WHERE program_id = ? AND user_id = ? "
            "AND issued_at = ?",
            (program_id, user_id, issued),
        )

    async def last_entries(self, guild_id: str) -> dict[str, datetime]:
        """When each person of the server last wrote in their learning line."""
        rows = await self._db.fetchall(
            "SELECT user_id, max(written_at) AS last FROM learning_log WHERE guild_id = ?"
            " GROUP BY user_id",
            (guild_id,),
        )
        return {r["user_id"]: from_db(r["last"]) for r in rows}

    # -- check-ins --------------------------------------------------------------------

    async def checkins_due(self, until: datetime, limit: int) -> list[Due[LearningJob]]:
        rows = await self._db.fetchall(
            "SELECT id, next_checkin_at FROM learning_programs"
            " WHERE next_checkin_at IS NOT NULL AND next_checkin_at <= ?"
            " ORDER BY next_checkin_at, id LIMIT ?",
            (to_db(until), limit),
        )
        return [(Job(LearningJob.CHECKIN, r["id"]), from_db(r["next_checkin_at"])) for r in rows]

    async def set_next_checkin(self, program_id: int, at: datetime | None) -> None:
        await self._db.execute(
            "UPDATE learning_programs SET next_checkin_at = ? WHERE id = ?",
            (to_db(at) if at else None, program_id),
        )

    # -- the learning line ------------------------------------------------------------

    async def set_goals(
        self, guild_id: str, user_id: str, goals: tuple[str, ...], at: datetime
    ) -> None:
        async with self._db.transaction() as tx:
            await tx.execute(
                "DELETE FROM learning_goals WHERE guild_id = ? AND user_id = ?",
                (guild_id, user_id),
            )
            await tx.executemany(
                "INSERT INTO learning_goals (guild_id, user_id, number, text, set_at)"
                " VALUES (?, ?, ?, ?, ?)",
                [(guild_id, user_id, i, g, to_db(at)) for i, g in enumerate(goals, 1)],
            )

    async def goals(self, guild_id: str, user_id: str) -> tuple[str, ...]:
        rows = await self._db.fetchall(
            "SELECT text FROM learning_goals WHERE guild_id = ? AND user_id = ? ORDER BY number",
            (guild_id, user_id),
        )
        return tuple(r["text"] for r in rows)

    async def add_entry_if_room(
        self, guild_id: str, user_id: str, goal: str, text: str, at: datetime, limit: int
    ) -> bool:
        """Add a reflection unless the person already has `limit` in this server."""
        async with self._db.transaction() as tx:
            row = await tx.fetchone(
                "SELECT count(*) FROM learning_log WHERE guild_id = ? AND user_id = ?",
                (guild_id, user_id),
            )
            if row and row[0] >= limit:
                return False
            await tx.insert(
                "INSERT INTO learning_log (guild_id, user_id, goal, text, written_at)"
                " VALUES (?, ?, ?, ?, ?)",
                (guild_id, user_id, goal, text, to_db(at)),
            )
            return True

    async def line(self, guild_id: str, user_id: str, name: str) -> Line:
        rows = await self._db.fetchall(
            "SELECT goal, text, written_at FROM learning_log WHERE guild_id = ? AND user_id = ?"
            " ORDER BY written_at, id",
            (guild_id, user_id),
        )
        entries = tuple(_log_entry(r) for r in rows)
        return Line(user_id, name, await self.goals(guild_id, user_id), entries)

    async def share(self, guild_id: str, user_id: str, coach_id: str, at: datetime) -> bool:
        """Let the coach read the line; False when they already could."""
        changed = await self._db.execute(
            "INSERT OR IGNORE INTO learning_coaches (guild_id, user_id, coach_id, granted_at)"
            " VALUES (?, ?, ?, ?)",
            (guild_id, user_id, coach_id, to_db(at)),
        )
        return changed > 0

    async def is_coach(self, guild_id: str, user_id: str, coach_id: str) -> bool:
        row = await self._db.fetchone(
            "SELECT 1 FROM learning_coaches WHERE guild_id = ? AND user_id = ? AND coach_id = ?",
            (guild_id, user_id, coach_id),
        )
        return row is not None
