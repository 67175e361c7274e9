"""Help that teaches where there is no autocomplete (the console, Matrix): one command in
full, a group's commands, a group typed alone, and every missing option named at once."""

from __future__ import annotations

from typing import Any

import pytest

from bot.console.room import channel_ref, user_ref
from bot.i18n import SUPPORTED_LOCALES, t
from tests.helpers.console import ConsoleSession

# Discord's embed limits: the same answer is an embed there.
TITLE, DESCRIPTION, FIELDS, FIELD_NAME, FIELD_VALUE, FOOTER, TOTAL = (
    256,
    4096,
    25,
    256,
    1024,
    2048,
    6000,
)


def embed(event: dict[str, Any]) -> dict[str, Any]:
    assert event["embeds"], event["text"]
    return event["embeds"][0]


def fields(shown: dict[str, Any]) -> dict[str, str]:
    return {f["name"]: f["value"] for f in shown["fields"]}


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
async def test_help_shows_one_command_in_full(console: ConsoleSession, locale: str) -> None:
    await console.say(f"@anna /settings language language:{locale}")
    shown = embed(await console.one('@anna /help command:"remind me"'))
    assert shown["title"] == "/remind me"
    assert shown["description"].startswith(t("cmd.remind.me.desc", locale=locale))
    assert t("reference.who.everyone", locale=locale) in shown["description"]
    listed = fields(shown)
    required = t("help.option.required", locale=locale)
    optional = t("help.option.optional", locale=locale)
    assert list(listed)[:3] == [f"when ({required})", f"what ({required})", f"every ({optional})"]
    assert listed[f"when ({required})"].startswith(t("cmd.remind.me.opt.when", locale=locale))
    assert "200" in listed[f"when ({required})"]  # the option's limit
    example = t("cmd.remind.me.example", locale=locale)
    assert listed[t("help.example.title", locale=locale)] == f"`{example}`"
    # The footer names this command's own group, not always the same one.
    assert shown["footer"] == t("help.footer.command", locale=locale, group="remind")


async def test_help_names_roles_choices_and_limits(console: ConsoleSession) -> None:
    create = embed(await console.one('/help command:"signup create"'))
    assert "Kto może: inicjator, moderator i administrator." in create["description"]
    listed = fields(create)
    assert listed["capacity (wymagana)"].endswith("— liczba od 1 do 500")
    assert listed["approval (opcjonalna)"].endswith("— tak albo nie")
    assert listed["slots (wymagana)"].endswith("— tekst, najwyżej 1\xa0500 znaków")
    rsvp = fields(embed(await console.one('/help command:"/event rsvp"')))
    assert (
        "jedna z wartości: `going` (będę), `maybe` (jeśli trzeba), `no` (nie)"
        in rsvp["answer (wymagana)"]
    )
    setup = fields(embed(await console.one('/help command:"setup server"')))
    assert setup["forum (opcjonalna)"].endswith("— kanał forum (#nazwa)")
    clock = embed(await console.one('/help command:"clock set"'))
    assert "każdy · tylko w konsoli" in clock["description"]
    press = embed(await console.one("/help command:press"))
    assert press["footer"] == "Wszystkie komendy: /help"


async def test_help_of_a_group_lists_its_commands_and_names_it(console: ConsoleSession) -> None:
    shown = embed(await console.one("/help command:signup"))
    assert shown["title"] == "/signup"
    lines = shown["description"].split("\n")
    assert lines[0] == t("cmd.signup.desc")
    assert lines[2:5] == [
        "`/signup create` — Opublikuj arkusz zapisów z terminami i liczbą miejsc",
        "`/signup join` — Zapisz się na termin",
        "`/signup leave` — Wypisz się z terminu (albo z listy rezerwowej)",
    ]
    assert shown["footer"] == 'Opcje i przykład: /help command:"signup create"'
    meeting = embed(await console.one('/help command:"group meeting"'))
    assert [line.split(" — ")[0] for line in meeting["description"].split("\n")[2:]] == [
        "`/group meeting plan`",
        "`/group meeting next`",
        "`/group meeting skip`",
        "`/group meeting swap`",
    ]


async def test_help_of_what_one_may_not_use_or_what_does_not_exist(
    console: ConsoleSession,
) -> None:
    group = await console.one("@anna /help command:role")
    assert (
        group["text"]
        == "Do tego potrzebna jest rola: administrator. Poproś administratora serwera."
    )
    # One command is described to anyone, with who may use it.
    grant = embed(await console.one('@anna /help command:"role grant"'))
    assert "Kto może: administrator." in grant["description"]
    missing = await console.one("/help command:nothing")
    assert missing["text"].startswith("Nie znam komendy „nothing”. Wpisz /help")


async def test_a_group_typed_alone_lists_its_commands(console: ConsoleSession) -> None:
    alone = await console.one("/remind")
    assert alone["embeds"] == (await console.one("/help command:remind"))["embeds"]
    assert "`/remind snooze`" in embed(alone)["description"]
    assert embed(await console.one("/group meeting"))["title"] == "/group meeting"
    assert embed(await console.one("/panel question"))["title"] == "/panel question"
    refused = await console.one("@anna /setup")
    assert refused["text"].startswith("Do tego potrzebna jest rola: administrator.")
    # A word that is no command stays unknown, with the command most likely meant.
    assert (await console.one("/remind later"))["text"].startswith(
        "Nie znam komendy „remind later”. Czy chodziło o /remind list?"
    )


@pytest.mark.parametrize(
    ("typed", "meant"),
    [("/remnd list", "/remind list"), ("/grup join", "/group join"), ("/singup", "/signup")],
)
async def test_a_mistyped_command_is_answered_with_the_one_meant(
    console: ConsoleSession, typed: str, meant: str
) -> None:
    answer = (await console.one(typed))["text"]
    assert f"Czy chodziło o {meant}?" in answer and "/help" in answer


async def test_a_name_close_to_nothing_gets_the_list_only(console: ConsoleSession) -> None:
    answer = (await console.one("/xyzzy"))["text"]
    assert answer == "Nie znam komendy „xyzzy”. Wpisz /help, aby zobaczyć listę."


async def test_help_suggests_the_level_being_typed(console: ConsoleSession) -> None:
    request = console.room.request(user_ref("anna"), channel_ref("general"))

    async def suggested(typed: str) -> list[str]:
        found = await console.app.dispatcher.complete(request, "help", "command", typed)
        return [c.value for c in found]

    assert await suggested("re") == ["remind"]
    assert await suggested("remind") == [
        "remind",
        "remind cancel",
        "remind edit",
        "remind list",
        "remind me",
        "remind snooze",
    ]
    assert await suggested("group me") == ["group meeting", "group members"]
    assert await suggested("ro") == []  # /role is for admins


@pytest.mark.parametrize(
    ("locale", "three", "one"),
    [
        (
            "pl",
            "Brakuje 3 opcji w /signup create: `title:`, `slots:` i `capacity:`.",
            "Brakuje opcji `capacity:` w /signup create.",
        ),
        (
            "en",
            "3 options are missing from /signup create: `title:`, `slots:`, and `capacity:`.",
            "The option `capacity:` is missing from /signup create.",
        ),
        (
            "nl",
            "Er ontbreken 3 opties in /signup create: `title:`, `slots:` en `capacity:`.",
            "De optie `capacity:` ontbreekt in /signup create.",
        ),
        (
            "bg",
            "Липсват 3 опции в /signup create: `title:`, `slots:` и `capacity:`.",
            "Липсва опцията `capacity:` в /signup create.",
        ),
    ],
)
async def test_missing_options_are_named_at_once_with_an_example(
    console: ConsoleSession, locale: str, three: str, one: str
) -> None:
    await console.say(f"/settings language language:{locale}")
    example = t(
        "help.example", locale=locale, example=t("cmd.signup.create.example", locale=locale)
    )
    every = await console.one("/signup create")
    assert every["text"] == f"{three}\n{example}"
    last = await console.one('/signup create title:Superwizja slots:"jutro o 10"')
    assert last["text"] == f"{one}\n{example}"


async def test_polish_counts_missing_options_with_its_plural_forms(console: ConsoleSession) -> None:
    four = await console.one("/program create")
    assert four["text"].startswith(
        "Brakuje 4 opcji w /program create: `name:`, `themes:`, `starts:` i `ends:`."
    )
    five = await console.one("/event series create")
    assert five["text"].startswith("Brakuje 5 opcji w /event series create: `title:`, `kind:`")
    assert (await console.one("/remind snooze"))["text"].startswith(
        "Brakuje opcji `id:` w /remind snooze.\nPrzykład: `/remind snooze id:1 by:1h`"
    )


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
async def test_every_command_in_full_fits_in_a_discord_embed(
    console: ConsoleSession, locale: str
) -> None:
    await console.say(f"/settings language language:{locale}")
    for command in list(console.app.registry.all()):
        shown = embed(await console.one(f'/help command:"{command.path}"'))
        assert len(shown["title"]) <= TITLE
        assert len(shown["description"]) <= DESCRIPTION, command.path
        assert len(shown["footer"]) <= FOOTER
        assert len(shown["fields"]) <= FIELDS, command.path
        for field in shown["fields"]:
            assert len(field["name"]) <= FIELD_NAME and 0 < len(field["value"]) <= FIELD_VALUE
        total = len(shown["title"]) + len(shown["description"]) + len(shown["footer"])
        total += sum(len(f["name"]) + len(f["value"]) for f in shown["fields"])
        assert total <= TOTAL, command.path


@pytest.mark.parametrize("typed", ["/digest", "/help command:digest", "/digest show"])
async def test_a_feature_typed_as_a_command_points_to_the_commands_that_set_it(
    console: ConsoleSession, typed: str
) -> None:
    answer = (await console.one(typed))["text"]
    assert answer.startswith("Nie znam komendy „digest")
    assert "Do tego służą: /settings digest, /setup server digest:…" in answer


async def test_an_option_many_commands_take_points_nowhere(console: ConsoleSession) -> None:
    # "name" is an option of a dozen commands: naming them all would help nobody.
    assert (await console.one("/name"))["text"] == t("error.unknown_command", name="name")
