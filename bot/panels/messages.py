"""What panels say, in the current locale: user text inert, times as timestamps, people as
the front end mentions them (the caller passes `who`, e.g. the Messenger's `mention`)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from bot.i18n import t, tn
from bot.panels.model import (
    CARD_QUEUE,
    CARD_TALLY,
    Panel,
    PanelState,
    PanelStatus,
    Question,
    Summary,
    Turn,
    minutes_seconds,
)
from bot.replies import Attachment, Button, ButtonStyle, Created, Reply
from bot.text import inert
from bot.timelang.timestamps import stamp, when

Who = Callable[[str], str]

# The "Ask a question" button opens a form on Discord (a modal the panels cog builds), so
# its custom id has no "feature:" prefix: the generic core button never answers it too.
ASK_BUTTON = "panel-ask-{id}"
# The posted summary lists this many people at most (it must fit one message); the
# transcript lists everyone.
SUMMARY_PEOPLE = 15


def minutes(span: timedelta) -> str:
    return tn("panel.minutes", max(round(span.total_seconds() / 60), 1))


def paczki(count: int) -> str:
    return tn("panel.paczki", count)


def _topic(panel: Panel) -> str:
    return inert(panel.topic)


def title(panel: Panel, *, themed: bool) -> str:
    key = "panel.title_fat" if themed else "panel.title"
    return t(key, topic=_topic(panel), id=panel.id)


def _people(panel: Panel, who: Who) -> str:
    return ", ".join(who(p.user_id) for p in panel.panelists)


def greeting() -> str:
    return t("panel.fat_thursday")


# -- around the start ----------------------------------------------------------------


def announcement(panel: Panel, who: Who, *, themed: bool) -> Reply:
    body = t(
        "panel.announce",
        when=when(panel.starts_at),
        moderator=who(panel.moderator_id),
        panelists=_people(panel, who),
        turn=minutes(panel.turn),
        duration=minutes(panel.duration),
        id=panel.id,
    )
    return Reply(title(panel, themed=themed) + "\n" + body)


def created(panel: Panel) -> Reply:
    text = t(
        "panel.created",
        id=panel.id,
        topic=_topic(panel),
        when=when(panel.starts_at),
        channel=inert(panel.channel_name),
    )
    return Reply(text, ephemeral=True, created=Created("panel", panel.id))


def reminder(panel: Panel, *, moderator: bool) -> Reply:
    key = "panel.reminder.moderator" if moderator else "panel.reminder.panelist"
    text = t(
        key,
        topic=_topic(panel),
        when=when(panel.starts_at),
        channel=inert(panel.channel_name),
        moderator=inert(panel.moderator_name),
        id=panel.id,
    )
    return Reply(text)


def reminder_here(panel: Panel, mentions: str) -> Reply:
    """When DMs are closed: the reminder in the panel's channel, mentioning them."""
    text = t("panel.reminder.here", who=mentions, topic=_topic(panel), when=when(panel.starts_at))
    return Reply(text)


def thread_name(panel: Panel) -> str:
    return t("panel.thread_name", id=panel.id, topic=panel.topic)[:100]


def place(panel: Panel) -> str:
    """Where it runs: `#channel`, or `#channel › thread`."""
    where = f"#{inert(panel.channel_name)}"
    if panel.place_id and panel.place_id != panel.channel_id and panel.place_name:
        where += f" › {inert(panel.place_name)}"
    return where


def started(panel: Panel) -> Reply:
    assert panel.ends_at is not None
    text = t("panel.started", topic=_topic(panel), place=place(panel), until=when(panel.ends_at))
    return Reply(text, ephemeral=True)


# -- the card --------------------------------------------------------------------------


def card(state: PanelState, who: Who, now: datetime, *, themed: bool) -> Reply:
    """The opening card, kept up to date: who has the floor, the queue, the current
    question, the pączek tally, and the buttons to take part."""
    panel = state.panel
    lines = [title(panel, themed=themed)]
    if panel.status is PanelStatus.LIVE and panel.started_at and panel.ends_at:
        lines.append(
            t("panel.card.live", since=stamp(panel.started_at, "t"), until=when(panel.ends_at))
        )
    elif panel.status is PanelStatus.ENDED:
        lines.append(t("panel.card.ended"))
    else:
        lines.append(t("panel.card.scheduled", when=when(panel.starts_at)))
    lines.append(t("panel.card.moderator", who=who(panel.moderator_id)))
    lines.append(t("panel.card.panelists", who=_people(panel, who)))
    if panel.status is PanelStatus.LIVE:
        lines.append("")
        lines.append(_floor_line(state.floor, who))
        lines.append(_queue_line(state))
        if state.current_question is not None:
            q = state.current_question
            lines.append(t("panel.card.question", number=q.number, text=inert(_short(q.text, 300))))
        if state.waiting_questions:
            lines.append(tn("panel.card.waiting", state.waiting_questions))
    if state.tally:
        shown = [
            t("panel.card.tally_item", who=inert(name), paczki=paczki(n))
            for _, name, n in state.tally[:CARD_TALLY]
        ]
        lines.append(t("panel.card.tally", tally=" · ".join(shown)))
    if panel.status is PanelStatus.LIVE:
        lines += ["", t("panel.card.how")]
    buttons: tuple[Button, ...] = ()
    if panel.status is PanelStatus.LIVE:
        buttons = (
            Button(f"panel:hand:{panel.id}", t("panel.button.hand"), ButtonStyle.PRIMARY),
            Button(f"panel:lower:{panel.id}", t("panel.button.lower")),
            Button(ASK_BUTTON.format(id=panel.id), t("panel.button.ask"), ButtonStyle.SUCCESS),
            Button(f"panel:paczek:{panel.id}", t("panel.button.paczek")),
            Button(f"panel:next:{panel.id}", t("panel.button.next"), ButtonStyle.DANGER),
        )
    return Reply("\n".join(lines), buttons=buttons)


def _floor_line(floor: Turn | None, who: Who) -> str:
    if floor is None:
        return t("panel.card.floor_free")
    return t("panel.card.floor", who=who(floor.user_id), until=stamp(floor.ends_at, "t"))


def _queue_line(state: PanelState) -> str:
    if not state.queue:
        return t("panel.card.queue_empty")
    names = [f"{i}. {inert(e.name)}" for i, e in enumerate(state.queue[:CARD_QUEUE], start=1)]
    text = ", ".join(names)
    if len(state.queue) > CARD_QUEUE:
        text += " " + tn("panel.card.queue_more", len(state.queue) - CARD_QUEUE)
    return t("panel.card.queue", names=text)


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# -- the floor -------------------------------------------------------------------------


def floor(turn: Turn, who: Who) -> Reply:
    text = t(
        "panel.floor",
        who=who(turn.user_id),
        minutes=minutes(turn.ends_at - turn.started_at),
        until=stamp(turn.ends_at, "t"),
    )
    return Reply(text, mentions=(turn.user_id,))


def floor_free() -> Reply:
    return Reply(t("panel.floor_free"))


def warning(turn: Turn, who: Who) -> Reply:
    return Reply(t("panel.warning", who=who(turn.user_id)), mentions=(turn.user_id,))


def time_up(turn: Turn, who: Who) -> Reply:
    return Reply(t("panel.time_up", who=who(turn.user_id)))


def given(turn: Turn | None) -> Reply:
    if turn is None:
        return Reply(t("panel.next.empty"), ephemeral=True)
    return Reply(t("panel.next.given", who=inert(turn.name)), ephemeral=True)


def round_started(count: int) -> Reply:
    return Reply(tn("panel.round.started", count), ephemeral=True)


def round_waits(count: int, speaking: Turn) -> Reply:
    """A round asked for while someone speaks: it begins when their turn ends."""
    text = tn(
        "panel.round.waits", count, who=inert(speaking.name), until=stamp(speaking.ends_at, "t")
    )
    return Reply(text, ephemeral=True)


def hand_raised(position: int) -> Reply:
    return Reply(t("panel.hand.raised", position=position), ephemeral=True)


def hand_lowered() -> Reply:
    return Reply(t("panel.hand.lowered"), ephemeral=True)


# -- questions -------------------------------------------------------------------------


def asked(question: Question) -> Reply:
    return Reply(t("panel.asked", number=question.number), ephemeral=True)


def upvoted(question: Question) -> Reply:
    text = t("panel.upvoted", number=question.number, votes=tn("panel.votes", question.votes))
    return Reply(text, ephemeral=True)


def question_now(question: Question) -> Reply:
    text = t(
        "panel.question.now",
        number=question.number,
        author=inert(question.author_name),
        votes=tn("panel.votes", question.votes),
        text=inert(question.text),
    )
    return Reply(text)


def picked(question: Question) -> Reply:
    return Reply(t("panel.question.picked", number=question.number), ephemeral=True)


def ask_by_command(panel_id: int) -> Reply:
    return Reply(t("panel.ask.by_command", id=panel_id), ephemeral=True)


# -- pączki ----------------------------------------------------------------------------


def paczek_given(name: str, count: int) -> Reply:
    return Reply(t("panel.paczek.given", who=inert(name), paczki=paczki(count)), ephemeral=True)


# -- the end ---------------------------------------------------------------------------


def summary_text(panel: Panel, summary: Summary) -> str:
    lines = [
        t("panel.summary.title", topic=_topic(panel)),
        t("panel.summary.duration", duration=minutes(summary.duration)),
    ]
    if summary.speakers:
        lines.append(t("panel.summary.speakers"))
        lines += [
            "• "
            + t(
                "panel.summary.speaker",
                who=inert(s.name),
                turns=tn("panel.turns", s.turns),
                time=minutes_seconds(s.spoken),
            )
            for s in summary.speakers[:SUMMARY_PEOPLE]
        ]
        if len(summary.speakers) > SUMMARY_PEOPLE:
            lines.append(tn("panel.card.queue_more", len(summary.speakers) - SUMMARY_PEOPLE))
    else:
        lines.append(t("panel.summary.nobody"))
    lines.append(t("panel.summary.questions", asked=summary.asked, answered=summary.answered))
    if summary.tally:
        lines.append(t("panel.summary.paczki"))
        lines += [
            "• " + t("panel.summary.paczki_item", who=inert(name), paczki=paczki(n))
            for _, name, n in summary.tally[:SUMMARY_PEOPLE]
        ]
        if len(summary.tally) > SUMMARY_PEOPLE:
            lines.append(tn("panel.card.queue_more", len(summary.tally) - SUMMARY_PEOPLE))
    else:
        lines.append(t("panel.summary.no_paczki"))
    return "\n".join(lines)


def record(panel: Panel, summary: Summary, files: tuple[Attachment, ...]) -> Reply:
    """The summary with the transcript attached: the forum post, or the channel's."""
    text = summary_text(panel, summary) + "\n\n" + t("panel.summary.files")
    return Reply(text, files=files)


def forum_title(panel: Panel, day: str) -> str:
    return t("panel.forum_title", topic=panel.topic, date=day)[:100]


def ended(panel: Panel, where: str) -> Reply:
    """`where`: the name of the channel (or forum) that got the transcript."""
    return Reply(t("panel.ended", topic=_topic(panel), where=f"#{inert(where)}"), ephemeral=True)


def listing(panels: list[Panel]) -> Reply:
    if not panels:
        return Reply(t("panel.list.none"), ephemeral=True)
    lines = [t("panel.list.title")]
    for panel in panels:
        if panel.status is PanelStatus.LIVE:
            lines.append(
                t(
                    "panel.list.live",
                    id=panel.id,
                    topic=_topic(panel),
                    place=place(panel),
                )
            )
        else:
            lines.append(
                t(
                    "panel.list.scheduled",
                    id=panel.id,
                    topic=_topic(panel),
                    when=when(panel.starts_at),
                    channel=inert(panel.channel_name),
                )
            )
    return Reply("\n".join(lines), ephemeral=True)
