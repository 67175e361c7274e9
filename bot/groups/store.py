"""SQL for groups, members, profiles, meetings and proposals to start a group."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Sequence
from datetime import datetime

from bot.db import Database, Transaction, from_db, to_db
from bot.errors import UserError
from bot.groups.model import (
    DECISION_LETTER,
    Group,
    Meeting,
    MeetingPlan,
    Member,
    MemberStatus,
    Profile,
    Proposal,
    ProposalStatus,
)
from bot.outbox import Letter, record
from bot.ports import MessageRef
from bot.rows import FromRow

_GROUP = (
    "id, guild_id, name, city, region, country, lat, lon, description, join_mode, status, "
    "role_id, role_name, channel_id, channel_name, public"
)
_MEETING = "id, group_id, seq, host, starts_at, topic, status, reminded"


_group = FromRow(Group)
_meeting = FromRow(Meeting)
_member = FromRow(Member)
_profile = FromRow(Profile)
_plan = FromRow(MeetingPlan)

# For readers of groups outside this feature (the public page, bot/public/).
GROUP_COLUMNS = _GROUP
group_from_row = _group
meeting_from_row = _meeting


_proposal = FromRow(Proposal)


class GroupStore:
    def __init__(self, db: Database) -> None:
        self._db = db

    # -- groups ----------------------------------------------------------------------

    async def add(
        self, group: Group, name_key: str, place_id: str | None, by: str, now: datetime
    ) -> int | None:
        """The new group's id, or None when the name is taken in this guild."""
        try:
            return await self._db.insert(
                "INSERT INTO groups (guild_id, name, name_key, city, place_id, region, country, "
                "lat, lon, description, join_mode, created_by, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    group.guild_id,
                    group.name,
                    name_key,
                    group.city,
                    place_id,
                    group.region,
                    group.country,
                    group.lat,
                    group.lon,
                    group.description,
                    group.join_mode.value,
                    by,
                    to_db(now),
                ),
            )
        except sqlite3.IntegrityError:
            return None

    async def by_key(self, guild_id: str, name_key: str) -> Group | None:
        row = await self._db.fetchone(
            f"SELECT {_GROUP} FROM groups WHERE guild_id = ? AND name_key = ?",
            (guild_id, name_key),
        )
        return _group(row) if row else None

    async def get(self, group_id: int) -> Group | None:
        row = await self._db.fetchone(f"SELECT {_GROUP} FROM groups WHERE id = ?", (group_id,))
        return _group(row) if row else None

    async def all(self, guild_id: str, *, include_archived: bool = False) -> list[Group]:
        rows = await self._db.fetchall(
            f"SELECT {_GROUP} FROM groups WHERE guild_id = ? AND (? OR status = 'active') "
            "ORDER BY region, name COLLATE NOCASE",
            (guild_id, include_archived),
        )
        return [_group(r) for r in rows]

    async def created_since(self, guild_id: str, since: datetime) -> list[Group]:
        """The server's active groups created at or after `since`, oldest first."""
        rows = await self._db.fetchall(
            f"SELECT {_GROUP} FROM groups WHERE guild_id = ? AND status = 'active' "
            "AND created_at >= ? ORDER BY created_at, id",
            (guild_id, to_db(since)),
        )
        return [_group(r) for r in rows]

    async def by_channel(self, channel_id: str) -> Group | None:
        row = await self._db.fetchone(
            f"SELECT {_GROUP} FROM groups WHERE channel_id = ?", (channel_id,)
        )
        return _group(row) if row else None

    async def by_role(self, role_id: str) -> Group | None:
        row = await self._db.fetchone(f"SELECT {_GROUP} FROM groups WHERE role_id = ?", (role_id,))
        return _group(row) if row else None

    async def update(self, group: Group, name_key: str) -> bool:
        """False when the new name is taken."""
        try:
            await self._db.execute(
                "UPDATE groups SET name = ?, name_key = ?, city = ?, region = ?, country = ?, "
                "lat = ?, lon = ?, description = ?, join_mode = ?, status = ?, role_id = ?, "
                "role_name = ?, channel_id = ?, channel_name = ?, public = ? WHERE id = ?",
                (
                    group.name,
                    name_key,
                    group.city,
                    group.region,
                    group.country,
                    group.lat,
                    group.lon,
                    group.description,
                    group.join_mode.value,
                    group.status.value,
                    group.role_id,
                    group.role_name,
                    group.channel_id,
                    group.channel_name,
                    int(group.public),
                    group.id,
                ),
            )
        except sqlite3.IntegrityError:
            return False
        return True

    async def delete(self, group_id: int) -> None:
        await self._db.execute("DELETE FROM groups WHERE id = ?", (group_id,))

    # -- members ---------------------------------------------------------------------

    async def membership(self, group_id: int, user_id: str) -> tuple[MemberStatus, bool] | None:
        row = await self._db.fetchone(
            "SELECT status, is_initiator FROM group_members WHERE group_id = ? AND user_id = ?",
            (group_id, user_id),
        )
        return (MemberStatus(row["status"]), bool(row["is_initiator"])) if row else None

    async def add_member(
        self,
        group_id: int,
        user_id: str,
        status: MemberStatus,
        now: datetime,
        letters: Sequence[Letter] = (),
    ) -> tuple[int, ...] | None:
        """Add the person, and record the outbox letters that come with it (a request
        for the initiators) in the same transaction; the letters' ids, or None when the
        person was there already (never a duplicate row)."""
        async with self._db.transaction() as tx:
            changed = await tx.execute(
                "INSERT OR IGNORE INTO group_members (group_id, user_id, status, since) "
                "VALUES (?, ?, ?, ?)",
                (group_id, user_id, status.value, to_db(now)),
            )
            if changed != 1:
                return None
            return tuple(await record(tx, letters, now))

    async def decide(
        self,
        group: Group,
        user_id: str,
        *,
        approve: bool,
        now: datetime,
        asks_again: datetime | None = None,
    ) -> tuple[int, ...] | None:
        """Approve (a member now) or decline (the row goes) a pending request, with the
        letter that tells the person, in one transaction; None when it was not pending.
        A decline records when the person may ask again (`asks_again`), and sweeps out
        the records whose time has passed, so they stay few."""
        async with self._db.transaction() as tx:
            if approve:
                changed = await tx.execute(
                    "UPDATE group_members SET status = 'member' WHERE group_id = ? "
                    "AND user_id = ? AND status = 'pending'",
                    (group.id, user_id),
                )
            else:
                changed = await tx.execute(
                    "DELETE FROM group_members WHERE group_id = ? AND user_id = ? "
                    "AND status = 'pending'",
                    (group.id, user_id),
                )
            if changed != 1:
                return None
            if approve:
                await tx.execute(
                    "DELETE FROM group_declines WHERE group_id = ? AND user_id = ?",
                    (group.id, user_id),
                )
            elif asks_again is not None:
                await tx.execute("DELETE FROM group_declines WHERE asks_again <= ?", (to_db(now),))
                await tx.execute(
                    "INSERT INTO group_declines (group_id, user_id, asks_again) "
                    "VALUES (?, ?, ?) ON CONFLICT (group_id, user_id) "
                    "DO UPDATE SET asks_again = excluded.asks_again",
                    (group.id, user_id, to_db(asks_again)),
                )
            letter = Letter(
                DECISION_LETTER,
                group.guild_id,
                {"group": group.id, "approved": approve},
                user_id=user_id,
            )
            return tuple(await record(tx, [letter], now))

    async def asks_again(self, group_id: int, user_id: str, now: datetime) -> datetime | None:
        """When a person whose request this group declined may ask again; None when they
        may now."""
        row = await self._db.fetchone(
            "SELECT asks_again FROM group_declines WHERE group_id = ? AND user_id = ? "
            "AND asks_again > ?",
            (group_id, user_id, to_db(now)),
        )
        return from_db(row[0]) if row else None

    async def admit_waiting(
        self, group: Group, now: datetime, *, answered: str | None = None
    ) -> tuple[list[str], tuple[int, ...]]:
        """Let in every request waiting for a group that now lets everyone in, with a
        letter that tells each person (but `answered`, who is told in the answer), in one
        transaction: (who was let in, the letters' ids)."""
        async with self._db.transaction() as tx:
            rows = await tx.fetchall(
                "SELECT user_id FROM group_members WHERE group_id = ? AND status = 'pending' "
                "ORDER BY since, user_id",
                (group.id,),
            )
            admitted = [r[0] for r in rows]
            if not admitted:
                return [], ()
            await tx.execute(
                "UPDATE group_members SET status = 'member' WHERE group_id = ? "
                "AND status = 'pending'",
                (group.id,),
            )
            letters = [
                Letter(
                    DECISION_LETTER,
                    group.guild_id,
                    {"group": group.id, "approved": True, "opened": True},
                    user_id=user_id,
                )
                for user_id in admitted
                if user_id != answered
            ]
            return admitted, tuple(await record(tx, letters, now))

    async def has_initiator(self, group_id: int) -> bool:
        row = await self._db.fetchone(
            "SELECT 1 FROM group_members WHERE group_id = ? AND is_initiator = 1 LIMIT 1",
            (group_id,),
        )
        return row is not None

    async def waiting(self, group_id: int) -> int:
        """How many requests to join the group wait for a decision."""
        row = await self._db.fetchone(
            "SELECT count(*) FROM group_members WHERE group_id = ? AND status = 'pending'",
            (group_id,),
        )
        return int(row[0]) if row else 0

    async def add_request_if_room(
        self,
        group: Group,
        user_id: str,
        now: datetime,
        limit: int,
        letters: Sequence[Letter] = (),
    ) -> tuple[int, ...] | None:
        """A join request with its letters, unless the person already has `limit` waiting
        in the group's server (refused, in the same transaction as the count): the
        letters' ids, or None when already a member or waiting."""
        async with self._db.transaction() as tx:
            if await tx.fetchone(
                "SELECT 1 FROM group_members WHERE group_id = ? AND user_id = ?",
                (group.id, user_id),
            ):
                return None
            row = await tx.fetchone(
                "SELECT count(*) FROM group_members m JOIN groups g ON g.id = m.group_id "
                "WHERE g.guild_id = ? AND m.user_id = ? AND m.status = 'pending'",
                (group.guild_id, user_id),
            )
            if row and row[0] >= limit:
                raise UserError("error.group.too_many_requests", max=limit)
            await tx.execute(
                "INSERT INTO group_members (group_id, user_id, status, since) "
                "VALUES (?, ?, 'pending', ?)",
                (group.id, user_id, to_db(now)),
            )
            return tuple(await record(tx, letters, now))

    async def set_initiator(self, group_id: int, user_id: str, flag: bool, now: datetime) -> None:
        await self._db.execute(
            "INSERT INTO group_members (group_id, user_id, status, is_initiator, since) "
            "VALUES (?, ?, 'member', ?, ?) ON CONFLICT (group_id, user_id) DO UPDATE SET "
            "is_initiator = excluded.is_initiator, status = 'member'",
            (group_id, user_id, int(flag), to_db(now)),
        )

    async def remove_member(self, group_id: int, user_id: str) -> bool:
        changed = await self._db.execute(
            "DELETE FROM group_members WHERE group_id = ? AND user_id = ?", (group_id, user_id)
        )
        return changed == 1

    async def members(self, group_id: int) -> list[Member]:
        rows = await self._db.fetchall(
            "SELECT m.user_id, m.status, m.is_initiator, COALESCE(u.display_name, m.user_id) "
            "AS name, COALESCE(p.library, '') AS library, COALESCE(p.town, '') AS town "
            "FROM group_members m LEFT JOIN users u ON u.user_id = m.user_id "
            "LEFT JOIN profiles p ON p.user_id = m.user_id WHERE m.group_id = ? "
            "ORDER BY m.is_initiator DESC, name COLLATE NOCASE",
            (group_id,),
        )
        return [_member(r) for r in rows]

    async def insider_groups(self, guild_id: str, user_id: str) -> list[tuple[int, bool]]:
        """(group id, is initiator) of every group of the server the user is a member of."""
        rows = await self._db.fetchall(
            "SELECT m.group_id, m.is_initiator FROM group_members m "
            "JOIN groups g ON g.id = m.group_id "
            "WHERE g.guild_id = ? AND m.user_id = ? AND m.status = 'member'",
            (guild_id, user_id),
        )
        return [(r["group_id"], bool(r["is_initiator"])) for r in rows]

    async def groups_initiated_by(self, guild_id: str, user_id: str) -> list[Group]:
        return await self._groups_with(guild_id, user_id, "m.is_initiator = 1")

    async def groups_of(self, guild_id: str, user_id: str) -> list[Group]:
        return await self._groups_with(guild_id, user_id, "m.status = 'member'")

    async def _groups_with(self, guild_id: str, user_id: str, condition: str) -> list[Group]:
        columns = ", ".join("g." + c.strip() for c in _GROUP.split(","))
        rows = await self._db.fetchall(
            f"SELECT {columns} FROM groups g JOIN group_members m ON m.group_id = g.id "
            f"WHERE g.guild_id = ? AND m.user_id = ? AND {condition} "
            "ORDER BY g.name COLLATE NOCASE",
            (guild_id, user_id),
        )
        return [_group(r) for r in rows]

    # -- profiles --------------------------------------------------------------------

    async def profile(self, user_id: str) -> Profile | None:
        row = await self._db.fetchone(
            "SELECT user_id, library, town, show_name, full_name FROM profiles WHERE user_id = ?",
            (user_id,),
        )
        return _profile(row) if row else None

    async def save_profile(self, profile: Profile, now: datetime) -> None:
        await self._db.execute(
            "INSERT INTO profiles (user_id, library, town, show_name, full_name, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (user_id) DO UPDATE SET library = excluded.library, "
            "town = excluded.town, show_name = excluded.show_name, "
            "full_name = excluded.full_name, updated_at = excluded.updated_at",
            (
                profile.user_id,
                profile.library,
                profile.town,
                int(profile.show_name),
                profile.full_name,
                to_db(now),
            ),
        )

    # -- meetings --------------------------------------------------------------------

    async def save_plan(self, plan: MeetingPlan, by: str, now: datetime) -> None:
        await self._db.execute(
            "INSERT INTO meeting_plans (group_id, hosts, every_months, every_weeks, dates, topic, "
            "timezone, created_by, created_at, rule) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (group_id) DO UPDATE SET hosts = excluded.hosts, "
            "every_months = excluded.every_months, every_weeks = excluded.every_weeks, "
            "dates = excluded.dates, topic = excluded.topic, timezone = excluded.timezone, "
            "rule = excluded.rule",
            (
                plan.group_id,
                json.dumps(list(plan.hosts), ensure_ascii=False),
                plan.every_months,
                plan.every_weeks,
                json.dumps([to_db(d) for d in plan.dates]),
                plan.topic,
                plan.timezone,
                by,
                to_db(now),
                plan.rule,
            ),
        )

    async def plan(self, group_id: int) -> MeetingPlan | None:
        row = await self._db.fetchone("SELECT * FROM meeting_plans WHERE group_id = ?", (group_id,))
        return _plan(row) if row else None

    async def add_meeting(self, meeting: Meeting) -> int:
        return await self._db.insert(
            "INSERT INTO meetings (group_id, seq, host, starts_at, topic, status) "
            "VALUES (?, ?, ?, ?, ?, 'planned')",
            (meeting.group_id, meeting.seq, meeting.host, to_db(meeting.starts_at), meeting.topic),
        )

    async def meeting(self, meeting_id: int) -> Meeting | None:
        row = await self._db.fetchone(
            f"SELECT {_MEETING} FROM meetings WHERE id = ?", (meeting_id,)
        )
        return _meeting(row) if row else None

    async def next_meeting(self, group_id: int) -> Meeting | None:
        row = await self._db.fetchone(
            f"SELECT {_MEETING} FROM meetings WHERE group_id = ? AND status = 'planned' "
            "ORDER BY starts_at LIMIT 1",
            (group_id,),
        )
        return _meeting(row) if row else None

    async def set_meeting(self, meeting: Meeting) -> None:
        await self._db.execute(
            "UPDATE meetings SET host = ?, starts_at = ?, topic = ?, status = ?, reminded = ? "
            "WHERE id = ?",
            (
                meeting.host,
                to_db(meeting.starts_at),
                meeting.topic,
                meeting.status.value,
                int(meeting.reminded),
                meeting.id,
            ),
        )

    async def mark_reminded(self, meeting_id: int) -> None:
        await self._db.execute("UPDATE meetings SET reminded = 1 WHERE id = ?", (meeting_id,))

    async def cancel_planned(self, group_id: int) -> None:
        await self._db.execute(
            "UPDATE meetings SET status = 'cancelled' WHERE group_id = ? AND status = 'planned'",
            (group_id,),
        )

    async def planned_before(self, until: datetime, limit: int) -> list[Meeting]:
        rows = await self._db.fetchall(
            f"SELECT {_MEETING} FROM meetings WHERE status = 'planned' AND starts_at <= ? "
            "ORDER BY starts_at LIMIT ?",
            (to_db(until), limit),
        )
        return [_meeting(r) for r in rows]

    async def has_meetings(self, group_id: int) -> bool:
        """Whether a meeting was ever planned and not called off (planned or held): one of
        the meeting plan, or an event made for the group (`/event create group:`)."""
        row = await self._db.fetchone(
            "SELECT 1 FROM meetings WHERE group_id = ? AND status IN ('planned', 'held') "
            "UNION ALL SELECT 1 FROM events WHERE group_id = ? AND status = 'scheduled' "
            "LIMIT 1",
            (group_id, group_id),
        )
        return row is not None

    # -- proposals to start a group ------------------------------------------------------

    async def add_proposal(
        self,
        draft: Proposal,
        name_key: str,
        letters: Callable[[int], Sequence[Letter]],
    ) -> tuple[int, tuple[int, ...]] | None:
        """The proposal with the letters made for its id (its card), in one transaction:
        (its id, the letters' ids); None when the person or the name already has one
        waiting in this server."""
        try:
            async with self._db.transaction() as tx:
                proposal_id = await tx.insert(
                    "INSERT INTO group_proposals (guild_id, user_id, name, name_key, place_id, "
                    "city, description, join_mode, created_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        draft.guild_id,
                        draft.user_id,
                        draft.name,
                        name_key,
                        draft.place_id,
                        draft.city,
                        draft.description,
                        draft.join_mode.value,
                        to_db(draft.created_at),
                    ),
                )
                ids = await record(tx, letters(proposal_id), draft.created_at)
        except sqlite3.IntegrityError:
            return None
        return proposal_id, tuple(ids)

    async def proposal(self, proposal_id: int) -> Proposal | None:
        row = await self._db.fetchone("SELECT * FROM group_proposals WHERE id = ?", (proposal_id,))
        return _proposal(row) if row else None

    async def pending_proposals(self, guild_id: str) -> list[Proposal]:
        rows = await self._db.fetchall(
            "SELECT * FROM group_proposals WHERE guild_id = ? AND status = 'pending' ORDER BY id",
            (guild_id,),
        )
        return [_proposal(r) for r in rows]

    async def proposals_naming(self, user_id: str) -> list[Proposal]:
        """Every proposal, in every server, that the person made or decided."""
        rows = await self._db.fetchall(
            "SELECT * FROM group_proposals WHERE user_id = ? OR decider_id = ? ORDER BY id",
            (user_id, user_id),
        )
        return [_proposal(r) for r in rows]

    async def pending_proposal(
        self, guild_id: str, *, user_id: str | None = None, name_key: str | None = None
    ) -> Proposal | None:
        """The proposal waiting in this server by this person, or for this name."""
        column, value = ("user_id", user_id) if user_id is not None else ("name_key", name_key)
        row = await self._db.fetchone(
            f"SELECT * FROM group_proposals WHERE guild_id = ? AND {column} = ? "
            "AND status = 'pending'",
            (guild_id, value),
        )
        return _proposal(row) if row else None

    async def decide_proposal(
        self,
        proposal_id: int,
        status: ProposalStatus,
        *,
        decider_id: str,
        decider_name: str,
        reason: str,
        now: datetime,
        letters: Sequence[Letter] = (),
    ) -> tuple[int, ...] | None:
        """Mark a waiting proposal decided, with its letters, in one transaction: the
        letters' ids, or None when it was decided already (by someone else, a moment ago)."""
        async with self._db.transaction() as tx:
            changed = await tx.execute(
                "UPDATE group_proposals SET status = ?, decider_id = ?, decider_name = ?, "
                "reason = ?, decided_at = ? WHERE id = ? AND status = 'pending'",
                (status.value, decider_id, decider_name, reason, to_db(now), proposal_id),
            )
            if changed != 1:
                return None
            return tuple(await record(tx, letters, now))

    async def set_proposal_card(self, tx: Transaction, proposal_id: int, card: MessageRef) -> None:
        """Where the proposal's card went (in the transaction that marks it sent)."""
        await tx.execute(
            "UPDATE group_proposals SET card_channel_id = ?, card_message_id = ? WHERE id = ?",
            (card.channel_id, card.message_id, proposal_id),
        )

    async def reopen_proposal(self, proposal_id: int) -> None:
        """An approval whose group could not be made: waiting again, undecided."""
        await self._db.execute(
            "UPDATE group_proposals SET status = 'pending', decider_id = NULL, reason = '', "
            "decider_name = NULL, decided_at = NULL WHERE id = ? AND group_id IS NULL",
            (proposal_id,),
        )

    async def proposal_made(
        self, proposal_id: int, group_id: int, letters: Sequence[Letter], now: datetime
    ) -> tuple[int, ...]:
        """The group made for an approved proposal, with the letters that tell the proposer."""
        async with self._db.transaction() as tx:
            await tx.execute(
                "UPDATE group_proposals SET group_id = ? WHERE id = ?", (group_id, proposal_id)
            )
            return tuple(await record(tx, letters, now))
