"""Use cases for guild setup, roles and user preferences."""

from __future__ import annotations

import logging
import re
from dataclasses import replace
from typing import Any

from bot.clock import Clock
from bot.community.model import GuildConfig, RoleChange, RoleGrant, RoleMapping, UserPrefs
from bot.community.store import CommunityStore
from bot.errors import UserError
from bot.i18n import normalize_locale
from bot.ports import DeliveryFailed, Members
from bot.refs import Actor, ChannelRef, RoleRef, UserRef
from bot.roles import GRANTABLE, Role
from bot.timelang.zones import choose_zone

log = logging.getLogger(__name__)


class CommunityService:
    def __init__(
        self,
        store: CommunityStore,
        clock: Clock,
        members: Members,
        *,
        default_locale: str,
        default_timezone: str,
    ) -> None:
        self._store = store
        self._clock = clock
        self._members = members
        self.default_locale = default_locale
        self.default_timezone = default_timezone

    # -- who and where ---------------------------------------------------------------

    async def effective_role(self, guild_id: str, actor: Actor) -> Role:
        """The highest of: guild administrator, granted roles, mapped platform roles."""
        if actor.is_admin:
            return Role.ADMIN
        roles = await self._store.granted_roles(guild_id, actor.user.id)
        if actor.platform_roles:
            mapped = await self._store.mappings(guild_id)
            roles |= {m.role for m in mapped if m.platform_role.id in actor.platform_roles}
        return max(roles, default=Role.DIRECTOR)

    async def locale_for(self, user_id: str, guild_id: str | None, hint: str | None = None) -> str:
        """The user's choice, else the client's language, else the guild's, else the default."""
        prefs = await self._store.prefs(user_id)
        if prefs.locale:
            return prefs.locale
        hinted = normalize_locale(hint)
        if hinted:
            return hinted
        if guild_id:
            guild = await self._store.guild(guild_id)
            if guild.locale:
                return guild.locale
        return self.default_locale

    async def locales_for(self, pairs: set[tuple[str, str]]) -> dict[tuple[str, str], str]:
        """locale_for many (user, guild) pairs at once, for deliveries in bulk."""
        chosen = await self._store.locales_of({user for user, _ in pairs})
        guilds = {guild: (await self._store.guild(guild)).locale for guild in {g for _, g in pairs}}
        return {
            (user, guild): chosen.get(user) or guilds[guild] or self.default_locale
            for user, guild in pairs
        }

    async def timezone_for(self, user_id: str, guild_id: str | None) -> str:
        prefs = await self._store.prefs(user_id)
        if prefs.timezone:
            return prefs.timezone
        if guild_id:
            guild = await self._store.guild(guild_id)
            if guild.timezone:
                return guild.timezone
        return self.default_timezone

    async def remember(self, user: UserRef) -> None:
        """Keep the user's display name, for lists that show people."""
        await self._store.remember_user(user, self._clock.now())

    async def display_name(self, user_id: str) -> str | None:
        return await self._store.display_name(user_id)

    async def server_locale(self, guild_id: str) -> str:
        """The server's language: what is posted for everyone there is written in it."""
        return (await self.guild(guild_id)).locale or self.default_locale

    async def guild(self, guild_id: str) -> GuildConfig:
        return await self._store.guild(guild_id)

    async def prefs(self, user_id: str) -> UserPrefs:
        return await self._store.prefs(user_id)

    # -- user settings ---------------------------------------------------------------

    async def set_language(self, user: UserRef, language: str) -> str:
        locale = _require_locale(language)
        prefs = await self._store.prefs(user.id)
        await self._save_prefs(user, replace(prefs, locale=locale))
        return locale

    async def set_timezone(self, user: UserRef, timezone: str) -> str:
        zone = _require_timezone(timezone)
        prefs = await self._store.prefs(user.id)
        await self._save_prefs(user, replace(prefs, timezone=zone))
        return zone

    async def _save_prefs(self, user: UserRef, prefs: UserPrefs) -> None:
        now = self._clock.now()
        await self._store.remember_user(user, now)
        await self._store.save_prefs(prefs, now)

    # -- guild setup -----------------------------------------------------------------

    async def configure(
        self,
        guild_id: str,
        *,
        forum: ChannelRef | None = None,
        log_channel: ChannelRef | None = None,
        language: str | None = None,
        timezone: str | None = None,
        public: bool | None = None,
        invite: str | None = None,
    ) -> GuildConfig:
        """Change the given settings, keep the others."""
        config = await self._store.guild(guild_id)
        changes: dict[str, Any] = {}
        if forum is not None:
            changes["forum"] = forum
        if log_channel is not None:
            changes["log"] = log_channel
        if language is not None:
            changes["locale"] = _require_locale(language)
        if timezone is not None:
            changes["timezone"] = _require_timezone(timezone)
        if invite is not None:
            changes["invite"] = _require_invite(invite)
        if public is not None:
            changes["public"] = public
        updated = replace(config, **changes)
        await self._store.save_guild(updated, self._clock.now())
        return updated

    async def map_role(self, guild_id: str, role: Role, platform_role: RoleRef) -> RoleMapping:
        if role not in GRANTABLE:
            raise UserError("error.role_not_grantable")
        mapping = RoleMapping(role, platform_role)
        await self._store.save_mapping(guild_id, mapping)
        return mapping

    async def mappings(self, guild_id: str) -> list[RoleMapping]:
        return await self._store.mappings(guild_id)

    # -- roles -----------------------------------------------------------------------

    async def grant(self, guild_id: str, user: UserRef, role: Role, by: UserRef) -> RoleChange:
        if role not in GRANTABLE:
            raise UserError("error.role_not_grantable")
        added = await self._store.grant(guild_id, user, role, by.id, self._clock.now())
        failed = await self._sync_platform_role(guild_id, user.id, role, add=True)
        return RoleChange(added, failed)

    async def revoke(self, guild_id: str, user: UserRef, role: Role) -> RoleChange:
        if role not in GRANTABLE:
            raise UserError("error.role_not_grantable")
        removed = await self._store.revoke(guild_id, user.id, role)
        failed = (
            await self._sync_platform_role(guild_id, user.id, role, add=False) if removed else None
        )
        return RoleChange(removed, failed)

    async def grants(self, guild_id: str) -> list[RoleGrant]:
        return await self._store.grants(guild_id)

    async def _sync_platform_role(
        self, guild_id: str, user_id: str, role: Role, *, add: bool
    ) -> str | None:
        """Give or take the mapped platform role; the name of the role on failure."""
        mapping = next((m for m in await self._store.mappings(guild_id) if m.role == role), None)
        if mapping is None:
            return None
        try:
            if add:
                await self._members.add_role(guild_id, user_id, mapping.platform_role.id)
            else:
                await self._members.remove_role(guild_id, user_id, mapping.platform_role.id)
        except DeliveryFailed as exc:
            # The grant in the database is what counts; the platform role is a convenience.
            log.warning("could not sync platform role %s for %s: %s", role.key, user_id, exc)
            return mapping.platform_role.name
        return None


# An invite the public page can link to: a web address, nothing a browser would run.
_INVITE = re.compile(r"^https://[^\s<>\"']{3,300}$")


def _require_invite(value: str) -> str | None:
    """An https link (a Discord invite, a matrix.to room), or "-" to remove it."""
    text = value.strip()
    if text in ("-", ""):
        return None
    if not _INVITE.match(text):
        raise UserError("error.setup.bad_invite", link=text[:100])
    return text


def _require_locale(value: str) -> str:
    locale = normalize_locale(value)
    if locale is None:
        raise UserError("error.unknown_language", value=value)
    return locale


def _require_timezone(value: str) -> str:
    return choose_zone(value)
