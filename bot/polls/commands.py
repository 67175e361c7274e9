"""/poll dates, quick, vote, close, and the poll buttons.

Moderators make polls anywhere; an initiator in their own group's channel.
"""

from __future__ import annotations

import re
from datetime import timedelta

from bot.commands import Choice, Command, Invocation, Limit, Option, OptionType, Registry
from bot.errors import Refused, UserError
from bot.groups.directory import GroupDirectory
from bot.polls import messages
from bot.polls.model import (
    DEFAULT_HOURS,
    MAX_ANSWER,
    MAX_HOURS,
    MAX_OPTIONS,
    MAX_QUESTION,
    Answer,
    Poll,
    PollKind,
    PollOption,
)
from bot.polls.service import PollService
from bot.replies import Reply
from bot.roles import Role
from bot.text import clean_name, clean_names, first_repeated, inert
from bot.timelang.timestamps import when
from bot.timelang.understand import understand_when
from bot.visibility import Viewer

ANSWERS = tuple(a.value for a in Answer)
# A poll's buttons: a date's (its answer cycles) or a quick poll's answer.
BUTTON = r"poll:(?P<kind>date|quick):(?P<poll_id>\d{1,12}):(?P<option>\d{1,2})"


class PollCommands:
    def __init__(self, service: PollService, groups: GroupDirectory) -> None:
        self._service = service
        self._groups = groups

    def register(self, registry: Registry) -> None:
        question = Option("question", required=True, max_length=MAX_QUESTION)
        registry.add(
            Command(
                "poll dates",
                Role.INITIATOR,
                self.dates,
                (
                    question,
                    Option("options", required=True, max_length=1000),
                    Option("closes", max_length=200),
                ),
                limit=Limit(10, timedelta(days=1)),
            ),
            Command(
                "poll quick",
                Role.INITIATOR,
                self.quick,
                (
                    question,
                    Option("options", required=True, max_length=1000),
                    Option("hours", OptionType.INTEGER, min_value=1, max_value=MAX_HOURS),
                ),
                limit=Limit(10, timedelta(days=1)),
            ),
            Command(
                "poll vote",
                Role.DIRECTOR,
                self.vote,
                (
                    Option("poll", required=True, autocomplete=self._complete_open, max_length=300),
                    Option(
                        "option",
                        OptionType.INTEGER,
                        required=True,
                        min_value=1,
                        max_value=MAX_OPTIONS,
                    ),
                    Option("answer", choices=ANSWERS),
                ),
                limit=Limit(30, timedelta(minutes=10)),  # each vote edits the poll's message
            ),
            Command(
                "poll close",
                Role.INITIATOR,
                self.close,
                (Option("poll", required=True, autocomplete=self._complete_open, max_length=300),),
            ),
        )
        registry.add_button(BUTTON, self.press, counts_as="poll vote")

    async def _require_creator(self, ctx: Invocation) -> None:
        if ctx.role >= Role.MODERATOR:
            return
        group = await self._groups.by_channel(ctx.channel.home)
        if group is None or not await self._groups.is_initiator(group, ctx.actor.user.id):
            raise UserError("error.poll.initiator_scope")

    async def _require_manager(self, ctx: Invocation, poll: Poll) -> None:
        if ctx.role >= Role.MODERATOR:
            return
        if ctx.role < Role.INITIATOR:
            raise Refused(Role.INITIATOR)
        group = await self._groups.by_id(poll.group_id) if poll.group_id else None
        if group is None or not await self._groups.is_initiator(group, ctx.actor.user.id):
            raise UserError("error.poll.not_yours")

    async def _complete_open(self, ctx: Invocation, current: str) -> list[Choice]:
        needle = current.strip().lstrip("#").lower()
        polls = await self._service.recent(Viewer.of(ctx), open_only=True)
        return [
            Choice(f"#{p.id} {p.question}"[:100], str(p.id))
            for p in polls
            if needle in p.question.lower() or needle == str(p.id)
        ][:25]

    async def dates(
        self, ctx: Invocation, question: str, options: str, closes: str | None = None
    ) -> Reply:
        await self._require_creator(ctx)
        texts = _pieces(options)
        if not 1 <= len(texts) <= MAX_OPTIONS:
            raise UserError("error.poll.dates_count", max=MAX_OPTIONS)
        candidates = [
            PollOption(n, "", understand_when(text, ctx, option="options"))
            for n, text in enumerate(texts, start=1)
        ]
        for option in candidates:
            twin = next(c for c in candidates if c.starts_at == option.starts_at)
            if twin is not option and option.starts_at is not None:
                raise UserError(
                    "error.poll.duplicate_date",
                    date=when(option.starts_at),
                    first=inert(texts[twin.number - 1]),
                    second=inert(texts[option.number - 1]),
                )
        closes_at = understand_when(closes, ctx, option="closes") if closes else None
        poll = await self._service.create(
            ctx.guild_id,
            kind=PollKind.DATES,
            question=_question(question),
            options=candidates,
            channel=ctx.channel,
            creator=ctx.actor.user,
            platform=ctx.platform,
            closes=closes_at,
        )
        return messages.created(poll)

    async def quick(
        self, ctx: Invocation, question: str, options: str, hours: int = DEFAULT_HOURS
    ) -> Reply:
        await self._require_creator(ctx)
        answers = _pieces(options)
        if not 2 <= len(answers) <= MAX_OPTIONS:
            raise UserError("error.poll.quick_count", max=MAX_OPTIONS)
        if any(len(a) > MAX_ANSWER for a in answers):
            raise UserError("error.poll.answer_too_long", max=MAX_ANSWER)
        repeated = first_repeated(answers)
        if repeated is not None:
            raise UserError("error.poll.duplicate_option", option=inert(repeated))
        poll = await self._service.create(
            ctx.guild_id,
            kind=PollKind.QUICK,
            question=_question(question),
            options=[PollOption(n, a) for n, a in enumerate(answers, start=1)],
            channel=ctx.channel,
            creator=ctx.actor.user,
            platform=ctx.platform,
            closes=ctx.now + timedelta(hours=hours),
        )
        return messages.created(poll)

    async def vote(
        self, ctx: Invocation, poll: str, option: int, answer: str | None = None
    ) -> Reply:
        found = await self._service.find(Viewer.of(ctx), poll)
        if found.kind is PollKind.QUICK and answer is not None:
            # A quick poll has no answers to a choice: taking `answer:no` as a vote for the
            # option would say the opposite of what was meant.
            raise UserError("error.poll.quick_no_answer", id=found.id)
        # On a date poll, leaving `answer:` out means yes.
        return await self._vote(ctx, found, option, Answer(answer) if answer else Answer.YES)

    async def _vote(self, ctx: Invocation, poll: Poll, number: int, answer: Answer | None) -> Reply:
        picked, chosen, changed = await self._service.vote(poll, number, ctx.actor.user.id, answer)
        return messages.voted(poll, picked, chosen, changed)

    async def press(self, ctx: Invocation, kind: str, poll_id: str, option: str) -> Reply:
        poll = await self._service.find(Viewer.of(ctx), poll_id)
        if (kind == "date") != (poll.kind is PollKind.DATES):
            raise UserError("error.unknown_button")
        # A date button moves the answer on; a quick poll button is a vote for that answer.
        return await self._vote(ctx, poll, int(option), None if kind == "date" else Answer.YES)

    async def close(self, ctx: Invocation, poll: str) -> Reply:
        found = await self._service.find(Viewer.of(ctx), poll)
        await self._require_manager(ctx, found)
        return messages.closed(await self._service.close(found))


def poll_of_button(custom_id: str) -> int | None:
    """The poll a poll button votes in ("poll:quick:4:2" → 4); None for other buttons.
    A front end whose polls are the platform's own (Matrix) finds the poll of a vote
    taken back by it."""
    found = re.fullmatch(BUTTON, custom_id)
    return int(found["poll_id"]) if found else None


def _pieces(text: str) -> list[str]:
    return clean_names(text, option="options")


def _question(text: str) -> str:
    return clean_name(text, option="question")
