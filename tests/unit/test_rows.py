from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any

import pytest

from bot.rows import FromRow, RowError


class Colour(StrEnum):
    RED = "red"
    BLUE = "blue"


@dataclass(frozen=True)
class Thing:
    id: int
    name: str
    colour: Colour
    made_at: datetime
    seen_at: datetime | None
    shade: Colour | None
    lasts: timedelta
    tags: tuple[str, ...]
    dates: tuple[datetime, ...]
    extra: Mapping[str, Any]
    active: bool
    size: float | None
    count: int = 0
    label: str = "none"


@dataclass(frozen=True)
class One:
    id: int


@dataclass(frozen=True)
class Odd:
    id: int
    parts: list[str]


@pytest.fixture
def conn() -> Iterator[sqlite3.Connection]:
    conn = sqlite3.connect(":memory:")
    conn.row_factory = sqlite3.Row
    yield conn
    conn.close()


_ROW = (
    "SELECT 7 AS id, 'Ewa' AS name, 'red' AS colour, '2026-03-20T09:00:00+00:00' AS made_at, "
    '{seen} AS seen_at, {shade} AS shade, 5400 AS lasts_s, \'["a", "b"]\' AS tags, '
    "{dates} AS dates, '{{\"k\": 1}}' AS extra, 1 AS active, NULL AS size, 3 AS count, "
    "'plain' AS label, 'ignored' AS something_else"
)


def _row(
    conn: sqlite3.Connection,
    seen: str = "NULL",
    shade: str = "NULL",
    dates: str = "NULL",
) -> sqlite3.Row:
    row = conn.execute(_ROW.format(seen=seen, shade=shade, dates=dates)).fetchone()
    assert isinstance(row, sqlite3.Row)
    return row


def test_fields_are_read_by_name_and_converted_by_type(conn: sqlite3.Connection) -> None:
    thing = FromRow(Thing, lasts="lasts_s")(_row(conn))
    assert thing == Thing(
        id=7,
        name="Ewa",
        colour=Colour.RED,
        made_at=datetime(2026, 3, 20, 9, 0, tzinfo=UTC),
        seen_at=None,
        shade=None,
        lasts=timedelta(minutes=90),
        tags=("a", "b"),
        dates=(),
        extra={"k": 1},
        active=True,
        size=None,
        count=3,
        label="plain",
    )
    assert thing.colour is Colour.RED


def test_optional_fields_with_values(conn: sqlite3.Connection) -> None:
    row = _row(
        conn,
        seen="'2026-03-21T10:30:00+00:00'",
        shade="'blue'",
        dates="'[\"2026-04-01T08:00:00+00:00\"]'",
    )
    thing = FromRow(Thing, lasts="lasts_s")(row)
    assert thing.seen_at == datetime(2026, 3, 21, 10, 30, tzinfo=UTC)
    assert thing.shade is Colour.BLUE
    assert thing.dates == (datetime(2026, 4, 1, 8, 0, tzinfo=UTC),)


def test_computed_and_given_fields(conn: sqlite3.Connection) -> None:
    to_thing = FromRow(
        Thing,
        lasts="lasts_s",
        name=lambda row: row["name"].upper(),
        given=("count", "label"),
    )
    thing = to_thing(_row(conn), label="given")
    assert (thing.name, thing.label, thing.count) == ("EWA", "given", 0)  # count: its default


def test_a_field_given_before_others_read(conn: sqlite3.Connection) -> None:
    to_thing = FromRow(Thing, lasts="lasts_s", given=("colour",), label=lambda row: f"#{row['id']}")
    thing = to_thing(_row(conn), colour=Colour.BLUE)
    assert (thing.colour, thing.made_at.day, thing.count, thing.label) == (Colour.BLUE, 20, 3, "#7")
    with pytest.raises(TypeError, match="name"):  # only the declared fields can be given
        to_thing(_row(conn), colour=Colour.BLUE, name="Olek")


def test_a_single_column(conn: sqlite3.Connection) -> None:
    assert FromRow(One)(conn.execute("SELECT 4 AS id").fetchone()) == One(4)


def test_a_missing_column_names_the_dataclass_and_the_field(conn: sqlite3.Connection) -> None:
    to_thing = FromRow(Thing)  # without the rename, "lasts" is read from its own name
    with pytest.raises(RowError, match=r"Thing\.lasts: the row has no column 'lasts'"):
        to_thing(_row(conn))


def test_a_missing_column_in_a_computed_field_names_the_field(
    conn: sqlite3.Connection,
) -> None:
    to_thing = FromRow(Thing, lasts="lasts_s", label=lambda row: row["nope"])
    with pytest.raises(RowError, match=r"Thing\.label"):
        to_thing(_row(conn))


def test_a_bad_value_says_which_field(conn: sqlite3.Connection) -> None:
    with pytest.raises(ValueError, match="not a valid Colour") as caught:
        FromRow(Thing, lasts="lasts_s")(_row(conn, shade="'green'"))
    assert "reading Thing.shade from a row" in caught.value.__notes__


def test_mistakes_in_the_mapping_are_found_when_it_is_made() -> None:
    with pytest.raises(TypeError, match="Thing has no field colours, nmae"):
        FromRow(Thing, nmae="x", given=("colours",))
    with pytest.raises(TypeError, match=r"Odd\.parts: no rule reads a list\[str\]"):
        FromRow(Odd)
    FromRow(Odd, parts=lambda row: row["parts"].split(","))  # an override reads it
