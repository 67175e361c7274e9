"""/event …: announcing, answering, editing, cancelling, listing and calendars.

Moderators run events anywhere; an initiator runs the events of a group they run (posted
in that group's channel). Every button here is also a command (DESIGN.md rule 3).
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import get_month_names

from bot.commands import Choice, Command, Invocation, Limit, Option, OptionType, Registry
from bot.dispatch import convert_option
from bot.errors import MissingOptions, Refused, UserError
from bot.events import messages
from bot.events.model import (
    DEFAULT_AHEAD,
    MAX_AHEAD_DAYS,
    MAX_CAPACITY,
    MAX_DESCRIPTION,
    MAX_DURATION,
    MAX_PLACE,
    MAX_TITLE,
    Answer,
    Audience,
    Event,
    Kind,
    Registration,
    Series,
    SeriesStatus,
    Status,
    event_end,
    parse_rule,
)
from bot.events.wiring import Events
from bot.groups.directory import GroupDirectory
from bot.groups.model import Group
from bot.i18n import SUPPORTED_LOCALES, t
from bot.offload import RULE_SECONDS, off_loop
from bot.refs import ChannelRef
from bot.replies import Reply
from bot.roles import Role
from bot.text import clean_name, normalize
from bot.timelang.durations import parse_duration
from bot.timelang.repetition import Repetition, first_from
from bot.timelang.rrules import RuleError
from bot.timelang.understand import check_year, understand_optional_when, understand_when
from bot.visibility import Viewer

# The options the Discord form (a modal) collects when they are not given.
FORM_FIELDS = ("title", "when", "duration", "place", "description")
_MONTH = re.compile(r"^\s*(?:(\d{4})[-/.](\d{1,2})|(\d{1,2})[-/.](\d{4})|(\d{1,2}))\s*$")


class EventCommands:
    def __init__(self, events: Events, groups: GroupDirectory) -> None:
        self._events = events
        self._groups = groups

    def options_of_create(self) -> tuple[Option, ...]:
        return (
            Option("title", required=True, max_length=MAX_TITLE),
            Option("kind", required=True, choices=tuple(k.value for k in Kind)),
            Option("when", required=True, max_length=200),
            Option("duration", required=True, max_length=32),
            Option("place", max_length=MAX_PLACE),
            Option("description", max_length=MAX_DESCRIPTION),
            Option("audience", choices=tuple(a.value for a in Audience)),
            Option("group", autocomplete=self._complete_group, max_length=60),
            Option("capacity", OptionType.INTEGER, min_value=1, max_value=MAX_CAPACITY),
            Option("publish_at", max_length=200),
            Option("registration_opens", max_length=200),
            Option("registration_closes", max_length=200),
        )

    def register(self, registry: Registry) -> None:
        event = Option("event", required=True, autocomplete=self._complete_event, max_length=120)
        registry.add(
            # Initiators: only for a group they run (checked below).
            Command(
                "event create",
                Role.INITIATOR,
                self.create,
                self.options_of_create(),
                limit=Limit(10, timedelta(days=1)),
            ),
            Command(
                "event edit",
                Role.INITIATOR,
                self.edit,
                (
                    event,
                    Option("title", max_length=MAX_TITLE),
                    Option("when", max_length=200),
                    Option("duration", max_length=32),
                    Option("place", max_length=MAX_PLACE),
                    Option("description", max_length=MAX_DESCRIPTION),
                ),
                audit=True,
                limit=Limit(20, timedelta(days=1)),  # a change is told to everyone who answered
            ),
            Command("event cancel", Role.INITIATOR, self.cancel, (event,), audit=True),
            Command(
                "event rsvp",
                Role.DIRECTOR,
                self.rsvp,
                (event, Option("answer", required=True, choices=tuple(a.value for a in Answer))),
                limit=Limit(20, timedelta(minutes=10)),  # each answer edits the event's post
            ),
            Command("event attendees", Role.INITIATOR, self.attendees, (event,)),
            # A DM to everyone who has not answered.
            Command(
                "event nudge",
                Role.INITIATOR,
                self.nudge,
                (event,),
                audit=True,
                limit=Limit(3, timedelta(days=1)),
            ),
            Command("event ics", Role.DIRECTOR, self.ics, (event,)),
            Command("event calendar", Role.DIRECTOR, self.calendar),
            Command(
                "event list",
                Role.DIRECTOR,
                self.list_,
                (
                    Option("kind", choices=tuple(k.value for k in Kind)),
                    Option("month", max_length=40),
                ),
            ),
            Command("event info", Role.DIRECTOR, self.info, (event,)),
            Command(
                "event series create",
                Role.INITIATOR,
                self.series_create,
                (
                    Option("title", required=True, max_length=MAX_TITLE),
                    Option("kind", required=True, choices=tuple(k.value for k in Kind)),
                    Option("first", required=True, max_length=200),
                    Option("every", required=True, max_length=200),
                    Option("duration", required=True, max_length=32),
                    Option("place", max_length=MAX_PLACE),
                    Option("description", max_length=MAX_DESCRIPTION),
                    Option("group", autocomplete=self._complete_group, max_length=60),
                    Option("capacity", OptionType.INTEGER, min_value=1, max_value=MAX_CAPACITY),
                    Option("ahead_days", OptionType.INTEGER, min_value=1, max_value=MAX_AHEAD_DAYS),
                    Option("until", max_length=200),
                ),
                audit=True,
                limit=Limit(5, timedelta(days=1)),
            ),
            Command(
                "event series stop",
                Role.INITIATOR,
                self.series_stop,
                (
                    Option(
                        "series", required=True, autocomplete=self._complete_series, max_length=120
                    ),
                ),
                audit=True,
            ),
        )
        registry.add_button(
            r"event:rsvp:(?P<event_id>\d{1,12}):(?P<answer>going|maybe|no)",
            self.press_rsvp,
            counts_as="event rsvp",
        )
        registry.add_button(r"event:ics:(?P<event_id>\d{1,12})", self.press_ics)
        registry.add_button(r"event:reg:(?P<event_id>\d{1,12})", self.press_registration)
        registry.add_button(
            r"event:draft:(?P<action>preview|confirm|cancel):(?P<draft_id>\d{1,12})",
            self.press_draft,
        )

    # -- who may do what -------------------------------------------------------------

    async def _group_for(
        self, ctx: Invocation, kind: Kind, audience: Audience | None, group: str | None
    ) -> Group | None:
        """The group an event is for: named, or the channel's when the event is a group's
        (or an initiator makes it). Initiators only make events for groups they run."""
        moderator = ctx.role >= Role.MODERATOR
        found: Group | None = None
        if group:
            found = await self._groups.get(ctx.guild_id, group)
        elif kind is Kind.GROUP or audience is Audience.GROUP or not moderator:
            found = await self._groups.by_channel(ctx.channel.home)
            if found is None:
                raise UserError(
                    "error.event.group_needed" if moderator else "error.event.initiator_scope"
                )
        mine = found is not None and await self._groups.is_initiator(found, ctx.actor.user.id)
        if found is not None and not moderator and not mine:
            raise UserError("error.event.initiator_scope")
        return found

    async def _may_manage(self, ctx: Invocation, event: Event) -> bool:
        if ctx.role >= Role.MODERATOR and ctx.guild_id == event.guild_id:
            return True
        if event.group_id is None:
            return False
        group = await self._groups.by_id(event.group_id)
        return group is not None and await self._groups.is_initiator(group, ctx.actor.user.id)

    async def _managed(self, ctx: Invocation, ref: str) -> Event:
        event = await self._events.lookup.find(Viewer.of(ctx), ref)
        if not await self._may_manage(ctx, event):
            if ctx.role < Role.INITIATOR:
                raise Refused(Role.INITIATOR)
            raise UserError("error.event.not_yours")
        return event

    async def _pressed(self, ctx: Invocation, event_id: str) -> Event:
        """The event a button is about, when the presser may see it: in its own server,
        or from a DM (reminders and nudges) by someone the event already knows; a forged
        id reaches nothing else."""
        viewer = Viewer.of(ctx)
        event = await self._events.lookup.get(int(event_id), viewer)
        if event.guild_id != ctx.guild_id and not await self._knows(event, ctx.actor.user.id):
            raise UserError("error.event.unknown", event=event_id)
        return event

    async def _knows(self, event: Event, user_id: str) -> bool:
        """Whether a DM about this event can have reached the user: they answered it, or
        it is their group's (nudges go to members who have not answered)."""
        if await self._events.answers.answer_of(event, user_id) is not None:
            return True
        if event.group_id is None:
            return False
        group = await self._groups.by_id(event.group_id)
        members = await self._groups.members(group) if group else []
        return any(m.user_id == user_id for m in members)

    # -- autocomplete ----------------------------------------------------------------

    async def _complete_event(self, ctx: Invocation, current: str) -> list[Choice]:
        needle = normalize(current.lstrip("#"))
        events = await self._events.lookup.upcoming(Viewer.of(ctx), include_cancelled=True)
        return [
            Choice(f"#{e.id} {e.title}"[:100], str(e.id))
            for e in events
            if needle in normalize(e.title) or needle == str(e.id)
        ][:25]

    async def _complete_series(self, ctx: Invocation, current: str) -> list[Choice]:
        needle = normalize(current.lstrip("#"))
        return [
            Choice(f"#{s.id} {s.title}"[:100], str(s.id))
            for s in await self._events.series.all(Viewer.of(ctx))
            if needle in normalize(s.title) or needle == str(s.id)
        ][:25]

    async def _complete_group(self, ctx: Invocation, current: str) -> list[Choice]:
        needle = normalize(current)
        groups = await self._groups.all(ctx.guild_id)
        return [Choice(g.name, g.name) for g in groups if needle in normalize(g.name)][:25]

    # -- creating --------------------------------------------------------------------

    async def create(self, ctx: Invocation, **options: Any) -> Reply:
        """The options are `draft`'s: checked and understood there, then saved."""
        draft, _ = await self.draft(ctx, **options)
        outcome = await self._events.publisher.create(draft, ctx.actor.user)
        return messages.created(outcome.event, outcome.notes, outcome.where)

    async def draft(
        self,
        ctx: Invocation,
        *,
        title: str,
        kind: str,
        when: str,
        duration: str,
        place: str = "",
        description: str = "",
        audience: str | None = None,
        group: str | None = None,
        capacity: int | None = None,
        publish_at: str | None = None,
        registration_opens: str | None = None,
        registration_closes: str | None = None,
    ) -> tuple[Event, Group | None]:
        """Everything checked and understood, nothing saved: the event to make."""
        title = clean_name(title, option="title")
        if not normalize(title):
            raise UserError("error.event.bad_title")
        event_kind = Kind(kind)
        wanted = Audience(audience) if audience else None
        found = await self._groups_checked(ctx, event_kind, wanted, group)
        starts = _start(when, ctx, "when")
        ends = event_end(starts, _duration(duration), ctx.timezone)
        publish = None
        if publish_at:
            publish = understand_when(publish_at, ctx, option="publish_at")
            if publish >= starts:
                raise UserError("error.event.publish_after_start")
            if publish <= ctx.now:
                publish = None
        opens = understand_optional_when(registration_opens, ctx, "registration_opens")
        closes = understand_optional_when(registration_closes, ctx, "registration_closes")
        if opens and closes and closes <= opens:
            raise UserError("error.event.registration_order")
        if (opens and opens >= ends) or (closes and closes > ends):
            raise UserError("error.event.registration_after_end")
        draft = Event(
            id=0,
            guild_id=ctx.guild_id,
            title=title.strip(),
            kind=event_kind,
            starts_at=starts,
            ends_at=ends,
            timezone=ctx.timezone,
            place=place.strip(),
            description=description.strip(),
            audience=Audience.GROUP if found else (wanted or Audience.ALL),
            group_id=found.id if found else None,
            capacity=capacity,
            publish_at=publish,
            published_at=None,
            registration_opens=opens,
            registration_closes=closes,
            status=Status.SCHEDULED,
            sequence=0,
            created_by=ctx.actor.user.id,
            created_at=ctx.now,
            updated_at=ctx.now,
            registration_shown=Registration.NONE,
        )
        return draft, found

    async def _groups_checked(
        self, ctx: Invocation, kind: Kind, audience: Audience | None, group: str | None
    ) -> Group | None:
        found = await self._group_for(ctx, kind, audience, group)
        if found is not None and found.channel_id is None:
            raise UserError("error.event.group_channel_gone")
        return found

    # -- the Discord form: a preview with Confirm / Discard --------------------------

    async def press_draft(self, ctx: Invocation, action: str, draft_id: str) -> Reply:
        draft = await self._events.drafts.get(int(draft_id))
        if draft.user_id != ctx.actor.user.id or draft.guild_id != ctx.guild_id:
            raise UserError("error.event.draft_not_yours")
        if ctx.role < Role.INITIATOR:
            raise Refused(Role.INITIATOR)
        where = replace(ctx, channel=ChannelRef(draft.channel_id, draft.channel_name))
        options = _typed_options(self.options_of_create(), draft.options)
        if action == "cancel":
            await self._events.drafts.take(draft.id)
            return messages.draft_discarded()
        if action == "confirm":
            # The checks create makes, before the draft is used up: when they fail (the
            # time has passed since the preview, say) the typed form is still there.
            await self.draft(where, **options)
            await self._events.drafts.take(draft.id)
            return await self.create(where, **options)
        event, group = await self.draft(where, **options)
        return messages.preview(
            draft_id=draft.id,
            title_text=event.title,
            kind=event.kind,
            starts_at=event.starts_at,
            ends_at=event.ends_at,
            place=event.place,
            description=event.description,
            group_name=group.name if group else None,
            publish_at=event.publish_at,
        )

    # -- managing --------------------------------------------------------------------

    async def edit(
        self,
        ctx: Invocation,
        event: str,
        title: str | None = None,
        when: str | None = None,
        duration: str | None = None,
        place: str | None = None,
        description: str | None = None,
    ) -> Reply:
        found = await self._managed(ctx, event)
        title = clean_name(title, option="title") if title is not None else None
        if title is not None and not normalize(title):
            raise UserError("error.event.bad_title")
        starts = _start(when, ctx, "when") if when else None
        ends = None
        if duration:
            ends = event_end(starts or found.starts_at, _duration(duration), found.timezone)
        elif starts:
            # Moved: the same length, counted as a typed duration is (elapsed hours).
            ends = event_end(starts, found.ends_at - found.starts_at, found.timezone)
        outcome, changes = await self._events.changes.edit(
            found,
            title=title,
            starts_at=starts,
            ends_at=ends,
            place=place,
            description=description,
        )
        if not changes:
            return messages.nothing_changed()
        reply = messages.edited(outcome.event, changes, outcome.told, outcome.unreachable)
        if outcome.notes:
            reply = replace(reply, text="\n".join((reply.text, *outcome.notes)))
        return reply

    async def cancel(self, ctx: Invocation, event: str) -> Reply:
        outcome = await self._events.changes.cancel(await self._managed(ctx, event))
        return messages.cancelled(outcome.event, outcome.told + outcome.unreachable)

    async def attendees(self, ctx: Invocation, event: str) -> Reply:
        found = await self._managed(ctx, event)
        view = await self._events.lookup.view(found)
        return messages.attendees(view, await self._events.answers.rsvps(found))

    async def nudge(self, ctx: Invocation, event: str) -> Reply:
        found = await self._managed(ctx, event)
        told, unreachable = await self._events.reminders.nudge(found)
        return messages.nudged(found, told, unreachable)

    # -- series ----------------------------------------------------------------------

    async def series_create(
        self,
        ctx: Invocation,
        title: str,
        kind: str,
        first: str,
        every: str,
        duration: str,
        place: str = "",
        description: str = "",
        group: str | None = None,
        capacity: int | None = None,
        ahead_days: int | None = None,
        until: str | None = None,
    ) -> Reply:
        title = clean_name(title, option="title")
        if not normalize(title):
            raise UserError("error.event.bad_title")
        event_kind = Kind(kind)
        rule = parse_rule(every, ctx.now.astimezone(ZoneInfo(ctx.timezone)).date())
        found = await self._groups_checked(ctx, event_kind, None, group)
        asked = _start(first, ctx, "first", repeat="every")
        starts = await _first_fit(rule, asked, ctx.timezone)
        length = _duration(duration)
        until_at = understand_when(until, ctx, option="until") if until else None
        draft = Series(
            id=0,
            guild_id=ctx.guild_id,
            title=title.strip(),
            kind=event_kind,
            rule=rule.body(),
            first_at=starts,
            duration=length,
            until_at=until_at,
            timezone=ctx.timezone,
            place=place.strip(),
            description=description.strip(),
            audience=Audience.GROUP if found else Audience.ALL,
            group_id=found.id if found else None,
            capacity=capacity,
            ahead=timedelta(days=ahead_days) if ahead_days else DEFAULT_AHEAD,
            next_at=None,
            made=0,
            status=SeriesStatus.ACTIVE,
            created_by=ctx.actor.user.id,
            created_at=ctx.now,
        )
        series, made = await self._events.series.create(draft, ctx.actor.user)
        upcoming = await off_loop(RULE_SECONDS, series.upcoming, ctx.now - timedelta(seconds=1))
        return messages.series_created(series, made, asked=asked, upcoming=tuple(upcoming))

    async def series_stop(self, ctx: Invocation, series: str) -> Reply:
        found = await self._events.series.find(Viewer.of(ctx), series)
        if not await self._may_manage_series(ctx, found):
            if ctx.role < Role.INITIATOR:
                raise Refused(Role.INITIATOR)
            raise UserError("error.event.not_yours")
        return messages.series_stopped(await self._events.series.stop(found))

    async def _may_manage_series(self, ctx: Invocation, series: Series) -> bool:
        if ctx.role >= Role.MODERATOR and ctx.guild_id == series.guild_id:
            return True
        group = await self._groups.by_id(series.group_id) if series.group_id else None
        return group is not None and await self._groups.is_initiator(group, ctx.actor.user.id)

    # -- taking part -----------------------------------------------------------------

    async def rsvp(self, ctx: Invocation, event: str, answer: str) -> Reply:
        found = await self._events.lookup.find(Viewer.of(ctx), event)
        return await self._answer(ctx, found.id, Answer(answer))

    async def press_rsvp(self, ctx: Invocation, event_id: str, answer: str) -> Reply:
        found = await self._pressed(ctx, event_id)
        return await self._answer(ctx, found.id, Answer(answer))

    async def _answer(self, ctx: Invocation, event_id: int, answer: Answer) -> Reply:
        event, before = await self._events.answers.answer(event_id, Viewer.of(ctx), answer)
        return messages.answered(event, answer, before)

    async def press_registration(self, ctx: Invocation, event_id: str) -> Reply:
        found = await self._pressed(ctx, event_id)
        return await self.info(ctx, str(found.id))

    async def ics(self, ctx: Invocation, event: str) -> Reply:
        found = await self._events.lookup.find(Viewer.of(ctx), event)
        return messages.ics_file(found, await self._events.calendars.ics(found))

    async def press_ics(self, ctx: Invocation, event_id: str) -> Reply:
        found = await self._pressed(ctx, event_id)
        return messages.ics_file(found, await self._events.calendars.ics(found))

    async def calendar(self, ctx: Invocation) -> Reply:
        count, data = await self._events.calendars.calendar(Viewer.of(ctx), ctx.guild_id)
        return messages.calendar_file(count, data)

    async def list_(
        self, ctx: Invocation, kind: str | None = None, month: str | None = None
    ) -> Reply:
        after, before = ctx.now, None
        if month:
            after, before = _month(month, ctx)
            after = max(after, ctx.now)
        events = await self._events.lookup.upcoming(
            Viewer.of(ctx), kind=Kind(kind) if kind else None, after=after, before=before
        )
        rows = [(e, await self._events.lookup.counts(e)) for e in events[:25]]
        heading = t("event.list.title")
        if kind:
            heading = t("event.list.title_kind", kind=messages.kind_name(Kind(kind)))
        return messages.listing(rows, ctx.now, heading)

    async def info(self, ctx: Invocation, event: str) -> Reply:
        found = await self._events.lookup.find(Viewer.of(ctx), event)
        view = await self._events.lookup.view(found)
        mine = await self._events.answers.answer_of(found, ctx.actor.user.id)
        return messages.info(view, mine, ctx.now)


# -- understanding times ---------------------------------------------------------------


async def _first_fit(rule: Repetition, asked: datetime, tz: str) -> datetime:
    """A rule in words counts from the first start that fits, as reminders and meeting
    plans count ("co 2 tygodnie w poniedziałek" from a Thursday: next Monday, then every
    other); the reply lists the next dates, so a first start that moved is seen. An RFC
    5545 rule keeps its own reading, from the start asked for (the series' creation checks
    that it has dates at all)."""
    if rule.expert is not None:
        return asked
    try:
        return await off_loop(RULE_SECONDS, first_from, rule, asked, tz) or asked
    except RuleError:
        raise UserError("error.rule.no_dates", value=rule.body()) from None


def _start(text: str, ctx: Invocation, option: str, repeat: str | None = None) -> datetime:
    """A start in the future; a time that already passed gets its own answer."""
    try:
        at = understand_when(text, ctx, option=option, repeat=repeat)
    except UserError as exc:
        if exc.key == "error.time_passed":
            raise UserError("error.event.in_past", name=option, value=text) from None
        if exc.key == "error.time_is_repetition":
            # An event is one time; one that repeats is a series, with its own command.
            raise UserError("error.event.time_is_repetition", name=option, value=text) from None
        raise
    if at <= ctx.now:
        raise UserError("error.event.in_past", name=option, value=text)
    return at


def _duration(text: str) -> timedelta:
    length = parse_duration(text)
    if length is None:
        raise UserError("error.event.bad_duration", value=text)
    if length > MAX_DURATION:
        raise UserError("error.event.too_long", days=MAX_DURATION.days)
    return length


def _month(text: str, ctx: Invocation) -> tuple[datetime, datetime]:
    """'2026-04', '4/2026', '4' or a month's name in any of our languages → [first day,
    first day of the next month) in the reader's zone; a month without a year is the next
    one of that name (this month counts)."""
    zone = ZoneInfo(ctx.timezone)
    today = ctx.now.astimezone(zone)
    year: int | None = None
    number: int | None = None
    match = _MONTH.match(text)
    if match:
        if match[1]:
            year, number = int(match[1]), int(match[2])
        elif match[3]:
            number, year = int(match[3]), int(match[4])
        else:
            number = int(match[5])
    else:
        number = _month_by_name(text)
    if number is None or not 1 <= number <= 12:
        raise UserError("error.event.bad_month", value=text)
    if year is None:
        year = today.year if number >= today.month else today.year + 1
    check_year(year, option="month")
    start = datetime(year, number, 1, tzinfo=zone)
    end = datetime(year + number // 12, number % 12 + 1, 1, tzinfo=zone)
    return start, end


def _month_by_name(text: str) -> int | None:
    wanted = normalize(text)
    if not wanted:
        return None
    for locale in SUPPORTED_LOCALES:
        for context in ("format", "stand-alone"):
            for width in ("wide", "abbreviated"):
                names = get_month_names(width, context, locale=locale)
                for number, name in names.items():
                    if normalize(name).rstrip(".") == wanted.rstrip("."):
                        return int(number)
    return None


def _typed_options(declared: tuple[Option, ...], raw: dict[str, str]) -> dict[str, Any]:
    """A draft's texts as the create command takes them, checked like command options."""
    out: dict[str, Any] = {}
    by_name = {o.name: o for o in declared}
    for name, value in raw.items():
        option = by_name.get(name)
        if option is None:
            continue
        # The same conversion and checks as a typed command's options (dispatch).
        converted = convert_option(option, value)
        if converted != "":
            out[name] = converted
    missing = [o.name for o in declared if o.required and o.name not in out]
    if missing:
        raise MissingOptions("event create", missing, "cmd.event.create.example")
    return out
