from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from bot.text import chunks, inert
from bot.timelang.timestamps import render, stamp


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
