"""SQL for the digest: each server's setting and the people who get it by DM."""

from __future__ import annotations

from datetime import datetime

from bot.db import Database, to_db
from bot.digest.model import DigestJob, DigestSetting
from bot.rows import FromRow
from bot.scheduler import Due, Job

_COLUMNS = "id, guild_id, rule, timezone, next_at, last_week"
_setting = FromRow(DigestSetting)


class DigestStore:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def setting(self, guild_id: str) -> DigestSetting | None:
        row = await self._db.fetchone(
            f"SELECT {_COLUMNS} FROM digests WHERE guild_id = ?", (guild_id,)
        )
        return _setting(row) if row else None

    async def get(self, digest_id: int) -> DigestSetting | None:
        row = await self._db.fetchone(f"SELECT {_COLUMNS} FROM digests WHERE id = ?", (digest_id,))
        return _setting(row) if row else None

    async def save(
        self, guild_id: str, rule: str, timezone: str, next_at: datetime, now: datetime
    ) -> DigestSetting:
        """Set (or change) the server's digest; the last week sent is kept, so a new day in
        a week already served waits for the next week."""
        await self._db.execute(
            "INSERT INTO digests (guild_id, rule, timezone, next_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (guild_id) DO UPDATE SET rule = excluded.rule, "
            "timezone = excluded.timezone, next_at = excluded.next_at, "
            "updated_at = excluded.updated_at",
            (guild_id, rule, timezone, to_db(next_at), to_db(now)),
        )
        saved = await self.setting(guild_id)
        assert saved is not None
        return saved

    async def remove(self, guild_id: str) -> DigestSetting | None:
        """Turn the server's digest off; what it was, if it was on."""
        before = await self.setting(guild_id)
        if before is not None:
            await self._db.execute("DELETE FROM digests WHERE id = ?", (before.id,))
        return before

    async def due(self, until: datetime, limit: int) -> list[Due[DigestJob]]:
        rows = await self._db.fetchall(
            "SELECT id, next_at FROM digests WHERE next_at <= ? ORDER BY next_at, id LIMIT ?",
            (to_db(until), limit),
        )
        return [(Job(DigestJob.POST, r["id"]), datetime.fromisoformat(r["next_at"])) for r in rows]

    async def claim(self, setting: DigestSetting, week: str, next_at: datetime) -> bool:
        """Move the digest on to `next_at` and, unless `week` was already sent, mark it
        sent: True when this call is the one that sends it. Written before sending, so
        a restart never sends a week twice (one cut short loses that week's, never more)."""
        async with self._db.transaction() as tx:
            claimed = await tx.execute(
                "UPDATE digests SET last_week = ?, next_at = ? WHERE id = ? "
                "AND next_at = ? AND (last_week IS NULL OR last_week != ?)",
                (week, to_db(next_at), setting.id, to_db(setting.next_at), week),
            )
            if not claimed:
                await tx.execute(
                    "UPDATE digests SET next_at = ? WHERE id = ? AND next_at = ?",
                    (to_db(next_at), setting.id, to_db(setting.next_at)),
                )
        return claimed == 1

    async def set_reader(self, guild_id: str, user_id: str, on: bool, now: datetime) -> None:
        if on:
            await self._db.execute(
                "INSERT OR IGNORE INTO digest_readers (guild_id, user_id, created_at) "
                "VALUES (?, ?, ?)",
                (guild_id, user_id, to_db(now)),
            )
        else:
            await self._db.execute(
                "DELETE FROM digest_readers WHERE guild_id = ? AND user_id = ?",
                (guild_id, user_id),
            )

    async def readers(self, guild_id: str) -> list[str]:
        rows = await self._db.fetchall(
            "SELECT user_id FROM digest_readers WHERE guild_id = ? ORDER BY created_at, user_id",
            (guild_id,),
        )
        return [r["user_id"] for r in rows]

    async def is_reader(self, guild_id: str, user_id: str) -> bool:
        row = await self._db.fetchone(
            "SELECT 1 FROM digest_readers WHERE guild_id = ? AND user_id = ?", (guild_id, user_id)
        )
        return row is not None
