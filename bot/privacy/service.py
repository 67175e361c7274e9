"""Export and erasure of a person's data (GDPR articles 15 and 17), over every table.

Which columns name a person, and what that makes of a row, is described once, table by
table, in bot/privacy/tables.py: a row whose *subject* column names the person is theirs and
is removed; any other column that names them records something they did for others
(`created_by`, `granted_by`, a panel's moderator…) and keeps the row with the name replaced
by an anonymous "former member" token. An export holds the same rows, with everyone else in
them replaced by a neutral word. Memberships and seats go through their features first, so
Discord roles are taken back and freed seats offered.
"""

from __future__ import annotations

import json
import re
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from bot.audit.service import mention, people_in
from bot.clock import Clock
from bot.community.service import CommunityService
from bot.db import Database, Transaction, to_db
from bot.groups.directory import GroupDirectory
from bot.groups.membership import Membership
from bot.i18n import t
from bot.privacy.tables import TABLES, Table, Word, is_person
from bot.refs import FORMER, UserRef
from bot.reminders.service import ReminderService
from bot.roles import GRANTABLE
from bot.signups.seats import Seats
from bot.visibility import core_acting_for

# The options of audited commands that named a person, in entries written before ids.
LEGACY_USER_OPTIONS = "user|initiator"


class KeptElsewhere(Protocol):
    """What a front end keeps about people outside the database (on Matrix, the devices
    and sessions in the encryption key store): export and forget reach it too."""

    @property
    def name(self) -> str:
        """Its name in an export and a report, like a table's (`privacy.table.<name>`)."""
        ...

    async def export(self, user_id: str) -> list[dict[str, Any]]:
        """What it keeps about the person, as rows; [] for nothing (or another platform)."""
        ...

    async def forget(self, user_id: str) -> int:
        """Remove what it keeps about the person; how many rows went."""
        ...


@dataclass(frozen=True)
class ForgetReport:
    removed: dict[str, int] = field(default_factory=dict)
    anonymized: dict[str, int] = field(default_factory=dict)


# Told who is about to be forgotten; what it returns runs once they are (e.g. a post
# edited so the person no longer shows on it).
ForgetListener = Callable[[str], Awaitable[Callable[[], Awaitable[None]]]]


class PrivacyService:
    def __init__(
        self,
        db: Database,
        clock: Clock,
        community: CommunityService,
        groups: GroupDirectory,
        membership: Membership,
        seats: Seats,
        reminders: ReminderService,
    ) -> None:
        self._db = db
        self._clock = clock
        self._community = community
        self._groups = groups
        self._membership = membership
        self._seats = seats
        self._reminders = reminders
        self._elsewhere: list[KeptElsewhere] = []
        self._forget_listeners: list[ForgetListener] = []

    def keep_elsewhere(self, source: KeptElsewhere) -> None:
        """A front end's store of people's data joins export and forget."""
        self._elsewhere.append(source)

    def on_forget(self, listener: ForgetListener) -> None:
        self._forget_listeners.append(listener)

    async def export(self, user_id: str) -> dict[str, list[dict[str, Any]]]:
        """Every row that names the person, by table, as they may see it: anyone else
        in it is a word in the current language, and what is theirs is left out."""
        words = {word: t(f"privacy.other.{word}") for word in Word}
        found: dict[str, list[dict[str, Any]]] = {}
        for table, rule in TABLES.items():
            if not rule.people and not rule.mentions:
                continue
            conditions = [f'"{p.column}" = ?' for p in rule.people]
            conditions += [f'instr("{c}", ?)' for c in rule.mentions]
            params = [user_id] * len(rule.people) + [mention(user_id)] * len(rule.mentions)
            rows = await self._db.fetchall(
                f'SELECT * FROM "{table}" WHERE {" OR ".join(conditions)}', params
            )
            if rows:
                found[table] = [_as_seen_by(user_id, rule, dict(row), words) for row in rows]
        for source in self._elsewhere:
            kept = await source.export(user_id)
            if kept:
                found[source.name] = kept
        return found

    def export_json(self, user: UserRef, data: dict[str, list[dict[str, Any]]]) -> bytes:
        document = {"user": user.id, "exported_at": to_db(self._clock.now()), "data": data}
        return json.dumps(document, ensure_ascii=False, indent=2, default=str).encode("utf-8")

    async def forget(self, user: UserRef, *, former_member: str) -> ForgetReport:
        """Remove what is the person's, anonymize what others need; the report says which.
        Then what showed the person is said again without them (the listeners)."""
        afterwards = [await listener(user.id) for listener in self._forget_listeners]
        await self._leave_everything(user)
        await self._reminders.let_go(user.id)
        token = f"{FORMER}:{secrets.token_hex(4)}"
        removed: dict[str, int] = {}
        anonymized: dict[str, int] = {}
        names = await self._names_of(user.id)
        shared = await self._names_shared(names, user.id)
        kept = await self._past_seats(user.id)
        async with self._db.transaction() as tx:
            if kept:
                # A confirmed seat in a past list stays so the list still adds up.
                count = await tx.execute(
                    "UPDATE signup_entries SET user_id = ?, name = ? WHERE user_id = ? AND "
                    f"seq IN ({','.join('?' * len(kept))})",
                    [token, former_member, user.id, *kept],
                )
                anonymized["signup_entries"] = count
            # A channel reminder is the channel's: others wait for it, so it stays, with
            # its author anonymized, like a past seat.
            _add(
                anonymized,
                "reminders",
                await tx.execute(
                    "UPDATE reminders SET owner_id = ? WHERE owner_id = ? AND kind = 'channel'",
                    (token, user.id),
                ),
            )
            for table, rule in TABLES.items():
                for person in rule.people:
                    if person.subject:
                        count = await tx.execute(
                            f'DELETE FROM "{table}" WHERE "{person.column}" = ?', (user.id,)
                        )
                        _add(removed, table, count)
                        continue
                    # Only this id's own copy of the name (moderator_id → moderator_name),
                    # never another column that happens to be called "name".
                    renamed = f', "{person.name}" = ?' if person.name else ""
                    count = await tx.execute(
                        f'UPDATE "{table}" SET "{person.column}" = ?{renamed} '
                        f'WHERE "{person.column}" = ?',
                        (token, *([former_member] if person.name else []), user.id),
                    )
                    _add(anonymized, table, count)
                # The audit log names people by id ("user:<@discord:42>"): exactly this id
                # is replaced, in every server's log, and nobody whose name merely begins
                # alike.
                for column in rule.mentions:
                    await tx.execute(
                        f'UPDATE "{table}" SET "{column}" = replace("{column}", ?, ?) '
                        f'WHERE instr("{column}", ?)',
                        (mention(user.id), mention(token), mention(user.id)),
                    )
            await _forget_legacy_mentions(tx, names, shared, mention(token))
        # secure_delete zeroed the freed space; the checkpoint empties the -wal file, where
        # earlier images of the changed pages (with the erased text) would otherwise remain.
        await self._db.checkpoint()
        for source in self._elsewhere:
            _add(removed, source.name, await source.forget(user.id))
        for after in afterwards:
            await after()
        return ForgetReport(removed, anonymized)

    async def set_transcripts(self, user: UserRef, *, allowed: bool) -> None:
        await self._community.remember(user)
        await self._db.execute(
            "INSERT INTO user_prefs (user_id, transcripts_optout, updated_at) VALUES (?, ?, ?) "
            "ON CONFLICT (user_id) DO UPDATE SET transcripts_optout = excluded.transcripts_optout",
            (user.id, int(not allowed), to_db(self._clock.now())),
        )

    async def opted_out(self, user_ids: set[str]) -> set[str]:
        """Of these people, who asked to be left out of panel transcripts."""
        if not user_ids:
            return set()
        ids = sorted(user_ids)
        rows = await self._db.fetchall(
            "SELECT user_id FROM user_prefs WHERE transcripts_optout = 1 "
            f"AND user_id IN ({','.join('?' * len(ids))})",
            ids,
        )
        return {r[0] for r in rows}

    async def transcripts_allowed(self, user_id: str) -> bool:
        row = await self._db.fetchone(
            "SELECT transcripts_optout FROM user_prefs WHERE user_id = ?", (user_id,)
        )
        return not (row and row[0])

    async def _leave_everything(self, user: UserRef) -> None:
        """Through the features, so platform roles go and freed seats are offered on."""
        for guild_id in await self._guilds_of(user.id):
            for group in await self._groups.groups_of(guild_id, user.id):
                await self._membership.leave(group, user.id)
            for role in GRANTABLE:
                await self._community.revoke(guild_id, user, role)
        for sheet_id, slot in await self._future_seats(user.id):
            # Their groups were left above: the core gives the seats back for them.
            await self._seats.leave(sheet_id, slot, core_acting_for(user))

    async def _guilds_of(self, user_id: str) -> set[str]:
        rows = await self._db.fetchall(
            "SELECT g.guild_id FROM group_members m JOIN groups g ON g.id = m.group_id "
            "WHERE m.user_id = ? UNION SELECT guild_id FROM role_grants WHERE user_id = ?",
            (user_id, user_id),
        )
        return {r[0] for r in rows}

    async def _future_seats(self, user_id: str) -> list[tuple[int, int]]:
        rows = await self._db.fetchall(
            "SELECT e.sheet_id, e.slot FROM signup_entries e JOIN signup_slots s "
            "ON s.sheet_id = e.sheet_id AND s.number = e.slot "
            "WHERE e.user_id = ? AND s.starts_at >= ?",
            (user_id, to_db(self._clock.now())),
        )
        return [(r[0], r[1]) for r in rows]

    async def _past_seats(self, user_id: str) -> list[int]:
        rows = await self._db.fetchall(
            "SELECT e.seq FROM signup_entries e JOIN signup_slots s "
            "ON s.sheet_id = e.sheet_id AND s.number = e.slot "
            "WHERE e.user_id = ? AND e.status = 'confirmed' AND s.starts_at < ?",
            (user_id, to_db(self._clock.now())),
        )
        return [r[0] for r in rows]

    async def _names_of(self, user_id: str) -> set[str]:
        row = await self._db.fetchone(
            "SELECT display_name FROM users WHERE user_id = ?", (user_id,)
        )
        return {row[0]} if row and row[0] else set()

    async def _names_shared(self, names: set[str], user_id: str) -> set[str]:
        """Of these names, those someone else is known by too."""
        shared = set()
        for name in names:
            row = await self._db.fetchone(
                "SELECT 1 FROM users WHERE display_name = ? AND user_id != ?", (name, user_id)
            )
            if row:
                shared.add(name)
        return shared


def _as_seen_by(
    user_id: str, rule: Table, row: dict[str, Any], words: dict[Word, str]
) -> dict[str, Any]:
    """The row as the person may have it: everyone else in it becomes a word (their id
    and their name), what is theirs (`owns`) is left out, and so are mentions of them."""
    others = [p for p in rule.people if row[p.column] != user_id and is_person(row[p.column])]
    hidden = {column for person in others for column in person.owns}
    seen = {column: value for column, value in row.items() if column not in hidden}
    for person in others:
        seen[person.column] = words[person.word]
        if person.name is not None:
            seen[person.name] = words[person.word]
    for column in rule.mentions:
        for other in people_in(seen[column] or "") - {user_id}:
            seen[column] = seen[column].replace(mention(other), words[Word.MEMBER])
    return seen


async def _forget_legacy_mentions(
    tx: Transaction, names: set[str], shared: set[str], replacement: str
) -> None:
    """Audit entries from before ids (migration 0013 turned every name that was one known
    person's into their id) may still name the person: only an option value that is
    exactly the name is replaced. A name someone else also has is left alone: which of
    them an old line meant cannot be told, and the rule is to touch only this person."""
    for name in names - shared:
        pattern = re.compile(
            rf"((?:^| )(?:{LEGACY_USER_OPTIONS}):)@{re.escape(name)}(?= [a-z_]+:|$)"
        )
        rows = await tx.fetchall(
            "SELECT id, details FROM audit_log WHERE instr(details, ?)", (f":@{name}",)
        )
        for row in rows:
            details = pattern.sub(lambda m: m[1] + replacement, row["details"])
            if details != row["details"]:
                await tx.execute(
                    "UPDATE audit_log SET details = ? WHERE id = ?", (details, row["id"])
                )


def _add(counts: dict[str, int], table: str, count: int) -> None:
    if count:
        counts[table] = counts.get(table, 0) + count
