"""Learning programme use cases, built on the features that already carry each part:
registration is a sign-up sheet (Signups: capacity, waitlist, window), each session
is an event of kind "training" (bot/events: the announcement, RSVP, reminders). This
service keeps only what ties them to a programme: its themes and who attended.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import datetime, timedelta

from bot.clock import Clock
from bot.community.service import CommunityService
from bot.db import Transaction, from_db, whole_second
from bot.errors import UserError
from bot.events.lookup import EventLookup
from bot.events.model import Event, Kind
from bot.events.publishing import Outcome, Publisher
from bot.i18n import use_locale
from bot.learning import messages
from bot.learning.model import (
    CERTIFICATE_LETTER,
    SLOT,
    Certificates,
    LearningJob,
    OverviewRow,
    Participant,
    Program,
    Session,
    ThemeDays,
    parse_program_ref,
)
from bot.learning.store import LearningStore
from bot.notify import Notifier
from bot.offload import CERTIFICATE_SECONDS, off_loop
from bot.outbox import Courier, Envelope, Outbox, Status
from bot.ports import Messenger
from bot.refs import ChannelRef, UserRef
from bot.replies import Reply
from bot.scheduler import Job, Scheduler
from bot.signups.model import EntryStatus, Placed, SheetView, Slot
from bot.signups.store import Change
from bot.signups.wiring import Signups
from bot.text import clean_name, inert, lookalike, normalize
from bot.timelang.timestamps import when
from bot.visibility import SYSTEM, Viewer

log = logging.getLogger(__name__)

# A programme without a capacity takes as many as a sheet can hold.
DEFAULT_CAPACITY = 500


def first_checkin(starts: datetime, ends: datetime, weeks: int | None) -> datetime | None:
    """The first check-in: `weeks` after the start, if the programme still runs then."""
    if not weeks:
        return None
    at = whole_second(starts + timedelta(weeks=weeks))
    return at if at <= ends else None


class LearningService:
    def __init__(
        self,
        store: LearningStore,
        clock: Clock,
        scheduler: Scheduler,
        messenger: Messenger,
        signups: Signups,
        publisher: Publisher,
        lookup: EventLookup,
        community: CommunityService,
        outbox: Outbox,
        *,
        full_name: Callable[[str], Awaitable[str | None]],
    ) -> None:
        self._store = store
        # The name a person chose in their profile (groups' Profiles), for certificates.
        self._full_name = full_name
        self._clock = clock
        self._sheets = signups.sheets
        self._seats = signups.seats
        self._publisher = publisher
        self._lookup = lookup
        self._community = community
        self._notify = Notifier(messenger, community)
        self._outbox = outbox
        self._jobs = scheduler.register_each("learning", self._checkin, self._store.checkins_due)
        outbox.register(
            CERTIFICATE_LETTER, Courier(self._draw_certificate, settled=self._certificate_settled)
        )

    # -- programmes --------------------------------------------------------------------

    async def create(
        self,
        guild_id: str,
        *,
        name: str,
        themes: tuple[str, ...],
        starts: datetime,
        ends: datetime,
        capacity: int | None,
        opens: datetime | None,
        closes: datetime | None,
        channel: ChannelRef,
        creator: UserRef,
        timezone: str,
        checkin_weeks: int | None = None,
        threshold: int = 1,
    ) -> tuple[Program, int]:
        """Save the programme and open its registration sheet; (programme, sheet id)."""
        name = clean_name(name, option="name")
        key = normalize(name)
        if not key:
            raise UserError("error.learning.bad_name")
        if await self._store.name_taken(guild_id, key):
            raise UserError("error.learning.exists", name=inert(name))
        others = [p.name for p in await self._store.all(guild_id) if normalize(p.name) != key]
        existing = lookalike(name, others)
        if existing is not None:
            raise UserError("error.name_lookalike", name=inert(name), existing=inert(existing))
        sheet = await self._sheets.create(
            guild_id,
            title=name,
            channel=channel,
            creator=creator,
            slots=[Slot(SLOT, whole_second(starts), name.strip())],
            capacity=capacity or DEFAULT_CAPACITY,
            max_per_person=1,
            waitlist=True,
            approval=False,
            opens=whole_second(opens) if opens else None,
            closes=whole_second(closes) if closes else None,
            timezone=timezone,
            # National, whichever channel it was typed in: not one group's.
            within_group=False,
        )
        draft = Program(
            id=0,
            guild_id=guild_id,
            name=name.strip(),
            themes=themes,
            starts_at=whole_second(starts),
            ends_at=whole_second(ends),
            sheet_id=sheet.id,
            timezone=timezone,
            created_by=creator.id,
            created_at=whole_second(self._clock.now()),
            checkin_weeks=checkin_weeks,
            next_checkin_at=first_checkin(starts, ends, checkin_weeks),
            threshold=threshold,
        )
        program_id = await self._store.create(draft, key)
        if program_id is None:  # made at the same moment by someone else
            await self._sheets.delete(sheet)
            raise UserError("error.learning.exists", name=inert(name))
        program = replace(draft, id=program_id)
        if program.next_checkin_at is not None:
            self._jobs.schedule(Job(LearningJob.CHECKIN, program.id), program.next_checkin_at)
        return program, sheet.id

    async def find(self, guild_id: str, ref: str) -> Program:
        """A programme by id ('3', '#3'), name, or a part of the name naming one."""
        program_id = parse_program_ref(ref)
        program: Program | None
        if program_id is not None:
            program = await self._store.get(program_id)
            if program is not None and program.guild_id != guild_id:
                program = None
        else:
            wanted = normalize(ref)
            program = await self._store.by_name(guild_id, wanted)
            if program is None and wanted:
                matches = [
                    p for p in await self._store.all(guild_id) if wanted in normalize(p.name)
                ]
                program = matches[0] if len(matches) == 1 else None
        if program is None:
            raise UserError("error.learning.unknown", program=inert(ref))
        return program

    async def all(self, guild_id: str) -> list[Program]:
        return await self._store.all(guild_id)

    async def registration(self, program: Program) -> SheetView:
        return await self._sheets.view(await self._sheets.get(program.sheet_id, SYSTEM))

    # -- registration: through the programme's sheet ---------------------------------

    async def join(self, program: Program, viewer: Viewer) -> Placed:
        try:
            return await self._seats.join(program.sheet_id, SLOT, viewer)
        except UserError as exc:
            if exc.key != "error.signup.slot_started":
                raise
            # Seats freed after the start are not offered on, so a late join would pass
            # the waitlist: from the start only a moderator gives seats (/signup add).
            raise UserError(
                "error.learning.started", name=inert(program.name), start=when(program.starts_at)
            ) from None

    async def leave(self, program: Program, viewer: Viewer) -> Change:
        return await self._seats.leave(program.sheet_id, SLOT, viewer)

    # -- sessions: events of kind "training" -------------------------------------------

    async def add_session(
        self, program: Program, theme: str, draft: Event, creator: UserRef
    ) -> tuple[Outcome, Session]:
        """Announce the session as a training event and tie it to the programme's theme."""
        if draft.kind is not Kind.TRAINING:
            draft = replace(draft, kind=Kind.TRAINING)
        outcome = await self._publisher.create(draft, creator)
        event = outcome.event
        await self._store.add_session(event.id, program.id, theme)
        session = Session(
            event.id, program.id, theme, event.title, event.starts_at, event.ends_at, event.place
        )
        return outcome, session

    async def sessions(self, program: Program) -> list[Session]:
        return await self._store.sessions(program.id)

    async def session(self, viewer: Viewer, ref: str) -> tuple[Program, Session]:
        """A programme's session by its event id or title (EventLookup.find)."""
        event = await self._lookup.find(viewer, ref)
        session = await self._store.session(event.id)
        if session is None:
            raise UserError("error.learning.not_session", event=inert(event.title))
        program = await self._store.get(session.program_id)
        assert program is not None
        return program, session

    # -- participation -----------------------------------------------------------------

    async def attendance(self, session: Session, people: list[UserRef], by: UserRef) -> int:
        """Mark people present at a session; how many were newly marked."""
        named = []
        for person in people:
            # A mention carries no display name of its own (the console's "@anna" is a
            # handle): the name people gave is kept, never overwritten from here.
            known = await self._community.display_name(person.id)
            named.append((person.id, known or person.name or person.id.split(":", 1)[-1]))
        return await self._store.mark(session.event_id, named, by.id, self._clock.now())

    async def record(self, guild_id: str, user_id: str) -> list[ThemeDays]:
        return await self._store.record(guild_id, user_id)

    async def participants(self, program: Program) -> list[Participant]:
        return await self._store.participants(program)

    async def server_locale(self, guild_id: str) -> str:
        """The server's language: what its records (the overview's CSV) are written in."""
        return await self._notify.guild_locale(guild_id)

    async def overview(self, program: Program) -> list[OverviewRow]:
        """Everyone registered (seat, offer, waitlist) or marked present, with attendance
        per theme and the date of their last learning-line entry (never its text: the
        line stays private)."""
        entries = await self._sheets.entries(await self._sheets.get(program.sheet_id, SYSTEM))
        present = {p.user_id: p for p in await self._store.participants(program)}
        last = await self._store.last_entries(program.guild_id)
        none = tuple((theme, 0) for theme in program.themes)
        rows: list[OverviewRow] = []
        for entry in entries:
            attended = present.pop(entry.user_id, None)
            rows.append(
                OverviewRow(
                    entry.user_id,
                    entry.name,
                    entry.status.value,
                    attended.themes if attended else none,
                    last.get(entry.user_id),
                )
            )
        for person in present.values():
            rows.append(
                OverviewRow(
                    person.user_id, person.name, "", person.themes, last.get(person.user_id)
                )
            )
        return rows

    async def certificates(self, program: Program, *, again: bool = False) -> Certificates:
        """Send a certificate by DM, in each one's language, to everyone who attended at
        least `threshold` sessions and has not had one (everyone qualifying, `again`).
        Each is an outbox letter written with the record that it was issued, so a crash
        cannot lose one; a DM that can never arrive (closed) takes the record back."""
        issued = whole_second(self._clock.now())
        had = await self._store.certified(program)
        chosen: list[Participant] = []
        skipped = 0
        for person in await self._store.participants(program):
            if person.days < program.threshold:
                continue
            if person.user_id in had and not again:
                skipped += 1
                continue
            # The name they chose in their profile, else the one they go by now (they may
            # have spoken to the bot since being marked).
            name = await self._full_name(person.user_id) or await self._community.display_name(
                person.user_id
            )
            chosen.append(replace(person, name=name or person.name))
        if not chosen:
            return Certificates([], skipped)
        letters = await self._store.certify(program, chosen, issued)
        outcomes = await self._outbox.deliver(letters)
        sent = [
            (person, outcomes.get(letter, Status.PENDING))
            for person, letter in zip(chosen, letters, strict=True)
        ]
        return Certificates(sent, skipped)

    async def _draw_certificate(self, envelope: Envelope) -> Reply | None:
        """The certificate as issued, drawn in its reader's language when it is sent."""
        program = await self._store.get(int(envelope.payload["program"]))
        user_id = envelope.letter.user_id
        if program is None or user_id is None:
            return None
        person = Participant(
            user_id,
            str(envelope.payload["name"]),
            tuple((str(theme), int(days)) for theme, days in envelope.payload["themes"]),
        )
        issued = from_db(str(envelope.payload["issued"]))
        # Drawn in their language, off the event loop (a few hundred ms each).
        with use_locale(await self._community.locale_for(user_id, program.guild_id)):
            png = await off_loop(
                CERTIFICATE_SECONDS, messages.certificate_png, program, person, issued
            )
            return messages.certificate(program, person, png)

    async def _certificate_settled(
        self, tx: Transaction, envelope: Envelope, status: Status
    ) -> None:
        if status in (Status.FAILED, Status.DROPPED) and envelope.letter.user_id is not None:
            await self._store.uncertify(
                tx,
                int(envelope.payload["program"]),
                envelope.letter.user_id,
                str(envelope.payload["issued"]),
            )

    # -- check-in reminders: a job a programme, rebuilt from next_checkin_at ----------

    async def _checkin(self, job: Job[LearningJob]) -> None:
        program = await self._store.get(job.row)
        if program is None or program.next_checkin_at is None or not program.checkin_weeks:
            return
        sheet = await self._sheets.get(program.sheet_id, SYSTEM)
        entries = await self._sheets.entries(sheet)
        for entry in entries:
            if entry.status is EntryStatus.CONFIRMED:
                await self._notify.tell(
                    entry.user_id, program.guild_id, lambda: messages.checkin(program)
                )
        # One reminder even after a long downtime; the next one is still ahead.
        step = timedelta(weeks=program.checkin_weeks)
        following = program.next_checkin_at + step
        now = self._clock.now()
        while following <= now:
            following += step
        due = following if following <= program.ends_at else None
        await self._store.set_next_checkin(program.id, due)
        if due is not None:
            self._jobs.schedule(Job(LearningJob.CHECKIN, program.id), due)
