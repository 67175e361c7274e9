"""The floor of a live panel: raised hands in a queue, rounds of every panelist, the
floor given out of turn, and timed turns.

Each turn is timed by two scheduler jobs (its warning and its time-up) that the rows
rebuild after a restart; a round goes on by itself when a turn's time is up. Changes to
the floor run under the panel's lock (bot/panels/desk.py).
"""

from __future__ import annotations

from bot.community.service import CommunityService
from bot.errors import UserError
from bot.panels import messages
from bot.panels.desk import PanelDesk, require_live
from bot.panels.model import Panel, PanelJob, Turn, TurnKind
from bot.panels.store import PanelStore
from bot.ports import Messenger
from bot.refs import UserRef
from bot.scheduler import Job
from bot.text import inert


class PanelFloor:
    def __init__(
        self,
        store: PanelStore,
        desk: PanelDesk,
        messenger: Messenger,
        community: CommunityService,
    ) -> None:
        self._store = store
        self._desk = desk
        self._messenger = messenger
        self._community = community
        self._jobs = desk.jobs
        desk.routes.add(PanelJob.WARN, self._warn)
        desk.routes.add(PanelJob.TIME_UP, self._time_up)

    # -- raised hands ----------------------------------------------------------------

    async def raise_hand(self, panel: Panel, user: UserRef) -> int:
        require_live(panel)
        await self._community.remember(user)
        if not await self._store.raise_hand(panel.id, user, self._desk.now()):
            position = await self._desk.queue_position(panel, user.id)
            raise UserError("error.panel.hand_already", position=position)
        await self._desk.refresh_card(panel.id)
        return await self._desk.queue_position(panel, user.id)

    async def lower_hand(self, panel: Panel, user_id: str) -> None:
        require_live(panel)
        if not await self._store.lower_hand(panel.id, user_id):
            raise UserError("error.panel.hand_not_raised")
        await self._desk.refresh_card(panel.id)

    # -- giving the floor ------------------------------------------------------------

    async def next(self, panel: Panel) -> Turn | None:
        """The floor to the next in line (a round first, then raised hands); None when
        nobody waits, and the floor is then free."""
        require_live(panel)
        async with self._desk.lock(panel.id):
            return await self._give(panel, None, TurnKind.QUEUE)

    async def give_floor(self, panel: Panel, user: UserRef) -> Turn:
        require_live(panel)
        async with self._desk.lock(panel.id):
            turn = await self._give(panel, await self._desk.named(user), TurnKind.FLOOR)
            assert turn is not None
            return turn

    async def round(self, panel: Panel) -> Turn | None:
        """Every panelist in order, each for a turn. A round never cuts anyone off: it
        starts now when the floor is free; while someone speaks it waits at the head of
        the queue and begins when their turn ends. Returns that speaker's turn (the round
        waits for it), None when the round has begun."""
        require_live(panel)
        async with self._desk.lock(panel.id):
            # A second round would silently restart the one under way and give the
            # panelists who already spoke a second turn: the moderator is told instead.
            queue = await self._store.queue(panel.id)
            waiting = [inert(e.name) for e in queue if e.kind.value == "round"]
            if waiting:
                raise UserError("error.panel.round_under_way", names=", ".join(waiting))
            await self._store.set_round(panel.id, panel.panelists, self._desk.now())
            speaking = await self._store.open_turn(panel.id)
            if speaking is not None:
                await self._desk.refresh_card(panel.id)
                return speaking
            await self._give(panel, None, TurnKind.ROUND)
            return None

    async def _give(self, panel: Panel, user: UserRef | None, kind: TurnKind) -> Turn | None:
        ended, turn = await self._store.give_floor(
            panel.id, user, kind, self._desk.now(), panel.turn
        )
        if ended is not None:
            self.forget_turn(ended)
        if turn is None:
            if ended is not None:
                await self._desk.post(panel, panel.where, lambda themed: messages.floor_free())
        else:
            self._schedule_turn(turn)
            await self._desk.post(
                panel, panel.where, lambda themed: messages.floor(turn, self._messenger.mention)
            )
        await self._desk.refresh_card(panel.id)
        return turn

    # -- timed turns -----------------------------------------------------------------

    def _schedule_turn(self, turn: Turn) -> None:
        if turn.warn_at is not None:
            self._jobs.schedule(Job(PanelJob.WARN, turn.id), turn.warn_at)
        self._jobs.schedule(Job(PanelJob.TIME_UP, turn.id), turn.ends_at)

    def forget_turn(self, turn: Turn) -> None:
        """A turn that ended before its time: its warning and time-up will not come."""
        self._jobs.cancel(Job(PanelJob.WARN, turn.id))
        self._jobs.cancel(Job(PanelJob.TIME_UP, turn.id))

    async def _warn(self, job: Job[PanelJob]) -> None:
        turn = await self._store.warn(job.row, self._desk.now())
        if turn is not None:
            panel = await self._desk.reread(turn.panel_id)
            await self._desk.post(
                panel,
                panel.where,
                lambda themed: messages.warning(turn, self._messenger.mention),
            )

    async def _time_up(self, job: Job[PanelJob]) -> None:
        turn_id = job.row
        turn = await self._store.turn(turn_id)
        if turn is None:
            return
        async with self._desk.lock(turn.panel_id):
            ended = await self._store.time_up(turn_id)
            if ended is None:
                return
            self._jobs.cancel(Job(PanelJob.WARN, turn_id))
            panel = await self._desk.reread(ended.panel_id)
            await self._desk.post(
                panel, panel.where, lambda themed: messages.time_up(ended, self._messenger.mention)
            )
            if panel.live:
                # A round goes on by itself (or begins, when it waited for this speaker):
                # the next panelist speaks.
                queue = await self._store.queue(panel.id)
                if any(e.kind.value == "round" for e in queue):
                    await self._give(panel, None, TurnKind.ROUND)
                    return
            await self._desk.refresh_card(panel.id)
