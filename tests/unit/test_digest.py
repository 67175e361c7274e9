"""The weekly digest (bot/digest): what it holds, when it goes out, and the phrases it takes.

The world starts on Thursday 15 January 2026, 10:00 in Warsaw; the digest is set for Monday
9:00, so the first one is due on Monday 19 January.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest

from bot.refs import ChannelRef
from bot.replies import Reply
from tests.helpers.clock import warsaw
from tests.helpers.world import ADMIN, ANNA, EWA, JAN, World

FORUM = ChannelRef("test:#ogloszenia", "ogloszenia")
JURA = ChannelRef("channel:1", "jura")
MONDAY_9 = warsaw(4, 9)  # Monday 19 January 2026, 09:00 in Warsaw


@pytest.fixture
async def world(tmp_path: Path) -> AsyncIterator[World]:
    w = await World.open(tmp_path / "d.sqlite3")
    await w.say("setup server", actor=ADMIN, forum=FORUM)
    yield w
    await w.app.close()


def text(reply: Reply) -> str:
    parts = [reply.text]
    for embed in reply.embeds:
        parts += [embed.title or "", embed.description or "", embed.footer or ""]
        parts += [f"{field.name}: {field.value}" for field in embed.fields]
    return "\n".join(parts)


def digests(world: World) -> list[Reply]:
    """The digests in the announcements forum (the events' own posts are there too)."""
    return [p.reply for p in world.front.forum_posts if p.title.startswith("Przegląd tygodnia — ")]


async def national_event(
    world: World,
    title: str = "Forum dyrektorów",
    capacity: int = 30,
    when: str = "22 stycznia 10:00",
) -> None:
    made = await world.say(
        "event create",
        actor=ADMIN,
        title=title,
        kind="forum",
        when=when,
        duration="2h",
        capacity=capacity,
    )
    assert made.created is not None, made.text


async def jura_with_an_event(world: World) -> None:
    await world.say("group create", actor=ADMIN, name="Jura", city="Zawiercie", initiator=EWA)
    made = await world.say(
        "event create",
        actor=EWA,
        channel=JURA,
        title="Spotkanie Jury",
        kind="group",
        when="21 stycznia 10:00",
        duration="1h",
    )
    assert made.created is not None, made.text


# -- what it holds -------------------------------------------------------------------------


async def test_a_public_event_is_shown_with_its_seats_left(world: World) -> None:
    await national_event(world)
    await world.say("event rsvp", actor=ANNA, event="1", answer="going")
    digest = await world.app.digest.assemble("test:guild")  # type: ignore[union-attr]
    [item] = digest.events
    assert item.event.title == "Forum dyrektorów" and item.seats_left == 29


async def test_a_groups_event_and_a_hidden_groups_meeting_are_not_shown(world: World) -> None:
    await jura_with_an_event(world)
    await world.say("group edit", actor=EWA, name="Jura", public="no")
    await world.say(
        "group meeting plan", actor=EWA, name="Jura", hosts="Łazy; Pilica", dates="za 3 dni 10:00"
    )
    digest = await world.app.digest.assemble("test:guild")  # type: ignore[union-attr]
    assert digest.events == () and digest.meetings == () and digest.new_groups == ()
    assert digest.empty


async def test_a_public_groups_next_meeting_and_a_new_group_are_shown(world: World) -> None:
    await world.say("group create", actor=ADMIN, name="Pilica", city="Pilica", initiator=EWA)
    await world.say(
        "group meeting plan", actor=EWA, name="Pilica", hosts="Pilica", dates="za 5 dni 10:00"
    )
    digest = await world.app.digest.assemble("test:guild")  # type: ignore[union-attr]
    assert [g.name for g in digest.new_groups] == ["Pilica"]
    assert [m.group.name for m in digest.meetings] == ["Pilica"]
    await world.app.advance(timedelta(days=8))  # no longer new, the meeting is over
    later = await world.app.digest.assemble("test:guild")  # type: ignore[union-attr]
    assert later.new_groups == ()


async def test_open_sheets_with_their_deadline_and_a_full_event_left_out(world: World) -> None:
    await world.say(
        "signup create",
        actor=ADMIN,
        title="Dyżur na targach",
        slots="20 stycznia 14:00",
        capacity=2,
        closes="19 stycznia 12:00",
    )
    await national_event(world, title="Pełne forum", capacity=1)
    await world.say("event rsvp", actor=ANNA, event="1", answer="going")
    digest = await world.app.digest.assemble("test:guild")  # type: ignore[union-attr]
    [sheet] = digest.sheets
    assert sheet.sheet.title == "Dyżur na targach" and sheet.free == 2
    assert sheet.sheet.closes_at is not None
    assert digest.events == ()


# -- when it goes out ----------------------------------------------------------------------


async def test_on_its_day_it_is_posted_once_and_a_restart_does_not_post_it_again(
    world: World,
) -> None:
    await national_event(world)
    await jura_with_an_event(world)
    set_ = await world.say("setup server", actor=ADMIN, digest="poniedziałek 9:00")
    assert "w każdy poniedziałek, o 09:00 (Europe/Warsaw)" in text(set_)
    await world.app.scheduler.advance_to(MONDAY_9 - timedelta(minutes=1))
    assert digests(world) == []
    await world.app.scheduler.advance_to(MONDAY_9)
    [post] = digests(world)
    shown = text(post)
    assert "Przegląd tygodnia" in shown and "Forum dyrektorów" in shown
    assert "zostało 30 wolnych miejsc" in shown
    assert "Spotkanie Jury" not in shown
    await world.restart()
    await world.app.advance(timedelta(hours=2))
    assert len(digests(world)) == 1
    # The admin moves it to Tuesday within the same week: this week was sent already.
    await world.say("setup server", actor=ADMIN, digest="wtorek 9:00")
    await world.app.advance(timedelta(days=2))
    assert len(digests(world)) == 1
    await national_event(world, title="Superwizja", when="3 lutego 10:00")
    await world.app.advance(timedelta(days=6))  # Tuesday 27 January, the next week
    assert len(digests(world)) == 2 and "Superwizja" in text(digests(world)[-1])
    # Each week's thread is dated, under the one tag all digests share.
    posts = [p for p in world.front.forum_posts if p.title.startswith("Przegląd tygodnia")]
    assert [p.title for p in posts] == [
        "Przegląd tygodnia — 2026-01-19",
        "Przegląd tygodnia — 2026-01-27",
    ]


async def test_a_digest_due_while_the_bot_was_down_is_posted_once_at_start(
    world: World,
) -> None:
    await national_event(world)
    await world.say("setup server", actor=ADMIN, digest="poniedziałek 9:00")
    await world.restart(down_for=MONDAY_9 - world.clock.now() + timedelta(hours=3))
    assert len(digests(world)) == 1
    await world.restart()
    assert len(digests(world)) == 1


async def test_a_new_server_zone_keeps_the_digests_hour_on_its_clock(world: World) -> None:
    await national_event(world)
    await world.say("setup server", actor=ADMIN, digest="poniedziałek 9:00")
    moved = await world.say("setup server", actor=ADMIN, timezone="Europe/Sofia")
    assert "w każdy poniedziałek, o 09:00 (Europe/Sofia)" in text(moved)
    await world.app.scheduler.advance_to(MONDAY_9 - timedelta(hours=1, minutes=1))
    assert digests(world) == []
    await world.app.scheduler.advance_to(MONDAY_9 - timedelta(hours=1))  # 9:00 in Sofia
    assert len(digests(world)) == 1


async def test_an_empty_fortnight_posts_nothing(world: World) -> None:
    await world.say("setup server", actor=ADMIN, digest="poniedziałek 9:00")
    await world.app.scheduler.advance_to(MONDAY_9 + timedelta(hours=1))
    assert digests(world) == []


async def test_off_stops_it(world: World) -> None:
    await national_event(world)
    await world.say("setup server", actor=ADMIN, digest="poniedziałek 9:00")
    off = await world.say("setup server", actor=ADMIN, digest="off")
    assert "Tygodniowy przegląd" in text(off) and "wyłączony" in text(off)
    await world.app.scheduler.advance_to(MONDAY_9 + timedelta(hours=1))
    assert digests(world) == []


async def test_a_reader_gets_it_by_dm_in_their_language(world: World) -> None:
    await national_event(world)
    await world.say("settings language", actor=JAN, language="nl")
    on = await world.say("settings digest", actor=JAN, dm="on")
    assert "beheerder" in on.text  # no day set yet
    await world.say("setup server", actor=ADMIN, digest="poniedziałek 9:00")
    await world.say("settings digest", actor=ANNA, dm="on")
    await world.say("settings digest", actor=ANNA, dm="off")
    await world.app.scheduler.advance_to(MONDAY_9)
    [dm] = world.dms(JAN)
    assert "Weekoverzicht" in text(dm) and "Forum dyrektorów" in text(dm)
    assert "nog 30 plaatsen vrij" in text(dm)
    assert world.dms(ANNA) == []


async def test_a_readers_dm_says_how_to_stop_it_not_how_to_start_it(world: World) -> None:
    await national_event(world)
    await world.say("setup server", actor=ADMIN, digest="poniedziałek 9:00")
    await world.say("settings digest", actor=JAN, dm="on")
    await world.app.scheduler.advance_to(MONDAY_9)
    [post] = digests(world)
    assert "/settings digest dm:on" in text(post)
    [dm] = world.dms(JAN)
    assert "/settings digest dm:off" in text(dm) and "dm:on" not in text(dm)


async def test_a_reader_sees_the_next_one_and_whether_it_is_on(world: World) -> None:
    await world.say("setup server", actor=ADMIN, digest="poniedziałek 9:00")
    shown = await world.say("settings show", actor=JAN)
    assert "Tygodniowy przegląd w wiadomości prywatnej: wyłączony" in shown.text
    on = await world.say("settings digest", actor=JAN, dm="on")
    # The next one as a timestamp: each reader's client shows it in their own zone.
    assert f"Najbliższy: <t:{int(MONDAY_9.timestamp())}:F>" in on.text, on.text
    shown = await world.say("settings show", actor=JAN)
    assert "Tygodniowy przegląd w wiadomości prywatnej: włączony" in shown.text


@pytest.mark.parametrize(
    ("language", "next_one"),
    [("en", "Next: "), ("nl", "Het eerstvolgende: "), ("bg", "Следващият: ")],
)
async def test_the_next_one_is_named_in_every_language(
    world: World, language: str, next_one: str
) -> None:
    await world.say("setup server", actor=ADMIN, digest="poniedziałek 9:00")
    await world.say("settings language", actor=JAN, language=language)
    on = await world.say("settings digest", actor=JAN, dm="on")
    assert f"{next_one}<t:{int(MONDAY_9.timestamp())}:F>." in on.text, on.text


# -- the phrases it takes ------------------------------------------------------------------

REFUSALS = {
    "pl": ("co miesiąc", "poniedziałek 9:00"),
    "en": ("every month", "Monday 9am"),
    "nl": ("elke maand", "maandag om 9 uur"),
    "bg": ("всеки месец", "понеделник 9:00"),
}


@pytest.mark.parametrize("locale", sorted(REFUSALS))
async def test_a_phrase_that_is_not_weekly_is_refused_with_examples(
    world: World, locale: str
) -> None:
    phrase, example = REFUSALS[locale]
    await world.say("settings language", actor=ADMIN, language=locale)
    refused = await world.say("setup server", actor=ADMIN, digest=phrase, language="en")
    assert phrase in refused.text and example in refused.text, refused.text
    # Nothing was saved: not the digest, not the language given with it.
    assert await world.app.digest.weekly("test:guild") is None  # type: ignore[union-attr]
    assert (await world.app.community.guild("test:guild")).locale is None


@pytest.mark.parametrize(
    ("phrase", "key_words"),
    [
        ("poniedziałek", "brakuje godziny"),
        ("co 2 tygodnie", "co tydzień"),
        ("codziennie o 9", "za często"),
        ("w poniedziałki i czwartki o 9", "raz w tygodniu"),
        ("poniedziałek 9:00 do czerwca", "„poniedziałek 9:00 do czerwca”"),
        ("pn 9", "nie znam"),
    ],
)
async def test_what_the_time_language_does_not_fully_understand_is_refused(
    world: World, phrase: str, key_words: str
) -> None:
    refused = await world.say("setup server", actor=ADMIN, digest=phrase)
    assert key_words in refused.text, refused.text
    assert await world.app.digest.weekly("test:guild") is None  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "phrase",
    [
        "poniedziałek 9:00",
        "every Monday at 9am",
        "elke maandag om 9 uur",
        "maandag 9 uur",
        "понеделник 9:00",
    ],
)
async def test_a_weekly_phrase_in_any_language_sets_monday_nine(world: World, phrase: str) -> None:
    await world.say("setup server", actor=ADMIN, digest=phrase)
    weekly = await world.app.digest.weekly("test:guild")  # type: ignore[union-attr]
    assert weekly is not None and weekly.timezone == "Europe/Warsaw"
    assert weekly.rule.body() == "FREQ=WEEKLY;BYDAY=MO;BYHOUR=9;BYMINUTE=0"


@pytest.mark.parametrize(
    ("phrase", "key_words"),
    [
        ("jutro o 9", "nie znam: „jutro”"),
        ("9:00", "brakuje dnia tygodnia"),
    ],
)
async def test_a_phrase_not_understood_shows_what_the_digest_takes(
    world: World, phrase: str, key_words: str
) -> None:
    # The time language's own examples ("co 2 tygodnie o 9", "co pół roku do czerwca") are
    # phrases a digest refuses: the answer shows the digest's instead.
    refused = await world.say("setup server", actor=ADMIN, digest=phrase)
    assert key_words in refused.text, refused.text
    assert "„poniedziałek 9:00”" in refused.text and "co 2 tygodnie" not in refused.text
    assert "„—”" not in refused.text
