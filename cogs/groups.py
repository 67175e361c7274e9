"""/group and /profile on Discord, and noticing when a group's channel or role is deleted."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.refs import platform_id
from cogs.interactions import complete, run
from cogs.translator import english

if TYPE_CHECKING:
    from cogs.client import PodajBot

Name = app_commands.Range[str, 1, 60]
Text = app_commands.Range[str, 1, 1000]
Place = app_commands.Range[str, 1, 100]
JoinMode = Literal["open", "approval"]
Choices = list[app_commands.Choice[str]]


def _desc(path: str) -> str:
    return english("cmd." + path.replace(" ", ".") + ".desc")


def _opts(path: str, *names: str) -> dict[str, str]:
    stem = "cmd." + path.replace(" ", ".") + ".opt."
    return {name: english(stem + name) for name in names}


class GroupsCog(commands.Cog):
    group = app_commands.Group(name="group", description=_desc("group"), guild_only=True)
    initiator = app_commands.Group(
        name="initiator", description=_desc("group initiator"), parent=group
    )
    meeting = app_commands.Group(name="meeting", description=_desc("group meeting"), parent=group)
    profile = app_commands.Group(name="profile", description=_desc("profile"), guild_only=True)

    def __init__(self, bot: PodajBot) -> None:
        self.bot = bot

    # -- autocomplete ----------------------------------------------------------------

    async def _names(self, interaction: discord.Interaction, current: str) -> Choices:
        return await complete(interaction, "group info", "name", current)

    async def _places(self, interaction: discord.Interaction, current: str) -> Choices:
        return await complete(interaction, "group near", "place", current)

    async def _regions(self, interaction: discord.Interaction, current: str) -> Choices:
        return await complete(interaction, "group list", "region", current)

    # -- creating and managing -------------------------------------------------------

    @group.command(name="create", description=_desc("group create"))
    @app_commands.describe(
        **_opts("group create", "name", "city", "description", "join", "initiator")
    )
    @app_commands.autocomplete(city=_places)
    async def create(
        self,
        interaction: discord.Interaction,
        name: Name,
        city: Place,
        description: Text | None = None,
        join: JoinMode | None = None,
        initiator: discord.Member | None = None,
    ) -> None:
        await run(
            interaction,
            "group create",
            name=name,
            city=city,
            description=description,
            join=join,
            initiator=initiator,
        )

    @group.command(name="edit", description=_desc("group edit"))
    @app_commands.describe(**_opts("group edit", "name", "new_name", "city", "description", "join"))
    @app_commands.autocomplete(name=_names, city=_places)
    async def edit(
        self,
        interaction: discord.Interaction,
        name: Name,
        new_name: Name | None = None,
        city: Place | None = None,
        description: Text | None = None,
        join: JoinMode | None = None,
    ) -> None:
        await run(
            interaction,
            "group edit",
            name=name,
            new_name=new_name,
            city=city,
            description=description,
            join=join,
        )

    @group.command(name="archive", description=_desc("group archive"))
    @app_commands.describe(**_opts("group archive", "name"))
    @app_commands.autocomplete(name=_names)
    async def archive(self, interaction: discord.Interaction, name: Name) -> None:
        await run(interaction, "group archive", name=name)

    @group.command(name="repair", description=_desc("group repair"))
    @app_commands.describe(**_opts("group repair", "name"))
    @app_commands.autocomplete(name=_names)
    async def repair(self, interaction: discord.Interaction, name: Name) -> None:
        await run(interaction, "group repair", name=name)

    @initiator.command(name="add", description=_desc("group initiator add"))
    @app_commands.describe(**_opts("group initiator add", "name", "user"))
    @app_commands.autocomplete(name=_names)
    async def initiator_add(
        self, interaction: discord.Interaction, name: Name, user: discord.Member
    ) -> None:
        await run(interaction, "group initiator add", name=name, user=user)

    @initiator.command(name="remove", description=_desc("group initiator remove"))
    @app_commands.describe(**_opts("group initiator remove", "name", "user"))
    @app_commands.autocomplete(name=_names)
    async def initiator_remove(
        self, interaction: discord.Interaction, name: Name, user: discord.Member
    ) -> None:
        await run(interaction, "group initiator remove", name=name, user=user)

    # -- the directory ---------------------------------------------------------------

    @group.command(name="list", description=_desc("group list"))
    @app_commands.describe(**_opts("group list", "region", "page"))
    @app_commands.autocomplete(region=_regions)
    async def list_(
        self,
        interaction: discord.Interaction,
        region: Place | None = None,
        page: app_commands.Range[int, 1, 1000] | None = None,
    ) -> None:
        await run(interaction, "group list", region=region, page=page)

    @group.command(name="info", description=_desc("group info"))
    @app_commands.describe(**_opts("group info", "name"))
    @app_commands.autocomplete(name=_names)
    async def info(self, interaction: discord.Interaction, name: Name) -> None:
        await run(interaction, "group info", name=name)

    @group.command(name="members", description=_desc("group members"))
    @app_commands.describe(**_opts("group members", "name"))
    @app_commands.autocomplete(name=_names)
    async def members(self, interaction: discord.Interaction, name: Name) -> None:
        await run(interaction, "group members", name=name)

    @group.command(name="near", description=_desc("group near"))
    @app_commands.describe(**_opts("group near", "place", "radius_km"))
    @app_commands.autocomplete(place=_places)
    async def near(
        self,
        interaction: discord.Interaction,
        place: Place,
        radius_km: app_commands.Range[int, 1, 1000] | None = None,
    ) -> None:
        await run(interaction, "group near", place=place, radius_km=radius_km)

    @group.command(name="map", description=_desc("group map"))
    @app_commands.describe(**_opts("group map", "region"))
    @app_commands.autocomplete(region=_regions)
    async def map(self, interaction: discord.Interaction, region: Place | None = None) -> None:
        await run(interaction, "group map", region=region)

    @group.command(name="guide", description=_desc("group guide"))
    async def guide(self, interaction: discord.Interaction) -> None:
        await run(interaction, "group guide")

    # -- joining ---------------------------------------------------------------------

    @group.command(name="join", description=_desc("group join"))
    @app_commands.describe(**_opts("group join", "name"))
    @app_commands.autocomplete(name=_names)
    async def join(self, interaction: discord.Interaction, name: Name) -> None:
        await run(interaction, "group join", name=name)

    @group.command(name="leave", description=_desc("group leave"))
    @app_commands.describe(**_opts("group leave", "name"))
    @app_commands.autocomplete(name=_names)
    async def leave(self, interaction: discord.Interaction, name: Name) -> None:
        await run(interaction, "group leave", name=name)

    @group.command(name="approve", description=_desc("group approve"))
    @app_commands.describe(**_opts("group approve", "name", "user"))
    @app_commands.autocomplete(name=_names)
    async def approve(
        self, interaction: discord.Interaction, name: Name, user: discord.Member
    ) -> None:
        await run(interaction, "group approve", name=name, user=user)

    @group.command(name="decline", description=_desc("group decline"))
    @app_commands.describe(**_opts("group decline", "name", "user"))
    @app_commands.autocomplete(name=_names)
    async def decline(
        self, interaction: discord.Interaction, name: Name, user: discord.Member
    ) -> None:
        await run(interaction, "group decline", name=name, user=user)

    # -- meetings --------------------------------------------------------------------

    @meeting.command(name="plan", description=_desc("group meeting plan"))
    @app_commands.describe(
        **_opts("group meeting plan", "name", "hosts", "first", "every", "dates", "topic")
    )
    @app_commands.autocomplete(name=_names)
    async def meeting_plan(
        self,
        interaction: discord.Interaction,
        name: Name,
        hosts: Text,
        first: app_commands.Range[str, 1, 200] | None = None,
        every: app_commands.Range[str, 1, 60] | None = None,
        dates: Text | None = None,
        topic: app_commands.Range[str, 1, 300] | None = None,
    ) -> None:
        await run(
            interaction,
            "group meeting plan",
            name=name,
            hosts=hosts,
            first=first,
            every=every,
            dates=dates,
            topic=topic,
        )

    @meeting.command(name="next", description=_desc("group meeting next"))
    @app_commands.describe(**_opts("group meeting next", "name"))
    @app_commands.autocomplete(name=_names)
    async def meeting_next(self, interaction: discord.Interaction, name: Name) -> None:
        await run(interaction, "group meeting next", name=name)

    @meeting.command(name="skip", description=_desc("group meeting skip"))
    @app_commands.describe(**_opts("group meeting skip", "name"))
    @app_commands.autocomplete(name=_names)
    async def meeting_skip(self, interaction: discord.Interaction, name: Name) -> None:
        await run(interaction, "group meeting skip", name=name)

    @meeting.command(name="swap", description=_desc("group meeting swap"))
    @app_commands.describe(**_opts("group meeting swap", "name"))
    @app_commands.autocomplete(name=_names)
    async def meeting_swap(self, interaction: discord.Interaction, name: Name) -> None:
        await run(interaction, "group meeting swap", name=name)

    # -- profiles --------------------------------------------------------------------

    @profile.command(name="set", description=_desc("profile set"))
    @app_commands.describe(**_opts("profile set", "library", "town"))
    async def profile_set(
        self,
        interaction: discord.Interaction,
        library: app_commands.Range[str, 1, 200] | None = None,
        town: Place | None = None,
    ) -> None:
        await run(interaction, "profile set", library=library, town=town)

    @profile.command(name="show", description=_desc("profile show"))
    @app_commands.describe(**_opts("profile show", "user"))
    async def profile_show(
        self, interaction: discord.Interaction, user: discord.Member | None = None
    ) -> None:
        await run(interaction, "profile show", user=user)

    # -- the platform side -----------------------------------------------------------

    @commands.Cog.listener()
    async def on_guild_channel_delete(self, channel: discord.abc.GuildChannel) -> None:
        await self.bot.app.groups.platform_gone(channel_id=platform_id("discord", channel.id))

    @commands.Cog.listener()
    async def on_guild_role_delete(self, role: discord.Role) -> None:
        await self.bot.app.groups.platform_gone(role_id=platform_id("discord", role.id))


async def setup(bot: PodajBot) -> None:
    await bot.add_cog(GroupsCog(bot))
