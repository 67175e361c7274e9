"""What a server's digest holds, read from the features' own services.

Nothing is kept for the digest: events, sign-up sheets, programmes, groups and meetings are
asked for as they are now. Everything is read as anyone in the server sees it
(bot/visibility.py `anyone_in`), so a group's events and sheets never appear; of the groups
themselves only those that are public (`/group edit public:`) are named, new or meeting.
"""

from __future__ import annotations

from datetime import datetime

from bot.digest.model import (
    AHEAD,
    NEW_FOR,
    Digest,
    EventItem,
    MeetingItem,
    ProgramItem,
    SheetItem,
)
from bot.events.lookup import EventLookup
from bot.events.model import Registration
from bot.groups.directory import GroupDirectory
from bot.groups.meetings import Meetings
from bot.learning.service import LearningService
from bot.signups.model import Phase, SheetView
from bot.signups.sheets import Sheets
from bot.visibility import anyone_in


class Assembly:
    def __init__(
        self,
        events: EventLookup,
        sheets: Sheets,
        learning: LearningService,
        groups: GroupDirectory,
        meetings: Meetings,
    ) -> None:
        self._events = events
        self._sheets = sheets
        self._learning = learning
        self._groups = groups
        self._meetings = meetings

    async def digest(self, guild_id: str, now: datetime) -> Digest:
        """The server's coming fortnight, as of `now`."""
        end = now + AHEAD
        programs = await self._programs(guild_id, now)
        # A programme's registration is a sheet too: it is listed once, as the programme.
        taken = {item.program.sheet_id for item in programs}
        sheets = await self._open_sheets(guild_id, now)
        return Digest(
            guild_id,
            now,
            end,
            events=await self._events_ahead(guild_id, now, end),
            sheets=tuple(item for item in sheets if item.sheet.id not in taken),
            programs=programs,
            new_groups=tuple(
                g for g in await self._groups.created_since(guild_id, now - NEW_FOR) if g.public
            ),
            meetings=await self._meetings_ahead(guild_id, now, end),
        )

    async def _events_ahead(
        self, guild_id: str, now: datetime, end: datetime
    ) -> tuple[EventItem, ...]:
        """Events for the whole server starting in the fortnight, with a seat to take."""
        items = []
        for event in await self._events.upcoming(anyone_in(guild_id), after=now, before=end):
            if event.starts_at < now or event.registration(now) is Registration.CLOSED:
                continue
            left = None
            if event.capacity is not None:
                left = event.capacity - (await self._events.counts(event)).going
                if left <= 0:
                    continue
            items.append(EventItem(event, left))
        return tuple(items)

    async def _open_sheets(self, guild_id: str, now: datetime) -> list[SheetItem]:
        items = []
        for sheet in await self._sheets.sheets(anyone_in(guild_id), open_only=True):
            if sheet.phase(now) is not Phase.OPEN:
                continue
            view = await self._sheets.view(sheet)
            if any(slot.starts_at > now for slot in view.slots):  # else nothing to sign up for
                items.append(SheetItem(sheet, _free(view, now)))
        return sorted(items, key=lambda item: (item.sheet.closes_at is None, item.sheet.closes_at))

    async def _programs(self, guild_id: str, now: datetime) -> tuple[ProgramItem, ...]:
        """Programmes whose registration is open now."""
        items = []
        for program in await self._learning.all(guild_id):
            registration = (await self._learning.registration(program)).sheet
            if program.ends_at > now and registration.phase(now) is Phase.OPEN:
                items.append(ProgramItem(program, registration.closes_at))
        return tuple(items)

    async def _meetings_ahead(
        self, guild_id: str, now: datetime, end: datetime
    ) -> tuple[MeetingItem, ...]:
        items = []
        for group in await self._groups.all(guild_id):
            if not group.public:
                continue
            meeting = await self._meetings.next_meeting(group)
            if meeting is not None and now <= meeting.starts_at < end:
                items.append(MeetingItem(group, meeting))
        return tuple(sorted(items, key=lambda item: item.meeting.starts_at))


def _free(view: SheetView, now: datetime) -> int:
    """Places still free in the sheet's slots to come."""
    return sum(
        max(0, view.sheet.capacity - view.count(slot.number).taken)
        for slot in view.slots
        if slot.starts_at > now
    )
