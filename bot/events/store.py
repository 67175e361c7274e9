"""SQL for events, the answers to them, their reminders and the drafts of the Discord form."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from bot.db import Database, Transaction, from_db, to_db
from bot.errors import UserError
from bot.events.model import (
    Answer,
    Counts,
    Draft,
    Event,
    EventJob,
    Kind,
    Registration,
    Rsvp,
    Series,
    SeriesStatus,
    reminder_times,
)
from bot.outbox import Letter, record
from bot.rows import FromRow
from bot.scheduler import Due, Job
from bot.text import inert

# A notice to everyone who answered going or maybe: the letter's kind and payload.
Notice = tuple[str, Mapping[str, Any]]

_EVENT = (
    "id, guild_id, title, kind, starts_at, ends_at, timezone, place, description, audience, "
    "group_id, capacity, publish_at, publish_attempts, published_at, registration_opens, "
    "registration_closes, registration_shown, status, sequence, forum_id, post_channel_id, "
    "post_message_id, native_id, native_retry_at, native_attempts, series_id, created_by, "
    "created_at, updated_at"
)
_SERIES = (
    "id, guild_id, title, kind, rule, first_at, duration_s, until_at, timezone, place, "
    "description, audience, group_id, capacity, ahead_s, next_at, made, status, created_by, "
    "created_at"
)
# Drafts nobody confirmed are forgotten after this long.
DRAFT_LIFETIME = timedelta(days=2)


def _db(at: datetime | None) -> str | None:
    return to_db(at) if at else None


_event = FromRow(Event)
_series = FromRow(Series, duration="duration_s", ahead="ahead_s")
_rsvp = FromRow(Rsvp)
_draft = FromRow(Draft)


# For readers of events outside this feature (the public page, bot/public/).
EVENT_COLUMNS = _EVENT
event_from_row = _event


class EventStore:
    def __init__(self, db: Database) -> None:
        self._db = db

    # -- events ----------------------------------------------------------------------

    async def create(self, event: Event, title_key: str) -> int:
        """The new event's id; its reminders are written with it."""
        async with self._db.transaction() as tx:
            event_id = await tx.insert(
                "INSERT INTO events (guild_id, title, title_key, kind, starts_at, ends_at, "
                "timezone, place, description, audience, group_id, capacity, publish_at, "
                "registration_opens, registration_closes, registration_shown, status, "
                "sequence, series_id, created_by, created_at, updated_at) VALUES "
                "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'scheduled', 0, ?, ?, ?, ?)",
                (
                    event.guild_id,
                    event.title,
                    title_key,
                    event.kind.value,
                    to_db(event.starts_at),
                    to_db(event.ends_at),
                    event.timezone,
                    event.place,
                    event.description,
                    event.audience.value,
                    event.group_id,
                    event.capacity,
                    _db(event.publish_at),
                    _db(event.registration_opens),
                    _db(event.registration_closes),
                    event.registration_shown.value,
                    event.series_id,
                    event.created_by,
                    to_db(event.created_at),
                    to_db(event.created_at),
                ),
            )
            await tx.executemany(
                "INSERT INTO event_reminders (event_id, offset_s, due_at) VALUES (?, ?, ?)",
                [
                    (event_id, offset, to_db(due))
                    for offset, due in reminder_times(event.starts_at, event.created_at)
                ],
            )
        return event_id

    async def delete(self, event_id: int) -> None:
        """Only for an event that could not be announced at all (nothing half-saved)."""
        await self._db.execute("DELETE FROM events WHERE id = ?", (event_id,))

    async def get(self, event_id: int) -> Event | None:
        row = await self._db.fetchone(f"SELECT {_EVENT} FROM events WHERE id = ?", (event_id,))
        return _event(row) if row else None

    async def by_title(self, guild_id: str, title_key: str, now: datetime) -> list[Event]:
        """The events with that title, best first: the next one still to come, then the
        latest (the caller takes the first its reader may see)."""
        rows = await self._db.fetchall(
            f"SELECT {_EVENT} FROM events WHERE guild_id = ? AND title_key = ? "
            "ORDER BY (status = 'cancelled'), (ends_at <= ?), "
            "CASE WHEN ends_at > ? THEN starts_at END, starts_at DESC LIMIT 100",
            (guild_id, title_key, to_db(now), to_db(now)),
        )
        return [_event(r) for r in rows]

    async def listing(
        self,
        guild_id: str,
        *,
        after: datetime,
        before: datetime | None = None,
        kind: Kind | None = None,
        include_cancelled: bool = False,
        limit: int = 100,
    ) -> list[Event]:
        """Events that end after `after` (and start before `before`), soonest first."""
        sql = f"SELECT {_EVENT} FROM events WHERE guild_id = ? AND ends_at > ?"
        params: list[Any] = [guild_id, to_db(after)]
        if before is not None:
            sql += " AND starts_at < ?"
            params.append(to_db(before))
        if kind is not None:
            sql += " AND kind = ?"
            params.append(kind.value)
        if not include_cancelled:
            sql += " AND status = 'scheduled'"
        sql += " ORDER BY starts_at, id LIMIT ?"
        params.append(limit)
        return [_event(r) for r in await self._db.fetchall(sql, params)]

    async def update(
        self, event: Event, title_key: str, now: datetime, notice: Notice | None = None
    ) -> tuple[Event, tuple[int, ...]]:
        """Save what an edit changed, with SEQUENCE raised; a moved start rewrites the
        reminders still ahead. With a notice, the outbox letters that tell those coming
        are written in the same transaction; the event as saved, and the letters."""
        async with self._db.transaction() as tx:
            old = await tx.fetchone("SELECT starts_at FROM events WHERE id = ?", (event.id,))
            await tx.execute(
                "UPDATE events SET title = ?, title_key = ?, starts_at = ?, ends_at = ?, "
                "place = ?, description = ?, publish_at = ?, registration_opens = ?, "
                "registration_closes = ?, sequence = sequence + 1, updated_at = ? WHERE id = ?",
                (
                    event.title,
                    title_key,
                    to_db(event.starts_at),
                    to_db(event.ends_at),
                    event.place,
                    event.description,
                    _db(event.publish_at),
                    _db(event.registration_opens),
                    _db(event.registration_closes),
                    to_db(now),
                    event.id,
                ),
            )
            if old is not None and from_db(old[0]) != event.starts_at:
                await tx.execute("DELETE FROM event_reminders WHERE event_id = ?", (event.id,))
                await tx.executemany(
                    "INSERT INTO event_reminders (event_id, offset_s, due_at) VALUES (?, ?, ?)",
                    [
                        (event.id, offset, to_db(due))
                        for offset, due in reminder_times(event.starts_at, now)
                    ],
                )
            row = await tx.fetchone(f"SELECT {_EVENT} FROM events WHERE id = ?", (event.id,))
            assert row is not None
            letters = await _tell_answered(tx, _event(row), notice, now)
        return _event(row), letters

    async def cancel(
        self, event_id: int, now: datetime, notice: Notice | None = None
    ) -> tuple[Event, tuple[int, ...]] | None:
        """Cancel a scheduled event, with the letters that tell those coming if it was
        announced (`notice`); None when it was cancelled already."""
        async with self._db.transaction() as tx:
            changed = await tx.execute(
                "UPDATE events SET status = 'cancelled', sequence = sequence + 1, "
                "native_retry_at = NULL, updated_at = ? WHERE id = ? AND status = 'scheduled'",
                (to_db(now), event_id),
            )
            if not changed:
                return None
            await tx.execute(
                "DELETE FROM event_reminders WHERE event_id = ? AND sent_at IS NULL", (event_id,)
            )
            row = await tx.fetchone(f"SELECT {_EVENT} FROM events WHERE id = ?", (event_id,))
            if row is None:
                return None
            cancelled = _event(row)
            letters = await _tell_answered(
                tx, cancelled, notice if cancelled.published else None, now
            )
        return cancelled, letters

    async def set_post(
        self,
        event_id: int,
        *,
        forum_id: str | None,
        channel_id: str,
        message_id: str,
        now: datetime,
    ) -> None:
        await self._db.execute(
            "UPDATE events SET forum_id = ?, post_channel_id = ?, post_message_id = ?, "
            "published_at = COALESCE(published_at, ?), publish_at = NULL WHERE id = ?",
            (forum_id, channel_id, message_id, to_db(now), event_id),
        )

    async def publish_failed(self, event_id: int, retry_at: datetime | None) -> int:
        """Count a failed announcement and when to try again; the attempts so far."""
        async with self._db.transaction() as tx:
            await tx.execute(
                "UPDATE events SET publish_attempts = publish_attempts + 1, publish_at = ? "
                "WHERE id = ?",
                (_db(retry_at), event_id),
            )
            row = await tx.fetchone("SELECT publish_attempts FROM events WHERE id = ?", (event_id,))
        return int(row[0]) if row else 0

    async def set_native(
        self, event_id: int, native_id: str | None, retry_at: datetime | None, *, failed: bool
    ) -> None:
        await self._db.execute(
            "UPDATE events SET native_id = COALESCE(?, native_id), native_retry_at = ?, "
            "native_attempts = CASE WHEN ? THEN native_attempts + 1 ELSE 0 END WHERE id = ?",
            (native_id, _db(retry_at), int(failed), event_id),
        )

    async def set_registration_shown(self, event_id: int, shown: Registration) -> bool:
        changed = await self._db.execute(
            "UPDATE events SET registration_shown = ? WHERE id = ? AND registration_shown != ?",
            (shown.value, event_id, shown.value),
        )
        return changed > 0

    # -- answers ---------------------------------------------------------------------

    async def answer(
        self, event_id: int, user_id: str, name: str, answer: Answer, now: datetime
    ) -> tuple[Answer | None, Event]:
        """Record the person's answer (checking the capacity in the same transaction); the
        answer they had before."""
        async with self._db.transaction() as tx:
            row = await tx.fetchone(f"SELECT {_EVENT} FROM events WHERE id = ?", (event_id,))
            if row is None:
                raise UserError("error.event.unknown", event=event_id)
            event = _event(row)
            before_row = await tx.fetchone(
                "SELECT answer FROM event_rsvps WHERE event_id = ? AND user_id = ?",
                (event_id, user_id),
            )
            before = Answer(before_row[0]) if before_row else None
            if answer is Answer.GOING and before is not Answer.GOING and event.capacity:
                taken = await tx.fetchone(
                    "SELECT count(*) FROM event_rsvps WHERE event_id = ? AND answer = 'going'",
                    (event_id,),
                )
                if taken and taken[0] >= event.capacity:
                    raise UserError(
                        "error.event.full", title=inert(event.title), capacity=event.capacity
                    )
            await tx.execute(
                "INSERT INTO event_rsvps (event_id, user_id, name, answer, answered_at) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (event_id, user_id) DO UPDATE SET "
                "name = excluded.name, answer = excluded.answer, "
                "answered_at = excluded.answered_at",
                (event_id, user_id, name, answer.value, to_db(now)),
            )
        return before, event

    async def drop_answers_in_group(
        self, group_id: int, user_id: str, after: datetime
    ) -> list[int]:
        """Remove the person's answers to the group's events not begun; their ids."""
        async with self._db.transaction() as tx:
            rows = await tx.fetchall(
                "SELECT r.event_id FROM event_rsvps r JOIN events e ON e.id = r.event_id "
                "WHERE e.group_id = ? AND r.user_id = ? AND e.starts_at >= ?",
                (group_id, user_id, to_db(after)),
            )
            ids = [r[0] for r in rows]
            await tx.executemany(
                "DELETE FROM event_rsvps WHERE event_id = ? AND user_id = ?",
                [(i, user_id) for i in ids],
            )
        return ids

    async def counts(self, event_id: int) -> Counts:
        rows = await self._db.fetchall(
            "SELECT answer, count(*) AS n FROM event_rsvps WHERE event_id = ? GROUP BY answer",
            (event_id,),
        )
        found = {r["answer"]: r["n"] for r in rows}
        return Counts(found.get("going", 0), found.get("maybe", 0), found.get("no", 0))

    async def rsvps(self, event_id: int, answers: tuple[Answer, ...] = tuple(Answer)) -> list[Rsvp]:
        """Answers with the library from the person's profile, by answer then time."""
        marks = ",".join("?" * len(answers))
        rows = await self._db.fetchall(
            "SELECT r.event_id, r.user_id, COALESCE(u.display_name, r.name) AS name, r.answer, "
            "r.answered_at, COALESCE(p.library, '') AS library FROM event_rsvps r "
            "LEFT JOIN users u ON u.user_id = r.user_id "
            "LEFT JOIN profiles p ON p.user_id = r.user_id "
            f"WHERE r.event_id = ? AND r.answer IN ({marks}) "
            "ORDER BY CASE r.answer WHEN 'going' THEN 0 WHEN 'maybe' THEN 1 ELSE 2 END, "
            "r.answered_at, r.user_id",
            (event_id, *(a.value for a in answers)),
        )
        return [_rsvp(r) for r in rows]

    async def answer_of(self, event_id: int, user_id: str) -> Answer | None:
        row = await self._db.fetchone(
            "SELECT answer FROM event_rsvps WHERE event_id = ? AND user_id = ?",
            (event_id, user_id),
        )
        return Answer(row[0]) if row else None

    async def going_of(self, guild_id: str | None, user_id: str, after: datetime) -> list[Event]:
        """The events (still to end) the person is going to; in every server if no guild."""
        sql = (
            f"SELECT {', '.join('e.' + c.strip() for c in _EVENT.split(','))} FROM events e "
            "JOIN event_rsvps r ON r.event_id = e.id WHERE r.user_id = ? AND r.answer = 'going' "
            "AND e.ends_at > ?"
        )
        params: list[Any] = [user_id, to_db(after)]
        if guild_id is not None:
            sql += " AND e.guild_id = ?"
            params.append(guild_id)
        sql += " ORDER BY e.starts_at LIMIT 200"
        return [_event(r) for r in await self._db.fetchall(sql, params)]

    async def posts_answered_by(self, user_id: str) -> list[int]:
        """The events whose posted announcement counts an answer of this person."""
        rows = await self._db.fetchall(
            "SELECT e.id FROM events e JOIN event_rsvps r ON r.event_id = e.id "
            "WHERE r.user_id = ? AND e.post_message_id IS NOT NULL ORDER BY e.id",
            (user_id,),
        )
        return [r[0] for r in rows]

    # -- the scheduler's side --------------------------------------------------------

    async def due_before(self, until: datetime, limit: int) -> list[Due[EventJob]]:
        end = to_db(until)
        publishing = await self._db.fetchall(
            "SELECT id, publish_at FROM events WHERE published_at IS NULL "
            "AND status = 'scheduled' AND publish_at IS NOT NULL AND publish_at <= ? "
            "ORDER BY publish_at LIMIT ?",
            (end, limit),
        )
        natives = await self._db.fetchall(
            "SELECT id, native_retry_at FROM events WHERE native_retry_at IS NOT NULL "
            "AND status = 'scheduled' AND native_retry_at <= ? ORDER BY native_retry_at LIMIT ?",
            (end, limit),
        )
        opening = await self._db.fetchall(
            "SELECT id, registration_opens FROM events WHERE status = 'scheduled' "
            "AND published_at IS NOT NULL AND registration_opens IS NOT NULL "
            "AND registration_shown = 'upcoming' AND registration_opens <= ? "
            "ORDER BY registration_opens LIMIT ?",
            (end, limit),
        )
        closing = await self._db.fetchall(
            "SELECT id, registration_closes FROM events WHERE status = 'scheduled' "
            "AND published_at IS NOT NULL AND registration_closes IS NOT NULL "
            "AND registration_shown IN ('upcoming', 'open') AND registration_closes <= ? "
            "ORDER BY registration_closes LIMIT ?",
            (end, limit),
        )
        # A series is due `ahead_s` before its next occurrence, each with its own lead, so
        # the limit must apply to that moment, not to next_at (whole seconds, no floats).
        series = await self._db.fetchall(
            "SELECT id, next_at, ahead_s FROM event_series WHERE status = 'active' "
            "AND next_at IS NOT NULL "
            "AND CAST(strftime('%s', next_at) AS INTEGER) - ahead_s "
            "<= CAST(strftime('%s', ?) AS INTEGER) "
            "ORDER BY CAST(strftime('%s', next_at) AS INTEGER) - ahead_s LIMIT ?",
            (end, limit),
        )
        reminders = await self._db.fetchall(
            "SELECT r.event_id, r.offset_s, r.due_at FROM event_reminders r "
            "JOIN events e ON e.id = r.event_id WHERE r.sent_at IS NULL "
            "AND e.status = 'scheduled' AND r.due_at <= ? ORDER BY r.due_at LIMIT ?",
            (end, limit),
        )
        jobs = [(Job(EventJob.PUBLISH, r[0]), from_db(r[1])) for r in publishing]
        jobs += [(Job(EventJob.RETRY_NATIVE, r[0]), from_db(r[1])) for r in natives]
        jobs += [(Job(EventJob.OPENS, r[0]), from_db(r[1])) for r in opening]
        jobs += [(Job(EventJob.CLOSES, r[0]), from_db(r[1])) for r in closing]
        jobs += [(Job(EventJob.REMIND, r[0], r[1]), from_db(r[2])) for r in reminders]
        jobs += [
            (Job(EventJob.SERIES, r[0]), from_db(r[1]) - timedelta(seconds=r[2])) for r in series
        ]
        return sorted(jobs, key=lambda job: job[1])[:limit]

    async def reminders_of(self, event_id: int) -> list[tuple[int, datetime]]:
        """(offset, due) of the reminders not sent yet."""
        rows = await self._db.fetchall(
            "SELECT offset_s, due_at FROM event_reminders WHERE event_id = ? AND sent_at IS NULL "
            "ORDER BY due_at",
            (event_id,),
        )
        return [(r[0], from_db(r[1])) for r in rows]

    async def reminder_pending(self, event_id: int, offset_s: int) -> bool:
        row = await self._db.fetchone(
            "SELECT 1 FROM event_reminders WHERE event_id = ? AND offset_s = ? AND sent_at IS NULL",
            (event_id, offset_s),
        )
        return row is not None

    async def mark_reminded(self, event_id: int, offset_s: int, now: datetime) -> None:
        await self._db.execute(
            "UPDATE event_reminders SET sent_at = ? WHERE event_id = ? AND offset_s = ?",
            (to_db(now), event_id, offset_s),
        )

    # -- series ----------------------------------------------------------------------

    async def create_series(self, series: Series, title_key: str) -> int:
        return await self._db.insert(
            "INSERT INTO event_series (guild_id, title, title_key, kind, rule, first_at, "
            "duration_s, until_at, timezone, place, description, audience, group_id, capacity, "
            "ahead_s, next_at, made, status, created_by, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 'active', ?, ?)",
            (
                series.guild_id,
                series.title,
                title_key,
                series.kind.value,
                series.rule,
                to_db(series.first_at),
                int(series.duration.total_seconds()),
                _db(series.until_at),
                series.timezone,
                series.place,
                series.description,
                series.audience.value,
                series.group_id,
                series.capacity,
                int(series.ahead.total_seconds()),
                _db(series.next_at),
                series.created_by,
                to_db(series.created_at),
            ),
        )

    async def series(self, series_id: int) -> Series | None:
        row = await self._db.fetchone(
            f"SELECT {_SERIES} FROM event_series WHERE id = ?", (series_id,)
        )
        return _series(row) if row else None

    async def series_by_title(self, guild_id: str, title_key: str) -> list[Series]:
        """The series with that title, active and newest first."""
        rows = await self._db.fetchall(
            f"SELECT {_SERIES} FROM event_series WHERE guild_id = ? AND title_key = ? "
            "ORDER BY status = 'stopped', id DESC LIMIT 100",
            (guild_id, title_key),
        )
        return [_series(r) for r in rows]

    async def all_series(
        self, guild_id: str, status: SeriesStatus = SeriesStatus.ACTIVE
    ) -> list[Series]:
        """The server's series of that status: active ones oldest first, stopped ones
        newest first (the last 100)."""
        order = "id" if status is SeriesStatus.ACTIVE else "id DESC"
        rows = await self._db.fetchall(
            f"SELECT {_SERIES} FROM event_series WHERE guild_id = ? AND status = ? "
            f"ORDER BY {order} LIMIT 100",
            (guild_id, status.value),
        )
        return [_series(r) for r in rows]

    async def advance_series(
        self, series_id: int, done_at: datetime, next_at: datetime | None
    ) -> bool:
        """Record that the occurrence starting at `done_at` was made; False when another
        run already made it (or the series stopped)."""
        changed = await self._db.execute(
            "UPDATE event_series SET next_at = ?, made = made + 1 WHERE id = ? "
            "AND status = 'active' AND next_at = ?",
            (_db(next_at), series_id, to_db(done_at)),
        )
        return changed > 0

    async def stop_series(self, series_id: int) -> bool:
        changed = await self._db.execute(
            "UPDATE event_series SET status = 'stopped' WHERE id = ? AND status = 'active'",
            (series_id,),
        )
        return changed > 0

    async def active_series_ids(self) -> list[int]:
        """Every active series of every server, for the check at start."""
        rows = await self._db.fetchall(
            "SELECT id FROM event_series WHERE status = 'active' ORDER BY id"
        )
        return [r[0] for r in rows]

    async def set_aside_series(self, series_id: int, reason: str) -> bool:
        """Stop a series whose rule cannot be handled, saying why; False when it was not
        active any more."""
        changed = await self._db.execute(
            "UPDATE event_series SET status = 'stopped', set_aside = ? "
            "WHERE id = ? AND status = 'active'",
            (reason, series_id),
        )
        return changed > 0

    # -- drafts ----------------------------------------------------------------------

    async def save_draft(
        self,
        guild_id: str,
        user_id: str,
        channel_id: str,
        channel_name: str,
        options: dict[str, str],
        now: datetime,
    ) -> int:
        async with self._db.transaction() as tx:
            await tx.execute(
                "DELETE FROM event_drafts WHERE created_at < ?", (to_db(now - DRAFT_LIFETIME),)
            )
            return await tx.insert(
                "INSERT INTO event_drafts (guild_id, user_id, channel_id, channel_name, options, "
                "created_at) VALUES (?, ?, ?, ?, ?, ?)",
                (
                    guild_id,
                    user_id,
                    channel_id,
                    channel_name,
                    json.dumps(options, ensure_ascii=False),
                    to_db(now),
                ),
            )

    async def draft(self, draft_id: int) -> Draft | None:
        row = await self._db.fetchone(
            "SELECT id, guild_id, user_id, channel_id, channel_name, options, created_at "
            "FROM event_drafts WHERE id = ?",
            (draft_id,),
        )
        return _draft(row) if row else None

    async def take_draft(self, draft_id: int) -> bool:
        """Remove the draft; False when it was gone already (used or cancelled)."""
        return await self._db.execute("DELETE FROM event_drafts WHERE id = ?", (draft_id,)) > 0


async def _tell_answered(
    tx: Transaction, event: Event, notice: Notice | None, now: datetime
) -> tuple[int, ...]:
    """A letter to each person who answered going or maybe, in the order they answered."""
    if notice is None:
        return ()
    kind, payload = notice
    rows = await tx.fetchall(
        "SELECT user_id FROM event_rsvps WHERE event_id = ? AND answer IN ('going', 'maybe') "
        "ORDER BY CASE answer WHEN 'going' THEN 0 ELSE 1 END, answered_at, user_id",
        (event.id,),
    )
    letters = [Letter(kind, event.guild_id, payload, user_id=r[0]) for r in rows]
    return tuple(await record(tx, letters, now))
