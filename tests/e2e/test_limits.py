"""The double's copy of Discord's limits, checked on raw payloads (no bot needed)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from tests.helpers.clock import START

from .discord_double import limits
from .discord_double.errors import DiscordError


def button(label: str = "ok", custom_id: str = "b") -> dict[str, Any]:
    return {"type": 2, "style": 1, "label": label, "custom_id": custom_id}


def row(*components: dict[str, Any]) -> dict[str, Any]:
    return {"type": 1, "components": list(components)}


def field(name: str = "n", value: str = "v") -> dict[str, Any]:
    return {"name": name, "value": value}


TOO_MUCH: dict[str, tuple[dict[str, Any], str]] = {
    "content over 2000": ({"content": "x" * 2001}, "content"),
    "six action rows": (
        {"components": [row(button(custom_id=f"b{i}")) for i in range(6)]},
        "components",
    ),
    "six buttons in a row": (
        {"components": [row(*(button(custom_id=f"b{i}") for i in range(6)))]},
        "components.0.components",
    ),
    "custom_id over 100": ({"components": [row(button(custom_id="c" * 101))]}, "custom_id"),
    "label over 80": ({"components": [row(button(label="l" * 81))]}, "label"),
    "eleven embeds": ({"embeds": [{"title": "t"}] * 11}, "embeds"),
    "embed title over 256": ({"embeds": [{"title": "t" * 257}]}, "embeds.0.title"),
    "embed description over 4096": ({"embeds": [{"description": "d" * 4097}]}, "description"),
    "26 embed fields": ({"embeds": [{"fields": [field()] * 26}]}, "fields"),
    "field name over 256": ({"embeds": [{"fields": [field(name="n" * 257)]}]}, "name"),
    "field value over 1024": ({"embeds": [{"fields": [field(value="v" * 1025)]}]}, "value"),
    "footer over 2048": ({"embeds": [{"footer": {"text": "f" * 2049}}]}, "footer"),
    "embeds over 6000 in total": (
        {"embeds": [{"description": "d" * 4000}, {"description": "d" * 2001}]},
        "MAX_EMBED_SIZE_EXCEEDED",
    ),
    "poll with 11 answers": (
        {"poll": {"question": {"text": "q"}, "answers": [{"poll_media": {"text": "a"}}] * 11}},
        "poll.answers",
    ),
}


@pytest.mark.parametrize("case", TOO_MUCH, ids=list(TOO_MUCH))
def test_message_limits_answer_invalid_form_body(case: str) -> None:
    body, where = TOO_MUCH[case]
    with pytest.raises(DiscordError) as exc:
        limits.check_message(body, creating=True)
    assert exc.value.status == 400 and exc.value.code == 50035
    rendered = repr(exc.value.errors)
    assert all(part in rendered for part in where.split("."))


def test_limits_accept_the_maximum() -> None:
    limits.check_message(
        {
            "content": "x" * 2000,
            "components": [
                row(*(button("l" * 80, f"{r}-{i}") for i in range(5))) for r in range(5)
            ],
            "embeds": [{"title": "t" * 256, "fields": [field()] * 25}],
        },
        creating=True,
    )


def test_empty_message_is_refused() -> None:
    with pytest.raises(DiscordError) as exc:
        limits.check_message({"content": ""}, creating=True)
    assert exc.value.code == 50006


def test_scheduled_event_rules_follow_the_doubles_clock() -> None:
    now = START
    body = {
        "name": "Zebranie",
        "privacy_level": 2,
        "entity_type": 3,
        "entity_metadata": {"location": "Biblioteka"},
        "scheduled_start_time": (now + timedelta(hours=1)).isoformat(),
        "scheduled_end_time": (now + timedelta(hours=2)).isoformat(),
    }
    limits.check_scheduled_event(body, now=now, creating=True)
    with pytest.raises(DiscordError, match="50035"):
        limits.check_scheduled_event(body, now=now + timedelta(hours=3), creating=True)
    with pytest.raises(DiscordError, match="50035"):
        limits.check_scheduled_event({**body, "scheduled_end_time": None}, now=now, creating=True)


def test_command_definitions_are_checked() -> None:
    good = {"name": "remind", "description": "Przypomnienia", "type": 1}
    limits.check_commands([good])
    for bad in (
        {**good, "name": "Remind"},
        {**good, "description": ""},
        {
            **good,
            "options": [
                {"name": "a", "description": "a", "type": 3},
                {"name": "b", "description": "b", "type": 3, "required": True},
            ],
        },
    ):
        with pytest.raises(DiscordError):
            limits.check_commands([bad])
