"""Recording moderators' and admins' actions: a row in `audit_log` and a line in the log
channel chosen in /setup (DESIGN.md roles; the privacy issue)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.clock import Clock
from bot.community.service import CommunityService
from bot.db import Database, from_db, to_db
from bot.i18n import t
from bot.notify import Notifier
from bot.refs import ChannelRef, RoleRef, UserRef
from bot.replies import Reply
from bot.text import inert

RECENT = 20


@dataclass(frozen=True)
class Entry:
    at: datetime
    actor_name: str
    action: str
    details: str


def describe(args: dict[str, Any]) -> str:
    """Options as the user typed them, people and channels by name: `name:Jura user:@Ewa`."""
    parts = []
    for name, value in args.items():
        if isinstance(value, UserRef):
            shown = f"@{value.name}"
        elif isinstance(value, ChannelRef):
            shown = f"#{value.name}"
        elif isinstance(value, RoleRef):
            shown = f"@{value.name}"
        else:
            shown = json.dumps(value, ensure_ascii=False) if " " in str(value) else str(value)
        parts.append(f"{name}:{shown}")
    return " ".join(parts)


class AuditLog:
    def __init__(
        self, db: Database, clock: Clock, community: CommunityService, notifier: Notifier
    ) -> None:
        self._db = db
        self._clock = clock
        self._community = community
        self._notify = notifier

    async def record(self, guild_id: str, actor: UserRef, action: str, details: str) -> None:
        at = self._clock.now()
        await self._db.insert(
            "INSERT INTO audit_log (guild_id, actor_id, actor_name, action, details, at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (guild_id, actor.id, actor.name, action, details, to_db(at)),
        )
        log_channel = (await self._community.guild(guild_id)).log
        if log_channel is not None:
            await self._notify.post(
                log_channel.id, guild_id, lambda: Reply(line(actor.name, action, details))
            )

    async def recent(self, guild_id: str, limit: int = RECENT) -> list[Entry]:
        rows = await self._db.fetchall(
            "SELECT at, actor_name, action, details FROM audit_log WHERE guild_id = ? "
            "ORDER BY at DESC, id DESC LIMIT ?",
            (guild_id, limit),
        )
        return [Entry(from_db(r["at"]), r["actor_name"], r["action"], r["details"]) for r in rows]


def line(actor: str, action: str, details: str) -> str:
    return t("audit.line", actor=inert(actor), command=inert(f"/{action} {details}".strip()))
