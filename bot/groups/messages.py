"""What the groups feature says, in the current locale; user text always inert."""

from __future__ import annotations

from datetime import datetime
from importlib import resources
from pathlib import Path

from bot.errors import UserError
from bot.geography.places import Place
from bot.groups.model import (
    Checklist,
    Group,
    JoinMode,
    Meeting,
    Member,
    MemberStatus,
    Profile,
    Proposal,
    ProposalStatus,
)
from bot.i18n import DEFAULT_LOCALE, current_locale, format_number, t, tn
from bot.ports import Access
from bot.replies import Attachment, Button, ButtonStyle, Created, Embed, EmbedField, Reply
from bot.text import chunks, command_value, inert
from bot.timelang.repetition import Repetition, describe, next_dates
from bot.timelang.timestamps import stamp, when

PAGE_SIZE = 10
MESSAGE_LIMIT = 2000
GUIDE_FILE = "local-group.md"
# The nearest groups listed, each with its Join button when asked for: three of the five
# rows of five buttons a Discord message holds; on Matrix, reactions lettered 🇦 to 🇴.
NEAR_SHOWN = 15


def _where(group: Group) -> str:
    return f"{inert(group.city)} ({inert(group.region)}, {group.country})"


def distance(km: float) -> str:
    """How far a group meets: the same town is "right nearby", never "0 km away"."""
    return t("group.distance.km", km=round(km)) if km >= 1 else t("group.distance.near")


def created(group: Group, served: tuple[Group, float] | None = None) -> Reply:
    """The group made; with `served`, the group that already meets near its town (a
    moderator may start a second one in a big city, but is told)."""
    text = t(
        "group.created",
        name=inert(group.name),
        where=_where(group),
        channel=inert(group.channel_name or ""),
        role=inert(group.role_name or ""),
    )
    if served is not None:
        other, km = served
        text += "\n" + t(
            "group.created.served",
            town=inert(group.city),
            name=inert(other.name),
            city=inert(other.city),
            distance=distance(km),
            new=inert(command_value(group.name)),
        )
    return Reply(text, ephemeral=True, created=Created("group", group.id))


def welcome(group: Group) -> Reply:
    lines = [t("group.welcome", name=inert(group.name), where=_where(group))]
    if group.description:
        lines.append(inert(group.description))
    lines.append(t("group.welcome_help"))
    return Reply("\n\n".join(lines))


def edited(group: Group, admitted: int = 0) -> Reply:
    """The group as it is now; `admitted`: the requests let in because it opened."""
    text = t("group.edited", name=inert(group.name), where=_where(group))
    # Whether the public web page shows it, said every time: hiding must be visible.
    text += "\n" + t("group.public.shown" if group.public else "group.public.hidden")
    if admitted:
        text += "\n" + tn("group.opened.admitted", admitted)
    return Reply(text, ephemeral=True)


def archived(group: Group) -> Reply:
    return Reply(t("group.archived", name=inert(group.name)), ephemeral=True)


def listing(groups: list[Group], page: int, region: str | None) -> Reply:
    if not groups and region:
        return Reply(t("group.list.empty_region", region=inert(region)), ephemeral=True)
    if not groups:
        return Reply(t("group.list.empty"), ephemeral=True)
    pages = max(1, -(-len(groups) // PAGE_SIZE))
    page = min(max(page, 1), pages)
    shown = groups[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    by_region: dict[str, list[str]] = {}
    for group in shown:
        line = f"• **{inert(group.name)}** — {inert(group.city)}"
        by_region.setdefault(f"{group.region} ({group.country})", []).append(line)
    embed = Embed(
        title=tn("group.list.title", len(groups)),
        fields=tuple(EmbedField(inert(r), "\n".join(lines)) for r, lines in by_region.items()),
        footer=t("group.list.page", page=page, pages=pages),
    )
    suffix = f":{region}" if region else ""
    buttons = []
    if page > 1:
        buttons.append(Button(f"group:list:{page - 1}{suffix}", t("button.previous")))
    if page < pages:
        buttons.append(Button(f"group:list:{page + 1}{suffix}", t("button.next")))
    return Reply(embeds=(embed,), buttons=tuple(buttons), ephemeral=True)


def info(group: Group, members: list[Member], meeting: Meeting | None, *, topic: bool) -> Reply:
    """The directory entry; `topic`: whether the reader may see the meeting's topic (it is
    the group's content: its members', moderators' and admins')."""
    initiators = ", ".join(inert(m.name) for m in members if m.is_initiator) or t("group.none")
    count = sum(1 for m in members if m.status is MemberStatus.MEMBER)
    fields = [
        EmbedField(t("group.field.where"), _where(group), inline=True),
        EmbedField(t("group.field.initiators"), initiators, inline=True),
        EmbedField(t("group.field.members"), format_number(count), inline=True),
        EmbedField(
            t("group.field.join"), t(f"group.join_mode.{group.join_mode.value}"), inline=True
        ),
        EmbedField(
            t("group.field.next_meeting"),
            meeting_line(meeting, topic=topic) if meeting else t("group.none"),
        ),
    ]
    if group.status.value == "archived":
        fields.append(EmbedField(t("group.field.status"), t("group.status.archived")))
    embed = Embed(
        title=inert(group.name), description=inert(group.description), fields=tuple(fields)
    )
    return Reply(embeds=(embed,), ephemeral=True)


def members_list(group: Group, members: list[Member]) -> Reply:
    active = [m for m in members if m.status is MemberStatus.MEMBER]
    if not active:
        return Reply(t("group.members.empty", name=inert(group.name)), ephemeral=True)
    lines = [tn("group.members.title", len(active), name=inert(group.name))]
    for member in active:
        details = " · ".join(inert(x) for x in (member.library, member.town) if x)
        badge = f" ({t('role.initiator')})" if member.is_initiator else ""
        lines.append(f"• {inert(member.name)}{badge}" + (f" — {details}" if details else ""))
    pending = [m for m in members if m.status is MemberStatus.PENDING]
    if pending:
        lines.append(tn("group.members.pending", len(pending)))
    return Reply("\n".join(lines), ephemeral=True)


def joined(group: Group, access: Access | None) -> Reply:
    """Welcome, and where the channel stands for them: let in now (or an invitation
    waits), in it already, or the platform refused to let them in."""
    key = {
        Access.HELD: "group.joined_in_room",
        None: "group.joined_not_let_in",
    }.get(access, "group.joined")
    channel = inert(group.channel_name or "")
    return Reply(t(key, name=inert(group.name), channel=channel), ephemeral=True)


def requested(group: Group) -> Reply:
    return Reply(t("group.requested", name=inert(group.name)), ephemeral=True)


def already(group: Group, status: MemberStatus, access: Access | None) -> Reply:
    """A member (an invitation into the channel waiting for them is named), or a request
    still waiting."""
    if status is not MemberStatus.MEMBER:
        key = "group.already_pending"
    elif access is Access.INVITED:
        key = "group.already_member_invited"
    else:
        key = "group.already_member"
    channel = inert(group.channel_name or "")
    return Reply(t(key, name=inert(group.name), channel=channel), ephemeral=True)


def left(group: Group, *, request: bool = False, last_initiator: bool = False) -> Reply:
    """A member left, or a request to join was withdrawn; the last initiator is told the
    group has none now."""
    key = "group.request_withdrawn" if request else "group.left"
    text = t(key, name=inert(group.name))
    if last_initiator:
        text += "\n" + t(
            "group.left.last_initiator",
            name=inert(group.name),
            typed=inert(command_value(group.name)),
        )
    return Reply(text, ephemeral=True)


def without_initiator(group: Group, waiting: int) -> Reply:
    """For the moderators, in the log channel: a group lost its last initiator."""
    typed = inert(command_value(group.name))
    text = t("group.orphaned", name=inert(group.name), typed=typed)
    if waiting:
        text += "\n" + tn("group.orphaned.waiting", waiting, typed=typed)
    return Reply(text)


def approval_request(group: Group, user_id: str, name: str) -> Reply:
    return Reply(
        t("group.approval.request", user=inert(name), name=inert(group.name)),
        buttons=(
            Button(f"group:approve:{group.id}:{user_id}", t("button.approve"), ButtonStyle.SUCCESS),
            Button(f"group:decline:{group.id}:{user_id}", t("button.decline"), ButtonStyle.DANGER),
        ),
    )


def decision_for_director(
    group: Group, approved: bool, *, opened: bool = False, asks_again: datetime | None = None
) -> Reply:
    """The decision on a request, told to the person who asked: let in because the group
    opened to everyone (`opened`), and after a decline when they may ask again."""
    if opened:
        return Reply(t("group.approval.opened", name=inert(group.name)))
    key = "group.approval.approved" if approved else "group.approval.declined"
    text = t(key, name=inert(group.name))
    if asks_again is not None:
        text += "\n" + t("group.approval.asks_again", when=when(asks_again))
    return Reply(text)


def decision_for_initiator(group: Group, name: str, approved: bool) -> Reply:
    key = "group.approval.done_approved" if approved else "group.approval.done_declined"
    return Reply(t(key, user=inert(name), name=inert(group.name)), ephemeral=True)


def near(
    place: Place, found: list[tuple[Group, float]], radius_km: float, *, join: bool = False
) -> Reply:
    """The groups near a place, nearest first with their distances; with `join`, a button
    to join each of the nearest (the welcome's "Find a group near me")."""
    if not found:
        text = t("group.near.none", place=inert(place.label()), radius=format_number(radius_km))
        return Reply(
            text,
            buttons=(Button("group:guide", t("button.guide"), ButtonStyle.PRIMARY),),
            ephemeral=True,
        )
    lines = [t("group.near.title", place=inert(place.label()))]
    shown = found[:NEAR_SHOWN]
    for group, km in shown:
        distance = format_number(round(km))
        lines.append(t("group.near.line", name=inert(group.name), where=_where(group), km=distance))
    buttons = tuple(join_button(group) for group, _ in shown) if join else ()
    return Reply("\n".join(lines), buttons=buttons, ephemeral=True)


def join_button(group: Group) -> Button:
    """`/group join` in one press; for a group by approval it asks to join."""
    key = "button.group_ask" if group.join_mode is JoinMode.APPROVAL else "button.group_join"
    return Button(f"group:join:{group.id}", t(key, name=group.name)[:80], ButtonStyle.SUCCESS)


def no_groups_to_map(region: str | None) -> Reply:
    if region:
        return Reply(t("group.map.none_in_region", region=inert(region)), ephemeral=True)
    return Reply(t("group.map.none"), ephemeral=True)


def map_reply(groups: list[Group], png: bytes, region: str | None) -> Reply:
    text = tn("group.map.caption", len(groups), region=inert(region or t("group.map.everywhere")))
    return Reply(text, files=(Attachment("groups-map.png", png),))


def guide_parts() -> list[str]:
    """The guide in the current language, cut at its sections to fit Discord's limit."""
    text = _guide_text(current_locale()) or _guide_text(DEFAULT_LOCALE) or ""
    sections = [s for s in text.split("\n## ") if s.strip()]
    parts: list[str] = []
    for i, section in enumerate(sections):
        body = section if i == 0 else "## " + section
        parts += chunks(body, MESSAGE_LIMIT)
    return parts


def _guide_text(locale: str) -> str | None:
    path = guides_dir() / locale / GUIDE_FILE
    return path.read_text(encoding="utf-8") if path.exists() else None


def guides_dir() -> Path:
    return Path(str(resources.files("bot"))).parent / "data" / "guides"


def profile_saved(profile: Profile) -> Reply:
    lines = [
        t(
            "profile.saved",
            library=inert(profile.library) or "—",
            town=inert(profile.town) or "—",
        )
    ]
    if profile.full_name:
        lines.append(t("profile.full_name", name=inert(profile.full_name)))
    lines.append(t("profile.name_shown" if profile.show_name else "profile.name_hidden"))
    return Reply("\n".join(lines), ephemeral=True)


def profile_shown(name: str, profile: Profile | None, groups: list[Group]) -> Reply:
    library = inert(profile.library) if profile and profile.library else "—"
    town = inert(profile.town) if profile and profile.town else "—"
    names = ", ".join(inert(g.name) for g in groups) or "—"
    shown_name = profile.full_name if profile and profile.full_name else name
    return Reply(
        t("profile.shown", user=inert(shown_name), library=library, town=town, groups=names),
        ephemeral=True,
    )


def meeting_line(meeting: Meeting, *, topic: bool = True) -> str:
    """When and where; the topic only for those who see the group's content (`topic`):
    the places that answer anyone (the directory, /group meeting next) say whether."""
    shown = f" — {inert(meeting.topic)}" if topic and meeting.topic else ""
    return t("meeting.line", when=when(meeting.starts_at), host=inert(meeting.host)) + shown


def meeting_announcement(group: Group, meeting: Meeting) -> Reply:
    lines = [t("meeting.announcement", name=inert(group.name)), meeting_line(meeting)]
    lines.append(t("meeting.announcement_hint"))
    return Reply("\n".join(lines))


def meeting_reminder(group: Group, meeting: Meeting) -> Reply:
    return Reply(
        t(
            "meeting.reminder",
            name=inert(group.name),
            time=stamp(meeting.starts_at, "F"),
            host=inert(meeting.host),
        )
        + (f"\n{inert(meeting.topic)}" if meeting.topic else "")
    )


def meeting_planned(
    group: Group,
    meeting: Meeting,
    hosts: list[str],
    *,
    rule: Repetition | None = None,
    asked: datetime | None = None,
    upcoming: tuple[datetime, ...] = (),
) -> Reply:
    """The plan confirmed; a repeating one says its rule in words and its next dates, and
    plainly when the first meeting is not the date asked for (it did not fit the rule)."""
    rotation = " → ".join(inert(h) for h in hosts)
    lines = [t("meeting.planned", name=inert(group.name), rotation=rotation)]
    if rule is not None:
        lines.append(t("meeting.repeats", rule=describe(rule)))
        if asked is not None and abs((asked - meeting.starts_at).total_seconds()) >= 1:
            lines.append(
                t("repeat.first_moved", asked=stamp(asked, "F"), first=when(meeting.starts_at))
            )
    lines.append(meeting_line(meeting))
    if upcoming:
        lines.append(next_dates(upcoming))
    return Reply("\n".join(lines), ephemeral=True)


def meeting_replace_ask(group: Group, coming: Meeting) -> Reply:
    """Another plan is in force: the meeting it still has coming, and how to replace it."""
    return Reply(
        t("meeting.replace_ask", name=inert(group.name)) + "\n" + meeting_line(coming),
        ephemeral=True,
    )


def meeting_unchanged(group: Group, coming: Meeting) -> Reply:
    return Reply(
        t("meeting.unchanged", name=inert(group.name)) + "\n" + meeting_line(coming),
        ephemeral=True,
    )


def meeting_next(group: Group, meeting: Meeting | None, *, topic: bool) -> Reply:
    if meeting is None:
        return Reply(t("meeting.none_planned", name=inert(group.name)), ephemeral=True)
    return Reply(
        t("meeting.next", name=inert(group.name)) + "\n" + meeting_line(meeting, topic=topic),
        ephemeral=True,
    )


def meeting_skipped(group: Group, skipped: Meeting, following: Meeting) -> Reply:
    """Which meeting was skipped, and the next one: the skipped meeting's host keeps
    their turn, at the next date."""
    lines = [
        t("meeting.skipped", name=inert(group.name)),
        meeting_line(skipped),
        t("meeting.skipped.next", host=inert(skipped.host)),
        meeting_line(following),
    ]
    return Reply("\n".join(lines), ephemeral=True)


def platform_gone(group: Group) -> Reply:
    return Reply(
        t("group.platform_gone", name=inert(group.name)),
        buttons=(Button(f"group:repair:{group.id}", t("button.repair"), ButtonStyle.PRIMARY),),
    )


# -- proposals to start a group, and a new group's checklist -----------------------------


def proposed(proposal: Proposal, *, carded: bool) -> Reply:
    """The proposer's answer: on its way to the moderators (a card in the log channel), or
    waiting for one to look at /group proposals."""
    key = "group.proposal.sent" if carded else "group.proposal.sent_waiting"
    return Reply(
        t(key, name=inert(proposal.name), city=inert(proposal.city), id=proposal.id),
        ephemeral=True,
    )


def proposal_removed(proposal: Proposal) -> Reply:
    """A card whose proposer was forgotten: the proposal went with them."""
    return Reply(
        t(
            "group.proposal.card_removed",
            id=proposal.id,
            name=inert(proposal.name),
            city=inert(proposal.city),
        )
    )


def proposal_card(proposal: Proposal, proposer: str, where: str) -> Reply:
    """The card for moderators: while it waits, with its buttons; once decided, with the
    outcome and who decided, and no buttons left to press. `where` names the town with its
    region, so that one of many namesakes ("Laski") is seen for the one it is."""
    lines = [
        t(
            "group.proposal.card",
            id=proposal.id,
            user=inert(proposer) or t("group.proposal.someone"),
            name=inert(proposal.name),
            city=inert(where),
            join=t(f"group.join_mode.{proposal.join_mode.value}"),
        )
    ]
    if proposal.description:
        lines.append(inert(proposal.description))
    if proposal.status is not ProposalStatus.PENDING:
        lines.append(_card_outcome(proposal))
        return Reply("\n\n".join(lines))
    lines.append(t("group.proposal.card_hint", id=proposal.id))
    return Reply(
        "\n\n".join(lines),
        buttons=(
            Button(
                f"group:proposal:approve:{proposal.id}",
                t("button.proposal.approve"),
                ButtonStyle.SUCCESS,
            ),
            Button(
                f"group:proposal:decline:{proposal.id}", t("button.decline"), ButtonStyle.DANGER
            ),
        ),
    )


def _card_outcome(proposal: Proposal) -> str:
    decider = inert(proposal.decider_name or "") or t("group.proposal.someone")
    if proposal.status is ProposalStatus.APPROVED:
        return t("group.proposal.card_approved", decider=decider)
    outcome = t("group.proposal.card_declined", decider=decider)
    if proposal.reason:
        outcome += "\n" + t("group.proposal.reason", reason=inert(proposal.reason))
    return outcome


def proposal_list(proposals: list[tuple[Proposal, str]]) -> Reply:
    if not proposals:
        return Reply(t("group.proposal.list.empty"), ephemeral=True)
    lines = [t("group.proposal.list.title", n=len(proposals))]
    for proposal, proposer in proposals:
        lines.append(
            t(
                "group.proposal.list.line",
                id=proposal.id,
                name=inert(proposal.name),
                city=inert(proposal.city),
                user=inert(proposer) or t("group.proposal.someone"),
                join=t(f"group.join_mode.{proposal.join_mode.value}"),
            )
        )
    lines.append(t("group.proposal.list.hint"))
    return Reply("\n".join(lines), ephemeral=True)


def already_decided(proposal: Proposal) -> UserError:
    """That a proposal was decided before, and by whom (a second decision is refused)."""
    key = (
        "group.proposal.already_approved"
        if proposal.status is ProposalStatus.APPROVED
        else "group.proposal.already_declined"
    )
    decider = inert(proposal.decider_name or "") or t("group.proposal.someone")
    return UserError(key, id=proposal.id, name=inert(proposal.name), decider=decider)


def proposal_decided(proposal: Proposal, proposer: str, changed: bool) -> Reply:
    """What the moderator who decided is told; a second decision says who decided first."""
    name = inert(proposal.name)
    if not changed:
        return Reply(already_decided(proposal).render(), ephemeral=True)
    user = inert(proposer) or t("group.proposal.someone")
    if proposal.status is ProposalStatus.APPROVED:
        return Reply(t("group.proposal.done_approved", name=name, user=user), ephemeral=True)
    return Reply(t("group.proposal.done_declined", name=name, user=user), ephemeral=True)


def proposal_approved(checklist: Checklist) -> Reply:
    """The proposer's direct message: approved, the checklist, and the guide to starting a
    group (cut into messages by the front end)."""
    group = checklist.group
    head = t(
        "group.proposal.approved",
        name=inert(group.name),
        channel=inert(group.channel_name or ""),
    )
    parts = [head, checklist_text(checklist), *guide_parts()]
    return Reply("\n\n".join(parts))


def proposal_declined(proposal: Proposal) -> Reply:
    lines = [t("group.proposal.declined", name=inert(proposal.name))]
    if proposal.reason:
        lines.append(t("group.proposal.reason", reason=inert(proposal.reason)))
    lines.append(t("group.proposal.declined_hint"))
    return Reply("\n".join(lines))


def checklist_text(checklist: Checklist) -> str:
    name = inert(checklist.group.name)
    steps = (
        (checklist.meeting_planned, t("group.checklist.meeting", name=name)),
        (
            checklist.directors_invited,
            t("group.checklist.directors", name=inert(command_value(checklist.group.name))),
        ),
        (checklist.hosts_set, t("group.checklist.hosts", name=name)),
    )
    lines = [t("group.checklist.title", name=name)]
    lines += [f"{'✅' if done else '⬜'} {text}" for done, text in steps]
    if checklist.done:
        lines.append(t("group.checklist.done"))
    return "\n".join(lines)


def checklists(found: list[Checklist]) -> Reply:
    if not found:
        return Reply(t("group.checklist.none"), ephemeral=True)
    return Reply("\n\n".join(checklist_text(c) for c in found), ephemeral=True)
