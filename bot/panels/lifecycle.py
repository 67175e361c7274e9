"""A panel's life: planned and announced, the reminder to its people, started in a thread
with slow mode, and ended (by the moderator or on time) with its summary and transcript.

Every change is written first and then shown. The reminder and the automatic end are
scheduler jobs the rows rebuild after a restart; a panel marked ended but not yet
published (a crash in between) is published when its job runs again.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime, timedelta

from bot.community.service import CommunityService
from bot.db import whole_second
from bot.errors import UserError
from bot.i18n import t, use_locale
from bot.notify import Notifier
from bot.panels import messages, transcript
from bot.panels.desk import OptedOut, PanelDesk
from bot.panels.floor import PanelFloor
from bot.panels.model import (
    REMIND_BEFORE,
    Panel,
    Panelist,
    PanelJob,
    PanelState,
    PanelStatus,
    QuestionStatus,
    Speaker,
    Summary,
    Turn,
    local_day,
)
from bot.panels.store import PanelStore
from bot.ports import Announcer, DeliveryFailed, GuildAdmin, MessageRef, Messenger
from bot.refs import ChannelRef, UserRef
from bot.replies import Reply
from bot.scheduler import Job
from bot.text import inert
from bot.visibility import Visibility

log = logging.getLogger(__name__)


class PanelLifecycle:
    def __init__(
        self,
        store: PanelStore,
        desk: PanelDesk,
        floor: PanelFloor,
        messenger: Messenger,
        guilds: GuildAdmin,
        announcer: Announcer,
        community: CommunityService,
        visibility: Visibility,
        notify: Notifier,
        *,
        opted_out: OptedOut,
    ) -> None:
        self._store = store
        self._desk = desk
        self._floor = floor
        self._messenger = messenger
        self._guilds = guilds
        self._announcer = announcer
        self._community = community
        self._visibility = visibility
        self._notify = notify
        self._opted_out = opted_out
        self._publishing: set[int] = set()
        self._jobs = desk.jobs
        desk.routes.add(PanelJob.REMIND, self._remind_due)
        desk.routes.add(PanelJob.END, self._end_due)
        desk.routes.add(PanelJob.PUBLISH, self._publish_due)

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
        now = self._desk.now()
        starts_at = whole_second(starts_at)
        # Announced in a group's channel, the panel is that group's: only its members see it.
        group_id = await self._visibility.group_of_channel(channel.home)
        named = [await self._desk.named(p) for p in panelists]
        moderator = await self._desk.named(moderator)
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
        await self._desk.post(
            panel,
            panel.channel_id,
            lambda themed: messages.announcement(panel, self._messenger.mention, themed=themed),
        )
        return panel

    async def _guild_zone(self, guild_id: str) -> str:
        return (await self._community.guild(guild_id)).timezone or self._community.default_timezone

    async def _remind_due(self, job: Job[PanelJob]) -> None:
        panel = await self._store.mark_reminded(job.row)
        if panel is not None:
            await self._remind(panel)

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
            await self._desk.post(
                panel,
                panel.channel_id,
                lambda themed: replace(
                    messages.reminder_here(panel, mentions), mentions=tuple(missed)
                ),
            )

    # -- starting --------------------------------------------------------------------

    async def start(self, panel: Panel, *, thread: bool, slowmode: int) -> Panel:
        if panel.status is PanelStatus.LIVE:
            raise UserError("error.panel.already_live", topic=inert(panel.topic))
        if panel.status is PanelStatus.ENDED:
            raise UserError("error.panel.ended", topic=inert(panel.topic))
        busy = await self._store.live_in_channel(panel.channel_id)
        if busy is not None:
            raise UserError("error.panel.channel_busy", id=busy)
        async with self._desk.lock(panel.id):
            now = self._desk.now()
            place = ChannelRef(panel.channel_id, panel.channel_name)
            opened: MessageRef | None = None
            opening = replace(
                panel, status=PanelStatus.LIVE, started_at=now, ends_at=now + panel.duration
            )
            with use_locale(await self._notify.guild_locale(panel.guild_id)):
                name = messages.thread_name(panel)
            if thread:
                first = await self._desk.dressed(
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
            (await self._desk.live_places())[started.where] = started.id
            if opened is not None:
                await self._store.set_card(started.id, opened.message_id)
            else:
                ref = await self._desk.post(
                    started,
                    started.where,
                    lambda themed: messages.card(
                        PanelState(started), self._messenger.mention, now, themed=themed
                    ),
                )
                if ref is not None:
                    await self._store.set_card(started.id, ref.message_id)
            return await self._desk.reread(started.id)

    # -- ending ----------------------------------------------------------------------

    async def end(self, panel: Panel) -> tuple[Panel, str]:
        """End now (the moderator's `/panel end`); returns the panel and the name of
        where its summary and transcript went."""
        if panel.status is not PanelStatus.LIVE:
            raise UserError("error.panel.not_live", topic=inert(panel.topic))
        async with self._desk.lock(panel.id):
            done, last = await self._store.end(panel.id, self._desk.now(), due_only=False)
            if not done:
                raise UserError("error.panel.not_live", topic=inert(panel.topic))
            return await self._after_end(panel.id, last)

    async def _end_due(self, job: Job[PanelJob]) -> None:
        async with self._desk.lock(job.row):
            done, last = await self._store.end(job.row, self._desk.now(), due_only=True)
            if done:
                await self._after_end(job.row, last)

    async def _publish_due(self, job: Job[PanelJob]) -> None:
        await self._after_end(job.row, None)

    async def _after_end(self, panel_id: int, last: Turn | None) -> tuple[Panel, str]:
        """Everything after the rows say "ended": timers, slow mode, the card, and the
        summary with the transcript. Marked published only once posted, so a crash in
        between posts it at the next start (a possible repeat rather than a loss)."""
        panel = await self._desk.reread(panel_id)
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
            self._floor.forget_turn(last)
        (await self._desk.live_places()).pop(panel.where, None)
        if panel.slowmode and panel.slowmode_before is not None:
            try:
                await self._guilds.set_slowmode(panel.guild_id, panel.where, panel.slowmode_before)
            except DeliveryFailed as exc:
                log.warning("slow mode of panel %d not restored: %s", panel.id, exc)
        await self._desk.refresh_card(panel.id)
        return await self._publish(panel)

    # -- the summary and the transcript ----------------------------------------------

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
            day = local_day(panel.ended_at or self._desk.now(), panel.timezone)
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
            await self._desk.post(panel, panel.channel_id, lambda themed: record)
        if posted or panel.where != panel.channel_id:
            await self._desk.post(
                panel, panel.where, lambda themed: Reply(messages.summary_text(panel, summary))
            )
        return forum.name if posted and forum is not None else panel.channel_name

    async def summary(self, panel: Panel) -> Summary:
        now = self._desk.now()
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
