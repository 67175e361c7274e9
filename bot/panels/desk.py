"""What every part of a panel shares (the lifecycle, the floor, the audience).

Finding a panel as the viewer may see it (bot/visibility.py) and reading its state; the
lock per panel, so that changes to one panel's floor run one at a time and a time-up and
a `next` never cross; posting in the panel's place, dressed for Tłusty Czwartek, and
keeping its card (edited live, like a sign-up sheet) in step with the rows; which
channels live panels speak in; and the scheduler's one "panel" feature, whose kinds of
job each part routes to itself.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import datetime

from bot.clock import Clock
from bot.community.service import CommunityService
from bot.db import whole_second
from bot.errors import UserError
from bot.i18n import use_locale
from bot.notify import LiveMessages, Notifier
from bot.panels import messages
from bot.panels.model import (
    Panel,
    PanelJob,
    PanelState,
    PanelStatus,
    QuestionStatus,
    hand_position,
    is_fat_thursday,
    local_day,
    parse_panel_ref,
)
from bot.panels.store import PanelStore
from bot.ports import DeliveryFailed, MessageRef, Messenger
from bot.refs import UserRef
from bot.replies import Reply
from bot.scheduler import Routes, Scheduler
from bot.text import inert
from bot.titles import Ambiguous, Match, named
from bot.visibility import Viewer, Visibility

log = logging.getLogger(__name__)

# Of these people, who asked to be left out of transcripts (`/privacy transcripts off`).
OptedOut = Callable[[set[str]], Awaitable[set[str]]]


class PanelDesk:
    def __init__(
        self,
        store: PanelStore,
        clock: Clock,
        scheduler: Scheduler,
        messenger: Messenger,
        community: CommunityService,
        visibility: Visibility,
        notify: Notifier,
    ) -> None:
        self._store = store
        self._clock = clock
        self._messenger = messenger
        self._community = community
        self._visibility = visibility
        self._notify = notify
        self._locks: dict[int, asyncio.Lock] = {}
        # Where live panels speak → panel id: chat anywhere else is ignored at once.
        self._live: dict[str, int] | None = None
        self._cards = LiveMessages(self._edit_card)
        self.routes: Routes[PanelJob] = Routes()
        self.jobs = scheduler.register_each("panel", self.routes.run, store.due_before)

    def lock(self, panel_id: int) -> asyncio.Lock:
        return self._locks.setdefault(panel_id, asyncio.Lock())

    def now(self) -> datetime:
        return whole_second(self._clock.now())

    # -- finding ---------------------------------------------------------------------

    async def get(self, panel_id: int, viewer: Viewer) -> Panel:
        """The panel of this number, when the viewer may see it (bot/visibility.py)."""
        panel = await self._store.get(panel_id)
        if panel is None or not await self._visibility.sees(viewer, panel.scope):
            raise UserError("error.panel.unknown", panel=panel_id)
        return panel

    async def reread(self, panel_id: int) -> Panel:
        """For the core's own steps on a panel already found (or a scheduled job)."""
        panel = await self._store.get(panel_id)
        if panel is None:
            raise UserError("error.panel.unknown", panel=panel_id)
        return panel

    async def panels(self, viewer: Viewer) -> list[Panel]:
        """The viewer's server's planned and live panels they may see, soonest first."""
        panels = await self._store.of_guild(viewer.guild_id)
        return await self._visibility.keep(viewer, panels, lambda p: p.scope)

    async def find(
        self, viewer: Viewer, ref: str | None, channel_id: str, *, statuses: tuple[PanelStatus, ...]
    ) -> Panel:
        """The panel named (by number or topic), or the one that runs (or will run) where
        the command was said, or the only one there is — of those the viewer may see."""
        guild_id = viewer.guild_id
        candidates = [p for p in await self.panels(viewer) if p.status in statuses]
        if ref:
            number = parse_panel_ref(ref)
            panel: Panel | None
            if number is not None:
                panel = await self._store.get(number)
                if panel is not None and not await self._visibility.sees(viewer, panel.scope):
                    panel = None
            else:
                # One in the state the command needs first; else any the viewer sees, so
                # a planned panel named by its topic is answered as planned, not unknown.
                found = named(ref, candidates, _topic) or named(
                    ref, await self.panels(viewer), _topic
                )
                if len(found) > 1:
                    listed = [Match(p.id, p.topic, p.group_id, p.starts_at) for p in found]
                    groups = await self._visibility.group_names(p.group_id for p in found)
                    raise Ambiguous("error.panel.several", ref, "panel", listed, groups)
                panel = found[0] if found else None
            if panel is None or panel.guild_id != guild_id:
                raise UserError("error.panel.unknown", panel=inert(ref))
            return panel
        here = [p for p in candidates if channel_id in (p.place_id, p.channel_id)]
        if here:
            return here[0]
        if len(candidates) == 1:
            return candidates[0]
        raise UserError("error.panel.which")

    async def state(self, panel: Panel) -> PanelState:
        questions = await self._store.questions(panel.id)
        current = next((q for q in questions if q.status is QuestionStatus.CURRENT), None)
        waiting = sum(1 for q in questions if q.status is QuestionStatus.QUEUED)
        return PanelState(
            panel,
            floor=await self._store.open_turn(panel.id),
            queue=tuple(await self._store.queue(panel.id)),
            current_question=current,
            waiting_questions=waiting,
            tally=tuple(await self._store.tally(panel.id)),
        )

    async def queue_position(self, panel: Panel, user_id: str) -> int:
        return hand_position(await self._store.queue(panel.id), user_id)

    async def named(self, user: UserRef) -> UserRef:
        """A name for people known only by a mention (platform ids in a text option)."""
        if user.name:
            await self._community.remember(user)
            return user
        known = await self._community.display_name(user.id)
        return UserRef(user.id, known or user.id.split(":", 1)[-1])

    async def live_places(self) -> dict[str, int]:
        """Where live panels speak → panel id; starting and ending a panel keep it true."""
        if self._live is None:
            self._live = await self._store.live_places()
        return self._live

    # -- posting ---------------------------------------------------------------------

    async def post(
        self, panel: Panel, channel_id: str, build: Callable[[bool], Reply]
    ) -> MessageRef | None:
        """Post a panel message (see `dressed`); None when it failed."""
        reply = await self.dressed(panel, build)
        try:
            return await self._messenger.send_channel(channel_id, reply)
        except DeliveryFailed as exc:
            log.warning("panel %d could not post in %s: %s", panel.id, channel_id, exc)
            return None

    async def dressed(self, panel: Panel, build: Callable[[bool], Reply]) -> Reply:
        """A panel message in the server's language, with the pączek theme on Tłusty
        Czwartek and the greeting on that day's first one in the server."""
        now = self._clock.now()
        themed = _themed(panel, now)
        greet = themed and await self._store.greet(panel.guild_id, local_day(now, panel.timezone))
        with use_locale(await self._notify.guild_locale(panel.guild_id)):
            reply = build(themed)
            if greet:
                reply = replace(reply, text=messages.greeting() + "\n\n" + reply.text)
        return reply

    async def refresh_card(self, panel_id: int) -> None:
        """Redraw the panel's card from the rows (a burst of changes folds into one edit)."""
        await self._cards.refresh(panel_id)

    async def _edit_card(self, panel_id: int) -> None:
        panel = await self._store.get(panel_id)
        if panel is None or panel.card_message_id is None:
            return
        state = await self.state(panel)
        now = self._clock.now()
        themed = _themed(panel, now)
        await self._notify.edit(
            panel.where,
            panel.card_message_id,
            panel.guild_id,
            lambda: messages.card(state, self._messenger.mention, now, themed=themed),
        )


def _themed(panel: Panel, now: datetime) -> bool:
    return is_fat_thursday(now, panel.timezone)


def require_live(panel: Panel) -> None:
    if panel.status is PanelStatus.SCHEDULED:
        raise UserError("error.panel.not_started", topic=inert(panel.topic), id=panel.id)
    if panel.status is PanelStatus.ENDED:
        raise UserError("error.panel.ended", topic=inert(panel.topic))


def _topic(panel: Panel) -> str:
    return panel.topic
