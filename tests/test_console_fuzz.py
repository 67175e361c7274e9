"""Random text, options, lengths, mentions and unicode at every command through the parser:
nothing escapes, every command line gets an answer, the database stays sound."""

from __future__ import annotations

import asyncio
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.console.parser import split_line
from tests.helpers.console import ConsoleSession, open_console

NASTY = st.sampled_from(
    [
        "@everyone",
        "@here",
        "<@123>",
        "**x**",
        "`",
        '"',
        "„",
        "\\",
        "#",
        ":",
        "\u200b",
        "🍩",
        "Łazy",
        "ąęłńóśźż",
        "Трети март",
        "\x00",
        " ",
        "x" * 5000,
        "0",
        "-1",
        "9" * 30,
        "2026-02-30",
        "25:00",
        "yes",
        "admin",
        "Europe/Warsaw",
        "../../etc",
        "@anna",
    ]
)
VALUE = st.one_of(NASTY, st.text(max_size=60), st.integers().map(str))
OPTION_NAME = st.from_regex(r"[a-z_]{1,8}", fullmatch=True)


def command_lines(paths: list[tuple[str, list[str]]]) -> st.SearchStrategy[str]:
    @st.composite
    def build(draw: st.DrawFn) -> str:
        path, options = draw(st.sampled_from(paths))
        known = st.sampled_from(options) if options else OPTION_NAME
        names = draw(st.lists(st.one_of(known, OPTION_NAME), max_size=4, unique=True))
        parts = [f"/{path}"]
        for name in names:
            value = draw(VALUE).replace("\n", " ")
            quoted = '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
            bare = value.split(" ")[0] or "x"
            parts.append(f"{name}:{draw(st.sampled_from([quoted, bare]))}")
        user = draw(st.sampled_from(["", "@anna ", "@admin ", "@Żaneta "]))
        channel = draw(st.sampled_from(["", "#general ", "#jura "]))
        return user + channel + " ".join(parts)

    return build()


def test_every_command_line_gets_an_answer_and_the_database_stays_sound(tmp_path: Path) -> None:
    loop = asyncio.new_event_loop()
    session: ConsoleSession = loop.run_until_complete(
        open_console(tmp_path / "fuzz.sqlite3", tmp_path / "files")
    )
    paths = [(c.path, [o.name for o in c.options]) for c in session.app.registry.all()]
    # Keep the clock where it is: the fuzz is about input, not about moving time.
    paths = [p for p in paths if not p[0].startswith("clock")]

    async def feed(lines: list[str]) -> None:
        for line in lines:
            clean = line.replace("\n", " ").replace("\r", " ")
            events = await session.say(clean)
            if split_line(clean).text.startswith("/"):
                assert events, f"no answer to {clean!r}"
            for event in events:
                assert "Traceback" not in event["text"]
                assert event["text"] or event["embeds"]

    @settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.lists(st.one_of(command_lines(paths), st.text(max_size=80)), min_size=1, max_size=5))
    def run(lines: list[str]) -> None:
        loop.run_until_complete(feed(lines))

    try:
        run()
        db = session.app.db
        assert loop.run_until_complete(db.integrity_check()) == "ok"
        roles = loop.run_until_complete(db.fetchall("SELECT DISTINCT role FROM role_grants"))
        assert {r["role"] for r in roles} <= {"initiator", "moderator", "admin"}
    finally:
        loop.run_until_complete(session.app.close())
        loop.close()
