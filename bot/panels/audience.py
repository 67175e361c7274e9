"""The audience of a live panel: questions with upvotes (the moderator picks the next),
pączki for the speakers, and chat in the panel's place kept for the transcript unless the
person opted out (`/privacy transcripts off`).
"""

from __future__ import annotations

from bot.community.service import CommunityService
from bot.errors import UserError
from bot.panels import messages
from bot.panels.desk import OptedOut, PanelDesk, require_live
from bot.panels.model import Panel, Question, QuestionStatus, check_paczek, check_question
from bot.panels.store import PanelStore
from bot.refs import UserRef
from bot.text import inert, scrub


class PanelAudience:
    def __init__(
        self,
        store: PanelStore,
        desk: PanelDesk,
        community: CommunityService,
        *,
        opted_out: OptedOut,
    ) -> None:
        self._store = store
        self._desk = desk
        self._community = community
        self._opted_out = opted_out

    # -- questions -------------------------------------------------------------------

    async def ask(self, panel: Panel, user: UserRef, text: str) -> Question:
        require_live(panel)
        clean = check_question(text)
        await self._community.remember(user)
        question = await self._store.ask(panel.id, user, clean, self._desk.now())
        await self._desk.refresh_card(panel.id)
        return question

    async def upvote(self, panel: Panel, number: int, user_id: str) -> Question:
        require_live(panel)
        question = await self._store.question(panel.id, number)
        if question is None:
            raise UserError("error.panel.no_question", number=number)
        if question.status is not QuestionStatus.QUEUED:
            raise UserError("error.panel.question_not_waiting", number=number)
        if question.author_id == user_id:
            raise UserError("error.panel.vote_own")
        if not await self._store.vote(question.id, user_id, self._desk.now()):
            raise UserError("error.panel.vote_twice", number=number)
        return await self._store.question(panel.id, number) or question

    async def pick_question(self, panel: Panel, number: int | None) -> Question:
        """The next question (most votes, then the earliest), or the one given."""
        require_live(panel)
        async with self._desk.lock(panel.id):
            picked = await self._store.pick(panel.id, number, self._desk.now())
            if picked is None:
                if number is None:
                    raise UserError("error.panel.no_questions")
                if await self._store.question(panel.id, number) is None:
                    raise UserError("error.panel.no_question", number=number)
                raise UserError("error.panel.question_not_waiting", number=number)
            await self._desk.post(panel, panel.where, lambda themed: messages.question_now(picked))
            await self._desk.refresh_card(panel.id)
            return picked

    # -- pączki ----------------------------------------------------------------------

    async def paczek(self, panel: Panel, giver: UserRef, to: UserRef | None) -> tuple[str, int]:
        """A pączek for the speaker now (or the one named, for their latest turn): one per
        giver per turn, never to oneself. Returns (their name, their pączki now)."""
        require_live(panel)
        if to is None:
            turn = await self._store.open_turn(panel.id)
            if turn is None:
                raise UserError("error.panel.nobody_speaking")
        else:
            turn = await self._store.last_turn_of(panel.id, to.id)
            if turn is None:
                raise UserError("error.panel.paczek_not_speaker", who=inert(to.name or to.id))
        check_paczek(giver.id, turn.user_id)
        await self._community.remember(giver)
        if not await self._store.give_paczek(turn, giver.id, self._desk.now()):
            raise UserError("error.panel.paczek_twice", who=inert(turn.name))
        count = next(
            (n for uid, _, n in await self._store.tally(panel.id) if uid == turn.user_id), 0
        )
        await self._desk.refresh_card(panel.id)
        return turn.name, count

    # -- chat ------------------------------------------------------------------------

    async def heard(self, channel_id: str, user: UserRef, text: str) -> bool:
        """Something was said in a channel: kept for the transcript when a live panel
        speaks there and the person did not opt out. True when it was kept."""
        places = await self._desk.live_places()
        panel_id = places.get(channel_id)
        if panel_id is None or not text.strip():
            return False
        if await self._opted_out({user.id}):
            return False
        said = scrub(text)[:4000]
        if not said:
            return False
        await self._store.chat(panel_id, user, said, self._desk.now())
        return True
