"""Poll use cases: date polls and quick polls, votes, the live count, closing on time.

A quick poll on a platform with native polls (Discord) is posted as that native poll: the
platform counts and announces it, and the core only closes its record on time. Elsewhere
(the console) the core counts the votes from buttons and /poll vote and posts the result.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.clock import Clock
from bot.community.service import CommunityService
from bot.errors import UserError
from bot.notify import LiveMessages, Notifier
from bot.polls import messages
from bot.polls.model import (
    Answer,
    Poll,
    PollJob,
    PollKind,
    PollOption,
    PollStatus,
    PollView,
    parse_poll_ref,
)
from bot.polls.store import PollStore
from bot.ports import Messenger
from bot.refs import ChannelRef, UserRef
from bot.scheduler import Job, Scheduler
from bot.text import inert
from bot.timelang.timestamps import when
from bot.titles import Ambiguous, Match, named, titles
from bot.visibility import Viewer, Visibility


class PollService:
    def __init__(
        self,
        store: PollStore,
        clock: Clock,
        scheduler: Scheduler,
        messenger: Messenger,
        community: CommunityService,
        visibility: Visibility,
    ) -> None:
        self._store = store
        self._visibility = visibility
        self._clock = clock
        self._messenger = messenger
        self._community = community
        self._notify = Notifier(messenger, community)
        self._live = LiveMessages(self._edit)
        self._jobs = scheduler.register_each("poll", self._close_due, self._store.due_before)

    # -- finding ---------------------------------------------------------------------

    async def find(self, viewer: Viewer, ref: str) -> Poll:
        """A poll of the viewer's server by number or question; one the viewer may not
        see is unknown, as if it did not exist (bot/visibility.py)."""
        poll_id = parse_poll_ref(ref)
        if poll_id is not None:
            found = await self._store.get(poll_id)
            candidates = [found] if found is not None and found.guild_id == viewer.guild_id else []
            seen = await self._visibility.keep(viewer, candidates, lambda p: p.scope)
        else:
            # By its question (bot/titles.py). The same question asked again (every week)
            # names the open one, else the newest; different questions are listed, and so
            # are open polls of one question (a group's and a national one, say).
            seen = named(ref, await self.recent(viewer, open_only=False), _question)
            open_ones = [p for p in seen if p.status is PollStatus.OPEN]
            several = seen if titles(seen, _question) > 1 else open_ones
            if len(several) > 1:
                listed = [Match(p.id, p.question, p.group_id) for p in several]
                groups = await self._visibility.group_names(p.group_id for p in several)
                raise Ambiguous("error.poll.several", ref, "poll", listed, groups)
        poll = min(seen, key=lambda p: (p.status is not PollStatus.OPEN, -p.id), default=None)
        if poll is None:
            raise UserError("error.poll.unknown", poll=inert(ref))
        return poll

    async def recent(self, viewer: Viewer, *, open_only: bool) -> list[Poll]:
        """The viewer's server's latest polls they may see, newest first."""
        polls = await self._store.recent(viewer.guild_id, open_only=open_only)
        return await self._visibility.keep(viewer, polls, lambda p: p.scope)

    async def view(self, poll: Poll) -> PollView:
        options = await self._store.options(poll.id)
        tallies, voters = await self._store.tallies(poll.id)
        return PollView(poll, tuple(options), tallies, voters)

    async def option(self, poll: Poll, number: int) -> PollOption:
        for option in await self._store.options(poll.id):
            if option.number == number:
                return option
        raise UserError("error.poll.no_option", option=number)

    # -- creating --------------------------------------------------------------------

    async def create(
        self,
        guild_id: str,
        *,
        kind: PollKind,
        question: str,
        options: list[PollOption],
        channel: ChannelRef,
        creator: UserRef,
        platform: str,
        closes: datetime | None,
    ) -> Poll:
        now = self._clock.now()
        if kind is PollKind.DATES and closes is not None:
            _closes_in_time(options, closes)
        # Posted in a group's channel, the poll is that group's: only its members see it.
        group_id = await self._visibility.group_of_channel(channel.home)
        draft = Poll(
            id=0,
            guild_id=guild_id,
            kind=kind,
            question=question.strip(),
            channel_id=channel.id,
            channel_name=channel.name,
            platform=platform,
            closes_at=closes,
            status=PollStatus.OPEN,
            created_by=creator.id,
            created_at=now,
            group_id=group_id,
        )
        poll_id = await self._store.create(draft, options)
        poll = await self._store.get(poll_id)
        assert poll is not None
        await self._community.remember(creator)
        view = PollView(poll, tuple(options))
        hours = None
        if kind is PollKind.QUICK and closes is not None:
            hours = round((closes - now) / timedelta(hours=1))
        ref = await self._notify.post(
            channel.id, guild_id, lambda: messages.poll_message(view, now, native_hours=hours)
        )
        if ref is not None:
            await self._store.set_message(poll_id, ref.channel_id, ref.message_id)
        if closes is not None:
            self._jobs.schedule(Job(PollJob.CLOSE, poll_id), closes)
        return await self._store.get(poll_id) or poll

    # -- voting ----------------------------------------------------------------------

    async def vote(
        self, poll: Poll, number: int, user_id: str, answer: Answer | None
    ) -> tuple[PollOption, Answer, bool]:
        """Record a vote (answer None: the next answer in the cycle, for date buttons)."""
        if poll.native:
            raise UserError("error.poll.native")
        chosen, changed = await self._store.vote(
            poll.id,
            number,
            user_id,
            answer,
            self._clock.now(),
            single=poll.kind is PollKind.QUICK,
        )
        if changed:
            await self._live.refresh(poll.id)
        return await self.option(poll, number), chosen, changed

    async def withdraw(self, poll: Poll, user_id: str) -> bool:
        """Take the person's vote back, so it no longer counts (on Matrix: a poll response
        without answers, as MSC3381 has a client "unvote"); False when they had none."""
        if poll.native:
            raise UserError("error.poll.native")
        withdrawn = await self._store.withdraw(poll.id, user_id, self._clock.now())
        if withdrawn:
            await self._live.refresh(poll.id)
        return withdrawn

    # -- closing ---------------------------------------------------------------------

    async def close(self, poll: Poll) -> Poll:
        if poll.native:
            raise UserError("error.poll.native")
        closed = await self._store.close(poll.id, self._clock.now(), due_only=False)
        if closed is None:
            raise UserError("error.poll.closed", question=inert(poll.question))
        self._jobs.cancel(Job(PollJob.CLOSE, poll.id))
        await self._finish(closed)
        return closed

    async def _finish(self, poll: Poll) -> None:
        """The message shows the poll closed, and the channel hears the result."""
        if poll.native:
            return  # the platform closes it and shows the result itself
        await self._live.refresh(poll.id)
        view = await self.view(poll)
        await self._notify.post(poll.channel_id, poll.guild_id, lambda: messages.result(view))

    # -- the posted message ----------------------------------------------------------

    async def _edit(self, poll_id: int) -> None:
        poll = await self._store.get(poll_id)
        if poll is None or poll.message_id is None or poll.message_channel_id is None:
            return
        view = await self.view(poll)
        now = self._clock.now()
        await self._notify.edit(
            poll.message_channel_id,
            poll.message_id,
            poll.guild_id,
            lambda: messages.poll_message(view, now),
        )

    # -- the scheduler's side --------------------------------------------------------

    async def _close_due(self, job: Job[PollJob]) -> None:
        closed = await self._store.close(job.row, self._clock.now(), due_only=True)
        if closed is not None:
            await self._finish(closed)


def _question(poll: Poll) -> str:
    return poll.question


def _closes_in_time(options: list[PollOption], closes: datetime) -> None:
    """A date poll closes by the last date it offers: answers given after it are no use."""
    last = max((o.starts_at for o in options if o.starts_at is not None), default=None)
    if last is not None and closes > last:
        raise UserError("error.poll.closes_after_dates", latest=when(last))
