"""Local-group stories on the real PodajBot through the Discord API double: who makes a
group, and a declined request that cannot be sent again at once."""

from __future__ import annotations

from .discord_double.harness import Harness
from .test_stories_groups import create_jura


async def test_an_approved_proposer_runs_their_group_and_moderators_make_new_ones(
    dc: Harness,
) -> None:
    await dc.slash("admin", "setup server", log="#log")
    await dc.slash("admin", "role grant", user="jan", role="moderator")
    await dc.slash("anna", "group propose", name="Podbeskidzie", city="Andrychów")
    approved = await dc.press("jan", dc.messages("#log")[-1], "Zatwierdź")
    assert approved.text.startswith("Zatwierdzono: grupa **Podbeskidzie** powstała")
    assert "Podbeskidzie" in dc.member_roles("anna")
    # Anna is an initiator now, of Podbeskidzie: a new group still goes through review.
    refused = await dc.slash("anna", "group create", name="Trzecia", city="Warszawa")
    assert refused.ephemeral and refused.text.startswith("Do tego potrzebna jest rola: moderator.")
    assert "Trzecia" not in [r.name for r in dc.guild.roles.values()]
    edited = await dc.slash("anna", "group edit", name="Podbeskidzie", description="Co kwartał")
    assert edited.text.startswith("Zapisano zmiany grupy **Podbeskidzie**")
    # A moderator makes a second group in the same town, and is told about the first.
    made = await dc.slash("jan", "group create", name="Podbeskidzie Bis", city="Andrychów")
    first, warning = made.text.splitlines()
    assert first.startswith("Utworzono grupę **Podbeskidzie Bis**")
    assert warning.startswith(
        "⚠️ Andrychów ma już grupę: **Podbeskidzie** spotyka się w miejscowości Andrychów, tuż obok."
    )


async def test_a_declined_request_waits_a_week_before_it_may_be_sent_again(
    dc: Harness,
) -> None:
    await create_jura(dc, join="approval")
    await dc.slash("anna", "group join", name="Jura")
    declined = await dc.press("ewa", dc.messages("#jura")[-1], "Odrzuć")
    assert declined.text.startswith("Odrzucono prośbę osoby Anna")
    told = dc.dms("anna")[-1].content
    assert "nie została przyjęta" in told and "możesz wysłać od: <t:" in told
    cards = len(dc.messages("#jura"))
    for _ in range(3):
        again = await dc.slash("anna", "group join", name="Jura")
        assert again.ephemeral and again.text.startswith(
            "Grupa **Jura** niedawno odrzuciła Twoją prośbę o dołączenie."
        )
    assert len(dc.messages("#jura")) == cards  # no new card for the initiators
    await dc.advance("7d")
    asked = await dc.slash("anna", "group join", name="Jura")
    assert asked.text.startswith("Wysłano prośbę o dołączenie do grupy **Jura**")
    assert dc.messages("#jura")[-1].content == "Anna chce dołączyć do grupy **Jura**."
