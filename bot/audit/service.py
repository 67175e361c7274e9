"""Recording moderators' and admins' actions: a row in `audit_log` and a line in the log
channel chosen in /setup (DESIGN.md roles; the privacy issue)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.clock import Clock
from bot.community.service import CommunityService
from bot.db import Database, from_db, to_db
from bot.i18n import t
from bot.notify import Notifier
from bot.refs import FORMER, ChannelRef, RoleRef, UserRef, is_former, native_id
from bot.replies import Reply
from bot.text import inert

RECENT = 20
# How the stored details name a person: by id, never by name ("user:<@discord:42>").
_MENTION = re.compile(r"<@([^<>\s:]+:[^<>\s]+)>")


@dataclass(frozen=True)
class Entry:
    at: datetime
    actor_name: str
    action: str
    details: str


@dataclass(frozen=True)
class Described:
    """A command's options for the audit log: `stored` names people by id only, so that
    forgetting one person rewrites exactly their id; `people` are those named."""

    stored: str
    people: tuple[UserRef, ...] = ()


def mention(user_id: str) -> str:
    """A person in stored audit details: `<@discord:42>`, rendered with a name when read."""
    return f"<@{user_id}>"


def people_in(details: str) -> set[str]:
    return set(_MENTION.findall(details))


def describe(args: dict[str, Any]) -> Described:
    """Options as the user typed them, people by id, channels and roles by name:
    `name:Jura user:<@discord:42>`."""
    parts = []
    people = []
    for name, value in args.items():
        if isinstance(value, UserRef):
            shown = mention(value.id)
            people.append(value)
        elif isinstance(value, ChannelRef):
            shown = f"#{value.name}"
        elif isinstance(value, RoleRef):
            shown = f"@{value.name}"
        else:
            shown = json.dumps(value, ensure_ascii=False) if " " in str(value) else str(value)
        parts.append(f"{name}:{shown}")
    return Described(" ".join(parts), tuple(people))


def render(details: str, names: Mapping[str, str]) -> str:
    """Stored details for a reader: each id as the person's name now; a forgotten person
    as "former member" in the reader's language."""

    def one(match: re.Match[str]) -> str:
        user_id = match[1]
        if is_former(user_id):
            return f"@{t('privacy.former')}"
        return f"@{names.get(user_id) or native_id(user_id)}"

    return _MENTION.sub(one, details)


class AuditLog:
    def __init__(
        self, db: Database, clock: Clock, community: CommunityService, notifier: Notifier
    ) -> None:
        self._db = db
        self._clock = clock
        self._community = community
        self._notify = notifier

    async def record(self, guild_id: str, actor: UserRef, action: str, details: Described) -> None:
        at = self._clock.now()
        # The people named are remembered, so their names can be shown when the log is read.
        for person in details.people:
            if person.name:
                await self._community.remember(person)
        await self._db.insert(
            "INSERT INTO audit_log (guild_id, actor_id, actor_name, action, details, at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (guild_id, actor.id, actor.name, action, details.stored, to_db(at)),
        )
        log_channel = (await self._community.guild(guild_id)).log
        if log_channel is not None:
            shown = render(details.stored, {p.id: p.name for p in details.people if p.name})
            await self._notify.post(
                log_channel.id, guild_id, lambda: Reply(line(_shown(actor), action, shown))
            )

    async def recent(self, guild_id: str, limit: int = RECENT) -> list[Entry]:
        """The latest entries of this server, people shown with their names now."""
        rows = await self._db.fetchall(
            "SELECT at, actor_id, actor_name, action, details FROM audit_log WHERE guild_id = ? "
            "ORDER BY at DESC, id DESC LIMIT ?",
            (guild_id, limit),
        )
        names = await self._names(people_in(" ".join(r["details"] for r in rows)))
        return [
            Entry(
                from_db(r["at"]),
                _shown(UserRef(r["actor_id"], r["actor_name"])),
                r["action"],
                render(r["details"], names),
            )
            for r in rows
        ]

    async def _names(self, user_ids: Iterable[str]) -> dict[str, str]:
        ids = sorted(user_ids)
        if not ids:
            return {}
        rows = await self._db.fetchall(
            "SELECT user_id, display_name FROM users "
            f"WHERE user_id IN ({','.join('?' * len(ids))})",
            ids,
        )
        return {r["user_id"]: r["display_name"] for r in rows}


def line(actor: str, action: str, details: str) -> str:
    return t("audit.line", actor=inert(actor), command=inert(f"/{action} {details}".strip()))


def _shown(actor: UserRef) -> str:
    """An actor's name as the reader's language has it: one who was forgotten is "a
    former member" in the language the line is read in, not in their own."""
    return t("privacy.former") if actor.id.startswith(FORMER) else actor.name
