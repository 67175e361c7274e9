"""/group … and /profile …: local groups from the user's side.

The /group meeting commands are MeetingCommands' (meeting_commands.py), registered from here
with the group's name option and the check of who manages a group; proposing a group and a
new group's checklist are ProposalCommands' (proposal_commands.py), registered next.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from datetime import timedelta
from functools import partial

from bot.audit.service import AuditLog
from bot.commands import Choice, Command, Invocation, Limit, Option, OptionType, Registry
from bot.errors import Refused, UserError
from bot.groups import messages
from bot.groups.meeting_commands import MeetingCommands, topic_shown
from bot.groups.model import MAX_DESCRIPTION, MAX_NAME, Group, JoinMode, MemberStatus
from bot.groups.options import new_group_options, place_completer
from bot.groups.proposal_commands import ProposalCommands
from bot.groups.wiring import Groups
from bot.i18n import t, use_locale
from bot.offload import MAP_SECONDS, off_loop
from bot.refs import UserRef
from bot.replies import Reply
from bot.roles import Role
from bot.text import command_value, inert, normalize
from bot.visibility import Visibility

DEFAULT_RADIUS_KM = 50


class GroupCommands:
    def __init__(
        self,
        groups: Groups,
        audit: AuditLog,
        visibility: Visibility,
        *,
        server_locale: Callable[[str], Awaitable[str]],
    ) -> None:
        self._groups = groups
        self._visibility = visibility
        # Posts for everyone (the map) are in the server's language, whoever asks.
        self._server_locale = server_locale
        self._audit = audit
        self._directory = groups.directory
        self._management = groups.management
        self._membership = groups.membership
        self._meetings = groups.meetings
        self._profiles = groups.profiles

    def register(self, registry: Registry) -> None:
        name = Option("name", required=True, autocomplete=self._complete_group, max_length=MAX_NAME)
        user = Option("user", OptionType.USER, required=True)
        region = Option("region", autocomplete=self._complete_region, max_length=60)
        registry.add(
            # A new group goes through the moderators: directors and initiators propose
            # one (/group propose); being an initiator of one group makes no other.
            Command(
                "group create",
                Role.MODERATOR,
                self.create,
                (*new_group_options(self._directory), Option("initiator", OptionType.USER)),
                audit=True,
                limit=Limit(3, timedelta(days=1)),  # each makes a role and a channel
            ),
            Command(
                "group edit",
                Role.INITIATOR,
                self.edit,
                (
                    name,
                    Option("new_name", max_length=MAX_NAME),
                    Option("city", autocomplete=place_completer(self._directory), max_length=100),
                    Option("description", max_length=MAX_DESCRIPTION),
                    Option("join", choices=("open", "approval")),
                    # Shown on the public web page, or hidden from it.
                    Option("public", choices=("yes", "no")),
                ),
                audit=True,
            ),
            Command("group archive", Role.INITIATOR, self.archive, (name,), audit=True),
            Command("group repair", Role.INITIATOR, self.repair, (name,), audit=True),
            Command(
                "group initiator add", Role.ADMIN, self.initiator_add, (name, user), audit=True
            ),
            Command(
                "group initiator remove",
                Role.ADMIN,
                self.initiator_remove,
                (name, user),
                audit=True,
            ),
            Command(
                "group list",
                Role.DIRECTOR,
                self.list,
                (region, Option("page", OptionType.INTEGER, min_value=1, max_value=1000)),
            ),
            Command("group info", Role.DIRECTOR, self.info, (name,)),
            Command("group members", Role.DIRECTOR, self.members, (name,)),
            # A request to an approval group is posted for its initiators.
            Command(
                "group join", Role.DIRECTOR, self.join, (name,), limit=Limit(5, timedelta(hours=1))
            ),
            Command("group leave", Role.DIRECTOR, self.leave, (name,)),
            Command("group approve", Role.INITIATOR, self.approve, (name, user), audit=True),
            Command("group decline", Role.INITIATOR, self.decline, (name, user), audit=True),
            Command(
                "group near",
                Role.DIRECTOR,
                self.near,
                (
                    Option(
                        "place",
                        required=True,
                        autocomplete=place_completer(self._directory),
                        max_length=100,
                    ),
                    Option("radius_km", OptionType.INTEGER, min_value=1, max_value=1000),
                ),
            ),
            Command("group map", Role.DIRECTOR, self.map, (region,)),
            Command("group guide", Role.DIRECTOR, self.guide),
        )
        # The meetings' commands come next and take the group's name option and its check
        # of who manages a group.
        MeetingCommands(self._directory, self._meetings, self._managed, self._visibility).register(
            registry, name
        )
        ProposalCommands(self._groups, self._audit).register(registry)
        registry.add(
            Command(
                "profile set",
                Role.DIRECTOR,
                self.profile_set,
                (
                    Option("name", max_length=100),
                    Option("library", max_length=200),
                    Option("town", max_length=100),
                    # The name on the public web page, beside the groups one initiates.
                    Option("show_name", choices=("yes", "no")),
                ),
            ),
            Command(
                "profile show", Role.DIRECTOR, self.profile_show, (Option("user", OptionType.USER),)
            ),
        )
        registry.add_button(r"group:list:(?P<page>\d{1,4})(?::(?P<region>.+))?", self.press_list)
        registry.add_button(
            r"group:(?P<decision>approve|decline):(?P<group_id>\d{1,18}):(?P<user_id>.+)",
            self.press_decision,
        )
        registry.add_button(r"group:guide", self.guide)
        registry.add_button(
            r"group:join:(?P<group_id>\d{1,18})", self.press_join, counts_as="group join"
        )
        registry.add_button(r"group:repair:(?P<group_id>\d{1,18})", self.press_repair)

    # -- helpers ---------------------------------------------------------------------

    async def _managed(self, ctx: Invocation, name: str) -> Group:
        """The group, if the actor may manage it: an admin, or one of its initiators."""
        group = await self._directory.get(ctx.guild_id, name)
        await self._require_manager(ctx, group)
        return group

    async def _require_manager(self, ctx: Invocation, group: Group) -> None:
        # Being one of the group's initiators is checked on its own: a button pressed in a
        # DM carries no server, so the server role cannot be seen there. An admin's rights
        # count only in the group's own server (a forged button id cannot reach across).
        admin_here = ctx.role >= Role.ADMIN and ctx.guild_id == group.guild_id
        if admin_here or await self._directory.is_initiator(group, ctx.actor.user.id):
            return
        if ctx.role < Role.INITIATOR:
            raise Refused(Role.INITIATOR)
        raise UserError("error.group.not_yours", name=group.name)

    async def _complete_group(self, ctx: Invocation, current: str) -> list[Choice]:
        needle = normalize(current)
        groups = await self._directory.all(ctx.guild_id)
        return [Choice(g.name, g.name) for g in groups if needle in normalize(g.name)][:25]

    async def _complete_region(self, ctx: Invocation, current: str) -> list[Choice]:
        return [Choice(r, r) for r in await self._directory.regions(ctx.guild_id, current)][:25]

    # -- creating and managing -------------------------------------------------------

    async def create(
        self,
        ctx: Invocation,
        name: str,
        city: str,
        description: str = "",
        join: str = "open",
        initiator: UserRef | None = None,
    ) -> Reply:
        # Naming someone else an initiator is an admin's (as `/group initiator add` is);
        # a moderator's group is run by the moderator until an admin names one.
        if initiator is not None and initiator.id != ctx.actor.user.id and ctx.role < Role.ADMIN:
            raise UserError("error.group.initiator_needs_admin")
        if not normalize(name):
            raise UserError("error.group.bad_name")
        group = await self._management.create(
            ctx.guild_id,
            name=name,
            city=city,
            description=description,
            join=JoinMode(join),
            creator=ctx.actor.user,
            initiator=initiator,
        )
        # A second group in a served town is the moderator's call (a big city may want
        # two), so it is made, and the answer names the group that meets there already.
        return messages.created(group, await self._directory.served_besides(group))

    async def edit(
        self,
        ctx: Invocation,
        name: str,
        new_name: str | None = None,
        city: str | None = None,
        description: str | None = None,
        join: str | None = None,
        public: str | None = None,
    ) -> Reply:
        group = await self._managed(ctx, name)
        if new_name is not None and not normalize(new_name):
            raise UserError("error.group.bad_name")
        updated = await self._management.edit(
            group,
            new_name=new_name,
            city=city,
            description=description,
            join=JoinMode(join) if join else None,
            public=None if public is None else public == "yes",
        )
        # Open to everyone now: the requests that waited are let in, not left stuck.
        admitted = await self._membership.admit_waiting(updated) if join == "open" else []
        return messages.edited(updated, len(admitted))

    async def archive(self, ctx: Invocation, name: str) -> Reply:
        return messages.archived(await self._management.archive(await self._managed(ctx, name)))

    async def repair(self, ctx: Invocation, name: str) -> Reply:
        return await self._repair(await self._managed(ctx, name))

    async def press_repair(self, ctx: Invocation, group_id: str) -> Reply:
        group = await self._group_by_id(ctx, int(group_id))
        await self._require_manager(ctx, group)
        return await self._repair(group)

    async def _repair(self, group: Group) -> Reply:
        repaired = await self._management.repair(group)
        if repaired is None:
            return Reply(t("group.repair.healthy", name=inert(group.name)), ephemeral=True)
        return messages.created(repaired)

    async def initiator_add(self, ctx: Invocation, name: str, user: UserRef) -> Reply:
        group = await self._directory.get(ctx.guild_id, name)
        changed = await self._management.set_initiator(group, user, on=True)
        key = "group.initiator.added" if changed else "group.initiator.already"
        return Reply(t(key, user=inert(user.name), name=inert(group.name)), ephemeral=True)

    async def initiator_remove(self, ctx: Invocation, name: str, user: UserRef) -> Reply:
        group = await self._directory.get(ctx.guild_id, name)
        changed = await self._management.set_initiator(group, user, on=False)
        key = "group.initiator.removed" if changed else "group.initiator.not_one"
        text = t(key, user=inert(user.name), name=inert(group.name))
        if changed and not any(m.is_initiator for m in await self._directory.members(group)):
            text += "\n" + t(
                "group.initiator.none_left",
                name=inert(group.name),
                typed=inert(command_value(group.name)),
            )
        return Reply(text, ephemeral=True)

    # -- the directory ---------------------------------------------------------------

    async def list(self, ctx: Invocation, region: str | None = None, page: int = 1) -> Reply:
        region = self._directory.region(region) if region else None  # shown by its proper name
        return messages.listing(await self._directory.all(ctx.guild_id, region), page, region)

    async def press_list(self, ctx: Invocation, page: str, region: str | None = None) -> Reply:
        return await self.list(ctx, region, int(page))

    async def info(self, ctx: Invocation, name: str) -> Reply:
        group = await self._directory.get(ctx.guild_id, name)
        members = await self._directory.members(group)
        meeting = await self._meetings.next_meeting(group)
        shown = await topic_shown(self._visibility, ctx, group)
        return messages.info(group, members, meeting, topic=shown)

    async def members(self, ctx: Invocation, name: str) -> Reply:
        group = await self._directory.get(ctx.guild_id, name)
        return messages.members_list(group, await self._directory.members(group))

    async def near(self, ctx: Invocation, place: str, radius_km: int = DEFAULT_RADIUS_KM) -> Reply:
        found = await self._directory.near(ctx.guild_id, place, radius_km)
        return messages.near(found.place, found.groups, radius_km)

    async def map(self, ctx: Invocation, region: str | None = None) -> Reply:
        region = self._directory.region(region) if region else None  # shown by its proper name
        groups = await self._directory.all(ctx.guild_id, region)
        if not groups:  # an empty map says nothing: say it in words, to the asker
            return messages.no_groups_to_map(region)
        # The map is posted for everyone: in the server's language, naming its region.
        with use_locale(await self._server_locale(ctx.guild_id)):
            title = t("group.map.title_region", region=region) if region else t("group.map.title")
            # Drawing takes up to a second: off the event loop, so others are not kept waiting.
            draw = partial(render_map, groups, region=region, title=title)
            png = await off_loop(MAP_SECONDS, draw)
            return messages.map_reply(groups, png, region)

    async def guide(self, ctx: Invocation) -> Reply:
        parts = messages.guide_parts()
        return Reply("\n\n".join(parts), ephemeral=True)

    # -- joining ---------------------------------------------------------------------

    async def join(self, ctx: Invocation, name: str) -> Reply:
        return await self._join(ctx, await self._directory.get(ctx.guild_id, name))

    async def press_join(self, ctx: Invocation, group_id: str) -> Reply:
        """A Join button under the groups near a place: a group of this server only."""
        group = await self._group_by_id(ctx, int(group_id))
        if group.guild_id != ctx.guild_id:
            raise UserError("error.group.gone")
        return await self._join(ctx, group)

    async def _join(self, ctx: Invocation, group: Group) -> Reply:
        outcome = await self._membership.join(group, ctx.actor.user)
        if not outcome.new:
            return messages.already(group, outcome.status, outcome.access)
        if outcome.status is MemberStatus.PENDING:
            return messages.requested(group)
        return messages.joined(group, outcome.access)

    async def leave(self, ctx: Invocation, name: str) -> Reply:
        group = await self._directory.get(ctx.guild_id, name)
        left = await self._membership.leave(group, ctx.actor.user.id)
        return messages.left(
            group,
            request=left.status is MemberStatus.PENDING,
            last_initiator=left.last_initiator,
        )

    async def approve(self, ctx: Invocation, name: str, user: UserRef) -> Reply:
        return await self._decide(ctx, await self._managed(ctx, name), user.id, user.name, True)

    async def decline(self, ctx: Invocation, name: str, user: UserRef) -> Reply:
        return await self._decide(ctx, await self._managed(ctx, name), user.id, user.name, False)

    async def press_decision(
        self, ctx: Invocation, decision: str, group_id: str, user_id: str
    ) -> Reply:
        group = await self._group_by_id(ctx, int(group_id))
        await self._require_manager(ctx, group)
        # Never the raw id: a request withdrawn or a person forgotten has no member row.
        name = await self._membership.name_of(user_id) or t("group.approval.someone")
        return await self._decide(ctx, group, user_id, name, decision == "approve", card=True)

    async def _decide(
        self,
        ctx: Invocation,
        group: Group,
        user_id: str,
        name: str,
        approve: bool,
        *,
        card: bool = False,
    ) -> Reply:
        await self._membership.decide(group, user_id, name, approve=approve, card=card)
        return messages.decision_for_initiator(group, name, approve)

    async def _group_by_id(self, ctx: Invocation, group_id: int) -> Group:
        group = await self._directory.by_id(group_id)
        if group is None:
            raise UserError("error.group.gone")
        return group

    # -- profiles --------------------------------------------------------------------

    async def profile_set(
        self,
        ctx: Invocation,
        library: str | None = None,
        town: str | None = None,
        show_name: str | None = None,
        name: str | None = None,
    ) -> Reply:
        if library is None and town is None and show_name is None and name is None:
            raise UserError("error.profile.nothing")
        shown = None if show_name is None else show_name == "yes"
        return messages.profile_saved(
            await self._profiles.set_profile(ctx.actor.user, library, town, shown, name)
        )

    async def profile_show(self, ctx: Invocation, user: UserRef | None = None) -> Reply:
        who = user or ctx.actor.user
        groups = await self._directory.groups_of(ctx.guild_id, who.id)
        return messages.profile_shown(who.name, await self._profiles.profile(who.id), groups)


def render_map(groups: Sequence[Group], *, region: str | None, title: str) -> bytes:
    """The groups' map as a PNG. Pillow and the drawing load with the first map (off the
    loop, like the drawing), not with every start."""
    from bot.geography import maps

    markers = [maps.Marker(g.lat, g.lon, g.name) for g in groups]
    return maps.render_map(markers, region=region, title=title)
