"""Local-group stories on the real PodajBot through the Discord API double."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from cogs import interactions

from .discord_double import state as st
from .discord_double.harness import Harness

VIEW_CHANNEL = 1 << 10
MANAGE_MESSAGES = 1 << 13


async def create_jura(dc: Harness, **extra: str) -> None:
    reply = await dc.slash(
        "admin", "group create", name="Jura", city="Zawiercie", initiator="ewa", **extra
    )
    assert reply.ephemeral and reply.text.startswith("Utworzono grupę **Jura**"), reply.text


def group_channel(dc: Harness) -> st.Channel:
    return dc.channel("#jura")


async def test_creating_a_group_makes_a_private_channel_and_a_role(dc: Harness) -> None:
    await create_jura(dc)
    channel = group_channel(dc)
    category = dc.channel("Grupy")
    assert channel.parent_id == category.id
    role = dc.role("Jura")
    overwrites = {o.id: o for o in channel.overwrites}
    assert overwrites[dc.guild.id].deny & VIEW_CHANNEL  # @everyone cannot see it
    assert overwrites[role.id].allow & VIEW_CHANNEL
    assert overwrites[dc.user("ewa").id].allow & MANAGE_MESSAGES  # pins, moderation
    assert "Jura" in dc.member_roles("ewa")
    [welcome] = dc.messages("#jura")
    assert welcome.content.startswith("Witajcie w grupie **Jura**")


async def test_joining_by_approval_with_buttons(dc: Harness) -> None:
    await create_jura(dc, join="approval")
    asked = await dc.slash("anna", "group join", name="Jura")
    assert asked.text.startswith("Wysłano prośbę o dołączenie do grupy **Jura**")
    request = dc.messages("#jura")[-1]
    assert request.content == "Anna chce dołączyć do grupy **Jura**."
    done = await dc.press("ewa", request, "Przyjmij")
    assert "należy teraz do grupy **Jura**" in done.text
    assert "Jura" in dc.member_roles("anna")
    assert dc.dms("anna")[-1].content.startswith("Przyjęto Cię do grupy **Jura**")
    again = await dc.slash("anna", "group join", name="jura")
    assert again.text == "Już należysz do grupy **Jura**."


async def test_groups_near_me_with_autocomplete(dc: Harness) -> None:
    await create_jura(dc)
    choices = await dc.autocomplete("anna", "group near", "place", "Lazy")
    assert choices and choices[0]["name"].startswith("Łazy")
    near = await dc.slash("anna", "group near", place=choices[0]["value"])
    assert "**Jura**" in near.text and " km" in near.text
    far = await dc.slash("anna", "group near", place="Suwałki")
    assert "nie ma jeszcze grupy" in far.text
    guide = await dc.press("anna", far.message, "Jak założyć grupę")
    await dc.settle()  # the guide comes in several messages
    whole = guide.text + "".join(m.content for m in guide.followups)
    assert guide.ephemeral and "/group meeting plan" in whole


async def test_the_map_is_attached_as_a_png(dc: Harness) -> None:
    await create_jura(dc)
    reply = await dc.slash("anna", "group map")
    [png] = reply.files
    assert png.filename == "groups-map.png"
    assert Image.open(io.BytesIO(png.data)).format == "PNG"


async def test_a_slow_public_answer_stays_public(
    dc: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When the bot must defer (here: always), the map still goes to the channel, not only
    to the asker, and the "thinking…" placeholder does not stay behind."""
    await create_jura(dc)
    monkeypatch.setattr(interactions, "DEFER_AFTER", 0.0)
    reply = await dc.slash("anna", "group map")
    assert reply.deferred
    await dc.settle()
    [public] = reply.followups
    assert not public.ephemeral and public.attachments[0].filename == "groups-map.png"
    assert reply.message is None or reply.message.deleted


async def test_the_guide_comes_in_pieces_within_discords_limit(dc: Harness) -> None:
    reply = await dc.slash("jan", "group guide")
    await dc.settle()
    pieces = [reply.text, *(m.content for m in reply.followups)]
    assert len(pieces) >= 2 and all(len(p) <= 2000 for p in pieces)
    assert pieces[0].startswith("#")


async def test_meetings_rotate_and_members_are_reminded(dc: Harness) -> None:
    await create_jura(dc)
    await dc.slash("jan", "group join", name="Jura")
    planned = await dc.slash(
        "ewa",
        "group meeting plan",
        name="Jura",
        hosts="Łazy; Pilica; Kroczyce; Andrychów",
        first="za 10 dni o 10",
        every="3 months",
        topic="Budżet",
    )
    assert "Łazy → Pilica → Kroczyce → Andrychów" in planned.text
    assert "gospodarz: Łazy" in dc.messages("#jura")[-1].content
    await dc.advance("9d2h")  # the day before, 12:00: after the reminder at 10:00
    assert dc.dms("jan")[-1].content.startswith("Jutro spotkanie grupy **Jura**")
    await dc.advance("2d")
    assert "gospodarz: Pilica" in dc.messages("#jura")[-1].content


async def test_a_director_cannot_manage_someone_elses_group(dc: Harness) -> None:
    await create_jura(dc)
    await dc.slash("admin", "role grant", user="jan", role="initiator")
    refused = await dc.slash("jan", "group archive", name="Jura")
    assert refused.text == "Grupą „Jura” zarządzają jej inicjatorzy i administratorzy."


async def test_a_deleted_channel_is_noticed_and_recreated(dc: Harness) -> None:
    await create_jura(dc)
    channel = group_channel(dc)
    # Someone deletes the channel in Discord's UI; Discord tells the bot.
    channel.deleted = True
    dc.double.dispatch("CHANNEL_DELETE", dc.double.payloads.channel(channel))
    await dc.settle()
    notice = dc.dms("ewa")[-1]
    assert "zostały usunięte" in notice.content
    made = await dc.press("ewa", notice, "Utwórz ponownie")
    assert made.text.startswith("Utworzono grupę **Jura**")


async def test_repair_notices_a_channel_and_role_deleted_while_the_bot_was_offline(
    dc: Harness,
) -> None:
    await create_jura(dc)
    healthy = await dc.slash("ewa", "group repair", name="Jura")
    assert healthy.text.startswith("Kanał i rola grupy **Jura** są na miejscu")
    # Deleted while the bot was away: Discord never told it, the cache still has them.
    group_channel(dc).deleted = True
    role = dc.role("Jura")
    del dc.guild.roles[role.id]
    repaired = await dc.slash("ewa", "group repair", name="Jura")
    assert repaired.text.startswith("Utworzono grupę **Jura**"), repaired.text
    remade = group_channel(dc)
    assert not remade.deleted and dc.role("Jura").id != role.id
    assert "Jura" in dc.member_roles("ewa")
    again = await dc.slash("ewa", "group repair", name="Jura")
    assert again.text.startswith("Kanał i rola grupy **Jura** są na miejscu")
    # Only the role deleted: the channel stays, with its history, and lets the new role in.
    await dc.slash("ewa", "group join", name="Jura")
    kept = group_channel(dc)
    old_role = dc.role("Jura")
    del dc.guild.roles[old_role.id]
    await dc.slash("ewa", "group repair", name="Jura")
    new_role = dc.role("Jura")
    assert new_role.id != old_role.id and group_channel(dc).id == kept.id
    live = [dc.double.state.channels[i] for i in dc.guild.channel_ids]
    assert [c.name for c in live if not c.deleted].count("jura") == 1
    assert any(o.id == new_role.id for o in group_channel(dc).overwrites)
    assert "Jura" in dc.member_roles("ewa")


async def test_a_proposed_group_is_approved_from_its_card_and_its_checklist_ticks(
    dc: Harness,
) -> None:
    await dc.slash("admin", "setup server", log="#log")
    sent = await dc.slash(
        "anna", "group propose", name="Podbeskidzie", city="Andrychów", join="approval"
    )
    assert sent.ephemeral and sent.text.startswith("Propozycja założenia grupy **Podbeskidzie**")
    card = dc.messages("#log")[-1]
    assert card.content.startswith("📋 Propozycja nr 1: Anna chce założyć grupę **Podbeskidzie**")
    refused = await dc.press("jan", card, "group:proposal:approve:1")
    assert refused.text.startswith("Do tego potrzebna jest rola: moderator.")
    approved = await dc.press("admin", card, "Zatwierdź")
    assert approved.text.startswith("Zatwierdzono: grupa **Podbeskidzie** powstała")
    await dc.settle()  # the guide comes in several messages
    assert "Podbeskidzie" in dc.member_roles("anna")
    assert dc.messages("#podbeskidzie")[0].content.startswith("Witajcie w grupie **Podbeskidzie**")
    dm = "".join(m.content for m in dc.dms("anna"))
    assert "została zatwierdzona" in dm and "⬜ Pierwsze spotkanie zaplanowane" in dm
    # The card now says who decided, and has no buttons left to press.
    [decided] = [m for m in dc.messages("#log") if m.id == card.id]
    assert decided.content.endswith("✅ Zatwierdzona — decyzja: Admin.")
    assert decided.buttons == []
    again = await dc.slash("admin", "group proposal decline", id=1)
    assert "została już zatwierdzona — decyzja:" in again.text

    before = await dc.slash("anna", "group checklist")
    assert before.text.count("⬜") == 3
    await dc.slash(
        "anna",
        "group meeting plan",
        name="Podbeskidzie",
        hosts="Andrychów; Inwałd",
        first="13 marca o 10",
        every="3 months",
    )
    await dc.slash("jan", "group join", name="Podbeskidzie")
    await dc.press("anna", dc.messages("#podbeskidzie")[-1], "Przyjmij")
    after = await dc.slash("anna", "group checklist", name="Podbeskidzie")
    assert after.text.count("✅") == 3, after.text


async def test_a_proposal_for_a_served_town_offers_its_group_in_one_press(dc: Harness) -> None:
    await create_jura(dc)
    refused = await dc.slash("anna", "group propose", name="Ogrodzieniec", city="Łazy")
    assert refused.ephemeral and refused.text.startswith("Łazy ma już grupę: **Jura**")
    joined = await dc.press("anna", refused, "Dołącz: Jura")
    assert "Jura" in joined.text, joined.text
    assert "Jura" in dc.member_roles("anna")
    # A member proposing it again is told the group is theirs, with nothing to press.
    again = await dc.slash("anna", "group propose", name="Ogrodzieniec", city="Łazy")
    assert "należysz" in again.text, again.text
