"""Sign-up sheets themselves: finding one as the viewer may see it (bot/visibility.py),
creating, closing, reopening, deleting and exporting, the posted sheet kept up to date,
and opening and closing on time (at the latest when the last slot starts).

The scheduler's "signup" feature is registered here, once: opening and closing on time
are the sheets' jobs, and the seats (bot/signups/seats.py) route an offer's expiry to
themselves.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from bot.clock import Clock
from bot.community.service import CommunityService
from bot.errors import UserError
from bot.notify import LiveMessages, Notifier
from bot.offload import CSV_SECONDS, off_loop
from bot.refs import ChannelRef, UserRef
from bot.scheduler import Job, Routes, Scheduler
from bot.signups import messages
from bot.signups.model import (
    Entry,
    Sheet,
    SheetStatus,
    SheetView,
    SignupJob,
    Slot,
    closing,
    parse_sheet_ref,
)
from bot.signups.store import SignupStore, Standing
from bot.text import clean_name, inert, lookalike, normalize
from bot.titles import Ambiguous, Match, named
from bot.visibility import Scope, Viewer, Visibility


class Sheets:
    def __init__(
        self,
        store: SignupStore,
        clock: Clock,
        scheduler: Scheduler,
        community: CommunityService,
        visibility: Visibility,
        notify: Notifier,
    ) -> None:
        self._store = store
        self._clock = clock
        self._community = community
        self._visibility = visibility
        self._notify = notify
        self._live = LiveMessages(self._edit)
        # A sheet's slots never change once it exists, so they are read once.
        self._slots: dict[int, tuple[Slot, ...]] = {}
        # Nor do its server and group: who may see it is decided without reading it again,
        # and a burst of clicks on a sheet not read yet reads it once.
        self._scopes: dict[int, Scope] = {}
        self._scope_reads: dict[int, asyncio.Future[Scope | None]] = {}
        # How a sheet stood after the last placements written on it: its redraw uses it
        # instead of reading the sheet again while nothing was written since.
        self._standing: dict[int, Standing] = {}
        self.routes: Routes[SignupJob] = Routes()
        self.jobs = scheduler.register_each("signup", self.routes.run, store.due_before)
        self.routes.add(SignupJob.OPEN, self._open_due)
        self.routes.add(SignupJob.CLOSE, self._close_due)

    # -- finding ---------------------------------------------------------------------

    async def find(self, viewer: Viewer, ref: str) -> Sheet:
        """A sheet of the viewer's server by id ('42', '#42') or title, or a part of the
        title that names one sheet (bot/titles.py); deleted and unknown ones are errors, and
        one the viewer may not see is unknown (bot/visibility.py)."""
        sheet_id = parse_sheet_ref(ref)
        if sheet_id is not None:
            found = await self._store.get(sheet_id)
            candidates = [found] if found is not None and found.guild_id == viewer.guild_id else []
        else:
            candidates = await self._store.by_title(viewer.guild_id, normalize(ref))
        seen = await self._visibility.keep(viewer, candidates, lambda s: s.scope)
        if not seen and sheet_id is None:
            seen = named(ref, await self.sheets(viewer, open_only=False), lambda s: s.title)
        if not seen:
            raise UserError("error.signup.unknown", sheet=inert(ref))
        live = [s for s in seen if s.status is not SheetStatus.DELETED]
        if len(live) > 1:
            # A group's sheet and a national one may share a title: never pick one silently.
            listed = [Match(s.id, s.title, s.group_id, await self._first_start(s)) for s in live]
            groups = await self._visibility.group_names(s.group_id for s in live)
            raise Ambiguous("error.signup.several", ref, "sheet", listed, groups)
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

    async def require_seen(self, sheet_id: int, viewer: Viewer) -> None:
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
        slots = await self.slots_of(sheet.id)
        return SheetView(sheet, slots, await self._store.counts(sheet.id))

    async def slot(self, sheet: Sheet, number: int) -> Slot:
        for slot in await self.slots_of(sheet.id):
            if slot.number == number:
                return slot
        raise UserError("error.signup.no_slot", slot=number)

    async def slots_of(self, sheet_id: int) -> tuple[Slot, ...]:
        slots = self._slots.get(sheet_id)
        if slots is None:
            slots = self._slots[sheet_id] = tuple(await self._store.slots(sheet_id))
        return slots

    async def _first_start(self, sheet: Sheet) -> datetime | None:
        """When the sheet's earliest slot starts: what tells apart sheets of one title."""
        return min((slot.starts_at for slot in await self.slots_of(sheet.id)), default=None)

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
        self._schedule(sheet, slots)
        return sheet

    async def close(self, sheet: Sheet) -> Sheet:
        closed = await self._store.set_status(sheet.id, SheetStatus.CLOSED, was=(SheetStatus.OPEN,))
        if closed is None:
            raise UserError("error.signup.already_closed", title=inert(sheet.title))
        self.jobs.cancel(Job(SignupJob.OPEN, sheet.id))
        self.jobs.cancel(Job(SignupJob.CLOSE, sheet.id))
        await self._live.refresh(sheet.id)
        await self._send_final_list(closed)
        return closed

    async def reopen(self, sheet: Sheet) -> Sheet:
        now = self._clock.now()
        slots = await self.slots_of(sheet.id)
        if all(slot.started(now) for slot in slots):
            raise UserError("error.signup.all_started", title=inert(sheet.title))
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
        self._schedule(opened, slots)
        await self._live.refresh(sheet.id)
        return opened

    async def delete(self, sheet: Sheet) -> Sheet:
        gone = await self._store.set_status(
            sheet.id, SheetStatus.DELETED, was=(SheetStatus.OPEN, SheetStatus.CLOSED)
        )
        if gone is None:
            raise UserError("error.signup.deleted", title=inert(sheet.title))
        self.jobs.cancel(Job(SignupJob.OPEN, sheet.id))
        self.jobs.cancel(Job(SignupJob.CLOSE, sheet.id))
        await self._live.refresh(sheet.id)
        return gone

    async def export(self, sheet: Sheet) -> bytes:
        """The list as CSV in the server's language: it is the server's record, whoever
        asks for it."""
        view, entries = await self.view(sheet), await self._store.entries(sheet.id)
        locale = await self._notify.guild_locale(sheet.guild_id)
        return await off_loop(CSV_SECONDS, messages.csv_bytes, view, entries, locale)

    # -- the posted sheet ------------------------------------------------------------

    async def refresh(self, sheet_id: int) -> None:
        """Redraw the posted sheet from the rows (a burst of changes folds into a couple
        of edits)."""
        await self._live.refresh(sheet_id)

    def stand(self, standings: list[Standing]) -> None:
        """Note how sheets stand after a commit (see `_edit`)."""
        for standing in standings:
            self._standing[standing.sheet.id] = standing

    async def _edit(self, sheet_id: int) -> None:
        standing = self._standing.pop(sheet_id, None)
        if standing is not None and standing.changes == self._store.changes():
            sheet, counts = standing.sheet, standing.counts
            self._standing[sheet_id] = standing
        else:
            counted = await self._store.get_counted(sheet_id)
            if counted is None:
                return
            sheet, counts = counted
        if sheet.message_id is None or sheet.message_channel_id is None:
            return
        view = SheetView(sheet, await self.slots_of(sheet_id), counts)
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
        locale = await self._notify.guild_locale(sheet.guild_id)
        data = await off_loop(CSV_SECONDS, messages.csv_bytes, view, entries, locale)
        await self._notify.tell(
            sheet.created_by, sheet.guild_id, lambda: messages.final_list(view, entries, data)
        )

    # -- opening and closing on time -------------------------------------------------

    def _schedule(self, sheet: Sheet, slots: Sequence[Slot]) -> None:
        if sheet.status is not SheetStatus.OPEN:
            return
        if sheet.opens_at is not None and sheet.opens_at > self._clock.now():
            self.jobs.schedule(Job(SignupJob.OPEN, sheet.id), sheet.opens_at)
        # Closing on time also ends a sheet without a closing time: at its last slot.
        self.jobs.schedule(Job(SignupJob.CLOSE, sheet.id), closing(sheet.closes_at, slots))

    async def _open_due(self, job: Job[SignupJob]) -> None:
        if await self._store.mark_opened(job.row, self._clock.now()):
            await self._live.refresh(job.row)

    async def _close_due(self, job: Job[SignupJob]) -> None:
        closed = await self._store.close_due(job.row, self._clock.now())
        if closed is not None:
            await self._live.refresh(job.row)
            # The author who set a closing time gets the list then (or when the last slot
            # started first); a sheet without one has no closing to report.
            if closed.closes_at is not None:
                await self._send_final_list(closed)
