"""Foundation stories on the real PodajBot through the Discord API double: /help, /settings,
/role, /setup, a refusal, an error reply, a 429, a RESUME, a restart."""

from __future__ import annotations

import pytest

from bot.community.service import CommunityService

from .discord_double import state as st
from .discord_double.harness import Harness


async def add_guild_role(dc: Harness, name: str) -> st.Role:
    """A server admin makes a role in Discord's UI: Discord tells the bot by GUILD_ROLE_CREATE."""
    guild = dc.guild
    role = st.Role(dc.double.snowflakes.next(), guild.id, name, 0, 1)
    guild.roles[role.id] = role
    dc.double.dispatch(
        "GUILD_ROLE_CREATE", {"guild_id": str(guild.id), "role": dc.double.payloads.role(role)}
    )
    await dc.settle()
    return role


async def test_help_lists_what_each_role_may_do(dc: Harness) -> None:
    anna = await dc.slash("anna", "help")
    assert anna.ephemeral
    embed = anna.embeds[0]
    assert embed["title"] == "Podaj dalej — pomoc"
    assert "`/remind` — Przypomnienia: " in embed["description"]
    assert "`/role`" not in embed["description"]
    assert "/clock" not in embed["description"]  # console-only commands are not offered here
    admin = await dc.slash("admin", "help")
    assert "`/role` — " in admin.embeds[0]["description"]
    topics = await dc.autocomplete("anna", "help", "command", "re")
    assert [c["value"] for c in topics] == ["remind"]
    details = await dc.slash("anna", "help", command="remind")
    assert "`/remind snooze`" in details.embeds[0]["description"]
    total = sum(len(e.get("description", "")) for e in admin.embeds)
    assert total < 4096  # one embed description, well within Discord's limits


async def test_help_shows_one_command_in_full(dc: Harness) -> None:
    topics = await dc.autocomplete("anna", "help", "command", "remind")
    assert "remind me" in [c["value"] for c in topics]
    details = await dc.slash("anna", "help", command="remind me")
    embed = details.embeds[0]
    assert embed["title"] == "/remind me"
    names = [f["name"] for f in embed["fields"]]
    assert names[:3] == ["when (wymagana)", "what (wymagana)", "every (opcjonalna)"]
    assert embed["fields"][-1]["value"].startswith('`/remind me when:"jutro o 18"')
    assert embed["footer"]["text"] == "Wszystkie komendy tej grupy: /help command:remind"


async def test_commands_are_synced_with_translations(dc: Harness) -> None:
    synced = {c.name: c for c in dc.double.state.commands[dc.guild.id]}
    assert {"help", "settings", "role", "setup", "remind", "group", "profile"} <= set(synced)
    settings = synced["settings"].payload
    assert settings["name_localizations"]["pl"] == "ustawienia"
    assert settings["description_localizations"]["bg"] == "Вашите настройки"
    assert str(synced["role"].payload["default_member_permissions"]) == "8"  # admins only


async def test_language_and_time_zone_settings(dc: Harness) -> None:
    done = await dc.slash("anna", "settings language", language="en")
    assert done.ephemeral and done.text == "I will write to you in English."
    choices = await dc.autocomplete("anna", "settings timezone", "timezone", "sof")
    assert [c["value"] for c in choices] == ["Europe/Sofia"]
    zone = await dc.slash("anna", "settings timezone", timezone="Europe/Sofia")
    assert zone.text.startswith("Your time zone: Europe/Sofia.")
    shown = await dc.slash("anna", "settings show")
    assert shown.text.splitlines()[:2] == ["Language: English", "Time zone: Europe/Sofia"]


async def test_the_discord_client_language_is_used_until_a_user_chooses(dc: Harness) -> None:
    dc.user("jan").locale = "bg"  # jan's Discord client is in Bulgarian
    bulgarian = await dc.slash("jan", "settings show")
    assert bulgarian.text.startswith("Език: български")


async def test_a_refusal_names_the_role_needed(dc: Harness) -> None:
    refused = await dc.slash("anna", "remind channel", when="za 5 minut", what="Forum!")
    assert refused.ephemeral
    assert refused.text == "Do tego potrzebna jest rola: inicjator. Poproś administratora serwera."


async def test_roles_granted_and_mapped_to_a_discord_role(dc: Harness) -> None:
    await add_guild_role(dc, "Moderatorzy")
    mapped = await dc.slash("admin", "setup role", role="moderator", guild_role="Moderatorzy")
    assert mapped.text == "Członkowie z rolą serwera @Moderatorzy mają teraz rolę: moderator."
    granted = await dc.slash("admin", "role grant", user="jan", role="moderator")
    assert granted.text == "Jan ma teraz rolę: moderator."
    assert "Moderatorzy" in dc.member_roles("jan")  # the mapped Discord role was given
    allowed = await dc.slash("jan", "remind channel", when="za 5 minut", what="Forum startuje!")
    assert allowed.text.startswith("⏰ Przypomnę na #general")
    await dc.advance("5m")
    post = dc.messages("#general")[-1]
    assert post.content == "⏰ Przypomnienie: Forum startuje!"
    assert post.allowed_mentions is not None and post.allowed_mentions["parse"] == []
    assert not post.allowed_mentions.get("users")
    revoked = await dc.slash("admin", "role revoke", user="jan", role="moderator")
    assert revoked.text == "Jan nie ma już roli: moderator."
    assert "Moderatorzy" not in dc.member_roles("jan")


async def test_server_setup(dc: Harness) -> None:
    saved = await dc.slash(
        "admin",
        "setup server",
        forum="#announcements",
        log="#log",
        language="en",
        timezone="Europe/Warsaw",
    )
    fields = {f["name"]: f["value"] for f in saved.embeds[0]["fields"]}  # in admin's Polish
    assert fields["Forum ogłoszeń"] == "#announcements"
    assert fields["Kanał dziennika"] == "#log"
    assert fields["Język serwera"] == "English"
    # The client's language (Polish here) still wins over the server's.
    shown = await dc.slash("anna", "settings show")
    assert shown.text.startswith("Język: polski")


async def test_an_unparseable_time_gets_a_short_answer(dc: Harness) -> None:
    reply = await dc.slash("anna", "remind me", when="kiedyś tam", what="x")
    assert reply.ephemeral
    assert reply.text.startswith("Nie rozumiem czasu „kiedyś tam”. Spróbuj np.:")


async def test_an_internal_error_is_a_short_answer_and_a_logged_traceback(
    dc: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def broken(self: CommunityService, *args: object, **kwargs: object) -> str:
        raise RuntimeError("the disk is on fire")

    monkeypatch.setattr(CommunityService, "set_language", broken)
    with dc.expecting("log-error") as problems:
        reply = await dc.slash("anna", "settings language", language="nl")
    assert reply.ephemeral and reply.text.startswith("Coś poszło nie tak po mojej stronie.")
    assert "the disk is on fire" not in reply.text
    assert any("the disk is on fire" in p.detail for p in problems)


async def test_a_rate_limited_answer_is_retried_and_completes(dc: Harness) -> None:
    dc.rate_limit("POST /interactions/*/*/callback", times=1, retry_after=0.05)
    reply = await dc.slash("anna", "settings language", language="en")
    assert reply.text == "I will write to you in English."


async def test_a_dropped_connection_resumes(dc: Harness) -> None:
    dc.drop_connection()
    await dc.wait_resumed()
    reply = await dc.slash("anna", "settings show")
    assert reply.text.startswith("Język: polski")
    assert dc.double.gateway.identify_count == 1  # resumed, not a new session


async def test_settings_and_roles_survive_a_restart(dc: Harness) -> None:
    await dc.slash("admin", "role grant", user="ewa", role="initiator")
    await dc.slash("ewa", "settings language", language="nl")
    await dc.restart()
    shown = await dc.slash("ewa", "settings show")
    assert shown.text.splitlines() == [
        "Taal: Nederlands",
        "Tijdzone: Europe/Warsaw",
        "Rol: initiatiefnemer",
    ]
