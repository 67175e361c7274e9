"""Sign-up use cases: sheets, joining with capacity and a waitlist, offers that run out,
opening and closing on time, and the posted sheet kept up to date.

Joins that arrive together are decided together: they queue, and one task writes the
whole queue in a single `BEGIN IMMEDIATE` transaction (group commit) in arrival order.
Each caller is answered only after that transaction committed, so an acknowledged
sign-up survives `kill -9`, and a burst of clicks costs one transaction instead of one
per click (docs/features.md, Sign-ups).
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import replace
from datetime import datetime, timedelta

from bot.clock import Clock
from bot.community.service import CommunityService
from bot.errors import UserError
from bot.i18n import use_locale
from bot.notify import LiveMessages, Notifier
from bot.offload import CSV_SECONDS, off_loop
from bot.outbox import Courier, Envelope, Outbox, Post
from bot.ports import Messenger
from bot.refs import ChannelRef, UserRef
from bot.replies import Reply
from bot.scheduler import Job, Scheduler
from bot.signups import messages
from bot.signups.model import (
    OFFER_LETTER,
    Entry,
    EntryStatus,
    Placed,
    Placement,
    Sheet,
    SheetStatus,
    SheetView,
    SignupJob,
    Slot,
    parse_sheet_ref,
)
from bot.signups.store import Change, SignupStore
from bot.text import clean_name, inert, lookalike, normalize
from bot.visibility import Scope, Viewer, Visibility, core_acting_for

log = logging.getLogger(__name__)


class SignupService:
    def __init__(
        self,
        store: SignupStore,
        clock: Clock,
        scheduler: Scheduler,
        messenger: Messenger,
        community: CommunityService,
        visibility: Visibility,
        outbox: Outbox,
        *,
        offer_for: timedelta,
    ) -> None:
        self._store = store
        self._visibility = visibility
        self._clock = clock
        self._messenger = messenger
        self._community = community
        self._offer_for = offer_for
        self._queue: list[tuple[Placement, asyncio.Future[Placed]]] = []
        self._drainer: asyncio.Task[None] | None = None
        self._notify = Notifier(messenger, community)
        self._live = LiveMessages(self._edit)
        # A sheet's slots never change once it exists, so they are read once.
        self._slots: dict[int, tuple[Slot, ...]] = {}
        # Nor do its server and group: who may see it is decided without reading it again,
        # and a burst of clicks on a sheet not read yet reads it once.
        self._scopes: dict[int, Scope] = {}
        self._scope_reads: dict[int, asyncio.Future[Scope | None]] = {}
        self.batches = 0  # transactions that placed people (the benchmark reports it)
        self._outbox = outbox
        self._jobs = scheduler.register_each("signup", self._sheet_due, self._store.due_before)
        outbox.register(OFFER_LETTER, Courier(self._word_offer, self._offer_in_channel))

    # -- finding sheets --------------------------------------------------------------

    async def find(self, viewer: Viewer, ref: str) -> Sheet:
        """A sheet of the viewer's server by id ('42', '#42') or title; deleted and unknown
        ones are errors, and one the viewer may not see is unknown (bot/visibility.py)."""
        sheet_id = parse_sheet_ref(ref)
        if sheet_id is not None:
            found = await self._store.get(sheet_id)
            candidates = [found] if found is not None and found.guild_id == viewer.guild_id else []
        else:
            candidates = await self._store.by_title(viewer.guild_id, normalize(ref))
        seen = await self._visibility.keep(viewer, candidates, lambda s: s.scope)
        if not seen:
            raise UserError("error.signup.unknown", sheet=inert(ref))
        live = [s for s in seen if s.status is not SheetStatus.DELETED]
        if len(live) > 1:
            # A group's sheet and a national one may share a title: never pick one silently.
            numbers = ", ".join(f"sheet:{s.id}" for s in live)
            raise UserError("error.signup.several", sheet=inert(ref), numbers=numbers)
        sheet = (live or seen)[0]
        if sheet.status is SheetStatus.DELETED:
            raise UserError("error.signup.deleted", title=inert(sheet.title))
        return sheet

    async def get(self, sheet_id: int, viewer: Viewer) -> Sheet:
        """The sheet of this number, when the viewer may see it (from a DM: of any
        server)."""
        sheet = await self._store.get(sheet_id)
        if sheet is None or not await self._visibility.sees(viewer, sheet.scope):
            raise UserError("error.signup.unknown", sheet=sheet_id)
        if sheet.status is SheetStatus.DELETED:
            raise UserError("error.signup.deleted", title=inert(sheet.title))
        return sheet

    async def _require_seen(self, sheet_id: int, viewer: Viewer) -> None:
        """Before a seat is taken or given back by number (a button, say): a sheet the
        viewer may not see is unknown."""
        scope = self._scopes.get(sheet_id) or await self._read_scope(sheet_id)
        if scope is None or not await self._visibility.sees(viewer, scope):
            raise UserError("error.signup.unknown", sheet=sheet_id)

    def _read_scope(self, sheet_id: int) -> asyncio.Future[Scope | None]:
        """One read of a sheet's server and group however many wait for it, so joins that
        arrive together still reach the queue together (and in their order)."""
        pending = self._scope_reads.get(sheet_id)
        if pending is None:
            pending = self._scope_reads[sheet_id] = asyncio.ensure_future(self._scope(sheet_id))
            pending.add_done_callback(lambda _: self._scope_reads.pop(sheet_id, None))
        return pending

    async def _scope(self, sheet_id: int) -> Scope | None:
        sheet = await self._store.get(sheet_id)
        if sheet is None:
            return None
        self._scopes[sheet_id] = sheet.scope
        return sheet.scope

    async def sheets(self, viewer: Viewer, *, open_only: bool) -> list[Sheet]:
        """The viewer's server's live sheets they may see, newest first."""
        live = await self._store.live(viewer.guild_id, open_only=open_only)
        return await self._visibility.keep(viewer, live, lambda s: s.scope)

    async def view(self, sheet: Sheet) -> SheetView:
        slots = await self._slots_of(sheet.id)
        return SheetView(sheet, slots, await self._store.counts(sheet.id))

    async def slot(self, sheet: Sheet, number: int) -> Slot:
        for slot in await self._slots_of(sheet.id):
            if slot.number == number:
                return slot
        raise UserError("error.signup.no_slot", slot=number)

    async def _slots_of(self, sheet_id: int) -> tuple[Slot, ...]:
        slots = self._slots.get(sheet_id)
        if slots is None:
            slots = self._slots[sheet_id] = tuple(await self._store.slots(sheet_id))
        return slots

    async def entries(self, sheet: Sheet) -> list[Entry]:
        return await self._store.entries(sheet.id)

    async def entries_of(self, sheet: Sheet, user_id: str) -> list[Entry]:
        return await self._store.entries_of(sheet.id, user_id)

    # -- creating and managing -------------------------------------------------------

    async def create(
        self,
        guild_id: str,
        *,
        title: str,
        channel: ChannelRef,
        creator: UserRef,
        slots: list[Slot],
        capacity: int,
        max_per_person: int,
        waitlist: bool,
        approval: bool,
        opens: datetime | None,
        closes: datetime | None,
        timezone: str,
        within_group: bool = True,
    ) -> Sheet:
        """A sheet posted in `channel`; in a group's channel it is that group's (seen
        only by its members) unless `within_group` is off (a learning programme's
        registration is as public as the programme)."""
        now = self._clock.now()
        group_id = await self._visibility.group_of_channel(channel.home) if within_group else None
        title = clean_name(title, option="title")
        # Lookalikes only among the sheets sharing this title space (the same group, or the
        # national ones): another group's titles must not show through.
        live = [
            s.title
            for s in await self._store.live(guild_id, open_only=False)
            if s.group_id == group_id
        ]
        existing = lookalike(title, [t for t in live if normalize(t) != normalize(title)])
        if existing is not None:
            raise UserError("error.name_lookalike", name=inert(title), existing=inert(existing))
        draft = Sheet(
            id=0,
            guild_id=guild_id,
            title=title,
            channel_id=channel.id,
            channel_name=channel.name,
            capacity=capacity,
            max_per_person=max_per_person,
            waitlist=waitlist,
            approval=approval,
            opens_at=opens,
            closes_at=closes,
            status=SheetStatus.OPEN,
            timezone=timezone,
            created_by=creator.id,
            created_at=now,
            group_id=group_id,
        )
        sheet_id = await self._store.create(draft, normalize(draft.title), slots)
        if sheet_id is None:
            raise UserError("error.signup.exists", title=inert(title))
        await self._community.remember(creator)
        sheet = replace(draft, id=sheet_id)
        self._scopes[sheet_id] = sheet.scope
        view = SheetView(sheet, tuple(slots))
        # Unposted (Discord down), the sheet still works by command.
        ref = await self._notify.post(
            channel.id, guild_id, lambda: messages.sheet_message(view, now)
        )
        if ref is not None:
            await self._store.set_message(sheet_id, ref.channel_id, ref.message_id)
            sheet = replace(sheet, message_channel_id=ref.channel_id, message_id=ref.message_id)
        self._schedule_sheet(sheet)
        return sheet

    async def close(self, sheet: Sheet) -> Sheet:
        closed = await self._store.set_status(sheet.id, SheetStatus.CLOSED, was=(SheetStatus.OPEN,))
        if closed is None:
            raise UserError("error.signup.already_closed", title=inert(sheet.title))
        self._jobs.cancel(Job(SignupJob.OPEN, sheet.id))
        self._jobs.cancel(Job(SignupJob.CLOSE, sheet.id))
        await self._live.refresh(sheet.id)
        await self._send_final_list(closed)
        return closed

    async def reopen(self, sheet: Sheet) -> Sheet:
        now = self._clock.now()
        closes = sheet.closes_at if sheet.closes_at and sheet.closes_at > now else None
        opened = await self._store.set_status(
            sheet.id,
            SheetStatus.OPEN,
            was=(SheetStatus.CLOSED,),
            opens_at=None,
            closes_at=closes,
            set_times=True,
        )
        if opened is None:
            raise UserError("error.signup.not_closed", title=inert(sheet.title))
        self._schedule_sheet(opened)
        await self._live.refresh(sheet.id)
        return opened

    async def delete(self, sheet: Sheet) -> Sheet:
        gone = await self._store.set_status(
            sheet.id, SheetStatus.DELETED, was=(SheetStatus.OPEN, SheetStatus.CLOSED)
        )
        if gone is None:
            raise UserError("error.signup.deleted", title=inert(sheet.title))
        self._jobs.cancel(Job(SignupJob.OPEN, sheet.id))
        self._jobs.cancel(Job(SignupJob.CLOSE, sheet.id))
        await self._live.refresh(sheet.id)
        return gone

    async def export(self, sheet: Sheet) -> bytes:
        view, entries = await self.view(sheet), await self._store.entries(sheet.id)
        return await off_loop(CSV_SECONDS, messages.csv_bytes, view, entries)

    # -- taking seats ----------------------------------------------------------------

    async def join(self, sheet_id: int, slot: int, viewer: Viewer) -> Placed:
        """Sign the viewer up: a seat, the end of the waitlist, or a request on sheets
        with approval. Raises the UserError that explains a refusal."""
        await self._require_seen(sheet_id, viewer)
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
        await self._live.refresh(sheet_id)
        return result

    async def add(self, sheet: Sheet, slot: int, user: UserRef) -> Placed:
        """A moderator signs someone up (or approves their request): past opening times
        and the per-person limit, never past the capacity."""
        result = await self._submit(Placement(sheet.id, slot, user.id, user.name, forced=True))
        if result.error is not None:
            raise result.error
        where = await self.slot(sheet, slot)
        await self._notify.tell(
            user.id, sheet.guild_id, lambda: messages.notice_placed(sheet, where, result)
        )
        await self._live.refresh(sheet.id)
        return result

    async def _submit(self, placement: Placement) -> Placed:
        future: asyncio.Future[Placed] = asyncio.get_running_loop().create_future()
        self._queue.append((placement, future))
        if self._drainer is None or self._drainer.done():
            self._drainer = asyncio.create_task(self._drain())
        return await future

    async def _drain(self) -> None:
        """Write every queued placement, a queue at a time, each queue in ONE transaction."""
        await asyncio.sleep(0)  # let the joins that arrived together share the transaction
        while self._queue:
            batch, self._queue = self._queue, []
            try:
                results = await self._store.place_many([p for p, _ in batch], self._clock.now())
            except Exception as exc:
                log.exception("placing %d sign-ups failed", len(batch))
                for _, future in batch:
                    if not future.done():
                        future.set_exception(exc)
                continue
            self.batches += 1
            for (_, future), result in zip(batch, results, strict=True):
                if not future.done():
                    future.set_result(result)

    # -- giving seats back -----------------------------------------------------------

    async def leave(self, sheet_id: int, slot: int, viewer: Viewer) -> Change:
        await self._require_seen(sheet_id, viewer)
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
        await self._require_seen(sheet_id, viewer)
        change = await self._store.accept(sheet_id, slot, viewer.user_id, self._clock.now())
        if change.entry is not None:
            self._jobs.cancel(Job(SignupJob.OFFER_EXPIRES, change.entry.seq))
        await self._live.refresh(sheet_id)
        return change

    async def decline(self, sheet_id: int, slot: int, viewer: Viewer) -> Change:
        await self._require_seen(sheet_id, viewer)
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
        where = await self.slot(sheet, to_slot)
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
        await self._live.refresh(change.sheet.id)

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
        slot = next((s for s in await self._slots_of(sheet.id) if s.number == entry.slot), None)
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

    # -- the posted sheet ------------------------------------------------------------

    async def _edit(self, sheet_id: int) -> None:
        sheet = await self._store.get(sheet_id)
        if sheet is None or sheet.message_id is None or sheet.message_channel_id is None:
            return
        view = await self.view(sheet)
        now = self._clock.now()
        await self._notify.edit(
            sheet.message_channel_id,
            sheet.message_id,
            sheet.guild_id,
            lambda: messages.sheet_message(view, now),
        )

    async def _send_final_list(self, sheet: Sheet) -> None:
        view = await self.view(sheet)
        entries = await self._store.entries(sheet.id)
        data = await off_loop(CSV_SECONDS, messages.csv_bytes, view, entries)
        await self._notify.tell(
            sheet.created_by, sheet.guild_id, lambda: messages.final_list(view, entries, data)
        )

    # -- the scheduler's side --------------------------------------------------------

    def _schedule_sheet(self, sheet: Sheet) -> None:
        if sheet.status is not SheetStatus.OPEN:
            return
        if sheet.opens_at is not None and sheet.opens_at > self._clock.now():
            self._jobs.schedule(Job(SignupJob.OPEN, sheet.id), sheet.opens_at)
        if sheet.closes_at is not None:
            self._jobs.schedule(Job(SignupJob.CLOSE, sheet.id), sheet.closes_at)

    async def _sheet_due(self, job: Job[SignupJob]) -> None:
        now = self._clock.now()
        if job.kind is SignupJob.OPEN:
            if await self._store.mark_opened(job.row, now):
                await self._live.refresh(job.row)
        elif job.kind is SignupJob.CLOSE:
            closed = await self._store.close_due(job.row, now)
            if closed is not None:
                await self._live.refresh(job.row)
                await self._send_final_list(closed)
        elif job.kind is SignupJob.OFFER_EXPIRES:
            change = await self._store.expire(job.row, now, self._offer_for)
            if change is not None and change.entry is not None:
                entry, sheet = change.entry, change.sheet
                await self._notify.tell(
                    entry.user_id, sheet.guild_id, lambda: messages.offer_expired(sheet, entry.slot)
                )
                await self._after(change)
