"""What events say, in the current locale; user text inert, times as timestamps."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from babel.dates import format_datetime

from bot.events.model import (
    Answer,
    Counts,
    Event,
    EventView,
    Kind,
    Registration,
    Rsvp,
    Series,
)
from bot.i18n import current_locale, natural_unit, t, tn
from bot.replies import Attachment, Button, ButtonStyle, Created, Embed, EmbedField, Reply
from bot.text import inert
from bot.timelang.repetition import describe, from_body, next_dates
from bot.timelang.timestamps import stamp, when

ICONS = {
    Kind.FORUM: "🏛️",
    Kind.SUPERVISION: "🧭",
    Kind.TRAINING: "🎓",
    Kind.REGIONAL: "🗺️",
    Kind.GROUP: "👥",
}
ANSWER_ICONS = {Answer.GOING: "✅", Answer.MAYBE: "🤔", Answer.NO: "❌"}
_ANSWER_STYLES = {
    Answer.GOING: ButtonStyle.SUCCESS,
    Answer.MAYBE: ButtonStyle.SECONDARY,
    Answer.NO: ButtonStyle.SECONDARY,
}
CANCELLED_COLOR = 0x99AAB5
COLOR = 0x2E86C1


def title(event: Event) -> str:
    return inert(event.title)


def kind_name(kind: Kind) -> str:
    return t(f"event.kind.{kind.value}")


def answer_name(answer: Answer) -> str:
    return t(f"event.answer.{answer.value}")


def span(event: Event) -> str:
    """'<start, absolute> (<relative>) – <end>': the end as a time when on the same day."""
    zone = ZoneInfo(event.timezone)
    same_day = event.starts_at.astimezone(zone).date() == event.ends_at.astimezone(zone).date()
    return f"{when(event.starts_at)} – {stamp(event.ends_at, 't' if same_day else 'f')}"


def duration_text(length: timedelta) -> str:
    minutes = int(length.total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    parts = []
    if days:
        parts.append(tn("event.duration.days", days))
    if hours:
        parts.append(tn("event.duration.hours", hours))
    if minutes:
        parts.append(tn("event.duration.minutes", minutes))
    return " ".join(parts) or tn("event.duration.minutes", 0)


def local(at: datetime, tz: str) -> str:
    """A short local time for places where timestamps do not render (button labels)."""
    return format_datetime(at, "d MMM HH:mm", tzinfo=ZoneInfo(tz), locale=current_locale())


def where(view: EventView, *, link: bool = True) -> str:
    """The place; without one, where the event is posted (not inside the post itself)."""
    event = view.event
    if event.place:
        return inert(event.place)
    return (view.link if link else None) or t("event.place.none")


def counts_line(counts: Counts, capacity: int | None) -> str:
    line = " · ".join(f"{ANSWER_ICONS[a]} {answer_name(a)}: {counts.of(a)}" for a in Answer)
    if capacity:
        line += "\n" + t("event.post.seats", taken=counts.going, capacity=capacity)
    return line


def _registration_line(event: Event, now: datetime) -> str | None:
    phase = event.registration(now)
    if phase is Registration.UPCOMING:
        assert event.registration_opens is not None
        text = t("event.registration.upcoming", when=when(event.registration_opens))
    elif phase is Registration.OPEN:
        text = t("event.registration.open")
        if event.registration_closes is not None:
            text += " " + t("event.registration.until", when=when(event.registration_closes))
    elif phase is Registration.CLOSED:
        text = t("event.registration.closed")
    else:
        return None
    return text


def embed(view: EventView, now: datetime) -> Embed:
    event = view.event
    fields = [
        EmbedField(t("event.field.when"), span(event)),
        EmbedField(t("event.field.where"), where(view, link=False), inline=True),
        EmbedField(t("event.field.kind"), _kind_line(view), inline=True),
    ]
    registration = _registration_line(event, now)
    if registration and not event.cancelled:
        fields.append(EmbedField(t("event.field.registration"), registration))
    fields.append(EmbedField(t("event.field.answers"), counts_line(view.counts, event.capacity)))
    description = inert(event.description)
    if event.cancelled:
        description = t("event.post.cancelled") + ("\n\n" + description if description else "")
    return Embed(
        title=f"{ICONS[event.kind]} {title(event)}",
        description=description,
        fields=tuple(fields),
        footer=t("event.post.footer", id=event.id),
        color=CANCELLED_COLOR if event.cancelled else COLOR,
    )


def _kind_line(view: EventView) -> str:
    line = kind_name(view.event.kind)
    if view.group_name:
        line += " · " + t("event.audience.group_named", group=inert(view.group_name))
    elif view.event.audience.value != "all":
        line += " · " + t(f"event.audience.{view.event.audience.value}")
    return line


def rsvp_buttons(event: Event, counts: Counts, now: datetime) -> list[Button]:
    """Going / Maybe / Can't go with their counts, and the registration window's state."""
    phase = event.registration(now)
    closed = phase in (Registration.UPCOMING, Registration.CLOSED) or event.over(now)
    buttons = [
        Button(
            f"event:rsvp:{event.id}:{answer.value}",
            t(f"event.button.{answer.value}", n=counts.of(answer)),
            _ANSWER_STYLES[answer],
            # Saying "no" stays possible after registration closed.
            disabled=closed and (answer is not Answer.NO or phase is Registration.UPCOMING),
        )
        for answer in Answer
    ]
    if phase is Registration.UPCOMING:
        assert event.registration_opens is not None
        label = t("event.button.opens", when=local(event.registration_opens, event.timezone))
        buttons.append(Button(f"event:reg:{event.id}", label[:80], disabled=True))
    return buttons


def post(view: EventView, now: datetime) -> Reply:
    """The announcement: an embed with the times, the place and the answers, the answer
    buttons with their counts and "Add to calendar"."""
    event = view.event
    buttons: list[Button] = []
    if not event.cancelled:
        buttons += rsvp_buttons(event, view.counts, now)
    buttons.append(_calendar(event))
    return Reply(embeds=(embed(view, now),), buttons=tuple(buttons))


def thread_title(event: Event) -> str:
    if event.cancelled:
        return t("event.thread.cancelled", title=event.title)[:100]
    return event.title[:100]


# -- answers to commands -------------------------------------------------------------


def preview(
    *,
    draft_id: int,
    title_text: str,
    kind: Kind,
    starts_at: datetime,
    ends_at: datetime,
    place: str,
    description: str,
    group_name: str | None,
    publish_at: datetime | None,
) -> Reply:
    lines = [
        t("event.preview.title"),
        f"{ICONS[kind]} **{inert(title_text)}** — {kind_name(kind)}"
        + (f" · {inert(group_name)}" if group_name else ""),
        t("event.preview.when", when=when(starts_at), end=stamp(ends_at, "f")),
        t("event.preview.length", length=duration_text(ends_at - starts_at)),
        t("event.preview.where", place=inert(place) if place else t("event.place.none")),
    ]
    if description:
        lines.append(inert(description))
    if publish_at is not None:
        lines.append(t("event.preview.publish_at", when=when(publish_at)))
    lines.append(t("event.preview.hint"))
    return Reply(
        "\n".join(lines),
        buttons=(
            Button(
                f"event:draft:confirm:{draft_id}", t("event.button.confirm"), ButtonStyle.SUCCESS
            ),
            Button(f"event:draft:cancel:{draft_id}", t("event.button.discard"), ButtonStyle.DANGER),
        ),
        ephemeral=True,
    )


def draft_discarded() -> Reply:
    return Reply(t("event.draft.discarded"), ephemeral=True)


def created(event: Event, notes: Sequence[str], where_posted: str | None) -> Reply:
    if event.published:
        head = t("event.created.posted", id=event.id, title=title(event), where=where_posted or "")
    else:
        assert event.publish_at is not None
        head = t(
            "event.created.later", id=event.id, title=title(event), when=when(event.publish_at)
        )
    text = "\n".join([head, t("event.created.when", when=span(event)), *notes])
    return Reply(text, ephemeral=True, created=Created("event", event.id))


def answered(event: Event, answer: Answer, before: Answer | None) -> Reply:
    key = "event.answered.same" if before is answer else f"event.answered.{answer.value}"
    return Reply(t(key, title=title(event), when=when(event.starts_at)), ephemeral=True)


def attendees(view: EventView, rsvps: list[Rsvp]) -> Reply:
    event = view.event
    lines = [t("event.attendees.title", title=title(event), id=event.id)]
    for answer in Answer:
        people = [r for r in rsvps if r.answer is answer]
        lines.append(
            f"{ANSWER_ICONS[answer]} " + tn(f"event.attendees.{answer.value}", len(people))
        )
        for n, rsvp in enumerate(people, start=1):
            library = f" ({inert(rsvp.library)})" if rsvp.library else ""
            lines.append(f"    {n}. {inert(rsvp.name)}{library}")
    return Reply("\n".join(lines), ephemeral=True)


def edited(event: Event, changes: list[str], told: int, unreachable: int) -> Reply:
    lines = [t("event.edited", title=title(event), id=event.id), *changes]
    if told or unreachable:
        lines.append(tn("event.told", told + unreachable))
    return Reply("\n".join(lines), ephemeral=True)


def nothing_changed() -> Reply:
    return Reply(t("event.edit.nothing"), ephemeral=True)


def cancelled(event: Event, told: int) -> Reply:
    text = t("event.cancelled", title=title(event), id=event.id)
    if told:
        text += "\n" + tn("event.told", told)
    return Reply(text, ephemeral=True)


def change_lines(
    before: Event, after: Event, *, moved: bool, retitled: bool, replaced: bool, redescribed: bool
) -> list[str]:
    lines = []
    if retitled:
        lines.append(t("event.change.title", old=title(before), new=title(after)))
    if moved:
        lines.append(t("event.change.when", when=span(after)))
    if replaced:
        place = inert(after.place) if after.place else t("event.place.none")
        lines.append(t("event.change.place", place=place))
    if redescribed:
        lines.append(t("event.change.description"))
    return lines


def changed_notice(event: Event, changes: list[str], link: str | None) -> Reply:
    lines = [t("event.notice.changed", title=title(event)), *changes]
    if link:
        lines.append(link)
    return Reply("\n".join(lines), buttons=(_calendar(event),))


def cancelled_notice(event: Event) -> Reply:
    return Reply(
        t("event.notice.cancelled", title=title(event), when=when(event.starts_at)),
        buttons=(_calendar(event),),
    )


def reminder(event: Event, view: EventView, left: timedelta) -> Reply:
    """How long is left is said from now, so a reminder sent late says it right."""
    text = t(
        "event.reminder",
        title=title(event),
        left=left_text(left),
        when=span(event),
        place=where(view),
    )
    return Reply(text, buttons=(_calendar(event),))


def left_text(left: timedelta) -> str:
    """'7 dni', '1 dzień', '1 godzinę', '25 minut': in the unit `natural_unit` picks, so
    it agrees with the relative time of the `when` beside it."""
    unit, count = natural_unit(left)
    if unit in ("month", "year"):
        # Reminders come days before an event, never months; say days all the same.
        unit, count = "day", round(left.total_seconds() / 86400)
    if unit == "second":
        unit, count = "minute", 1
    return tn(f"event.left.{unit}s", max(count, 1))


def nudge(event: Event, view: EventView, now: datetime) -> Reply:
    text = t("event.nudge.dm", title=title(event), when=span(event), place=where(view))
    buttons = [*rsvp_buttons(event, view.counts, now), _calendar(event)]
    return Reply(text, buttons=tuple(buttons))


def nudged(event: Event, sent: int, unreachable: int) -> Reply:
    if not sent and not unreachable:
        return Reply(t("event.nudged.nobody", title=title(event)), ephemeral=True)
    text = tn("event.nudged", sent, title=title(event))
    if unreachable:
        text += "\n" + tn("event.nudged.unreachable", unreachable)
    return Reply(text, ephemeral=True)


def with_mentions(reply: Reply, mentions: Sequence[str], user_ids: Sequence[str]) -> Reply:
    """The same message posted where the event is, pinging those whose DMs are closed."""
    text = " ".join(mentions) + " " + reply.text + "\n" + t("event.dm_closed")
    return Reply(text, buttons=reply.buttons, mentions=tuple(user_ids))


def registration_opened(event: Event) -> Reply:
    text = t("event.registration.opened", title=title(event))
    if event.registration_closes is not None:
        text += " " + t("event.registration.until", when=when(event.registration_closes))
    return Reply(text)


def registration_closed(event: Event) -> Reply:
    return Reply(t("event.registration.closed_now", title=title(event)))


def _calendar(event: Event) -> Button:
    """The event's .ics: it adds the event to a calendar, or, once cancelled (its file
    says STATUS:CANCELLED), takes it out of one."""
    key = "event.button.calendar_remove" if event.cancelled else "event.button.calendar"
    return Button(f"event:ics:{event.id}", t(key), ButtonStyle.PRIMARY)


def listing(events: list[tuple[Event, Counts]], now: datetime, heading: str) -> Reply:
    if not events:
        return Reply(t("event.list.empty"), ephemeral=True)
    lines = [heading]
    for event, counts in events:
        extra = f" · {ANSWER_ICONS[Answer.GOING]} {counts.going}"
        if not event.published:
            assert event.publish_at is not None
            extra += " · " + t("event.list.unpublished", when=stamp(event.publish_at, "f"))
        lines.append(
            f"**#{event.id}** {ICONS[event.kind]} {title(event)} — {when(event.starts_at)}{extra}"
        )
    return Reply("\n".join(lines), ephemeral=True)


def info(view: EventView, mine: Answer | None, now: datetime) -> Reply:
    event = view.event
    lines = []
    if mine is not None:
        lines.append(t("event.info.yours", answer=f"{ANSWER_ICONS[mine]} {answer_name(mine)}"))
    if view.link:
        lines.append(view.link)
    if not event.published and event.publish_at is not None:
        lines.append(t("event.info.unpublished", when=when(event.publish_at)))
    reply = post(view, now)
    return Reply("\n".join(lines), embeds=reply.embeds, buttons=reply.buttons, ephemeral=True)


def ics_file(event: Event, data: bytes) -> Reply:
    return Reply(
        t("event.ics", title=title(event)),
        files=(Attachment(ics_name(event), data),),
        ephemeral=True,
    )


def ics_name(event: Event) -> str:
    return f"event-{event.id}.ics"


def calendar_file(count: int, data: bytes) -> Reply:
    if not count:
        return Reply(t("event.calendar.empty"), ephemeral=True)
    return Reply(
        tn("event.calendar", count), files=(Attachment("podaj-dalej.ics", data),), ephemeral=True
    )


# -- to the creator, when something went wrong on its own --------------------------------


def publish_failed(event: Event, reason: str, retry_at: datetime | None) -> Reply:
    lines = [t("event.publish_failed", title=title(event), id=event.id), reason]
    if retry_at is not None:
        lines.append(t("event.retry_at", when=when(retry_at)))
    return Reply("\n".join(lines))


def native_failed(event: Event, reason_key: str, retry_at: datetime | None) -> Reply:
    lines = [t("event.native_failed", title=title(event), id=event.id), t(reason_key)]
    if retry_at is not None:
        lines.append(t("event.retry_at", when=when(retry_at)))
    else:
        lines.append(t("event.native_gave_up"))
    return Reply("\n".join(lines))


def native_note(reason_key: str, retry_at: datetime | None) -> str:
    note = t("event.note.native_failed", reason=t(reason_key))
    if retry_at is not None:
        note += " " + t("event.retry_at", when=when(retry_at))
    return note


# -- series ----------------------------------------------------------------------------


def series_created(
    series: Series, made: int, *, asked: datetime, upcoming: tuple[datetime, ...] = ()
) -> Reply:
    """The rule said back in words, the next dates, and a plain word when the first date
    `asked` for does not fit the rule (the series starts on the next one that does)."""
    lines = [
        tn(
            "event.series.created",
            int(series.ahead.total_seconds() // 86400),
            id=series.id,
            title=inert(series.title),
            rule=rule_words(series.rule),
        )
    ]
    asked = asked.replace(microsecond=0)  # as the series keeps its times
    if upcoming and asked > series.created_at and upcoming[0] != asked:
        lines.append(t("repeat.first_moved", asked=stamp(asked, "F"), first=when(upcoming[0])))
    if made:
        lines.append(tn("event.series.made", made))
    if upcoming:
        lines.append(next_dates(upcoming))
    elif series.next_at is None:
        lines.append(t("event.series.finished"))
    return Reply("\n".join(lines), ephemeral=True, created=Created("series", series.id))


def rule_words(body: str) -> str:
    """A stored rule in the reader's words; as typed when it cannot be read."""
    try:
        return describe(from_body(body))
    except ValueError:
        return inert(body)


def series_stopped(series: Series) -> Reply:
    return Reply(t("event.series.stopped", id=series.id, title=inert(series.title)), ephemeral=True)


def series_set_aside(series: Series, reason: str, *, for_log: bool = False) -> Reply:
    """The series makes no more events, and why: to its creator, or (for_log) to the
    server's log channel."""
    key = "event.series.set_aside_log" if for_log else "event.series.set_aside"
    text = t(key, id=series.id, title=inert(series.title), rule=inert(series.rule))
    return Reply(text + "\n" + reason)


def series_failed(series: Series, start: datetime, reason: str) -> Reply:
    return Reply(
        t("event.series.failed", title=inert(series.title), when=when(start)) + "\n" + reason
    )
