"""/group propose, /group proposals, /group proposal approve|decline and /group checklist:
starting a local group from a director's proposal, and its first steps.

A moderator decides by a command or by the card's buttons in the log channel; both are
audited (a button press is recorded here, as the command it stands for would be).
"""

from __future__ import annotations

from datetime import timedelta

from bot.audit.service import AuditLog, describe
from bot.commands import Choice, Command, Invocation, Limit, Option, OptionType, Registry
from bot.errors import Refused, UserError
from bot.groups import messages
from bot.groups.model import MAX_NAME, Group, JoinMode, Proposal
from bot.groups.options import new_group_options
from bot.groups.proposals import Decision
from bot.groups.wiring import Groups
from bot.replies import Reply
from bot.roles import Role
from bot.text import normalize

MAX_REASON = 500


class ProposalCommands:
    def __init__(self, groups: Groups, audit: AuditLog) -> None:
        self._directory = groups.directory
        self._proposals = groups.proposals
        self._name_of = groups.membership.name_of
        self._audit = audit

    def register(self, registry: Registry) -> None:
        proposal_id = Option("id", OptionType.INTEGER, required=True, min_value=1)
        registry.add(
            Command(
                "group propose",
                Role.DIRECTOR,
                self.propose,
                new_group_options(self._directory),
                # One waits at a time; this bounds the tries around refusals.
                limit=Limit(5, timedelta(days=1)),
            ),
            Command("group proposals", Role.MODERATOR, self.waiting),
            Command(
                "group proposal approve", Role.MODERATOR, self.approve, (proposal_id,), audit=True
            ),
            Command(
                "group proposal decline",
                Role.MODERATOR,
                self.decline,
                (proposal_id, Option("reason", max_length=MAX_REASON)),
                audit=True,
            ),
            Command(
                "group checklist",
                Role.INITIATOR,
                self.checklist,
                (Option("name", autocomplete=self._complete_own_group, max_length=MAX_NAME),),
            ),
        )
        registry.add_button(
            r"group:proposal:(?P<decision>approve|decline):(?P<proposal_id>\d{1,18})",
            self.press_decision,
        )

    async def _complete_own_group(self, ctx: Invocation, current: str) -> list[Choice]:
        needle = normalize(current)
        groups = await self._directory.initiated_by(ctx.guild_id, ctx.actor.user.id)
        return [Choice(g.name, g.name) for g in groups if needle in normalize(g.name)][:25]

    # -- proposing -------------------------------------------------------------------

    async def propose(
        self,
        ctx: Invocation,
        name: str,
        city: str,
        description: str = "",
        join: str = "open",
    ) -> Reply:
        proposed = await self._proposals.propose(
            ctx.guild_id,
            ctx.actor.user,
            name=name,
            city=city,
            description=description,
            join=JoinMode(join),
        )
        return messages.proposed(proposed.proposal, carded=proposed.carded)

    async def waiting(self, ctx: Invocation) -> Reply:
        pending = await self._proposals.pending(ctx.guild_id)
        return messages.proposal_list([(p, await self._proposer(p)) for p in pending])

    # -- deciding --------------------------------------------------------------------

    async def approve(self, ctx: Invocation, id: int) -> Reply:
        return await self._decide(ctx, await self._proposals.get(ctx.guild_id, id), True, "")

    async def decline(self, ctx: Invocation, id: int, reason: str = "") -> Reply:
        return await self._decide(ctx, await self._proposals.get(ctx.guild_id, id), False, reason)

    async def press_decision(self, ctx: Invocation, decision: str, proposal_id: str) -> Reply:
        # A card's button: moderators of the proposal's own server only (a DM has none).
        if ctx.role < Role.MODERATOR:
            raise Refused(Role.MODERATOR)
        proposal = await self._proposals.get(ctx.guild_id, int(proposal_id))
        made = await self._proposals.decide(proposal, ctx.actor.user, approve=decision == "approve")
        if made.changed:
            # Recorded as the command the button stands for; a late press decided nothing.
            await self._audit.record(
                ctx.guild_id,
                ctx.actor.user,
                f"group proposal {decision}",
                describe({"id": proposal.id}),
            )
        return await self._told(made)

    async def _decide(
        self, ctx: Invocation, proposal: Proposal, approve: bool, reason: str
    ) -> Reply:
        made = await self._proposals.decide(
            proposal, ctx.actor.user, approve=approve, reason=reason
        )
        if not made.changed:
            # Decided before: this decided nothing, so it is answered as a refusal and not
            # audited (a late press of the card's button is not either).
            raise messages.already_decided(made.proposal)
        return await self._told(made)

    async def _told(self, made: Decision) -> Reply:
        proposer = await self._proposer(made.proposal)
        return messages.proposal_decided(made.proposal, proposer, made.changed)

    async def _proposer(self, proposal: Proposal) -> str:
        return await self._name_of(proposal.user_id) or ""

    # -- a new group's first steps -----------------------------------------------------

    async def checklist(self, ctx: Invocation, name: str | None = None) -> Reply:
        if name is None:
            groups = await self._directory.initiated_by(ctx.guild_id, ctx.actor.user.id)
        else:
            groups = [await self._led(ctx, name)]
        return messages.checklists([await self._proposals.checklist(g) for g in groups])

    async def _led(self, ctx: Invocation, name: str) -> Group:
        """The group, if the actor is one of its initiators or an admin."""
        group = await self._directory.get(ctx.guild_id, name)
        if ctx.role >= Role.ADMIN or await self._directory.is_initiator(group, ctx.actor.user.id):
            return group
        raise UserError("error.group.not_yours", name=group.name)
