"""Proposals to start a local group, and the checklist of a new group's first steps.

Any director proposes a group (`Proposals.propose`); the rules that refuse a proposal are
here: a name that is taken, imitates a group's or is already proposed, a town an active
group already serves (within SERVED_KM), a second proposal of the same person while one
waits. The card for moderators goes to the log channel as an outbox letter written with
the proposal; a moderator or an admin decides once (`decide`), an approval makes the group
through GroupManagement with the proposer as its initiator, and the outcome reaches the
proposer by a letter in their language; the card is then edited to show the outcome and
who decided, without its buttons. `checklist` reads a group's first steps from its
state, so it ticks itself.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import partial

from bot.clock import Clock
from bot.community.service import CommunityService
from bot.db import Transaction
from bot.errors import UserError
from bot.geography.places import Gazetteer
from bot.groups import messages
from bot.groups.directory import find_place, nearest_served
from bot.groups.management import GroupManagement
from bot.groups.model import (
    PROPOSAL_LETTER,
    PROPOSAL_OUTCOME_LETTER,
    Checklist,
    Group,
    JoinMode,
    MemberStatus,
    Proposal,
    ProposalStatus,
    group_name,
)
from bot.groups.store import GroupStore
from bot.i18n import use_locale
from bot.notify import Notifier
from bot.outbox import Courier, Envelope, Letter, Outbox
from bot.ports import MessageRef
from bot.refs import UserRef
from bot.replies import Button, Reply
from bot.text import command_value, inert, lookalike, normalize

log = logging.getLogger(__name__)


class Served(UserError):
    """A town an active group already serves: the refusal names the group, with its
    distance, and offers to join it in one press — unless the proposer is in it already."""

    def __init__(self, town: str, group: Group, km: float, *, member: bool) -> None:
        super().__init__(
            "error.group.proposal.served_member" if member else "error.group.proposal.served",
            town=inert(town),
            name=inert(group.name),
            typed=inert(command_value(group.name)),
            city=inert(group.city),
            distance=messages.distance(km),
        )
        self.group = group
        self.member = member

    def buttons(self) -> tuple[Button, ...]:
        return () if self.member else (messages.join_button(self.group),)


@dataclass(frozen=True)
class Proposed:
    proposal: Proposal
    carded: bool  # a card went to the log channel (else moderators see /group proposals)


@dataclass(frozen=True)
class Decision:
    proposal: Proposal  # as it stands after the decision (or as it was decided before)
    changed: bool  # False: it had been decided already
    group: Group | None = None  # made by this approval


class Proposals:
    def __init__(
        self,
        store: GroupStore,
        clock: Clock,
        community: CommunityService,
        gazetteer: Gazetteer,
        management: GroupManagement,
        outbox: Outbox,
        notify: Notifier,
    ) -> None:
        self._store = store
        self._clock = clock
        self._community = community
        self._gazetteer = gazetteer
        self._management = management
        self._outbox = outbox
        self._notify = notify
        outbox.register(PROPOSAL_LETTER, Courier(self._word_card, posted=self._card_posted))
        outbox.register(PROPOSAL_OUTCOME_LETTER, Courier(self._word_outcome))

    async def propose(
        self,
        guild_id: str,
        user: UserRef,
        *,
        name: str,
        city: str,
        description: str,
        join: JoinMode,
    ) -> Proposed:
        name = group_name(name, option="name")
        if not normalize(name):
            raise UserError("error.group.bad_name")
        mine = await self._store.pending_proposal(guild_id, user_id=user.id)
        if mine is not None:
            raise UserError("error.group.proposal.yours_pending", name=inert(mine.name), id=mine.id)
        await self._refuse_name(guild_id, name)
        place = find_place(self._gazetteer, city)
        await self._refuse_served(guild_id, user.id, place.name, (place.lat, place.lon))
        await self._community.remember(user)
        log_channel = (await self._community.guild(guild_id)).log
        draft = Proposal(
            id=0,
            guild_id=guild_id,
            user_id=user.id,
            name=name,
            place_id=place.id,
            city=place.name,
            description=description.strip(),
            join_mode=join,
            status=ProposalStatus.PENDING,
            reason="",
            created_at=self._clock.now(),
            decider_name=None,
            group_id=None,
        )

        def card(proposal_id: int) -> list[Letter]:
            if log_channel is None:
                return []
            payload = {"proposal": proposal_id}
            return [Letter(PROPOSAL_LETTER, guild_id, payload, channel_id=log_channel.id)]

        added = await self._store.add_proposal(draft, normalize(name), card)
        if added is None:
            # Someone was quicker by a moment: say what the checks above would say now.
            mine = await self._store.pending_proposal(guild_id, user_id=user.id)
            if mine is not None:
                raise UserError(
                    "error.group.proposal.yours_pending", name=inert(mine.name), id=mine.id
                )
            raise UserError("error.group.proposal.name_pending", name=inert(name))
        proposal_id, letters = added
        await self._outbox.deliver(letters)
        proposal = await self._store.proposal(proposal_id)
        assert proposal is not None
        return Proposed(proposal, carded=log_channel is not None)

    async def _refuse_name(self, guild_id: str, name: str) -> None:
        key = normalize(name)
        if await self._store.by_key(guild_id, key) is not None:
            raise UserError("error.group.exists", name=inert(name))
        await self._management.refuse_lookalike(guild_id, name)
        if await self._store.pending_proposal(guild_id, name_key=key) is not None:
            raise UserError("error.group.proposal.name_pending", name=inert(name))
        # A name that only looks like a waiting one ("Bеskidy" with a Cyrillic "е") would
        # put two proposals before moderators that they cannot tell apart.
        waiting = lookalike(name, [p.name for p in await self._store.pending_proposals(guild_id)])
        if waiting is not None:
            raise UserError("error.group.proposal.name_pending", name=inert(waiting))

    async def _refuse_served(
        self, guild_id: str, user_id: str, town: str, here: tuple[float, float]
    ) -> None:
        """A town an active group meets within SERVED_KM of is served already: the nearest
        such group is named, with its distance, and offered to join instead (to one of its
        members it is named as theirs)."""
        served = nearest_served(await self._store.all(guild_id), here)
        if served is not None:
            group, km = served
            held = await self._store.membership(group.id, user_id)
            member = held is not None and held[0] is MemberStatus.MEMBER
            raise Served(town, group, km, member=member)

    async def pending(self, guild_id: str) -> list[Proposal]:
        return await self._store.pending_proposals(guild_id)

    async def get(self, guild_id: str, proposal_id: int) -> Proposal:
        """The proposal of this number in this server (another server's is unknown)."""
        proposal = await self._store.proposal(proposal_id)
        if proposal is None or proposal.guild_id != guild_id:
            raise UserError("error.group.proposal.unknown", id=proposal_id)
        return proposal

    async def decide(
        self, proposal: Proposal, decider: UserRef, *, approve: bool, reason: str = ""
    ) -> Decision:
        """Approve (the group is made, the proposer its initiator) or decline, once; the
        proposer is told by a letter in their language. A decline writes its letter with the
        decision; an approval claims the proposal, makes the group, then records the group
        with the letter (a crash in between leaves the group made and the proposer untold,
        as a crash after `/group create` would)."""
        now = self._clock.now()
        if not approve:
            ids = await self._store.decide_proposal(
                proposal.id,
                ProposalStatus.DECLINED,
                decider_id=decider.id,
                decider_name=decider.name,
                reason=reason.strip(),
                now=now,
                letters=[_outcome(proposal)],
            )
            return await self._decided(proposal, ids)
        # Claimed first, so two moderators pressing at once make one group.
        ids = await self._store.decide_proposal(
            proposal.id,
            ProposalStatus.APPROVED,
            decider_id=decider.id,
            decider_name=decider.name,
            reason="",
            now=now,
        )
        if ids is None:
            return await self._decided(proposal, None)
        known = await self._community.display_name(proposal.user_id)
        proposer = UserRef(proposal.user_id, known or proposal.user_id.split(":", 1)[-1])
        try:
            group = await self._management.create(
                proposal.guild_id,
                name=proposal.name,
                city=proposal.place_id,
                description=proposal.description,
                join=proposal.join_mode,
                creator=decider,
                initiator=proposer,
            )
        except Exception:
            # The name was taken meanwhile, the platform refused, or a bug: it waits again.
            await self._store.reopen_proposal(proposal.id)
            raise
        await self._outbox.deliver(
            await self._store.proposal_made(proposal.id, group.id, [_outcome(proposal)], now)
        )
        decided = await self._store.proposal(proposal.id)
        assert decided is not None
        await self._close_card(decided)
        return Decision(decided, True, group)

    async def _decided(self, proposal: Proposal, ids: tuple[int, ...] | None) -> Decision:
        if ids is not None:
            await self._outbox.deliver(ids)
        now = await self._store.proposal(proposal.id) or proposal
        if ids is not None:
            await self._close_card(now)
        return Decision(now, ids is not None)

    async def _close_card(self, proposal: Proposal) -> None:
        """The card in the log channel shows the outcome and who decided; its buttons go."""
        if proposal.card_channel_id is None or proposal.card_message_id is None:
            return  # not sent (yet): a card worded from now on says nothing, see _word_card
        who = await self._community.display_name(proposal.user_id) or ""
        await self._notify.edit(
            proposal.card_channel_id,
            proposal.card_message_id,
            proposal.guild_id,
            lambda: messages.proposal_card(proposal, who, self._where(proposal)),
        )

    async def before_forget(self, user_id: str) -> Callable[[], Awaitable[None]]:
        """Someone is about to be forgotten: once they are, the cards in the log channel
        no longer show them. A card of their own proposal (gone with them) says only that
        it was removed, without its buttons, name or description; a card they decided is
        worded again from its row, which then names a former member."""
        cards = [p for p in await self._store.proposals_naming(user_id) if p.card_message_id]

        async def reword() -> None:
            for proposal in cards:
                if proposal.user_id != user_id:
                    decided = await self._store.proposal(proposal.id)
                    if decided is not None:
                        await self._close_card(decided)
                    continue
                assert proposal.card_channel_id and proposal.card_message_id
                await self._notify.edit(
                    proposal.card_channel_id,
                    proposal.card_message_id,
                    proposal.guild_id,
                    partial(messages.proposal_removed, proposal),
                )

        return reword

    async def checklist(self, group: Group) -> Checklist:
        """The first steps, from the group as it is now."""
        members = await self._store.members(group.id)
        plan = await self._store.plan(group.id)
        return Checklist(
            group=group,
            meeting_planned=await self._store.has_meetings(group.id),
            directors_invited=sum(m.status is MemberStatus.MEMBER for m in members) >= 2,
            hosts_set=plan is not None and bool(plan.hosts),
        )

    # -- the letters: worded when they are sent, from the rows as they are then ------------

    async def _word_card(self, envelope: Envelope) -> Reply | None:
        """The card for moderators, in the server's language, while the proposal waits."""
        proposal = await self._store.proposal(int(envelope.payload["proposal"]))
        if proposal is None or proposal.status is not ProposalStatus.PENDING:
            return None
        who = await self._community.display_name(proposal.user_id) or ""
        with use_locale(await self._notify.guild_locale(proposal.guild_id)):
            return messages.proposal_card(proposal, who, self._where(proposal))

    def _where(self, proposal: Proposal) -> str:
        place = self._gazetteer.get(proposal.place_id)
        return place.label() if place is not None else proposal.city

    async def _card_posted(self, tx: Transaction, envelope: Envelope, card: MessageRef) -> None:
        await self._store.set_proposal_card(tx, int(envelope.payload["proposal"]), card)

    async def _word_outcome(self, envelope: Envelope) -> Reply | None:
        proposal = await self._store.proposal(int(envelope.payload["proposal"]))
        if proposal is None or proposal.status is ProposalStatus.PENDING:
            return None
        group = await self._store.get(proposal.group_id) if proposal.group_id else None
        checklist = await self.checklist(group) if group is not None else None
        locale = await self._community.locale_for(proposal.user_id, proposal.guild_id)
        with use_locale(locale):
            if proposal.status is ProposalStatus.DECLINED:
                return messages.proposal_declined(proposal)
            if checklist is None:
                return None  # approved, but the group is gone again
            return messages.proposal_approved(checklist)


def _outcome(proposal: Proposal) -> Letter:
    """The letter that tells the proposer how their proposal was decided."""
    return Letter(
        PROPOSAL_OUTCOME_LETTER,
        proposal.guild_id,
        {"proposal": proposal.id},
        user_id=proposal.user_id,
    )
