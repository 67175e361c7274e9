"""The catalogs' compiled form: made from the `.po` with Babel once, cached under the
`.po`'s digest, read back without Babel, and the same messages either way."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from bot import i18n
from bot.i18n import SUPPORTED_LOCALES

LOCALES = Path(__file__).resolve().parents[2] / "bot" / "i18n" / "locales"


@pytest.fixture
def cache(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    return tmp_path / "podaj-dalej" / "catalogs"


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_the_compiled_catalog_has_the_po_files_messages(cache: Path, locale: str) -> None:
    po = read_po(io.BytesIO((LOCALES / locale / "LC_MESSAGES" / "messages.po").read_bytes()))
    loaded = i18n._load(locale)
    singular = {m.id for m in po if m.id and isinstance(m.id, str)}
    plural = {m.id[0] for m in po if m.id and isinstance(m.id, tuple)}
    assert loaded.keys == singular | plural
    assert loaded.plural_keys == plural
    for message in po:
        if message.id and isinstance(message.id, str):
            assert loaded.translations.gettext(message.id) == message.string


def test_a_second_start_reads_the_cache_without_babel(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = i18n._load("pl")
    assert [p.name.startswith("pl-") for p in cache.iterdir()] == [True]

    def no_babel(po: bytes, locale: str) -> bytes:
        raise AssertionError("compiled again")

    monkeypatch.setattr(i18n, "_compile", no_babel)
    again = i18n._load("pl")
    assert again.keys == first.keys
    assert again.translations.gettext("error.internal") == first.translations.gettext(
        "error.internal"
    )


def test_a_changed_po_is_compiled_again_and_the_old_copy_dropped(cache: Path) -> None:
    i18n._load("en")
    cache.joinpath("en-0000000000000000.mo").write_bytes(b"an earlier .po's copy")
    i18n._store(cache / "en-1111111111111111.mo", i18n._compiled("en"))
    assert sorted(p.name for p in cache.iterdir()) == ["en-1111111111111111.mo"]


def test_without_a_writable_cache_the_catalog_is_compiled_each_time(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    assert "error.internal" in i18n._load("nl").keys
