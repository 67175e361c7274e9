"""Roles, settings and setup, driven through the in-process console as a user would."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.console.room import channel_ref, user_ref
from tests.helpers.console import ConsoleSession


async def test_grant_and_revoke_a_role(console: ConsoleSession) -> None:
    granted = await console.one("/role grant user:@jan role:moderator")
    assert granted["text"] == "jan ma teraz rolę: moderator."
    assert granted["ephemeral"] and granted["to"] == "admin"
    again = await console.one("/role grant user:@jan role:moderator")
    assert again["text"] == "jan już ma rolę: moderator."
    rows = await console.app.db.fetchall("SELECT * FROM role_grants")
    assert len(rows) == 1  # granting twice never duplicates
    assert "jan — moderator" in (await console.one("/role list"))["text"]
    assert (await console.one("/role revoke user:@jan role:moderator"))["text"] == (
        "jan nie ma już roli: moderator."
    )
    assert (
        "Nic nie zmieniłem" in (await console.one("/role revoke user:@jan role:moderator"))["text"]
    )


async def test_a_director_is_told_which_role_is_needed(console: ConsoleSession) -> None:
    refused = await console.one("@anna /role grant user:@anna role:admin")
    assert refused["text"].startswith("Do tego potrzebna jest rola: administrator.")
    assert refused["to"] == "anna" and refused["ephemeral"]
    assert await console.app.db.fetchall("SELECT * FROM role_grants") == []


async def test_granted_roles_raise_what_a_user_may_do(console: ConsoleSession) -> None:
    await console.say("/role grant user:@ewa role:admin")
    allowed = await console.one("@ewa /role list")
    assert "ewa — administrator" in allowed["text"]


async def test_mapped_platform_roles_count(console: ConsoleSession) -> None:
    await console.say("/setup role role:moderator guild_role:@Moderatorzy")
    console.room.platform_roles["console:kasia"] = {"console:role:moderatorzy"}
    shown = await console.one("@kasia /settings show")
    assert "Rola: moderator" in shown["text"]


async def test_a_grant_gives_the_mapped_platform_role(console: ConsoleSession) -> None:
    await console.say("/setup role role:initiator guild_role:Inicjatorzy")
    await console.say("/role grant user:@ola role:initiator")
    assert console.room.platform_roles["console:ola"] == {"console:role:inicjatorzy"}
    await console.say("/role revoke user:@ola role:initiator")
    assert console.room.platform_roles["console:ola"] == set()


async def test_user_language_beats_the_server_language(console: ConsoleSession) -> None:
    await console.say("/setup server language:nl")
    assert "Taal: Nederlands" in (await console.one("@anna /settings show"))["text"]
    assert (await console.one("@anna /settings language language:bg"))["text"] == (
        "Ще ви пиша на български."
    )
    assert "Език: български" in (await console.one("@anna /settings show"))["text"]


async def test_setup_answers_in_the_server_language_it_sets(console: ConsoleSession) -> None:
    saved = (await console.say("/setup server language:bg"))[-1]
    assert saved["embeds"][0]["title"] == "Настройките на сървъра са запазени"
    saved = (await console.say("/setup server language:pl"))[-1]
    assert saved["embeds"][0]["title"] == "Zapisano ustawienia serwera"
    # An admin who chose a language of their own keeps it.
    await console.say("/settings language language:en")
    saved = (await console.say("/setup server language:nl"))[-1]
    assert saved["embeds"][0]["title"] == "Server settings saved"


async def test_timezone_setting_and_autocomplete(console: ConsoleSession) -> None:
    done = await console.one("@anna /settings timezone timezone:Europe/Sofia")
    assert "Europe/Sofia" in done["text"] and "11:00" in done["text"]
    bad = await console.one("@anna /settings timezone timezone:Mars/Base")
    assert "Nie znam strefy czasowej „Mars/Base”" in bad["text"]
    request = console.room.request(user_ref("anna"), channel_ref("general"))
    choices = await console.app.dispatcher.complete(request, "settings timezone", "timezone", "sof")
    assert [c.value for c in choices] == ["Europe/Sofia"]


async def test_setup_shows_and_saves(console: ConsoleSession) -> None:
    events = await console.say(
        "/setup server forum:#ogloszenia log:#dziennik timezone:Europe/Warsaw"
    )
    logged, saved = events  # the action in the log channel it names, then the answer
    fields = {f["name"]: f["value"] for f in saved["embeds"][0]["fields"]}
    assert fields["Forum ogłoszeń"] == "#ogloszenia"
    assert fields["Kanał dziennika"] == "#dziennik"
    assert logged["channel"] == "dziennik" and "/setup server" in logged["text"]
    _, shown = await console.say("/setup server")
    assert shown["embeds"][0]["title"] == "Ustawienia serwera"


async def test_help_lists_only_what_the_role_allows(console: ConsoleSession) -> None:
    director = (await console.one("@anna /help"))["embeds"][0]["description"]
    assert "`/settings` — Twoje ustawienia: digest, language, show, timezone" in director
    assert "`/role`" not in director
    admin = (await console.one("/help"))["embeds"][0]["description"]
    assert "`/role` — " in admin and "grant, list, revoke" in admin
    details = (await console.one("@anna /help command:remind"))["embeds"][0]
    assert details["title"] == "/remind"
    assert "`/remind me` — Przypomnij mi o czymś" in details["description"]
    hidden = await console.one("@anna /help command:role")
    assert hidden["text"].startswith("Do tego potrzebna jest rola: administrator.")


async def test_clock_commands(console: ConsoleSession) -> None:
    moved = await console.one("/clock advance by:1d12h")
    assert moved["at"].startswith("2026-01-16T22:00")
    back = await console.one("/clock set at:2026-01-01T00:00+01:00")
    assert back["text"] == "Zegar nie cofa się."
    await console.say("/clock set at:2026-02-01T09:00")  # no offset: the user's zone
    assert console.app.clock.now() == datetime(2026, 2, 1, 8, 0, tzinfo=UTC)
