"""Every command's example (`cmd.<path>.example`), in every language, works.

The examples are what `/help command:…`, the missing-option answer and docs/commands/
show, so each one runs through the console in a prepared world — a server set up in that
language with a group, a sheet, polls, events, a live panel, a programme — as the admin,
each in its own copy of that world, and must be answered without a refusal, a user error
or an internal error. An example that stops working fails here.
"""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from bot.console.parser import read_command
from bot.errors import UserError
from bot.i18n import SUPPORTED_LOCALES, has_key, t
from tests.helpers.console import ConsoleSession, open_console

# Names in each language's world; the examples refer to them.
NAMES: dict[str, dict[str, str]] = {
    "pl": {
        "zone": "Europe/Warsaw",
        "forum": "ogloszenia",
        "log": "dziennik",
        "panels": "panele",
        "initiator": "ewa",
        "member": "jan",
        "asker": "anna",
        "moderator": "marek",
        "library": "MBP Zawiercie",
        "town": "Zawiercie",
        "initiator_library": "GBP Pilica",
        "initiator_town": "Pilica",
        "group": "Jura",
        "city": "Zawiercie",
        "group2": "Pilica",
        "city2": "Pilica",
        "hosts": "Zawiercie; Łazy; Pilica",
        "reminder": "Zadzwonić do Pilicy",
        "sheet": "Superwizja — luty",
        "topic1": "Budżet",
        "topic2": "Zespół",
        "dates_poll": "Kiedy spotkanie grupy?",
        "quick_poll": "Kawa czy herbata?",
        "answers": "kawa; herbata",
        "event": "Forum dyrektorów — wiosna",
        "place": "Biblioteka Śląska",
        "group_event": "Spotkanie grupy Jura",
        "series": "Superwizja miesięczna",
        "panel": "Biblioteka po godzinach",
        "panel2": "Czytelnia przyszłości",
        "question": "Jak liczyć godziny pracy po zmroku?",
        "program": "Liderzy 2026",
        "themes": "Przywództwo; Zmiana w bibliotece; Coaching",
        "theme": "Coaching",
        "goals": "Samodzielny zespół; Pracownia makerska",
        "initiator_goals": "Nowa filia",
    },
    "en": {
        "zone": "Europe/London",
        "forum": "announcements",
        "log": "log",
        "panels": "panels",
        "initiator": "emma",
        "member": "jack",
        "asker": "olivia",
        "moderator": "mark",
        "library": "Kraków Public Library",
        "town": "Kraków",
        "initiator_library": "Zakopane Town Library",
        "initiator_town": "Zakopane",
        "group": "Riverside",
        "city": "Kraków",
        "group2": "Uplands",
        "city2": "Zakopane",
        "hosts": "Kraków; Wieliczka; Niepołomice",
        "reminder": "Call the Zakopane library",
        "sheet": "Supervision — February",
        "topic1": "Budget",
        "topic2": "Team",
        "dates_poll": "When shall the group meet?",
        "quick_poll": "Coffee or tea?",
        "answers": "coffee; tea",
        "event": "Directors' forum — spring",
        "place": "Kraków Public Library",
        "group_event": "Riverside group meeting",
        "series": "Monthly supervision",
        "panel": "The library after hours",
        "panel2": "The reading room of the future",
        "question": "How do we count working hours after dark?",
        "program": "Leaders 2026",
        "themes": "Leadership; Change in the library; Coaching",
        "theme": "Coaching",
        "goals": "A self-reliant team; A makerspace",
        "initiator_goals": "A new branch library",
    },
    "nl": {
        "zone": "Europe/Amsterdam",
        "forum": "aankondigingen",
        "log": "logboek",
        "panels": "panels",
        "initiator": "sanne",
        "member": "joris",
        "asker": "anouk",
        "moderator": "bram",
        "library": "Bibliotheek Eindhoven",
        "town": "Eindhoven",
        "initiator_library": "Bibliotheek Helmond",
        "initiator_town": "Helmond",
        "group": "Kempen",
        "city": "Eindhoven",
        "group2": "Peelland",
        "city2": "Helmond",
        "hosts": "Eindhoven; Veldhoven; Best",
        "reminder": "Bibliotheek Helmond bellen",
        "sheet": "Intervisie — februari",
        "topic1": "Begroting",
        "topic2": "Team",
        "dates_poll": "Wanneer komt de groep bijeen?",
        "quick_poll": "Koffie of thee?",
        "answers": "koffie; thee",
        "event": "Directeurenforum — voorjaar",
        "place": "Bibliotheek Eindhoven",
        "group_event": "Bijeenkomst Kempen",
        "series": "Maandelijkse intervisie",
        "panel": "De bibliotheek na sluitingstijd",
        "panel2": "De leeszaal van de toekomst",
        "question": "Hoe tellen we de werkuren na zonsondergang?",
        "program": "Leiders 2026",
        "themes": "Leiderschap; Verandering in de bibliotheek; Coaching",
        "theme": "Coaching",
        "goals": "Een zelfstandig team; Een makerspace",
        "initiator_goals": "Een nieuwe vestiging",
    },
    "bg": {
        "zone": "Europe/Sofia",
        "forum": "обяви",
        "log": "дневник",
        "panels": "панели",
        "initiator": "maria",
        "member": "ivan",
        "asker": "elena",
        "moderator": "georgi",
        "library": "Регионална библиотека Смолян",
        "town": "Смолян",
        "initiator_library": "Библиотека Пловдив",
        "initiator_town": "Пловдив",
        "group": "Родопи",
        "city": "Смолян",
        "group2": "Тракия",
        "city2": "Пловдив",
        "hosts": "Смолян; Мадан; Девин",
        "reminder": "Да се обадя в Мадан",
        "sheet": "Супервизия — февруари",
        "topic1": "Бюджет",
        "topic2": "Екип",
        "dates_poll": "Кога да се срещне групата?",
        "quick_poll": "Кафе или чай?",
        "answers": "кафе; чай",
        "event": "Форум на директорите — пролет",
        "place": "Регионална библиотека Смолян",
        "group_event": "Среща на група Родопи",
        "series": "Месечна супервизия",
        "panel": "Библиотеката след работно време",
        "panel2": "Читалнята на бъдещето",
        "question": "Как да броим работните часове след мръкване?",
        "program": "Лидери 2026",
        "themes": "Лидерство; Промяна в библиотеката; Коучинг",
        "theme": "Коучинг",
        "goals": "Самостоятелен екип; Мейкърско ателие",
        "initiator_goals": "Нов клон",
    },
}

# The world every example starts from, built with commands; times are written as ISO
# dates so the same lines read the same in every language and zone. Numbers the examples
# use: group 1 (open, the admin a member) and 2 (by approval, a request waiting); reminder
# 1; sheet 1 (three slots of one seat, two per person: the admin offered slot 1, the
# member in slot 2); polls 1 (dates) and 2 (quick); events 1 (forum) and 2 (the group's);
# series 1; panels 1 (live here, a question waiting, a hand up) and 2 (planned, in its
# own channel); programme 1 and its session, event 3.
WORLD = """
/setup server forum:#{forum} log:#{log} language:{locale} timezone:{zone}
/role grant user:@{initiator} role:initiator
/role grant user:@{moderator} role:moderator
/profile set library:"{library}" town:"{town}"
@{initiator} /profile set library:"{initiator_library}" town:"{initiator_town}"
/group create name:"{group}" city:"{city}" initiator:@{initiator}
/group join name:"{group}"
@{member} /group join name:"{group}"
/group create name:"{group2}" city:"{city2}" join:approval initiator:@{initiator}
@{member} /group join name:"{group2}"
/group meeting plan name:"{group}" hosts:"{hosts}" first:"2026-02-05 10:00" every:"3 months"
/remind me when:"2026-01-16 09:00" what:"{reminder}"
/signup create title:"{sheet}" capacity:1 max_per_person:2 \
slots:"2026-02-20 10:00 | {topic1}; 2026-02-27 10:00 | {topic2}; 2026-03-06 10:00"
@{asker} /signup join sheet:1 slot:1
/signup join sheet:1 slot:1
@{asker} /signup leave sheet:1 slot:1
@{member} /signup join sheet:1 slot:2
/poll dates question:"{dates_poll}" options:"2026-03-02 10:00; 2026-03-09 10:00"
/poll quick question:"{quick_poll}" options:"{answers}"
/event create title:"{event}" kind:forum when:"2026-03-27 10:00" duration:3h place:"{place}"
@{member} /event rsvp event:1 answer:going
/event create title:"{group_event}" kind:group group:"{group}" when:"2026-02-10 10:00" \
duration:2h place:"{library}"
/event series create title:"{series}" kind:supervision first:"2026-02-10 10:00" \
every:monthly duration:2h
/panel create topic:"{panel}" when:"in 30 minutes" panelists:"@{member} @{asker}"
/panel start panel:1 thread:no
@{asker} /panel ask text:"{question}"
@{member} /panel hand
/panel create topic:"{panel2}" when:"2026-01-20 12:00" panelists:"@{member} @{asker}" \
channel:#{panels}
/program create name:"{program}" themes:"{themes}" starts:"2026-04-01 09:00" \
ends:"2026-09-30 17:00" capacity:20
/program session add program:1 theme:"{theme}" when:"2026-04-20 10:00" duration:6h
@{asker} /program join program:1
/learning goals set goals:"{goals}"
@{initiator} /learning goals set goals:"{initiator_goals}"
@{initiator} /learning share coach:@admin
@{initiator} /remind me when:"2026-01-16 09:00" what:"{reminder}"
"""

# What an example needs beyond the shared world, run just before it (ids only, so the same
# in every language): a state the world cannot hold at once for every example.
BEFORE: dict[str, tuple[str, ...]] = {
    # A reminder is snoozed once it has come.
    "remind snooze": ("/clock set at:2026-01-16T09:05",),
    "signup reopen": ("/signup close sheet:1",),
    "event calendar": ("/event rsvp event:1 answer:going",),
    "panel lower": ("/panel hand",),
    # A pączek goes to someone who has had the floor.
    "panel paczek": ("/panel next",),
    "program leave": ("/program join program:1",),
    # A proposal to decide.
    "group proposal approve": ("/group propose name:Nowa city:Andrychów",),
    "group proposal decline": ("/group propose name:Nowa city:Andrychów",),
    # Attendance is marked once the session has begun.
    "program attendance": ("/clock set at:2026-04-20T11:00",),
    "program record": (
        "/clock set at:2026-04-20T11:00",
        '/program attendance session:3 users:"@{asker} @admin"',
    ),
    "program certificates": (
        "/clock set at:2026-04-20T11:00",
        '/program attendance session:3 users:"@{asker} @admin"',
    ),
}


@dataclass(frozen=True)
class World:
    db: Path
    now: datetime


@contextmanager
def answers_refused() -> Iterator[list[str]]:
    """Every user error rendered while inside: an answer equal to one of them is one."""
    said: list[str] = []
    patched: list[tuple[type[UserError], Callable[..., str]]] = []
    for cls in _with_own_render(UserError):
        original = cls.render

        def spy(self: UserError, original: Callable[..., str] = original) -> str:
            text = original(self)
            said.append(text)
            return text

        patched.append((cls, original))
        cls.render = spy  # type: ignore[method-assign]
    try:
        yield said
    finally:
        for cls, original in patched:
            cls.render = original  # type: ignore[method-assign]


def _with_own_render(cls: type[UserError]) -> list[type[UserError]]:
    found = [cls] if "render" in vars(cls) else []
    for sub in cls.__subclasses__():
        found += _with_own_render(sub)
    return found


def failures(events: list[dict[str, Any]], refused: list[str]) -> list[str]:
    internal = {t("error.internal", locale=locale) for locale in SUPPORTED_LOCALES}
    if not events:
        return ["no answer"]
    texts = [e["text"] for e in events]
    return [text for text in texts if text in refused or text in internal]


async def _build(locale: str, folder: Path) -> World:
    names = {"locale": locale, **NAMES[locale]}
    session = await open_console(folder / "world.sqlite3", folder / "files")
    try:
        with answers_refused() as refused:
            for line in WORLD.strip().splitlines():
                wrong = failures(await session.say(line.format(**names)), refused)
                assert not wrong, f"{locale} world: {line} → {wrong}"
        now = session.app.clock.now()
    finally:
        await session.app.close()
    return World(folder / "world.sqlite3", now)


@pytest.fixture(scope="module")
def worlds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, World]:
    return {
        locale: asyncio.run(_build(locale, tmp_path_factory.mktemp(f"world-{locale}")))
        for locale in SUPPORTED_LOCALES
    }


def _copy(world: World, folder: Path) -> Path:
    """A fresh copy of the world's database, so each example starts from the same state."""
    db = folder / "example.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
        if suffix != "-shm" and Path(f"{world.db}{suffix}").exists():
            shutil.copy(f"{world.db}{suffix}", f"{db}{suffix}")
    return db


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
async def test_every_example_works(
    locale: str, worlds: dict[str, World], console: ConsoleSession, tmp_path: Path
) -> None:
    names = {"locale": locale, **NAMES[locale]}
    broken: list[str] = []
    for command in list(console.app.registry.all()):
        assert has_key(command.example_key, locale), f"{locale}: no example for /{command.path}"
        example = t(command.example_key, locale=locale)
        named, _ = read_command(console.app.registry, example)
        assert named.path == command.path, f"{locale}: the example of /{command.path} is {example}"
        session = await open_console(
            _copy(worlds[locale], tmp_path), tmp_path / "files", now=worlds[locale].now
        )
        try:
            for line in BEFORE.get(command.path, ()):
                await session.say(line.format(**names))
            with answers_refused() as refused:
                wrong = failures(await session.say(example), refused)
        finally:
            await session.app.close()
        if wrong:
            broken.append(f"{example}\n    → {wrong[0]}")
    assert not broken, f"{locale}: examples that do not work:\n" + "\n".join(broken)
