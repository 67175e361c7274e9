"""A core Reply as discord.py message arguments, and the one persistent button class."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any, Self

import discord

from bot.refs import native_id
from bot.replies import Button, ButtonStyle, Embed, PollSpec, Reply
from bot.text import chunks

MESSAGE_LIMIT = 2000
_STYLES = {
    ButtonStyle.PRIMARY: discord.ButtonStyle.primary,
    ButtonStyle.SECONDARY: discord.ButtonStyle.secondary,
    ButtonStyle.SUCCESS: discord.ButtonStyle.success,
    ButtonStyle.DANGER: discord.ButtonStyle.danger,
}


class PersistentButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"(?!)"):
    """What the bot's persistent buttons share: each is remade from the pressed component
    itself (its custom id, label and style), so a press on a message sent before a restart
    reaches the same class. Each subclass names its own custom ids (this one's template
    matches none)."""

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> Self:
        if not isinstance(item, discord.ui.Button):
            item = discord.ui.Button(custom_id=match[0], label="?")
        return cls(item)


def ui_button(button: Button) -> discord.ui.Button[Any]:
    """A core button as discord.py's."""
    return discord.ui.Button(
        label=button.label,
        custom_id=button.custom_id,
        style=_STYLES[button.style],
        emoji=button.emoji,
        disabled=button.disabled,
    )


class CoreButton(PersistentButton, template=r"[a-z][a-z0-9_-]*:.+"):
    """Every button the core makes. Its custom id says what it acts on, so a press on a
    message sent before a restart still reaches the right handler (DESIGN.md rule 8)."""

    async def callback(self, interaction: discord.Interaction) -> None:
        from cogs.interactions import press  # the cog helpers import this module

        await press(interaction, self.item.custom_id or "")


def allowed_mentions(reply: Reply) -> discord.AllowedMentions:
    users = [discord.Object(int(native_id(u))) for u in reply.mentions if u.startswith("discord:")]
    return discord.AllowedMentions(everyone=False, roles=False, users=users or False)


def embed(source: Embed) -> discord.Embed:
    out = discord.Embed(
        title=source.title or None,
        description=source.description or None,
        color=source.color,
    )
    for field in source.fields:
        out.add_field(name=field.name, value=field.value or "\u200b", inline=field.inline)
    if source.footer:
        out.set_footer(text=source.footer)
    return out


# Buttons that open a form (a modal) instead of running a core action. Their custom ids
# have no "feature:" prefix, so CoreButton, which answers every such id, never answers
# them too; the cog that owns one registers how to build it (cogs/panels.py: "panel-ask-").
FORM_BUTTONS: dict[str, Callable[[discord.ui.Button[Any]], discord.ui.Item[Any]]] = {}


def _item(button: Button) -> discord.ui.Item[Any]:
    build = next(
        (made for prefix, made in FORM_BUTTONS.items() if button.custom_id.startswith(prefix)),
        None,
    )
    return (build or CoreButton)(ui_button(button))


def view(reply: Reply) -> discord.ui.View | None:
    """The reply's buttons, each a CoreButton or the form button of the cog that owns it."""
    if not reply.buttons:
        return None
    out = discord.ui.View(timeout=None)
    for button in reply.buttons:
        out.add_item(_item(button))
    return out


def poll(spec: PollSpec) -> discord.Poll:
    out = discord.Poll(question=spec.question, duration=timedelta(hours=spec.hours))
    for answer in spec.answers:
        out.add_answer(text=answer)
    return out


def message_parts(reply: Reply) -> list[dict[str, Any]]:
    """Keyword arguments for one or more sends: long text is split at Discord's limit,
    embeds, buttons and files ride on the last part. A reply with a poll is Discord's
    native poll: its text and buttons are the stand-in for other front ends."""
    if reply.poll is not None:
        part: dict[str, Any] = {
            "poll": poll(reply.poll),
            "allowed_mentions": allowed_mentions(reply),
        }
        if reply.embeds:
            part["embeds"] = [embed(e) for e in reply.embeds]
        return [part]
    texts = chunks(reply.text, MESSAGE_LIMIT) or [""]
    parts: list[dict[str, Any]] = [
        {"content": text, "allowed_mentions": allowed_mentions(reply)} for text in texts
    ]
    last = parts[-1]
    if reply.embeds:
        last["embeds"] = [embed(e) for e in reply.embeds]
    built = view(reply)
    if built is not None:
        last["view"] = built
    if reply.files:
        last["files"] = [discord.File(io.BytesIO(f.data), filename=f.filename) for f in reply.files]
    for part in parts:
        if not part["content"]:
            del part["content"]
    return parts
