"""/program …: learning programmes from registration to the record of who took part.

Moderators create programmes, add sessions and mark attendance; everyone joins, leaves
and reads. Registration is the programme's sign-up sheet and sessions are training
events, so their own commands (/signup …, /event …) work on them too.
"""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from bot.commands import Choice, Command, Invocation, Limit, Option, OptionType, Registry
from bot.errors import Refused, UserError
from bot.events.commands import EventCommands
from bot.events.model import MAX_PLACE, Kind
from bot.learning import messages
from bot.learning.line import LearningLine
from bot.learning.model import (
    MAX_CASE_TITLE,
    MAX_CHECKIN_WEEKS,
    MAX_ENTRY,
    MAX_GOAL,
    MAX_NAME,
    Program,
    parse_goals,
    parse_themes,
)
from bot.learning.service import DEFAULT_CAPACITY, LearningService
from bot.offload import CSV_SECONDS, off_loop
from bot.panels.model import mentions_in
from bot.refs import UserRef
from bot.replies import Reply
from bot.roles import Role
from bot.text import clean_name, normalize
from bot.timelang.repetition import Allowed, Unit, parse
from bot.timelang.timestamps import stamp
from bot.timelang.understand import understand_optional_when, understand_when
from bot.visibility import Viewer


class LearningCommands:
    def __init__(self, service: LearningService, line: LearningLine, events: EventCommands) -> None:
        self._service = service
        self._line = line
        self._events = events

    def register(self, registry: Registry) -> None:
        program = Option(
            "program", required=True, autocomplete=self._complete_program, max_length=120
        )
        registry.add(
            Command(
                "program create",
                Role.MODERATOR,
                self.create,
                (
                    Option("name", required=True, max_length=MAX_NAME),
                    Option("themes", required=True, max_length=1000),
                    Option("starts", required=True, max_length=200),
                    Option("ends", required=True, max_length=200),
                    Option("capacity", OptionType.INTEGER, min_value=1, max_value=DEFAULT_CAPACITY),
                    Option("registration_opens", max_length=200),
                    Option("registration_closes", max_length=200),
                    Option(
                        "checkin_weeks",
                        OptionType.INTEGER,
                        min_value=1,
                        max_value=MAX_CHECKIN_WEEKS,
                    ),
                    Option("checkin", max_length=100),
                    Option("threshold", OptionType.INTEGER, min_value=1, max_value=100),
                ),
                audit=True,
            ),
            Command(
                "program session add",
                Role.MODERATOR,
                self.session_add,
                (
                    program,
                    Option("theme", required=True, max_length=80),
                    Option("when", required=True, max_length=200),
                    Option("duration", required=True, max_length=32),
                    Option("place", max_length=MAX_PLACE),
                ),
                audit=True,
            ),
            Command(
                "program join",
                Role.DIRECTOR,
                self.join,
                (program,),
                limit=Limit(5, timedelta(hours=1)),
            ),
            Command("program leave", Role.DIRECTOR, self.leave, (program,)),
            Command("program info", Role.DIRECTOR, self.info, (program,)),
            Command("program list", Role.DIRECTOR, self.list_),
            Command("program sessions", Role.DIRECTOR, self.sessions, (program,)),
            Command(
                "program attendance",
                Role.MODERATOR,
                self.attendance,
                (
                    Option("session", required=True, max_length=120),
                    Option("users", required=True, max_length=1000),
                ),
                audit=True,
            ),
            Command(
                "program record", Role.DIRECTOR, self.record, (Option("user", OptionType.USER),)
            ),
            Command(
                "program certificates",
                Role.MODERATOR,
                self.certificates,
                (program, Option("again", OptionType.BOOLEAN)),
                audit=True,
            ),
            Command("program overview", Role.MODERATOR, self.overview, (program,), audit=True),
            Command(
                "learning goals set",
                Role.DIRECTOR,
                self.goals_set,
                (Option("goals", required=True, max_length=1000),),
            ),
            Command(
                "learning log",
                Role.DIRECTOR,
                self.log,
                (
                    Option("goal", required=True, max_length=MAX_GOAL),
                    Option("text", required=True, max_length=MAX_ENTRY),
                ),
                limit=Limit(20, timedelta(days=1)),
            ),
            Command("learning line", Role.DIRECTOR, self.line, (Option("user", OptionType.USER),)),
            Command(
                "learning case",
                Role.DIRECTOR,
                self.case,
                (
                    Option("title", required=True, max_length=MAX_CASE_TITLE),
                    Option("text", required=True, max_length=MAX_ENTRY),
                    Option("theme", max_length=80),
                ),
                limit=Limit(3, timedelta(days=1)),  # a post in the announcements forum
            ),
            Command(
                "learning share",
                Role.DIRECTOR,
                self.share,
                (Option("coach", OptionType.USER, required=True),),
                limit=Limit(10, timedelta(days=1)),
            ),
        )

    async def _complete_program(self, ctx: Invocation, current: str) -> list[Choice]:
        needle = normalize(current.lstrip("#"))
        return [
            Choice(f"#{p.id} {p.name}"[:100], str(p.id))
            for p in await self._service.all(ctx.guild_id)
            if needle in normalize(p.name) or needle == str(p.id)
        ][:25]

    async def _program(self, ctx: Invocation, ref: str) -> Program:
        return await self._service.find(ctx.guild_id, ref)

    async def create(
        self,
        ctx: Invocation,
        name: str,
        themes: str,
        starts: str,
        ends: str,
        capacity: int | None = None,
        registration_opens: str | None = None,
        registration_closes: str | None = None,
        checkin_weeks: int | None = None,
        threshold: int = 1,
        checkin: str | None = None,
    ) -> Reply:
        if checkin is not None:
            if checkin_weeks is not None:
                raise UserError("error.learning.checkin_twice")
            checkin_weeks = _checkin_weeks(checkin, ctx)
        parsed = parse_themes(themes)
        starts_at = understand_when(starts, ctx, option="starts")
        ends_at = understand_when(ends, ctx, option="ends")
        if ends_at <= starts_at:
            raise UserError("error.learning.ends_before_starts")
        opens = understand_optional_when(registration_opens, ctx, "registration_opens")
        closes = understand_optional_when(registration_closes, ctx, "registration_closes")
        if opens and closes and closes <= opens:
            raise UserError("error.learning.registration_order")
        if closes and closes > ends_at:
            raise UserError("error.learning.registration_after_end")
        program, sheet_id = await self._service.create(
            ctx.guild_id,
            name=name,
            themes=parsed,
            starts=starts_at,
            ends=ends_at,
            capacity=capacity,
            opens=opens,
            closes=closes,
            channel=ctx.channel,
            creator=ctx.actor.user,
            timezone=ctx.timezone,
            checkin_weeks=checkin_weeks,
            threshold=threshold,
        )
        return messages.created(program, sheet_id)

    async def session_add(
        self, ctx: Invocation, program: str, theme: str, when: str, duration: str, place: str = ""
    ) -> Reply:
        found = await self._program(ctx, program)
        chosen = found.theme(theme)
        # The event command's own checks and reading of when/duration (no second copy).
        draft, _ = await self._events.draft(
            ctx,
            title=f"{found.name}: {chosen}"[:100],
            kind=Kind.TRAINING.value,
            when=when,
            duration=duration,
            place=place,
            description=found.name,
        )
        outcome, session = await self._service.add_session(found, chosen, draft, ctx.actor.user)
        return messages.session_added(found, session, outcome)

    async def join(self, ctx: Invocation, program: str) -> Reply:
        found = await self._program(ctx, program)
        return messages.joined(found, await self._service.join(found, Viewer.of(ctx)))

    async def leave(self, ctx: Invocation, program: str) -> Reply:
        found = await self._program(ctx, program)
        await self._service.leave(found, Viewer.of(ctx))
        return messages.left(found)

    async def info(self, ctx: Invocation, program: str) -> Reply:
        found = await self._program(ctx, program)
        view = await self._service.registration(found)
        return messages.info(found, view, await self._service.sessions(found))

    async def list_(self, ctx: Invocation) -> Reply:
        return messages.listing(await self._service.all(ctx.guild_id))

    async def sessions(self, ctx: Invocation, program: str) -> Reply:
        found = await self._program(ctx, program)
        return messages.sessions(found, await self._service.sessions(found))

    async def attendance(self, ctx: Invocation, session: str, users: str) -> Reply:
        _, found = await self._service.session(Viewer.of(ctx), session)
        if found.cancelled:
            raise UserError("error.learning.session_cancelled")
        if found.starts_at > ctx.now:
            raise UserError("error.learning.session_ahead", when=stamp(found.starts_at, "f"))
        try:
            people = mentions_in(users, ctx.platform)
        except UserError:
            raise UserError("error.learning.bad_users") from None
        marked = await self._service.attendance(found, people, ctx.actor.user)
        return messages.attendance(found, marked, len(people))

    async def record(self, ctx: Invocation, user: UserRef | None = None) -> Reply:
        who = user or ctx.actor.user
        if who.id != ctx.actor.user.id and ctx.role < Role.MODERATOR:
            raise Refused(Role.MODERATOR)
        lines = await self._service.record(ctx.guild_id, who.id)
        return messages.record(who.name or who.id.split(":", 1)[-1], lines)

    async def overview(self, ctx: Invocation, program: str) -> Reply:
        found = await self._program(ctx, program)
        rows = await self._service.overview(found)
        locale = await self._service.server_locale(ctx.guild_id)
        data = await off_loop(CSV_SECONDS, messages.overview_csv, found, rows, locale)
        return messages.overview(found, await self._service.sessions(found), rows, ctx.now, data)

    async def certificates(self, ctx: Invocation, program: str, again: bool = False) -> Reply:
        found = await self._program(ctx, program)
        run = await self._service.certificates(found, again=again)
        return messages.certificates(found, run)

    # -- the personal learning line ------------------------------------------------------

    async def goals_set(self, ctx: Invocation, goals: str) -> Reply:
        parsed = parse_goals(goals)
        await self._line.set_goals(ctx.guild_id, ctx.actor.user, parsed)
        return messages.goals_set(parsed)

    async def log(self, ctx: Invocation, goal: str, text: str) -> Reply:
        if not text.strip():
            raise UserError("error.learning.empty_entry")
        chosen, _ = await self._line.log(ctx.guild_id, ctx.actor.user, goal, text)
        return messages.logged(chosen)

    async def line(self, ctx: Invocation, user: UserRef | None = None) -> Reply:
        return messages.line(await self._line.line(ctx.guild_id, ctx.actor.user, user))

    async def share(self, ctx: Invocation, coach: UserRef) -> Reply:
        new = await self._line.share(ctx.guild_id, ctx.actor.user, coach)
        name = coach.name or coach.id.split(":", 1)[-1]
        return messages.shared(name, new)

    async def case(self, ctx: Invocation, title: str, text: str, theme: str | None = None) -> Reply:
        if not title.strip() or not text.strip():
            raise UserError("error.learning.empty_entry")
        title = clean_name(title, option="title")
        chosen = await self._line.theme_named(ctx.guild_id, theme) if theme else None
        forum = await self._line.post_case(ctx.guild_id, ctx.actor.user, title, text, chosen)
        return messages.case_posted(forum)


# Check-ins come every so many weeks (the programme stores the number).
CHECKINS = Allowed(Unit.WEEK, weeks_only=True, end=False, longest=MAX_CHECKIN_WEEKS)


def _checkin_weeks(text: str, ctx: Invocation) -> int:
    """'co 2 tygodnie', 'every 4 weeks', 'elke week' → the weeks between check-ins; any
    other repetition is refused in the person's language (bot.timelang.repetition)."""
    today = ctx.now.astimezone(ZoneInfo(ctx.timezone)).date()
    return parse(text, allowed=CHECKINS, today=today).interval
