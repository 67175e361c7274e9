"""Virtual pączek panels through the core: planning and the reminder, the speaking queue,
timed turns with warnings on the settable clock, rounds, questions and votes, pączki with
their plurals, Tłusty Czwartek, restarts mid-panel, and the transcript (escaping, opt-out)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from dateutil.easter import easter

from bot.errors import UserError
from bot.i18n import tn
from bot.panels.model import fat_thursday, is_fat_thursday, mentions_in
from bot.panels.store import PanelStore
from bot.refs import ChannelRef, UserRef
from bot.replies import Reply
from tests.helpers.clock import START
from tests.helpers.world import ADMIN, ANNA, EWA, GENERAL, JAN, World

MOD = UserRef("test:mod", "Mod")
ZOSIA = UserRef("test:zosia", "Zosia")
PIOTR = UserRef("test:piotr", "Piotr")
THREAD = "test:#general/thread:1"
FORUM = ChannelRef("test:#ogloszenia", "ogloszenia")
# Tłusty Czwartek 2026, 09:00 in Warsaw.
FAT_THURSDAY = datetime(2026, 2, 12, 8, 0, tzinfo=UTC)


@pytest.fixture
async def world(tmp_path: Path) -> AsyncIterator[World]:
    w = await World.open(tmp_path / "p.sqlite3")
    await w.say("role grant", actor=ADMIN, user=MOD, role="moderator")
    yield w
    await w.app.close()


async def plan(world: World, **extra: object) -> int:
    options: dict[str, object] = {
        "topic": "Biblioteka po godzinach",
        "when": "za 1 godzinę",
        "panelists": "@ewa @jan",
        "moderator": MOD,
    }
    options.update(extra)
    reply = await world.say("panel create", actor=MOD, **options)
    assert reply.created is not None, reply.text
    return int(reply.created.id)


async def live(world: World, **extra: object) -> int:
    panel_id = await plan(world, **extra)
    started = await world.say("panel start", actor=MOD, panel=str(panel_id))
    assert "trwa" in started.text, started.text
    return panel_id


def thread_posts(world: World) -> list[Reply]:
    return world.posts(THREAD)


def card(world: World) -> Reply:
    """What the card in the thread shows now: its last edit, or the card itself."""
    edits = [e for e in world.front.edits if e.channel_id == THREAD]
    return edits[-1].reply if edits else thread_posts(world)[0]


async def in_thread(world: World, path: str, actor: UserRef, **args: object) -> Reply:
    return await world.say(path, actor=actor, channel=ChannelRef(THREAD, "panel"), **args)


# -- planning ----------------------------------------------------------------------------


async def test_a_panel_is_announced_and_its_people_reminded_15_minutes_before(
    world: World,
) -> None:
    reply = await world.say(
        "panel create",
        actor=MOD,
        topic="Biblioteka po godzinach",
        when="za 1 godzinę",
        panelists="@ewa @jan",
    )
    assert reply.ephemeral and reply.created is not None and reply.created.type == "panel"
    assert "panel #1 **Biblioteka po godzinach**" in reply.text
    [announcement] = world.posts(GENERAL.id)
    assert "Biblioteka po godzinach" in announcement.text
    assert "Paneliści: <@test:ewa>, <@test:jan>" in announcement.text
    assert "Wypowiedzi po 3 minuty, całość 60 minut" in announcement.text
    await world.app.advance(timedelta(minutes=44, seconds=59))
    assert world.dms(EWA) == []
    await world.app.advance(timedelta(seconds=1))
    assert "Jesteś w nim panelistą" in world.dms(EWA)[0].text
    assert "Jesteś w nim panelistą" in world.dms(JAN)[0].text
    assert "Prowadzisz go" in world.dms(MOD)[0].text  # the creator moderates by default
    await world.app.advance(timedelta(hours=2))
    assert len(world.dms(EWA)) == 1  # once


async def test_only_moderators_plan_anywhere_and_bad_input_is_refused(world: World) -> None:
    refused = await world.say(
        "panel create", actor=ANNA, topic="x", when="jutro o 10", panelists="@ewa"
    )
    assert refused.text.startswith("Do tego potrzebna jest rola")
    await world.say("role grant", actor=ADMIN, user=JAN, role="initiator")
    scoped = await world.say(
        "panel create", actor=JAN, topic="x", when="jutro o 10", panelists="@ewa"
    )
    assert "w kanale swojej grupy" in scoped.text
    bad = await world.say(
        "panel create", actor=MOD, topic="x", when="jutro o 10", panelists="ewa i jan"
    )
    assert "wskaż panelistów wzmiankami" in bad.text
    long = await world.say(
        "panel create", actor=MOD, topic="x", when="jutro o 10", panelists="@ewa", duration="9h"
    )
    assert "od 5 minut do 8 godzin" in long.text
    assert await world.app.db.fetchall("SELECT id FROM panels") == []


def test_mentions_are_read_the_way_each_platform_writes_them() -> None:
    assert [u.id for u in mentions_in("@Ewa, @jan @ewa", "console")] == [
        "console:ewa",
        "console:jan",
    ]
    assert mentions_in("@Ewa", "console")[0].name == "Ewa"
    found = mentions_in("<@123> <@!456>", "discord")
    assert [u.id for u in found] == ["discord:123", "discord:456"]
    for bad in ("", "ewa", "@ewa and jan"):
        with pytest.raises(UserError):
            mentions_in(bad, "console")
    with pytest.raises(UserError):
        mentions_in(" ".join(f"@p{i}" for i in range(11)), "console")


# -- starting ----------------------------------------------------------------------------


async def test_starting_opens_a_thread_with_the_card_and_slow_mode(world: World) -> None:
    panel_id = await plan(world)
    started = await world.say("panel start", actor=MOD, panel=str(panel_id), slowmode=30)
    assert "#general › Panel 1: Biblioteka po godzinach" in started.text
    [(thread_id, parent, name)] = world.front.threads
    assert (thread_id, parent, name) == (THREAD, GENERAL.id, "Panel 1: Biblioteka po godzinach")
    first = card(world)
    assert "Moderuje: <@test:mod>" in first.text and "Jak wziąć udział" in first.text
    assert [b.custom_id for b in first.buttons] == [
        "panel:hand:1",
        "panel:lower:1",
        "panel-ask-1",
        "panel:paczek:1",
        "panel:next:1",
    ]
    assert world.front.slowmodes[THREAD] == 30
    again = await world.say("panel start", actor=MOD, panel=str(panel_id))
    assert again.text == "Panel **Biblioteka po godzinach** już trwa."
    other = await plan(world, topic="Drugi")
    busy = await world.say("panel start", actor=MOD, panel=str(other))
    assert busy.text.startswith("W tym kanale trwa już inny panel (#1)")
    await world.say("panel end", actor=MOD, panel="1")
    assert world.front.slowmodes[THREAD] == 0  # restored


async def test_a_director_cannot_start_end_or_move_the_floor(world: World) -> None:
    panel_id = await plan(world)
    refused = await world.say("panel start", actor=ANNA, panel=str(panel_id))
    assert refused.text.startswith("Głos przydziela i panel prowadzi jego moderator (Mod)")
    await world.say("panel start", actor=MOD, panel=str(panel_id))
    await world.say("panel hand", actor=ANNA, panel="1")
    for path in ("panel next", "panel round", "panel question next", "panel end"):
        answer = await world.say(path, actor=JAN, panel="1")
        assert answer.text.startswith("Głos przydziela"), path
    pressed = await world.press("panel:next:1", actor=JAN)
    assert pressed.text.startswith("Głos przydziela")
    assert await world.app.db.fetchall("SELECT id FROM panel_turns") == []


async def test_a_planned_panel_named_by_its_topic_is_answered_as_planned(world: World) -> None:
    # A command for a live panel, given a planned one's topic, says it has not begun, as
    # its number does, not that no such panel exists.
    await plan(world)
    by_number = await world.say("panel hand", actor=ANNA, panel="1")
    by_topic = await world.say("panel hand", actor=ANNA, panel="biblioteka po godzinach")
    by_part = await world.say("panel ask", actor=ANNA, text="Pytanie?", panel="godzinach")
    assert by_number.text.startswith("Panel **Biblioteka po godzinach** jeszcze się nie zaczął")
    assert by_topic.text == by_number.text
    assert by_part.text == by_number.text


# -- the floor ---------------------------------------------------------------------------


async def test_hands_queue_once_in_order_and_next_gives_the_floor(world: World) -> None:
    await live(world)
    first = await in_thread(world, "panel hand", ANNA)
    assert first.text == "✋ Ręka w górze — jesteś 1. w kolejce."
    second = await world.press("panel:hand:1", actor=ZOSIA)
    assert "jesteś 2. w kolejce" in second.text
    twice = await in_thread(world, "panel hand", ANNA)
    assert twice.text == "Twoja ręka już jest w górze — jesteś 1. w kolejce."
    assert "✋ Kolejka: 1. Anna, 2. Zosia" in card(world).text
    lowered = await world.press("panel:lower:1", actor=ZOSIA)
    assert lowered.text.startswith("Ręka opuszczona")
    not_raised = await in_thread(world, "panel lower", ZOSIA)
    assert not_raised.text == "Nie masz podniesionej ręki."
    given = await in_thread(world, "panel next", MOD)
    assert given.text == "Głos ma teraz Anna."
    floor = thread_posts(world)[-1]
    assert floor.text.startswith("🎤 Głos ma <@test:anna> — 3 minuty, do <t:")
    assert floor.mentions == (ANNA.id,)
    assert "🎤 Głos ma <@test:anna>" in card(world).text
    assert "✋ Kolejka jest pusta." in card(world).text
    empty = await in_thread(world, "panel next", MOD)
    assert empty.text == "Nikt nie czeka w kolejce — głos jest wolny."
    assert thread_posts(world)[-1].text.startswith("🎤 Kolejka jest pusta")
    rows = await world.app.db.fetchall("SELECT user_id, ended_by FROM panel_turns")
    assert [(r[0], r[1]) for r in rows] == [(ANNA.id, "next")]


async def test_a_turn_is_warned_30_seconds_before_its_end_and_timed_out(world: World) -> None:
    await live(world, turn_minutes=2)
    await in_thread(world, "panel floor", MOD, user=ZOSIA)
    await world.app.advance(timedelta(minutes=1, seconds=29))
    assert not any("zostało 30 sekund" in p.text for p in thread_posts(world))
    await world.app.advance(timedelta(seconds=1))
    assert thread_posts(world)[-1].text == "⏳ <@test:zosia>, zostało 30 sekund."
    await world.app.advance(timedelta(seconds=29))
    assert "Czas!" not in thread_posts(world)[-1].text
    await world.app.advance(timedelta(seconds=1))
    assert thread_posts(world)[-1].text == "⏰ Czas! <@test:zosia> kończy wypowiedź."
    assert "🎤 Nikt teraz nie ma głosu." in card(world).text
    row = await world.app.db.fetchone("SELECT started_at, ended_at, ended_by FROM panel_turns")
    assert row is not None and row["ended_by"] == "time"
    spoken = datetime.fromisoformat(row["ended_at"]) - datetime.fromisoformat(row["started_at"])
    assert spoken == timedelta(minutes=2)


async def test_a_turn_ended_early_is_neither_warned_nor_timed_out(world: World) -> None:
    await live(world)
    await in_thread(world, "panel floor", MOD, user=ZOSIA)
    await in_thread(world, "panel floor", MOD, user=PIOTR)  # out of order, ends Zosia's
    await world.app.advance(timedelta(minutes=3))
    texts = [p.text for p in thread_posts(world)]
    assert not any("<@test:zosia>, zostało" in t or "Czas! <@test:zosia>" in t for t in texts)
    assert any("Czas! <@test:piotr>" in t for t in texts)


async def test_a_round_gives_each_panelist_a_turn_in_order(world: World) -> None:
    await live(world)
    await in_thread(world, "panel hand", ANNA)
    started = await in_thread(world, "panel round", MOD)
    assert started.text == "Runda: 2 panelistów po kolei, każdy przez całą turę."
    assert thread_posts(world)[-1].text.startswith("🎤 Głos ma <@test:ewa>")
    await world.app.advance(timedelta(minutes=3))
    assert thread_posts(world)[-1].text.startswith("🎤 Głos ma <@test:jan>")
    await world.app.advance(timedelta(minutes=3))
    assert thread_posts(world)[-1].text == "⏰ Czas! <@test:jan> kończy wypowiedź."
    # The round is over; raised hands come next, by the moderator's word.
    await in_thread(world, "panel next", MOD)
    assert thread_posts(world)[-1].text.startswith("🎤 Głos ma <@test:anna>")
    kinds = await world.app.db.fetchall("SELECT user_id, kind FROM panel_turns ORDER BY id")
    assert [(r[0], r[1]) for r in kinds] == [
        (EWA.id, "round"),
        (JAN.id, "round"),
        (ANNA.id, "queue"),
    ]


@pytest.mark.parametrize(
    ("language", "waits"),
    [
        ("pl", "Runda: 2 panelistów po kolei. Teraz mówi Zosia i skończy swoją wypowiedź"),
        ("en", "A round: 2 panelists in turn. Zosia is speaking and will finish"),
        ("nl", "Een ronde: 2 panelleden om beurten. Zosia heeft nu het woord en maakt"),
        ("bg", "Кръг: 2 панелисти поред. Сега говори Zosia и ще довърши"),
    ],
)
async def test_a_round_never_cuts_off_the_speaker_it_begins_when_they_finish(
    world: World, language: str, waits: str
) -> None:
    await live(world, turn_minutes=2)
    await in_thread(world, "panel floor", MOD, user=ZOSIA)
    await world.app.advance(timedelta(minutes=1))
    await world.say("settings language", actor=MOD, language=language)
    reply = await in_thread(world, "panel round", MOD)
    assert reply.ephemeral and reply.text.startswith(waits), reply.text
    assert "<t:" in reply.text  # when her turn ends at the latest
    assert "🎤 Głos ma <@test:zosia>" in card(world).text  # she still has the floor
    assert "✋ Kolejka: 1. ewa, 2. jan" in card(world).text  # the round waits first in line
    await world.app.advance(timedelta(minutes=1))
    texts = [p.text for p in thread_posts(world)]
    assert texts[-2] == "⏰ Czas! <@test:zosia> kończy wypowiedź."
    assert texts[-1].startswith("🎤 Głos ma <@test:ewa>")
    await world.app.advance(timedelta(minutes=2))
    assert thread_posts(world)[-1].text.startswith("🎤 Głos ma <@test:jan>")
    ended = await world.app.db.fetchall("SELECT user_id, ended_by FROM panel_turns ORDER BY id")
    assert [(r[0], r[1]) for r in ended][:2] == [(ZOSIA.id, "time"), (EWA.id, "time")]


async def test_a_second_round_is_refused_while_one_is_under_way(world: World) -> None:
    await live(world)
    await in_thread(world, "panel round", MOD)
    posts = len(thread_posts(world))
    again = await in_thread(world, "panel round", MOD)
    assert again.text == (
        "Runda już trwa — przed nami jeszcze: jan. "
        "Głos następnej osobie z rundy dasz przez /panel next."
    )
    assert len(thread_posts(world)) == posts  # neither the card nor the floor re-posted
    await world.app.advance(timedelta(minutes=3))
    await world.app.advance(timedelta(minutes=3))
    # Over: a new round may begin.
    started = await in_thread(world, "panel round", MOD)
    assert started.text == "Runda: 2 panelistów po kolei, każdy przez całą turę."


# -- questions ---------------------------------------------------------------------------


async def test_questions_queue_get_votes_and_the_moderator_picks(world: World) -> None:
    await live(world)
    empty = await in_thread(world, "panel ask", ANNA, text="   ")
    assert empty.text.startswith("Opcja „text” jest pusta")
    long = await in_thread(world, "panel ask", ANNA, text="x" * 501)
    assert long.text.startswith("Opcja „text” jest za długa: najwyżej 500 znaków, a wpisano 501")
    assert (await in_thread(world, "panel ask", ANNA, text="x" * 500)).text.startswith("❓")
    asked = await in_thread(world, "panel ask", ZOSIA, text="Jak liczyć godziny?")
    assert asked.text.startswith("❓ Pytanie #2 czeka na moderatora")
    assert "❔ Czekają 2 pytania" in card(world).text
    own = await in_thread(world, "panel upvote", ZOSIA, question=2)
    assert own.text == "Własnego pytania nie można poprzeć."
    voted = await in_thread(world, "panel upvote", ANNA, question=2)
    assert voted.text == "👍 Poparto pytanie #2 — ma już 1 głos."
    twice = await in_thread(world, "panel upvote", ANNA, question=2)
    assert twice.text == "Pytanie #2 już ma Twój głos."
    await in_thread(world, "panel upvote", PIOTR, question=2)
    missing = await in_thread(world, "panel upvote", PIOTR, question=9)
    assert missing.text == "Nie ma pytania #9."
    picked = await in_thread(world, "panel question next", MOD)
    assert picked.text == "Pytanie #2 jest teraz zadane panelistom."
    assert thread_posts(world)[-1].text == (
        "❓ **Pytanie #2** od osoby Zosia (2 głosy): Jak liczyć godziny?"
    )
    assert "❓ Teraz pytanie #2: Jak liczyć godziny?" in card(world).text
    done = await in_thread(world, "panel question pick", MOD, id=2)
    assert done.text == "Pytanie #2 już nie czeka w kolejce."
    await in_thread(world, "panel question pick", MOD, id=1)
    none_left = await in_thread(world, "panel question next", MOD)
    assert none_left.text == "Żadne pytanie nie czeka."
    statuses = await world.app.db.fetchall("SELECT number, status FROM panel_questions")
    assert {r[0]: r[1] for r in statuses} == {1: "current", 2: "answered"}


# -- pączki ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("count", "pl", "en", "nl", "bg"),
    [
        (1, "1 pączek", "1 doughnut", "1 oliebol", "1 поничка"),
        (2, "2 pączki", "2 doughnuts", "2 oliebollen", "2 понички"),
        (5, "5 pączków", "5 doughnuts", "5 oliebollen", "5 понички"),
        (12, "12 pączków", "12 doughnuts", "12 oliebollen", "12 понички"),
        (22, "22 pączki", "22 doughnuts", "22 oliebollen", "22 понички"),
        (25, "25 pączków", "25 doughnuts", "25 oliebollen", "25 понички"),
    ],
)
def test_paczki_plurals(count: int, pl: str, en: str, nl: str, bg: str) -> None:
    for locale, expected in (("pl", pl), ("en", en), ("nl", nl), ("bg", bg)):
        assert tn("panel.paczki", count, locale=locale) == expected


async def test_a_paczek_per_giver_per_turn_never_to_oneself(world: World) -> None:
    panel_id = await plan(world)
    early = await world.say("panel paczek", actor=ANNA, panel=str(panel_id))
    assert early.text.startswith("Panel **Biblioteka po godzinach** jeszcze się nie zaczął")
    await world.say("panel start", actor=MOD, panel=str(panel_id))
    nobody = await world.press("panel:paczek:1", actor=ANNA)
    assert nobody.text == "Nikt teraz nie ma głosu — nie ma komu dać pączka."
    await in_thread(world, "panel floor", MOD, user=EWA)
    given = await world.press("panel:paczek:1", actor=ANNA)
    assert given.text == "🍩 Ewa dostaje od Ciebie pączka — ma już 1 pączek."
    twice = await world.press("panel:paczek:1", actor=ANNA)
    assert twice.text == "Za tę wypowiedź Ewa już dostaje od Ciebie pączka."
    own = await world.press("panel:paczek:1", actor=EWA)
    assert own.text == "Sobie pączka dać nie można 🍩"
    for giver in (JAN, ZOSIA, PIOTR, MOD):
        await world.press("panel:paczek:1", actor=giver)
    assert "🍩 Ewa: 5 pączków" in card(world).text
    await in_thread(world, "panel floor", MOD, user=JAN)
    named = await in_thread(world, "panel paczek", ANNA, user=EWA)  # her last turn: given
    assert named.text == "Za tę wypowiedź Ewa już dostaje od Ciebie pączka."
    never = await in_thread(world, "panel paczek", ANNA, user=PIOTR)
    assert never.text == "Osoba Piotr nie miała jeszcze głosu w tym panelu."
    await in_thread(world, "panel floor", MOD, user=EWA)  # a new turn: a new pączek
    again = await world.press("panel:paczek:1", actor=ANNA)
    assert again.text == "🍩 Ewa dostaje od Ciebie pączka — ma już 6 pączków."
    await world.press("panel:paczek:1", actor=JAN)
    assert "🍩 Ewa: 7 pączków" in card(world).text
    await world.say("panel end", actor=MOD, panel="1")
    after = await world.press("panel:paczek:1", actor=ZOSIA)
    assert after.text == "Panel **Biblioteka po godzinach** już się zakończył."
    count = await world.app.db.fetchone("SELECT count(*) FROM panel_paczki")
    assert count is not None and count[0] == 7


# -- Tłusty Czwartek ---------------------------------------------------------------------


def test_fat_thursday_is_52_days_before_easter_2020_to_2040() -> None:
    for year in range(2020, 2041):
        day = fat_thursday(year)
        assert day == easter(year) - timedelta(days=52)
        assert day.weekday() == 3  # a Thursday
    assert fat_thursday(2026) == date(2026, 2, 12)
    assert fat_thursday(2027) == date(2027, 2, 4)


def test_fat_thursday_is_a_day_in_the_servers_zone() -> None:
    late = datetime(2026, 2, 11, 23, 30, tzinfo=UTC)  # already Thursday in Warsaw
    assert is_fat_thursday(late, "Europe/Warsaw")
    assert not is_fat_thursday(late, "UTC")
    assert not is_fat_thursday(datetime(2026, 2, 12, 23, 30, tzinfo=UTC), "Europe/Warsaw")


async def test_on_fat_thursday_panels_have_the_paczek_theme_and_one_greeting(
    tmp_path: Path,
) -> None:
    w = await World.open(tmp_path / "f.sqlite3", start=FAT_THURSDAY)
    try:
        await w.say("role grant", actor=ADMIN, user=MOD, role="moderator")
        await plan(w, topic="Pierwszy")
        await plan(w, topic="Drugi")
        first, second = w.posts(GENERAL.id)
        assert first.text.startswith("🍩 Szczęśliwego Tłustego Czwartku!")
        assert "🍩 **Panel przy wirtualnym pączku: Pierwszy** (#1)" in first.text
        assert "Tłustego Czwartku" not in second.text  # the day's first only
        assert second.text.startswith("🍩 **Panel przy wirtualnym pączku: Drugi**")
        await w.app.advance(timedelta(days=1))
        await plan(w, topic="Trzeci")
        assert w.posts(GENERAL.id)[-1].text.startswith("🎙️ **Panel: Trzeci** (#3)")
    finally:
        await w.app.close()


# -- restarts ----------------------------------------------------------------------------


async def test_a_restart_mid_panel_keeps_the_state_and_the_timers(world: World) -> None:
    await live(world)
    await in_thread(world, "panel hand", ANNA)
    await in_thread(world, "panel hand", ZOSIA)
    await in_thread(world, "panel ask", PIOTR, text="Czy będzie nagranie?")
    await in_thread(world, "panel next", MOD)
    await world.press("panel:paczek:1", actor=PIOTR)
    await world.app.advance(timedelta(minutes=1))
    await world.restart(down_for=timedelta(seconds=20))
    # The warning (2:30 into the turn) and the time-up come from the rebuilt jobs.
    await world.app.advance(timedelta(seconds=69))
    assert not any("zostało 30 sekund" in p.text for p in thread_posts(world))
    await world.app.advance(timedelta(seconds=1))
    assert thread_posts(world)[-1].text == "⏳ <@test:anna>, zostało 30 sekund."
    await world.app.advance(timedelta(seconds=30))
    assert thread_posts(world)[-1].text == "⏰ Czas! <@test:anna> kończy wypowiedź."
    now = card(world).text
    assert "✋ Kolejka: 1. Zosia" in now and "❔ Czeka 1 pytanie" in now
    assert "🍩 Anna: 1 pączek" in now
    twice = await in_thread(world, "panel hand", ZOSIA)
    assert "jesteś 1. w kolejce" in twice.text
    assert await world.app.panels.audience.heard(THREAD, JAN, "Słychać mnie po restarcie?")
    # Ending after the duration is a job too.
    await world.app.advance(timedelta(hours=1))
    assert any(p.text.startswith("📋 **Podsumowanie panelu") for p in world.posts(GENERAL.id))
    row = await world.app.db.fetchone("SELECT status FROM panels WHERE id = 1")
    assert row is not None and row[0] == "ended"


async def test_a_turn_that_ended_while_the_bot_was_down_is_closed_at_start(
    world: World,
) -> None:
    await live(world)
    await in_thread(world, "panel floor", MOD, user=ANNA)
    await world.restart(down_for=timedelta(minutes=10))
    assert thread_posts(world)[-1].text == "⏰ Czas! <@test:anna> kończy wypowiedź."
    row = await world.app.db.fetchone("SELECT started_at, ended_at FROM panel_turns")
    assert row is not None
    spoken = datetime.fromisoformat(row[1]) - datetime.fromisoformat(row[0])
    assert spoken == timedelta(minutes=3)  # counted to the end of the turn, not the restart


# -- the end and the transcript ----------------------------------------------------------


async def test_the_end_posts_a_summary_and_an_escaped_transcript(world: World) -> None:
    await live(world)
    assert not await world.app.panels.audience.heard(GENERAL.id, ANNA, "not in the panel's thread")
    await in_thread(world, "panel floor", MOD, user=EWA)
    await world.app.panels.audience.heard(
        THREAD, ANNA, 'Świetnie! <script>alert("x")</script> & więcej'
    )
    await world.press("panel:paczek:1", actor=ANNA)
    await in_thread(world, "panel ask", ZOSIA, text="A co z <b>budżetem</b>?")
    await in_thread(world, "panel question next", MOD)
    await world.app.advance(timedelta(minutes=4))
    await in_thread(world, "panel floor", MOD, user=JAN)
    await world.app.advance(timedelta(minutes=1))
    ended = await in_thread(world, "panel end", MOD)
    assert ended.text == (
        "Panel **Biblioteka po godzinach** zakończony. Podsumowanie i zapis: #general."
    )
    record = world.posts(GENERAL.id)[-1]
    assert record.text.startswith("📋 **Podsumowanie panelu: Biblioteka po godzinach**")
    assert "Czas trwania: 5 minut" in record.text
    assert "• Ewa — 1 wypowiedź, 3:00" in record.text
    assert "• Jan — 1 wypowiedź, 1:00" in record.text
    assert "Pytania: zadane 1, omówione 1." in record.text
    assert "• Ewa — 1 pączek" in record.text
    md_file, html_file = record.files
    assert (md_file.filename, html_file.filename) == ("panel-1.md", "panel-1.html")
    md = md_file.data.decode()
    assert md.startswith("# Panel: Biblioteka po godzinach")
    assert "**🎤 Głos ma Ewa (od moderatora)**" in md
    assert "**❓ PYTANIE #1 (Zosia): A co z \\<b>budżetem\\</b>?**" in md
    assert '**Anna:** Świetnie! \\<script>alert("x")\\</script> & więcej' in md
    assert "not in the panel's thread" not in md
    page = html_file.data.decode()
    assert page.startswith("<!DOCTYPE html>") and '<html lang="pl">' in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; więcej" in page
    assert "<script>" not in page and "<b>budżetem" not in page
    assert '<li class="question">' in page and "PYTANIE #1 (Zosia)" in page
    # The thread hears the summary too; the card shows the panel ended, without buttons.
    assert thread_posts(world)[-1].text.startswith("📋 **Podsumowanie panelu")
    assert "Panel zakończony" in card(world).text and card(world).buttons == ()
    assert not await world.app.panels.audience.heard(THREAD, ANNA, "after the end")


async def test_with_a_forum_the_transcript_is_a_forum_post(world: World) -> None:
    await world.say("setup server", actor=ADMIN, forum=FORUM)
    await live(world)
    await world.say("panel end", actor=MOD, panel="1")
    [post] = world.front.forum_posts
    assert post.forum_id == FORUM.id
    assert post.title.startswith(f"Panel: Biblioteka po godzinach — {START:%Y-%m-%d}")
    assert [f.filename for f in post.reply.files] == ["panel-1.md", "panel-1.html"]


async def test_people_who_opted_out_are_left_out_of_the_transcript(world: World) -> None:
    opted = await world.say("privacy transcripts", allowed="off", actor=ZOSIA)
    assert opted.text == "Twoje wiadomości z paneli nie trafią do zapisów paneli."
    await world.say("privacy transcripts", allowed="off", actor=PIOTR)
    await world.say("privacy transcripts", allowed="on", actor=PIOTR)
    await live(world)
    assert not await world.app.panels.audience.heard(THREAD, ZOSIA, "Zosia's secret remark")
    assert await world.app.panels.audience.heard(THREAD, PIOTR, "Piotr is back in")
    await in_thread(world, "panel ask", ZOSIA, text="Pytanie Zosi")
    await in_thread(world, "panel question next", MOD)
    await in_thread(world, "panel floor", MOD, user=ZOSIA)
    await world.press("panel:paczek:1", actor=ANNA)
    await world.say("panel end", actor=MOD, panel="1")
    record = world.posts(GENERAL.id)[-1]
    md = record.files[0].data.decode()
    assert "secret remark" not in md and "Piotr is back in" in md
    assert "Zosia" not in md and "Zosia" not in record.text
    assert "❓ PYTANIE #1 (uczestnik): Pytanie Zosi" in md
    assert "• uczestnik — 1 pączek" in record.text
    rows = await world.app.db.fetchall("SELECT user_id FROM panel_log WHERE kind = 'chat'")
    assert [r[0] for r in rows] == [PIOTR.id]  # never stored, not only hidden


async def test_a_panel_without_a_thread_runs_in_its_channel(world: World) -> None:
    world.front.no_threads.add(GENERAL.id)
    panel_id = await plan(world)
    started = await world.say("panel start", actor=MOD, panel=str(panel_id))
    assert "trwa — w #general. Samoczynny koniec: <t:" in started.text
    assert world.front.threads == []
    assert "Jak wziąć udział" in world.posts(GENERAL.id)[-1].text
    assert await world.app.panels.audience.heard(GENERAL.id, ANNA, "w kanale")
    hand = await world.say("panel hand", actor=ANNA)  # found by the channel
    assert hand.text.startswith("✋ Ręka w górze")


async def test_a_transcript_lost_to_a_crash_is_posted_at_the_next_start(world: World) -> None:
    await live(world)
    # The rows say "ended", then the bot dies before posting anything.
    await PanelStore(world.app.db).end(1, world.clock.now(), due_only=False)
    await world.restart()
    records = [p for p in world.posts(GENERAL.id) if p.files]
    assert len(records) == 1 and records[0].files[0].filename == "panel-1.md"
    await world.restart()
    assert len([p for p in world.posts(GENERAL.id) if p.files]) == 1  # once


def test_matrix_panelists_are_written_as_their_ids() -> None:
    people = mentions_in("@jan:podaj.test, @ewa.k:example.org:8448 @jan:podaj.test", "matrix")
    assert [u.id for u in people] == ["matrix:@jan:podaj.test", "matrix:@ewa.k:example.org:8448"]
    with pytest.raises(UserError):
        mentions_in("@jan", "matrix")
