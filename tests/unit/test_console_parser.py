from __future__ import annotations

import io
import json

import pytest

from bot.console.output import Event, Printer
from bot.console.parser import Line, parse_command, split_line
from bot.errors import UserError


def test_split_line_user_channel_and_text() -> None:
    line = split_line("@anna #jura /group join name:Jura")
    assert (line.user, line.channel, line.text) == ("anna", "jura", "/group join name:Jura")
    assert split_line("hello there") == split_line("  hello there ")
    assert split_line("#jura hi").user is None


def test_channel_before_person_is_the_same_line() -> None:
    expected = split_line("@ewa #jura /remind me what:x")
    assert split_line("#jura @ewa /remind me what:x") == expected
    assert expected == Line("ewa", "jura", "/remind me what:x")
    # Each at most once: a second person is the start of the text (chat), as before.
    assert split_line("@ewa #jura @jan hi") == Line("ewa", "jura", "@jan hi")
    assert split_line("#jura #kraków hi") == Line(None, "jura", "#kraków hi")


def test_options_plain_and_quoted() -> None:
    parsed = parse_command('/remind me when:"jutro o 18" what:telefon every:„co tydzień”')
    assert parsed.words == ["remind", "me"]
    assert parsed.options == {"when": "jutro o 18", "what": "telefon", "every": "co tydzień"}


def test_values_may_contain_colons_and_escaped_quotes() -> None:
    parsed = parse_command(r'/press id:signup:join:42:1 note:"say \"hi\""')
    assert parsed.options == {"id": "signup:join:42:1", "note": 'say "hi"'}


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ('/remind me what:"open', "error.console.unclosed_quote"),
        ("/remind me what:a what:b", "error.console.duplicate_option"),
        ("/remind me what:a stray", "error.console.word_after_options"),
    ],
)
def test_malformed_lines_are_user_errors(text: str, key: str) -> None:
    with pytest.raises(UserError) as caught:
        parse_command(text)
    assert caught.value.key == key


def test_text_mode_prints_what_a_person_reads_and_json_keeps_what_a_program_needs() -> None:
    event = Event(
        at="2026-01-15T10:00:00+01:00",
        reply_to=1,
        channel="general",
        to="jan",
        ephemeral=True,
        thread=None,
        text="Utworzono grupę **Jura**.",
        created={"type": "group", "id": 1},
    )
    text, data = io.StringIO(), io.StringIO()
    Printer(as_json=False, stream=text).emit(event)
    Printer(as_json=True, stream=data).emit(event)
    # No English bookkeeping line in a Polish conversation; programs read it from --json.
    assert "created" not in text.getvalue() and "Utworzono grupę" in text.getvalue()
    assert json.loads(data.getvalue())["created"] == {"type": "group", "id": 1}


def test_a_disabled_button_is_shown_locked_and_flagged_in_json() -> None:
    buttons = [
        {"id": "signup:join:1:1", "label": "Zapisz się · 1", "disabled": True},
        {"id": "signup:leave:1:1", "label": "Wypisz się · 1", "disabled": False},
    ]
    event = Event(
        at="2026-01-15T10:00:00+01:00",
        reply_to=None,
        channel="general",
        to=None,
        ephemeral=False,
        thread=None,
        text="📋 Sup",
        buttons=buttons,
    )
    text, data = io.StringIO(), io.StringIO()
    Printer(as_json=False, stream=text).emit(event)
    Printer(as_json=True, stream=data).emit(event)
    assert "[signup:join:1:1] 🔒 Zapisz się · 1" in text.getvalue()
    assert "[signup:leave:1:1] Wypisz się · 1" in text.getvalue()
    assert [b["disabled"] for b in json.loads(data.getvalue())["buttons"]] == [True, False]
