"""Creating and managing local groups: the group row and its space on the platform.

`GroupManagement` creates a group (its row, then its channel and role), edits, archives
and repairs it, names and unnames its initiators, and forgets a channel or role someone
deleted on the platform. Who joins and leaves is membership's; meetings are their own.
"""

from __future__ import annotations

import logging
from dataclasses import replace

from bot.clock import Clock
from bot.community.service import CommunityService
from bot.errors import UserError
from bot.geography.places import Gazetteer
from bot.groups import messages
from bot.groups.directory import find_place
from bot.groups.model import (
    Group,
    GroupStatus,
    JoinMode,
    MemberStatus,
    channel_slug,
    group_name,
)
from bot.groups.platform import GroupPlatform
from bot.groups.store import GroupStore
from bot.i18n import t
from bot.notify import Notifier
from bot.ports import DeliveryFailed, GroupSpace, GuildAdmin
from bot.refs import UserRef
from bot.roles import Role
from bot.text import inert, lookalike, normalize

log = logging.getLogger(__name__)


class GroupManagement:
    def __init__(
        self,
        store: GroupStore,
        clock: Clock,
        guilds: GuildAdmin,
        community: CommunityService,
        gazetteer: Gazetteer,
        platform: GroupPlatform,
        notify: Notifier,
    ) -> None:
        self._store = store
        self._clock = clock
        self._guilds = guilds
        self._community = community
        self._gazetteer = gazetteer
        self._platform = platform
        self._notify = notify

    async def create(
        self,
        guild_id: str,
        *,
        name: str,
        city: str,
        description: str,
        join: JoinMode,
        creator: UserRef,
        initiator: UserRef | None,
    ) -> Group:
        name = group_name(name, option="name")
        await self.refuse_lookalike(guild_id, name)
        place = find_place(self._gazetteer, city)
        draft = Group(
            id=0,
            guild_id=guild_id,
            name=name,
            city=place.name,
            region=place.region,
            country=place.country,
            lat=place.lat,
            lon=place.lon,
            description=description.strip(),
            join_mode=join,
            status=GroupStatus.ACTIVE,
            role_id=None,
            role_name=None,
            channel_id=None,
            channel_name=None,
        )
        now = self._clock.now()
        # The row first: it reserves the name, so two admins cannot make the same group.
        group_id = await self._store.add(draft, normalize(draft.name), place.id, creator.id, now)
        if group_id is None:
            raise UserError("error.group.exists", name=name)
        group = replace(draft, id=group_id)
        lead = initiator or creator
        try:
            group = await self._make_space(group, [lead.id])
        except UserError:
            await self._store.delete(group_id)  # nothing half-made stays behind
            raise
        await self._store.set_initiator(group.id, lead.id, True, now)
        await self._platform.give_role(group, lead.id)
        await self._community.grant(group.guild_id, lead, Role.INITIATOR, by=creator)
        await self._platform.post(group, lambda: messages.welcome(group))
        return group

    async def refuse_lookalike(self, guild_id: str, name: str, besides: int = 0) -> None:
        """A name that only looks like another group's (a Cyrillic "а", a soft hyphen)
        would let someone pass for that group: refused, naming the one it imitates. The
        same name in other letter case or without diacritics is the database's to refuse."""
        others = await self._store.all(guild_id, include_archived=True)
        taken = [g.name for g in others if g.id != besides and normalize(g.name) != normalize(name)]
        existing = lookalike(name, taken)
        if existing is not None:
            raise UserError("error.name_lookalike", name=inert(name), existing=inert(existing))

    async def _make_space(
        self, group: Group, managers: list[str], *, keep: GroupSpace | None = None
    ) -> Group:
        # The category is named in the server's language, whoever creates the group.
        locale = (await self._community.guild(group.guild_id)).locale
        category = t("group.category", locale=locale or self._community.default_locale)
        try:
            space = await self._guilds.create_group_space(
                group.guild_id,
                name=group.name,
                channel_name=channel_slug(group.name),
                category=category,
                managers=managers,
                keep=keep,
            )
        except DeliveryFailed as exc:
            log.warning("group %s: platform refused the channel or role: %s", group.name, exc)
            raise UserError("error.group.platform_failed") from exc
        updated = replace(
            group,
            role_id=space.role_id,
            role_name=space.role_name,
            channel_id=space.channel_id,
            channel_name=space.channel_name,
        )
        await self._store.update(updated, normalize(updated.name))
        return updated

    async def edit(
        self,
        group: Group,
        *,
        new_name: str | None,
        city: str | None,
        description: str | None,
        join: JoinMode | None,
        public: bool | None = None,
    ) -> Group:
        updated = group
        if city:
            place = find_place(self._gazetteer, city)
            updated = replace(
                updated,
                city=place.name,
                region=place.region,
                country=place.country,
                lat=place.lat,
                lon=place.lon,
            )
        if new_name:
            name = group_name(new_name, option="new_name")
            await self.refuse_lookalike(group.guild_id, name, besides=group.id)
            updated = replace(updated, name=name)
        if description is not None:
            updated = replace(updated, description=description.strip())
        if join is not None:
            updated = replace(updated, join_mode=join)
        if public is not None:
            updated = replace(updated, public=public)
        if not await self._store.update(updated, normalize(updated.name)):
            raise UserError("error.group.exists", name=updated.name)
        return updated

    async def archive(self, group: Group) -> Group:
        if group.status is GroupStatus.ARCHIVED:
            raise UserError("error.group.already_archived", name=group.name)
        if group.channel_id:
            try:
                await self._guilds.archive_channel(group.guild_id, group.channel_id, group.role_id)
            except DeliveryFailed as exc:
                raise UserError("error.group.platform_failed") from exc
        archived = replace(group, status=GroupStatus.ARCHIVED)
        await self._store.update(archived, normalize(archived.name))
        await self._store.cancel_planned(group.id)
        return archived

    async def repair(self, group: Group) -> Group | None:
        """Make the channel and role again after someone deleted them on the platform.
        The platform is asked whether they are there — the rows alone miss what was
        deleted while the bot was away. A group whose channel and role the platform
        confirms is left alone (None: making them again would double them)."""
        group = await self._verified(group)
        if group.channel_id and group.role_id:
            return None
        initiators = [m.user_id for m in await self._store.members(group.id) if m.is_initiator]
        # What is still there stays (a channel keeps its history); only the rest is made.
        kept = GroupSpace(
            group.role_id or "",
            group.role_name or "",
            group.channel_id or "",
            group.channel_name or "",
        )
        repaired = await self._make_space(group, initiators, keep=kept)
        for member in await self._store.members(group.id):
            if member.status is MemberStatus.MEMBER:
                await self._platform.give_role(repaired, member.user_id)
        return repaired

    async def _verified(self, group: Group) -> Group:
        """The group with the channel and role the platform no longer has forgotten."""
        try:
            channel = bool(group.channel_id) and await self._guilds.channel_exists(
                group.guild_id, group.channel_id or ""
            )
            role = bool(group.role_id) and await self._guilds.role_exists(
                group.guild_id, group.role_id or ""
            )
        except DeliveryFailed as exc:
            raise UserError("error.group.platform_unverified", name=inert(group.name)) from exc
        if channel and role:
            return group
        gone = replace(
            group,
            channel_id=group.channel_id if channel else None,
            channel_name=group.channel_name if channel else None,
            role_id=group.role_id if role else None,
            role_name=group.role_name if role else None,
        )
        if gone != group:
            await self._store.update(gone, normalize(gone.name))
        return gone

    async def platform_gone(
        self, *, channel_id: str | None = None, role_id: str | None = None
    ) -> None:
        """Someone deleted a group's channel or role on the platform: forget it and offer
        the initiators to make it again (never a crash on the next use)."""
        group = None
        if channel_id:
            group = await self._store.by_channel(channel_id)
        if group is None and role_id:
            group = await self._store.by_role(role_id)
        if group is None:
            return
        gone = replace(
            group,
            channel_id=None if group.channel_id == channel_id else group.channel_id,
            channel_name=None if group.channel_id == channel_id else group.channel_name,
            role_id=None if group.role_id == role_id else group.role_id,
            role_name=None if group.role_id == role_id else group.role_name,
        )
        await self._store.update(gone, normalize(gone.name))
        for member in await self._store.members(group.id):
            if member.is_initiator:
                await self._notify.tell(
                    member.user_id, group.guild_id, lambda: messages.platform_gone(gone)
                )

    async def set_initiator(self, group: Group, user: UserRef, *, on: bool) -> bool:
        """True when something changed."""
        membership = await self._store.membership(group.id, user.id)
        if bool(membership and membership[1]) == on:
            return False
        await self._community.remember(user)
        now = self._clock.now()
        if on:
            await self._store.set_initiator(group.id, user.id, True, now)
            await self._platform.give_role(group, user.id)
            # Running a group is what the initiator role means; a later removal leaves the
            # community role alone, since an admin may have granted it for other reasons.
            await self._community.grant(group.guild_id, user, Role.INITIATOR, by=user)
        else:
            await self._store.set_initiator(group.id, user.id, False, now)
        if group.channel_id:
            try:
                await self._guilds.set_channel_manager(
                    group.guild_id, group.channel_id, user.id, allowed=on
                )
            except DeliveryFailed as exc:
                log.warning("could not change channel rights in %s: %s", group.name, exc)
        return True
