"""From a discord.py Interaction to a core Request, and from a core Reply to a response."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands

from bot.dispatch import Request
from bot.i18n import use_locale
from bot.refs import Actor, ChannelRef, RoleRef, UserRef, platform_id
from bot.replies import Reply
from cogs.render import message_parts

if TYPE_CHECKING:
    from cogs.client import PodajBot

log = logging.getLogger(__name__)

PLATFORM = "discord"
# Discord wants a first answer within 3 s; past this we defer and answer by followup.
DEFER_AFTER = 2.0
_CHANNEL_TYPES = (
    app_commands.AppCommandChannel,
    app_commands.AppCommandThread,
    discord.abc.GuildChannel,
    discord.Thread,
)


def user_ref(user: discord.abc.User) -> UserRef:
    return UserRef(platform_id(PLATFORM, user.id), user.display_name)


def channel_ref(channel: Any) -> ChannelRef:
    name = getattr(channel, "name", None) or ""
    parent = getattr(channel, "parent_id", None) if _is_thread(channel) else None
    return ChannelRef(
        platform_id(PLATFORM, channel.id),
        name,
        platform_id(PLATFORM, parent) if parent else None,
    )


def _is_thread(channel: Any) -> bool:
    return isinstance(channel, discord.Thread | app_commands.AppCommandThread)


def role_ref(role: discord.Role) -> RoleRef:
    return RoleRef(platform_id(PLATFORM, role.id), role.name)


def guild_id(guild_snowflake: int | None) -> str:
    return platform_id(PLATFORM, guild_snowflake or "dm")


def request_from(interaction: discord.Interaction) -> Request:
    user = interaction.user
    member = user if isinstance(user, discord.Member) else None
    actor = Actor(
        user_ref(user),
        is_admin=bool(member and member.guild_permissions.administrator),
        platform_roles=frozenset(platform_id(PLATFORM, r.id) for r in member.roles)
        if member
        else frozenset(),
    )
    channel = interaction.channel
    where = channel_ref(channel) if channel else ChannelRef(guild_id(None), "")
    return Request(PLATFORM, guild_id(interaction.guild_id), where, actor, str(interaction.locale))


def bot_of(interaction: discord.Interaction) -> PodajBot:
    return interaction.client  # type: ignore[return-value]


async def send_form(interaction: discord.Interaction, make: Callable[[], discord.ui.Modal]) -> None:
    """Open the form a button stands for, worded in the language of whoever pressed it."""
    request = request_from(interaction)
    community = bot_of(interaction).app.community
    locale = await community.locale_for(
        request.actor.user.id, request.guild_id, request.locale_hint
    )
    with use_locale(locale):
        form = make()
    await interaction.response.send_modal(form)


async def run(interaction: discord.Interaction, path: str, **args: Any) -> None:
    """Run a core command for this interaction and send its reply."""
    dispatcher = bot_of(interaction).app.dispatcher
    await answer(interaction, dispatcher.run(request_from(interaction), path, _refs(args)))


async def press(interaction: discord.Interaction, custom_id: str) -> None:
    dispatcher = bot_of(interaction).app.dispatcher
    await answer(interaction, dispatcher.press(request_from(interaction), custom_id))


async def complete(
    interaction: discord.Interaction, path: str, option: str, current: str
) -> list[app_commands.Choice[str]]:
    dispatcher = bot_of(interaction).app.dispatcher
    found = await dispatcher.complete(request_from(interaction), path, option, current)
    return [app_commands.Choice(name=c.name[:100], value=c.value[:100]) for c in found]


async def answer(interaction: discord.Interaction, pending: Any) -> None:
    """Send the reply; defer first when the core takes longer than Discord waits."""
    task: asyncio.Task[Reply] = asyncio.ensure_future(pending)
    done, _ = await asyncio.wait({task}, timeout=DEFER_AFTER)
    if not done and not interaction.response.is_done():
        await interaction.response.defer(ephemeral=True, thinking=True)
    reply = await task
    parts = message_parts(reply)
    # Deferred here or by the cog before the core ran (e.g. slow member lookups).
    if interaction.response.is_done() and not reply.ephemeral:
        await _public_after_defer(interaction, parts)
        return
    first, rest = parts[0], parts[1:]
    if interaction.response.is_done():
        await interaction.followup.send(ephemeral=reply.ephemeral, **first)
    else:
        await interaction.response.send_message(ephemeral=reply.ephemeral, **first)
    for part in rest:
        await interaction.followup.send(ephemeral=reply.ephemeral, **part)


async def _public_after_defer(
    interaction: discord.Interaction, parts: list[dict[str, Any]]
) -> None:
    """The "thinking…" placeholder had to be ephemeral (that is chosen when deferring,
    before the reply is known), and Discord gives the first followup the placeholder's
    visibility. So the placeholder is filled in first, the reply goes out as public
    followups, and the placeholder is removed."""
    await interaction.edit_original_response(content="…")
    for part in parts:
        await interaction.followup.send(ephemeral=False, **part)
    try:
        await interaction.delete_original_response()
    except discord.HTTPException:
        # The answer is out; a placeholder left behind must not turn into an error.
        log.warning("the placeholder of interaction %s stayed", interaction.id)


def _refs(args: dict[str, Any]) -> dict[str, Any]:
    """discord.py objects in options become the core's platform-neutral references."""
    out: dict[str, Any] = {}
    for name, value in args.items():
        if isinstance(value, discord.Role):
            out[name] = role_ref(value)
        elif isinstance(value, discord.abc.User):
            out[name] = user_ref(value)
        elif isinstance(value, _CHANNEL_TYPES):
            out[name] = channel_ref(value)
        else:
            out[name] = value
    return out
