"""Proposing a group: the refusals (a name taken or imitated, a town already served, a
second proposal), the card for moderators, approving and declining once, the proposer's
direct message, and the checklist that ticks itself."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.errors import UserError
from bot.geography.places import Gazetteer
from bot.groups.directory import find_place
from bot.refs import ChannelRef, UserRef
from tests.helpers.world import ADMIN, ANNA, EWA, GUILD, JAN, World

LOG = ChannelRef("test:#log", "log")
MOD = UserRef("test:mod", "Moda")


@pytest.fixture
async def world(tmp_path: Path) -> AsyncIterator[World]:
    w = await World.open(tmp_path / "p.sqlite3")
    await w.say("role grant", actor=ADMIN, user=MOD, role="moderator")
    yield w
    await w.app.close()


async def with_log(world: World) -> None:
    await world.say("setup server", actor=ADMIN, log=LOG)


async def propose(world: World, actor: UserRef = ANNA, **args: object) -> str:
    options = {"name": "Podbeskidzie", "city": "Andrychów", **args}
    return (await world.say("group propose", actor=actor, **options)).text


async def test_a_proposal_posts_a_card_for_moderators_in_the_log_channel(world: World) -> None:
    await with_log(world)
    said = await propose(world, description="Biblioteki znad Wieprzówki", join="approval")
    assert "Propozycja założenia grupy **Podbeskidzie**" in said and "nr 1" in said
    assert "wiadomości prywatnej" in said
    card = world.posts(LOG.id)[-1]
    assert "📋 Propozycja nr 1: Anna chce założyć grupę **Podbeskidzie**" in card.text
    assert "Andrychów" in card.text and "Biblioteki znad Wieprzówki" in card.text
    assert [b.custom_id for b in card.buttons] == [
        "group:proposal:approve:1",
        "group:proposal:decline:1",
    ]
    assert world.front.spaces == []  # nothing is made before a decision


def card_now(world: World) -> tuple[str, list[str]]:
    """What the card in the log channel shows now: its last edit, or the card itself."""
    [card] = [p for p in world.posts(LOG.id) if p.text.startswith("📋")]
    edits = [e.reply for e in world.front.edits if e.channel_id == LOG.id]
    shown = edits[-1] if edits else card
    return shown.text, [b.custom_id for b in shown.buttons]


@pytest.mark.parametrize(
    ("language", "approved", "declined"),
    [
        ("pl", "✅ Zatwierdzona — decyzja: Moda.", "❌ Odrzucona — decyzja: Moda."),
        ("en", "✅ Approved — decided by Moda.", "❌ Declined — decided by Moda."),
        ("nl", "✅ Goedgekeurd — besluit van Moda.", "❌ Afgewezen — besluit van Moda."),
        ("bg", "✅ Одобрено — решение на Moda.", "❌ Отхвърлено — решение на Moda."),
    ],
)
async def test_a_decided_card_shows_the_outcome_and_who_decided_without_buttons(
    world: World, language: str, approved: str, declined: str
) -> None:
    await world.say("setup server", actor=ADMIN, log=LOG, language=language)
    await propose(world)
    await world.say("group proposal approve", actor=MOD, id=1)  # by command
    text, buttons = card_now(world)
    assert text.endswith(approved) and buttons == [], text
    assert "Podbeskidzie" in text  # still says what was proposed
    world.front.sent.clear()
    world.front.edits.clear()
    await propose(world, actor=JAN, name="Pilica i okolice", city="Pilica")
    await world.press("group:proposal:decline:2", actor=MOD)  # by its button
    text, buttons = card_now(world)
    assert declined in text and buttons == [], text


async def test_a_declined_card_gives_the_reason(world: World) -> None:
    await with_log(world)
    await propose(world)
    await world.say("group proposal decline", actor=MOD, id=1, reason="Za blisko Wadowic")
    text, buttons = card_now(world)
    assert text.endswith("❌ Odrzucona — decyzja: Moda.\nUzasadnienie: Za blisko Wadowic")
    assert buttons == []


async def test_without_a_log_channel_moderators_see_the_list(world: World) -> None:
    said = await propose(world)
    assert "czeka na moderatora" in said and "/group proposals" in said
    listed = await world.say("group proposals", actor=MOD)
    assert "nr 1 **Podbeskidzie** — Andrychów, proponuje: Anna" in listed.text
    refused = await world.say("group proposals", actor=JAN)
    assert refused.text.startswith("Do tego potrzebna jest rola: moderator.")


async def test_approval_makes_the_group_with_the_proposer_as_initiator(world: World) -> None:
    await with_log(world)
    await propose(world)
    done = await world.press("group:proposal:approve:1", actor=ADMIN)
    assert "Zatwierdzono: grupa **Podbeskidzie** powstała, jej inicjator to Anna" in done.text
    [(name, channel, _, managers)] = world.front.spaces
    assert (name, channel, managers) == ("Podbeskidzie", "podbeskidzie", (ANNA.id,))
    group = await world.app.groups.directory.get(GUILD, "Podbeskidzie")
    assert group.city == "Andrychów"
    assert await world.app.groups.directory.is_initiator(group, ANNA.id)
    assert "Witajcie w grupie **Podbeskidzie**" in world.posts("channel:1")[0].text
    [dm] = world.dms(ANNA)
    assert "Twoja grupa **Podbeskidzie** została zatwierdzona" in dm.text
    assert "⬜ Pierwsze spotkanie zaplanowane" in dm.text
    assert "## " in dm.text  # the guide to starting a group follows
    lines = [e.action for e in await world.app.audit.recent(GUILD)]
    assert "group proposal approve" in lines
    # Anna is an initiator now, and no proposal waits any more.
    assert "Żadna propozycja" in (await world.say("group proposals", actor=MOD)).text


async def test_a_decision_is_taken_once_and_a_second_says_by_whom(world: World) -> None:
    await propose(world)
    first = await world.say("group proposal decline", actor=MOD, id=1, reason="Za blisko Kęt")
    assert "Odrzucono propozycję grupy **Podbeskidzie**" in first.text
    again = await world.say("group proposal approve", actor=ADMIN, id=1)
    assert "została już odrzucona — decyzja: Moda" in again.text
    pressed = await world.press("group:proposal:decline:1", actor=ADMIN)
    assert "została już odrzucona — decyzja: Moda" in pressed.text
    assert world.front.spaces == []
    [dm] = world.dms(ANNA)
    assert "została odrzucona" in dm.text and "Uzasadnienie: Za blisko Kęt" in dm.text


async def test_an_approval_that_cannot_make_the_group_leaves_it_waiting(world: World) -> None:
    await propose(world)
    await world.say("group create", actor=ADMIN, name="Podbeskidzie", city="Zakopane")
    failed = await world.say("group proposal approve", actor=MOD, id=1)
    assert "Grupa o nazwie „Podbeskidzie” już istnieje" in failed.text
    assert "nr 1 **Podbeskidzie**" in (await world.say("group proposals", actor=MOD)).text
    declined = await world.say("group proposal decline", actor=MOD, id=1, reason="Nazwa zajęta")
    assert "Odrzucono" in declined.text
    assert "Uzasadnienie: Nazwa zajęta" in world.dms(ANNA)[-1].text


async def test_a_director_cannot_decide_nor_press_the_buttons(world: World) -> None:
    await propose(world)
    refused = await world.say("group proposal approve", actor=JAN, id=1)
    assert refused.text.startswith("Do tego potrzebna jest rola: moderator.")
    pressed = await world.press("group:proposal:approve:1", actor=JAN)
    assert pressed.text.startswith("Do tego potrzebna jest rola: moderator.")
    unknown = await world.say("group proposal approve", actor=MOD, id=7)
    assert "Nie ma propozycji nr 7" in unknown.text


async def test_one_pending_proposal_per_person(world: World) -> None:
    await propose(world)
    second = await propose(world, name="Wadowice i okolice", city="Zakopane")
    assert "Twoja propozycja już czeka: **Podbeskidzie** (nr 1)" in second
    await world.say("group proposal decline", actor=MOD, id=1)
    third = await propose(world, name="Tatry", city="Zakopane")
    assert "nr 2" in third


async def test_a_name_taken_imitated_or_already_proposed_is_refused(world: World) -> None:
    await world.say("group create", actor=ADMIN, name="Jura", city="Zawiercie")
    taken = await propose(world, name="JURA", city="Zakopane")
    assert "Grupa o nazwie „JURA” już istnieje" in taken
    lookalike = await propose(world, name="Jurа", city="Zakopane")  # a Cyrillic "а"
    assert "wygląda tak samo jak istniejąca „Jura”" in lookalike
    await propose(world, actor=EWA, name="Tatry", city="Zakopane")
    proposed = await propose(world, name="tatry", city="Kraków")
    assert "„tatry” jest już zaproponowana i czeka na decyzję" in proposed


async def test_a_town_served_within_15_km_names_the_group_and_offers_to_join(
    world: World,
) -> None:
    await world.say("group create", actor=ADMIN, name="Kęty", city="Kęty")
    refused = await propose(world)
    assert refused == (
        "Andrychów ma już grupę: **Kęty** spotyka się w miejscowości Kęty, 9 km stąd. "
        "Dołącz do niej: /group join name:Kęty"
    )
    await world.say("settings language", actor=JAN, language="en")
    english = await propose(world, actor=JAN, city="Inwałd")
    assert english == (
        "Inwałd already has a group: **Kęty** meets in Kęty, 12 km away. "
        "Join it instead: /group join name:Kęty"
    )
    # The refusal offers the group in one press.
    again = await world.say("group propose", actor=ANNA, name="Podbeskidzie", city="Andrychów")
    assert again.refused and [b.label for b in again.buttons] == ["Dołącz: Kęty"]
    joined = await world.press(again.buttons[0].custom_id, actor=ANNA)
    assert "Kęty" in joined.text and not joined.refused, joined.text
    # To one of its members the group is named as theirs, with nothing to join.
    member = await world.say("group propose", actor=ANNA, name="Podbeskidzie", city="Andrychów")
    assert member.text == (
        "Andrychów ma już grupę: **Kęty** spotyka się w miejscowości Kęty, 9 km stąd, "
        "a Ty już do niej należysz."
    )
    assert member.refused and member.buttons == ()
    # The group's own town is right nearby, never "0 km away".
    here = await propose(world, actor=JAN, city="Kęty")
    assert "meets in Kęty, right nearby. Join it instead" in here, here
    await world.say("group archive", actor=ADMIN, name="Kęty")
    assert "nr 1" in await propose(world)  # an archived group serves nobody


async def test_refusals_in_english(world: World) -> None:
    await world.say("settings language", language="en")
    await world.say("group create", actor=ADMIN, name="Riverside", city="Kraków")
    taken = await propose(world, name="riverside", city="Zakopane")
    assert taken.startswith("A group called “riverside” already exists")
    unknown = await propose(world, name="Tatra", city="Kroczyse")
    assert "Kroczyce" in unknown
    sent = await propose(world, name="Beskids")
    assert "waits for a moderator" in sent
    again = await propose(world, name="Tatra", city="Zakopane")
    assert again.startswith("You already have a proposal waiting: **Beskids** (no. 1).")


async def test_the_outcome_reaches_the_proposer_in_their_language(world: World) -> None:
    await world.say("settings language", actor=EWA, language="en")
    await propose(world, actor=EWA, name="Beskids")
    await world.say("group proposal approve", actor=MOD, id=1)
    [dm] = world.dms(EWA)
    assert dm.text.startswith("🎉 Your group **Beskids** is approved")
    assert "⬜ Directors invited" in dm.text


async def test_the_checklist_ticks_itself(world: World) -> None:
    await propose(world)
    await world.say("group proposal approve", actor=ADMIN, id=1)
    empty = await world.say("group checklist")
    assert empty.text.count("⬜") == 3
    await world.say(
        "group meeting plan",
        name="Podbeskidzie",
        hosts="Andrychów; Kęty",
        first="2 kwietnia o 10",
        every="3 months",
    )
    await world.say("group join", actor=JAN, name="Podbeskidzie")
    done = await world.say("group checklist", name="Podbeskidzie")
    assert done.text.count("✅") == 3 and "Wszystko gotowe" in done.text
    others = await world.say("group checklist", actor=EWA, name="Podbeskidzie")
    assert others.text.startswith("Do tego potrzebna jest rola: inicjator.")
    await world.say("role grant", actor=ADMIN, user=EWA, role="initiator")
    none = await world.say("group checklist", actor=EWA)
    assert "Nie prowadzisz jeszcze żadnej grupy" in none.text
    not_hers = await world.say("group checklist", actor=EWA, name="Podbeskidzie")
    assert "Podbeskidzie" in not_hers.text and "✅" not in not_hers.text


async def test_forgetting_the_proposer_removes_their_proposals(world: World) -> None:
    await propose(world)
    exported = await world.app.privacy.export(ANNA.id)
    assert [r["name"] for r in exported["group_proposals"]] == ["Podbeskidzie"]
    await world.app.privacy.forget(ANNA, former_member="były członek")
    assert await world.app.db.fetchall("SELECT * FROM group_proposals") == []


async def test_a_name_that_only_looks_like_a_waiting_proposal_is_refused(world: World) -> None:
    await propose(world, name="Beskidy")
    lookalike = await propose(world, actor=EWA, name="Bеskidy", city="Zakopane")  # Cyrillic "е"
    assert "„Beskidy” jest już zaproponowana i czeka na decyzję" in lookalike
    assert len(await world.app.groups.proposals.pending(GUILD)) == 1


async def test_a_bulgarian_proposer_is_addressed_formally_as_everywhere_else(
    world: World,
) -> None:
    # The Bulgarian texts say "вие" (the greeting, /start, settings); the proposal's too.
    await world.say("settings language", actor=ANNA, language="bg")
    sent = await propose(world)
    assert "Предложението ви" in sent and "Ще получите" in sent, sent
    again = await propose(world, name="Tatry", city="Zakopane")
    assert again.startswith("Вече имате предложение"), again
    await world.say("group proposal decline", actor=MOD, id=1)
    [told] = world.dms(ANNA)
    assert "Можете да предложите отново" in told.text, told.text


async def test_forgetting_the_proposer_leaves_a_card_without_them_or_its_buttons(
    world: World,
) -> None:
    await with_log(world)
    await propose(world, description="Biblioteki znad Wieprzówki")
    await world.app.privacy.forget(ANNA, former_member="były członek")
    shown, buttons = card_now(world)
    assert shown == (
        "📋 Propozycja nr 1 (**Podbeskidzie**, Andrychów) została usunięta razem z danymi "
        "osoby, która ją zgłosiła."
    )
    assert buttons == []


async def test_forgetting_the_decider_leaves_a_card_that_names_a_former_member(
    world: World,
) -> None:
    await with_log(world)
    await propose(world)
    await world.say("group proposal decline", actor=MOD, id=1, reason="Za blisko")
    assert "decyzja: Moda" in card_now(world)[0]
    await world.app.privacy.forget(MOD, former_member="były członek")
    shown, buttons = card_now(world)
    assert "Moda" not in shown and "decyzja: były członek" in shown and buttons == []
    assert "Anna chce założyć grupę **Podbeskidzie**" in shown


async def test_a_second_decision_by_command_is_not_audited_as_a_decision(world: World) -> None:
    await propose(world)
    await world.say("group proposal approve", actor=MOD, id=1)
    again = await world.say("group proposal decline", actor=ADMIN, id=1, reason="Za późno")
    assert again.refused and "została już zatwierdzona — decyzja: Moda" in again.text
    audited = await world.app.db.fetchall("SELECT actor_name, action FROM audit_log")
    assert [(r["actor_name"], r["action"]) for r in audited if "proposal" in r["action"]] == [
        ("Moda", "group proposal approve")
    ]


async def test_the_card_names_the_town_with_its_region_among_namesakes(world: World) -> None:
    await with_log(world)
    # A dozen villages bear the name: which one is asked, never the biggest taken silently.
    which = await propose(world, name="Laskowianki", city="Laski")
    assert which.startswith("Miejscowości o nazwie „Laski” jest więcej niż jedna"), which
    assert "• Laski (pomorskie, PL)" in which
    assert not any("Propozycja" in post.text for post in world.posts(LOG.id))
    await propose(world, name="Laskowianki", city="Laski (pomorskie, PL)")
    shown, _ = card_now(world)
    assert "w miejscowości Laski (pomorskie, PL)." in shown, shown


@pytest.mark.parametrize("name", ["@everyone", "@here", "<@&123>", "Grupa <#456>", "@Jura"])
async def test_a_name_that_reads_as_a_mention_is_refused_for_proposals_and_groups(
    world: World, name: str
) -> None:
    await with_log(world)
    said = await propose(world, name=name)
    assert said.startswith(f"„{name}” wygląda jak wzmianka") or "wygląda jak wzmianka" in said
    made = await world.say("group create", actor=ADMIN, name=name, city="Pilica")
    assert "wygląda jak wzmianka" in made.text and made.created is None
    # "@" inside a name is just a character.
    fine = await world.say("group create", actor=ADMIN, name="Biblioteki@Jura", city="Pilica")
    assert fine.created is not None


async def test_a_first_meeting_made_as_an_event_ticks_the_checklist_too(world: World) -> None:
    await propose(world)
    await world.say("group proposal approve", actor=ADMIN, id=1)
    made = await world.say(
        "event create",
        actor=ANNA,
        title="Pierwsze spotkanie",
        kind="group",
        group="Podbeskidzie",
        when="2 kwietnia o 10",
        duration="2h",
    )
    assert "Pierwsze spotkanie" in made.text, made.text
    ticked = await world.say("group checklist", actor=ANNA)
    assert ticked.text.count("✅") == 1, ticked.text
    cancelled = await world.say("event cancel", actor=ANNA, event="Pierwsze spotkanie")
    assert "Pierwsze spotkanie" in cancelled.text, cancelled.text
    called_off = await world.say("group checklist", actor=ANNA)
    assert called_off.text.count("✅") == 0, called_off.text


def test_every_town_offered_to_pick_from_is_found_again_as_written() -> None:
    """Each label in "which one?" finds that very place when typed back, also where two
    read alike ("Józefów (mazowieckie, PL)" twice) or a gmina has its own parentheses."""
    gazetteer = Gazetteer.load()
    for name in ("Józefów", "Nowa Wieś", "Dąbrowa", "Laski"):
        with pytest.raises(UserError) as asked:
            find_place(gazetteer, name)
        labels = [line[2:] for line in asked.value.params["options"].splitlines()]
        assert len(labels) == len(set(labels)) == 5, labels
        for label in labels:
            assert find_place(gazetteer, label).label() == label
