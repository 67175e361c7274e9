"""Who is in a local group: joining, leaving, requests and the initiators' decisions.

`Membership` lets people join (an open group at once, an approval group by a request its
initiators answer), leave or withdraw, and notices someone leaving the group's channel on
the platform. The request and the decision go out as outbox letters, worded when they are
sent. Features whose group content holds people listen for leaving (`on_leaving`).

Rules that keep requests answerable: after a decline the same person asks the same group
again only after ASK_AGAIN_AFTER; a group by approval with no initiator takes no new
requests (nobody would decide them), and the moderators read in the log channel when a
group loses its last initiator; a group that opens to everyone lets in those waiting.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from bot.clock import Clock
from bot.community.service import CommunityService
from bot.errors import UserError
from bot.groups import messages
from bot.groups.model import (
    ASK_AGAIN_AFTER,
    DECISION_LETTER,
    REQUEST_LETTER,
    Group,
    GroupStatus,
    JoinMode,
    MemberStatus,
)
from bot.groups.platform import GroupPlatform
from bot.groups.store import GroupStore
from bot.i18n import use_locale
from bot.notify import Notifier
from bot.outbox import Courier, Envelope, Letter, Outbox
from bot.ports import Access
from bot.refs import UserRef
from bot.replies import Reply
from bot.text import inert
from bot.timelang.timestamps import when

log = logging.getLogger(__name__)

# Told (group id, user id) when someone leaves a group.
LeaveListener = Callable[[int, str], Awaitable[None]]


@dataclass(frozen=True)
class Left:
    status: MemberStatus  # what the person was: a member, or a request waiting
    last_initiator: bool = False  # they were its last initiator: the group has none now


@dataclass(frozen=True)
class JoinOutcome:
    group: Group
    status: MemberStatus
    new: bool
    # For a member: what giving the group's role came to (None: the platform refused it).
    access: Access | None = None


class Membership:
    def __init__(
        self,
        store: GroupStore,
        clock: Clock,
        community: CommunityService,
        outbox: Outbox,
        platform: GroupPlatform,
        notify: Notifier,
        *,
        max_pending_requests: int = 5,
    ) -> None:
        self._store = store
        self._clock = clock
        self._community = community
        self._outbox = outbox
        self._platform = platform
        self._notify = notify
        # Join requests one person may have waiting in a server (each is posted for the
        # group's initiators to answer).
        self._max_pending_requests = max_pending_requests
        self._leave_listeners: list[LeaveListener] = []
        outbox.register(REQUEST_LETTER, Courier(self._word_request))
        outbox.register(DECISION_LETTER, Courier(self._word_decision))

    async def join(self, group: Group, user: UserRef) -> JoinOutcome:
        if group.status is GroupStatus.ARCHIVED:
            raise UserError("error.group.archived", name=group.name)
        status = MemberStatus.MEMBER if group.join_mode is JoinMode.OPEN else MemberStatus.PENDING
        await self._community.remember(user)
        # A request is posted for the initiators by a letter written with it: a crash
        # after the commit cannot leave a request nobody was shown.
        letters = []
        if status is MemberStatus.PENDING and group.channel_id:
            letters.append(
                Letter(
                    REQUEST_LETTER,
                    group.guild_id,
                    {"group": group.id},
                    channel_id=group.channel_id,
                    about_id=user.id,
                )
            )
        now = self._clock.now()
        if status is MemberStatus.PENDING:
            await self._may_ask(group, user.id)
            added = await self._store.add_request_if_room(
                group, user.id, now, self._max_pending_requests, letters
            )
        else:
            added = await self._store.add_member(group.id, user.id, status, now)
        if added is None:
            current = await self._store.membership(group.id, user.id)
            status = current[0] if current else status
            if status is not MemberStatus.MEMBER and group.join_mode is JoinMode.OPEN:
                # A request from before the group opened to everyone (and was not let in
                # then, a crash in between, say): it is let in now, with any others.
                await self.admit_waiting(group, answered=user.id)
                access = await self._platform.give_role(group, user.id)
                return JoinOutcome(group, MemberStatus.MEMBER, True, access)
            if status is not MemberStatus.MEMBER:
                return JoinOutcome(group, status, False)
            # The member rows are the truth: a member who is not in the group's channel
            # (an invitation turned down while the bot was away, say) is let in again,
            # so the answer can say truly where they stand.
            return JoinOutcome(group, status, False, await self._platform.give_role(group, user.id))
        access = None
        if status is MemberStatus.MEMBER:
            access = await self._platform.give_role(group, user.id)
        await self._outbox.deliver(added)
        return JoinOutcome(group, status, True, access)

    async def _may_ask(self, group: Group, user_id: str) -> None:
        """A new request to join is refused while the group's decline of this person's
        last one is recent (ASK_AGAIN_AFTER), and while the group has no initiator to
        decide it. Someone waiting already, or a member, is answered as such by `join`."""
        if await self._store.membership(group.id, user_id) is not None:
            return
        again = await self._store.asks_again(group.id, user_id, self._clock.now())
        if again is not None:
            raise UserError("error.group.asks_again", name=inert(group.name), when=when(again))
        if not await self._store.has_initiator(group.id):
            raise UserError("error.group.no_initiator", name=inert(group.name))

    async def admit_waiting(self, group: Group, *, answered: str | None = None) -> list[str]:
        """A group that now lets everyone in lets in those whose requests waited: each is
        told by a letter in their language (but `answered`, whose role the caller gives
        and who is told in the answer). Who was let in."""
        if group.join_mode is not JoinMode.OPEN:
            return []
        admitted, letters = await self._store.admit_waiting(
            group, self._clock.now(), answered=answered
        )
        for user_id in admitted:
            if user_id != answered:
                await self._platform.give_role(group, user_id)
        await self._outbox.deliver(letters)
        return admitted

    async def leave(self, group: Group, user_id: str) -> Left:
        """Leave the group, or withdraw a request to join."""
        membership = await self._store.membership(group.id, user_id)
        if membership is None or not await self._store.remove_member(group.id, user_id):
            raise UserError("error.group.not_member", name=group.name)
        await self._platform.take_role(group, user_id)
        await self._gave_up(group, user_id)
        last = membership[1] and await self._lost_last_initiator(group)
        return Left(membership[0], last_initiator=last)

    async def _lost_last_initiator(self, group: Group) -> bool:
        """After an initiator left: when the active group has none now, the moderators
        read it in the log channel (with the requests left waiting), and True."""
        if group.status is GroupStatus.ARCHIVED or await self._store.has_initiator(group.id):
            return False
        log.info("group %d has no initiator now", group.id)
        waiting = await self._store.waiting(group.id)
        await self._notify.to_log(
            group.guild_id, lambda: messages.without_initiator(group, waiting)
        )
        return True

    async def left_channel(self, channel_id: str, user_id: str) -> bool:
        """Someone left a group's channel on the platform itself (left the room, was
        removed or banned, or turned the invitation down): they are no longer a member,
        so the member list reads true and a later `/group join` lets them in again.
        True when they were a member."""
        group = await self._store.by_channel(channel_id)
        if group is None:
            return False
        held = await self._store.membership(group.id, user_id)
        if not await self._store.remove_member(group.id, user_id):
            return False
        log.info("%s left the channel of group %d on the platform", user_id, group.id)
        await self._gave_up(group, user_id)
        if held is not None and held[1]:
            await self._lost_last_initiator(group)
        return True

    async def came_in(self, channel_id: str, user: UserRef, *, by_manager: bool) -> bool:
        """Someone was let into a group's channel on the platform itself (on Matrix: a
        room moderator invited them by hand, and they joined): they are a member, as if
        they had joined. In a group by approval only a manager of the channel (`by_manager`)
        decides that, so a request of theirs waiting is approved; anyone else's guest is
        shown out, with how to ask (`/group join`): what is said there is for members
        only. True when they became a member."""
        group = await self._store.by_channel(channel_id)
        if group is None or group.status is GroupStatus.ARCHIVED:
            return False
        if group.join_mode is not JoinMode.OPEN and not by_manager:
            held = await self._store.membership(group.id, user.id)
            if held is not None and held[0] is MemberStatus.MEMBER:
                return False  # a member already, whoever invited them
            log.info("%s came into the channel of group %d as a guest", user.id, group.id)
            await self._platform.show_out(group, user.id)
            return False
        await self._community.remember(user)
        now = self._clock.now()
        letters = await self._store.decide(group, user.id, approve=True, now=now)
        if letters is None:
            letters = await self._store.add_member(group.id, user.id, MemberStatus.MEMBER, now)
        if letters is None:
            return False  # a member already
        log.info("%s was let into the channel of group %d on the platform", user.id, group.id)
        await self._outbox.deliver(letters)
        return True

    def on_leaving(self, listener: LeaveListener) -> None:
        """Features whose group content holds people (seats, answers) let go of someone
        who leaves: they could not even see it any more."""
        self._leave_listeners.append(listener)

    async def _gave_up(self, group: Group, user_id: str) -> None:
        for listener in self._leave_listeners:
            await listener(group.id, user_id)

    async def decide(
        self, group: Group, user_id: str, name: str, *, approve: bool, card: bool = False
    ) -> None:
        """Approve or decline a pending request and tell the director (by a letter
        written with the decision); after a decline they may ask again only after
        ASK_AGAIN_AFTER. A decision with no request waiting is refused — it changed
        nothing, so it leaves no line in the audit log either — saying why: a member
        has nothing to decide, a request answered already (the `card`'s buttons stood
        for one) was decided, anyone else has not asked."""
        now = self._clock.now()
        letters = await self._store.decide(
            group,
            user_id,
            approve=approve,
            now=now,
            asks_again=None if approve else now + ASK_AGAIN_AFTER,
        )
        if letters is None:
            held = await self._store.membership(group.id, user_id)
            if held is not None and not card:
                raise UserError(
                    "error.group.decide.member", user=inert(name), name=inert(group.name)
                )
            if held is not None or await self._store.asks_again(group.id, user_id, now):
                raise UserError("group.approval.already_decided", user=inert(name))
            raise UserError("error.group.no_request", user=inert(name), name=inert(group.name))
        if approve:
            await self._platform.give_role(group, user_id)
        await self._outbox.deliver(letters)

    async def name_of(self, user_id: str) -> str | None:
        """The name the bot knows for someone (None after they were forgotten)."""
        return await self._community.display_name(user_id)

    # -- the letters: worded when they are sent, from the rows as they are then ------------

    async def _word_request(self, envelope: Envelope) -> Reply | None:
        """The request in the group's channel, in the server's language, while it is
        still waiting for a decision."""
        group = await self._store.get(int(envelope.payload["group"]))
        user_id = envelope.letter.about_id
        if group is None or group.status is GroupStatus.ARCHIVED or user_id is None:
            return None
        membership = await self._store.membership(group.id, user_id)
        if membership is None or membership[0] is not MemberStatus.PENDING:
            return None  # decided, or withdrawn, before it could be shown
        name = await self._community.display_name(user_id) or user_id.split(":", 1)[-1]
        with use_locale(await self._notify.guild_locale(group.guild_id)):
            return messages.approval_request(group, user_id, name)

    async def _word_decision(self, envelope: Envelope) -> Reply | None:
        group = await self._store.get(int(envelope.payload["group"]))
        user_id = envelope.letter.user_id
        if group is None or user_id is None:
            return None
        approved = bool(envelope.payload["approved"])
        opened = bool(envelope.payload.get("opened"))
        again = None
        if not approved:
            again = await self._store.asks_again(group.id, user_id, self._clock.now())
        with use_locale(await self._community.locale_for(user_id, group.guild_id)):
            return messages.decision_for_director(group, approved, opened=opened, asks_again=again)
