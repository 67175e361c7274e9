"""Finding events and sheets by a part of their title: one rule for both (bot/titles.py).
A part names the one thing that holds it; several are listed with their numbers, and the
full title or the number picks one — in every language."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from bot.i18n import SUPPORTED_LOCALES, t, use_locale
from bot.titles import Ambiguous, Match, named, where
from tests.helpers.console import ConsoleSession


def said(*events: dict[str, Any]) -> str:
    """Everything the events show: text, embeds and their fields."""
    shown: list[str] = []
    for event in events:
        shown.append(event["text"])
        for embed in event["embeds"]:
            shown += [embed["title"], embed["description"]]
            shown += [f"{f['name']}: {f['value']}" for f in embed["fields"]]
    return "\n".join(shown)


def head_and_tail(key: str, locale: str, typed: str, example: str) -> tuple[str, str]:
    """The answer listing matches, around the list (whose times depend on the reader)."""
    whole = t(key, locale=locale, typed=typed, matches="\0", example=example)
    head, tail = whole.split("\0")
    return head, tail


def listed(text: str, head: str, tail: str) -> list[str]:
    """The lines of the list an answer shows between its head and its tail."""
    assert text.startswith(head) and text.endswith(tail), text
    return text.removeprefix(head).removesuffix(tail).splitlines()


def test_the_whole_title_wins_over_a_part_and_every_typed_word_counts() -> None:
    titles = ["Superwizja krajowa", "Superwizja", "Superwizja — marzec", "Forum"]
    assert named("SUPERWIZJA", titles, str) == ["Superwizja"]
    assert named("superwizja marzec", titles, str) == ["Superwizja — marzec"]
    assert named("marzec superwizja", titles, str) == ["Superwizja — marzec"]
    assert named("wizja", titles, str) == titles[:3]
    assert named("kraj", titles, str) == ["Superwizja krajowa"]
    assert named("   ", titles, str) == [] and named("nic", titles, str) == []


def test_a_long_list_shows_ten_and_counts_the_rest() -> None:
    matches = [Match(n, f"Sheet {n}", None) for n in range(1, 13)]
    with use_locale("en"):
        text = Ambiguous("error.signup.several", "sheet", "sheet", matches, {}).render()
    lines = text.splitlines()
    assert lines[0] == "“sheet” matches several sheets:"
    assert lines[1:11] == [f"**#{n}** Sheet {n} (whole network)" for n in range(1, 11)]
    assert lines[11] == "… and 2 more"
    assert lines[12] == "Pick one by its full title or its number, e.g. sheet:1."


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
async def test_a_part_of_a_sheet_title_finds_it_and_several_are_listed(
    console: ConsoleSession, locale: str
) -> None:
    await console.say(f"/settings language language:{locale}")
    await console.say(
        '/signup create title:"Superwizja krajowa" slots:"2026-02-20 10:00" capacity:3'
    )
    # The README's promise: "superwizja" finds "Superwizja krajowa".
    assert "Superwizja krajowa" in said(await console.one("/signup status sheet:superwizja"))
    await console.say(
        '/signup create title:"Superwizja — marzec" slots:"2026-03-06 10:00" capacity:3'
    )
    several = await console.one("/signup status sheet:superwizja")
    head, tail = head_and_tail("error.signup.several", locale, "superwizja", "sheet:2")
    lines = listed(several["text"], head, tail)
    # Newest first, each with where it lives and its first slot.
    assert [line.split(" (")[0] for line in lines] == [
        "**#2** Superwizja — marzec",
        "**#1** Superwizja krajowa",
    ]
    network = t("title.where.network", locale=locale)
    assert all(f" ({network}, " in line and "2026 10:00)" in line for line in lines), lines
    # Picked by the full title, a part that names one, or the number.
    assert "Superwizja krajowa" in said(
        await console.one('/signup status sheet:"superwizja krajowa"')
    )
    assert "Superwizja — marzec" in said(
        await console.one('/signup status sheet:"superwizja marzec"')
    )
    joined = await console.say("@anna /signup join sheet:kraj slot:1")
    assert "Superwizja krajowa" in said(*[e for e in joined if e["to"] == "anna"])
    assert "Superwizja — marzec" in said(await console.one("/signup status sheet:2"))
    unknown = await console.one("/signup status sheet:budżet")
    assert unknown["text"] == t("error.signup.unknown", locale=locale, sheet="budżet")


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
async def test_a_part_of_an_event_title_finds_it_and_several_are_listed(
    console: ConsoleSession, locale: str
) -> None:
    await console.say(f"/settings language language:{locale}")
    await console.say("/setup server forum:#ogloszenia")
    await console.say(
        '/event create title:"Forum dyrektorów — wiosna" kind:forum when:"2026-03-27 10:00" '
        "duration:3h"
    )
    await console.say(
        '/event create title:"Forum regionalne" kind:regional when:"2026-03-20 10:00" duration:3h'
    )
    several = (await console.one("/event info event:forum"))["text"]
    head, tail = head_and_tail("error.event.several", locale, "forum", "event:2")
    lines = listed(several, head, tail)
    # Soonest first, each with its number, where it lives and its start.
    assert [line.split(" (")[0] for line in lines] == [
        "**#2** Forum regionalne",
        "**#1** Forum dyrektorów — wiosna",
    ]
    network = t("title.where.network", locale=locale)
    assert all(f" ({network}, " in line and "2026" in line for line in lines), lines
    assert "Forum dyrektorów — wiosna" in said(await console.one('/event info event:"forum dyr"'))
    assert "Forum regionalne" in said(await console.one("/event info event:regionalne"))
    assert "Forum regionalne" in said(await console.one("/event info event:2"))


async def test_events_of_one_title_are_one_answer_the_next_to_come(
    console: ConsoleSession,
) -> None:
    await console.say("/setup server forum:#ogloszenia")
    await console.say(
        '/event series create title:"Superwizja krajowa" kind:supervision '
        'first:"2026-01-20 10:00" every:weekly duration:1h'
    )
    found = said(await console.one("/event info event:superwizja"))
    assert "Superwizja krajowa" in found and "20 stycznia 2026" in found


async def test_a_part_never_names_what_the_reader_may_not_see(console: ConsoleSession) -> None:
    await console.say("/group create name:Jura city:Zawiercie initiator:@ewa")
    await console.say(
        '@ewa #jura /signup create title:"Superwizja Jura" slots:"2026-02-20 10:00" capacity:3'
    )
    await console.say(
        '/signup create title:"Superwizja krajowa" slots:"2026-02-27 10:00" capacity:3'
    )
    # Anna is in no group: the group's sheet is neither found nor listed for her.
    shown = said(await console.one("@anna /signup status sheet:superwizja"))
    assert "Superwizja krajowa" in shown and "Jura" not in shown
    hidden = await console.one("@anna /signup status sheet:jura")
    assert hidden["text"] == "Nie znam arkusza „jura”. Podaj jego numer albo tytuł."
    # Its initiator sees both, and is asked which.
    asked = await console.one("@ewa /signup status sheet:superwizja")
    assert (
        "**#1** Superwizja Jura (grupa Jura, " in asked["text"]
        and "**#2** Superwizja krajowa (cała sieć, " in asked["text"]
    )


async def test_a_stopped_series_is_not_listed_beside_the_one_made_again(
    console: ConsoleSession,
) -> None:
    await console.say("/setup server forum:#ogloszenia")
    for first in ("2026-03-10 10:00", "2026-03-17 10:00"):
        await console.say(
            f'/event series create title:Superwizja kind:supervision first:"{first}" '
            "every:monthly duration:1h"
        )
        stopped = said(await console.one("/event series stop series:superwizja"))
        assert stopped.startswith("Zakończono cykl"), stopped
    again = said(await console.one("/event series stop series:Superwizja"))
    assert again == "Cykl **Superwizja** jest już zakończony."


async def test_open_polls_of_one_question_are_listed_a_closed_one_is_not(
    console: ConsoleSession,
) -> None:
    await console.say("/group create name:Jura city:Zawiercie initiator:@ewa")
    await console.say("@jan /group join name:Jura")
    await console.say('/poll quick question:"Kawa?" options:"tak; nie"')
    await console.say('@ewa #jura /poll quick question:"Kawa?" options:"tak; nie"')
    # Jan sees the national poll and his group's: which one he votes in is his choice.
    asked = (await console.one('@jan /poll vote poll:"Kawa?" option:1'))["text"]
    assert asked.startswith(
        "„Kawa?” pasuje do kilku ankiet:\n**#2** Kawa? (grupa Jura)\n**#1** Kawa? (cała sieć)"
    ), asked
    # Anna sees only the national one; once it is closed, the question names the group's.
    assert "Twój głos: tak" in said(*await console.say('@anna /poll vote poll:"Kawa?" option:1'))
    await console.say("/poll close poll:1")
    voted = said(*await console.say('@jan /poll vote poll:"Kawa?" option:2'))
    assert "Twój głos: nie" in voted and "(ankieta #2)" in voted


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
async def test_series_panels_and_polls_follow_the_same_rule(
    console: ConsoleSession, locale: str
) -> None:
    await console.say(f"/settings language language:{locale}")
    await console.say("/setup server forum:#ogloszenia")
    # Series: a part names the one that holds it; two are listed, never one picked.
    await console.say(
        '/event series create title:"Superwizja krajowa" kind:supervision '
        'first:"2026-03-10 10:00" every:monthly duration:1h'
    )
    await console.say(
        '/event series create title:"Superwizja regionalna" kind:supervision '
        'first:"2026-03-17 10:00" every:monthly duration:1h'
    )
    several = (await console.one("/event series stop series:superwizja"))["text"]
    head, tail = head_and_tail("error.event.series.several", locale, "superwizja", "series:1")
    assert [line.split(" (")[0] for line in listed(several, head, tail)] == [
        "**#1** Superwizja krajowa",
        "**#2** Superwizja regionalna",
    ]
    stopped = said(await console.one("/event series stop series:regionalna"))
    assert "Superwizja regionalna" in stopped and "krajowa" not in stopped
    # Panels: by a part of the topic.
    for topic, when in (
        ("Pączek z dyrektorami", "2026-03-05 12:00"),
        ("Pączek w Pilicy", "2026-03-06 12:00"),
    ):
        await console.say(f'/panel create topic:"{topic}" when:"{when}" panelists:"@ewa @jan"')
    which = (await console.one("/panel start panel:pączek"))["text"]
    head, tail = head_and_tail("error.panel.several", locale, "pączek", "panel:1")
    assert [line.split(" (")[0] for line in listed(which, head, tail)] == [
        "**#1** Pączek z dyrektorami",
        "**#2** Pączek w Pilicy",
    ]
    started = said(*await console.say("/panel start panel:pilicy"))
    assert "Pączek w Pilicy" in started and "dyrektorami" not in started
    # Polls: one question asked again names the open one; different questions are listed.
    await console.say('/poll quick question:"Kawa czy herbata?" options:"kawa; herbata"')
    await console.say('/poll quick question:"Kawa po forum?" options:"tak; nie"')
    polls = (await console.one("/poll close poll:kawa"))["text"]
    head, tail = head_and_tail("error.poll.several", locale, "kawa", "poll:2")
    assert polls.startswith(head) and polls.endswith(tail), polls
    assert "Kawa czy herbata?" in polls and "Kawa po forum?" in polls
    closed = said(*await console.say("/poll close poll:herbata"))
    assert "Kawa czy herbata?" in closed and "po forum" not in closed


async def test_a_stopped_series_named_by_a_part_is_said_to_be_stopped(
    console: ConsoleSession,
) -> None:
    await console.say("/setup server forum:#ogloszenia")
    await console.say(
        '/event series create title:"Superwizja jurajska" kind:supervision '
        'first:"2026-03-10 10:00" every:monthly duration:1h'
    )
    assert "Superwizja jurajska" in said(*await console.say("/event series stop series:jura"))
    again = (await console.one("/event series stop series:jurajska"))["text"]
    assert again == t(
        "error.event.series.already_stopped", locale="pl", title="Superwizja jurajska"
    )


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_each_match_says_where_it_lives_and_when(locale: str) -> None:
    groups = {3: "Jura *Północna*"}
    at = datetime(2026, 3, 10, 9, tzinfo=UTC)
    with use_locale(locale):
        network = t("title.where.network")
        jura = t("event.audience.group_named", group="Jura \\*Północna\\*")
        assert where(None, groups) == network
        # The group's name as typed, never as formatting.
        assert where(3, groups) == jura
        # A group whose row is gone is still not the whole network's.
        assert where(4, groups) == t("event.audience.group")
        assert Match(7, "Superwizja", 3, at).line(groups) == (
            f"**#7** Superwizja ({jura}, <t:{int(at.timestamp())}:f>)"
        )
        assert Match(8, "*Kawa?*", None).line(groups) == f"**#8** \\*Kawa?\\* ({network})"


# A national thing and the Jura group's of the same title (made in the group's channel),
# the title typed by someone who sees both: both listed, each with where it lives and its
# time; the number picks one.
SAME_TITLE = {
    "sheets": (
        [
            '/signup create title:Superwizja slots:"2026-02-20 10:00" capacity:3',
            '@ewa #jura /signup create title:Superwizja slots:"2026-02-27 10:00" capacity:3',
        ],
        "/signup status sheet:superwizja",
        [
            "**#2** Superwizja (grupa Jura, 27 lutego 2026 10:00)",
            "**#1** Superwizja (cała sieć, 20 lutego 2026 10:00)",
        ],
        "/signup status sheet:2",
        "**Superwizja** (arkusz #2)",
    ),
    "series": (
        [
            '/event series create title:Superwizja kind:supervision first:"2026-03-10 10:00" '
            "every:monthly duration:1h",
            "@ewa #jura /event series create title:Superwizja kind:supervision "
            'first:"2026-03-12 10:00" every:monthly duration:1h',
        ],
        "/event series stop series:superwizja",
        [
            "**#2** Superwizja (grupa Jura, 12 marca 2026 10:00)",
            "**#1** Superwizja (cała sieć, 10 marca 2026 10:00)",
        ],
        "/event series stop series:2",
        "Zakończono cykl #2 **Superwizja**",
    ),
    "panels": (
        [
            # Within the hour: a panel may start a little early without being asked.
            '/panel create topic:Pączek when:"2026-01-15 10:30" panelists:"@ewa"',
            '@ewa #jura /panel create topic:Pączek when:"2026-01-15 10:45" panelists:"@ewa"',
        ],
        "/panel start panel:pączek",
        [
            "**#1** Pączek (cała sieć, 15 stycznia 2026 10:30)",
            "**#2** Pączek (grupa Jura, 15 stycznia 2026 10:45)",
        ],
        "/panel start panel:2",
        "**Panel: Pączek** (#2)",
    ),
    # One title names the next event to come; a part names every title that holds it.
    "events": (
        [
            '/event create title:Superwizja kind:supervision when:"2026-03-10 10:00" duration:1h',
            "@ewa #jura /event create title:Superwizja kind:group "
            'when:"2026-03-12 10:00" duration:1h',
            '/event create title:"Superwizja krajowa" kind:supervision '
            'when:"2026-03-11 10:00" duration:1h',
        ],
        "/event info event:superwiz",
        [
            "**#1** Superwizja (cała sieć, 10 marca 2026 10:00)",
            "**#3** Superwizja krajowa (cała sieć, 11 marca 2026 10:00)",
            "**#2** Superwizja (grupa Jura, 12 marca 2026 10:00)",
        ],
        "/event info event:2",
        "Rodzaj: Grupa · grupa Jura",
    ),
}


@pytest.mark.parametrize("feature", sorted(SAME_TITLE))
async def test_a_groups_thing_and_a_national_one_of_one_title_are_told_apart(
    console: ConsoleSession, feature: str
) -> None:
    made, ask, lines, pick, picked = SAME_TITLE[feature]
    await console.say("/setup server forum:#ogloszenia")
    await console.say("/group create name:Jura city:Zawiercie initiator:@ewa")
    await console.say("@jan /group join name:Jura")
    for line in made:
        await console.say(line)
    # Jan, a member of Jura, asks; the admin does what only managers may (stop a series,
    # start a panel).
    who = "@jan " if feature in ("sheets", "events") else ""
    asked = (await console.one(who + ask))["text"]
    assert asked.splitlines()[1:-1] == lines, asked
    assert picked in said(*await console.say(who + pick))


async def test_a_group_and_a_national_event_of_one_title_are_never_picked_silently(
    console: ConsoleSession,
) -> None:
    await console.say("/setup server forum:#ogloszenia")
    await console.say("/group create name:Jura city:Zawiercie initiator:@ewa")
    await console.say("@anna /group join name:Jura")
    await console.say(
        '/event create title:Superwizja kind:supervision when:"2026-03-20 10:00" duration:1h'
    )
    await console.say(
        '@ewa #jura /event create title:Superwizja kind:supervision when:"2026-03-27 10:00" '
        "duration:1h group:Jura"
    )
    # Anna is in Jura: the full title names two events in two places, so she is asked.
    asked = (await console.one("@anna /event info event:Superwizja"))["text"]
    assert "**#1** Superwizja (cała sieć, " in asked and "**#2** Superwizja (grupa Jura, " in asked
    assert "Superwizja" in said(await console.one("@anna /event info event:2"))
    # Jan sees only the national one: it is his answer, and Jura is never named to him.
    alone = said(await console.one("@jan /event info event:Superwizja"))
    assert "Jura" not in alone and "pasuje do kilku" not in alone
