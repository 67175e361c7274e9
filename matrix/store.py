"""The Matrix front end's own rows: sync token, direct rooms, buttons shown as reactions."""

from __future__ import annotations

from collections.abc import Iterable

from bot.db import Database


class MatrixStore:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def get(self, key: str) -> str | None:
        row = await self._db.fetchone("SELECT value FROM matrix_state WHERE key = ?", (key,))
        return row["value"] if row else None

    async def put(self, key: str, value: str) -> None:
        await self._db.execute(
            "INSERT INTO matrix_state (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    async def take(self, event_id: str, at: str) -> bool:
        """Claim an event for handling; False when it was claimed before."""
        return (
            await self._db.execute(
                "INSERT OR IGNORE INTO matrix_handled (event_id, at) VALUES (?, ?)",
                (event_id, at),
            )
            == 1
        )

    async def forget_handled(self, before: str) -> None:
        """Events handled, and refused commands left uncorrected, before `before`."""
        await self._db.execute("DELETE FROM matrix_handled WHERE at < ?", (before,))
        await self._db.execute(
            "DELETE FROM matrix_state WHERE key LIKE 'editable:%' AND value < ?", (before,)
        )

    async def mark_editable(self, key: str, at: str, sender: str, thread_root: str) -> None:
        """A refused command its sender may correct by editing it."""
        await self.put(key, "\t".join((at, sender, thread_root)))

    async def editable(self, key: str) -> tuple[str, str] | None:
        """(sender, thread root or "") of a refused command still open to correction."""
        value = await self.get(key)
        if value is None:
            return None
        _, sender, thread_root = value.split("\t")
        return sender, thread_root

    async def delete(self, key: str) -> None:
        await self._db.execute("DELETE FROM matrix_state WHERE key = ?", (key,))

    async def dm_room(self, user_id: str) -> str | None:
        row = await self._db.fetchone(
            "SELECT room_id FROM matrix_dm_rooms WHERE user_id = ?", (user_id,)
        )
        return row["room_id"] if row else None

    async def set_dm_room(self, user_id: str, room_id: str) -> None:
        await self._db.execute(
            "INSERT INTO matrix_dm_rooms (user_id, room_id) VALUES (?, ?) "
            "ON CONFLICT (user_id) DO UPDATE SET room_id = excluded.room_id",
            (user_id, room_id),
        )

    async def dm_person(self, room_id: str) -> str | None:
        """Whose direct room this is, if it is one."""
        row = await self._db.fetchone(
            "SELECT user_id FROM matrix_dm_rooms WHERE room_id = ? LIMIT 1", (room_id,)
        )
        return row["user_id"] if row else None

    async def set_reactions(
        self, room_id: str, event_id: str, buttons: Iterable[tuple[str, str]]
    ) -> None:
        """Replace what the reactions on a message press: (key, custom id) pairs."""
        async with self._db.transaction() as tx:
            await tx.execute("DELETE FROM matrix_reactions WHERE event_id = ?", (event_id,))
            for key, custom_id in buttons:
                await tx.execute(
                    "INSERT INTO matrix_reactions (room_id, event_id, key, custom_id) "
                    "VALUES (?, ?, ?, ?)",
                    (room_id, event_id, key, custom_id),
                )

    async def pressed(self, room_id: str, event_id: str, key: str) -> str | None:
        """The button a reaction stands for, if the message has one with that key (and the
        reaction was made in the message's room)."""
        row = await self._db.fetchone(
            "SELECT custom_id FROM matrix_reactions WHERE event_id = ? AND key = ? AND room_id = ?",
            (event_id, key, room_id),
        )
        return row["custom_id"] if row else None

    async def reaction_keys(self, event_id: str) -> set[str]:
        rows = await self._db.fetchall(
            "SELECT key FROM matrix_reactions WHERE event_id = ?", (event_id,)
        )
        return {row["key"] for row in rows}
