"""What sign-ups say, in the current locale; user text inert, times as timestamps."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.i18n import t, tn
from bot.replies import Attachment, Button, ButtonStyle, Created, Reply
from bot.signups.model import (
    Entry,
    EntryStatus,
    Phase,
    Placed,
    Sheet,
    SheetView,
    Slot,
)
from bot.text import inert
from bot.timelang.timestamps import when

CSV_COLUMNS = ("name", "library", "slot", "topic", "status", "position", "time")
# The delimiter each language's spreadsheets expect: where the decimal mark is a comma,
# the list separator is a semicolon.
CSV_DELIMITERS = {"en": ","}
# Spreadsheets run cells that start like a formula; such names get a leading quote.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _title(sheet: Sheet) -> str:
    return inert(sheet.title)


def slot_line(slot: Slot) -> str:
    topic = f" — {inert(slot.topic)}" if slot.topic else ""
    return f"**{slot.number}.** {when(slot.starts_at)}{topic}"


def _state(view: SheetView, now: datetime) -> str:
    sheet, phase = view.sheet, view.phase(now)
    if phase is Phase.UPCOMING:
        assert sheet.opens_at is not None
        return t("signup.state.upcoming", when=when(sheet.opens_at))
    if phase is Phase.OPEN:
        return t("signup.state.open_until", when=when(view.closes_at))
    if phase is Phase.CLOSED and view.over(now):
        return t("signup.state.over")
    return t(f"signup.state.{phase.value}")


def _rules(sheet: Sheet) -> str:
    rules = [tn("signup.rule.max_per_person", sheet.max_per_person)]
    if sheet.approval:
        rules.append(t("signup.rule.approval"))
    if not sheet.waitlist:
        rules.append(t("signup.rule.no_waitlist"))
    return " ".join(rules)


def _slot_state(view: SheetView, slot: Slot, now: datetime) -> str:
    """Seats taken, then what is left: free seats, the waitlist and requests — or, once
    the slot has started, only that (nobody can sign up for it any more)."""
    sheet, count = view.sheet, view.count(slot.number)
    parts = [t("signup.slot.seats", taken=count.taken, capacity=sheet.capacity)]
    if slot.started(now):
        parts.append(t("signup.slot.started"))
        return " · ".join(parts)
    free = max(sheet.capacity - count.taken, 0)
    parts.append(tn("signup.slot.free", free) if free else t("signup.slot.full"))
    if count.waiting:
        parts.append(tn("signup.slot.waiting", count.waiting))
    if count.requested:
        parts.append(tn("signup.slot.requested", count.requested))
    return " · ".join(parts)


def sheet_text(view: SheetView, now: datetime) -> str:
    sheet = view.sheet
    lines = [
        t("signup.sheet.title", title=_title(sheet), id=sheet.id),
        _state(view, now) + " " + tn("signup.capacity", sheet.capacity),
        "",
    ]
    for slot in view.slots:
        lines.append(slot_line(slot))
        lines.append("    " + _slot_state(view, slot, now))
    lines += ["", _rules(sheet)]
    # The hint says what the buttons can do now: join while open, only leave once closed,
    # nothing before the start (the state line says when) or once every slot has started.
    phase = view.phase(now)
    if phase is Phase.OPEN:
        lines.append(t("signup.sheet.hint", id=sheet.id))
    elif phase is Phase.CLOSED and not view.over(now):
        lines.append(t("signup.sheet.hint_closed", id=sheet.id))
    return "\n".join(lines)


def sheet_message(view: SheetView, now: datetime) -> Reply:
    """The posted sheet: each slot's seats and waitlist, and Join/Leave per slot that has
    not started yet."""
    sheet = view.sheet
    phase = view.phase(now)
    buttons: list[Button] = []
    if phase is not Phase.DELETED:
        for slot in (s for s in view.slots if not s.started(now)):
            buttons.append(
                Button(
                    f"signup:join:{sheet.id}:{slot.number}",
                    t("signup.button.join", n=slot.number),
                    ButtonStyle.SUCCESS,
                    disabled=phase is not Phase.OPEN,
                )
            )
            buttons.append(
                Button(
                    f"signup:leave:{sheet.id}:{slot.number}",
                    t("signup.button.leave", n=slot.number),
                    disabled=phase is Phase.UPCOMING,
                )
            )
    return Reply(sheet_text(view, now), buttons=tuple(buttons))


def created(sheet: Sheet, slots: int) -> Reply:
    text = tn(
        "signup.created",
        slots,
        id=sheet.id,
        title=_title(sheet),
        channel=inert(sheet.channel_name),
    )
    return Reply(text, ephemeral=True, created=Created("signup", sheet.id))


def placed(result: Placed, slot: Slot) -> Reply:
    assert result.sheet is not None and result.status is not None
    title, n = _title(result.sheet), slot.number
    if result.status is EntryStatus.WAITLISTED:
        text = t("signup.joined.waitlisted", title=title, n=n, position=result.position)
    elif result.status is EntryStatus.REQUESTED:
        text = t("signup.joined.requested", title=title, n=n)
    else:
        text = t("signup.joined.confirmed", title=title, n=n, when=when(slot.starts_at))
    return Reply(text, ephemeral=True)


def left(sheet: Sheet, n: int) -> Reply:
    return Reply(t("signup.left", title=_title(sheet), n=n), ephemeral=True)


def accepted(sheet: Sheet, slot: Slot) -> Reply:
    text = t("signup.accepted", title=_title(sheet), n=slot.number, when=when(slot.starts_at))
    return Reply(text, ephemeral=True)


def declined(sheet: Sheet, n: int) -> Reply:
    return Reply(t("signup.declined", title=_title(sheet), n=n), ephemeral=True)


def offer(sheet: Sheet, slot: Slot, entry: Entry, *, mention: str | None = None) -> Reply:
    assert entry.offer_expires_at is not None
    text = t(
        "signup.offer",
        title=_title(sheet),
        n=slot.number,
        when=when(slot.starts_at),
        deadline=when(entry.offer_expires_at),
    )
    if mention:
        text = f"{mention} {text}\n{t('signup.dm_closed')}"
    buttons = (
        Button(f"signup:accept:{sheet.id}:{slot.number}", t("button.accept"), ButtonStyle.SUCCESS),
        Button(f"signup:decline:{sheet.id}:{slot.number}", t("button.decline"), ButtonStyle.DANGER),
    )
    return Reply(text, buttons=buttons, mentions=(entry.user_id,) if mention else ())


def offer_expired(sheet: Sheet, n: int, *, passed_on: bool, started: bool) -> Reply:
    """The offer ran out: the seat went to the next in line, or, with nobody waiting, it
    is simply free again — unless the slot has started, which ends its offers."""
    if started:
        return Reply(t("signup.offer_expired_started", title=_title(sheet), n=n))
    key = "signup.offer_expired" if passed_on else "signup.offer_expired_free"
    return Reply(t(key, title=_title(sheet), n=n))


def approval_request(sheet: Sheet, n: int, user_id: str, name: str) -> Reply:
    return Reply(
        t("signup.request", user=inert(name), title=_title(sheet), n=n),
        buttons=(
            Button(
                f"signup:approve:{sheet.id}:{n}:{user_id}", t("button.approve"), ButtonStyle.SUCCESS
            ),
            Button(
                f"signup:reject:{sheet.id}:{n}:{user_id}", t("button.decline"), ButtonStyle.DANGER
            ),
        ),
    )


def mine(entries: list[Entry]) -> str:
    if not entries:
        return t("signup.mine.none")
    lines = [t("signup.mine.title")]
    for entry in entries:
        if entry.status is EntryStatus.OFFERED and entry.offer_expires_at is not None:
            lines.append(
                t("signup.mine.offered", n=entry.slot, deadline=when(entry.offer_expires_at))
            )
        elif entry.status is EntryStatus.WAITLISTED:
            lines.append(t("signup.mine.waitlisted", n=entry.slot, position=entry.position))
        else:
            lines.append(t(f"signup.mine.{entry.status.value}", n=entry.slot))
    return "\n".join(lines)


def roster(view: SheetView, entries: list[Entry]) -> str:
    """Who is where, slot by slot: seats, offers, the waitlist in order, requests."""
    lines: list[str] = []
    for slot in view.slots:
        lines.append(slot_line(slot))
        here = [e for e in entries if e.slot == slot.number]
        if not here:
            lines.append("    " + t("signup.roster.empty"))
        for entry in here:
            who = inert(entry.name) + (f" ({inert(entry.library)})" if entry.library else "")
            lines.append(
                "    " + t(f"signup.roster.{entry.status.value}", position=entry.position, who=who)
            )
    return "\n".join(lines)


def status(view: SheetView, now: datetime, own: list[Entry], everyone: list[Entry] | None) -> Reply:
    parts = [sheet_text(view, now), mine(own)]
    if everyone is not None:
        parts.append(t("signup.roster.title") + "\n" + roster(view, everyone))
    return Reply("\n\n".join(parts), ephemeral=True)


def final_list(view: SheetView, entries: list[Entry], data: bytes) -> Reply:
    text = t("signup.final", title=_title(view.sheet)) + "\n" + roster(view, entries)
    return Reply(text, files=(Attachment(csv_name(view.sheet), data),))


def added(sheet: Sheet, name: str, result: Placed) -> Reply:
    n = result.placement.slot
    if result.status is EntryStatus.WAITLISTED:
        text = t("signup.added.waitlisted", user=inert(name), n=n, position=result.position)
    else:
        text = t("signup.added.confirmed", user=inert(name), n=n, title=_title(sheet))
    return Reply(text, ephemeral=True)


def removed(sheet: Sheet, name: str, n: int) -> Reply:
    return Reply(t("signup.removed", user=inert(name), n=n, title=_title(sheet)), ephemeral=True)


def moved(sheet: Sheet, name: str, from_slot: int, result: Placed) -> Reply:
    to = result.placement.slot
    if result.status is EntryStatus.WAITLISTED:
        text = t(
            "signup.moved.waitlisted",
            user=inert(name),
            from_n=from_slot,
            to_n=to,
            position=result.position,
        )
    else:
        text = t("signup.moved.confirmed", user=inert(name), from_n=from_slot, to_n=to)
    return Reply(text, ephemeral=True)


def notice_placed(sheet: Sheet, slot: Slot, result: Placed) -> Reply:
    """To the person a moderator signed up, approved or moved."""
    if result.status is EntryStatus.WAITLISTED:
        text = t(
            "signup.notice.waitlisted",
            title=_title(sheet),
            n=slot.number,
            position=result.position,
        )
    else:
        text = t(
            "signup.notice.confirmed", title=_title(sheet), n=slot.number, when=when(slot.starts_at)
        )
    return Reply(text)


def notice_removed(sheet: Sheet, n: int, *, request: bool) -> Reply:
    key = "signup.notice.request_declined" if request else "signup.notice.removed"
    return Reply(t(key, title=_title(sheet), n=n))


def closed(sheet: Sheet) -> Reply:
    return Reply(t("signup.closed", title=_title(sheet)), ephemeral=True)


def reopened(sheet: Sheet) -> Reply:
    return Reply(t("signup.reopened", title=_title(sheet)), ephemeral=True)


def deleted(sheet: Sheet) -> Reply:
    return Reply(t("signup.deleted", title=_title(sheet)), ephemeral=True)


def exported(sheet: Sheet, data: bytes) -> Reply:
    return Reply(
        t("signup.exported", title=_title(sheet)),
        files=(Attachment(csv_name(sheet), data),),
        ephemeral=True,
    )


def csv_name(sheet: Sheet) -> str:
    return f"signup-{sheet.id}.csv"


def csv_bytes(view: SheetView, entries: list[Entry], locale: str) -> bytes:
    """name, library, slot, its topic, status, position, time (the slot's start in the
    sheet's zone), headed and worded in `locale` (the server's), with its spreadsheets'
    delimiter. UTF-8 with a byte order mark, so spreadsheets read Polish letters right."""
    zone = ZoneInfo(view.sheet.timezone)
    slots = {s.number: s for s in view.slots}
    out = io.StringIO()
    writer = csv_writer(out, locale)
    writer.writerow(t(f"signup.csv.{column}", locale=locale) for column in CSV_COLUMNS)
    for entry in entries:
        slot = slots.get(entry.slot)
        writer.writerow(
            (
                csv_cell(entry.name),
                csv_cell(entry.library),
                entry.slot,
                csv_cell(slot.topic) if slot else "",
                t(f"signup.csv.status.{entry.status.value}", locale=locale),
                entry.position,
                slot.starts_at.astimezone(zone).strftime("%Y-%m-%d %H:%M") if slot else "",
            )
        )
    return out.getvalue().encode("utf-8-sig")


def csv_writer(out: io.StringIO, locale: str) -> Any:
    """A CSV writer with the delimiter `locale`'s spreadsheets expect."""
    return csv.writer(out, delimiter=CSV_DELIMITERS.get(locale, ";"), lineterminator="\r\n")


def csv_cell(text: str) -> str:
    """A CSV cell a spreadsheet will not run as a formula."""
    return "'" + text if text.startswith(_FORMULA_START) else text
