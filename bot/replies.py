"""What the core says, independent of the front end that shows it."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from bot.i18n import current_locale


class ButtonStyle(StrEnum):
    PRIMARY = "primary"
    SECONDARY = "secondary"
    SUCCESS = "success"
    DANGER = "danger"


@dataclass(frozen=True)
class Button:
    """A persistent button: its custom id says what it acts on (DESIGN.md rule 8)."""

    custom_id: str
    label: str
    style: ButtonStyle = ButtonStyle.SECONDARY
    emoji: str | None = None
    disabled: bool = False


@dataclass(frozen=True)
class EmbedField:
    name: str
    value: str
    inline: bool = False


@dataclass(frozen=True)
class Embed:
    title: str = ""
    description: str = ""
    fields: tuple[EmbedField, ...] = ()
    footer: str = ""
    color: int | None = None


@dataclass(frozen=True)
class Attachment:
    filename: str
    data: bytes


@dataclass(frozen=True)
class PollSpec:
    """A native poll (Discord's), `hours` long. A front end that has native polls shows it
    in place of the reply's text and buttons, which stand in for it everywhere else."""

    question: str
    answers: tuple[str, ...]
    hours: int


@dataclass(frozen=True)
class Created:
    """What a command created, for the console's `created` field and for tests."""

    type: str
    id: int | str


@dataclass(frozen=True)
class Reply:
    text: str = ""
    embeds: tuple[Embed, ...] = ()
    buttons: tuple[Button, ...] = ()
    files: tuple[Attachment, ...] = ()
    ephemeral: bool = False
    created: Created | None = None
    # User ids this message may ping; everything else is sent inert (DESIGN.md rule 9).
    mentions: tuple[str, ...] = field(default=())
    poll: PollSpec | None = None
    # An idempotency key (bot/outbox.py): a front end whose platform dedupes by one
    # (Discord's nonce, Matrix's transaction id) shows a message sent twice with it once.
    nonce: str | None = None
    # The command or button did not run and the text says why: a front end where people
    # fix a typo by editing their message runs the corrected one, and a reaction that
    # pressed nothing can be taken off (Matrix).
    refused: bool = False
    # The message this one answers (its id on the platform, in the same channel): shown as
    # a reply where the platform has them (Matrix; a poll's result answers the poll).
    reply_to: str | None = None
    # The language it was worded in (the one in effect when it was made), so that what a
    # front end adds — a legend of reactions, dates it renders — speaks the same one.
    locale: str = field(default_factory=current_locale)
