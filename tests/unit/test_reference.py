"""The command reference in docs/commands/ is generated from the registry, in every
language, and the committed files are exactly what the generator makes now."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.__main__ import main
from bot.commands import Command, Option, OptionType
from bot.i18n import SUPPORTED_LOCALES, t, tn, use_locale
from bot.reference import DOCS, FEATURES, feature_of, markdown, takes, who
from bot.roles import Role
from tests.helpers.console import ConsoleSession

ROOT = Path(__file__).resolve().parents[2]


def test_the_committed_reference_is_what_the_registry_makes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["docs", "--out", str(tmp_path)]) == 0
    assert "written" in capsys.readouterr().out
    for locale in SUPPORTED_LOCALES:
        made = (tmp_path / f"{locale}.md").read_text(encoding="utf-8")
        committed = ROOT / DOCS / f"{locale}.md"
        assert committed.exists(), f"{committed} is missing: run `python -m bot docs`"
        assert committed.read_text(encoding="utf-8") == made, (
            f"{DOCS / f'{locale}.md'} is out of date: run `python -m bot docs` and commit it"
        )


async def test_every_command_has_its_section_in_every_language(console: ConsoleSession) -> None:
    commands = list(console.app.registry.all())
    assert {feature_of(c) for c in commands} == set(FEATURES)
    for locale in SUPPORTED_LOCALES:
        page = markdown(commands, locale)
        with use_locale(locale):
            headings = [t(f"reference.feature.{f}") for f in FEATURES]
        positions = [page.index(f"\n## {heading}\n") for heading in headings]
        assert positions == sorted(positions), f"{locale}: features out of order"
        for command in commands:
            section = page.split(f"### `/{command.path}`\n", 1)[1].split("\n### ", 1)[0]
            assert t(command.key + ".desc", locale=locale) in section
            assert f"`{t(command.example_key, locale=locale)}`" in section
            for option in command.options:
                assert f"| `{option.name}` |" in section, f"{locale} {command.path} {option.name}"


async def test_an_options_text_leaves_its_limit_to_the_accepts_column(
    console: ConsoleSession,
) -> None:
    # The limit is shown once, beside the text ("tekst, najwyżej 1 000 znaków", "liczba od
    # 1 do 50"): an option's own text repeating it would say it twice.
    repeated = []
    for command in console.app.registry.all():
        for option in command.options:
            limits = {option.max_length, option.max_value} - {None}
            for locale in SUPPORTED_LOCALES:
                text = t(f"{command.key}.opt.{option.name}", locale=locale)
                numbers = {int(n) for n in re.findall(r"\d+", text.replace("\u00a0", ""))}
                if numbers & limits:
                    repeated.append(f"{locale} /{command.path} {option.name}: {text}")
    assert repeated == []


def test_a_section_has_who_a_table_and_the_example() -> None:
    async def handler() -> None:
        return None

    command = Command(
        "remind snooze",
        Role.DIRECTOR,
        handler,  # type: ignore[arg-type]
        (
            Option("id", OptionType.INTEGER, required=True, min_value=1),
            Option("by", max_length=200),
        ),
    )
    page = markdown([command], "pl")
    assert "### `/remind snooze`\n\nPrzypomnij jeszcze raz później\n\n**Kto może:** każdy\n" in page
    assert "| opcja | wymagana | co przyjmuje | opis |" in page
    assert "| `id` | tak | liczba od 1 wzwyż | Numer przypomnienia |" in page
    assert "| `by` | nie | tekst, najwyżej 200 znaków | 10m, 1h, morning, 2h… albo czas" in page
    assert "**Przykład:** `/remind snooze id:1 by:1h`" in page


async def test_a_bar_in_a_description_does_not_break_the_table(console: ConsoleSession) -> None:
    page = markdown(console.app.registry.all(), "pl")
    assert "„2026-02-20 10:00 \\| Budżet” |" in page


@pytest.mark.parametrize(
    ("count", "expected"),
    [
        (1, "tekst, najwyżej 1 znak"),
        (2, "tekst, najwyżej 2 znaki"),
        (5, "tekst, najwyżej 5 znaków"),
    ],
)
def test_limits_read_with_polish_plurals(count: int, expected: str) -> None:
    assert tn("reference.takes.text_max", count, locale="pl") == expected


def test_what_an_option_takes_and_who_may_use_a_command() -> None:
    async def handler() -> None:
        return None

    with use_locale("en"):
        assert takes(Option("n", OptionType.INTEGER, max_value=50)) == "a number up to 50"
        assert takes(Option("n", OptionType.INTEGER)) == "a number"
        assert takes(Option("a", choices=("yes",))) == "one of: `yes`"
        assert takes(Option("u", OptionType.USER)) == "a person (@name)"
        assert takes(Option("r", OptionType.ROLE)) == "a server role (@role)"
        assert takes(Option("c", OptionType.CHANNEL)) == "a channel (#name)"
        made = Command("x", Role.MODERATOR, handler)  # type: ignore[arg-type]
        assert who(made) == "moderator and admin"
    with use_locale("nl"):
        assert who(made) == "moderator en beheerder"
        everyone = Command("y", Role.DIRECTOR, handler)  # type: ignore[arg-type]
        assert who(everyone) == "iedereen"
