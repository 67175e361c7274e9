"""Translated text: gettext catalogs (pl default, en, nl, bg), plurals, Babel formatting.

Messages are looked up by key (`t("role.refused", role=…)`); the locale comes from a
ContextVar set per command or delivery, as Red-DiscordBot does, so services and
renderers never pass it around by hand.

A language's catalog is read at its first use. The `.po` files are the truth; what gettext
reads is their compiled form, kept in the user's cache directory under the `.po`'s digest
(`_compiled`), so a start reads a few milliseconds of binary instead of parsing a `.po`
(tens of milliseconds each); a changed `.po` has another digest and is compiled again.
"""

from __future__ import annotations

import contextlib
import gettext
import hashlib
import io
import os
import string
import struct
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_datetime, format_timedelta
from babel.numbers import format_decimal

SUPPORTED_LOCALES = ("pl", "en", "nl", "bg")
DEFAULT_LOCALE = "pl"

_locale: ContextVar[str] = ContextVar("locale", default=DEFAULT_LOCALE)
# The platform whose own names for things the texts use: on Matrix a channel is a room and
# a button a reaction, so a key with a `key@matrix` variant is worded by it there.
_words: ContextVar[str | None] = ContextVar("words", default=None)


def normalize_locale(value: str | None) -> str | None:
    """'pl', 'en-US', 'nl_NL', 'bg' → a supported locale, or None."""
    if not value:
        return None
    base = value.replace("_", "-").split("-")[0].lower()
    return base if base in SUPPORTED_LOCALES else None


@dataclass(frozen=True)
class Catalog:
    locale: str
    translations: gettext.GNUTranslations
    keys: frozenset[str]
    plural_keys: frozenset[str]


def _load(locale: str) -> Catalog:
    mo = _compiled(locale)
    keys: set[str] = set()
    plurals: set[str] = set()
    for message_id in _message_ids(mo):
        key, plural, _ = message_id.partition("\x00")  # a plural's id is "one\x00many"
        if key:  # "" is the header
            keys.add(key)
            if plural:
                plurals.add(key)
    translations = gettext.GNUTranslations(io.BytesIO(mo))
    return Catalog(locale, translations, frozenset(keys), frozenset(plurals))


def _compiled(locale: str) -> bytes:
    """The locale's catalog in gettext's binary form: the cached copy made from this very
    `.po`, else compiled now and cached (where the cache cannot be written, as under a
    read-only home, it is compiled at every start)."""
    po_file = resources.files("bot.i18n") / "locales" / locale / "LC_MESSAGES" / "messages.po"
    po = po_file.read_bytes()
    folder = _cache_folder()
    cached = folder / f"{locale}-{hashlib.sha256(po).hexdigest()[:16]}.mo" if folder else None
    if cached is not None:
        with contextlib.suppress(OSError):
            return cached.read_bytes()
    mo = _compile(po, locale)
    if cached is not None:
        with contextlib.suppress(OSError):
            _store(cached, mo)
    return mo


def _cache_folder() -> Path | None:
    base = os.environ.get("XDG_CACHE_HOME")
    if not base:
        try:
            base = str(Path.home() / ".cache")
        except RuntimeError:  # no home directory to be found
            return None
    return Path(base) / "podaj-dalej" / "catalogs"


def _compile(po: bytes, locale: str) -> bytes:
    # Babel's catalog reader loads with the first catalog compiled, not with every import.
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    catalog = read_po(io.BytesIO(po), locale=locale)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    return buffer.getvalue()


def _store(cached: Path, mo: bytes) -> None:
    """Write `cached` whole or not at all (another process may read it meanwhile), and
    drop the locale's copies of earlier `.po` versions."""
    cached.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=cached.parent, suffix=".tmp")
    with os.fdopen(fd, "wb") as out:
        out.write(mo)
    os.replace(temporary, cached)
    locale = cached.name.split("-", 1)[0]
    for stale in cached.parent.glob(f"{locale}-*.mo"):
        if stale != cached:
            stale.unlink(missing_ok=True)


def _message_ids(mo: bytes) -> Iterator[str]:
    """The message ids of a compiled catalog: its table of originals (the `.mo` format,
    in the byte order its magic number says)."""
    order = "<" if mo[:4] == b"\xde\x12\x04\x95" else ">"
    count, originals = struct.unpack_from(f"{order}2I", mo, 8)
    for index in range(count):
        length, offset = struct.unpack_from(f"{order}2I", mo, originals + 8 * index)
        yield mo[offset : offset + length].decode("utf-8")


@cache
def catalog(locale: str) -> Catalog:
    return _load(locale if locale in SUPPORTED_LOCALES else DEFAULT_LOCALE)


def load_catalogs() -> None:
    """Read every catalog now (the public web page serves all four at once)."""
    for locale in SUPPORTED_LOCALES:
        catalog(locale)


def current_locale() -> str:
    return _locale.get()


@contextmanager
def use_locale(locale: str) -> Iterator[None]:
    token = _locale.set(normalize_locale(locale) or DEFAULT_LOCALE)
    try:
        yield
    finally:
        _locale.reset(token)


@contextmanager
def use_words(platform: str | None) -> Iterator[None]:
    """Word texts with `platform`'s names for things (None: the default, Discord's)."""
    token = _words.set(platform)
    try:
        yield
    finally:
        _words.reset(token)


def _worded(key: str, keys: frozenset[str] | set[str]) -> str:
    words = _words.get()
    if words is not None and f"{key}@{words}" in keys:
        return f"{key}@{words}"
    return key


def t(key: str, /, *, locale: str | None = None, **params: object) -> str:
    """The message `key` in the current locale, with `{name}` placeholders filled."""
    cat = catalog(locale or _locale.get())
    key = _worded(key, cat.keys)
    template = cat.translations.gettext(key) if key in cat.keys else _fallback(key)
    return template.format(**params) if params else template


def tn(key: str, count: int, /, *, locale: str | None = None, **params: object) -> str:
    """A plural message: the form for `count` (1 pączek, 2 pączki, 5 pączków)."""
    cat = catalog(locale or _locale.get())
    key = _worded(key, cat.plural_keys)
    template = (
        cat.translations.ngettext(key, key, count) if key in cat.plural_keys else _fallback(key)
    )
    return template.format(count=count, n=format_number(count, locale=cat.locale), **params)


def has_key(key: str, locale: str) -> bool:
    return key in catalog(locale).keys


def _fallback(key: str) -> str:
    # A missing key is a bug caught by the catalog tests; at run time show the default
    # language rather than a raw key.
    default = catalog(DEFAULT_LOCALE)
    return default.translations.gettext(key) if key in default.keys else key


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def format_number(value: float, *, locale: str | None = None) -> str:
    if type(value) is int and 0 <= value < 1000:
        # What Babel writes in every catalog's language (Latin digits, no separator
        # below a thousand), without its ~50 µs of parsing the pattern: counts on a
        # live sheet or poll are formatted at every redraw.
        return str(value)
    return format_decimal(value, locale=locale or _locale.get())


def zone_label(at: datetime, tz: str) -> str:
    """The zone as a reader knows it, the same in every language: the zone's own
    abbreviation where it has one (CET, CEST, EET, EST, UTC), else the offset (UTC+3,
    UTC+5:30). CLDR gives Polish and Dutch "CET" but English and Bulgarian "+0100"."""
    local = at.astimezone(ZoneInfo(tz))
    name = local.tzname() or ""
    if name.isalpha():
        return name
    offset = local.utcoffset() or timedelta()
    sign = "-" if offset < timedelta() else "+"
    hours, seconds = divmod(abs(int(offset.total_seconds())), 3600)
    minutes = seconds // 60
    return f"UTC{sign}{hours}" + (f":{minutes:02d}" if minutes else "")


def format_when(at: datetime, tz: str, *, locale: str | None = None) -> str:
    """A full, readable local date and time, e.g. 'czwartek, 12 lutego 2026 18:00 CET'.

    It names the weekday, so in a sentence it stands after a label or a colon
    ('Teraz: czwartek, …'), never after a preposition (tests/unit/test_date_sentences.py).
    """
    loc = locale or _locale.get()
    text = format_datetime(at, "EEEE, d MMMM y HH:mm", tzinfo=ZoneInfo(tz), locale=loc)
    return f"{text} {zone_label(at, tz)}"


# Babel's names for the units a relative time is said in, largest first, with their
# length in seconds (Babel counts a month as 30 days and a year as 365).
RelativeUnit = Literal["year", "month", "day", "hour", "minute", "second"]
_RELATIVE_UNITS: tuple[tuple[RelativeUnit, int], ...] = (
    ("year", 365 * 86400),
    ("month", 30 * 86400),
    ("day", 86400),
    ("hour", 3600),
    ("minute", 60),
    ("second", 1),
)
# A count this large is said in the next larger unit: 60 minutes is "1 hour".
_UNIT_LIMITS: dict[RelativeUnit, int] = {
    "second": 60,
    "minute": 60,
    "hour": 24,
    "day": 30,
    "month": 12,
}


def natural_unit(span: timedelta) -> tuple[RelativeUnit, int]:
    """The unit and the rounded count a person would say for `span` (its sign ignored):
    45 s → 45 seconds, 60 s → 1 minute, 60 min → 1 hour, 7 days → 7 days, 45 days →
    2 months. Every relative time in text goes through it, so two of them side by side
    never disagree ("za 1 tydzień" next to "za 7 dni"). Weeks are not used: counted in
    weeks, 10 days would be "1 week" and 11 days "2 weeks"."""
    seconds = abs(span.total_seconds())
    for unit, length in reversed(_RELATIVE_UNITS):
        count = round(seconds / length)
        if unit == "year" or count < _UNIT_LIMITS[unit]:
            return unit, count
    raise AssertionError("unreachable: years have no limit")


def format_relative(at: datetime, now: datetime, *, locale: str | None = None) -> str:
    """'za 2 dni' / 'in 2 days' / '3 godziny temu', in the unit `natural_unit` picks."""
    unit, count = natural_unit(at - now)
    length = dict(_RELATIVE_UNITS)[unit]
    sign = -1 if at < now else 1
    return format_timedelta(
        timedelta(seconds=sign * count * length),
        granularity=unit,
        threshold=float("inf"),
        add_direction=True,
        locale=locale or _locale.get(),
    )


def language_name(locale: str) -> str:
    """A language's own name: polski, English, Nederlands, български."""
    return Locale.parse(locale).get_display_name(locale) or locale
