"""Translated text: gettext catalogs (pl default, en, nl, bg), plurals, Babel formatting.

Messages are looked up by key (`t("role.refused", role=…)`); the locale comes from a
ContextVar set per command or delivery, as Red-DiscordBot does, so services and
renderers never pass it around by hand.
"""

from __future__ import annotations

import gettext
import io
import string
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from importlib import resources
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_datetime, format_timedelta
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
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
    po_file = resources.files("bot.i18n") / "locales" / locale / "LC_MESSAGES" / "messages.po"
    with po_file.open("rb") as fh:
        catalog = read_po(fh, locale=locale)
    # Compiling in memory lets gettext evaluate the catalog's own Plural-Forms expression.
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    keys = {m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id and m.string}
    plurals = {m.id[0] for m in catalog if m.id and isinstance(m.id, tuple)}
    return Catalog(locale, gettext.GNUTranslations(buffer), frozenset(keys), frozenset(plurals))


@cache
def catalog(locale: str) -> Catalog:
    return _load(locale if locale in SUPPORTED_LOCALES else DEFAULT_LOCALE)


def load_catalogs() -> None:
    """Parse every catalog now, so a broken one fails at start and the first messages
    after start do not pay for the parsing."""
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
    return format_decimal(value, locale=locale or _locale.get())


def format_when(at: datetime, tz: str, *, locale: str | None = None) -> str:
    """A full, readable local date and time, e.g. 'czwartek, 12 lutego 2026 18:00 CET'."""
    loc = locale or _locale.get()
    return format_datetime(at, "EEEE, d MMMM y HH:mm zzz", tzinfo=ZoneInfo(tz), locale=loc)


def format_relative(at: datetime, now: datetime, *, locale: str | None = None) -> str:
    """'za 2 dni' / 'in 2 days' / '3 godziny temu'."""
    return format_timedelta(
        at - now, add_direction=True, threshold=1.1, locale=locale or _locale.get()
    )


def language_name(locale: str) -> str:
    """A language's own name: polski, English, Nederlands, български."""
    return Locale.parse(locale).get_display_name(locale) or locale
