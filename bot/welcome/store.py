"""SQL for the welcome: who was greeted where, and each server's "Start here" message."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.db import Database, to_db
from bot.refs import ChannelRef


@dataclass(frozen=True)
class StartHerePost:
    """Where a server's "Start here" message is."""

    channel: ChannelRef
    message_id: str


class WelcomeStore:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def claim_greeting(self, guild_id: str, user_id: str, now: datetime) -> bool:
        """Note that the person is greeted in this server; False when they were before.
        Claimed before the greeting is sent: a crash in between loses one greeting rather
        than sending two."""
        changed = await self._db.execute(
            "INSERT INTO welcome_greeted (guild_id, user_id, greeted_at) VALUES (?, ?, ?) "
            "ON CONFLICT (guild_id, user_id) DO NOTHING",
            (guild_id, user_id, to_db(now)),
        )
        return changed == 1

    async def post(self, guild_id: str) -> StartHerePost | None:
        row = await self._db.fetchone(
            "SELECT channel_id, channel_name, message_id FROM welcome_posts WHERE guild_id = ?",
            (guild_id,),
        )
        if row is None:
            return None
        return StartHerePost(ChannelRef(row["channel_id"], row["channel_name"]), row["message_id"])

    async def save_post(self, guild_id: str, post: StartHerePost, now: datetime) -> None:
        await self._db.execute(
            "INSERT INTO welcome_posts (guild_id, channel_id, channel_name, message_id, "
            "updated_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (guild_id) DO UPDATE SET "
            "channel_id = excluded.channel_id, channel_name = excluded.channel_name, "
            "message_id = excluded.message_id, updated_at = excluded.updated_at",
            (guild_id, post.channel.id, post.channel.name, post.message_id, to_db(now)),
        )
