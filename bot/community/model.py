"""Guild configuration, user preferences and role grants."""

from __future__ import annotations

from dataclasses import dataclass

from bot.refs import ChannelRef, RoleRef
from bot.roles import Role


@dataclass(frozen=True)
class GuildConfig:
    guild_id: str
    locale: str | None = None
    timezone: str | None = None
    forum: ChannelRef | None = None
    log: ChannelRef | None = None
    # On the public web page (web/) only when an admin said so, with the link it offers.
    public: bool = False
    invite: str | None = None


@dataclass(frozen=True)
class UserPrefs:
    user_id: str
    locale: str | None = None
    timezone: str | None = None


@dataclass(frozen=True)
class RoleGrant:
    user_id: str
    display_name: str
    role: Role


@dataclass(frozen=True)
class RoleMapping:
    role: Role
    platform_role: RoleRef


@dataclass(frozen=True)
class RoleChange:
    changed: bool
    # The mapped platform role that could not be given or taken, if any.
    platform_role_failed: str | None = None
