"""What reminders say: confirmations, deliveries, the missed list, the user's list.

Built in the current locale (the caller sets it: the user's for a command, the owner's for
a delivery); times are timestamp markup so each reader sees their own zone.
"""

from __future__ import annotations

from datetime import datetime

from bot.i18n import t, tn
from bot.reminders.model import Kind, Reminder, Snooze, Snoozed, StoredRule
from bot.reminders.recurrence import Recurrence
from bot.replies import Button, ButtonStyle, Created, Reply
from bot.text import inert
from bot.timelang.repetition import describe, next_dates
from bot.timelang.timestamps import stamp, when

LIST_LIMIT = 25
SNOOZE_PRESETS = ("10m", "1h", "morning")


def every(rule: Recurrence) -> str:
    return describe(rule.rule)


def created(
    reminder: Reminder, *, asked: datetime | None = None, upcoming: tuple[datetime, ...] = ()
) -> Reply:
    """The confirmation; for a repeating one the rule in words, the next dates, and a plain
    word when the first one is not the time asked for (it did not fit the rule)."""
    key = "reminder.created.me" if reminder.kind is Kind.ME else "reminder.created.channel"
    lines = [
        t(
            key,
            when=when(reminder.due_at),
            what=inert(reminder.text),
            channel=inert(reminder.channel_name),
        )
    ]
    if reminder.recurrence:
        lines.append(t("reminder.repeats", every=every(reminder.recurrence)))
        if asked is not None and abs((asked - reminder.due_at).total_seconds()) >= 1:
            lines.append(
                t("repeat.first_moved", asked=stamp(asked, "F"), first=when(reminder.due_at))
            )
        if upcoming:
            lines.append(next_dates(upcoming))
    lines.append(t("reminder.id_hint", id=reminder.id))
    return Reply("\n".join(lines), ephemeral=True, created=Created("reminder", reminder.id))


def updated(reminder: Reminder, *, repeat_removed: bool = False) -> Reply:
    lines = [t("reminder.updated", id=reminder.id, when=when(reminder.due_at))]
    if repeat_removed:
        lines.append(t("reminder.repeat_removed"))
    return Reply("\n".join(lines), ephemeral=True)


def snoozed(snooze: Snooze) -> Reply:
    """The answer to a snooze: its time, that it moved, or that the series' own next
    time makes a copy needless. The same snooze asked twice gets the same answer."""
    reminder = snooze.reminder
    if snooze.outcome is Snoozed.AT_NEXT:
        lines = [t("reminder.snooze.at_next", id=reminder.id, when=when(reminder.due_at))]
        if snooze.dropped is not None:
            lines.append(t("reminder.snooze.dropped", id=snooze.dropped))
        return Reply("\n".join(lines), ephemeral=True)
    if snooze.outcome is Snoozed.MOVED:
        text = t("reminder.snooze.moved", id=reminder.id, when=when(reminder.due_at))
        return Reply(text, ephemeral=True)
    return updated(reminder)


def delivery(reminder: Reminder, *, late: bool, mention: str | None = None) -> Reply:
    lines = [t("reminder.delivery", what=inert(reminder.text))]
    if mention:
        lines[0] = f"{mention} {lines[0]}"
        lines.append(t("reminder.dm_closed"))
    if late:
        lines.append(t("reminder.late", due=stamp(reminder.due_at, "f")))
    if reminder.kind is Kind.CHANNEL and reminder.recurrence is not None:
        # Whoever reads it in the channel learns how it is stopped (its author may be gone).
        lines.append(t("reminder.stop_hint", id=reminder.id))
    buttons = () if reminder.kind is Kind.CHANNEL else snooze_buttons(reminder.id)
    mentions = (reminder.owner_id,) if mention else ()
    return Reply("\n".join(lines), buttons=buttons, mentions=mentions)


def snooze_buttons(reminder_id: int) -> tuple[Button, ...]:
    snoozes = tuple(
        Button(f"remind:snooze:{reminder_id}:{preset}", t(f"reminder.button.{preset}"), emoji="💤")
        for preset in SNOOZE_PRESETS
    )
    done = Button(f"remind:done:{reminder_id}", t("reminder.button.done"), ButtonStyle.SUCCESS)
    return (*snoozes, done)


def missed(reminders: list[Reminder], *, mention: str | None = None) -> Reply:
    lines = [tn("reminder.missed", len(reminders))]
    if mention:
        lines[0] = f"{mention} {lines[0]}"
    lines += [f"• {stamp(r.due_at, 'f')} — {inert(_short(r.text))}" for r in reminders]
    mentions = (reminders[0].owner_id,) if mention else ()
    return Reply("\n".join(lines), mentions=mentions)


def listing(reminders: list[Reminder], *, channel: str | None = None) -> Reply:
    """My pending reminders, or (with `channel`) those waiting for that channel."""
    if not reminders:
        if channel is not None:
            return Reply(t("reminder.list.channel_empty", channel=inert(channel)), ephemeral=True)
        return Reply(t("reminder.list.empty"), ephemeral=True)
    lines = [
        tn("reminder.list.channel_title", len(reminders), channel=inert(channel))
        if channel is not None
        else tn("reminder.list.title", len(reminders))
    ]
    for r in reminders[:LIST_LIMIT]:
        where = "" if r.kind is Kind.ME else f" · #{inert(r.channel_name)}"
        repeat = f" · 🔁 {every(r.recurrence)}" if r.recurrence else ""
        lines.append(f"`#{r.id}` {when(r.due_at)}{where}{repeat}\n    {inert(_short(r.text))}")
    if len(reminders) > LIST_LIMIT:
        lines.append(t("reminder.list.more", count=len(reminders) - LIST_LIMIT))
    return Reply("\n".join(lines), ephemeral=True)


def _short(text: str, limit: int = 120) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def set_aside(rule: StoredRule) -> Reply:
    """To the owner: a repeating reminder whose rule can no longer be read stops."""
    return Reply(
        t("reminder.set_aside", id=rule.id, what=inert(rule.text), rule=inert(rule.recurrence))
    )


def set_aside_log(rule: StoredRule, owner: str) -> Reply:
    return Reply(
        t("reminder.set_aside_log", id=rule.id, owner=inert(owner), rule=inert(rule.recurrence))
    )
