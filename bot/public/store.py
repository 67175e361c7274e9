"""SQL for the public page: each query carries the publication rule itself.

A server is shown only with `guild_config.public = 1`; a group only when active and not
hidden; an event only when announced, tied to no group (group events stay the group's,
bot/visibility.py) and in a public server. Nothing here joins members, answers' names,
sign-up entries' names or panels.
"""

from __future__ import annotations

import json
from datetime import datetime

from bot.db import Database, to_db
from bot.events.model import Event, Kind
from bot.events.store import EVENT_COLUMNS, event_from_row
from bot.groups.model import Group
from bot.groups.store import GROUP_COLUMNS, group_from_row
from bot.public.model import PublicMeeting, PublicServer
from bot.rows import FromRow

_PUBLIC_SERVER = "SELECT guild_id FROM guild_config WHERE public = 1"
_G = ", ".join("g." + c.strip() for c in GROUP_COLUMNS.split(","))
_E = ", ".join("e." + c.strip() for c in EVENT_COLUMNS.split(","))
_PUBLIC_GROUP = f"g.status = 'active' AND g.public = 1 AND g.guild_id IN ({_PUBLIC_SERVER})"
_PUBLIC_EVENT = (
    "e.group_id IS NULL AND e.kind != 'group' AND e.published_at IS NOT NULL "
    f"AND e.guild_id IN ({_PUBLIC_SERVER})"
)

_server = FromRow(PublicServer)
_meeting = FromRow(PublicMeeting)


class PublicStore:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def servers(self) -> list[PublicServer]:
        rows = await self._db.fetchall(
            "SELECT guild_id, invite, locale FROM guild_config WHERE public = 1 ORDER BY guild_id"
        )
        return [_server(r) for r in rows]

    async def groups(self) -> list[Group]:
        rows = await self._db.fetchall(
            f"SELECT {_G} FROM groups g WHERE {_PUBLIC_GROUP} "
            "ORDER BY g.region, g.name COLLATE NOCASE, g.id"
        )
        return [group_from_row(r) for r in rows]

    async def group(self, group_id: int) -> Group | None:
        row = await self._db.fetchone(
            f"SELECT {_G} FROM groups g WHERE g.id = ? AND {_PUBLIC_GROUP}", (group_id,)
        )
        return group_from_row(row) if row else None

    async def named_initiators(self, group_id: int) -> list[str]:
        """The names of initiators who chose show_name in /profile: the name they set
        there (`/profile set name:`), else their chat name."""
        rows = await self._db.fetchall(
            "SELECT COALESCE(NULLIF(p.full_name, ''), u.display_name) AS name "
            "FROM group_members m "
            "JOIN profiles p ON p.user_id = m.user_id AND p.show_name = 1 "
            "JOIN users u ON u.user_id = m.user_id "
            "WHERE m.group_id = ? AND m.is_initiator = 1 AND m.status = 'member' "
            "ORDER BY name COLLATE NOCASE",
            (group_id,),
        )
        return [r["name"] for r in rows]

    async def hosts(self, group_id: int) -> list[str]:
        row = await self._db.fetchone(
            "SELECT hosts FROM meeting_plans WHERE group_id = ?", (group_id,)
        )
        return [str(h) for h in json.loads(row["hosts"])] if row else []

    async def meetings(self, group_id: int, after: datetime, limit: int) -> list[PublicMeeting]:
        """The group's next planned meetings of its rotation: date and host library (what
        /group info shows every member of the server), never its events."""
        rows = await self._db.fetchall(
            "SELECT m.starts_at, m.host, p.timezone FROM meetings m "
            "JOIN meeting_plans p ON p.group_id = m.group_id "
            "WHERE m.group_id = ? AND m.status = 'planned' AND m.starts_at > ? "
            "ORDER BY m.starts_at LIMIT ?",
            (group_id, to_db(after), limit),
        )
        return [_meeting(r) for r in rows]

    async def events(
        self,
        after: datetime,
        *,
        kind: Kind | None = None,
        include_cancelled: bool = False,
        limit: int = 1000,
    ) -> list[Event]:
        sql = f"SELECT {_E} FROM events e WHERE {_PUBLIC_EVENT} AND e.ends_at > ?"
        params: list[object] = [to_db(after)]
        if kind is not None:
            sql += " AND e.kind = ?"
            params.append(kind.value)
        if not include_cancelled:
            sql += " AND e.status = 'scheduled'"
        sql += " ORDER BY e.starts_at, e.id LIMIT ?"
        params.append(limit)
        return [event_from_row(r) for r in await self._db.fetchall(sql, params)]

    async def event(self, event_id: int) -> Event | None:
        row = await self._db.fetchone(
            f"SELECT {_E} FROM events e WHERE e.id = ? AND {_PUBLIC_EVENT}", (event_id,)
        )
        return event_from_row(row) if row else None

    async def going(self, event_ids: list[int]) -> dict[int, int]:
        """How many answered going, per event (counts only, never who)."""
        if not event_ids:
            return {}
        marks = ",".join("?" * len(event_ids))
        rows = await self._db.fetchall(
            f"SELECT event_id, count(*) AS n FROM event_rsvps WHERE answer = 'going' "
            f"AND event_id IN ({marks}) GROUP BY event_id",
            event_ids,
        )
        return {r["event_id"]: r["n"] for r in rows}

    async def waitlists(self, event_ids: list[int]) -> dict[int, int]:
        """For sessions of a learning programme: how many wait on its sign-up sheet."""
        if not event_ids:
            return {}
        marks = ",".join("?" * len(event_ids))
        rows = await self._db.fetchall(
            "SELECT s.event_id, (SELECT count(*) FROM signup_entries x "
            "WHERE x.sheet_id = p.sheet_id AND x.status = 'waitlisted') AS n "
            "FROM learning_sessions s JOIN learning_programs p ON p.id = s.program_id "
            f"WHERE s.event_id IN ({marks})",
            event_ids,
        )
        return {r["event_id"]: r["n"] for r in rows}

    async def last_delivery(self) -> datetime | None:
        row = await self._db.fetchone(
            "SELECT max(done_at) AS at FROM outbox WHERE status IN ('sent', 'fallback')"
        )
        return datetime.fromisoformat(row["at"]) if row and row["at"] else None
