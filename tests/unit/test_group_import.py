"""`python -m bot import groups FILE.csv`: a good file, bad lines, nothing half imported,
and importing the same file again changes nothing."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.geography.places import Gazetteer
from bot.groups.importer import import_groups
from tests.helpers.console import ConsoleSession, open_console

GOOD = """name,town,region,initiator,join
Jura,Zawiercie,,console:ewa,approval
Łazy i okolice,Łazy,śląskie,,
Kujawy,Bydgoszcz,kujawsko-pomorskie,,open
"""


@pytest.fixture
async def console(tmp_path: Path) -> AsyncIterator[ConsoleSession]:
    session = await open_console(tmp_path / "c.sqlite3", tmp_path / "files")
    await session.say("/setup server language:pl")
    try:
        yield session
    finally:
        await session.app.close()


async def run(session: ConsoleSession, path: Path, *, dry_run: bool = False):
    return await import_groups(
        session.app.db,
        session.app.clock,
        Gazetteer.load(),
        path,
        dry_run=dry_run,
        guild=None,
    )


async def count(session: ConsoleSession) -> int:
    row = await session.app.db.fetchone("SELECT count(*) AS n FROM groups")
    assert row is not None
    return int(row["n"])


async def test_a_good_file_dry_run_first_then_imported_then_again_unchanged(
    console: ConsoleSession, tmp_path: Path
) -> None:
    path = tmp_path / "groups.csv"
    path.write_text(GOOD, encoding="utf-8")
    plan, lines = await run(console, path, dry_run=True)
    assert not plan.errors and len(plan.create) == 3
    assert lines[-1] == "dry run: 3 group(s) would be created, 0 already there; nothing was changed"
    assert await count(console) == 0

    plan, lines = await run(console, path)
    assert lines[-1].startswith("3 group(s) created, 0 already there")
    assert await count(console) == 3
    info = await console.one("/group info name:jura")
    text = str(info)
    assert "Zawiercie" in text and "ewa" in text
    lazy = await console.app.db.fetchone(
        "SELECT region, join_mode FROM groups WHERE name = ?", ("Łazy i okolice",)
    )
    assert lazy is not None and (lazy["region"], lazy["join_mode"]) == ("śląskie", "open")
    # The initiator leads the group: they may edit it.
    edited = await console.one('@ewa /group edit name:Jura description:"Co kwartał"')
    assert "Zapisano" in edited["text"]

    plan, lines = await run(console, path)
    assert not plan.errors and not plan.create and len(plan.unchanged) == 3
    assert await count(console) == 3


async def test_bad_lines_are_each_named_and_nothing_is_imported(
    console: ConsoleSession, tmp_path: Path
) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(
        "name,town,region,initiator,join\n"
        "Jura,Zawiercie,,,\n"
        "Krakowska,Krakw,,,\n"
        ",Łazy,,,\n"
        "Beskid,Bielsko-Biała,,anna,maybe\n"
        "JURA,Kraków,,,\n",
        encoding="utf-8",
    )
    _plan, lines = await run(console, path)
    assert lines == [
        "line 3: town 'Krakw' not found in the gazetteer; did you mean: "
        + lines[0].split("did you mean: ")[1],
        "line 4: the name must have letters and at most 60 characters",
        "line 5: join must be open or approval, not 'maybe'",
        "line 5: initiator 'anna' is no platform id (e.g. discord:123456789012345678)",
        "line 6: the name 'JURA' is already on line 2",
        "5 error(s): nothing was imported",
    ]
    assert "Kraków (małopolskie, PL)" in lines[0]
    assert await count(console) == 0  # the good line 2 was not imported either


async def test_a_group_there_with_other_values_is_an_error(
    console: ConsoleSession, tmp_path: Path
) -> None:
    await console.say("/group create name:Jura city:Kraków")
    path = tmp_path / "groups.csv"
    path.write_text(GOOD, encoding="utf-8")
    plan, _lines = await run(console, path)
    assert plan.errors == [
        "line 2: a group 'Jura' already exists (Kraków, open); change it with /group edit"
    ]
    assert await count(console) == 1


async def test_a_bad_header_or_empty_file(console: ConsoleSession, tmp_path: Path) -> None:
    path = tmp_path / "groups.csv"
    path.write_text("nazwa,miasto\nJura,Zawiercie\n", encoding="utf-8")
    _plan, lines = await run(console, path)
    assert lines == [
        "line 1: the header must name the columns name, town, region, initiator, join "
        "(name and town required); unknown: nazwa, miasto"
    ]
    path.write_text("", encoding="utf-8")
    assert (await run(console, path))[1][0].startswith("the file is empty")


async def test_towns_and_regions_by_their_names_in_other_languages(
    console: ConsoleSession, tmp_path: Path
) -> None:
    path = tmp_path / "groups.csv"
    path.write_text(
        "name,town,region,initiator,join\n"
        "Jura,Łazy,Silesia,,\n"
        "Stolica,Warsaw,Mazowsze,,\n"
        "Haga,'s-Gravenhage,South Holland,,\n",
        encoding="utf-8",
    )
    plan, _lines = await run(console, path)
    assert plan.errors == []
    rows = await console.app.db.fetchall("SELECT name, city, region FROM groups ORDER BY id")
    assert [tuple(r) for r in rows] == [
        ("Jura", "Łazy", "śląskie"),
        ("Stolica", "Warszawa", "mazowieckie"),
        ("Haga", "Den Haag", "Zuid-Holland"),
    ]
