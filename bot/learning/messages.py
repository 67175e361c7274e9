"""What the learning commands answer, in the reader's language."""

from __future__ import annotations

import io
from datetime import datetime

from bot.events.publishing import Outcome
from bot.i18n import t, tn
from bot.learning.model import (
    Certificates,
    Line,
    LogEntry,
    OverviewRow,
    Participant,
    Program,
    Session,
    ThemeDays,
)
from bot.outbox import Status
from bot.refs import UserRef
from bot.replies import Attachment, Created, Embed, EmbedField, Reply
from bot.signups.messages import csv_cell, csv_writer
from bot.signups.model import EntryStatus, Placed, SheetView
from bot.text import inert
from bot.timelang.timestamps import stamp, when


def _name(program: Program) -> str:
    return inert(program.name)


def _dates(program: Program) -> str:
    return f"{stamp(program.starts_at, 'D')} – {stamp(program.ends_at, 'D')}"


def created(program: Program, sheet_id: int) -> Reply:
    text = tn(
        "learning.created",
        len(program.themes),
        id=program.id,
        name=_name(program),
        dates=_dates(program),
        sheet=sheet_id,
    )
    return Reply(text, ephemeral=True, created=Created("program", program.id))


def session_added(program: Program, session: Session, outcome: Outcome) -> Reply:
    text = t(
        "learning.session.added",
        id=session.event_id,
        theme=inert(session.theme),
        name=_name(program),
        when=when(session.starts_at),
    )
    notes = "\n".join(outcome.notes)
    if outcome.where:
        text += "\n" + t("learning.session.where", where=outcome.where)
    if notes:
        text += "\n" + notes
    return Reply(text, ephemeral=True, created=Created("event", session.event_id))


def joined(program: Program, result: Placed) -> Reply:
    if result.status is EntryStatus.WAITLISTED:
        text = t("learning.joined.waitlisted", name=_name(program), position=result.position)
    else:
        text = t("learning.joined.confirmed", name=_name(program), when=when(program.starts_at))
    return Reply(text, ephemeral=True)


def left(program: Program) -> Reply:
    return Reply(t("learning.left", name=_name(program)), ephemeral=True)


def _registration(view: SheetView) -> str:
    sheet, count = view.sheet, view.count(1)
    text = t("learning.info.seats", taken=count.taken, capacity=sheet.capacity)
    if count.waiting:
        text += " " + tn("learning.info.waiting", count.waiting)
    if sheet.opens_at:
        text += "\n" + t("learning.info.opens", when=when(sheet.opens_at))
    if sheet.closes_at:
        text += "\n" + t("learning.info.closes", when=when(sheet.closes_at))
    return text


def _session_line(session: Session) -> str:
    line = f"#{session.event_id} · {stamp(session.starts_at, 'f')} · **{inert(session.theme)}**"
    if session.place:
        line += f" · {inert(session.place)}"
    if session.cancelled:
        line = f"~~{line}~~ " + t("learning.session.cancelled")
    return line


def info(program: Program, view: SheetView, sessions: list[Session]) -> Reply:
    fields = (
        EmbedField(t("learning.field.dates"), _dates(program)),
        EmbedField(t("learning.field.themes"), inert("\n".join(f"• {x}" for x in program.themes))),
        EmbedField(t("learning.field.registration"), _registration(view)),
        EmbedField(
            t("learning.field.sessions"),
            "\n".join(_session_line(s) for s in sessions) or t("learning.sessions.none_short"),
        ),
    )
    embed = Embed(title=f"#{program.id} {_name(program)}", fields=fields)
    return Reply(embeds=(embed,), ephemeral=True)


def listing(programs: list[Program]) -> Reply:
    if not programs:
        return Reply(t("learning.list.empty"), ephemeral=True)
    lines = [f"#{p.id} **{_name(p)}** · {_dates(p)}" for p in programs]
    title = tn("learning.list.title", len(programs))
    return Reply(title + "\n" + "\n".join(lines), ephemeral=True)


def sessions(program: Program, found: list[Session]) -> Reply:
    if not found:
        return Reply(t("learning.sessions.none", name=_name(program)), ephemeral=True)
    title = tn("learning.sessions.title", len(found), name=_name(program))
    return Reply(title + "\n" + "\n".join(_session_line(s) for s in found), ephemeral=True)


def attendance(session: Session, marked: int, given: int) -> Reply:
    text = tn(
        "learning.attendance.marked",
        marked,
        theme=inert(session.theme),
        when=stamp(session.starts_at, "f"),
    )
    if given > marked:
        text += " " + tn("learning.attendance.already", given - marked)
    return Reply(text, ephemeral=True)


def record(name: str, lines: list[ThemeDays]) -> Reply:
    if not lines:
        return Reply(t("learning.record.empty", name=inert(name)), ephemeral=True)
    total = sum(line.days for line in lines)
    body = [
        f"**{inert(line.program)}** · {inert(line.theme)}: " + tn("learning.record.days", line.days)
        for line in lines
    ]
    title = tn("learning.record.title", total, name=inert(name))
    return Reply(title + "\n" + "\n".join(body), ephemeral=True)


# -- the learning line -------------------------------------------------------------------

# Discord: 1024 characters an embed field, 25 fields.
FIELD_MAX = 1000


def goals_set(goals: tuple[str, ...]) -> Reply:
    listed = "\n".join(f"{i}. {inert(g)}" for i, g in enumerate(goals, 1))
    return Reply(tn("learning.goals.set", len(goals)) + "\n" + listed, ephemeral=True)


def logged(goal: str) -> Reply:
    return Reply(t("learning.logged", goal=inert(goal)), ephemeral=True)


def shared(coach: str, new: bool) -> Reply:
    key = "learning.shared" if new else "learning.shared.already"
    return Reply(t(key, coach=inert(coach)), ephemeral=True)


def _entry(entry: LogEntry) -> str:
    return f"{stamp(entry.written_at, 'd')} — {inert(entry.text)}"


def _field(title: str, entries: list[LogEntry]) -> EmbedField:
    lines: list[str] = []
    size = 0
    for entry in reversed(entries):  # the newest first, as many as fit
        text = _entry(entry)
        if size + len(text) + 1 > FIELD_MAX:
            lines.append("…")
            break
        lines.append(text)
        size += len(text) + 1
    return EmbedField(title[:250], "\n".join(lines) or t("learning.line.no_entries"))


def line(found: Line) -> Reply:
    if not found.goals and not found.entries:
        return Reply(t("learning.line.empty"), ephemeral=True)
    fields = [
        _field(f"{i}. {inert(goal)}", found.entries_of(goal))
        for i, goal in enumerate(found.goals, 1)
    ]
    if found.earlier():
        fields.append(_field(t("learning.line.earlier"), found.earlier()))
    embed = Embed(
        title=t("learning.line.title", name=inert(found.name)),
        fields=tuple(fields[:25]),
        footer=tn("learning.line.footer", len(found.entries)),
    )
    data = line_markdown(found).encode("utf-8")
    return Reply(embeds=(embed,), files=(Attachment("learning-line.md", data),), ephemeral=True)


def line_markdown(found: Line) -> str:
    """The whole line as a Markdown file (dates as YYYY-MM-DD, UTC)."""
    out = [f"# {t('learning.line.title', name=found.name)}", ""]
    sections = [(f"{i}. {g}", found.entries_of(g)) for i, g in enumerate(found.goals, 1)]
    if found.earlier():
        sections.append((t("learning.line.earlier"), found.earlier()))
    for title, entries in sections:
        out += [f"## {title}", ""]
        if not entries:
            out.append(f"_{t('learning.line.no_entries')}_")
        for entry in entries:
            text = " ".join(entry.text.split())
            out.append(f"- **{entry.written_at:%Y-%m-%d}** {text}")
        out.append("")
    return "\n".join(out)


def checkin(program: Program) -> Reply:
    return Reply(t("learning.checkin", name=_name(program)))


# -- certificates --------------------------------------------------------------------------


def certificate_file(program: Program, person: Participant) -> str:
    return f"certificate-{program.id}-{person.user_id.split(':', 1)[-1]}.png"


def certificate_png(program: Program, person: Participant, issued: datetime) -> bytes:
    """The participant's certificate as a PNG, drawn in the current (their) language:
    a few hundred milliseconds of work, so callers run it off the event loop."""
    # Pillow and the certificate's drawing load on the first certificate, not at start.
    from bot.learning import certificate as drawing

    return drawing.render(
        drawing.CertificateData(
            name=person.name,
            program=program.name,
            themes=person.themes,
            starts_at=program.starts_at,
            ends_at=program.ends_at,
            issued_at=issued,
            timezone=program.timezone,
        )
    )


def certificate(program: Program, person: Participant, png: bytes) -> Reply:
    text = t("learning.certificate.dm", name=_name(program))
    return Reply(text, files=(Attachment(certificate_file(program, person), png),))


def certificates(program: Program, run: Certificates) -> Reply:
    already = (
        [tn("learning.certificates.already", run.had_one, name=_name(program))]
        if run.had_one
        else []
    )
    if not run.sent:
        if already:
            return Reply("\n".join(already), ephemeral=True)
        return Reply(
            tn("learning.certificates.none", program.threshold, name=_name(program)),
            ephemeral=True,
        )
    lines = [
        f"• {inert(p.name)} — " + tn("learning.record.days", p.days) + _delivery(status)
        for p, status in run.sent
    ]
    title = tn("learning.certificates.sent", len(run.sent), name=_name(program))
    return Reply("\n".join([title, *lines, *already]), ephemeral=True)


def _delivery(status: Status) -> str:
    if status is Status.SENT:
        return ""
    if status in (Status.PENDING, Status.SENDING):
        return " " + t("learning.certificates.later")
    return " " + t("learning.certificates.dm_closed")


# -- the moderator's overview ----------------------------------------------------------------

OVERVIEW_LINES = 40


def _status(row: OverviewRow) -> str:
    return t(f"learning.overview.status.{row.status or 'walk_in'}")


def overview_csv(program: Program, rows: list[OverviewRow], locale: str) -> bytes:
    """The overview as CSV in `locale` (the server's), with its spreadsheets' delimiter."""
    out = io.StringIO()
    writer = csv_writer(out, locale)
    writer.writerow(
        [
            t("learning.overview.col.name", locale=locale),
            t("learning.overview.col.status", locale=locale),
            t("learning.overview.col.days", locale=locale),
            *(csv_cell(theme) for theme in program.themes),
            t("learning.overview.col.last_entry", locale=locale),
        ]
    )
    for row in rows:
        writer.writerow(
            [
                csv_cell(row.name),
                t(f"learning.overview.status.{row.status or 'walk_in'}", locale=locale),
                row.days,
                *(days for _, days in row.themes),
                f"{row.last_entry:%Y-%m-%d}" if row.last_entry else "",
            ]
        )
    return out.getvalue().encode("utf-8-sig")  # the BOM lets spreadsheets read UTF-8


def overview(
    program: Program,
    sessions: list[Session],
    rows: list[OverviewRow],
    now: datetime,
    data: bytes,
) -> Reply:
    """The overview with its CSV (`overview_csv`, written off the event loop)."""
    held = sum(1 for s in sessions if not s.cancelled and s.starts_at <= now)
    lines = []
    for row in rows[:OVERVIEW_LINES]:
        last = stamp(row.last_entry, "d") if row.last_entry else "—"
        lines.append(
            f"• {inert(row.name)} · {_status(row)} · "
            + tn("learning.record.days", row.days)
            + " · "
            + t("learning.overview.last", when=last)
        )
    if len(rows) > OVERVIEW_LINES:
        lines.append(tn("learning.overview.more", len(rows) - OVERVIEW_LINES))
    eligible = sum(1 for row in rows if row.days >= program.threshold)
    embed = Embed(
        title=t("learning.overview.title", name=_name(program)),
        description="\n".join(lines) or t("learning.overview.empty"),
        footer=t(
            "learning.overview.footer",
            people=len(rows),
            sessions=held,
            eligible=eligible,
            threshold=program.threshold,
        ),
    )
    name = f"program-{program.id}-overview.csv"
    return Reply(embeds=(embed,), files=(Attachment(name, data),), ephemeral=True)


# -- local cases ---------------------------------------------------------------------------

# Discord: a forum tag's name is at most 20 characters.
TAG_MAX = 20


def case_tag(theme: str | None) -> str:
    return (theme or t("learning.case.tag"))[:TAG_MAX].strip()


def case_post(author: UserRef, title: str, text: str, theme: str | None) -> Reply:
    fields = [EmbedField(t("learning.case.field.author"), inert(author.name or author.id))]
    if theme:
        fields.append(EmbedField(t("learning.case.field.theme"), inert(theme)))
    embed = Embed(
        title=inert(title.strip()),
        description=inert(text.strip()),
        fields=tuple(fields),
        footer=t("learning.case.footer"),
    )
    return Reply(embeds=(embed,))


def case_posted(forum: str) -> Reply:
    return Reply(t("learning.case.posted", forum=inert(forum)), ephemeral=True)
