"""/event create on Discord: the one event command that does more than pass its options on.

Without its title, time, duration, place and description opens a form
(a modal) for them, prefilled with whatever was given; what was typed is kept as a draft
in the database and shown as a preview with Confirm / Discard buttons (CoreButtons, so
they work after a restart too); confirming runs the core's `event create`. The answer
and calendar buttons on the announcements need nothing here either: they are CoreButtons
whose custom ids (`event:rsvp:42:going`) reach the core's button routes.
"""

from __future__ import annotations

import logging
from typing import Any

import discord

from bot.commands import Command
from bot.events.commands import FORM_FIELDS
from bot.i18n import t, use_locale
from bot.replies import Reply
from bot.roles import Role
from cogs.interactions import answer, bot_of, guild_id, request_from, run

log = logging.getLogger(__name__)

# The form's fields, in FORM_FIELDS order: (style, required); lengths are the core's.
_FORM = {
    "title": (discord.TextStyle.short, True),
    "when": (discord.TextStyle.short, True),
    "duration": (discord.TextStyle.short, True),
    "place": (discord.TextStyle.short, False),
    "description": (discord.TextStyle.paragraph, False),
}
assert tuple(_FORM) == FORM_FIELDS


class EventForm(discord.ui.Modal):
    """Title, time, duration, place and description, in the reader's language; the other
    options given to the slash command ride along."""

    def __init__(self, command: Command, given: dict[str, Any], others: dict[str, Any]) -> None:
        super().__init__(title=t("event.form.heading")[:45], timeout=30 * 60)
        self._others = others
        self._inputs: dict[str, discord.ui.TextInput[EventForm]] = {}
        for name, (style, required) in _FORM.items():
            option = command.option(name)
            field: discord.ui.TextInput[EventForm] = discord.ui.TextInput(
                label=t(f"event.form.{name}")[:45],
                custom_id=f"event-form:{name}",
                style=style,
                max_length=option.max_length if option else None,
                required=required,
                placeholder=t(f"event.form.{name}.hint")[:100],
                default=given.get(name),
            )
            self._inputs[name] = field
            self.add_item(field)

    async def on_submit(self, interaction: discord.Interaction) -> None:
        typed = {name: field.value for name, field in self._inputs.items()}
        await answer(interaction, _preview(interaction, {**self._others, **typed}))

    async def on_error(  # type: ignore[override]  # discord.py's Modal narrows BaseView's
        self, interaction: discord.Interaction, error: Exception, /
    ) -> None:
        log.error("event form failed", exc_info=error)
        if not interaction.response.is_done():
            await interaction.response.send_message(t("error.internal"), ephemeral=True)


async def _preview(interaction: discord.Interaction, options: dict[str, Any]) -> Reply:
    """Keep what was typed as a draft and let the core answer with its preview."""
    app = bot_of(interaction).app
    request = request_from(interaction)
    channel = request.channel
    draft_id = await app.events.drafts.save(
        guild_id(interaction.guild_id),
        request.actor.user.id,
        channel.id,
        channel.name,
        options,
    )
    return await app.dispatcher.press(request, f"event:draft:preview:{draft_id}")


async def create_event(interaction: discord.Interaction, **options: Any) -> None:
    """`/event create`: straight to the core when the form's fields are all given, or when
    the core will refuse the person anyway (it says which role it takes); else the form,
    prefilled with what was given."""
    given = {name: options.pop(name, None) for name in FORM_FIELDS}
    if all(given.values()):
        await run(interaction, "event create", **given, **options)
        return
    app = bot_of(interaction).app
    ctx = await app.dispatcher.invocation(request_from(interaction))
    command = app.registry.get("event create")
    if command is None or ctx.role < Role.INITIATOR:
        await run(interaction, "event create", **given, **options)
        return
    with use_locale(ctx.locale):
        form = EventForm(command, given, options)
    await interaction.response.send_modal(form)
