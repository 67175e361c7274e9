"""Bad input gets a clear, localized answer and changes nothing: blank and invisible text,
control characters, numbers in other digits, years out of range, zones nobody lives in,
names that only look like another, answers and dates given twice, a slot that has begun."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest

from bot.commands import Option, OptionType
from bot.dispatch import SAFE_INTEGER, convert_option
from bot.errors import UserError
from bot.i18n import t
from bot.refs import ChannelRef, UserRef
from bot.roles import Role
from bot.text import clean_name, lookalike, parse_int, parse_ref, skeleton
from bot.timelang.zones import choosable, choose_zone
from bot.visibility import SYSTEM, Viewer
from tests.helpers.console import ConsoleSession
from tests.helpers.world import ADMIN, ANNA, EWA, JAN, World

MOD = UserRef("test:mod", "Mod")
FORUM = ChannelRef("test:#ogloszenia", "ogloszenia")
INTERNAL = t("error.internal", locale="pl")

# The lookalikes of "Jura" the issue found, each accepted next to the real one before.
LOOKALIKES = {
    "soft hyphen": "Ju\u00adra",
    "zero-width joiner": "Ju\u200dra",
    "zero-width space": "Ju\u200bra",
    "Cyrillic a": "Jur\u0430",
    "Cyrillic J and a": "\u0408ur\u0430",
    "right-to-left override": "\u202eJura",
    "fullwidth": "Ｊｕｒａ",
    "Hangul filler": "Jura\u3164",
}


@pytest.fixture
async def world(tmp_path: Path) -> AsyncIterator[World]:
    w = await World.open(tmp_path / "i.sqlite3")
    await w.say("role grant", actor=ADMIN, user=MOD, role="moderator")
    await w.say("setup server", actor=ADMIN, forum=FORUM)
    yield w
    await w.app.close()


def pl(key: str, **params: object) -> str:
    return t(key, locale="pl", **params)


# -- blank text and control characters -------------------------------------------------


@pytest.mark.parametrize("blank", ["   ", "\u2028", "\t \u3000", "\u200b", "\u00ad\u3164"])
async def test_blank_text_is_answered_and_nothing_is_stored(world: World, blank: str) -> None:
    reply = await world.say("remind me", when="jutro o 18", what=blank)
    assert reply.text == pl("error.blank", name="what")
    assert "#" not in (await world.say("remind list")).text  # nothing was saved
    await world.say("learning goals set", goals="Zespół")
    reply = await world.say("learning log", goal="1", text=blank)
    assert reply.text == pl("error.blank", name="text")


async def test_control_characters_are_refused_naming_the_option(world: World) -> None:
    for text in ("tele\x00fon", "\x1b[31mczerwony", "bajt \udcff"):
        reply = await world.say("remind me", when="jutro o 18", what=text)
        assert reply.text == pl("error.control_character", name="what")
    # A line break is text, a bidi override is dropped.
    reply = await world.say("remind me", when="jutro o 18", what="raz\ndwa \u202eodwrotnie")
    assert reply.created is not None
    assert "raz\ndwa odwrotnie" in reply.text


# -- numbers ---------------------------------------------------------------------------


@pytest.mark.parametrize("digits", ["²", "٣", "３", "#²", "¹²", "9" * 30])
async def test_an_id_in_other_digits_is_not_a_valid_number(world: World, digits: str) -> None:
    await world.say("poll quick", actor=MOD, question="Kawa?", options="kawa; herbata")
    await world.say("learning goals set", goals="Zespół")
    bare = digits.lstrip("#")
    expected = pl("error.bad_number", value=bare)
    calls = [
        ("event info", {"event": digits}),
        ("event rsvp", {"event": digits, "answer": "going"}),
        ("signup status", {"sheet": digits}),
        ("poll vote", {"poll": digits, "option": 1}),
        ("poll close", {"poll": digits}),
        ("panel hand", {"panel": digits}),
        ("program info", {"program": digits}),
        ("event series stop", {"series": digits}),
        ("learning log", {"goal": digits, "text": "x"}),
    ]
    for path, args in calls:
        actor = MOD if path in ("poll close", "event series stop") else ANNA
        reply = await world.say(path, actor=actor, **args)
        assert reply.text == expected, (path, reply.text)


@pytest.mark.parametrize("digits", ["²", "٣", "３", "1_000", "1e3", "0x10"])
async def test_number_options_take_ascii_digits_only(world: World, digits: str) -> None:
    reply = await world.say("group list", page=digits)
    assert reply.text == pl("error.not_a_number", name="page")
    huge = await world.say("group list", page="9" * 5000)
    assert huge.text == pl("error.out_of_range", name="page", min=1, max=1000)


@pytest.mark.parametrize("language", ["pl", "en", "nl", "bg"])
async def test_an_id_out_of_range_names_only_the_bound_it_has(world: World, language: str) -> None:
    """An id has a lowest value and no highest (2^53 is only Discord's end of integers):
    the answer says "from 1 up", never that number, in the reader's language."""
    await world.say("settings language", actor=JAN, language=language)
    zero = await world.say("remind cancel", actor=JAN, id=0)
    assert zero.text == t("error.out_of_range_from", locale=language, name="id", min=1)
    assert str(2**53) not in zero.text
    huge = await world.say("remind cancel", actor=JAN, id="9" * 40)
    assert huge.text == t("error.number_too_long", locale=language, name="id")
    bounded = await world.say("group list", actor=JAN, page=0)
    assert bounded.text == t("error.out_of_range", locale=language, name="page", min=1, max=1000)


async def test_every_id_option_without_a_highest_value_answers_from_its_lowest(
    world: World,
) -> None:
    negative = await world.say("group proposal approve", actor=MOD, id=-5)
    assert negative.text == pl("error.out_of_range_from", name="id", min=1)
    assert "od 1 wzwyż" in negative.text


def test_an_integer_options_limits_are_worded_by_the_bounds_it_declares() -> None:
    def refusal(option: Option, value: object) -> tuple[str, dict[str, object]]:
        with pytest.raises(UserError) as exc:
            convert_option(option, value)
        return exc.value.key, exc.value.params

    both = Option("n", OptionType.INTEGER, min_value=1, max_value=12)
    assert refusal(both, 13) == ("error.out_of_range", {"name": "n", "min": 1, "max": 12})
    assert refusal(both, "9" * 40)[0] == "error.out_of_range"  # the declared range says more
    low = Option("n", OptionType.INTEGER, min_value=1)
    assert refusal(low, 0) == ("error.out_of_range_from", {"name": "n", "min": 1})
    assert refusal(low, SAFE_INTEGER + 1) == ("error.number_too_long", {"name": "n"})
    assert convert_option(low, SAFE_INTEGER) == SAFE_INTEGER
    high = Option("n", OptionType.INTEGER, max_value=5)
    assert refusal(high, 6) == ("error.out_of_range_to", {"name": "n", "max": 5})
    assert refusal(high, -SAFE_INTEGER - 1) == ("error.number_too_long", {"name": "n"})
    assert refusal(Option("n", OptionType.INTEGER), -(10**18))[0] == "error.number_too_long"


async def test_buttons_take_ascii_digits_only(world: World) -> None:
    await world.say("poll quick", actor=MOD, question="Kawa?", options="kawa; herbata")
    assert (await world.press("poll:quick:١:١")).text == pl("error.unknown_button")
    assert (await world.press("poll:quick:1:1")).text != pl("error.unknown_button")


def test_parse_int_and_parse_ref() -> None:
    assert parse_int(" 42 ") == 42 and parse_int("-1") == -1 and parse_int("+3") == 3
    assert parse_int("²") is None and parse_int("٣") is None and parse_int("1_0") is None
    assert parse_int("9" * 40) == 10**18
    assert parse_ref("#42") == 42 and parse_ref("42") == 42 and parse_ref("Forum 2") is None
    for bad in ("²", "٣", "３", "9" * 19):
        with pytest.raises(UserError) as exc:
            parse_ref(bad)
        assert exc.value.key == "error.bad_number"


# -- dates -----------------------------------------------------------------------------


@pytest.mark.parametrize("month", ["9999-12", "12/9999", "1999-12", "2101-01", "0001-01"])
async def test_a_month_far_out_of_range_is_answered(world: World, month: str) -> None:
    reply = await world.say("event list", month=month)
    assert reply.text == pl("error.year_out_of_range", name="month", min="2000", max="2100")


async def test_a_month_in_range_still_lists(world: World) -> None:
    reply = await world.say("event list", month="2100-12")
    assert reply.text != INTERNAL and "2000" not in reply.text


# -- time zones ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "suggestion"),
    [
        ("localtime", None),
        ("Factory", None),
        ("posixrules", None),
        ("Etc/GMT+5", None),
        ("posix/Europe/Warsaw", "Europe/Warsaw"),
        ("right/UTC", "UTC"),
        ("Poland", "Europe/Warsaw"),
        ("Etc/UTC", "UTC"),
        ("Europe/Kiev", "Europe/Kyiv"),
        ("Sofia", "Europe/Sofia"),
        ("Europe/Warsw", "Europe/Warsaw"),
    ],
)
async def test_only_zones_people_choose_are_accepted(
    world: World, typed: str, suggestion: str | None
) -> None:
    for reply in (
        await world.say("settings timezone", timezone=typed),
        await world.say("setup server", actor=ADMIN, timezone=typed),
    ):
        if suggestion is None:
            assert reply.text == pl("error.unknown_timezone", value=typed)
        else:
            assert reply.text.startswith(
                pl("error.unknown_timezone_suggest", value=typed, suggestions=suggestion)[:-1]
            ), reply.text
            assert suggestion in reply.text
    assert "Europe/Warsaw" in (await world.say("settings show")).text


async def test_a_zone_in_other_letter_case_is_stored_as_iana_spells_it(world: World) -> None:
    reply = await world.say("settings timezone", timezone=" europe/amsterdam ")
    assert "Europe/Amsterdam" in reply.text
    assert "Europe/Amsterdam" in (await world.say("settings show")).text


def test_the_zones_people_choose() -> None:
    zones = set(choosable())
    assert {"Europe/Warsaw", "Europe/Amsterdam", "Europe/Sofia", "UTC"} <= zones
    assert not any(z.startswith(("posix/", "right/", "Etc/")) for z in zones)
    assert not {"localtime", "Factory", "posixrules", "Poland", "CET"} & zones
    assert choose_zone("UTC") == "UTC"


# -- names and lookalikes --------------------------------------------------------------


@pytest.mark.parametrize("name", LOOKALIKES.values(), ids=list(LOOKALIKES))
async def test_a_lookalike_group_name_is_refused(world: World, name: str) -> None:
    created = await world.say("group create", actor=ADMIN, name="Jura", city="Zawiercie")
    assert created.created is not None
    reply = await world.say("group create", actor=ADMIN, name=name, city="Zawiercie")
    assert reply.created is None, reply.text
    cleaned = clean_name(name, option="name")
    assert reply.text in (
        pl("error.group.exists", name=cleaned),
        pl("error.name_lookalike", name=cleaned, existing="Jura"),
    )
    assert len(await world.app.groups.directory.all("test:guild")) == 1


async def test_a_group_cannot_be_renamed_into_a_lookalike(world: World) -> None:
    await world.say("group create", actor=ADMIN, name="Jura", city="Zawiercie")
    await world.say("group create", actor=ADMIN, name="Beskidy", city="Bielsko-Biała")
    reply = await world.say("group edit", actor=ADMIN, name="Beskidy", new_name="Jur\u0430")
    assert reply.text == pl("error.name_lookalike", name="Jur\u0430", existing="Jura")
    fine = await world.say("group edit", actor=ADMIN, name="Beskidy", new_name="Jura Północ")
    assert "Jura Północ" in fine.text


async def test_a_nul_in_a_name_is_refused(world: World) -> None:
    reply = await world.say("group create", actor=ADMIN, name="Ju\x00ra", city="Zawiercie")
    assert reply.text == pl("error.control_character", name="name")


async def test_lookalike_sheet_and_programme_names_are_refused(world: World) -> None:
    sheet = await world.say(
        "signup create", actor=MOD, title="Superwizja", slots="27 marca 10:00", capacity=5
    )
    assert sheet.created is not None
    twin = await world.say(
        "signup create", actor=MOD, title="Sup\u0435rwizja", slots="27 marca 10:00", capacity=5
    )
    assert twin.text == pl("error.name_lookalike", name="Sup\u0435rwizja", existing="Superwizja")
    options = {"themes": "A; B", "starts": "1 kwietnia 9:00", "ends": "30 kwietnia 17:00"}
    first = await world.say("program create", actor=MOD, name="Liderzy", **options)
    assert first.created is not None
    second = await world.say("program create", actor=MOD, name="Lid\u0435rzy", **options)
    assert second.text == pl("error.name_lookalike", name="Lid\u0435rzy", existing="Liderzy")


async def test_stored_titles_are_cleaned_everywhere(world: World) -> None:
    dirty = "\u202eForum\u00ad  dyrektorów\u200b\t2026 "
    clean = "Forum dyrektorów 2026"
    event = await world.say(
        "event create", actor=MOD, title=dirty, kind="forum", when="27 marca 10:00", duration="2h"
    )
    assert event.created is not None
    found = await world.app.events.lookup.get(int(event.created.id), SYSTEM)
    assert found.title == clean
    sheet = await world.say("signup create", actor=MOD, title=dirty, slots="27 marca", capacity=2)
    assert sheet.created is not None
    assert (await world.app.signups.sheets.get(int(sheet.created.id), SYSTEM)).title == clean
    poll = await world.say("poll quick", actor=MOD, question=dirty, options="a\u00adb; c")
    assert poll.created is not None
    view = await world.app.polls.view(
        await world.app.polls.find(Viewer(ADMIN, "test:guild", Role.ADMIN), str(poll.created.id))
    )
    assert view.poll.question == clean
    assert [o.label for o in view.options] == ["ab", "c"]
    panel = await world.say(
        "panel create", actor=MOD, topic=dirty, when="27 marca 12:00", panelists="@jan"
    )
    assert panel.created is not None
    assert (await world.app.panels.desk.get(int(panel.created.id), SYSTEM)).topic == clean
    await world.say("profile set", library="MBP\u00ad Łazy\u200b")
    assert (await world.app.groups.profiles.profile(ANNA.id)).library == "MBP Łazy"  # type: ignore[union-attr]


def test_skeletons_of_lookalikes_agree() -> None:
    for name in LOOKALIKES.values():
        assert skeleton(name) == skeleton("Jura"), name
    assert skeleton("Jura") != skeleton("Jurb")
    # Bulgarian names keep their letters: only lookalikes of the same case are mapped.
    assert skeleton("Варна") != skeleton("Bapha") and skeleton("ВАРНА") == skeleton("BAPHA")
    assert lookalike("Jur\u0430", ["Beskidy", "JURA"]) == "JURA"
    assert lookalike("Jura Północ", ["Jura"]) is None


def test_clean_name_keeps_emoji_sequences_and_drops_disguises() -> None:
    assert clean_name("👩\u200d💻 zespół", option="x") == "👩\u200d💻 zespół"
    assert clean_name("ze\u200dspół", option="x") == "zespół"
    with pytest.raises(UserError) as exc:
        clean_name("\u200b\u3164 ", option="title")
    assert exc.value.key == "error.blank"


# -- things given twice ----------------------------------------------------------------


async def test_a_poll_answer_given_twice_is_refused(world: World) -> None:
    reply = await world.say("poll quick", actor=MOD, question="Kawa?", options="kawa; Kawa; woda")
    assert reply.text == pl("error.poll.duplicate_option", option="Kawa")
    lookalike_answer = await world.say(
        "poll quick", actor=MOD, question="Kawa?", options="kawa; k\u0430wa"
    )
    assert lookalike_answer.created is None
    # Punctuation makes answers different: these are three.
    languages = await world.say("poll quick", actor=MOD, question="Język?", options="C; C++; C#")
    assert languages.created is not None, languages.text


async def test_a_date_given_twice_in_a_date_poll_is_refused(world: World) -> None:
    reply = await world.say(
        "poll dates", actor=MOD, question="Kiedy?", options="2 kwietnia o 10; 2 kwietnia 10:00"
    )
    assert reply.created is None
    assert "„2 kwietnia o 10” i „2 kwietnia 10:00” to ten sam termin" in reply.text


async def test_the_same_slot_twice_and_a_meeting_date_twice_are_refused(world: World) -> None:
    reply = await world.say(
        "signup create",
        actor=MOD,
        title="Dyżury",
        slots="27 marca 10:00 | A; 27 marca 10:00 | a; 27 marca 10:00 | B",
        capacity=2,
    )
    assert reply.text == pl("error.signup.duplicate_slot", first=1, second=2)
    await world.say("group create", actor=ADMIN, name="Jura", city="Zawiercie")
    plan = await world.say(
        "group meeting plan",
        actor=ADMIN,
        name="Jura",
        hosts="Łazy; Pilica",
        dates="2 kwietnia 10:00; 9 kwietnia 10:00; 2 kwietnia o 10",
    )
    assert plan.text.startswith("Ten sam termin ") and "dwa razy: <t:" in plan.text


# -- a slot that has begun -------------------------------------------------------------


async def test_a_started_slot_takes_no_new_sign_ups_and_the_waitlist_keeps_its_turn(
    world: World,
) -> None:
    sheet = await world.say(
        "signup create", actor=MOD, title="Superwizja", slots="dziś 12:00", capacity=1
    )
    assert sheet.created is not None
    assert (await world.say("signup join", actor=ANNA, sheet="1", slot=1)).created is None
    waiting = await world.say("signup join", actor=JAN, sheet="1", slot=1)
    assert "rezerwow" in waiting.text
    await world.app.advance(timedelta(hours=2, minutes=30))  # 12:30, the slot has begun
    await world.say("signup leave", actor=ANNA, sheet="1", slot=1)  # a seat frees, no offer
    late = await world.say("signup join", actor=EWA, sheet="1", slot=1)
    assert late.text.startswith(pl("error.signup.slot_started", slot=1, start="")[:20])
    pressed = await world.press("signup:join:1:1", actor=EWA)
    assert pressed.text == late.text
    entries = await world.app.signups.sheets.entries(await world.app.signups.sheets.get(1, SYSTEM))
    assert [(e.user_id, e.status.value) for e in entries] == [(JAN.id, "waitlisted")]
    # A moderator may still seat someone (a walk-in), knowingly.
    added = await world.say("signup add", actor=MOD, sheet="1", slot=1, user=EWA)
    assert added.text != late.text


# -- the console: bytes that are not text, and line separators in JSON output -----------


async def test_a_console_line_with_undecodable_bytes_is_answered_and_not_run(
    console: ConsoleSession,
) -> None:
    # Python reads bytes that are not UTF-8 as lone surrogates (surrogateescape).
    [event] = await console.say("@an\udcffna /remind me when:jutro what:x")
    assert event["text"] == t("error.console.not_text", locale="pl")
    assert event["reply_to"] is not None and event["to"] == "an?na"
    assert "#" not in (await console.one("/remind list"))["text"]


async def test_json_output_keeps_one_event_a_line_whatever_was_typed(
    console: ConsoleSession,
) -> None:
    await console.say('/remind me when:"jutro o 18" what:"raz\u2028dwa\u2029trzy"')
    raw = console.last_raw
    assert "\u2028" not in raw and "\u2029" not in raw
    [event] = [json.loads(line) for line in raw.splitlines()]
    assert "raz\u2028dwa\u2029trzy" in event["text"]
