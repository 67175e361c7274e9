"""The welcome on the real PodajBot through the Discord API double: Ola joins a server
whose bot has the Server Members intent, is greeted in the "Start here" channel, types
"Kroczyce" into the form of "Find a group near me", gets the group in Pilica with its
distance and joins it with one press. The "Start here" message's buttons work for anyone,
after a restart too; a second join brings no second greeting; without the intent nobody is
greeted, and the message and /start offer the same."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from .conftest import _harness
from .discord_double import DiscordDouble
from .discord_double import state as st
from .discord_double.harness import Harness
from .discord_double.interactions import CommandNotAvailable

WAYS = ["📍 Znajdź grupę blisko mnie", "🌐 Ustaw język i strefę czasową", "📅 Co nas czeka"]


@pytest.fixture
async def dc_members(
    double: DiscordDouble, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[Harness]:
    """The bot asks for the Server Members intent, which the double grants."""
    monkeypatch.setenv("DISCORD_MEMBERS_INTENT", "true")
    async for harness in _harness(double, tmp_path, "podaj", subprocess=False):
        yield harness


async def start_here_in_general(dc: Harness) -> st.Message:
    shown = await dc.slash("admin", "setup server", welcome="#general")
    assert shown.ephemeral and "#general" in str(shown.embeds)
    [message] = dc.messages("#general")
    assert message.content.startswith("**Zacznij tutaj** 👋")
    assert [b["label"] for b in message.buttons] == WAYS
    return message


async def pilica(dc: Harness, **extra: str) -> None:
    made = await dc.slash("admin", "group create", name="Pilica", city="Pilica", **extra)
    assert made.text.startswith("Utworzono grupę **Pilica**"), made.text


def labels(message: st.Message | None) -> list[str]:
    assert message is not None
    return [b["label"] for b in message.buttons]


async def test_a_newcomer_is_greeted_finds_the_group_in_pilica_and_joins(
    dc_members: Harness,
) -> None:
    dc = dc_members
    await start_here_in_general(dc)
    await pilica(dc)
    ola = dc.member_joins("ola")
    await dc.wait_until(lambda: len(dc.messages("#general")) == 2, what="the greeting")
    hello = dc.messages("#general")[-1]
    assert hello.content.startswith(f"👋 Witaj, <@{ola.id}>! To sieć dyrektorów bibliotek")
    assert [b["label"] for b in hello.buttons] == WAYS

    form = await dc.press("ola", hello, "📍 Znajdź grupę blisko mnie")
    assert form.modal is not None and form.modal["title"] == "Znajdź grupę blisko mnie"
    near = await dc.submit_modal("ola", form, {"town": "Kroczyce"})
    assert near.ephemeral
    assert near.text.splitlines() == [
        "Najbliższe grupy — Kroczyce (śląskie, PL):",
        "• **Pilica** — Pilica (śląskie, PL) · 12 km",
    ]
    assert labels(near.message) == ["Dołącz: Pilica"]
    joined = await dc.press("ola", near.message, "Dołącz: Pilica")
    assert joined.text.startswith("Witaj w grupie **Pilica**")
    assert "Pilica" in dc.member_roles("ola")

    # Joining again (left and came back) brings no second greeting.
    dc.member_joins("ola2")
    await dc.wait_until(lambda: len(dc.messages("#general")) == 3, what="Ola2's greeting")
    dc.double.dispatch(
        "GUILD_MEMBER_ADD",
        {**dc.double.payloads.member(dc.guild.members[ola.id]), "guild_id": str(dc.guild.id)},
    )
    await dc.settle()
    assert len(dc.messages("#general")) == 3


async def test_start_here_works_for_anyone_after_a_restart_with_a_group_by_approval(
    dc: Harness,
) -> None:
    message = await start_here_in_general(dc)
    await pilica(dc, join="approval", initiator="ewa")
    await dc.restart()
    form = await dc.press("anna", message, "📍 Znajdź grupę blisko mnie")
    unknown = await dc.submit_modal("anna", form, {"town": "Krocyce"})
    assert unknown.text.startswith("Nie znam miejscowości „Krocyce”. Czy chodzi o: Kroczyce")
    # Only spaces pass the form's own check: the answer asks for the town, not the card.
    form = await dc.press("anna", message, "📍 Znajdź grupę blisko mnie")
    blank = await dc.submit_modal("anna", form, {"town": "   "})
    assert blank.text.startswith("W jakiej miejscowości jesteś?"), blank.text
    form = await dc.press("anna", message, "📍 Znajdź grupę blisko mnie")
    near = await dc.submit_modal("anna", form, {"town": "Kroczyce"})
    asked = await dc.press("anna", near.message, "Poproś o dołączenie: Pilica")
    assert asked.text.startswith("Wysłano prośbę o dołączenie do grupy **Pilica**")
    assert dc.messages("#pilica")[-1].content == "Anna chce dołączyć do grupy **Pilica**."

    settings = await dc.press("jan", message, "🌐 Ustaw język i strefę czasową")
    assert settings.ephemeral and "Europe/Warsaw" in settings.text
    english = await dc.press("jan", settings.message, "English")
    assert english.text == "I will write to you in English."
    coming = await dc.press("jan", message, WAYS[2])
    assert coming.text.startswith("No events for the whole network are planned yet")


async def test_without_the_members_intent_nobody_is_greeted(dc: Harness) -> None:
    await start_here_in_general(dc)
    dc.member_joins("ola")
    await dc.settle()
    assert len(dc.messages("#general")) == 1
    card = await dc.slash("ola", "start")
    assert card.ephemeral and labels(card.message) == WAYS


async def test_only_an_admin_places_the_start_here_message(dc: Harness) -> None:
    # Discord shows /setup to administrators only (the core refuses anyone else too).
    with pytest.raises(CommandNotAvailable, match="anna does not see /setup"):
        await dc.slash("anna", "setup server", welcome="#general")
    assert dc.messages("#general") == []
