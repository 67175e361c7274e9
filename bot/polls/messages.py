"""What polls say, in the current locale; questions and answers inert, times as timestamps."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from bot.i18n import t, tn
from bot.polls.model import Answer, Poll, PollKind, PollOption, PollView, best_date, leaders
from bot.replies import Button, ButtonStyle, Created, PollSpec, Reply
from bot.text import inert
from bot.timelang.timestamps import stamp, when


def option_text(poll: Poll, option: PollOption) -> str:
    if poll.kind is PollKind.DATES and option.starts_at is not None:
        return stamp(option.starts_at, "F")
    return inert(option.label)


def _state(poll: Poll, now: datetime) -> str:
    if not poll.is_open(now):
        return t("poll.state.closed")
    if poll.closes_at is not None:
        return t("poll.state.open_until", when=when(poll.closes_at))
    return t("poll.state.open")


def poll_text(view: PollView, now: datetime) -> str:
    poll = view.poll
    head = "poll.dates.title" if poll.kind is PollKind.DATES else "poll.quick.title"
    lines = [t(head, question=inert(poll.question), id=poll.id), _state(poll, now), ""]
    for option in view.options:
        tally = view.tally(option.number)
        if poll.kind is PollKind.DATES:
            counts = f"✅ {tally.yes} · 🤔 {tally.maybe} · ❌ {tally.no}"
        else:
            counts = tn("poll.votes", tally.yes)
        lines.append(f"`{option.number}` {option_text(poll, option)} — {counts}")
    lines.append("")
    if poll.kind is PollKind.DATES:
        lines.append(t("poll.dates.legend"))
    lines.append(tn("poll.voters", view.voters))
    if poll.is_open(now):
        hint = "poll.dates.hint" if poll.kind is PollKind.DATES else "poll.quick.hint"
        lines.append(t(hint, id=poll.id))
    return "\n".join(lines)


def poll_message(view: PollView, now: datetime, *, native_hours: int | None = None) -> Reply:
    """The posted poll. A date poll has one button per option that moves the presser's
    answer on (yes → if need be → no); a quick poll one button per answer. With
    `native_hours`, the reply also carries a native poll for the front ends that have one
    (they show it instead of the text and buttons)."""
    poll = view.poll
    buttons: tuple[Button, ...] = ()
    if poll.is_open(now):
        if poll.kind is PollKind.DATES:
            buttons = tuple(
                Button(f"poll:date:{poll.id}:{o.number}", t("poll.button.date", n=o.number))
                for o in view.options
            )
        else:
            buttons = tuple(
                Button(f"poll:quick:{poll.id}:{o.number}", o.label[:80], ButtonStyle.PRIMARY)
                for o in view.options
            )
    spec = None
    if native_hours is not None:
        spec = PollSpec(poll.question, tuple(o.label for o in view.options), native_hours)
    return Reply(poll_text(view, now), buttons=buttons, poll=spec)


def created(poll: Poll) -> Reply:
    return Reply(
        t("poll.created", id=poll.id, channel=inert(poll.channel_name)),
        ephemeral=True,
        created=Created("poll", poll.id),
    )


def voted(poll: Poll, option: PollOption, answer: Answer, changed: bool) -> Reply:
    if poll.kind is PollKind.QUICK:
        key = "poll.voted.quick" if changed else "poll.voted.quick_same"
        return Reply(t(key, answer=inert(option.label)), ephemeral=True)
    text = t(
        "poll.voted.dates",
        n=option.number,
        when=option_text(poll, option),
        answer=t(f"poll.answer.{answer.value}"),
    )
    return Reply(text, ephemeral=True)


def result(view: PollView) -> Reply:
    """Posted when a poll ends, as an answer to the poll's message where it is in the same
    channel: the best date, or the answer(s) with the most votes."""
    poll = view.poll
    same_channel = poll.message_channel_id == poll.channel_id
    return replace(_result(view), reply_to=poll.message_id if same_channel else None)


def _result(view: PollView) -> Reply:
    poll = view.poll
    question = inert(poll.question)
    if poll.kind is PollKind.DATES:
        best = best_date(view)
        if best is None:
            return Reply(t("poll.result.dates_none", question=question))
        tally = view.tally(best.number)
        return Reply(
            t(
                "poll.result.dates",
                question=question,
                n=best.number,
                when=when(best.starts_at) if best.starts_at else "",
                yes=tally.yes,
                maybe=tally.maybe,
            )
        )
    top = leaders(view)
    if not top:
        return Reply(t("poll.result.quick_none", question=question))
    votes = tn("poll.votes", view.tally(top[0].number).yes)
    if len(top) == 1:
        return Reply(
            t("poll.result.quick", question=question, answer=inert(top[0].label), votes=votes)
        )
    answers = ", ".join(inert(o.label) for o in top)
    return Reply(t("poll.result.quick_tie", question=question, answers=answers, votes=votes))


def closed(poll: Poll) -> Reply:
    return Reply(t("poll.closed", question=inert(poll.question)), ephemeral=True)
