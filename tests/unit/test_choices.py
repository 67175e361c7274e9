"""A choice is typed by its value or by its name in the reader's language."""

from __future__ import annotations

from tests.helpers.console import ConsoleSession


async def test_a_language_is_chosen_by_its_polish_name(console: ConsoleSession) -> None:
    answer = await console.one("/settings language language:angielski")
    assert "English" in answer["text"] or "english" in answer["text"].lower()
    shown = await console.one("/settings show")
    assert "English" in shown["text"]


async def test_forgetting_is_confirmed_with_tak(console: ConsoleSession) -> None:
    await console.say("/remind me when:jutro what:telefon")
    answer = await console.one("/privacy forget confirm:tak")
    assert answer["buttons"] == []
    listed = await console.one("/remind list")
    assert "telefon" not in listed["text"]


async def test_an_unknown_choice_lists_the_values(console: ConsoleSession) -> None:
    answer = await console.one("/privacy transcripts allowed:maybe")
    assert "on, off" in answer["text"]
