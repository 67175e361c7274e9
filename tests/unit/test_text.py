from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.console.parser import parse_command
from bot.i18n import SUPPORTED_LOCALES, t
from bot.text import chunks, command_value, inert
from bot.timelang.timestamps import render, stamp
from matrix.markup import plain


def test_inert_escapes_markdown_and_mentions() -> None:
    shown = inert("**Jura** @everyone <@123> <#456> @here")
    assert "**" not in shown.replace("\\*", "")
    assert "@everyone" not in shown and "@here" not in shown
    assert "<@123>" not in shown and "<#456>" not in shown


@given(st.text(max_size=5000), st.integers(min_value=20, max_value=2000))
def test_chunks_respect_the_limit_and_keep_the_words(text: str, limit: int) -> None:
    pieces = chunks(text, limit)
    assert all(len(p) <= limit for p in pieces)
    assert "".join("".join(p.split()) for p in pieces) == "".join(text.split())


def test_timestamps_render_in_the_readers_zone_and_language() -> None:
    at = datetime(2026, 2, 12, 17, 0, tzinfo=UTC)
    now = datetime(2026, 2, 10, 17, 0, tzinfo=UTC)
    text = f"Spotkanie {stamp(at, 'F')} ({stamp(at, 'R')})"
    assert render(text, now=now, tz="Europe/Warsaw", locale="pl") == (
        "Spotkanie czwartek, 12 lutego 2026 18:00 CET (za 2 dni)"
    )
    assert "19:00" in render(stamp(at, "t"), now=now, tz="Europe/Sofia", locale="bg")


AWKWARD = [
    "Jura",
    "Sofia Libraries",
    "A&B \"quote\" 'x'",
    "Biblioteki „Pod Lipą”",
    "“Jura”",
    "'s-Hertogenbosch",
    "Jura_Północ *nowa*",
    "a \"b\" 'c' „d”",
    "back\\slash",
    "",
]


@pytest.mark.parametrize("name", AWKWARD)
@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_a_hint_typed_as_read_gives_the_value_back(name: str, locale: str) -> None:
    hint = t("digest.group.join", group=inert(command_value(name)), locale=locale)
    # As Discord and Matrix show it, inert's escapes taken out: what people copy there.
    assert parse_command(plain(hint)).options == {"name": name}
    if "\\" not in command_value(name):
        # The console prints the text as it is, inert's escapes and all: they come out
        # inside quotes, but a backslash of the value's own is doubled there.
        assert parse_command(hint).options == {"name": name}


@given(st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=30))
def test_any_value_comes_back_from_where_it_is_read(value: str) -> None:
    assert parse_command(plain(f"/group join name:{inert(command_value(value))}")).options == {
        "name": value
    }


def test_a_plain_word_stays_bare_and_a_command_path_is_quoted() -> None:
    assert command_value("Jura") == "Jura"
    assert command_value("remind me") == '"remind me"'
    assert command_value("A&B \"quote\" 'x'") == "„A&B \"quote\" 'x'”"
