"""What Tab offers in the interactive console, read from the running app's commands."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.console.terminal import Completion
from bot.i18n import SUPPORTED_LOCALES, t
from tests.helpers.console import ConsoleSession, open_console


@pytest.fixture
def tab(console: ConsoleSession) -> Completion:
    return Completion(console.room.commands())


def test_command_words_complete_one_at_a_time(tab: Completion) -> None:
    assert tab.candidates("", "/rem") == ["/remind "]
    assert tab.candidates("", "/p") == [
        "/panel ",
        "/poll ",
        "/press ",
        "/privacy ",
        "/profile ",
        "/program ",
    ]
    assert tab.candidates("/remind ", "") == [
        "cancel ",
        "channel ",
        "edit ",
        "list ",
        "me ",
        "snooze ",
    ]
    assert tab.candidates("/group meeting ", "s") == ["skip ", "swap "]
    assert tab.candidates("/REMIND ", "Sn") == ["snooze "]


def test_the_console_own_commands_are_offered(tab: Completion) -> None:
    assert tab.candidates("", "/cl") == ["/clock "]
    assert tab.candidates("/clock ", "") == ["advance ", "set "]


def test_a_command_offers_the_options_not_given_yet(tab: Completion) -> None:
    assert tab.candidates("/remind me ", "") == ["when:", "what:", "every:"]
    assert tab.candidates("/remind me ", "w") == ["when:", "what:"]
    assert tab.candidates('/remind me when:"jutro o 18" ', "") == ["what:", "every:"]
    assert tab.candidates("/help ", "") == ["command:"]


def test_an_option_with_choices_offers_them(tab: Completion) -> None:
    assert tab.candidates("/settings language ", "language:") == [
        "language:pl ",
        "language:en ",
        "language:nl ",
        "language:bg ",
    ]
    assert tab.candidates("/event rsvp event:1 ", "answer:m") == ["answer:maybe "]
    assert tab.candidates("/remind me ", "when:j") == []  # free text: nothing to offer


def test_person_and_channel_may_lead_the_line(tab: Completion) -> None:
    assert tab.candidates("@ewa ", "/rem") == ["/remind "]
    assert tab.candidates("#jura @ewa ", "/remind") == ["/remind "]
    assert tab.candidates("@ewa #jura /remind ", "m") == ["me "]


@pytest.mark.parametrize(
    ("before", "word"),
    [
        ("", "rem"),  # chat, not a command
        ("hello ", "/rem"),  # a slash inside a sentence
        ('/remind me what:"Zadzwonić do ', "Pi"),  # inside a quoted value
        ("/nonsense ", ""),  # no such command
        ("/remind me ", "nothing"),  # no such option
        ("", "@ew"),  # people are not guessed
    ],
)
def test_nothing_is_offered_where_nothing_fits(tab: Completion, before: str, word: str) -> None:
    assert tab.candidates(before, word) == []


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
async def test_the_banner_is_in_the_console_language(tmp_path: Path, locale: str) -> None:
    session = await open_console(tmp_path / "c.sqlite3", tmp_path / "files", locale=locale)
    try:
        banner = await session.room.welcome()
    finally:
        await session.app.close()
    assert banner == t("console.welcome", locale=locale) + "\n"
    assert "/help" in banner and "Tab" in banner


async def test_the_banner_follows_the_language_the_admin_chose(console: ConsoleSession) -> None:
    await console.say("/settings language language:nl")
    assert (await console.room.welcome()).startswith("Podaj dalej — console. Typ /help")
