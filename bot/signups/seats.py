"""Seats on sign-up sheets: taking one (a seat, the waitlist, or a request on sheets with
approval), giving it back, and the offer of a freed seat to the next in line, with its
letter and its deadline.

Joins that arrive together are decided together: they queue, and one task writes the
queue in arrival order, up to GROUP_COMMIT placements per `BEGIN IMMEDIATE` transaction
(a bounded group commit). Each caller is answered as soon as the transaction that holds
its placement committed, so an acknowledged sign-up survives `kill -9`, a burst of clicks
costs one transaction per GROUP_COMMIT instead of one per click, and nobody waits for the
whole burst to be written (docs/features.md, Sign-ups).
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from datetime import timedelta

from bot.clock import Clock
from bot.community.service import CommunityService
from bot.errors import UserError
from bot.i18n import use_locale
from bot.notify import Notifier
from bot.outbox import Courier, Envelope, Outbox, Post
from bot.ports import Messenger
from bot.refs import UserRef
from bot.replies import Reply
from bot.scheduler import Job
from bot.signups import messages
from bot.signups.model import (
    OFFER_LETTER,
    Entry,
    EntryStatus,
    Placed,
    Placement,
    Sheet,
    SheetStatus,
    SignupJob,
    Slot,
)
from bot.signups.sheets import Sheets
from bot.signups.store import Change, SignupStore
from bot.visibility import Viewer, core_acting_for

log = logging.getLogger(__name__)

# Placements per transaction: enough that a burst's transactions cost little next to its
# rows, few enough that the first to click are answered in milliseconds, not after
# thousands of others.
GROUP_COMMIT = 100


class Seats:
    def __init__(
        self,
        store: SignupStore,
        clock: Clock,
        messenger: Messenger,
        community: CommunityService,
        sheets: Sheets,
        outbox: Outbox,
        notify: Notifier,
        *,
        offer_for: timedelta,
    ) -> None:
        self._store = store
        self._clock = clock
        self._messenger = messenger
        self._community = community
        self._sheets = sheets
        self._outbox = outbox
        self._notify = notify
        self._offer_for = offer_for
        self._queue: deque[tuple[Placement, asyncio.Future[Placed]]] = deque()
        self._drainer: asyncio.Task[None] | None = None
        self.batches = 0  # transactions that placed people (the benchmark reports it)
        self._jobs = sheets.jobs
        sheets.routes.add(SignupJob.OFFER_EXPIRES, self._offer_expired)
        outbox.register(OFFER_LETTER, Courier(self._word_offer, self._offer_in_channel))

    # -- taking seats ----------------------------------------------------------------

    async def join(self, sheet_id: int, slot: int, viewer: Viewer) -> Placed:
        """Sign the viewer up: a seat, the end of the waitlist, or a request on sheets
        with approval. Raises the UserError that explains a refusal."""
        await self._sheets.require_seen(sheet_id, viewer)
        user = viewer.user
        result = await self._submit(Placement(sheet_id, slot, user.id, user.name))
        if result.error is not None:
            raise result.error
        assert result.sheet is not None
        if result.status is EntryStatus.REQUESTED:
            sheet = result.sheet
            await self._notify.tell(
                sheet.created_by,
                sheet.guild_id,
                lambda: messages.approval_request(sheet, slot, user.id, user.name),
            )
        await self._sheets.refresh(sheet_id)
        return result

    async def add(self, sheet: Sheet, slot: int, user: UserRef) -> Placed:
        """A moderator signs someone up (or approves their request): past opening times
        and the per-person limit, never past the capacity."""
        result = await self._submit(Placement(sheet.id, slot, user.id, user.name, forced=True))
        if result.error is not None:
            raise result.error
        where = await self._sheets.slot(sheet, slot)
        await self._notify.tell(
            user.id, sheet.guild_id, lambda: messages.notice_placed(sheet, where, result)
        )
        await self._sheets.refresh(sheet.id)
        return result

    async def _submit(self, placement: Placement) -> Placed:
        future: asyncio.Future[Placed] = asyncio.get_running_loop().create_future()
        self._queue.append((placement, future))
        if self._drainer is None or self._drainer.done():
            self._drainer = asyncio.create_task(self._drain())
        return await future

    async def _drain(self) -> None:
        """Write every queued placement in arrival order, up to GROUP_COMMIT of them in
        each transaction."""
        await asyncio.sleep(0)  # let the joins that arrived together share the transaction
        while self._queue:
            batch = [self._queue.popleft() for _ in range(min(GROUP_COMMIT, len(self._queue)))]
            try:
                results, standings = await self._store.place_many(
                    [p for p, _ in batch], self._clock.now()
                )
            except Exception as exc:
                log.exception("placing %d sign-ups failed", len(batch))
                for _, future in batch:
                    if not future.done():
                        future.set_exception(exc)
                continue
            self.batches += 1
            self._sheets.stand(standings)
            for (_, future), result in zip(batch, results, strict=True):
                if not future.done():
                    future.set_result(result)

    # -- giving seats back -----------------------------------------------------------

    async def leave(self, sheet_id: int, slot: int, viewer: Viewer) -> Change:
        await self._sheets.require_seen(sheet_id, viewer)
        change = await self._store.remove(
            sheet_id, slot, viewer.user_id, self._clock.now(), self._offer_for
        )
        await self._after(change)
        return change

    async def left_group(self, group_id: int, user_id: str) -> None:
        """Someone left a group: their seats and waitlist places on its sheets go (the
        next in line is offered the seat), since they could not see the sheet any more."""
        now = self._clock.now()
        for sheet_id, slot in await self._store.seats_in_group(group_id, user_id, now):
            await self.leave(sheet_id, slot, core_acting_for(UserRef(user_id, "")))

    async def remove(self, sheet: Sheet, slot: int, user_id: str) -> Change:
        change = await self._store.remove(
            sheet.id, slot, user_id, self._clock.now(), self._offer_for
        )
        was_request = change.entry is not None and change.entry.status is EntryStatus.REQUESTED
        await self._notify.tell(
            user_id,
            sheet.guild_id,
            lambda: messages.notice_removed(sheet, slot, request=was_request),
        )
        await self._after(change)
        return change

    async def accept(self, sheet_id: int, slot: int, viewer: Viewer) -> Change:
        await self._sheets.require_seen(sheet_id, viewer)
        change = await self._store.accept(sheet_id, slot, viewer.user_id, self._clock.now())
        if change.entry is not None:
            self._jobs.cancel(Job(SignupJob.OFFER_EXPIRES, change.entry.seq))
        await self._sheets.refresh(sheet_id)
        return change

    async def decline(self, sheet_id: int, slot: int, viewer: Viewer) -> Change:
        await self._sheets.require_seen(sheet_id, viewer)
        change = await self._store.remove(
            sheet_id,
            slot,
            viewer.user_id,
            self._clock.now(),
            self._offer_for,
            only=(EntryStatus.OFFERED,),
            missing="error.signup.no_offer",
        )
        if change.entry is not None:
            self._jobs.cancel(Job(SignupJob.OFFER_EXPIRES, change.entry.seq))
        await self._after(change)
        return change

    async def move(
        self, sheet: Sheet, user_id: str, from_slot: int, to_slot: int
    ) -> tuple[Change, Placed]:
        if from_slot == to_slot:
            raise UserError("error.signup.same_slot")
        change, placed = await self._store.move(
            sheet.id, user_id, from_slot, to_slot, self._clock.now(), self._offer_for
        )
        if change.entry is not None:
            self._jobs.cancel(Job(SignupJob.OFFER_EXPIRES, change.entry.seq))
        where = await self._sheets.slot(sheet, to_slot)
        await self._notify.tell(
            user_id, sheet.guild_id, lambda: messages.notice_placed(sheet, where, placed)
        )
        await self._after(change)
        return change, placed

    async def _after(self, change: Change) -> None:
        """After a seat came free: offer it on (a DM with a deadline, whose outbox letter
        was written with the offer), update the sheet."""
        for entry in change.offers:
            assert entry.offer_expires_at is not None
            self._jobs.schedule(Job(SignupJob.OFFER_EXPIRES, entry.seq), entry.offer_expires_at)
        await self._outbox.deliver(change.letters)
        await self._sheets.refresh(change.sheet.id)

    async def _offer_expired(self, job: Job[SignupJob]) -> None:
        now = self._clock.now()
        change = await self._store.expire(job.row, now, self._offer_for)
        if change is not None and change.entry is not None:
            entry, sheet, passed_on = change.entry, change.sheet, bool(change.offers)
            # An offer lasts at most until its slot starts (model.offer_deadline).
            started = (await self._sheets.slot(sheet, entry.slot)).started(now)
            await self._notify.tell(
                entry.user_id,
                sheet.guild_id,
                lambda: messages.offer_expired(
                    sheet, entry.slot, passed_on=passed_on, started=started
                ),
            )
            await self._after(change)

    # -- the offer's letter: worded when it is sent, from the entry as it is then --------

    async def _offered(self, envelope: Envelope) -> tuple[Sheet, Slot, Entry] | None:
        """The offer a letter is about, if it still stands (not answered, expired, or its
        sheet deleted since)."""
        entry = await self._store.entry(int(envelope.payload["seq"]))
        if entry is None or entry.status is not EntryStatus.OFFERED:
            return None
        if entry.user_id != envelope.letter.user_id:
            return None  # the number went to someone else's entry since
        if entry.offer_expires_at is None or entry.offer_expires_at <= self._clock.now():
            return None
        sheet = await self._store.get(entry.sheet_id)
        if sheet is None or sheet.status is SheetStatus.DELETED:
            return None
        slots = await self._sheets.slots_of(sheet.id)
        slot = next((s for s in slots if s.number == entry.slot), None)
        return (sheet, slot, entry) if slot is not None else None

    async def _word_offer(self, envelope: Envelope) -> Reply | None:
        offered = await self._offered(envelope)
        if offered is None:
            return None
        sheet, slot, entry = offered
        with use_locale(await self._community.locale_for(entry.user_id, sheet.guild_id)):
            return messages.offer(sheet, slot, entry)

    async def _offer_in_channel(self, envelopes: list[Envelope]) -> list[Post]:
        """Closed DMs: a mention where the sheet is, with the same buttons."""
        posts = []
        for envelope in envelopes:
            offered = await self._offered(envelope)
            if offered is None:
                continue
            sheet, slot, entry = offered
            with use_locale(await self._community.locale_for(entry.user_id, sheet.guild_id)):
                mention = self._messenger.mention(entry.user_id)
                reply = messages.offer(sheet, slot, entry, mention=mention)
            posts.append(Post(sheet.channel_id, reply, (envelope.id,)))
        return posts
