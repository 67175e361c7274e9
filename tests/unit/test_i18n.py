from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from bot.i18n import SUPPORTED_LOCALES, catalog, placeholders, t, tn, use_locale, use_words

ROOT = Path(__file__).resolve().parents[2]
LOCALES = ROOT / "bot" / "i18n" / "locales"
# Discord's rule for command and option names (lowercase where the script has case).
DISCORD_NAME = re.compile(r"^[-_\w]{1,32}$")


def entries(locale: str) -> dict[str, list[str]]:
    with (LOCALES / locale / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        po = read_po(fh, locale=locale)
    out = {}
    for message in po:
        if not message.id:
            continue
        key = message.id if isinstance(message.id, str) else message.id[0]
        out[key] = list(message.string) if isinstance(message.string, tuple) else [message.string]
    return out


def keys_used_in_code() -> set[str]:
    """Every literal key passed to t()/tn() anywhere in bot/ and cogs/."""
    found: set[str] = set()
    for path in [*ROOT.joinpath("bot").rglob("*.py"), *ROOT.joinpath("cogs").rglob("*.py")]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in {"t", "tn", "UserError"}
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                found.add(node.args[0].value)
    return found


def test_every_locale_has_the_same_keys_all_translated() -> None:
    reference = entries("pl")
    for locale in SUPPORTED_LOCALES:
        current = entries(locale)
        assert set(current) == set(reference), f"{locale}: keys differ from pl"
        empty = [k for k, forms in current.items() if not all(forms)]
        assert not empty, f"{locale}: untranslated {empty}"


def test_placeholders_agree_across_locales() -> None:
    reference = {k: placeholders(v[0]) for k, v in entries("pl").items()}
    for locale in SUPPORTED_LOCALES:
        for key, forms in entries(locale).items():
            for form in forms:
                assert placeholders(form) - {"n", "count"} <= reference[key] | {"n", "count"}, (
                    f"{locale}:{key}"
                )


def test_every_key_the_code_uses_exists() -> None:
    known = set(entries("pl"))
    missing = sorted(k for k in keys_used_in_code() if k not in known)
    assert not missing, f"keys used in code but missing from the catalogs: {missing}"


def _source_texts() -> str:
    roots = ("bot", "cogs", "matrix", "web")
    return "\n".join(
        path.read_text(encoding="utf-8")
        for root in roots
        for pattern in ("*.py", "*.html")
        for path in ROOT.joinpath(root).rglob(pattern)
    )


def test_every_key_in_the_catalogs_is_used() -> None:
    """A key nothing says any more is a text nobody reviews: it goes. A key is used when it
    is written out in the code, or starts with a prefix the code completes (f"cmd.{path}");
    a platform's wording of it (`key@matrix`) when the key is."""
    source = _source_texts()
    literals = set(re.findall(r"[\"']([a-z0-9_]+(?:\.[\w-]+)+)[\"']", source))
    prefixes = tuple(set(re.findall(r"f[\"']([a-z_]+(?:\.[a-z_]+)*\.)\{", source)))
    # A platform's wording (`key@matrix`, bot/i18n `use_words`) is used where its key is.
    bases = {k.partition("@")[0] for k in entries("pl")}
    unused = sorted(k for k in bases if k not in literals and not k.startswith(prefixes))
    assert not unused, f"keys no code uses: {unused}"


def test_every_command_and_option_has_its_texts(
    console_registry_paths: list[tuple[str, list[str]]],
) -> None:
    known = set(entries("pl"))
    for path, options in console_registry_paths:
        stem = "cmd." + path.replace(" ", ".")
        assert f"{stem}.desc" in known, path
        # Each example is run in every language by tests/test_command_examples.py.
        assert f"{stem}.example" in known, f"{path}: no example"
        if " " in path:
            assert "cmd." + path.split(" ")[0] + ".desc" in known, f"group of {path}"
        for option in options:
            assert f"{stem}.opt.{option}" in known, f"{path} {option}"


def test_localized_names_are_valid_discord_names() -> None:
    for locale in SUPPORTED_LOCALES:
        for key, forms in entries(locale).items():
            if key.startswith("name."):
                name = forms[0]
                assert DISCORD_NAME.match(name) and name == name.lower(), f"{locale}:{key}={name}"


@pytest.mark.parametrize(
    ("count", "expected"),
    [
        (1, "1 osoba ma"),
        (2, "2 osoby mają"),
        (4, "4 osoby mają"),
        (5, "5 osób ma"),
        (12, "12 osób ma"),
        (22, "22 osoby mają"),
        (25, "25 osób ma"),
        (112, "112 osób ma"),
    ],
)
def test_polish_plurals(count: int, expected: str) -> None:
    assert tn("role.list.title", count, locale="pl").startswith(expected)


@pytest.mark.parametrize(
    ("count", "expected"), [(1, "1 човек има"), (2, "2 души имат"), (5, "5 души")]
)
def test_bulgarian_plurals(count: int, expected: str) -> None:
    assert tn("role.list.title", count, locale="bg").startswith(expected)


def test_numbers_are_formatted_for_the_locale() -> None:
    assert tn("role.list.title", 1500, locale="pl").startswith("1\xa0500 osób")
    assert tn("role.list.title", 1500, locale="en").startswith("1,500 people")


def test_the_locale_comes_from_the_context() -> None:
    with use_locale("nl"):
        assert t("role.moderator") == "moderator"
        assert t("role.admin") == "beheerder"
        with use_locale("bg"):
            assert t("role.admin") == "администратор"
        assert t("setup.unset") == "niet ingesteld"
    assert t("setup.unset") == "nie ustawiono"  # the default, Polish


def test_an_unknown_locale_falls_back_to_polish() -> None:
    assert catalog("xx").locale == "pl"


def test_a_platform_words_a_text_in_its_own_names_for_things() -> None:
    with use_locale("pl"):
        assert "Kanał" in t(
            "group.created", name="Jura", where="Zawiercie", channel="jura", role="Jura"
        )
        with use_words("matrix"):
            matrix = t("group.created", name="Jura", where="Zawiercie", channel="jura", role="Jura")
            # A key with no Matrix wording is worded as everywhere.
            assert t("error.internal") == t("error.internal", locale="pl")
        assert "Pokój grupy: jura" in matrix and "Kanał" not in matrix and "rola" not in matrix
        with use_words("discord"):  # no such variants: the default wording
            assert "Kanał" in t("group.created", name="J", where="Z", channel="j", role="J")


def test_every_platform_wording_has_a_key_to_vary() -> None:
    keys = set(entries("pl"))
    orphans = sorted(k for k in keys if "@" in k and k.partition("@")[0] not in keys)
    assert not orphans, f"wordings of keys that do not exist: {orphans}"


# "wziął/wzięła", "записан(а)", "gekozen/e": a reader is addressed in forms that fit
# everyone, never with a slash or a bracket between a word's genders.
GENDER_SPLIT = re.compile(r"\w(?:/|\()(?:a|а|e|o|ла|на|ła|łaś|aś)\)?(?=\W|$)|ł/\w*ł[ao]\b")


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_no_message_splits_a_word_by_gender(locale: str) -> None:
    split = [
        f"{key}: {form}"
        for key, forms in entries(locale).items()
        for form in forms
        if GENDER_SPLIT.search(form)
    ]
    assert not split, "\n".join(split)
