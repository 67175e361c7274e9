"""What the welcome says, in the current locale: the greeting, the "Start here" message and
the answers of its three ways forward."""

from __future__ import annotations

from datetime import datetime

from bot.events import messages as event_messages
from bot.events.model import Answer, EventView
from bot.i18n import SUPPORTED_LOCALES, format_when, language_name, t
from bot.replies import Button, ButtonStyle, Reply
from bot.text import inert

# On Discord this button opens a form (a modal, cogs/welcome.py), so its id has no
# "feature:" prefix (cogs/render.py, FORM_BUTTONS); elsewhere it says what to type.
NEAR_BUTTON = "welcome-near"
SETTINGS_BUTTON = "welcome:settings"
EVENTS_BUTTON = "welcome:events"
# The zones offered as buttons; any other is typed with /settings timezone.
ZONES = ("Europe/Warsaw", "Europe/Amsterdam", "Europe/Brussels", "Europe/Sofia")


def _ways() -> tuple[Button, ...]:
    return (
        Button(NEAR_BUTTON, t("welcome.button.near"), ButtonStyle.PRIMARY),
        Button(SETTINGS_BUTTON, t("welcome.button.settings")),
        Button(EVENTS_BUTTON, t("welcome.button.events")),
    )


def card() -> Reply:
    """/start: the three ways forward, for the one who asked."""
    return Reply(t("welcome.card"), buttons=_ways(), ephemeral=True)


def with_ways(text: str) -> Reply:
    """Another front end's hello (Matrix's, when it is brought into a room) with the ways."""
    return Reply(text, buttons=_ways())


def greeting(user_id: str, mention: str) -> Reply:
    """A newcomer's hello, naming them, with the three ways forward."""
    return Reply(t("welcome.greeting", who=mention), buttons=_ways(), mentions=(user_id,))


def start_here() -> Reply:
    """The persistent "Start here" message: its buttons answer whoever presses them."""
    return Reply(t("welcome.start_here"), buttons=_ways())


def start_here_moved(channel: str) -> Reply:
    """What an old "Start here" message says once it was placed in another channel."""
    return Reply(t("welcome.start_here.moved", channel=inert(channel)))


def ask_town() -> Reply:
    """Where there is no form (console, Matrix): the command to type."""
    return Reply(t("welcome.near.ask"), ephemeral=True)


def no_groups() -> Reply:
    return Reply(
        t("welcome.near.no_groups"),
        buttons=(Button("group:guide", t("button.guide"), ButtonStyle.PRIMARY),),
        ephemeral=True,
    )


def settings(locale: str, timezone: str, now: datetime) -> Reply:
    """The person's language and zone, with a button for each language and common zone."""
    text = t(
        "welcome.settings",
        language=language_name(locale),
        timezone=timezone,
        now=format_when(now, timezone),
    )
    languages = tuple(
        Button(f"welcome:language:{code}", language_name(code)) for code in SUPPORTED_LOCALES
    )
    zones = tuple(Button(f"welcome:timezone:{zone}", zone) for zone in ZONES)
    return Reply(text, buttons=languages + zones, ephemeral=True)


def coming_up(views: list[EventView], now: datetime) -> Reply:
    """The next events for everyone, each with its card and a "Going" button."""
    if not views:
        return Reply(t("welcome.events.none"), ephemeral=True)
    buttons = []
    for view in views:
        [going] = [
            b
            for b in event_messages.rsvp_buttons(view.event, view.counts, now)
            if b.custom_id.endswith(f":{Answer.GOING.value}")
        ]
        label = t("welcome.button.going", title=view.event.title)[:80]
        buttons.append(Button(going.custom_id, label, going.style, disabled=going.disabled))
    return Reply(
        t("welcome.events.title"),
        embeds=tuple(event_messages.embed(v, now) for v in views),
        buttons=tuple(buttons),
        ephemeral=True,
    )
