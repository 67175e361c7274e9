"""/event on Discord: each subcommand calls the core command of the same path.

`/event create` without its title, time, duration, place and description opens a form
(a modal) for them, prefilled with whatever was given; what was typed is kept as a draft
in the database and shown as a preview with Confirm / Discard buttons (CoreButtons, so
they work after a restart too); confirming runs the core's `event create`. The answer
and calendar buttons on the announcements need nothing here either: they are CoreButtons
whose custom ids (`event:rsvp:42:going`) reach the core's button routes.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any, Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.events.commands import FORM_FIELDS
from bot.i18n import t, use_locale
from bot.replies import Reply
from bot.roles import Role
from cogs.interactions import answer, bot_of, complete, guild_id, request_from, run
from cogs.translator import desc, opts

if TYPE_CHECKING:
    from cogs.client import PodajBot

log = logging.getLogger(__name__)

EventRef = app_commands.Range[str, 1, 120]
When = app_commands.Range[str, 1, 200]
Duration = app_commands.Range[str, 1, 32]
Title = app_commands.Range[str, 1, 100]
Place = app_commands.Range[str, 1, 100]
Description = app_commands.Range[str, 1, 1000]
KindChoice = Literal["forum", "supervision", "training", "regional", "group"]
AudienceChoice = Literal["all", "region", "group"]
AnswerChoice = Literal["going", "maybe", "no"]
Choices = list[app_commands.Choice[str]]

# The form's fields: (option, style, max length, required).
_FORM = (
    ("title", discord.TextStyle.short, 100, True),
    ("when", discord.TextStyle.short, 200, True),
    ("duration", discord.TextStyle.short, 32, True),
    ("place", discord.TextStyle.short, 100, False),
    ("description", discord.TextStyle.paragraph, 1000, False),
)
assert tuple(name for name, *_ in _FORM) == FORM_FIELDS


class EventForm(discord.ui.Modal):
    """Title, time, duration, place and description, in the reader's language; the other
    options given to the slash command ride along."""

    def __init__(self, given: dict[str, Any], others: dict[str, Any]) -> None:
        super().__init__(title=t("event.form.heading")[:45], timeout=30 * 60)
        self._others = others
        self._inputs: dict[str, discord.ui.TextInput[EventForm]] = {}
        for name, style, limit, required in _FORM:
            field: discord.ui.TextInput[EventForm] = discord.ui.TextInput(
                label=t(f"event.form.{name}")[:45],
                custom_id=f"event-form:{name}",
                style=style,
                max_length=limit,
                required=required,
                placeholder=t(f"event.form.{name}.hint")[:100],
                default=given.get(name),
            )
            self._inputs[name] = field
            self.add_item(field)

    async def on_submit(self, interaction: discord.Interaction) -> None:
        typed = {name: field.value for name, field in self._inputs.items()}
        await answer(interaction, _preview(interaction, {**self._others, **typed}))

    async def on_error(self, interaction: discord.Interaction, error: Exception) -> None:
        log.error("event form failed", exc_info=error)
        if not interaction.response.is_done():
            await interaction.response.send_message(t("error.internal"), ephemeral=True)


async def _preview(interaction: discord.Interaction, options: dict[str, Any]) -> Reply:
    """Keep what was typed as a draft and let the core answer with its preview."""
    app = bot_of(interaction).app
    request = request_from(interaction)
    channel = request.channel
    draft_id = await app.events.save_draft(
        guild_id(interaction.guild_id),
        request.actor.user.id,
        channel.id,
        channel.name,
        options,
    )
    return await app.dispatcher.press(request, f"event:draft:preview:{draft_id}")


class EventsCog(commands.Cog):
    event = app_commands.Group(name="event", description=desc("event"), guild_only=True)
    series = app_commands.Group(name="series", description=desc("event series"), parent=event)

    def __init__(self, bot: PodajBot) -> None:
        self.bot = bot

    async def _events(self, interaction: discord.Interaction, current: str) -> Choices:
        return await complete(interaction, "event info", "event", current)

    async def _groups(self, interaction: discord.Interaction, current: str) -> Choices:
        return await complete(interaction, "event create", "group", current)

    async def _series(self, interaction: discord.Interaction, current: str) -> Choices:
        return await complete(interaction, "event series stop", "series", current)

    # -- creating --------------------------------------------------------------------

    @event.command(name="create", description=desc("event create"))
    @app_commands.describe(
        **opts(
            "event create",
            "title",
            "kind",
            "when",
            "duration",
            "place",
            "description",
            "audience",
            "group",
            "capacity",
            "publish_at",
            "registration_opens",
            "registration_closes",
        )
    )
    @app_commands.autocomplete(group=_groups)
    async def create(
        self,
        interaction: discord.Interaction,
        kind: KindChoice,
        title: Title | None = None,
        when: When | None = None,
        duration: Duration | None = None,
        place: Place | None = None,
        description: Description | None = None,
        audience: AudienceChoice | None = None,
        group: app_commands.Range[str, 1, 60] | None = None,
        capacity: app_commands.Range[int, 1, 10_000] | None = None,
        publish_at: When | None = None,
        registration_opens: When | None = None,
        registration_closes: When | None = None,
    ) -> None:
        given = {
            "title": title,
            "when": when,
            "duration": duration,
            "place": place,
            "description": description,
        }
        others = {
            "kind": kind,
            "audience": audience,
            "group": group,
            "capacity": capacity,
            "publish_at": publish_at,
            "registration_opens": registration_opens,
            "registration_closes": registration_closes,
        }
        if all(given.values()):
            await run(interaction, "event create", **given, **others)
            return
        app = self.bot.app
        ctx = await app.dispatcher.invocation(request_from(interaction))
        if ctx.role < Role.INITIATOR:
            # The core says which role it takes, before anyone fills in a form.
            await run(interaction, "event create", **given, **others)
            return
        with use_locale(ctx.locale):
            form = EventForm(given, others)
        await interaction.response.send_modal(form)

    # -- managing --------------------------------------------------------------------

    @event.command(name="edit", description=desc("event edit"))
    @app_commands.describe(
        **opts("event edit", "event", "title", "when", "duration", "place", "description")
    )
    @app_commands.autocomplete(event=_events)
    async def edit(
        self,
        interaction: discord.Interaction,
        event: EventRef,
        title: Title | None = None,
        when: When | None = None,
        duration: Duration | None = None,
        place: Place | None = None,
        description: Description | None = None,
    ) -> None:
        await run(
            interaction,
            "event edit",
            event=event,
            title=title,
            when=when,
            duration=duration,
            place=place,
            description=description,
        )

    @event.command(name="cancel", description=desc("event cancel"))
    @app_commands.describe(**opts("event cancel", "event"))
    @app_commands.autocomplete(event=_events)
    async def cancel(self, interaction: discord.Interaction, event: EventRef) -> None:
        await run(interaction, "event cancel", event=event)

    @event.command(name="attendees", description=desc("event attendees"))
    @app_commands.describe(**opts("event attendees", "event"))
    @app_commands.autocomplete(event=_events)
    async def attendees(self, interaction: discord.Interaction, event: EventRef) -> None:
        await run(interaction, "event attendees", event=event)

    @event.command(name="nudge", description=desc("event nudge"))
    @app_commands.describe(**opts("event nudge", "event"))
    @app_commands.autocomplete(event=_events)
    async def nudge(self, interaction: discord.Interaction, event: EventRef) -> None:
        await run(interaction, "event nudge", event=event)

    # -- taking part -----------------------------------------------------------------

    @event.command(name="rsvp", description=desc("event rsvp"))
    @app_commands.describe(**opts("event rsvp", "event", "answer"))
    @app_commands.autocomplete(event=_events)
    async def rsvp(
        self, interaction: discord.Interaction, event: EventRef, answer: AnswerChoice
    ) -> None:
        await run(interaction, "event rsvp", event=event, answer=answer)

    @event.command(name="ics", description=desc("event ics"))
    @app_commands.describe(**opts("event ics", "event"))
    @app_commands.autocomplete(event=_events)
    async def ics(self, interaction: discord.Interaction, event: EventRef) -> None:
        await run(interaction, "event ics", event=event)

    @event.command(name="calendar", description=desc("event calendar"))
    async def calendar(self, interaction: discord.Interaction) -> None:
        await run(interaction, "event calendar")

    @event.command(name="list", description=desc("event list"))
    @app_commands.describe(**opts("event list", "kind", "month"))
    async def list_(
        self,
        interaction: discord.Interaction,
        kind: KindChoice | None = None,
        month: app_commands.Range[str, 1, 40] | None = None,
    ) -> None:
        await run(interaction, "event list", kind=kind, month=month)

    @event.command(name="info", description=desc("event info"))
    @app_commands.describe(**opts("event info", "event"))
    @app_commands.autocomplete(event=_events)
    async def info(self, interaction: discord.Interaction, event: EventRef) -> None:
        await run(interaction, "event info", event=event)

    # -- series ----------------------------------------------------------------------

    @series.command(name="create", description=desc("event series create"))
    @app_commands.describe(
        **opts(
            "event series create",
            "title",
            "kind",
            "first",
            "every",
            "duration",
            "place",
            "description",
            "group",
            "capacity",
            "ahead_days",
            "until",
        )
    )
    @app_commands.autocomplete(group=_groups)
    async def series_create(
        self,
        interaction: discord.Interaction,
        title: Title,
        kind: KindChoice,
        first: When,
        every: When,
        duration: Duration,
        place: Place | None = None,
        description: Description | None = None,
        group: app_commands.Range[str, 1, 60] | None = None,
        capacity: app_commands.Range[int, 1, 10_000] | None = None,
        ahead_days: app_commands.Range[int, 1, 60] | None = None,
        until: When | None = None,
    ) -> None:
        await run(
            interaction,
            "event series create",
            title=title,
            kind=kind,
            first=first,
            every=every,
            duration=duration,
            place=place,
            description=description,
            group=group,
            capacity=capacity,
            ahead_days=ahead_days,
            until=until,
        )

    @series.command(name="stop", description=desc("event series stop"))
    @app_commands.describe(**opts("event series stop", "series"))
    @app_commands.autocomplete(series=_series)
    async def series_stop(
        self, interaction: discord.Interaction, series: app_commands.Range[str, 1, 120]
    ) -> None:
        await run(interaction, "event series stop", series=series)


async def setup(bot: PodajBot) -> None:
    await bot.add_cog(EventsCog(bot))
