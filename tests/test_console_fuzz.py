"""Hostile input at every command of the registry, through one console session: no answer
is ever the internal-error reply (in any language), nothing is logged as a crash, every
command line gets an answer, the database stays sound.

Two parts feed the same session, which first gets one of everything (a group, an event, a
sheet, polls, a panel, a programme, a series …) so that commands reach their deep paths:

- a sweep, table-driven: every command × every option × every hostile value (unicode
  digits, huge numbers, blanks, control characters, zones, dates, lookalikes, long text),
  the other required options filled with values that work, as four different people;
- hypothesis: random lines built from the registry's commands and options, button ids
  drawn from the registry's own patterns, chat lines, small moves of the clock.

Together at least MIN_LINES lines. A finding names the line and the logged exception.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.commands import Command, Option, OptionType
from bot.console.parser import split_line
from bot.i18n import SUPPORTED_LOCALES, t
from tests.helpers.console import ConsoleSession, open_console

MIN_LINES = 10_000
# Hypothesis examples of 4 to 8 lines each; FUZZ_EXAMPLES=5000 runs more of them.
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "400"))

# Unicode digits, huge numbers, blanks, control characters, zones, dates, lookalikes,
# long text: each value goes into every option of every command.
HOSTILE: tuple[str, ...] = (
    "²",
    "٣",
    "３",
    "#¹²",
    "𝟙",
    "-1",
    "9" * 30,
    "1_000",
    "",
    "   ",
    "\u2028",
    "\u200b\u3164",
    "\x00",
    "\x1b[31m",
    "localtime",
    "posix/Europe/Warsaw",
    "Etc/GMT+5",
    "europe/warsaw",
    "9999-12",
    "0001-01-01 00:00",
    "1 stycznia 10000",
    "za 99999 lat",
    "31 lutego",
    "9999999999h",
    "Jur\u0430",
    "Ju\u00adra",
    "\u202eJura",
    "Ｓｕｐｅｒｗｉｚｊａ",
    "x" * 5000,
    "ą" * 1001,
    "@everyone <@123> **x**",
    "kawa; Kawa",
    "jutro o 10; jutro 10:00",
    "@anna @anna",
    "#1",
    "2",
    "a|b|c",
    '"',
    "FREQ=WEEKLY;UNTIL=99991231",
    "🍩" * 60,
)
MORE_HOSTILE: tuple[str, ...] = (
    "0",
    "+1",
    "1e9",
    "0x10",
    "NaN",
    "1.5",
    "\t",
    "\u00a0",
    "a\x7fb",
    "Factory",
    "right/UTC",
    "Poland",
    "../../etc/passwd",
    "0001-01",
    "2026-02-30",
    "9999-12-31 23:59",
    "25:00",
    "-1h",
    "1000000d",
    "Ju\u200dra",
    "\u0408ur\u0430",
    "@here",
    "\\",
    "„",
)
# The clock only moves a little: the fuzz is about input, not about years passing.
CLOCK_VALUES: tuple[str, ...] = (
    "²h",
    "٣h",
    "-1h",
    "0",
    "",
    "   ",
    "\x00",
    "x" * 5000,
    "9999999999h",
    "10m",
    "2026-02-30T10:00",
    "9999-12-31T23:59",
    "0001-01-01T00:00",
    "2020-01-01T00:00",
    "２０２６-01-15T12:00",
)
# Values that work, per option name, so that a hostile value in one option meets the
# code behind the others.
VALID: dict[str, str] = {
    "name": "Jura",
    "city": "Zawiercie",
    "when": "jutro o 10",
    "what": "telefon",
    "duration": "1h",
    "title": "Nowy tytuł",
    "kind": "forum",
    "event": "1",
    "sheet": "1",
    "slot": "1",
    "poll": "1",
    "option": "1",
    "panel": "1",
    "program": "1",
    "session": "2",
    "theme": "Zmiana",
    "themes": "Przywództwo; Zmiana",
    "starts": "za 3 dni o 9",
    "ends": "za 30 dni o 17",
    "slots": "jutro o 10; za 2 dni o 10",
    "capacity": "2",
    "options": "jutro o 12; za 2 dni o 12",
    "question": "1",
    "id": "1",
    "goal": "1",
    "goals": "Zespół; Makerspace",
    "text": "Tekst",
    "hosts": "Łazy; Pilica",
    "first": "za 3 dni o 10",
    "every": "weekly",
    "month": "2026-02",
    "timezone": "Europe/Sofia",
    "series": "1",
    "by": "10m",
    "at": "2026-01-15T10:30",
    "user": "@anna",
    "users": "@anna @jan",
    "panelists": "@jan @anna",
    "coach": "@ewa",
    "guild_role": "@Moderatorzy",
    "role": "moderator",
    "language": "en",
    "allowed": "on",
    "answer": "going",
    "command": "remind",
}
PEOPLE = ("", "@anna ", "@mod ", "@ewa #jura ")
PRELUDE = (
    "/setup server forum:#ogloszenia log:#dziennik",
    "/role grant user:@mod role:moderator",
    "/role grant user:@ewa role:initiator",
    "/group create name:Jura city:Zawiercie initiator:@ewa",
    "@anna /group join name:Jura",
    '@mod /event create title:Forum kind:forum when:"jutro o 10" duration:2h',
    '@mod /signup create title:Superwizja slots:"jutro o 10; za 3 dni o 10" capacity:1',
    '@mod /poll quick question:"Kawa?" options:"kawa; herbata"',
    '@mod /poll dates question:"Kiedy?" options:"jutro o 10; za 2 dni o 10"',
    '@mod /panel create topic:Biblioteka when:"za 1 godzinę" panelists:"@jan @anna"',
    "@mod /panel start panel:1 thread:no",
    '@mod /program create name:Liderzy themes:"Przywództwo; Zmiana" starts:"za 2 dni o 9" '
    'ends:"za 60 dni o 17" capacity:2',
    '@mod /program session add program:Liderzy theme:Zmiana when:"za 3 dni o 10" duration:2h',
    '/remind me when:"jutro o 18" what:telefon',
    '@anna /learning goals set goals:"Zespół; Makerspace"',
    '@mod /event series create title:Seria kind:training first:"za 3 dni o 10" every:weekly '
    "duration:1h",
)
INTERNAL = frozenset(t("error.internal", locale=locale) for locale in SUPPORTED_LOCALES)


def quote(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def valid(option: Option) -> str:
    if option.name in VALID:
        return VALID[option.name]
    if option.choices:
        return option.choices[0]
    return {
        OptionType.INTEGER: "1",
        OptionType.BOOLEAN: "yes",
        OptionType.USER: "@anna",
        OptionType.CHANNEL: "#jura",
        OptionType.ROLE: "@Moderatorzy",
    }.get(option.type, "x")


def hostile_for(command: Command) -> tuple[str, ...]:
    return CLOCK_VALUES if command.path.startswith("clock") else HOSTILE


def line(command: Command, values: dict[str, str], who: str) -> str:
    """The command with `values`, and every other required option filled in."""
    parts = [f"/{command.path}"]
    for option in command.options:
        if option.name in values:
            parts.append(f"{option.name}:{quote(values[option.name])}")
        elif option.required:
            parts.append(f"{option.name}:{quote(valid(option))}")
    return who + " ".join(parts)


def sweep(commands: list[Command]) -> Iterator[str]:
    """Every command × every option × every hostile value (a command without options is
    said by each person)."""
    for command in commands:
        if not command.options:
            yield from (line(command, {}, who) for who in PEOPLE)
        for option in command.options:
            for i, value in enumerate(hostile_for(command)):
                yield line(command, {option.name: value}, PEOPLE[i % len(PEOPLE)])


def random_lines(commands: list[Command], buttons: list[str]) -> st.SearchStrategy[str]:
    value = st.one_of(
        st.sampled_from(HOSTILE + MORE_HOSTILE),
        st.sampled_from(sorted(set(VALID.values()))),
        st.text(max_size=60),
        st.integers().map(str),
    )
    who = st.sampled_from(PEOPLE)

    @st.composite
    def command_line(draw: st.DrawFn) -> str:
        command = draw(st.sampled_from([c for c in commands if not c.path.startswith("clock")]))
        names = [o.name for o in command.options]
        chosen = draw(st.lists(st.sampled_from(names), unique=True)) if names else []
        values = {n: draw(value).replace("\n", " ") for n in chosen}
        return line(command, values, draw(who))

    press = st.builds(
        lambda w, custom_id: f"{w}/press id:{quote(custom_id)}",
        who,
        st.one_of([st.from_regex(b, fullmatch=True) for b in buttons]).map(
            lambda s: s.replace("\n", " ")[:100]
        ),
    )
    chat = st.builds(
        lambda where, text: where + text.replace("\n", " "),
        st.sampled_from(("", "#jura ", "@anna #panel-1-biblioteka ")),
        st.text(max_size=80),
    )
    clock = st.sampled_from(("/clock advance by:10m", "/clock advance by:1h"))
    return st.one_of(command_line(), command_line(), command_line(), press, chat, clock)


class Crashes(logging.Handler):
    """Every record logged with a traceback: a crash somewhere, even one answered well."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info:
            self.records.append(record)


def test_no_line_at_any_command_gets_the_internal_error(tmp_path: Path) -> None:
    loop = asyncio.new_event_loop()
    session: ConsoleSession = loop.run_until_complete(
        open_console(tmp_path / "fuzz.sqlite3", tmp_path / "files")
    )
    crashes = Crashes()
    logging.getLogger().addHandler(crashes)
    commands = sorted(session.app.registry.all(), key=lambda c: c.path)
    buttons = [route.pattern.pattern for route in session.app.registry._buttons]
    fed = 0

    async def feed(lines: list[str]) -> None:
        nonlocal fed
        for text in lines:
            clean = text.replace("\n", " ").replace("\r", " ")
            fed += 1
            events = await session.say(clean)
            _check(clean, events, crashes)

    try:
        for text in PRELUDE:
            events = loop.run_until_complete(session.say(text))
            assert events and not any(e["text"] in INTERNAL for e in events), text
        loop.run_until_complete(feed(list(sweep(commands))))

        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            database=None,
        )
        @given(st.lists(random_lines(commands, buttons), min_size=4, max_size=8))
        def run(lines: list[str]) -> None:
            loop.run_until_complete(feed(lines))

        run()
        assert fed >= MIN_LINES, fed
        db = session.app.db
        assert loop.run_until_complete(db.integrity_check()) == "ok"
        roles = loop.run_until_complete(db.fetchall("SELECT DISTINCT role FROM role_grants"))
        assert {r["role"] for r in roles} <= {"initiator", "moderator", "admin"}
    finally:
        logging.getLogger().removeHandler(crashes)
        loop.run_until_complete(session.app.close())
        loop.close()


def _check(text: str, events: list[dict[str, Any]], crashes: Crashes) -> None:
    if crashes.records:
        record = crashes.records[0]
        crashes.records.clear()
        assert record.exc_info is not None
        trace = logging.Formatter().formatException(record.exc_info)
        raise AssertionError(f"{text!r} crashed: {record.getMessage()}\n{trace}")
    if split_line(text).text.startswith("/"):
        assert events, f"no answer to {text!r}"
    for event in events:
        assert event["text"] not in INTERNAL, f"internal error for {text!r}"
        assert "Traceback" not in event["text"], text
        assert event["text"] or event["embeds"], text
