"""SQL for guild configuration, users, preferences, role grants and mappings."""

from __future__ import annotations

from datetime import datetime

from bot.community.model import GuildConfig, RoleGrant, RoleMapping, UserPrefs
from bot.db import Database
from bot.refs import ChannelRef, RoleRef, UserRef
from bot.roles import Role
from bot.rows import FromRow

_prefs = FromRow(UserPrefs, given=("user_id",))
# Each channel is stored in two columns: its id and its name.
_guild = FromRow(
    GuildConfig,
    forum=lambda row: _channel(row["forum_channel_id"], row["forum_channel"]),
    log=lambda row: _channel(row["log_channel_id"], row["log_channel"]),
)


class CommunityStore:
    def __init__(self, db: Database) -> None:
        self._db = db
        # A server's settings are read by every message written in its language and
        # change only through save_guild (one process per database), so each is read once.
        self._guilds: dict[str, GuildConfig] = {}

    async def remember_user(self, user: UserRef, now: datetime) -> None:
        await self._db.execute(
            "INSERT INTO users (user_id, display_name, updated_at) VALUES (?, ?, ?) "
            "ON CONFLICT (user_id) DO UPDATE SET display_name = excluded.display_name, "
            "updated_at = excluded.updated_at WHERE display_name != excluded.display_name",
            (user.id, user.name, now.isoformat()),
        )

    async def display_name(self, user_id: str) -> str | None:
        row = await self._db.fetchone(
            "SELECT display_name FROM users WHERE user_id = ?", (user_id,)
        )
        return row["display_name"] if row else None

    async def prefs(self, user_id: str) -> UserPrefs:
        row = await self._db.fetchone(
            "SELECT locale, timezone FROM user_prefs WHERE user_id = ?", (user_id,)
        )
        return _prefs(row, user_id=user_id) if row else UserPrefs(user_id)

    async def locales_of(self, user_ids: set[str]) -> dict[str, str]:
        """The chosen language of each of these users who chose one."""
        if not user_ids:
            return {}
        marks = ",".join("?" * len(user_ids))
        rows = await self._db.fetchall(
            f"SELECT user_id, locale FROM user_prefs WHERE locale IS NOT NULL "
            f"AND user_id IN ({marks})",
            list(user_ids),
        )
        return {r["user_id"]: r["locale"] for r in rows}

    async def save_prefs(self, prefs: UserPrefs, now: datetime) -> None:
        await self._db.execute(
            "INSERT INTO user_prefs (user_id, locale, timezone, updated_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (user_id) DO UPDATE SET locale = excluded.locale, "
            "timezone = excluded.timezone, updated_at = excluded.updated_at",
            (prefs.user_id, prefs.locale, prefs.timezone, now.isoformat()),
        )

    async def guild(self, guild_id: str) -> GuildConfig:
        known = self._guilds.get(guild_id)
        if known is None:
            row = await self._db.fetchone(
                "SELECT * FROM guild_config WHERE guild_id = ?", (guild_id,)
            )
            known = self._guilds[guild_id] = _guild(row) if row else GuildConfig(guild_id)
        return known

    async def save_guild(self, config: GuildConfig, now: datetime) -> None:
        forum, log = config.forum, config.log
        await self._db.execute(
            "INSERT INTO guild_config (guild_id, locale, timezone, forum_channel_id, "
            "forum_channel, log_channel_id, log_channel, public, invite, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (guild_id) DO UPDATE SET "
            "locale = excluded.locale, timezone = excluded.timezone, "
            "forum_channel_id = excluded.forum_channel_id, forum_channel = excluded.forum_channel, "
            "log_channel_id = excluded.log_channel_id, log_channel = excluded.log_channel, "
            "public = excluded.public, invite = excluded.invite, "
            "updated_at = excluded.updated_at",
            (
                config.guild_id,
                config.locale,
                config.timezone,
                forum.id if forum else None,
                forum.name if forum else None,
                log.id if log else None,
                log.name if log else None,
                int(config.public),
                config.invite,
                now.isoformat(),
            ),
        )
        self._guilds[config.guild_id] = config

    async def granted_roles(self, guild_id: str, user_id: str) -> set[Role]:
        rows = await self._db.fetchall(
            "SELECT role FROM role_grants WHERE guild_id = ? AND user_id = ?", (guild_id, user_id)
        )
        return {Role[row["role"].upper()] for row in rows}

    async def grant(self, guild_id: str, user: UserRef, role: Role, by: str, now: datetime) -> bool:
        """True when the grant is new."""
        async with self._db.transaction() as tx:
            await tx.execute(
                "INSERT INTO users (user_id, display_name, updated_at) VALUES (?, ?, ?) "
                "ON CONFLICT (user_id) DO UPDATE SET display_name = excluded.display_name",
                (user.id, user.name, now.isoformat()),
            )
            changed = await tx.execute(
                "INSERT OR IGNORE INTO role_grants (guild_id, user_id, role, granted_by, "
                "granted_at) VALUES (?, ?, ?, ?, ?)",
                (guild_id, user.id, role.key, by, now.isoformat()),
            )
        return changed == 1

    async def revoke(self, guild_id: str, user_id: str, role: Role) -> bool:
        """True when there was such a grant."""
        return bool(
            await self._db.execute(
                "DELETE FROM role_grants WHERE guild_id = ? AND user_id = ? AND role = ?",
                (guild_id, user_id, role.key),
            )
        )

    async def grants(self, guild_id: str) -> list[RoleGrant]:
        rows = await self._db.fetchall(
            "SELECT g.user_id, g.role, COALESCE(u.display_name, g.user_id) AS name "
            "FROM role_grants g LEFT JOIN users u ON u.user_id = g.user_id "
            "WHERE g.guild_id = ? ORDER BY g.role DESC, name COLLATE NOCASE",
            (guild_id,),
        )
        return [RoleGrant(r["user_id"], r["name"], Role[r["role"].upper()]) for r in rows]

    async def mappings(self, guild_id: str) -> list[RoleMapping]:
        rows = await self._db.fetchall(
            "SELECT role, platform_role_id, platform_role_name FROM role_mappings "
            "WHERE guild_id = ?",
            (guild_id,),
        )
        return [
            RoleMapping(
                Role[r["role"].upper()], RoleRef(r["platform_role_id"], r["platform_role_name"])
            )
            for r in rows
        ]

    async def save_mapping(self, guild_id: str, mapping: RoleMapping) -> None:
        await self._db.execute(
            "INSERT INTO role_mappings (guild_id, role, platform_role_id, platform_role_name) "
            "VALUES (?, ?, ?, ?) ON CONFLICT (guild_id, role) DO UPDATE SET "
            "platform_role_id = excluded.platform_role_id, "
            "platform_role_name = excluded.platform_role_name",
            (guild_id, mapping.role.key, mapping.platform_role.id, mapping.platform_role.name),
        )


def _channel(channel_id: str | None, name: str | None) -> ChannelRef | None:
    return ChannelRef(channel_id, name or channel_id) if channel_id else None
