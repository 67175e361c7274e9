"""Permission bits and Discord's permission computation (base roles, then channel overwrites).

https://discord.com/developers/docs/topics/permissions#permission-overwrites
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .state import Channel, Guild

BITS: dict[str, int] = {
    "create_instant_invite": 1 << 0,
    "kick_members": 1 << 1,
    "ban_members": 1 << 2,
    "administrator": 1 << 3,
    "manage_channels": 1 << 4,
    "manage_guild": 1 << 5,
    "add_reactions": 1 << 6,
    "view_audit_log": 1 << 7,
    "view_channel": 1 << 10,
    "send_messages": 1 << 11,
    "send_tts_messages": 1 << 12,
    "manage_messages": 1 << 13,
    "embed_links": 1 << 14,
    "attach_files": 1 << 15,
    "read_message_history": 1 << 16,
    "mention_everyone": 1 << 17,
    "use_external_emojis": 1 << 18,
    "connect": 1 << 20,
    "speak": 1 << 21,
    "change_nickname": 1 << 26,
    "manage_nicknames": 1 << 27,
    "manage_roles": 1 << 28,
    "manage_webhooks": 1 << 29,
    "use_application_commands": 1 << 31,
    "manage_events": 1 << 33,
    "manage_threads": 1 << 34,
    "create_public_threads": 1 << 35,
    "create_private_threads": 1 << 36,
    "send_messages_in_threads": 1 << 38,
    "moderate_members": 1 << 40,
    "create_events": 1 << 44,
    "send_polls": 1 << 49,
}
ALL = (1 << 51) - 1

EVERYONE_DEFAULT = sum(
    BITS[name]
    for name in (
        "create_instant_invite",
        "add_reactions",
        "view_channel",
        "send_messages",
        "embed_links",
        "attach_files",
        "read_message_history",
        "use_external_emojis",
        "connect",
        "speak",
        "change_nickname",
        "use_application_commands",
        "create_public_threads",
        "create_private_threads",
        "send_messages_in_threads",
        "send_polls",
    )
)

# What the bot's managed role gets when it is "invited" to the default guild: everything
# the bot's features need, nothing more (no Administrator, so permission bugs surface).
BOT_DEFAULT = EVERYONE_DEFAULT | sum(
    BITS[name]
    for name in (
        "manage_channels",
        "manage_roles",
        "manage_messages",
        "manage_threads",
        "manage_events",
        "create_events",
        "mention_everyone",
        "moderate_members",
    )
)


def bit(name: str) -> int:
    try:
        return BITS[name]
    except KeyError:
        raise ValueError(f"unknown permission {name!r}; known: {sorted(BITS)}") from None


def base_permissions(guild: Guild, user_id: int) -> int:
    if user_id == guild.owner_id:
        return ALL
    member = guild.members.get(user_id)
    perms = guild.roles[guild.id].permissions
    for role_id in member.roles if member else []:
        role = guild.roles.get(role_id)
        if role is not None:
            perms |= role.permissions
    if perms & BITS["administrator"]:
        return ALL
    return perms


def channel_permissions(guild: Guild, user_id: int, channel: Channel) -> int:
    perms = base_permissions(guild, user_id)
    if perms == ALL:
        return ALL
    # Threads inherit their parent's overwrites.
    source = guild.channel_for_overwrites(channel)
    overwrites = {ow.id: ow for ow in source.overwrites}
    everyone = overwrites.get(guild.id)
    if everyone is not None:
        perms = (perms & ~everyone.deny) | everyone.allow
    member = guild.members.get(user_id)
    allow = deny = 0
    for role_id in member.roles if member else []:
        ow = overwrites.get(role_id)
        if ow is not None and ow.type == 0:
            allow |= ow.allow
            deny |= ow.deny
    perms = (perms & ~deny) | allow
    own = overwrites.get(user_id)
    if own is not None and own.type == 1:
        perms = (perms & ~own.deny) | own.allow
    # Without View Channel nothing else in the channel is possible.
    if not perms & BITS["view_channel"]:
        return 0
    return perms


def top_role_position(guild: Guild, user_id: int) -> int:
    member = guild.members.get(user_id)
    positions = [
        guild.roles[r].position for r in (member.roles if member else []) if r in guild.roles
    ]
    return max(positions, default=0)
