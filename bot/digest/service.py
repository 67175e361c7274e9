"""The weekly digest's use cases: setting its day, taking it by DM, and sending it.

A server's digest is a job of the database-backed scheduler (bot/scheduler.py): its row says
when it is next due and the last ISO week that was sent. When it comes due the row moves on
to the next week and marks this one sent in one write, before anything is sent, so a restart
(or a change of day within the same week) never sends a week's digest twice. Then the
fortnight is read from the features' services (bot/digest/assembly.py): an empty one posts
nothing; otherwise it goes to the announcements forum in the server's language, and by DM to
each person who asked, in theirs.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta

from bot.clock import Clock
from bot.community.service import CommunityService
from bot.digest import messages
from bot.digest.assembly import Assembly
from bot.digest.model import Digest, DigestJob, DigestSetting, Weekly, week_of, weekly_rule
from bot.digest.store import DigestStore
from bot.errors import UserError
from bot.i18n import use_locale
from bot.notify import Notifier
from bot.offload import RULE_SECONDS, off_loop
from bot.ports import Announcer, DeliveryFailed
from bot.refs import UserRef
from bot.reminders.recurrence import is_off
from bot.scheduler import Job, Scheduler
from bot.timelang.repetition import Repetition, Worded, first_from, from_body

log = logging.getLogger(__name__)


class DigestService:
    def __init__(
        self,
        store: DigestStore,
        assembly: Assembly,
        clock: Clock,
        scheduler: Scheduler,
        announcer: Announcer,
        community: CommunityService,
        notify: Notifier,
    ) -> None:
        self._store = store
        self._assembly = assembly
        self._clock = clock
        self._announcer = announcer
        self._community = community
        self._notify = notify
        self._jobs = scheduler.register_each("digest", self._due, self._store.due)

    # -- the server's setting ----------------------------------------------------------

    @staticmethod
    def read(phrase: str, *, today: date) -> Repetition | None:
        """The weekly rule in an admin's phrase; None for "off". A RepetitionError says
        what was understood and shows phrases that work."""
        if is_off(phrase):
            return None
        return weekly_rule(phrase, today=today)

    async def apply(self, guild_id: str, rule: Repetition | None) -> None:
        """Keep the server's digest on `rule` (in the server's zone now), or turn it off."""
        if rule is None:
            removed = await self._store.remove(guild_id)
            if removed is not None:
                self._jobs.cancel(Job(DigestJob.POST, removed.id))
            return
        zone = (await self._community.guild(guild_id)).timezone or self._community.default_timezone
        now = self._clock.now()
        due = await _next(rule, now, zone)
        saved = await self._store.save(guild_id, rule.body(), zone, due, now)
        self._jobs.schedule(Job(DigestJob.POST, saved.id), saved.next_at)

    async def follow_zone(self, guild_id: str) -> None:
        """The server's zone changed: its digest keeps its day and hour, in the new zone."""
        weekly = await self.weekly(guild_id)
        if weekly is not None:
            await self.apply(guild_id, weekly.rule)

    async def weekly(self, guild_id: str) -> Weekly | None:
        """The server's digest day and hour, None when it is off."""
        setting = await self._store.setting(guild_id)
        if setting is None:
            return None
        return Weekly(from_body(setting.rule), setting.timezone, setting.next_at)

    # -- by direct message -------------------------------------------------------------

    async def reads_by_dm(self, guild_id: str, user_id: str) -> bool:
        return await self._store.is_reader(guild_id, user_id)

    async def set_reader(self, guild_id: str, user: UserRef, on: bool) -> Weekly | None:
        """Take the server's digest by DM, or stop; the server's day, if it has one."""
        await self._community.remember(user)
        await self._store.set_reader(guild_id, user.id, on, self._clock.now())
        return await self.weekly(guild_id)

    # -- sending -----------------------------------------------------------------------

    async def assemble(self, guild_id: str) -> Digest:
        return await self._assembly.digest(guild_id, self._clock.now())

    async def _due(self, job: Job[DigestJob]) -> None:
        setting = await self._store.get(job.row)
        now = self._clock.now()
        if setting is None:
            return
        if setting.next_at > now:  # its day was changed meanwhile
            self._jobs.schedule(job, setting.next_at)
            return
        week = week_of(setting.next_at, setting.timezone)
        following = await _next(from_body(setting.rule), now, setting.timezone)
        claimed = await self._store.claim(setting, week, following)
        self._jobs.schedule(job, following)
        if claimed:
            await self._send(setting)

    async def _send(self, setting: DigestSetting) -> None:
        content = await self.assemble(setting.guild_id)
        if content.empty:
            log.info("digest of %s: nothing coming up, nothing posted", setting.guild_id)
            return
        forum = (await self._community.guild(setting.guild_id)).forum
        if forum is None:
            log.warning("digest of %s not posted: no announcements forum", setting.guild_id)
        else:
            with use_locale(await self._notify.guild_locale(setting.guild_id)):
                reply = messages.digest(content)
                name = messages.thread_title(content, setting.timezone)
                tag = messages.title()
            try:
                await self._announcer.create_forum_post(forum.id, name, reply, [tag])
            except DeliveryFailed as exc:
                log.warning("digest of %s not posted in %s: %s", setting.guild_id, forum.id, exc)
        for user_id in await self._store.readers(setting.guild_id):
            await self._notify.tell(
                user_id, setting.guild_id, lambda: messages.digest(content, reader=True)
            )


async def _next(rule: Repetition, now: datetime, zone: str) -> datetime:
    """The rule's first time from the next whole minute on (the rule's times are whole
    minutes, so this is never `now` again)."""
    start = now.replace(second=0, microsecond=0) + timedelta(minutes=1)
    due = await off_loop(RULE_SECONDS, first_from, rule, start, zone)
    if due is None:  # a weekly rule without an end always has a next time
        raise UserError("error.repeat.no_dates", value=Worded(rule))
    return due
