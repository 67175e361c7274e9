"""The panel's transcript, as Markdown and as HTML: the summary, then every moment in order
(turns, questions marked, chat said in the panel), with times in the server's zone.

People who opted out of transcripts are left out: their chat is not there (it is not even
recorded), and wherever they appear they are "a participant". User text is escaped for
each format: Markdown made inert, HTML escaped (`html.escape`, quotes included).
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.i18n import current_locale, format_when, t, tn
from bot.panels.messages import minutes, paczki
from bot.panels.model import LogEntry, LogKind, Panel, Summary, minutes_seconds
from bot.replies import Attachment
from bot.text import inert

Escape = Callable[[str], str]

_STYLE = (
    "body{font-family:system-ui,sans-serif;max-width:52em;margin:2em auto;padding:0 1em;"
    "line-height:1.45}time{color:#666;font-variant-numeric:tabular-nums;margin-right:.5em}"
    "li{margin:.2em 0}li.turn{font-weight:600}li.question{background:#fff4d6;padding:.2em}"
    "li.chat .who{font-weight:600}"
)


def files(
    panel: Panel, summary: Summary, log: list[LogEntry], hidden: set[str]
) -> tuple[Attachment, ...]:
    """`panel-<id>.md` and `panel-<id>.html`, in the current locale."""
    return (
        Attachment(f"panel-{panel.id}.md", markdown(panel, summary, log, hidden).encode("utf-8")),
        Attachment(f"panel-{panel.id}.html", to_html(panel, summary, log, hidden).encode("utf-8")),
    )


def _clock(at: datetime, tz: str) -> str:
    return at.astimezone(ZoneInfo(tz)).strftime("%H:%M:%S")


def _name(entry: LogEntry, hidden: set[str]) -> str:
    return t("panel.log.anonymous") if entry.user_id in hidden else entry.name


def _line(entry: LogEntry, hidden: set[str], esc: Escape) -> str | None:
    """One moment as text with user parts escaped by `esc`; None when it is left out."""
    name = esc(_name(entry, hidden))
    if entry.kind is LogKind.START:
        return t("panel.log.start")
    if entry.kind is LogKind.END:
        return t("panel.log.end")
    if entry.kind is LogKind.TURN:
        return t(f"panel.log.turn.{entry.text}", who=name)
    if entry.kind is LogKind.TURN_END:
        return t(f"panel.log.turn_end.{entry.text}", who=name, time=_spoken(entry.number))
    if entry.kind is LogKind.ASKED:
        return t("panel.log.asked", who=name, number=entry.number, text=esc(entry.text))
    if entry.kind is LogKind.QUESTION:
        return t("panel.log.question", who=name, number=entry.number, text=esc(entry.text))
    if entry.kind is LogKind.CHAT:
        return None if entry.user_id in hidden else esc(entry.text)
    return None


def _spoken(seconds: int) -> str:
    return f"{seconds // 60}:{seconds % 60:02d}"


def _heading(panel: Panel, hidden: set[str], esc: Escape) -> list[tuple[str, str]]:
    at = panel.started_at or panel.starts_at

    def who(user_id: str, name: str) -> str:
        return esc(t("panel.log.anonymous") if user_id in hidden else name)

    return [
        (t("panel.transcript.date"), esc(format_when(at, panel.timezone))),
        (t("panel.transcript.moderator"), who(panel.moderator_id, panel.moderator_name)),
        (
            t("panel.transcript.panelists"),
            ", ".join(who(p.user_id, p.name) for p in panel.panelists),
        ),
    ]


def _summary(summary: Summary, esc: Escape) -> list[tuple[str, list[str]]]:
    """The summary as (line, sub-lines)."""
    speakers = [
        t(
            "panel.summary.speaker",
            who=esc(s.name),
            turns=tn("panel.turns", s.turns),
            time=minutes_seconds(s.spoken),
        )
        for s in summary.speakers
    ]
    tally = [
        t("panel.summary.paczki_item", who=esc(name), paczki=paczki(n))
        for _, name, n in summary.tally
    ]
    return [
        (t("panel.summary.duration", duration=minutes(summary.duration)), []),
        (t("panel.summary.speakers") if speakers else t("panel.summary.nobody"), speakers),
        (t("panel.summary.questions", asked=summary.asked, answered=summary.answered), []),
        (t("panel.summary.paczki") if tally else t("panel.summary.no_paczki"), tally),
    ]


def markdown(panel: Panel, summary: Summary, log: list[LogEntry], hidden: set[str]) -> str:
    out = [f"# {t('panel.transcript.title', topic=_md(panel.topic))}", ""]
    out += [f"- {label}: {value}" for label, value in _heading(panel, hidden, _md)]
    out += ["", f"## {t('panel.transcript.summary')}", ""]
    for line, items in _summary(summary, _md):
        out.append(f"- {line}")
        out += [f"  - {item}" for item in items]
    out += ["", f"## {t('panel.transcript.log')}", ""]
    for entry, text in _moments(log, hidden, _md):
        at = f"`{_clock(entry.at, panel.timezone)}`"
        if entry.kind is LogKind.CHAT:
            out.append(f"- {at} **{_md(_name(entry, hidden))}:** {text}")
        elif entry.kind in (LogKind.QUESTION, LogKind.TURN):
            out.append(f"- {at} **{text}**")
        else:
            out.append(f"- {at} {text}")
    out.append("")
    return "\n".join(out)


def to_html(panel: Panel, summary: Summary, log: list[LogEntry], hidden: set[str]) -> str:
    esc = _escape
    heading = esc(t("panel.transcript.title", topic=panel.topic))
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{esc(current_locale())}">',
        "<head>",
        '<meta charset="utf-8">',
        f"<title>{heading}</title>",
        f"<style>{_STYLE}</style>",
        "</head>",
        "<body>",
        f"<h1>{heading}</h1>",
        "<ul>",
    ]
    out += [f"<li>{esc(label)}: {value}</li>" for label, value in _heading(panel, hidden, esc)]
    out += ["</ul>", f"<h2>{esc(t('panel.transcript.summary'))}</h2>", "<ul>"]
    for line, items in _summary(summary, esc):
        nested = "".join(f"<li>{item}</li>" for item in items)
        out.append(f"<li>{line}<ul>{nested}</ul></li>" if items else f"<li>{line}</li>")
    out += ["</ul>", f"<h2>{esc(t('panel.transcript.log'))}</h2>", '<ol class="transcript">']
    for entry, text in _moments(log, hidden, esc):
        stamp = (
            f'<time datetime="{esc(entry.at.isoformat())}">'
            f"{_clock(entry.at, panel.timezone)}</time>"
        )
        if entry.kind is LogKind.CHAT:
            who = esc(_name(entry, hidden))
            out.append(f'<li class="chat">{stamp}<span class="who">{who}:</span> {text}</li>')
        else:
            out.append(f'<li class="{entry.kind.value}">{stamp}{text}</li>')
    out += ["</ol>", "</body>", "</html>", ""]
    return "\n".join(out)


def _moments(
    log: Iterable[LogEntry], hidden: set[str], esc: Escape
) -> Iterable[tuple[LogEntry, str]]:
    for entry in log:
        text = _line(entry, hidden, esc)
        if text is not None:
            yield entry, text


def _md(text: str) -> str:
    """User text shown as typed in Markdown: inert, and no inline HTML either."""
    return inert(text).replace("<", "\\<")


def _escape(text: str) -> str:
    return html.escape(text, quote=True)
