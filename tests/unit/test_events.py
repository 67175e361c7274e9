"""Events through the core: announcing in the forum (now or at publish_at) with a tag and a
scheduled event, what happens when the platform refuses, answers with live counts, edits
and cancellations that tell everyone, reminders 7 days, 1 day and 1 hour before, calendar
files, group events, registration windows, the Discord form's drafts, restarts."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import icalendar
import pytest

from bot.events import ics
from bot.events.store import EventStore
from bot.refs import ChannelRef, UserRef
from bot.replies import Reply
from tests.helpers.clock import BEFORE_SUMMER_TIME, warsaw
from tests.helpers.clock import START as CLOCK_START
from tests.helpers.world import ADMIN, ANNA, EWA, GENERAL, JAN, World

MOD = UserRef("test:mod", "Mod")
FORUM = ChannelRef("test:#ogloszenia", "ogloszenia")
# Monday 30 March 2026, 10:00 in Warsaw: summer time (UTC+2) since Sunday 29 March.
START = datetime(2026, 3, 30, 8, 0, tzinfo=UTC)
END = START + timedelta(hours=3)


def stamp(at: datetime, style: str = "F") -> str:
    return f"<t:{int(at.timestamp())}:{style}>"


async def opened(path: Path, start: datetime = CLOCK_START) -> World:
    w = await World.open(path, start)
    await w.say("role grant", actor=ADMIN, user=MOD, role="moderator")
    await w.say("setup server", actor=ADMIN, forum=FORUM)
    return w


@pytest.fixture
async def world(tmp_path: Path) -> AsyncIterator[World]:
    w = await opened(tmp_path / "e.sqlite3")
    yield w
    await w.app.close()


@pytest.fixture
async def spring(tmp_path: Path) -> AsyncIterator[World]:
    """A world whose clock starts nine days before the change to summer time."""
    w = await opened(tmp_path / "e.sqlite3", BEFORE_SUMMER_TIME)
    yield w
    await w.app.close()


async def create(world: World, **extra: object) -> int:
    options: dict[str, object] = {
        "title": "Forum dyrektorów",
        "kind": "forum",
        "when": "30 marca 10:00",
        "duration": "3h",
        "place": "https://meet.example/forum",
        "description": "Budżety 2026",
    }
    options.update(extra)
    reply = await world.say("event create", actor=MOD, **options)
    assert reply.created is not None, reply.text
    return int(reply.created.id)


def post_now(world: World, index: int = -1) -> Reply:
    """What the announcement shows now: its last edit, or the post itself."""
    post = world.front.forum_posts[index]
    edits = [e for e in world.front.edits if e.channel_id == post.thread_id]
    return edits[-1].reply if edits else post.reply


def fields(reply: Reply) -> dict[str, str]:
    return {f.name: f.value for f in reply.embeds[0].fields}


def labels(reply: Reply) -> list[str]:
    return [b.label for b in reply.buttons]


def parse(data: bytes) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(data)


# -- announcing ------------------------------------------------------------------------


async def test_an_event_is_posted_in_the_forum_with_its_tag_and_a_scheduled_event(
    world: World,
) -> None:
    reply = await world.say(
        "event create",
        actor=MOD,
        title="Forum dyrektorów",
        kind="forum",
        when="30 marca 10:00",
        duration="3h",
        place="https://meet.example/forum",
        description="Budżety 2026",
    )
    assert reply.ephemeral and reply.created is not None and reply.created.type == "event"
    assert reply.text.startswith("Utworzono wydarzenie #1 **Forum dyrektorów** i ogłoszono je")
    [post] = world.front.forum_posts
    assert (post.forum_id, post.title, post.tags) == (FORUM.id, "Forum dyrektorów", ("Forum",))
    embed = post.reply.embeds[0]
    assert embed.title == "🏛️ Forum dyrektorów" and embed.description == "Budżety 2026"
    when = fields(post.reply)["Kiedy"]
    assert stamp(START) in when and stamp(START, "R") in when and stamp(END, "t") in when
    assert fields(post.reply)["Gdzie"] == "https://meet.example/forum"
    assert [b.custom_id for b in post.reply.buttons] == [
        "event:rsvp:1:going",
        "event:rsvp:1:maybe",
        "event:rsvp:1:no",
        "event:ics:1",
    ]
    assert labels(post.reply)[:3] == ["Będę · 0", "Może · 0", "Nie będę · 0"]
    [(spec, status)] = world.front.scheduled.values()
    assert (spec.name, spec.starts_at, spec.ends_at, status) == (
        "Forum dyrektorów",
        START,
        END,
        "scheduled",
    )
    assert spec.location == "https://meet.example/forum"
    assert post.thread_id in spec.description  # the link to the forum post
    assert world.front.forum_tags[FORUM.id] == ["Forum"]
    row = await world.app.db.fetchone("SELECT post_channel_id, native_id, sequence FROM events")
    assert row is not None and (row[0], row[1], row[2]) == (post.thread_id, "scheduled:1", 0)


async def test_each_kind_has_its_tag_named_in_the_servers_language(world: World) -> None:
    await world.say("setup server", actor=ADMIN, language="en")
    await create(world, kind="supervision", title="Supervision")
    await create(world, kind="training", title="RODO", place="")
    await world.say("setup server", actor=ADMIN, language="pl")
    await create(world, kind="regional", title="Śląsk")
    assert [p.tags for p in world.front.forum_posts] == [
        ("Supervision",),
        ("Training",),
        ("Regionalne",),
    ]
    # Without a place, the scheduled event points at the post.
    specs = [spec for spec, _ in world.front.scheduled.values()]
    assert specs[1].location.endswith(world.front.forum_posts[1].thread_id)


async def test_publish_at_waits_and_then_posts(world: World) -> None:
    reply = await world.say(
        "event create",
        actor=MOD,
        title="Forum",
        kind="forum",
        when="30 marca 10:00",
        duration="2h",
        publish_at="jutro o 9",
    )
    publish = warsaw(1, 9)
    assert f"ogłoszenie: {stamp(publish)}" in reply.text
    assert world.front.forum_posts == [] and world.front.scheduled == {}
    listed = await world.say("event list", actor=MOD)
    assert "ogłoszenie" in listed.text  # moderators see what is waiting
    assert "Nie ma nadchodzących" in (await world.say("event list", actor=ANNA)).text
    # Before its announcement the event does not exist for her: not even its title leaks.
    refused = await world.press("event:rsvp:1:going", actor=ANNA)
    assert refused.text == "Nie znam wydarzenia „1”. Listę pokazuje /event list."
    typed = await world.say("event rsvp", actor=ANNA, event="Forum", answer="going")
    assert typed.text == "Nie znam wydarzenia „Forum”. Listę pokazuje /event list."
    waiting = await world.press("event:rsvp:1:going", actor=MOD)
    assert "nie zostało jeszcze ogłoszone" in waiting.text  # its creator is told why
    hidden = await world.press("event:ics:1", actor=ANNA)  # no details before the announcement
    assert hidden.text.startswith("Nie znam wydarzenia") and not hidden.files
    await world.app.advance(publish - world.clock.now() - timedelta(seconds=1))
    assert world.front.forum_posts == []
    await world.app.advance(timedelta(seconds=1))
    [post] = world.front.forum_posts
    assert post.at == publish and len(world.front.scheduled) == 1
    assert "Forum" in (await world.say("event list", actor=ANNA)).text


async def test_publish_at_survives_a_restart(world: World) -> None:
    await create(world, publish_at="jutro o 9")
    await world.restart(down_for=timedelta(days=2))
    assert len(world.front.forum_posts) == 1  # due while down: posted at start


async def test_without_a_forum_nothing_is_saved_and_the_moderator_learns_what_to_fix(
    tmp_path: Path,
) -> None:
    world = await World.open(tmp_path / "n.sqlite3")
    try:
        await world.say("role grant", actor=ADMIN, user=MOD, role="moderator")
        reply = await world.say(
            "event create", actor=MOD, title="Forum", kind="forum", when="jutro", duration="2h"
        )
        assert reply.created is None and "/setup server forum:" in reply.text
        await world.say("setup server", actor=ADMIN, forum=FORUM)
        world.front.broken_forums.add(FORUM.id)
        broken = await world.say(
            "event create", actor=MOD, title="Forum", kind="forum", when="jutro", duration="2h"
        )
        assert broken.text.startswith("Nie mogę opublikować wpisu na forum #ogloszenia")
        assert "/setup server forum:" in broken.text
        assert await world.app.db.fetchall("SELECT id FROM events") == []
    finally:
        await world.app.close()


async def test_discord_down_while_posting_keeps_the_event_and_tries_again(world: World) -> None:
    world.front.transient_failures = 1
    reply = await world.say(
        "event create", actor=MOD, title="Forum", kind="forum", when="jutro", duration="2h"
    )
    assert reply.created is not None
    assert "Discord chwilowo nie przyjął ogłoszenia." in reply.text
    assert "Następna próba: " in reply.text and world.front.forum_posts == []
    await world.app.advance(timedelta(minutes=5))
    assert len(world.front.forum_posts) == 1


async def test_a_refused_scheduled_event_is_retried_and_the_creator_told(world: World) -> None:
    world.front.event_failures = 2
    reply = await world.say(
        "event create", actor=MOD, title="Forum", kind="forum", when="jutro", duration="2h"
    )
    assert reply.created is not None and len(world.front.forum_posts) == 1
    assert "Wydarzenie Discorda" in reply.text and "Następna próba: " in reply.text
    await world.app.advance(timedelta(minutes=5))
    assert world.front.scheduled == {}  # the second try failed too: 10 minutes more
    await world.app.advance(timedelta(minutes=10))
    assert len(world.front.scheduled) == 1
    row = await world.app.db.fetchone("SELECT native_id, native_retry_at FROM events")
    assert row is not None and (row[0], row[1]) == ("scheduled:1", None)


async def test_a_scheduled_event_refused_for_good_is_given_up_and_the_creator_told(
    world: World,
) -> None:
    world.front.event_failures = 100
    world.front.event_failures_permanent = True
    reply = await world.say(
        "event create", actor=MOD, title="Forum", kind="forum", when="za 2 godziny", duration="1h"
    )
    assert "Zarządzanie wydarzeniami" in reply.text
    await world.app.advance(timedelta(hours=3))
    [told] = world.dms(MOD)
    assert "Nie będę już próbować" in told.text
    assert world.front.event_failures == 100 - 5  # 5, 10, 20 and 40 minutes later


async def test_bad_input_is_answered_with_an_example(world: World) -> None:
    async def attempt(**changed: object) -> str:
        options: dict[str, object] = {
            "title": "Forum",
            "kind": "forum",
            "when": "jutro o 10",
            "duration": "2h",
        }
        options.update(changed)
        reply = await world.say("event create", actor=MOD, **options)
        assert reply.created is None, reply.text
        return reply.text

    past = f"{CLOCK_START - timedelta(days=14):%Y-%m-%d} 10:00"
    assert (await attempt(when=past)).startswith(f"„{past}” już minęło")
    assert "np.: „jutro o 18”" in await attempt(when="kiedyś")
    assert "„90 min”" in await attempt(duration="0m")
    assert "„półtorej godziny”" in await attempt(duration="długo")
    assert "najwyżej 14 dni" in await attempt(duration="15d")
    assert "litery albo cyfry" in await attempt(title="—")
    assert "przed początkiem" in await attempt(publish_at="za 3 dni", when="jutro o 10")
    assert "Brakuje opcji" in await attempt(duration="")
    assert "forum, supervision" in await attempt(kind="party")
    assert await world.app.db.fetchall("SELECT id FROM events") == []


# -- answers ---------------------------------------------------------------------------


async def test_answers_update_the_counts_on_the_post(world: World) -> None:
    await create(world)
    going = await world.press("event:rsvp:1:going", actor=ANNA)
    assert going.text.startswith("Zapisano: będziesz na wydarzeniu **Forum dyrektorów**")
    assert stamp(START) in going.text
    await world.press("event:rsvp:1:maybe", actor=JAN)
    no = await world.say("event rsvp", actor=EWA, event="Forum dyrektorów", answer="no")
    assert no.text == "Zapisano: nie będzie Cię na wydarzeniu **Forum dyrektorów**."
    assert labels(post_now(world))[:3] == ["Będę · 1", "Może · 1", "Nie będę · 1"]
    assert "✅ Będę: 1 · 🤔 Może: 1 · ❌ Nie będę: 1" in fields(post_now(world))["Odpowiedzi"]
    edits = len(world.front.edits)
    same = await world.press("event:rsvp:1:going", actor=ANNA)
    assert same.text.startswith("Tę odpowiedź już masz") and len(world.front.edits) == edits
    await world.say("event rsvp", actor=JAN, event="1", answer="going")  # changes his mind
    assert labels(post_now(world))[:3] == ["Będę · 2", "Może · 0", "Nie będę · 1"]
    await world.say("profile set", actor=ANNA, library="MBP Łazy")
    listing = await world.say("event attendees", actor=MOD, event="forum")  # part of the title
    assert "✅ Będę — 2 osoby\n    1. Anna (MBP Łazy)\n    2. Jan" in listing.text
    assert "❌ Nie będę — 1 osoba\n    1. Ewa" in listing.text
    refused = await world.say("event attendees", actor=ANNA, event="1")
    assert refused.text.startswith("Do tego potrzebna jest rola: inicjator.")


async def test_capacity_is_kept_and_maybe_stays_possible(world: World) -> None:
    await create(world, capacity=1)
    await world.press("event:rsvp:1:going", actor=ANNA)
    full = await world.press("event:rsvp:1:going", actor=JAN)
    assert (
        full.text == "Na wydarzeniu **Forum dyrektorów** nie ma już miejsc (limit: 1). "
        "Możesz odpowiedzieć „Może”."
    )
    assert (await world.press("event:rsvp:1:maybe", actor=JAN)).text.startswith("Zapisano")
    assert "Miejsca: 1/1" in fields(post_now(world))["Odpowiedzi"]
    await world.press("event:rsvp:1:no", actor=ANNA)
    assert (await world.press("event:rsvp:1:going", actor=JAN)).text.startswith("Zapisano")


async def test_buttons_work_after_a_restart_and_from_direct_messages(world: World) -> None:
    await create(world)
    await world.restart()
    await world.press("event:rsvp:1:going", actor=ANNA)
    edited = world.front.edits[-1]
    assert edited.channel_id == world.front.forum_posts[0].thread_id
    assert labels(edited.reply)[0] == "Będę · 1"
    # A reminder or a nudge is pressed in a DM, which has no server; it reached Jan
    # because he had answered.
    await world.say("event rsvp", actor=JAN, event="1", answer="going")
    request = replace(world._request(JAN, GENERAL), guild_id="test:dm")
    answered = await world.app.dispatcher.press(request, "event:rsvp:1:maybe")
    assert answered.text.startswith("Zapisano: może")
    elsewhere = replace(world._request(JAN, GENERAL), guild_id="test:other")
    forged = await world.app.dispatcher.press(elsewhere, "event:rsvp:1:going")
    assert forged.text.startswith("Nie znam wydarzenia")
    stranger = replace(world._request(EWA, GENERAL), guild_id="test:dm")
    from_a_dm = await world.app.dispatcher.press(stranger, "event:rsvp:1:going")
    assert from_a_dm.text.startswith("Nie znam wydarzenia")  # no DM of this event reached her


async def test_a_deleted_post_is_posted_again_at_the_next_update(world: World) -> None:
    await create(world)
    first = world.front.forum_posts[0]
    message_id = (await world.app.db.fetchone("SELECT post_message_id FROM events"))[0]
    world.front.deleted_messages.add((first.thread_id, message_id))
    await world.press("event:rsvp:1:going", actor=ANNA)
    assert len(world.front.forum_posts) == 2
    again = world.front.forum_posts[1]
    assert labels(again.reply)[0] == "Będę · 1"
    [(spec, _)] = world.front.scheduled.values()
    assert again.thread_id in spec.description  # the scheduled event follows the new post
    await world.press("event:rsvp:1:maybe", actor=JAN)
    assert world.front.edits[-1].channel_id == again.thread_id


# -- editing and cancelling ------------------------------------------------------------


async def test_an_edit_updates_the_post_and_the_scheduled_event_and_tells_those_coming(
    world: World,
) -> None:
    await create(world)
    await world.press("event:rsvp:1:going", actor=ANNA)
    await world.press("event:rsvp:1:maybe", actor=JAN)
    await world.press("event:rsvp:1:no", actor=EWA)
    await world.say("settings language", actor=JAN, language="en")
    world.front.closed_dms.add(ANNA.id)
    reply = await world.say(
        "event edit", actor=MOD, event="1", when="30 marca 11:00", place="Sala 2", title="Forum"
    )
    moved = START + timedelta(hours=1)
    assert reply.text.startswith("Zmieniono wydarzenie #1 **Forum**:")
    assert f"Nowy termin: {stamp(moved)}" in reply.text and "Nowe miejsce: Sala 2" in reply.text
    assert "Powiadomiono 2 osoby" in reply.text
    post = post_now(world)
    assert stamp(moved) in fields(post)["Kiedy"] and fields(post)["Gdzie"] == "Sala 2"
    thread = world.front.forum_posts[0].thread_id
    assert world.front.renamed[thread] == "Forum"
    [(spec, _)] = world.front.scheduled.values()
    assert (spec.name, spec.starts_at, spec.ends_at, spec.location) == (
        "Forum",
        moved,
        moved + timedelta(hours=3),
        "Sala 2",
    )
    [jan] = world.dms(JAN)
    assert jan.text.startswith("A change to **Forum**, which you are going to:")
    assert (
        "New place: Sala 2" in jan.text
        and "New title: **Forum** (was: Forum dyrektorów)" in jan.text
    )
    assert world.dms(EWA) == []  # she is not coming
    # Anna's DMs are closed: she is mentioned in the thread instead.
    mention = world.posts(thread)[-1]
    assert mention.text.startswith(f"<@{ANNA.id}> Zmiana w wydarzeniu **Forum**")
    assert mention.mentions == (ANNA.id,)
    nothing = await world.say("event edit", actor=MOD, event="1", place="Sala 2")
    assert nothing.text.startswith("Nic się nie zmieniło")


async def test_cancelling_updates_everything_and_twice_is_answered(world: World) -> None:
    await create(world)
    await world.press("event:rsvp:1:going", actor=ANNA)
    reply = await world.say("event cancel", actor=MOD, event="Forum dyrektorów")
    assert (
        reply.text
        == "Odwołano wydarzenie #1 **Forum dyrektorów**.\nPowiadomiono 1 osobę, która się wybiera."
    )
    post = post_now(world)
    assert post.embeds[0].description.startswith("**Wydarzenie odwołane.**")
    assert [b.custom_id for b in post.buttons] == ["event:ics:1"]
    # Its file says STATUS:CANCELLED: the button takes the event out of a calendar.
    assert [b.label for b in post.buttons] == ["📅 Usuń z kalendarza"]
    thread = world.front.forum_posts[0].thread_id
    assert world.front.renamed[thread] == "Odwołane: Forum dyrektorów"
    assert [status for _, status in world.front.scheduled.values()] == ["cancelled"]
    [dm] = world.dms(ANNA)
    assert dm.text.startswith("Wydarzenie **Forum dyrektorów**") and "odwołane" in dm.text
    assert [b.label for b in dm.buttons] == ["📅 Usuń z kalendarza"]
    again = await world.say("event cancel", actor=MOD, event="1")
    assert again.text == "Wydarzenie **Forum dyrektorów** jest już odwołane."
    late = await world.press("event:rsvp:1:going", actor=JAN)
    assert late.text == "Wydarzenie **Forum dyrektorów** zostało odwołane."
    assert "odwołane" in (await world.say("event edit", actor=MOD, event="1", title="X")).text


async def test_an_event_that_is_over_is_not_cancelled(world: World) -> None:
    await create(world, when="jutro 10:00", duration="2h")
    await world.press("event:rsvp:1:going", actor=ANNA)
    await world.app.advance(timedelta(days=2))
    told = len(world.dms(ANNA))
    refused = await world.say("event cancel", actor=MOD, event="1")
    assert refused.text == "Wydarzenie **Forum dyrektorów** już się odbyło — nie można go odwołać."
    assert len(world.dms(ANNA)) == told  # nobody is told of a cancellation
    assert not post_now(world).embeds[0].description.startswith("**Wydarzenie odwołane.**")


# -- reminders -------------------------------------------------------------------------


async def test_reminders_7_days_1_day_and_1_hour_before_to_those_coming(world: World) -> None:
    await create(world, when="9 kwietnia 10:00")
    starts = datetime(2026, 4, 9, 8, 0, tzinfo=UTC)
    await world.press("event:rsvp:1:going", actor=ANNA)
    await world.press("event:rsvp:1:maybe", actor=JAN)
    await world.press("event:rsvp:1:no", actor=EWA)
    world.front.closed_dms.add(JAN.id)
    await world.app.advance(starts - timedelta(days=7) - world.clock.now() - timedelta(seconds=1))
    assert world.dms(ANNA) == []
    await world.app.advance(timedelta(seconds=1))
    [week] = world.dms(ANNA)
    assert week.text.startswith("⏰ Za 7 dni: **Forum dyrektorów**")
    assert stamp(starts) in week.text and "https://meet.example/forum" in week.text
    assert [b.custom_id for b in week.buttons] == ["event:ics:1"]
    thread = world.front.forum_posts[0].thread_id
    assert world.posts(thread)[-1].text.startswith(f"<@{JAN.id}> ⏰ Za 7 dni")
    await world.app.advance(timedelta(days=6))
    assert world.dms(ANNA)[-1].text.startswith("⏰ Za 1 dzień")
    await world.app.advance(timedelta(hours=23))
    assert world.dms(ANNA)[-1].text.startswith("⏰ Za 1 godzinę")
    assert [s.at for s in world.front.sent if s.dm and s.to == ANNA.id] == [
        starts - timedelta(days=7),
        starts - timedelta(days=1),
        starts - timedelta(hours=1),
    ]
    assert world.dms(EWA) == []


async def test_no_reminders_after_cancelling_and_they_move_with_the_event(world: World) -> None:
    await create(world, when="za 20 dni 10:00")
    await create(world, when="za 20 dni 12:00", title="Szkolenie", kind="training")
    await world.press("event:rsvp:1:going", actor=ANNA)
    await world.press("event:rsvp:2:going", actor=ANNA)
    await world.say("event cancel", actor=MOD, event="1")
    await world.say("event edit", actor=MOD, event="2", when="za 21 dni 12:00")
    moved = warsaw(21, 12)
    cancel_notes = len(world.dms(ANNA))
    await world.app.advance(timedelta(days=25))
    reminders = [s for s in world.front.sent[0:] if s.dm and s.to == ANNA.id][cancel_notes:]
    assert [(s.at, s.reply.text.split("**")[1]) for s in reminders] == [
        (moved - timedelta(days=7), "Szkolenie"),
        (moved - timedelta(days=1), "Szkolenie"),
        (moved - timedelta(hours=1), "Szkolenie"),
    ]


async def test_reminders_due_while_down_come_at_start_once(world: World) -> None:
    await create(world, when="za 20 dni 10:00")
    starts = warsaw(20, 10)
    await world.press("event:rsvp:1:going", actor=ANNA)
    await world.restart(down_for=timedelta(days=14))  # a day after the 7-day one
    [late] = world.dms(ANNA)
    assert late.text.startswith("⏰ Za 6 dni: **Forum dyrektorów**")  # said from now
    await world.restart()
    assert len(world.dms(ANNA)) == 1
    # Down past both remaining reminders: only the nearest one comes.
    await world.restart(down_for=starts - timedelta(minutes=30) - world.clock.now())
    assert [d.text.split(":")[0] for d in world.dms(ANNA)] == ["⏰ Za 6 dni", "⏰ Za 30 minut"]


async def test_a_forgotten_person_leaves_the_counts_on_the_post(world: World) -> None:
    await create(world)
    await world.press("event:rsvp:1:going", actor=ANNA)
    await world.press("event:rsvp:1:maybe", actor=JAN)
    assert labels(post_now(world))[:2] == ["Będę · 1", "Może · 1"]
    await world.say("privacy forget", actor=ANNA, confirm="yes")
    assert labels(post_now(world))[:2] == ["Będę · 0", "Może · 1"]
    assert "✅ Będę: 0 · 🤔 Może: 1" in fields(post_now(world))["Odpowiedzi"]


# -- calendar files --------------------------------------------------------------------


async def test_the_ics_file_keeps_its_uid_raises_its_sequence_and_says_cancelled(
    world: World,
) -> None:
    await create(world)
    first = await world.press("event:ics:1", actor=ANNA)
    [attachment] = first.files
    assert attachment.filename == "event-1.ics"
    cal = parse(attachment.data)
    [event] = cal.walk("VEVENT")
    assert str(event["UID"]) == "event-1@podaj-dalej" and int(event["SEQUENCE"]) == 0
    assert event.decoded("dtstart") == START and event.decoded("dtend") == END
    assert str(event["DTSTART"].params["TZID"]) == "Europe/Warsaw"
    assert [str(z["TZID"]) for z in cal.walk("VTIMEZONE")] == ["Europe/Warsaw"]
    assert str(event["SUMMARY"]) == "Forum dyrektorów" and str(event["STATUS"]) == "CONFIRMED"
    assert str(event["LOCATION"]) == "https://meet.example/forum"
    await world.say("event edit", actor=MOD, event="1", when="30 marca 12:00")
    [edited] = parse((await world.say("event ics", actor=ANNA, event="1")).files[0].data).walk(
        "VEVENT"
    )
    assert str(edited["UID"]) == "event-1@podaj-dalej" and int(edited["SEQUENCE"]) == 1
    assert edited.decoded("dtstart") == START + timedelta(hours=2)
    await world.say("event cancel", actor=MOD, event="1")
    [gone] = parse((await world.press("event:ics:1", actor=ANNA)).files[0].data).walk("VEVENT")
    assert str(gone["STATUS"]) == "CANCELLED" and int(gone["SEQUENCE"]) == 2


async def test_the_ics_description_names_the_place_and_links_only_what_a_calendar_opens(
    world: World,
) -> None:
    await create(world, place="MBP Zawiercie, sala 2")
    [event] = parse((await world.say("event ics", actor=ANNA, event="1")).files[0].data).walk(
        "VEVENT"
    )
    description = str(event["DESCRIPTION"])
    assert description.split("\n\n")[-2:] == [
        "MBP Zawiercie, sala 2",
        str(event["URL"]),
    ]
    assert str(event["URL"]).startswith("https://chat.example/test:guild/")
    stored = await EventStore(world.app.db).get(1)
    assert stored is not None
    # The console names its channels "#ogloszenia": no address a calendar could open.
    console = ics.calendar([stored], now=world.clock.now(), links={1: "#ogloszenia › Forum"})
    [plain] = parse(console).walk("VEVENT")
    assert "#ogloszenia" not in str(plain["DESCRIPTION"]) and "URL" not in plain
    assert str(plain["DESCRIPTION"]).endswith("MBP Zawiercie, sala 2")


async def test_the_personal_calendar_holds_what_you_are_going_to(world: World) -> None:
    await create(world)
    await create(world, title="Szkolenie", kind="training", when="31 marca 10:00")
    await create(world, title="Superwizja", kind="supervision", when="1 kwietnia 10:00")
    assert "Nie wybierasz się" in (await world.say("event calendar", actor=ANNA)).text
    await world.press("event:rsvp:1:going", actor=ANNA)
    await world.press("event:rsvp:2:going", actor=ANNA)
    await world.press("event:rsvp:3:maybe", actor=ANNA)
    reply = await world.say("event calendar", actor=ANNA)
    assert reply.text == "Twój kalendarz: 2 wydarzenia, na które się wybierasz."
    uids = [str(e["UID"]) for e in parse(reply.files[0].data).walk("VEVENT")]
    assert uids == ["event-1@podaj-dalej", "event-2@podaj-dalej"]


# -- group events ----------------------------------------------------------------------


async def test_a_group_event_is_posted_in_the_groups_channel_by_its_initiator(
    world: World,
) -> None:
    await world.say("group create", actor=ADMIN, name="Jura", city="Zawiercie", initiator=EWA)
    await world.say("group join", actor=JAN, name="Jura")
    await world.say("group join", actor=ANNA, name="Jura")
    jura = ChannelRef("channel:1", "jura")
    outside = await world.say(
        "event create", actor=EWA, title="Spotkanie", kind="group", when="jutro", duration="2h"
    )
    assert "Inicjator ogłasza wydarzenia tylko dla grupy" in outside.text
    other = await world.say(
        "event create", actor=ANNA, title="X", kind="group", when="jutro", duration="2h"
    )
    assert other.text.startswith("Do tego potrzebna jest rola: inicjator.")
    made = await world.say(
        "event create",
        actor=EWA,
        channel=jura,
        title="Spotkanie grupy",
        kind="group",
        when="jutro o 10",
        duration="2h",
    )
    assert made.created is not None and "#jura" in made.text
    assert world.front.forum_posts == [] and world.front.scheduled == {}
    [_welcome, post] = world.posts("channel:1")
    assert post.embeds[0].title == "👥 Spotkanie grupy"
    assert fields(post)["Rodzaj"] == "Grupa · grupa Jura"
    by_name = await world.say(
        "event create",
        actor=EWA,
        title="Wyjazd",
        kind="regional",
        group="jura",
        when="jutro o 12",
        duration="1d",
    )
    assert by_name.created is not None
    assert (await world.say("event edit", actor=EWA, event="1", place="Pilica")).text.startswith(
        "Zmieniono"
    )
    await world.say(
        "event create", actor=MOD, title="Forum", kind="forum", when="jutro", duration="1h"
    )
    not_hers = await world.say("event cancel", actor=EWA, event="Forum")
    assert not_hers.text == "Tym wydarzeniem zarządzają moderatorzy i inicjatorzy jego grupy."


async def test_nudge_reminds_the_group_members_who_have_not_answered(world: World) -> None:
    await world.say("group create", actor=ADMIN, name="Jura", city="Zawiercie", initiator=EWA)
    await world.say("group join", actor=JAN, name="Jura")
    await world.say("group join", actor=ANNA, name="Jura")
    await create(world, title="Spotkanie", kind="group", group="Jura", place="Łazy")
    await world.press("event:rsvp:1:going", actor=JAN)
    world.front.closed_dms.add(ANNA.id)
    reply = await world.say("event nudge", actor=EWA, event="Spotkanie")
    assert reply.text == (
        "Przypomniano 1 osobie o wydarzeniu **Spotkanie**.\n"
        "1 osoba ma zamknięte wiadomości prywatne — oznaczono ją na kanale grupy."
    )
    [nudge] = world.dms(EWA)
    assert nudge.text.startswith(
        "Nie mamy jeszcze Twojej odpowiedzi: czy będziesz na wydarzeniu **Spotkanie**?"
    )
    assert [b.custom_id for b in nudge.buttons][:3] == [
        "event:rsvp:1:going",
        "event:rsvp:1:maybe",
        "event:rsvp:1:no",
    ]
    assert world.posts("channel:1")[-1].text.startswith(f"<@{ANNA.id}> Nie mamy jeszcze")
    assert world.dms(JAN) == []
    await create(world, title="Forum")
    national = await world.say("event nudge", actor=MOD, event="Forum")
    assert national.text.startswith("Ponaglenie działa dla wydarzeń grupy")


# -- registration windows --------------------------------------------------------------


async def test_a_registration_window_opens_and_closes_on_time(world: World) -> None:
    await create(world, registration_opens="jutro o 12", registration_closes="za 3 dni")
    opens = warsaw(1, 12)
    post = post_now(world)
    assert [b.disabled for b in post.buttons] == [True, True, True, True, False]
    assert post.buttons[3].label == "Zapisy od 16 sty 12:00" and post.buttons[3].disabled
    assert f"Start zapisów: {stamp(opens)}" in fields(post)["Zapisy"]
    early = await world.press("event:rsvp:1:going", actor=ANNA)
    assert (
        early.text == "Zapisy na wydarzenie **Forum dyrektorów** jeszcze nie ruszyły. "
        f"Start zapisów: {stamp(opens)} ({stamp(opens, 'R')})."
    )
    await world.app.advance(opens - world.clock.now())
    thread = world.front.forum_posts[0].thread_id
    assert world.posts(thread)[-1].text.startswith(
        "Ruszyły zapisy na wydarzenie **Forum dyrektorów**!"
    )
    assert [b.disabled for b in post_now(world).buttons] == [False, False, False, False]
    assert (await world.press("event:rsvp:1:going", actor=ANNA)).text.startswith("Zapisano")
    await world.app.advance(timedelta(days=3))
    assert world.posts(thread)[-1].text == "Zapisy na wydarzenie **Forum dyrektorów** są zamknięte."
    closed = post_now(world)
    assert [b.disabled for b in closed.buttons] == [True, True, False, False]
    assert "zamknięte" in (await world.press("event:rsvp:1:going", actor=JAN)).text
    assert (await world.press("event:rsvp:1:no", actor=ANNA)).text.startswith("Zapisano")


# -- listing and details ---------------------------------------------------------------


async def test_list_by_kind_and_month_and_info(world: World) -> None:
    await create(world)
    await create(world, title="Szkolenie RODO", kind="training", when="15 kwietnia 10:00")
    await create(world, title="Superwizja", kind="supervision", when="5 maja 10:00")
    everything = await world.say("event list", actor=ANNA)
    assert [line.split(" ")[0] for line in everything.text.splitlines()[1:]] == [
        "**#1**",
        "**#2**",
        "**#3**",
    ]
    april = await world.say("event list", actor=ANNA, month="kwiecień")
    assert "Szkolenie RODO" in april.text and "Superwizja" not in april.text
    assert "Superwizja" in (await world.say("event list", actor=ANNA, month="2026-05")).text
    trainings = await world.say("event list", actor=ANNA, kind="training")
    assert trainings.text.startswith("**Nadchodzące wydarzenia — Szkolenie**")
    assert "Forum" not in trainings.text
    assert "Nie rozumiem miesiąca" in (await world.say("event list", month="13")).text
    await world.press("event:rsvp:2:maybe", actor=ANNA)
    info = await world.say("event info", actor=ANNA, event="Szkolenie RODO")
    assert info.text.startswith("Twoja odpowiedź: 🤔 Może")
    assert info.embeds[0].title == "🎓 Szkolenie RODO" and info.ephemeral
    choices = await world.app.dispatcher.complete(
        world._request(ANNA, GENERAL), "event info", "event", "rodo"
    )
    assert [(c.name, c.value) for c in choices] == [("#2 Szkolenie RODO", "2")]


# -- the Discord form's drafts ---------------------------------------------------------


async def test_a_draft_is_previewed_then_confirmed_or_discarded(world: World) -> None:
    drafts = world.app.events.drafts
    draft = await drafts.save(
        "test:guild",
        MOD.id,
        GENERAL.id,
        GENERAL.name,
        {
            "title": "Forum",
            "kind": "forum",
            "when": "30 marca 10:00",
            "duration": "3h",
            "place": "Sala 2",
            "description": "",
            "capacity": 20,
            "audience": None,
        },
    )
    preview = await world.press(f"event:draft:preview:{draft}", actor=MOD)
    assert preview.text.startswith("**Podgląd** — sprawdź i potwierdź:")
    assert f"🕒 {stamp(START)} ({stamp(START, 'R')}) — koniec: {stamp(END, 'f')}" in preview.text
    assert "⏳ 3 godziny" in preview.text and "📍 Sala 2" in preview.text
    assert [b.custom_id for b in preview.buttons] == [
        f"event:draft:confirm:{draft}",
        f"event:draft:cancel:{draft}",
    ]
    assert await world.app.db.fetchall("SELECT id FROM events") == []  # nothing saved yet
    stranger = await world.press(f"event:draft:confirm:{draft}", actor=ANNA)
    assert stranger.text == "To nie Twój szkic."
    await world.restart()
    confirmed = await world.press(f"event:draft:confirm:{draft}", actor=MOD)
    assert confirmed.created is not None and len(world.front.forum_posts) == 1
    row = await world.app.db.fetchone("SELECT capacity, place FROM events")
    assert row is not None and (row[0], row[1]) == (20, "Sala 2")
    again = await world.press(f"event:draft:confirm:{draft}", actor=MOD)
    assert again.text.startswith("Tego szkicu już nie ma") and len(world.front.forum_posts) == 1
    other = await world.app.events.drafts.save(
        "test:guild",
        MOD.id,
        GENERAL.id,
        "general",
        {"title": "X", "kind": "forum", "when": "wczoraj", "duration": "1h"},
    )
    bad = await world.press(f"event:draft:preview:{other}", actor=MOD)
    assert bad.text.startswith("„wczoraj” już minęło")
    refused = await world.press(f"event:draft:confirm:{other}", actor=MOD)
    assert refused.text.startswith("„wczoraj” już minęło")  # a failed confirm…
    kept = await world.press(f"event:draft:confirm:{other}", actor=MOD)
    assert not kept.text.startswith("Tego szkicu już nie ma")  # …keeps the typed form
    assert (await world.press(f"event:draft:cancel:{other}", actor=MOD)).text.startswith(
        "Odrzucono"
    )


async def test_a_days_long_event_keeps_its_wall_clock_end_across_summer_time(
    world: World,
) -> None:
    await create(world, when="28 marca 9:00", duration="2d")  # over the night of 29 March
    row = await world.app.db.fetchone("SELECT starts_at, ends_at FROM events")
    assert row is not None
    assert (row[0], row[1]) == ("2026-03-28T08:00:00+00:00", "2026-03-30T07:00:00+00:00")


async def test_registration_open_from_the_start_closes_on_time(world: World) -> None:
    await create(world, registration_closes="za 2 godziny")
    assert not any(b.disabled for b in post_now(world).buttons)
    await world.app.advance(timedelta(hours=2))
    assert [b.disabled for b in post_now(world).buttons] == [True, True, False, False]


async def test_a_reminder_that_would_come_right_after_the_news_is_skipped(world: World) -> None:
    # Announced 7 days and an hour ahead: "in 7 days" an hour later would be noise.
    await create(world, when="za 7 dni 11:00")
    due = await world.app.db.fetchall("SELECT offset_s FROM event_reminders ORDER BY offset_s")
    assert [r[0] for r in due] == [3600, 86400]
    await world.say("event edit", actor=MOD, event="1", when="za 14 dni 11:00")
    due = await world.app.db.fetchall("SELECT offset_s FROM event_reminders ORDER BY offset_s")
    assert [r[0] for r in due] == [3600, 86400, 604800]


async def test_the_capacity_holds_when_everyone_clicks_at_once(world: World) -> None:
    await create(world, capacity=10)
    users = [UserRef(f"test:u{i:02d}", f"U{i:02d}") for i in range(50)]
    replies = await asyncio.gather(*(world.press("event:rsvp:1:going", actor=u) for u in users))
    assert sum(r.text.startswith("Zapisano") for r in replies) == 10
    assert sum("nie ma już miejsc" in r.text for r in replies) == 40
    counts = await world.app.db.fetchone("SELECT count(*) FROM event_rsvps WHERE answer='going'")
    assert counts is not None and counts[0] == 10
    assert labels(post_now(world))[0] == "Będę · 10"
    assert len(world.front.edits) <= 5  # a burst costs a few edits of the post


# -- series ----------------------------------------------------------------------------


async def test_a_series_announces_each_occurrence_ahead_in_wall_clock_time(spring: World) -> None:
    reply = await spring.say(
        "event series create",
        actor=MOD,
        title="Superwizja",
        kind="supervision",
        first="24 marca 10:00",
        every="FREQ=WEEKLY;COUNT=4",
        duration="2h",
        ahead_days=7,
    )
    assert reply.created is not None and reply.created.type == "series"
    assert reply.text.startswith("Utworzono cykl #1 **Superwizja** (co tydzień, 4 razy)")
    assert "ogłoszę 7 dni wcześniej" in reply.text and "Już ogłoszono 1 wydarzenie." in reply.text
    [first] = spring.front.forum_posts
    assert first.tags == ("Superwizja",)
    await spring.app.advance(timedelta(days=21))
    starts = await spring.app.db.fetchall("SELECT starts_at, series_id FROM events ORDER BY id")
    # 10:00 in Warsaw every Tuesday, across the change to summer time on 29 March.
    assert [(r[0], r[1]) for r in starts] == [
        ("2026-03-24T09:00:00+00:00", 1),
        ("2026-03-31T08:00:00+00:00", 1),
        ("2026-04-07T08:00:00+00:00", 1),
        ("2026-04-14T08:00:00+00:00", 1),
    ]
    posted = [p.at for p in spring.front.forum_posts]
    assert posted[1:] == [
        datetime(2026, 3, 24, 8, 0, tzinfo=UTC),
        datetime(2026, 3, 31, 8, 0, tzinfo=UTC),
        datetime(2026, 4, 7, 8, 0, tzinfo=UTC),
    ]
    await spring.app.advance(timedelta(days=30))
    assert len(spring.front.forum_posts) == 4  # COUNT=4: done


async def test_a_series_survives_a_restart_and_can_be_stopped(world: World) -> None:
    await world.say(
        "event series create",
        actor=MOD,
        title="Forum",
        kind="forum",
        first="za 17 dni 10:00",
        every="monthly",
        duration="3h",
    )
    assert world.front.forum_posts == []  # announced 14 days before: in three days
    await world.restart(down_for=timedelta(days=5))
    assert len(world.front.forum_posts) == 1
    stopped = await world.say("event series stop", actor=MOD, series="forum")
    assert stopped.text.startswith("Zakończono cykl #1 **Forum**")
    assert "już zakończony" in (await world.say("event series stop", actor=MOD, series="1")).text
    await world.app.advance(timedelta(days=60))
    assert len(world.front.forum_posts) == 1


async def test_series_rules_are_checked(world: World) -> None:
    async def attempt(every: str) -> str:
        reply = await world.say(
            "event series create",
            actor=MOD,
            title="X",
            kind="forum",
            first="jutro o 10",
            every=every,
            duration="1h",
        )
        return reply.text

    # Words are read since one grammar serves every feature (they were refused before).
    assert "(co miesiąc)" in await attempt("co miesiąc")
    assert "FREQ=MONTHLY;BYDAY=2TU" in await attempt("FREQ=FORTNIGHTLY")
    assert "najczęściej raz dziennie" in await attempt("FREQ=HOURLY")
    assert "koniec (1 stycznia 2026) już minął" in await attempt("FREQ=DAILY;UNTIL=20260101T000000")
    assert (await attempt("RRULE:FREQ=MONTHLY;BYDAY=2TU")).startswith("Utworzono cykl")


async def test_a_series_with_a_long_lead_is_due_first_even_when_it_starts_later(
    world: World,
) -> None:
    # Starts soon, announced a day ahead (due ~20 April) …
    await world.say(
        "event series create",
        actor=MOD,
        title="Bliska",
        kind="forum",
        first="21 kwietnia 10:00",
        every="monthly",
        duration="1h",
        ahead_days=1,
    )
    # … starts later, announced 30 days ahead (due ~1 April): the earlier job.
    await world.say(
        "event series create",
        actor=MOD,
        title="Daleka",
        kind="forum",
        first="1 maja 10:00",
        every="monthly",
        duration="1h",
        ahead_days=30,
    )
    store = EventStore(world.app.db)
    [(key, due)] = await store.due_before(datetime(2026, 4, 30, tzinfo=UTC), 1)
    assert str(key) == "s2" and due.date().isoformat() == "2026-04-01"
    assert await store.due_before(datetime(2026, 3, 31, tzinfo=UTC), 10) == []


@pytest.mark.parametrize(
    ("duration", "minutes"),
    [("półtorej godziny", 90), ("2 hours", 120), ("anderhalf uur", 90), ("1 час и 30 минути", 90)],
)
async def test_an_events_length_may_be_written_in_words(
    world: World, duration: str, minutes: int
) -> None:
    event_id = await create(world, duration=duration)
    row = await world.app.db.fetchone(
        "SELECT starts_at, ends_at FROM events WHERE id = ?", (event_id,)
    )
    assert row is not None
    length = datetime.fromisoformat(row[1]) - datetime.fromisoformat(row[0])
    assert length == timedelta(minutes=minutes)


async def test_a_repetition_typed_as_a_single_time_is_pointed_where_it_belongs(
    world: World,
) -> None:
    series = await world.say(
        "event series create",
        actor=MOD,
        title="Forum",
        kind="forum",
        first="co pół roku",
        every="co pół roku",
        duration="2h",
    )
    assert series.text.startswith("„co pół roku” to powtarzanie, a opcja first"), series.text
    assert "opcji every" in series.text
    single = await world.say(
        "event create", actor=MOD, title="Forum", kind="forum", when="co tydzień", duration="2h"
    )
    assert single.text.startswith("„co tydzień” to powtarzanie, a opcja when przyjmuje jeden")
    assert "every" not in single.text  # /event create has no such option
    assert await world.app.db.fetchall("SELECT id FROM events") == []


@pytest.mark.parametrize(
    ("language", "series"),
    [
        ("pl", "Wydarzenia, które się powtarzają, utworzysz jako cykl: /event series create."),
        ("en", "Events that repeat are made as a series: /event series create."),
        ("nl", "Terugkerende evenementen maak je als reeks: /event series create."),
        ("bg", "Повтарящите се събития се създават като цикъл: /event series create."),
    ],
)
async def test_a_repeating_event_is_pointed_to_a_series(
    world: World, language: str, series: str
) -> None:
    await world.say("settings language", actor=MOD, language=language)
    made = await world.say(
        "event create", actor=MOD, title="Forum", kind="forum", when="co tydzień", duration="2h"
    )
    assert made.text.endswith(series), made.text
    await world.say(
        "event create", actor=MOD, title="Forum", kind="forum", when="jutro o 10", duration="2h"
    )
    edited = await world.say("event edit", actor=MOD, event="1", when="every monday")
    assert edited.text.endswith(series), edited.text
