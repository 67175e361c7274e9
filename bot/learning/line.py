"""The personal learning line and local cases: what a director keeps for themself.

A line holds a director's goals and dated reflections, private unless shared with a coach;
a local case is a forum post for peer feedback, tagged with a programme's theme.
"""

from __future__ import annotations

from datetime import datetime

from bot.clock import Clock
from bot.community.service import CommunityService
from bot.db import whole_second
from bot.errors import UserError
from bot.i18n import use_locale
from bot.learning import messages
from bot.learning.model import Line, pick_goal
from bot.learning.store import LearningStore
from bot.notify import Notifier
from bot.ports import Announcer, DeliveryFailed, Messenger
from bot.refs import UserRef
from bot.text import inert, normalize


class LearningLine:
    def __init__(
        self,
        store: LearningStore,
        clock: Clock,
        messenger: Messenger,
        announcer: Announcer,
        community: CommunityService,
        *,
        max_entries: int = 1000,
    ) -> None:
        self._store = store
        self._clock = clock
        self._announcer = announcer
        self._community = community
        self._notify = Notifier(messenger, community)
        # Learning-log entries one person may keep in a server.
        self._max_entries = max_entries

    # -- the personal learning line: private unless shared with a coach --------------

    async def set_goals(self, guild_id: str, user: UserRef, goals: tuple[str, ...]) -> None:
        await self._community.remember(user)
        await self._store.set_goals(guild_id, user.id, goals, whole_second(self._clock.now()))

    async def log(self, guild_id: str, user: UserRef, goal: str, text: str) -> tuple[str, datetime]:
        """Write a dated reflection on one of my goals; (the goal, when)."""
        chosen = pick_goal(await self._store.goals(guild_id, user.id), goal)
        now = whole_second(self._clock.now())
        if not await self._store.add_entry_if_room(
            guild_id, user.id, chosen, text.strip(), now, self._max_entries
        ):
            raise UserError("error.learning.too_many_entries", max=self._max_entries)
        return chosen, now

    async def share(self, guild_id: str, user: UserRef, coach: UserRef) -> bool:
        if coach.id == user.id:
            raise UserError("error.learning.share_self")
        await self._community.remember(coach)
        return await self._store.share(guild_id, user.id, coach.id, self._clock.now())

    async def line(self, guild_id: str, viewer: UserRef, whose: UserRef | None = None) -> Line:
        """My line, or someone's who shared theirs with me (and nobody else's)."""
        owner = whose or viewer
        if owner.id != viewer.id and not await self._store.is_coach(guild_id, owner.id, viewer.id):
            raise UserError("error.learning.line_private")
        name = await self._community.display_name(owner.id) or owner.name or owner.id
        return await self._store.line(guild_id, owner.id, name)

    # -- local cases: a forum post for peer feedback ----------------------------------

    async def theme_named(self, guild_id: str, text: str) -> str:
        """A theme of one of the server's programmes, by its name or a unique part."""
        themes: list[str] = []
        for program in await self._store.all(guild_id):
            themes += [t for t in program.themes if t not in themes]
        wanted = normalize(text)
        exact = [t for t in themes if normalize(t) == wanted]
        matches = exact or [t for t in themes if wanted and wanted in normalize(t)]
        if len(matches) != 1:
            raise UserError(
                "error.learning.unknown_theme", theme=inert(text), themes=inert("; ".join(themes))
            )
        return matches[0]

    async def post_case(
        self, guild_id: str, author: UserRef, title: str, text: str, theme: str | None
    ) -> str:
        """Post the case in the announcements forum, tagged with its theme; the forum's
        name. Nothing is saved: the post and its replies are the conversation."""
        forum = (await self._community.guild(guild_id)).forum
        if forum is None:
            raise UserError("error.learning.no_forum")
        await self._community.remember(author)
        with use_locale(await self._notify.guild_locale(guild_id)):
            reply = messages.case_post(author, title, text, theme)
            tag = messages.case_tag(theme)
        try:
            await self._announcer.create_forum_post(forum.id, title.strip(), reply, [tag])
        except DeliveryFailed as exc:
            key = "error.learning.case_failed" if exc.permanent else "error.learning.case_down"
            raise UserError(key, forum=inert(forum.name)) from exc
        return forum.name
