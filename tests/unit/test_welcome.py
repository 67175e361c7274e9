"""The welcome: /start and its three ways forward (the groups near a town with Join
buttons, language and zone, what is coming up for everyone), the greeting once per person,
and the "Start here" message an admin places, moves and rewords."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import discord
import pytest

from bot.dispatch import Request
from bot.geography.places import Place
from bot.groups.messages import NEAR_SHOWN, near
from bot.groups.model import Group, GroupStatus, JoinMode
from bot.i18n import t
from bot.refs import Actor, ChannelRef, UserRef
from cogs.render import view
from matrix import reactions
from tests.helpers.world import ADMIN, ANNA, GENERAL, GUILD, JAN, World

FORUM = ChannelRef("test:#ogloszenia", "ogloszenia")
WELCOME = ChannelRef("test:#witamy", "witamy")
START_HERE = ChannelRef("test:#start", "start")
NEWCOMER = UserRef("test:ola", "Ola")
GONE = t("error.group.gone", locale="pl")


@pytest.fixture
async def world(tmp_path: Path) -> AsyncIterator[World]:
    w = await World.open(tmp_path / "w.sqlite3")
    yield w
    await w.app.close()


async def with_groups(world: World) -> None:
    await world.say("group create", actor=ADMIN, name="Pilica", city="Pilica")
    await world.say("group create", actor=ADMIN, name="Jura", city="Zawiercie", join="approval")
    await world.say("group create", actor=ADMIN, name="Mazury", city="Giżycko")


def button_ids(reply: object) -> list[str]:
    return [b.custom_id for b in reply.buttons]  # type: ignore[attr-defined]


async def test_start_offers_three_ways_forward_privately(world: World) -> None:
    card = await world.say("start")
    assert card.ephemeral and card.text.startswith("👋 Witaj w sieci Podaj dalej!")
    assert button_ids(card) == ["welcome-near", "welcome:settings", "welcome:events"]
    assert [b.label for b in card.buttons] == [
        "📍 Znajdź grupę blisko mnie",
        "🌐 Ustaw język i strefę czasową",
        "📅 Co nas czeka",
    ]


async def test_the_nearest_groups_to_a_town_with_their_distances_and_join_buttons(
    world: World,
) -> None:
    await with_groups(world)
    near = await world.say("start", place="Kroczyce")
    assert near.text.splitlines() == [
        "Najbliższe grupy — Kroczyce (śląskie, PL):",
        "• **Pilica** — Pilica (śląskie, PL) · 12 km",
        "• **Jura** — Zawiercie (śląskie, PL) · 13 km",
    ]  # Mazury, 400 km away, is too far to offer
    assert [(b.custom_id, b.label) for b in near.buttons] == [
        ("group:join:1", "Dołącz: Pilica"),
        ("group:join:2", "Poproś o dołączenie: Jura"),
    ]
    joined = await world.press("group:join:1")
    assert joined.text.startswith("Witaj w grupie **Pilica**")
    members = await world.app.groups.directory.members(
        await world.app.groups.directory.get(GUILD, "Pilica")
    )
    assert ANNA.id in [m.user_id for m in members]
    asked = await world.press("group:join:2")
    assert asked.text.startswith("Wysłano prośbę o dołączenie do grupy **Jura**")
    again = await world.press("group:join:1")
    assert again.text == "Już należysz do grupy **Pilica**."


async def test_the_welcome_presses_are_the_form_elsewhere(world: World) -> None:
    asked = await world.press("welcome-near")
    assert "/start place:Kroczyce" in asked.text and asked.ephemeral


async def test_an_unknown_town_is_answered_with_the_towns_meant(world: World) -> None:
    await with_groups(world)
    unknown = await world.say("start", place="Krocyce")
    assert unknown.refused
    assert unknown.text.startswith("Nie znam miejscowości „Krocyce”. Czy chodzi o: Kroczyce")


async def test_without_any_group_the_newcomer_is_invited_to_start_one(world: World) -> None:
    none = await world.say("start", place="Kroczyce")
    assert none.text.startswith("W sieci nie ma jeszcze żadnej lokalnej grupy")
    assert "/group propose" in none.text and button_ids(none) == ["group:guide"]


async def test_far_from_every_group_the_newcomer_is_invited_to_propose_one(
    world: World,
) -> None:
    await with_groups(world)
    far = await world.say("start", place="Łódź")
    assert far.text.startswith("W promieniu 100 km wokół miejscowości Łódź")
    assert "/group propose" in far.text and button_ids(far) == ["group:guide"]


async def test_a_join_button_of_another_server_reaches_nothing(world: World) -> None:
    await with_groups(world)
    elsewhere = Request("test", "test:other", GENERAL, Actor(ANNA))
    other = await world.app.dispatcher.press(elsewhere, "group:join:1")
    assert other.text == GONE
    assert not await world.app.groups.directory.groups_of(GUILD, ANNA.id)


async def test_language_and_zone_with_the_settings_own_commands(world: World) -> None:
    shown = await world.press("welcome:settings")
    assert "Piszę do Ciebie w języku: polski. Twoja strefa czasowa: Europe/Warsaw." in shown.text
    assert "welcome:language:nl" in button_ids(shown)
    assert "welcome:timezone:Europe/Amsterdam" in button_ids(shown)
    dutch = await world.press("welcome:language:nl")
    assert dutch.text == "Ik schrijf je voortaan in het Nederlands."
    zone = await world.press("welcome:timezone:Europe/Amsterdam")
    assert zone.text.startswith("Jouw tijdzone: Europe/Amsterdam.")
    prefs = await world.app.community.prefs(ANNA.id)
    assert (prefs.locale, prefs.timezone) == ("nl", "Europe/Amsterdam")


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("en", "The language I write to you in: English. Your time zone: Europe/Warsaw."),
        ("nl", "De taal waarin ik je schrijf: Nederlands. Je tijdzone: Europe/Warsaw."),
    ],
)
async def test_the_language_and_zone_read_naturally(world: World, language: str, said: str) -> None:
    await world.say("settings language", language=language)
    shown = await world.press("welcome:settings")
    assert shown.text.startswith(said), shown.text


async def test_what_is_coming_up_shows_events_for_everyone_never_a_groups(world: World) -> None:
    await world.say("setup server", actor=ADMIN, forum=FORUM)
    await with_groups(world)
    nothing = await world.press("welcome:events")
    assert nothing.text.startswith("Na razie nie zaplanowano żadnych wydarzeń")
    await world.say(
        "event create",
        actor=ADMIN,
        title="Forum dyrektorów",
        kind="forum",
        when="20 stycznia o 10",
        duration="3h",
    )
    await world.say(
        "event create",
        actor=ADMIN,
        title="Spotkanie Pilicy",
        kind="group",
        group="Pilica",
        when="18 stycznia o 10",
        duration="2h",
    )
    # Even a member of the group sees only what is for everyone here.
    await world.say("group join", actor=JAN, name="Pilica")
    for who in (ANNA, JAN, ADMIN):
        coming = await world.press("welcome:events", actor=who)
        assert coming.text == "📅 Najbliższe wydarzenia całej sieci:"
        assert [e.title for e in coming.embeds] == ["🏛️ Forum dyrektorów"]
        assert [(b.custom_id, b.label) for b in coming.buttons] == [
            ("event:rsvp:1:going", "Będę: Forum dyrektorów")
        ]
    going = await world.press("event:rsvp:1:going")
    assert "Forum dyrektorów" in going.text


async def test_a_newcomer_is_greeted_once_in_the_start_here_channel(world: World) -> None:
    assert not await world.app.welcome.greet(GUILD, NEWCOMER)  # nowhere to greet yet
    await world.say("setup server", actor=ADMIN, welcome=WELCOME)
    assert await world.app.welcome.greet(GUILD, NEWCOMER)
    [_, hello] = world.posts(WELCOME.id)
    assert hello.text.startswith("👋 Witaj, <@test:ola>! To sieć dyrektorów bibliotek")
    assert hello.mentions == (NEWCOMER.id,) and not hello.ephemeral
    assert button_ids(hello) == ["welcome-near", "welcome:settings", "welcome:events"]
    assert not await world.app.welcome.greet(GUILD, NEWCOMER)  # never a second time
    assert len(world.posts(WELCOME.id)) == 2


async def test_a_greeting_is_in_the_language_the_person_chose(world: World) -> None:
    await world.say("setup server", actor=ADMIN, welcome=WELCOME)
    await world.say("settings language", actor=NEWCOMER, language="en")
    await world.app.welcome.greet(GUILD, NEWCOMER)
    assert world.posts(WELCOME.id)[-1].text.startswith("👋 Welcome, <@test:ola>!")


async def test_the_start_here_message_is_placed_edited_moved_and_reworded(world: World) -> None:
    shown = await world.say("setup server", actor=ADMIN, welcome=WELCOME)
    [field] = [f for f in shown.embeds[0].fields if f.name == "Zacznij tutaj"]
    assert field.value == "#witamy"
    [post] = world.posts(WELCOME.id)
    assert post.text.startswith("**Zacznij tutaj** 👋") and not post.ephemeral
    assert button_ids(post) == ["welcome-near", "welcome:settings", "welcome:events"]
    # Set again in the same channel: the message is edited, not posted twice.
    await world.say("setup server", actor=ADMIN, welcome=WELCOME)
    assert len(world.posts(WELCOME.id)) == 1
    assert [e.channel_id for e in world.front.edits] == [WELCOME.id]
    # The server's language changes: the message speaks it.
    await world.say("setup server", actor=ADMIN, language="en")
    assert world.front.edits[-1].reply.text.startswith("**Start here** 👋")
    # Moved: posted in the new channel; the old one says where it went.
    await world.say("setup server", actor=ADMIN, welcome=START_HERE)
    assert world.posts(START_HERE.id)[0].text.startswith("**Start here**")
    moved = world.front.edits[-1]
    assert moved.channel_id == WELCOME.id
    assert (
        moved.reply.text == "The “Start here” message is now in #start." and not moved.reply.buttons
    )


async def test_a_deleted_start_here_message_is_posted_again(world: World) -> None:
    await world.say("setup server", actor=ADMIN, welcome=WELCOME)
    world.front.deleted_messages.add((WELCOME.id, "1"))
    await world.say("setup server", actor=ADMIN, welcome=WELCOME)
    assert len(world.posts(WELCOME.id)) == 2


async def test_only_an_admin_places_the_start_here_message(world: World) -> None:
    refused = await world.say("setup server", actor=ANNA, welcome=WELCOME)
    assert refused.text.startswith("Do tego potrzebna jest rola: administrator.")
    assert world.posts(WELCOME.id) == []


async def test_a_groups_channel_is_refused_for_the_start_here_message(world: World) -> None:
    await world.say("group create", actor=ADMIN, name="Jura", city="Zawiercie")
    jura = ChannelRef("channel:1", "jura")  # the group's own channel, made by the double
    refused = await world.say("setup server", actor=ADMIN, welcome=jura, forum=FORUM)
    assert refused.refused and refused.text.startswith("Kanał #jura należy do grupy"), refused.text
    assert world.posts(jura.id)[1:] == []  # only the group's own welcome is there
    assert await world.app.welcome.start_here(GUILD) is None
    # Nothing else given with it was saved either.
    assert (await world.app.community.guild(GUILD)).forum is None


def test_every_listed_group_gets_its_join_button_on_discord_and_matrix() -> None:
    pilica = Place("gn-1", "Pilica", "PL", "śląskie", 50.47, 19.66, None)
    groups = [
        (
            Group(
                n,
                GUILD,
                f"Grupa {n}",
                "Pilica",
                "śląskie",
                "PL",
                50.47,
                19.66,
                "",
                JoinMode.OPEN,
                GroupStatus.ACTIVE,
                None,
                None,
                None,
                None,
            ),
            float(n),
        )
        for n in range(1, NEAR_SHOWN + 3)
    ]
    reply = near(pilica, groups, 100, join=True)
    listed = [line for line in reply.text.splitlines() if line.startswith("• ")]
    assert len(listed) == len(reply.buttons) == NEAR_SHOWN
    made = view(reply)
    assert made is not None
    rows = [c for c in made.to_components() if c["type"] == discord.ComponentType.action_row.value]
    assert len(rows) <= 5 and all(len(row["components"]) <= 5 for row in rows)
    assert sum(len(row["components"]) for row in rows) == NEAR_SHOWN
    assert len({o.emoji for o in reactions.assign(reply.buttons)}) == NEAR_SHOWN
