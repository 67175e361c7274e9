"""The welcome on Discord: `/start` comes from the core (cogs.tree); here are the two
things only Discord has.

- "Find a group near me" opens a form (a modal) asking for a town; what is typed runs
  `/start place:` like the command, so the answer is the core's (nearest groups, with a
  Join button each). The button is a DynamicItem: it works on a "Start here" message
  posted before a restart.
- A newcomer is greeted once when they join — only where the server granted the bot the
  Server Members intent (`DISCORD_MEMBERS_INTENT=true`; without it Discord sends no joins,
  and the "Start here" message and `/start` offer the same).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord
from discord.ext import commands

from bot.i18n import t
from bot.text import is_blank
from bot.welcome.messages import NEAR_BUTTON
from cogs import render
from cogs.interactions import guild_id, press, run, send_form, user_ref

if TYPE_CHECKING:
    from cogs.client import PodajBot

log = logging.getLogger(__name__)

TOWN_LENGTH = 100


class TownForm(discord.ui.Modal):
    """One question: the town; the answer goes through `/start place:`."""

    def __init__(self) -> None:
        super().__init__(title=t("welcome.form.title")[:45], custom_id="welcome-town", timeout=900)
        self.town: discord.ui.TextInput[TownForm] = discord.ui.TextInput(
            label=t("welcome.form.town")[:45],
            custom_id="town",
            placeholder=t("welcome.form.town.hint")[:100],
            min_length=1,
            max_length=TOWN_LENGTH,
        )
        self.add_item(self.town)

    async def on_submit(self, interaction: discord.Interaction) -> None:
        if is_blank(self.town.value):
            # Only spaces pass the form's own check; /start without a place would bring
            # back the card, so the answer asks for the town, as the button does elsewhere.
            await press(interaction, NEAR_BUTTON)
            return
        await run(interaction, "start", place=self.town.value)


class NearButton(render.PersistentButton, template=NEAR_BUTTON):
    """The "Find a group near me" button: opens the form, also on messages from before a
    restart."""

    async def callback(self, interaction: discord.Interaction) -> None:
        await send_form(interaction, TownForm)


# The welcome's messages carry this button; cogs.render builds it instead of a CoreButton.
render.FORM_BUTTONS[NEAR_BUTTON] = NearButton


class Greeter(commands.Cog):
    def __init__(self, bot: PodajBot) -> None:
        self.bot = bot

    @commands.Cog.listener()
    async def on_member_join(self, member: discord.Member) -> None:
        """A newcomer is greeted once, in the "Start here" channel (Server Members intent)."""
        if member.bot:
            return
        try:
            await self.bot.app.welcome.greet(guild_id(member.guild.id), user_ref(member))
        except Exception:
            log.exception("member %s was not greeted", member.id)


async def setup(bot: PodajBot) -> None:
    bot.add_dynamic_items(NearButton)
    await bot.add_cog(Greeter(bot))
