"""Panel use cases: planning and announcing, the reminder, starting in a thread with slow
mode, the floor (queue, rounds, out of turn) with timed turns, audience questions with
votes, pączki, chat recorded for the transcript, and the end with summary and transcript.

Every change is written first and then shown: the card (edited live, like a sign-up sheet)
is redrawn from the rows, and each timer (the reminder, a turn's warning and time-up, the
automatic end) is a scheduler job the rows rebuild after a restart. Changes to one panel's
floor run one at a time (a lock per panel), so a time-up and a `next` never cross.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import datetime, timedelta

from bot.clock import Clock
from bot.community.service import CommunityService
from bot.db import whole_second
from bot.errors import UserError
from bot.i18n import t, use_locale
from bot.notify import LiveMessages, Notifier
from bot.panels import messages, transcript
from bot.panels.model import (
    REMIND_BEFORE,
    Panel,
    Panelist,
    PanelJob,
    PanelState,
    PanelStatus,
    Question,
    QuestionStatus,
    Speaker,
    Summary,
    Turn,
    TurnKind,
    check_paczek,
    check_question,
    hand_position,
    is_fat_thursday,
    local_day,
    parse_panel_ref,
)
from bot.panels.store import PanelStore
from bot.ports import Announcer, DeliveryFailed, GuildAdmin, MessageRef, Messenger
from bot.refs import ChannelRef, UserRef
from bot.replies import Reply
from bot.scheduler import Job, Scheduler
from bot.text import inert, normalize, scrub
from bot.visibility import Viewer, Visibility

log = logging.getLogger(__name__)

# Of these people, who asked to be left out of transcripts (`/privacy transcripts off`).
OptedOut = Callable[[set[str]], Awaitable[set[str]]]


class PanelService:
    def __init__(
        self,
        store: PanelStore,
        clock: Clock,
        scheduler: Scheduler,
        messenger: Messenger,
        guilds: GuildAdmin,
        announcer: Announcer,
        community: CommunityService,
        visibility: Visibility,
        *,
        opted_out: OptedOut,
    ) -> None:
        self._store = store
        self._visibility = visibility
        self._clock = clock
        self._messenger = messenger
        self._guilds = guilds
        self._announcer = announcer
        self._community = community
        self._opted_out = opted_out
        self._locks: dict[int, asyncio.Lock] = {}
        # Where live panels speak → panel id: chat anywhere else is ignored at once.
        self._live: dict[str, int] | None = None
        self._notify = Notifier(messenger, community)
        self._cards = LiveMessages(self._edit_card)
        self._publishing: set[int] = set()
        self._jobs = scheduler.register_each("panel", self._panel_due, self._store.due_before)

    def _lock(self, panel_id: int) -> asyncio.Lock:
        return self._locks.setdefault(panel_id, asyncio.Lock())

    def _now(self) -> datetime:
        return whole_second(self._clock.now())

    # -- finding ---------------------------------------------------------------------

    async def get(self, panel_id: int, viewer: Viewer) -> Panel:
        """The panel of this number, when the viewer may see it (bot/visibility.py)."""
        panel = await self._store.get(panel_id)
        if panel is None or not await self._visibility.sees(viewer, panel.scope):
            raise UserError("error.panel.unknown", panel=panel_id)
        return panel

    async def _get(self, panel_id: int) -> Panel:
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
                key = normalize(ref)
                panel = next((p for p in candidates if normalize(p.topic) == key), None)
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

    # -- planning --------------------------------------------------------------------

    async def create(
        self,
        guild_id: str,
        *,
        topic: str,
        starts_at: datetime,
        panelists: list[UserRef],
        moderator: UserRef,
        turn: timedelta,
        duration: timedelta,
        channel: ChannelRef,
        creator: UserRef,
    ) -> Panel:
        now = self._now()
        starts_at = whole_second(starts_at)
        # Announced in a group's channel, the panel is that group's: only its members see it.
        group_id = await self._visibility.group_of_channel(channel.home)
        named = [await self._named(p) for p in panelists]
        moderator = await self._named(moderator)
        await self._community.remember(creator)
        draft = Panel(
            id=0,
            guild_id=guild_id,
            topic=topic,
            channel_id=channel.id,
            channel_name=channel.name,
            starts_at=starts_at,
            duration=duration,
            turn=turn,
            moderator_id=moderator.id,
            moderator_name=moderator.name,
            status=PanelStatus.SCHEDULED,
            timezone=await self._guild_zone(guild_id),
            created_by=creator.id,
            created_at=now,
            remind_at=max(starts_at - REMIND_BEFORE, now),
            panelists=tuple(Panelist(i, p.id, p.name) for i, p in enumerate(named, start=1)),
            group_id=group_id,
        )
        panel = replace(draft, id=await self._store.create(draft))
        self._jobs.schedule(Job(PanelJob.REMIND, panel.id), panel.remind_at)
        await self._post(
            panel,
            panel.channel_id,
            lambda themed: messages.announcement(panel, self._messenger.mention, themed=themed),
        )
        return panel

    async def _named(self, user: UserRef) -> UserRef:
        """A name for people known only by a mention (Discord ids in a text option)."""
        if user.name:
            await self._community.remember(user)
            return user
        known = await self._community.display_name(user.id)
        return UserRef(user.id, known or user.id.split(":", 1)[-1])

    # -- starting and ending ---------------------------------------------------------

    async def start(self, panel: Panel, *, thread: bool, slowmode: int) -> Panel:
        if panel.status is PanelStatus.LIVE:
            raise UserError("error.panel.already_live", topic=inert(panel.topic))
        if panel.status is PanelStatus.ENDED:
            raise UserError("error.panel.ended", topic=inert(panel.topic))
        busy = await self._store.live_in_channel(panel.channel_id)
        if busy is not None:
            raise UserError("error.panel.channel_busy", id=busy)
        async with self._lock(panel.id):
            now = self._now()
            place = ChannelRef(panel.channel_id, panel.channel_name)
            opened: MessageRef | None = None
            opening = replace(
                panel, status=PanelStatus.LIVE, started_at=now, ends_at=now + panel.duration
            )
            with use_locale(await self._notify.guild_locale(panel.guild_id)):
                name = messages.thread_name(panel)
            if thread:
                first = await self._dressed(
                    panel,
                    lambda themed: messages.card(
                        PanelState(opening), self._messenger.mention, now, themed=themed
                    ),
                )
                try:
                    opened = await self._guilds.create_thread(
                        panel.guild_id, panel.channel_id, name, first
                    )
                    place = ChannelRef(opened.channel_id, name)
                except DeliveryFailed as exc:
                    log.info("panel %d runs in its channel, no thread: %s", panel.id, exc)
            before: int | None = None
            if slowmode:
                try:
                    before = await self._guilds.set_slowmode(panel.guild_id, place.id, slowmode)
                except DeliveryFailed as exc:
                    log.warning("slow mode for panel %d not set: %s", panel.id, exc)
                    slowmode = 0
            started = await self._store.start(
                panel.id,
                now=now,
                place_id=place.id,
                place_name=place.name,
                slowmode=slowmode,
                slowmode_before=before,
            )
            if started is None:
                # Started (or another panel here) meanwhile: the rows say which.
                busy = await self._store.live_in_channel(panel.channel_id)
                if busy == panel.id:
                    raise UserError("error.panel.already_live", topic=inert(panel.topic))
                raise UserError("error.panel.channel_busy", id=busy or panel.id)
            self._jobs.cancel(Job(PanelJob.REMIND, panel.id))
            assert started.ends_at is not None
            self._jobs.schedule(Job(PanelJob.END, panel.id), started.ends_at)
            (await self._live_places())[started.where] = started.id
            if opened is not None:
                await self._store.set_card(started.id, opened.message_id)
            else:
                ref = await self._post(
                    started,
                    started.where,
                    lambda themed: messages.card(
                        PanelState(started), self._messenger.mention, now, themed=themed
                    ),
                )
                if ref is not None:
                    await self._store.set_card(started.id, ref.message_id)
            return await self._get(started.id)

    async def end(self, panel: Panel) -> tuple[Panel, str]:
        """End now (the moderator's `/panel end`); returns the panel and the name of
        where its summary and transcript went."""
        if panel.status is not PanelStatus.LIVE:
            raise UserError("error.panel.not_live", topic=inert(panel.topic))
        async with self._lock(panel.id):
            done, last = await self._store.end(panel.id, self._now(), due_only=False)
            if not done:
                raise UserError("error.panel.not_live", topic=inert(panel.topic))
            return await self._after_end(panel.id, last)

    async def _after_end(self, panel_id: int, last: Turn | None) -> tuple[Panel, str]:
        """Everything after the rows say "ended": timers, slow mode, the card, and the
        summary with the transcript. Marked published only once posted, so a crash in
        between posts it at the next start (a possible repeat rather than a loss)."""
        panel = await self._get(panel_id)
        if panel_id in self._publishing:
            return panel, panel.channel_name
        self._publishing.add(panel_id)
        try:
            if await self._store.is_published(panel_id):
                return panel, panel.channel_name
            where = await self._wind_up(panel, last)
            await self._store.mark_published(panel_id)
            return panel, where
        finally:
            self._publishing.discard(panel_id)

    async def _wind_up(self, panel: Panel, last: Turn | None) -> str:
        self._jobs.cancel(Job(PanelJob.END, panel.id))
        if last is not None:
            self._forget_turn(last)
        (await self._live_places()).pop(panel.where, None)
        if panel.slowmode and panel.slowmode_before is not None:
            try:
                await self._guilds.set_slowmode(panel.guild_id, panel.where, panel.slowmode_before)
            except DeliveryFailed as exc:
                log.warning("slow mode of panel %d not restored: %s", panel.id, exc)
        await self._cards.refresh(panel.id)
        return await self._publish(panel)

    async def _publish(self, panel: Panel) -> str:
        """The summary in the panel's place, and the summary with the transcript attached
        as a forum post (or in the channel when no forum is set up). Returns the name of
        where the transcript went."""
        hidden = await self._hidden(panel)
        entries = await self._store.log(panel.id)
        with use_locale(await self._notify.guild_locale(panel.guild_id)):
            summary = (await self.summary(panel)).anonymized(hidden, t("panel.log.anonymous"))
            record = messages.record(
                panel, summary, transcript.files(panel, summary, entries, hidden)
            )
            day = local_day(panel.ended_at or self._now(), panel.timezone)
            title = messages.forum_title(panel, day)
        # A group's panel keeps its transcript inside the group: in its channel, never in
        # the server-wide forum.
        forum = None if panel.group_id else (await self._community.guild(panel.guild_id)).forum
        posted = False
        if forum is not None:
            try:
                await self._announcer.create_forum_post(forum.id, title, record, ())
                posted = True
            except DeliveryFailed as exc:
                log.warning("panel %d transcript not posted in the forum: %s", panel.id, exc)
        if not posted:
            await self._post(panel, panel.channel_id, lambda themed: record)
        if posted or panel.where != panel.channel_id:
            await self._post(
                panel, panel.where, lambda themed: Reply(messages.summary_text(panel, summary))
            )
        return forum.name if posted and forum is not None else panel.channel_name

    async def summary(self, panel: Panel) -> Summary:
        now = self._now()
        spoken: dict[str, Speaker] = {}
        for turn in await self._store.turns(panel.id):
            was = spoken.get(turn.user_id, Speaker(turn.user_id, turn.name, 0, timedelta()))
            spoken[turn.user_id] = replace(
                was, turns=was.turns + 1, spoken=was.spoken + turn.spoken(now)
            )
        questions = await self._store.questions(panel.id)
        end = panel.ended_at or now
        return Summary(
            duration=end - (panel.started_at or end),
            speakers=tuple(spoken.values()),
            asked=len(questions),
            answered=sum(1 for q in questions if q.status is not QuestionStatus.QUEUED),
            tally=tuple(await self._store.tally(panel.id)),
        )

    async def _hidden(self, panel: Panel) -> set[str]:
        people = {e.user_id for e in await self._store.log(panel.id) if e.user_id}
        people |= {t.user_id for t in await self._store.turns(panel.id)}
        # The heading names the moderator and every panelist, spoken or not.
        people |= {panel.moderator_id, *(p.user_id for p in panel.panelists)}
        return await self._opted_out(people)

    # -- the floor -------------------------------------------------------------------

    async def raise_hand(self, panel: Panel, user: UserRef) -> int:
        _require_live(panel)
        await self._community.remember(user)
        if not await self._store.raise_hand(panel.id, user, self._now()):
            position = await self.queue_position(panel, user.id)
            raise UserError("error.panel.hand_already", position=position)
        await self._cards.refresh(panel.id)
        return await self.queue_position(panel, user.id)

    async def lower_hand(self, panel: Panel, user_id: str) -> None:
        _require_live(panel)
        if not await self._store.lower_hand(panel.id, user_id):
            raise UserError("error.panel.hand_not_raised")
        await self._cards.refresh(panel.id)

    async def next(self, panel: Panel) -> Turn | None:
        """The floor to the next in line (a round first, then raised hands); None when
        nobody waits, and the floor is then free."""
        _require_live(panel)
        async with self._lock(panel.id):
            return await self._give(panel, None, TurnKind.QUEUE)

    async def give_floor(self, panel: Panel, user: UserRef) -> Turn:
        _require_live(panel)
        async with self._lock(panel.id):
            turn = await self._give(panel, await self._named(user), TurnKind.FLOOR)
            assert turn is not None
            return turn

    async def round(self, panel: Panel) -> Turn | None:
        """Every panelist in order, each for a turn; the first one now."""
        _require_live(panel)
        async with self._lock(panel.id):
            await self._store.set_round(panel.id, panel.panelists, self._now())
            return await self._give(panel, None, TurnKind.ROUND)

    async def _give(self, panel: Panel, user: UserRef | None, kind: TurnKind) -> Turn | None:
        ended, turn = await self._store.give_floor(panel.id, user, kind, self._now(), panel.turn)
        if ended is not None:
            self._forget_turn(ended)
        if turn is None:
            if ended is not None:
                await self._post(panel, panel.where, lambda themed: messages.floor_free())
        else:
            self._schedule_turn(turn)
            await self._post(
                panel, panel.where, lambda themed: messages.floor(turn, self._messenger.mention)
            )
        await self._cards.refresh(panel.id)
        return turn

    def _schedule_turn(self, turn: Turn) -> None:
        if turn.warn_at is not None:
            self._jobs.schedule(Job(PanelJob.WARN, turn.id), turn.warn_at)
        self._jobs.schedule(Job(PanelJob.TIME_UP, turn.id), turn.ends_at)

    def _forget_turn(self, turn: Turn) -> None:
        self._jobs.cancel(Job(PanelJob.WARN, turn.id))
        self._jobs.cancel(Job(PanelJob.TIME_UP, turn.id))

    # -- questions -------------------------------------------------------------------

    async def ask(self, panel: Panel, user: UserRef, text: str) -> Question:
        _require_live(panel)
        clean = check_question(text)
        await self._community.remember(user)
        question = await self._store.ask(panel.id, user, clean, self._now())
        await self._cards.refresh(panel.id)
        return question

    async def upvote(self, panel: Panel, number: int, user_id: str) -> Question:
        _require_live(panel)
        question = await self._store.question(panel.id, number)
        if question is None:
            raise UserError("error.panel.no_question", number=number)
        if question.status is not QuestionStatus.QUEUED:
            raise UserError("error.panel.question_not_waiting", number=number)
        if question.author_id == user_id:
            raise UserError("error.panel.vote_own")
        if not await self._store.vote(question.id, user_id, self._now()):
            raise UserError("error.panel.vote_twice", number=number)
        return await self._store.question(panel.id, number) or question

    async def pick_question(self, panel: Panel, number: int | None) -> Question:
        """The next question (most votes, then the earliest), or the one given."""
        _require_live(panel)
        async with self._lock(panel.id):
            picked = await self._store.pick(panel.id, number, self._now())
            if picked is None:
                if number is None:
                    raise UserError("error.panel.no_questions")
                if await self._store.question(panel.id, number) is None:
                    raise UserError("error.panel.no_question", number=number)
                raise UserError("error.panel.question_not_waiting", number=number)
            await self._post(panel, panel.where, lambda themed: messages.question_now(picked))
            await self._cards.refresh(panel.id)
            return picked

    # -- pączki ----------------------------------------------------------------------

    async def paczek(self, panel: Panel, giver: UserRef, to: UserRef | None) -> tuple[str, int]:
        """A pączek for the speaker now (or the one named, for their latest turn): one per
        giver per turn, never to oneself. Returns (their name, their pączki now)."""
        _require_live(panel)
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
        if not await self._store.give_paczek(turn, giver.id, self._now()):
            raise UserError("error.panel.paczek_twice", who=inert(turn.name))
        count = next(
            (n for uid, _, n in await self._store.tally(panel.id) if uid == turn.user_id), 0
        )
        await self._cards.refresh(panel.id)
        return turn.name, count

    # -- chat and opt-out ------------------------------------------------------------

    async def heard(self, channel_id: str, user: UserRef, text: str) -> bool:
        """Something was said in a channel: kept for the transcript when a live panel
        speaks there and the person did not opt out. True when it was kept."""
        places = await self._live_places()
        panel_id = places.get(channel_id)
        if panel_id is None or not text.strip():
            return False
        if await self._opted_out({user.id}):
            return False
        said = scrub(text)[:4000]
        if not said:
            return False
        await self._store.chat(panel_id, user, said, self._now())
        return True

    async def _live_places(self) -> dict[str, int]:
        if self._live is None:
            self._live = await self._store.live_places()
        return self._live

    # -- posting ---------------------------------------------------------------------

    def _themed(self, panel: Panel, now: datetime) -> bool:
        return is_fat_thursday(now, panel.timezone)

    async def _post(
        self, panel: Panel, channel_id: str, build: Callable[[bool], Reply]
    ) -> MessageRef | None:
        """Post a panel message (see `_dressed`); None when it failed."""
        reply = await self._dressed(panel, build)
        try:
            return await self._messenger.send_channel(channel_id, reply)
        except DeliveryFailed as exc:
            log.warning("panel %d could not post in %s: %s", panel.id, channel_id, exc)
            return None

    async def _dressed(self, panel: Panel, build: Callable[[bool], Reply]) -> Reply:
        """A panel message in the server's language, with the pączek theme on Tłusty
        Czwartek and the greeting on that day's first one in the server."""
        now = self._clock.now()
        themed = self._themed(panel, now)
        greet = themed and await self._store.greet(panel.guild_id, local_day(now, panel.timezone))
        with use_locale(await self._notify.guild_locale(panel.guild_id)):
            reply = build(themed)
            if greet:
                reply = replace(reply, text=messages.greeting() + "\n\n" + reply.text)
        return reply

    async def _edit_card(self, panel_id: int) -> None:
        panel = await self._store.get(panel_id)
        if panel is None or panel.card_message_id is None:
            return
        state = await self.state(panel)
        now = self._clock.now()
        themed = self._themed(panel, now)
        await self._notify.edit(
            panel.where,
            panel.card_message_id,
            panel.guild_id,
            lambda: messages.card(state, self._messenger.mention, now, themed=themed),
        )

    async def _guild_zone(self, guild_id: str) -> str:
        return (await self._community.guild(guild_id)).timezone or self._community.default_timezone

    # -- the scheduler's side --------------------------------------------------------

    async def _panel_due(self, job: Job[PanelJob]) -> None:
        kind, ident = job.kind, job.row
        if kind is PanelJob.REMIND:
            panel = await self._store.mark_reminded(ident)
            if panel is not None:
                await self._remind(panel)
        elif kind is PanelJob.END:
            async with self._lock(ident):
                done, last = await self._store.end(ident, self._now(), due_only=True)
                if done:
                    await self._after_end(ident, last)
        elif kind is PanelJob.PUBLISH:
            await self._after_end(ident, None)
        elif kind is PanelJob.WARN:
            turn = await self._store.warn(ident, self._now())
            if turn is not None:
                panel = await self._get(turn.panel_id)
                await self._post(
                    panel,
                    panel.where,
                    lambda themed: messages.warning(turn, self._messenger.mention),
                )
        elif kind is PanelJob.TIME_UP:
            await self._time_up(ident)

    async def _time_up(self, turn_id: int) -> None:
        turn = await self._store.turn(turn_id)
        if turn is None:
            return
        async with self._lock(turn.panel_id):
            ended = await self._store.time_up(turn_id)
            if ended is None:
                return
            self._jobs.cancel(Job(PanelJob.WARN, turn_id))
            panel = await self._get(ended.panel_id)
            await self._post(
                panel, panel.where, lambda themed: messages.time_up(ended, self._messenger.mention)
            )
            if ended.kind is TurnKind.ROUND and panel.live:
                # A round goes on by itself: the next panelist speaks.
                queue = await self._store.queue(panel.id)
                if any(e.kind.value == "round" for e in queue):
                    await self._give(panel, None, TurnKind.ROUND)
                    return
            await self._cards.refresh(panel.id)

    async def _remind(self, panel: Panel) -> None:
        """A DM to each panelist and the moderator; those whose DMs are closed are
        mentioned in the panel's channel instead."""
        people = [(p.user_id, False) for p in panel.panelists if p.user_id != panel.moderator_id]
        people.append((panel.moderator_id, True))
        missed: list[str] = []
        for user_id, is_moderator in people:
            with use_locale(await self._community.locale_for(user_id, panel.guild_id)):
                reply = messages.reminder(panel, moderator=is_moderator)
            try:
                await self._messenger.send_dm(user_id, reply)
            except DeliveryFailed as exc:
                log.info("panel reminder to %s not sent: %s", user_id, exc)
                missed.append(user_id)
        if missed:
            mentions = " ".join(self._messenger.mention(u) for u in missed)
            await self._post(
                panel,
                panel.channel_id,
                lambda themed: replace(
                    messages.reminder_here(panel, mentions), mentions=tuple(missed)
                ),
            )


def _require_live(panel: Panel) -> None:
    if panel.status is PanelStatus.SCHEDULED:
        raise UserError("error.panel.not_started", topic=inert(panel.topic), id=panel.id)
    if panel.status is PanelStatus.ENDED:
        raise UserError("error.panel.ended", topic=inert(panel.topic))
