"""The digest's texts: the weekly post and DM, and the answers about its setting.

Times are timestamps (`<t:…>`), so every reader sees them in their own zone; the post is
worded in the server's language and each DM in its reader's (bot/notify.py).
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot.digest.model import Digest, EventItem, MeetingItem, ProgramItem, SheetItem, Weekly
from bot.events.messages import ICONS
from bot.events.messages import title as event_title
from bot.groups.model import Group
from bot.i18n import t, tn
from bot.replies import Embed, Reply
from bot.text import command_value, inert
from bot.timelang.repetition import describe
from bot.timelang.timestamps import stamp

# A section names this many at most, then says how many more there are: the post stays
# within an embed's description, and a long list is what /event list is for.
SHOWN = 8


def digest(content: Digest, *, reader: bool = False) -> Reply:
    """The fortnight in one embed, section by section; empty sections are left out. The
    post's footer offers the DM; a `reader`'s DM says how to stop it instead."""
    lines = [t("digest.range", start=stamp(content.start, "D"), end=stamp(content.end, "D"))]
    sections = (
        ("digest.events", [_event(item) for item in content.events]),
        ("digest.sheets", [_sheet(item) for item in content.sheets]),
        ("digest.programs", [_program(item) for item in content.programs]),
        ("digest.new_groups", [_new_group(group) for group in content.new_groups]),
        ("digest.meetings", [_meeting(item) for item in content.meetings]),
    )
    for heading, items in sections:
        if items:
            lines += ["", f"**{t(heading)}**", *items[:SHOWN]]
            if len(items) > SHOWN:
                lines.append(tn("digest.more", len(items) - SHOWN))
    footer = t("digest.footer.reader" if reader else "digest.footer")
    embed = Embed(title=title(), description="\n".join(lines), footer=footer)
    return Reply(embeds=(embed,))


def title() -> str:
    """The forum tag every digest carries."""
    return t("digest.title")


def thread_title(content: Digest, zone: str) -> str:
    """The week's own thread name, dated like a panel's (one a week, told apart in the
    forum's list)."""
    return t("digest.thread", date=content.start.astimezone(ZoneInfo(zone)).date().isoformat())


def _event(item: EventItem) -> str:
    event = item.event
    line = f"• {ICONS[event.kind]} **{event_title(event)}** — {stamp(event.starts_at, 'F')}"
    if item.seats_left is not None:
        line += " · " + tn("digest.seats_left", item.seats_left)
    return line + " · " + t("digest.event.rsvp", event=event.id)


def _sheet(item: SheetItem) -> str:
    sheet = item.sheet
    line = f"• **{inert(sheet.title)}** (#{inert(sheet.channel_name)}) · " + tn(
        "digest.places_free", item.free
    )
    if sheet.closes_at is not None:
        line += " · " + t("digest.closes", when=stamp(sheet.closes_at, "f"))
    return line


def _program(item: ProgramItem) -> str:
    program = item.program
    line = f"• **{inert(program.name)}** — " + t(
        "digest.program.starts", when=stamp(program.starts_at, "D")
    )
    if item.closes_at is not None:
        line += " · " + t("digest.closes", when=stamp(item.closes_at, "f"))
    return line + " · " + t("digest.program.join", program=inert(command_value(program.name)))


def _new_group(group: Group) -> str:
    return f"• **{inert(group.name)}** ({inert(group.city)}) · " + t(
        "digest.group.join", group=inert(command_value(group.name))
    )


def _meeting(item: MeetingItem) -> str:
    """The group and the date, never the topic: the digest is read by everyone in the
    server, and a topic is for the group's members (bot/visibility.py)."""
    line = f"• **{inert(item.group.name)}** ({inert(item.group.city)}) — "
    return line + stamp(item.meeting.starts_at, "F")


# -- answers about the setting ----------------------------------------------------------


def setting(weekly: Weekly | None) -> str:
    """The `/setup server` field: the day and hour with the zone of that hour, or off."""
    return _when(weekly) if weekly is not None else t("digest.off")


def reader(on: bool, weekly: Weekly | None) -> Reply:
    if not on:
        return Reply(t("digest.reader.off"), ephemeral=True)
    if weekly is None:
        return Reply(t("digest.reader.on_unset"), ephemeral=True)
    # The next one as a timestamp: each reader sees it in their own zone.
    text = t("digest.reader.on", when=_when(weekly), next=stamp(weekly.next_at))
    return Reply(text, ephemeral=True)


def _when(weekly: Weekly) -> str:
    # The hour is the server's: a reader in another zone sees which one it is.
    return f"{describe(weekly.rule)} ({weekly.timezone})"
