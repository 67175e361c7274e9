"""The Matrix front end's own rows: sync token, direct rooms, buttons shown as reactions and
the reactions people put on the bot's messages."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import astuple, dataclass

from bot.db import Database


@dataclass(frozen=True)
class Offer:
    """What one reaction on one of the bot's messages does: the button adding it presses
    and the one taking it back presses (either may be None)."""

    emoji: str
    custom_id: str | None
    undo_custom_id: str | None


@dataclass(frozen=True)
class Reacted:
    """A reaction someone (or the bot) put on one of the bot's messages."""

    reaction_id: str
    room_id: str
    message_id: str
    key: str
    user_id: str  # who reacted, "matrix:@anna:example.org"


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
        self, room_id: str, event_id: str, offers: Iterable[tuple[str, Offer]]
    ) -> None:
        """Replace what the reactions on a message do: (key, offer) pairs."""
        async with self._db.transaction() as tx:
            await tx.execute("DELETE FROM matrix_reactions WHERE event_id = ?", (event_id,))
            for key, offer in offers:
                await tx.execute(
                    "INSERT INTO matrix_reactions "
                    "(room_id, event_id, key, emoji, custom_id, undo_custom_id) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    (room_id, event_id, key, offer.emoji, offer.custom_id, offer.undo_custom_id),
                )

    async def offer(self, room_id: str, event_id: str, key: str) -> Offer | None:
        """What a reaction with this key does on the message, if the message offers it (and
        the reaction was made in the message's room)."""
        row = await self._db.fetchone(
            "SELECT emoji, custom_id, undo_custom_id FROM matrix_reactions "
            "WHERE event_id = ? AND key = ? AND room_id = ?",
            (event_id, key, room_id),
        )
        return Offer(row["emoji"], row["custom_id"], row["undo_custom_id"]) if row else None

    async def reaction_keys(self, event_id: str) -> set[str]:
        rows = await self._db.fetchall(
            "SELECT key FROM matrix_reactions WHERE event_id = ?", (event_id,)
        )
        return {row["key"] for row in rows}

    async def note_reaction(self, reacted: Reacted) -> None:
        await self._db.execute(
            "INSERT OR IGNORE INTO matrix_reacted "
            "(reaction_id, room_id, message_id, key, user_id) VALUES (?, ?, ?, ?, ?)",
            astuple(reacted),
        )

    async def forget_reaction(self, reaction_id: str) -> Reacted | None:
        """Take a reaction off the books (it was redacted); what it was, if it was known."""
        async with self._db.transaction() as tx:
            row = await tx.fetchone(
                "SELECT reaction_id, room_id, message_id, key, user_id FROM matrix_reacted "
                "WHERE reaction_id = ?",
                (reaction_id,),
            )
            await tx.execute("DELETE FROM matrix_reacted WHERE reaction_id = ?", (reaction_id,))
        return _reacted(row) if row else None

    async def reactions_on(self, message_id: str, *, key: str | None = None) -> list[Reacted]:
        """The reactions on a message (with one key only, if given), oldest first."""
        rows = await self._db.fetchall(
            "SELECT reaction_id, room_id, message_id, key, user_id FROM matrix_reacted "
            "WHERE message_id = ? AND (? IS NULL OR key = ?) ORDER BY rowid",
            (message_id, key, key),
        )
        return [_reacted(row) for row in rows]


def _reacted(row: sqlite3.Row) -> Reacted:
    return Reacted(
        row["reaction_id"], row["room_id"], row["message_id"], row["key"], row["user_id"]
    )
