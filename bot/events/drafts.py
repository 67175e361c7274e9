"""The Discord form's drafts: what was typed into `/event create`'s form, kept until the
preview is confirmed or discarded."""

from __future__ import annotations

from bot.clock import Clock
from bot.errors import UserError
from bot.events.model import Draft
from bot.events.store import EventStore


class Drafts:
    def __init__(self, store: EventStore, clock: Clock) -> None:
        self._store = store
        self._clock = clock

    async def save(
        self, guild_id: str, user_id: str, channel_id: str, channel_name: str, options: dict
    ) -> int:
        clean = {k: str(v) for k, v in options.items() if v is not None and str(v).strip()}
        return await self._store.save_draft(
            guild_id, user_id, channel_id, channel_name, clean, self._clock.now()
        )

    async def get(self, draft_id: int) -> Draft:
        draft = await self._store.draft(draft_id)
        if draft is None:
            raise UserError("error.event.draft_gone")
        return draft

    async def take(self, draft_id: int) -> None:
        """Use the draft up (confirmed or discarded); a second press finds it gone."""
        if not await self._store.take_draft(draft_id):
            raise UserError("error.event.draft_gone")
