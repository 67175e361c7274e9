"""The transactional outbox: what must be said because of a committed change.

A feature that changes something people must hear about (a seat offered to the next in
line, a join request for a group's initiators, an event moved or cancelled, a certificate)
records a *letter* with `record(tx, …)` inside the very transaction that makes the change.
After the commit the feature hands the new letters to `Outbox.deliver`, which sends them at
once; a crash anywhere after the commit leaves the letters pending, and the outbox is a
scheduler feature, so whatever is pending is sent at the next start (DESIGN.md rule 4).

A letter holds ids and parameters, not words: the feature's *courier* words it when it is
sent, in its reader's language, from the rows as they are then, and may find that there is
nothing to say any more (an offer already answered: the letter is dropped).

Each attempt is marked `sending` before the send and `sent` right after it, so:
- a crash before the send: the letter is sent at the next start, once;
- a crash between the send and the mark: the letter is sent again at the next start. The
  send carries the letter's nonce, which Discord (`enforce_nonce`, a few minutes) and Matrix
  (the transaction id) use to return the first message instead of showing a second; where
  the platform cannot (the console, a restart after Discord's window), the reader may see
  that one message twice. This is the only duplicate the outbox allows, and a letter found
  `sending` at start is logged as such.

A send that fails for a moment (the platform down, a timeout) is tried again after 1, 2,
4 … minutes, at most an hour apart, and given up after MAX_ATTEMPTS. A permanent failure of
a direct message (DMs closed) falls back the way the feature does (the courier's fallback,
e.g. a mention where the sheet is) and the letter is done either way.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from bot.clock import Clock
from bot.db import Database, Transaction, from_db, to_db, whole_second
from bot.ports import DeliveryFailed, MessageRef, Messenger
from bot.refs import is_former
from bot.replies import Reply
from bot.rows import FromRow
from bot.scheduler import Due, Job, Scheduler

log = logging.getLogger(__name__)


class OutboxJob(StrEnum):
    """The scheduler's one kind of outbox job: try to deliver a letter."""

    DELIVER = "d"


RETRY_FIRST = timedelta(minutes=1)
RETRY_MAX = timedelta(hours=1)
# About 14 hours of the platform being down: after that a notice is more noise than news.
MAX_ATTEMPTS = 20
# Letters that are done stay this long (to see what was said and when), then go.
KEEP_DONE = timedelta(days=30)


class Status(StrEnum):
    PENDING = "pending"
    SENDING = "sending"  # an attempt began; after a crash, perhaps sent
    SENT = "sent"
    FALLBACK = "fallback"  # DMs closed: said where the feature falls back to
    FAILED = "failed"  # could be said nowhere, or given up
    DROPPED = "dropped"  # nothing to say any more by the time it could be sent


DONE = frozenset({Status.SENT, Status.FALLBACK, Status.FAILED, Status.DROPPED})


@dataclass(frozen=True)
class Letter:
    """What to say and to whom: a direct message to `user_id`, or a post in `channel_id`.
    Ids are platform-neutral; `payload` is JSON the courier words the message from."""

    kind: str
    guild_id: str
    payload: Mapping[str, Any] = field(default_factory=dict)
    user_id: str | None = None
    channel_id: str | None = None
    # The person it is about when not its reader: /privacy forget anonymizes this column.
    about_id: str | None = None

    def __post_init__(self) -> None:
        if (self.user_id is None) == (self.channel_id is None):
            raise ValueError("a letter goes to a person or to a channel")


@dataclass(frozen=True)
class Envelope:
    """A recorded letter."""

    id: int
    letter: Letter
    nonce: str
    created_at: datetime
    attempts: int
    status: Status

    @property
    def payload(self) -> Mapping[str, Any]:
        return self.letter.payload


@dataclass(frozen=True)
class Post:
    """A fallback: one post in a channel standing for the letters `covers` (whose readers'
    DMs are closed), e.g. a message that mentions them."""

    channel_id: str
    reply: Reply
    covers: tuple[int, ...]


@dataclass(frozen=True)
class Courier:
    """How a feature words its letters when they are sent.

    `compose` returns the message in its reader's language (the channel's for a post), or
    None when there is nothing to say any more. `fallback`, given the letters whose DMs
    are closed, returns the posts that stand for them; without it they are given up.
    `settled` runs in the transaction that marks a letter done, for the feature's own
    bookkeeping (a certificate not delivered is not counted as issued). `posted` runs in
    the same transaction when the letter went out, with the message it became, for a
    feature that edits that message later (a proposal's card, once decided)."""

    compose: Callable[[Envelope], Awaitable[Reply | None]]
    fallback: Callable[[list[Envelope]], Awaitable[list[Post]]] | None = None
    settled: Callable[[Transaction, Envelope, Status], Awaitable[None]] | None = None
    posted: Callable[[Transaction, Envelope, MessageRef], Awaitable[None]] | None = None


async def record(tx: Transaction, letters: Iterable[Letter], now: datetime) -> list[int]:
    """Write letters inside the caller's transaction; their ids, for `Outbox.deliver`."""
    at = to_db(now)
    ids = []
    for letter in letters:
        ids.append(
            await tx.insert(
                "INSERT INTO outbox (kind, guild_id, user_id, channel_id, about_id, payload, "
                "created_at, next_attempt_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    letter.kind,
                    letter.guild_id,
                    letter.user_id,
                    letter.channel_id,
                    letter.about_id,
                    json.dumps(dict(letter.payload), ensure_ascii=False, sort_keys=True),
                    at,
                    at,
                ),
            )
        )
    return ids


_COLUMNS = (
    "id, kind, guild_id, user_id, channel_id, about_id, payload, nonce, created_at, attempts, "
    "status"
)


_letter = FromRow(Letter)
_envelope = FromRow(Envelope, letter=_letter)


def retry_delay(attempts: int) -> timedelta:
    """1, 2, 4 … minutes after the first, second, third failed attempt; at most an hour."""
    return min(RETRY_FIRST * 2 ** max(attempts - 1, 0), RETRY_MAX)


class _Closed(Exception):
    """A direct message the reader's settings refuse: the courier's fallback decides."""

    def __init__(self, envelope: Envelope) -> None:
        super().__init__(envelope.id)
        self.envelope = envelope


class Outbox:
    """Delivers recorded letters: right after their commit, at start, and on retry."""

    def __init__(
        self, db: Database, clock: Clock, scheduler: Scheduler, messenger: Messenger
    ) -> None:
        self._db = db
        self._clock = clock
        self._messenger = messenger
        self._couriers: dict[str, Courier] = {}
        # Letters an attempt is under way for: a refill that sees them pending, or a second
        # deliver() for the same id, must not send them twice.
        self._claimed: set[int] = set()
        self._jobs = scheduler.register("outbox", self._fire, self._due_before)

    def register(self, kind: str, courier: Courier) -> None:
        self._couriers[kind] = courier

    async def deliver(self, ids: Iterable[int]) -> dict[int, Status]:
        """Send these letters now, each once; how each ended (PENDING: to be tried again).
        Never raises for a letter that cannot be sent: the feature's change is committed
        and stands, whatever the platform says."""
        wanted = sorted(set(ids) - self._claimed)
        if not wanted:
            return {}
        self._claimed.update(wanted)
        now = self._clock.now()
        for ident in wanted:
            # A watchdog: should this attempt never finish (a bug, a cancelled task), the
            # scheduler tries again; a letter that is done by then is skipped.
            self._jobs.schedule(Job(OutboxJob.DELIVER, ident), now + RETRY_FIRST)
        results: dict[int, Status] = {}
        envelopes: list[Envelope] = []
        try:
            envelopes = await self._load(wanted)
            closed: dict[str, list[Envelope]] = {}
            for envelope in envelopes:
                try:
                    results[envelope.id] = await self._attempt(envelope)
                except _Closed as shut:
                    closed.setdefault(envelope.letter.kind, []).append(shut.envelope)
                except Exception:
                    # The database failed around the send: the watchdog tries again.
                    log.exception("letter %d: its outcome could not be saved", envelope.id)
            for kind, group in closed.items():
                results |= await self._fall_back(self._couriers[kind], group)
        except Exception:
            # The database failed: the watchdog tries again; the change itself stands.
            log.exception("letters %s: the database failed", wanted)
            return results
        finally:
            self._claimed.difference_update(wanted)
        loaded = {e.id for e in envelopes}
        for ident in wanted:
            if ident not in loaded or results.get(ident) in DONE:
                self._jobs.cancel(Job(OutboxJob.DELIVER, ident))
        return results

    # -- one letter ------------------------------------------------------------------

    async def _attempt(self, envelope: Envelope) -> Status:
        """Word and send one letter and mark how it went; _Closed when the reader's DMs
        are closed (the caller falls back for all of those together)."""
        letter = envelope.letter
        courier = self._couriers.get(letter.kind)
        if courier is None:
            log.error("letter %d: nobody words letters of kind %r", envelope.id, letter.kind)
            return await self._finish(envelope, Status.FAILED)
        if envelope.status is Status.SENDING:
            log.warning(
                "letter %d (%s) was being sent when the bot stopped; sending it again with "
                "the same nonce",
                envelope.id,
                letter.kind,
            )
        if not await self._claim(envelope):
            return Status.DROPPED  # removed meanwhile (/privacy forget)
        envelope = replace(envelope, attempts=envelope.attempts + 1, status=Status.SENDING)
        if letter.user_id is not None and is_former(letter.user_id):
            return await self._finish(envelope, Status.DROPPED)
        try:
            reply = await courier.compose(envelope)
            if reply is None:
                return await self._finish(envelope, Status.DROPPED)
            reply = replace(reply, nonce=envelope.nonce)
            if letter.user_id is not None:
                sent = await self._messenger.send_dm(letter.user_id, reply)
            else:
                assert letter.channel_id is not None
                sent = await self._messenger.send_channel(letter.channel_id, reply)
        except DeliveryFailed as exc:
            if not exc.permanent:
                return await self._later(envelope, str(exc))
            if letter.user_id is not None:
                raise _Closed(envelope) from exc
            log.warning("letter %d: %s refused it: %s", envelope.id, letter.channel_id, exc)
            return await self._finish(envelope, Status.FAILED)
        except Exception as exc:
            # A bug or a timeout in one send must not stop the others; it is tried again.
            log.exception("letter %d (%s): unexpected error in sending", envelope.id, letter.kind)
            return await self._later(envelope, repr(exc))
        # Right after the send: from here on a crash can only repeat this one letter.
        return await self._finish(envelope, Status.SENT, sent)

    async def _fall_back(self, courier: Courier, envelopes: list[Envelope]) -> dict[int, Status]:
        """Readers whose DMs are closed: the courier's posts stand for their letters."""
        results: dict[int, Status] = {}
        by_id = {e.id: e for e in envelopes}
        posts: list[Post] = []
        try:
            if courier.fallback is not None:
                posts = await courier.fallback(envelopes)
        except Exception as exc:
            log.exception("fallback for letters %s failed", sorted(by_id))
            for envelope in envelopes:
                results[envelope.id] = await self._later(envelope, repr(exc))
            return results
        for post in posts:
            covered = [by_id[i] for i in post.covers if i in by_id and i not in results]
            if not covered:
                continue
            reply = replace(post.reply, nonce=covered[0].nonce + "f")
            try:
                await self._messenger.send_channel(post.channel_id, reply)
                outcome = Status.FALLBACK
            except DeliveryFailed as exc:
                if not exc.permanent:
                    for envelope in covered:
                        results[envelope.id] = await self._later(envelope, str(exc))
                    continue
                log.warning("fallback in %s refused: %s", post.channel_id, exc)
                outcome = Status.FAILED
            except Exception as exc:
                log.exception("fallback in %s: unexpected error", post.channel_id)
                for envelope in covered:
                    results[envelope.id] = await self._later(envelope, repr(exc))
                continue
            for envelope in covered:
                results[envelope.id] = await self._finish(envelope, outcome)
        for envelope in envelopes:
            if envelope.id not in results:
                log.info("letter %d: DMs closed and nowhere else to say it", envelope.id)
                results[envelope.id] = await self._finish(envelope, Status.FAILED)
        return results

    # -- the rows ----------------------------------------------------------------------

    async def _load(self, ids: Sequence[int]) -> list[Envelope]:
        rows = await self._db.fetchall(
            f"SELECT {_COLUMNS} FROM outbox WHERE id IN ({','.join('?' * len(ids))}) "
            "AND status IN ('pending', 'sending') ORDER BY id",
            list(ids),
        )
        return [_envelope(r) for r in rows]

    async def _claim(self, envelope: Envelope) -> bool:
        """Committed before the send, so that a letter found `sending` after a crash is
        known to be perhaps sent."""
        changed = await self._db.execute(
            "UPDATE outbox SET status = 'sending', attempts = attempts + 1 "
            "WHERE id = ? AND status IN ('pending', 'sending')",
            (envelope.id,),
        )
        return changed == 1

    async def _finish(
        self, envelope: Envelope, status: Status, sent: MessageRef | None = None
    ) -> Status:
        courier = self._couriers.get(envelope.letter.kind)
        async with self._db.transaction() as tx:
            changed = await tx.execute(
                "UPDATE outbox SET status = ?, done_at = ? WHERE id = ? "
                "AND status IN ('pending', 'sending')",
                (status.value, to_db(self._clock.now()), envelope.id),
            )
            if changed and courier is not None and courier.settled is not None:
                await courier.settled(tx, envelope, status)
            if changed and courier is not None and courier.posted is not None and sent:
                await courier.posted(tx, envelope, sent)
        return status

    async def _later(self, envelope: Envelope, reason: str) -> Status:
        if envelope.attempts >= MAX_ATTEMPTS:
            log.error(
                "letter %d (%s) given up after %d attempts: %s",
                envelope.id,
                envelope.letter.kind,
                envelope.attempts,
                reason,
            )
            return await self._finish(envelope, Status.FAILED)
        at = whole_second(self._clock.now() + retry_delay(envelope.attempts))
        log.warning("letter %d not sent (%s); next try at %s", envelope.id, reason, at)
        await self._db.execute(
            "UPDATE outbox SET status = 'pending', next_attempt_at = ? WHERE id = ? "
            "AND status = 'sending'",
            (to_db(at), envelope.id),
        )
        self._jobs.schedule(Job(OutboxJob.DELIVER, envelope.id), at)
        return Status.PENDING

    # -- the scheduler's side --------------------------------------------------------

    async def _due_before(self, until: datetime, limit: int) -> list[Due[OutboxJob]]:
        """Pending letters, and those an attempt was cut short for. At start this is what
        a crash left behind; it is also where letters long done are cleared away."""
        await self._db.execute(
            "DELETE FROM outbox WHERE done_at IS NOT NULL AND done_at < ?",
            (to_db(self._clock.now() - KEEP_DONE),),
        )
        rows = await self._db.fetchall(
            "SELECT id, next_attempt_at FROM outbox WHERE status IN ('pending', 'sending') "
            "AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?",
            (to_db(until), limit),
        )
        return [(Job(OutboxJob.DELIVER, r[0]), from_db(r[1])) for r in rows]

    async def _fire(self, batch: list[Due[OutboxJob]]) -> None:
        await self.deliver(job.row for job, _ in batch)
