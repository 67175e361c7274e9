"""From a SQLite row to a model dataclass, by field name and type annotation.

A store says once, beside its column list, how its rows become its dataclass:

    _event = FromRow(Event)
    _series = FromRow(Series, duration="duration_s", ahead="ahead_s")
    _session = FromRow(Session, cancelled=lambda row: row["status"] == "cancelled")

Each field is read from the column of its name, converted by its annotation:

    datetime            from ISO text (bot.db.to_db writes it)
    timedelta           from whole seconds
    an Enum             by value
    bool                from 0/1
    tuple[X, ...]       from a JSON list, each item converted as X (NULL: empty)
    dict / Mapping      from a JSON object
    X | None            NULL is None, anything else is converted as X
    int, str, float     as SQLite gives them

An override renames a field's column (a string) or computes the field from the whole row
(a function). Fields named in `given` are not read at all: the caller passes them on each
call (`_panel(row, panelists=...)`) or they keep their default. The plan is worked out once
per mapping and a call fetches every column at once and passes the values by position, so
it costs no more than the hand-written `Event(id=row["id"], ...)` it replaces. A row
without a column the plan reads raises RowError naming the dataclass and the field.
"""

from __future__ import annotations

import json
import sqlite3
import types
import typing
from collections.abc import Callable, Iterable, Mapping
from dataclasses import fields
from datetime import datetime, timedelta
from enum import Enum
from operator import itemgetter
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from bot.db import from_db

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

T = TypeVar("T", bound="DataclassInstance")
Convert = Callable[[Any], Any]
Computed = Callable[[sqlite3.Row], Any]


class RowError(LookupError):
    """A row lacks the column a dataclass field is read from."""


class FromRow(Generic[T]):
    """Builds a `cls` from a row; see the module docstring for the rules."""

    def __init__(
        self, cls: type[T], /, *, given: Iterable[str] = (), **overrides: str | Computed
    ) -> None:
        self._cls = cls
        hints = typing.get_type_hints(cls)
        init = [f for f in fields(cls) if f.init]
        given = frozenset(given)
        unknown = (set(overrides) | given) - {f.name for f in init}
        if unknown:
            raise TypeError(f"{cls.__name__} has no field {', '.join(sorted(unknown))}")
        order: list[str] = []  # the fields read or computed, in field order
        read: list[tuple[str, str]] = []  # (field, column)
        converts: list[tuple[int, Convert]] = []  # (index in `read`, how)
        computed: list[tuple[int, str, Computed]] = []  # (index in `order`, field, how)
        for f in init:
            if f.name in given:
                continue
            override = overrides.get(f.name, f.name)
            if callable(override):
                computed.append((len(order), f.name, override))
            else:
                convert = _converter(hints[f.name], f"{cls.__name__}.{f.name}")
                if convert is not None:
                    converts.append((len(read), convert))
                read.append((f.name, override))
            order.append(f.name)
        self._fields = tuple(name for name, _ in read)
        self._columns = tuple(column for _, column in read)
        self._converts = tuple(converts)
        self._computed = tuple(computed)
        # Values go positionally up to the first field given by the caller (or keyword
        # only), the rest by keyword: a positional call is the cheaper one.
        self._positional = next(
            (i for i, f in enumerate(init) if f.name in given or f.kw_only), len(init)
        )
        self._keywords = tuple(order[self._positional :])
        # itemgetter fetches every column in one C call; with one column it returns the
        # value itself rather than a 1-tuple.
        get = itemgetter(*self._columns) if self._columns else lambda row: ()
        self._get: Callable[[sqlite3.Row], Any] = (
            (lambda row: (get(row),)) if len(self._columns) == 1 else get
        )

    def __call__(self, row: sqlite3.Row, /, **given: Any) -> T:
        try:
            values = list(self._get(row))
        except IndexError:
            raise self._missing(row) from None
        at = 0
        try:
            for at, convert in self._converts:
                values[at] = convert(values[at])
        except (ValueError, TypeError) as exc:
            exc.add_note(f"reading {self._cls.__name__}.{self._fields[at]} from a row")
            raise
        for at, name, compute in self._computed:  # in field order, so each lands in place
            try:
                values.insert(at, compute(row))
            except IndexError as exc:
                raise RowError(f"{self._cls.__name__}.{name}: {exc}") from None
        if not self._keywords and not given:
            return self._cls(*values)
        cut = self._positional
        # Equal lengths by construction; zip(strict=...) would cost more than its check.
        keywords = dict(zip(self._keywords, values[cut:]))  # noqa: B905
        return self._cls(*values[:cut], **keywords, **given)

    def _missing(self, row: sqlite3.Row) -> RowError:
        have = row.keys()
        name, column = next(
            (name, column)
            for name, column in zip(self._fields, self._columns, strict=True)
            if column not in have
        )
        return RowError(
            f"{self._cls.__name__}.{name}: the row has no column {column!r} "
            f"(it has {', '.join(have) or 'none'})"
        )


def _converter(hint: Any, where: str) -> Convert | None:
    """How a column's value becomes a field of type `hint`; None when it is taken as is."""
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin in (types.UnionType, typing.Union) and type(None) in args:
        (inner,) = [a for a in args if a is not type(None)]
        convert = _converter(inner, where)
        if convert is None:
            return None
        return lambda value: None if value is None else convert(value)
    if hint in (int, str, float, Any):
        return None
    if hint is bool:
        return bool
    if hint is datetime:
        return from_db
    if hint is timedelta:
        return lambda seconds: timedelta(seconds=seconds)
    if isinstance(hint, type) and issubclass(hint, Enum):
        return hint
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        item = _converter(args[0], where)
        if item is None:
            return lambda text: tuple(json.loads(text)) if text is not None else ()
        return lambda text: tuple(item(x) for x in json.loads(text)) if text is not None else ()
    if origin in (dict, Mapping):
        return json.loads
    raise TypeError(f"{where}: no rule reads a {hint} from a column; give it an override")
