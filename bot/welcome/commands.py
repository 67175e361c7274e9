"""/start and the buttons of the welcome's three ways forward.

Each way is answered by the feature that owns it: the groups near a town by the groups
directory (the gazetteer and the did-you-mean of /group near) with a Join button per group
(`group:join:7`, /group join), the language and zone by /settings' own commands, what is
coming up by the events' lookup (only events for everyone: never a group's) with their
answer buttons (`event:rsvp:42:going`, /event rsvp).
"""

from __future__ import annotations

from bot.commands import Command, Invocation, Option, Registry
from bot.events.lookup import EventLookup
from bot.groups import messages as group_messages
from bot.groups.directory import GroupDirectory
from bot.groups.options import place_completer
from bot.replies import Reply
from bot.roles import Role
from bot.visibility import Viewer
from bot.welcome import messages
from bot.welcome.messages import EVENTS_BUTTON, NEAR_BUTTON, SETTINGS_BUTTON

# How far the welcome looks for a group: farther than /group near's default, since a
# newcomer would rather travel than hear of none.
RADIUS_KM = 100
# Events shown under "What's coming up" (an embed each; Discord allows ten).
COMING_UP = 5


class WelcomeCommands:
    # The ways forward run /settings' commands, so it reads the registry it is registered in.
    _registry: Registry

    def __init__(self, directory: GroupDirectory, lookup: EventLookup) -> None:
        self._directory = directory
        self._lookup = lookup

    def register(self, registry: Registry) -> None:
        self._registry = registry
        registry.add(
            Command(
                "start",
                Role.DIRECTOR,
                self.start,
                (Option("place", autocomplete=place_completer(self._directory), max_length=100),),
            )
        )
        registry.add_button(NEAR_BUTTON, self.press_near)
        registry.add_button(SETTINGS_BUTTON, self.press_settings)
        registry.add_button(EVENTS_BUTTON, self.press_events)
        registry.add_button(r"welcome:language:(?P<language>[a-z]{2})", self.press_language)
        registry.add_button(r"welcome:timezone:(?P<timezone>[\w/+-]{1,64})", self.press_zone)

    async def start(self, ctx: Invocation, place: str | None = None) -> Reply:
        """The three ways forward; with a place, the groups nearest to it."""
        if place is None:
            return messages.card()
        if not await self._directory.all(ctx.guild_id):
            return messages.no_groups()
        found = await self._directory.near(ctx.guild_id, place, RADIUS_KM)
        return group_messages.near(found.place, found.groups, RADIUS_KM, join=True)

    async def press_near(self, ctx: Invocation) -> Reply:
        # On Discord the button opens a form that runs /start place:; here, say so.
        return messages.ask_town()

    async def press_settings(self, ctx: Invocation) -> Reply:
        return messages.settings(ctx.locale, ctx.timezone, ctx.now)

    async def press_language(self, ctx: Invocation, language: str) -> Reply:
        return await self._run(ctx, "settings language", language=language)

    async def press_zone(self, ctx: Invocation, timezone: str) -> Reply:
        return await self._run(ctx, "settings timezone", timezone=timezone)

    async def press_events(self, ctx: Invocation) -> Reply:
        """The next events for everyone in this server, soonest first."""
        coming = [
            event
            for event in await self._lookup.upcoming(Viewer.of(ctx))
            if event.group_id is None and event.published and not event.cancelled
        ]
        views = [await self._lookup.view(event) for event in coming[:COMING_UP]]
        return messages.coming_up(views, ctx.now)

    async def _run(self, ctx: Invocation, path: str, **options: str) -> Reply:
        command = self._registry.get(path)
        assert command is not None  # /settings is registered before the welcome
        return await command.handler(ctx, **options)
