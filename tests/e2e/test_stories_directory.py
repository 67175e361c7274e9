"""The rest of the commands as users meet them on Discord: the group directory and its
management, profiles, the role list, snoozing by command."""

from __future__ import annotations

from .discord_double.harness import Harness


async def make_groups(dc: Harness) -> None:
    for name, city in (("Jura", "Zawiercie"), ("Beskidy", "Andrychów"), ("Pomorze", "Gdańsk")):
        reply = await dc.slash("admin", "group create", name=name, city=city, initiator="ewa")
        assert reply.text.startswith(f"Utworzono grupę **{name}**"), reply.text


async def test_the_directory_list_info_and_members(dc: Harness) -> None:
    await make_groups(dc)
    await dc.slash("anna", "profile set", library="MBP Łazy", town="Łazy")
    await dc.slash("anna", "group join", name="Jura")
    listing = await dc.slash("jan", "group list")
    embed = listing.embeds[0]
    assert embed["title"] == "3 grupy lokalne"
    assert {f["name"] for f in embed["fields"]} == {
        "pomorskie (PL)",
        "śląskie (PL)",
        "małopolskie (PL)",
    }
    only = await dc.slash("jan", "group list", region="śląskie")
    assert [f["name"] for f in only.embeds[0]["fields"]] == ["śląskie (PL)"]
    info = await dc.slash("jan", "group info", name="Jura")
    fields = {f["name"]: f["value"] for f in info.embeds[0]["fields"]}
    assert fields["Członkowie"] == "2" and fields["Inicjatorzy"] == "Ewa"
    members = await dc.slash("jan", "group members", name="Jura")
    assert "Anna — MBP Łazy · Łazy" in members.text
    profile = await dc.slash("jan", "profile show", user="anna")
    assert profile.text == "Anna — biblioteka: MBP Łazy; miejscowość: Łazy; grupy: Jura"
    left = await dc.slash("anna", "group leave", name="Jura")
    assert left.text == "Nie należysz już do grupy **Jura**."
    assert "Jura" not in dc.member_roles("anna")


async def test_group_autocomplete_and_unknown_names(dc: Harness) -> None:
    await make_groups(dc)
    choices = await dc.autocomplete("jan", "group info", "name", "be")
    assert [c["value"] for c in choices] == ["Beskidy"]
    unknown = await dc.slash("jan", "group info", name="Jurra")
    assert unknown.text == "Nie znam grupy „Jurra”. Czy chodzi o: Jura?"


async def test_initiators_manage_their_group(dc: Harness) -> None:
    await make_groups(dc)
    added = await dc.slash("admin", "group initiator add", name="Jura", user="jan")
    assert added.text == "Jan jest teraz inicjatorem grupy **Jura**."
    edited = await dc.slash(
        "jan", "group edit", name="Jura", join="approval", new_name="Jura Północna"
    )
    assert edited.text.startswith("Zapisano zmiany grupy **Jura Północna**")
    await dc.slash("anna", "group join", name="Jura Północna")
    declined = await dc.slash("jan", "group decline", name="Jura Północna", user="anna")
    assert declined.text == "Odrzucono prośbę osoby Anna o dołączenie do grupy **Jura Północna**."
    await dc.advance("7d")  # after a decline the same group is asked again a week later
    await dc.slash("anna", "group join", name="Jura Północna")
    approved = await dc.slash("jan", "group approve", name="Jura Północna", user="anna")
    assert approved.text == "Anna należy teraz do grupy **Jura Północna**."
    removed = await dc.slash("admin", "group initiator remove", name="Jura Północna", user="jan")
    assert (
        removed.text
        == "Jan nie jest już inicjatorem grupy **Jura Północna** (pozostaje członkiem)."
    )
    refused = await dc.slash("jan", "group archive", name="Jura Północna")
    assert refused.text == "Grupą „Jura Północna” zarządzają jej inicjatorzy i administratorzy."


async def test_meeting_next_skip_and_swap(dc: Harness) -> None:
    await make_groups(dc)
    await dc.slash(
        "ewa",
        "group meeting plan",
        name="Beskidy",
        hosts="Andrychów; Wadowice; Kęty",
        dates="10 kwietnia 10:00; 12 czerwca 10:00; 11 września 10:00",
    )
    assert (
        "gospodarz: Andrychów" in (await dc.slash("jan", "group meeting next", name="Beskidy")).text
    )
    swapped = await dc.slash("ewa", "group meeting swap", name="Beskidy")
    assert "gospodarz: Wadowice" in swapped.text
    skipped = await dc.slash("ewa", "group meeting skip", name="Beskidy")
    assert "gospodarz: Wadowice" in skipped.text and "12 czerwca" not in skipped.text
    refused = await dc.slash("anna", "group meeting skip", name="Beskidy")
    assert refused.text.startswith("Do tego potrzebna jest rola: inicjator.")


async def test_the_role_list_and_snoozing_by_command(dc: Harness) -> None:
    await dc.slash("admin", "role grant", user="jan", role="moderator")
    listed = await dc.slash("admin", "role list")
    assert listed.text == "1 osoba ma nadaną rolę:\n• Jan — moderator"
    await dc.slash("anna", "remind me", when="za 5 minut", what="kawa")
    await dc.advance("5m")
    snoozed = await dc.slash("anna", "remind snooze", id=1, by="1h")
    assert snoozed.text.startswith("⏰ Przypomnienie #1:")
    await dc.advance("1h")
    assert [m.content for m in dc.dms("anna")] == ["⏰ Przypomnienie: kawa"] * 2
