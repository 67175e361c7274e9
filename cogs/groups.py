"""/group and /profile on Discord, and noticing when a group's channel or role is deleted."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.refs import platform_id
from cogs.interactions import complete, run
from cogs.translator import desc, opts

if TYPE_CHECKING:
    from cogs.client import PodajBot

Name = app_commands.Range[str, 1, 60]
Text = app_commands.Range[str, 1, 1000]
Place = app_commands.Range[str, 1, 100]
JoinMode = Literal["open", "approval"]
Choices = list[app_commands.Choice[str]]


class GroupsCog(commands.Cog):
    group = app_commands.Group(name="group", description=desc("group"), guild_only=True)
    initiator = app_commands.Group(
        name="initiator", description=desc("group initiator"), parent=group
    )
    meeting = app_commands.Group(name="meeting", description=desc("group meeting"), parent=group)
    profile = app_commands.Group(name="profile", description=desc("profile"), guild_only=True)

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

    @group.command(name="create", description=desc("group create"))
    @app_commands.describe(
        **opts("group create", "name", "city", "description", "join", "initiator")
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

    @group.command(name="edit", description=desc("group edit"))
    @app_commands.describe(**opts("group edit", "name", "new_name", "city", "description", "join"))
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

    @group.command(name="archive", description=desc("group archive"))
    @app_commands.describe(**opts("group archive", "name"))
    @app_commands.autocomplete(name=_names)
    async def archive(self, interaction: discord.Interaction, name: Name) -> None:
        await run(interaction, "group archive", name=name)

    @group.command(name="repair", description=desc("group repair"))
    @app_commands.describe(**opts("group repair", "name"))
    @app_commands.autocomplete(name=_names)
    async def repair(self, interaction: discord.Interaction, name: Name) -> None:
        await run(interaction, "group repair", name=name)

    @initiator.command(name="add", description=desc("group initiator add"))
    @app_commands.describe(**opts("group initiator add", "name", "user"))
    @app_commands.autocomplete(name=_names)
    async def initiator_add(
        self, interaction: discord.Interaction, name: Name, user: discord.Member
    ) -> None:
        await run(interaction, "group initiator add", name=name, user=user)

    @initiator.command(name="remove", description=desc("group initiator remove"))
    @app_commands.describe(**opts("group initiator remove", "name", "user"))
    @app_commands.autocomplete(name=_names)
    async def initiator_remove(
        self, interaction: discord.Interaction, name: Name, user: discord.Member
    ) -> None:
        await run(interaction, "group initiator remove", name=name, user=user)

    # -- the directory ---------------------------------------------------------------

    @group.command(name="list", description=desc("group list"))
    @app_commands.describe(**opts("group list", "region", "page"))
    @app_commands.autocomplete(region=_regions)
    async def list_(
        self,
        interaction: discord.Interaction,
        region: Place | None = None,
        page: app_commands.Range[int, 1, 1000] | None = None,
    ) -> None:
        await run(interaction, "group list", region=region, page=page)

    @group.command(name="info", description=desc("group info"))
    @app_commands.describe(**opts("group info", "name"))
    @app_commands.autocomplete(name=_names)
    async def info(self, interaction: discord.Interaction, name: Name) -> None:
        await run(interaction, "group info", name=name)

    @group.command(name="members", description=desc("group members"))
    @app_commands.describe(**opts("group members", "name"))
    @app_commands.autocomplete(name=_names)
    async def members(self, interaction: discord.Interaction, name: Name) -> None:
        await run(interaction, "group members", name=name)

    @group.command(name="near", description=desc("group near"))
    @app_commands.describe(**opts("group near", "place", "radius_km"))
    @app_commands.autocomplete(place=_places)
    async def near(
        self,
        interaction: discord.Interaction,
        place: Place,
        radius_km: app_commands.Range[int, 1, 1000] | None = None,
    ) -> None:
        await run(interaction, "group near", place=place, radius_km=radius_km)

    @group.command(name="map", description=desc("group map"))
    @app_commands.describe(**opts("group map", "region"))
    @app_commands.autocomplete(region=_regions)
    async def map(self, interaction: discord.Interaction, region: Place | None = None) -> None:
        await run(interaction, "group map", region=region)

    @group.command(name="guide", description=desc("group guide"))
    async def guide(self, interaction: discord.Interaction) -> None:
        await run(interaction, "group guide")

    # -- joining ---------------------------------------------------------------------

    @group.command(name="join", description=desc("group join"))
    @app_commands.describe(**opts("group join", "name"))
    @app_commands.autocomplete(name=_names)
    async def join(self, interaction: discord.Interaction, name: Name) -> None:
        await run(interaction, "group join", name=name)

    @group.command(name="leave", description=desc("group leave"))
    @app_commands.describe(**opts("group leave", "name"))
    @app_commands.autocomplete(name=_names)
    async def leave(self, interaction: discord.Interaction, name: Name) -> None:
        await run(interaction, "group leave", name=name)

    @group.command(name="approve", description=desc("group approve"))
    @app_commands.describe(**opts("group approve", "name", "user"))
    @app_commands.autocomplete(name=_names)
    async def approve(
        self, interaction: discord.Interaction, name: Name, user: discord.Member
    ) -> None:
        await run(interaction, "group approve", name=name, user=user)

    @group.command(name="decline", description=desc("group decline"))
    @app_commands.describe(**opts("group decline", "name", "user"))
    @app_commands.autocomplete(name=_names)
    async def decline(
        self, interaction: discord.Interaction, name: Name, user: discord.Member
    ) -> None:
        await run(interaction, "group decline", name=name, user=user)

    # -- meetings --------------------------------------------------------------------

    @meeting.command(name="plan", description=desc("group meeting plan"))
    @app_commands.describe(
        **opts("group meeting plan", "name", "hosts", "first", "every", "dates", "topic")
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

    @meeting.command(name="next", description=desc("group meeting next"))
    @app_commands.describe(**opts("group meeting next", "name"))
    @app_commands.autocomplete(name=_names)
    async def meeting_next(self, interaction: discord.Interaction, name: Name) -> None:
        await run(interaction, "group meeting next", name=name)

    @meeting.command(name="skip", description=desc("group meeting skip"))
    @app_commands.describe(**opts("group meeting skip", "name"))
    @app_commands.autocomplete(name=_names)
    async def meeting_skip(self, interaction: discord.Interaction, name: Name) -> None:
        await run(interaction, "group meeting skip", name=name)

    @meeting.command(name="swap", description=desc("group meeting swap"))
    @app_commands.describe(**opts("group meeting swap", "name"))
    @app_commands.autocomplete(name=_names)
    async def meeting_swap(self, interaction: discord.Interaction, name: Name) -> None:
        await run(interaction, "group meeting swap", name=name)

    # -- profiles --------------------------------------------------------------------

    @profile.command(name="set", description=desc("profile set"))
    @app_commands.describe(**opts("profile set", "library", "town"))
    async def profile_set(
        self,
        interaction: discord.Interaction,
        library: app_commands.Range[str, 1, 200] | None = None,
        town: Place | None = None,
    ) -> None:
        await run(interaction, "profile set", library=library, town=town)

    @profile.command(name="show", description=desc("profile show"))
    @app_commands.describe(**opts("profile show", "user"))
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
