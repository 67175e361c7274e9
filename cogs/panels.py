"""/panel on Discord: the commands come from the core (cogs.tree); `/panel create` looks up
the panelists' names first.

Besides that, two things only Discord has: the "Ask a question" button opens a form (a
modal) whose answer runs `/panel ask`, and what people write in a live panel's thread is
heard here (`on_message`, which needs the Message Content intent) for the transcript.
The other card buttons (raise hand, lower, pączek, next) are CoreButtons (`panel:hand:7`).
"""

from __future__ import annotations

import asyncio
import logging
import re
from typing import TYPE_CHECKING, Any

import discord
from discord.ext import commands

from bot.i18n import t
from bot.panels.model import MAX_QUESTION
from bot.refs import UserRef, platform_id
from cogs import render
from cogs.interactions import PLATFORM, bot_of, run, send_form, user_ref

if TYPE_CHECKING:
    from cogs.client import PodajBot

log = logging.getLogger(__name__)

_MENTION = re.compile(r"<@!?(\d{1,25})>")
# Of Discord's 3 s to answer, what finding panelists' names may take.
LOOKUP_BUDGET_S = 1.5
ASK_PREFIX = "panel-ask-"


class AskModal(discord.ui.Modal):
    """The question form; its answer goes through `/panel ask` like the command's."""

    def __init__(self, panel_id: int, title: str, label: str) -> None:
        super().__init__(title=title[:45], custom_id=f"panel-ask-form-{panel_id}", timeout=900)
        self.panel_id = panel_id
        self.question: discord.ui.TextInput[AskModal] = discord.ui.TextInput(
            label=label[:45],
            custom_id="question",
            style=discord.TextStyle.paragraph,
            min_length=1,
            max_length=MAX_QUESTION,
        )
        self.add_item(self.question)

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await run(interaction, "panel ask", panel=str(self.panel_id), text=self.question.value)


class AskButton(render.PersistentButton, template=r"panel-ask-(?P<panel_id>\d{1,12})"):
    """The card's "Ask a question": opens the form, also on cards sent before a restart."""

    def __init__(self, item: discord.ui.Button[Any]) -> None:
        super().__init__(item)
        self.panel_id = int((item.custom_id or "").removeprefix(ASK_PREFIX))

    async def callback(self, interaction: discord.Interaction) -> None:
        await send_form(
            interaction,
            lambda: AskModal(self.panel_id, t("panel.ask.modal_title"), t("panel.ask.modal_label")),
        )


# Cards carry this button; cogs.render builds it instead of a CoreButton.
render.FORM_BUTTONS[ASK_PREFIX] = AskButton


async def create_panel(interaction: discord.Interaction, **options: Any) -> None:
    """`/panel create`: the panelists' names are looked up first, for the card."""
    await _remember_mentioned(interaction, options.get("panelists") or "")
    await run(interaction, "panel create", **options)


async def _remember_mentioned(interaction: discord.Interaction, text: str) -> None:
    """Panelists come as `<@id>` in a text option: keep their names for the card and
    the transcript. The lookups (from the cache, else the API; discord.py queues
    those of one route) get at most LOOKUP_BUDGET_S together; names found by then are
    kept, the rest show as mentions. When that used up the budget the answer is
    deferred at once, so Discord's 3 s hold whatever the command takes."""
    guild = interaction.guild
    if guild is None:
        return
    snowflakes = dict.fromkeys(int(m) for m in _MENTION.findall(text))
    lookups = [asyncio.ensure_future(_member(guild, s)) for s in snowflakes]
    if not lookups:
        return
    done, pending = await asyncio.wait(lookups, timeout=LOOKUP_BUDGET_S)
    for late in pending:
        late.cancel()
    if pending:
        log.warning("%d panelist name(s) not found in time", len(pending))
        await interaction.response.defer(ephemeral=True, thinking=True)
    for found in done:
        member = found.result()
        if member is not None:
            await bot_of(interaction).app.community.remember(
                UserRef(platform_id(PLATFORM, member.id), member.display_name)
            )


async def _member(guild: discord.Guild, snowflake: int) -> discord.Member | None:
    try:
        return guild.get_member(snowflake) or await guild.fetch_member(snowflake)
    except discord.HTTPException:
        return None


class PanelChat(commands.Cog):
    def __init__(self, bot: PodajBot) -> None:
        self.bot = bot

    # -- chat in a live panel --------------------------------------------------------

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        """What people say in a live panel's thread goes into its transcript (the core
        ignores every other channel at once, from memory)."""
        if message.author.bot or message.guild is None or not message.content:
            return
        try:
            await self.bot.app.panels.audience.heard(
                platform_id(PLATFORM, message.channel.id), user_ref(message.author), message.content
            )
        except Exception:
            log.exception("message %s not recorded for a panel", message.id)


async def setup(bot: PodajBot) -> None:
    bot.add_dynamic_items(AskButton)
    await bot.add_cog(PanelChat(bot))
