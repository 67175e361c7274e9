"""A group's content stays inside the group (bot/visibility.py), walked command by command.

One group, Jura, has an event, an event series, a date poll, a quick poll, a sign-up sheet
and a live panel, all made in its channel. For every command and every button that acts
on such content, someone outside the group (a director, and for the initiators' commands
the initiator of another group) must get exactly the answer a number that does not exist
gets — and nothing may change — while a member (or the group's initiator) and a
moderator are served.

The tables are checked against the registry: a new command that takes an event, a poll,
a panel, a sheet, a series or a session, and a new button, fail
`test_the_tables_cover_every_command_and_button` until they are added here.
"""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from dataclasses import dataclass, replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.db import Database, migrations
from bot.dispatch import Request
from bot.refs import Actor, ChannelRef, UserRef
from bot.replies import Reply
from bot.roles import Role
from tests.helpers.world import ADMIN, GENERAL, World

MOD = UserRef("test:mod", "Mod")
INA = UserRef("test:ina", "Ina")  # initiator of Jura
MELA = UserRef("test:mela", "Mela")  # a member of Jura
OLEK = UserRef("test:olek", "Olek")  # a director in no group
IKA = UserRef("test:ika", "Ika")  # initiator of another group, Pilica
FORUM = ChannelRef("test:#ogloszenia", "ogloszenia")
JURA = ChannelRef("channel:1", "jura")

# What Jura's content is called: none of it may show up for someone outside.
SECRETS = (
    "Spotkanie Jura",
    "Cykl Jura",
    "Termin Jura",
    "Kawa Jura",
    "Dyżur Jura",
    "Panel Jura",
    "Pytanie Jura",
)
MISSING = "999"
# Options that name one piece of content.
CONTENT_OPTIONS = {"event", "series", "poll", "sheet", "panel", "session"}


@dataclass(frozen=True)
class Case:
    """One command on Jura's content: its options (REF is the content's number), the
    lowest role that may run it at all, and what it answers someone inside."""

    path: str
    args: dict[str, Any]
    role: Role = Role.DIRECTOR
    # What the first one inside is answered (the others: anything but "not found").
    served: str = ""


REF = "<ref>"
COMMANDS: dict[str, Case] = {
    c.path: c
    for c in (
        Case("event info", {"event": REF}, served="Kiedy"),
        Case("event ics", {"event": REF}, served="Plik do kalendarza"),
        Case("event rsvp", {"event": REF, "answer": "going"}, served="Zapisano: będziesz"),
        Case(
            "event edit",
            {"event": REF, "place": "Sala 2"},
            Role.INITIATOR,
            served="Nowe miejsce: Sala 2",
        ),
        Case("event cancel", {"event": REF}, Role.INITIATOR, served="Odwołano wydarzenie #1"),
        Case(
            "event attendees",
            {"event": REF},
            Role.INITIATOR,
            served="Odpowiedzi — **Spotkanie Jura**",
        ),
        Case("event nudge", {"event": REF}, Role.INITIATOR, served="Przypomniano 2 osobom"),
        Case("event series stop", {"series": REF}, Role.INITIATOR, served="Zakończono cykl #1"),
        Case(
            "program attendance",
            {"session": REF, "users": "@mela"},
            Role.MODERATOR,
            served="nie jest sesją",
        ),
        Case(
            "poll vote", {"poll": REF, "option": 1, "answer": "yes"}, served="Twoja odpowiedź — tak"
        ),
        Case("poll close", {"poll": REF}, Role.INITIATOR, served="Zakończono głosowanie"),
        Case(
            "signup join",
            {"sheet": REF, "slot": 1},
            served="Zapisano Cię na arkuszu **Dyżur Jura**",
        ),
        Case("signup leave", {"sheet": REF, "slot": 1}, served="Brak zapisu na termin 1"),
        Case("signup status", {"sheet": REF}, served="📋 **Dyżur Jura** (arkusz #1)"),
        Case("signup accept", {"sheet": REF, "slot": 1}, served="Nie ma propozycji miejsca"),
        Case("signup decline", {"sheet": REF, "slot": 1}, served="Nie ma propozycji miejsca"),
        Case("signup close", {"sheet": REF}, Role.INITIATOR, served="Zamknięto zapisy"),
        Case("signup reopen", {"sheet": REF}, Role.INITIATOR, served="nie są zamknięte"),
        Case(
            "signup add",
            {"sheet": REF, "slot": 1, "user": MELA},
            Role.INITIATOR,
            served="Mela ma miejsce w terminie 1",
        ),
        Case(
            "signup remove",
            {"sheet": REF, "slot": 1, "user": MELA},
            Role.INITIATOR,
            served="Brak zapisu na termin 1",
        ),
        Case(
            "signup move",
            {"sheet": REF, "user": MELA, "from_slot": 1, "to_slot": 2},
            Role.INITIATOR,
            served="Brak zapisu na termin 1",
        ),
        Case("signup export", {"sheet": REF}, Role.INITIATOR, served="w pliku CSV"),
        Case("signup delete", {"sheet": REF}, Role.INITIATOR, served="Usunięto arkusz"),
        Case("panel start", {"panel": REF}, served="prowadzi jego moderator (Ina)"),
        Case("panel end", {"panel": REF}, served="prowadzi jego moderator (Ina)"),
        Case("panel hand", {"panel": REF}, served="Ręka w górze"),
        Case("panel lower", {"panel": REF}, served="Nie masz podniesionej ręki"),
        Case("panel next", {"panel": REF}, served="prowadzi jego moderator (Ina)"),
        Case("panel floor", {"panel": REF, "user": MELA}, served="prowadzi jego moderator (Ina)"),
        Case("panel round", {"panel": REF}, served="prowadzi jego moderator (Ina)"),
        Case("panel ask", {"panel": REF, "text": "Czy to działa?"}, served="czeka na moderatora"),
        Case("panel upvote", {"panel": REF, "question": 1}, served="Poparto pytanie #1"),
        Case("panel question next", {"panel": REF}, served="prowadzi jego moderator (Ina)"),
        Case(
            "panel question pick", {"panel": REF, "id": 1}, served="prowadzi jego moderator (Ina)"
        ),
        Case("panel paczek", {"panel": REF}, served="nie ma komu dać pączka"),
    )
}
# Each piece of Jura's content is number 1 of its kind, except the quick poll (2).
IDS = {"event": "1", "series": "1", "session": "1", "poll": "1", "sheet": "1", "panel": "1"}

# Buttons on Jura's content: custom ids with {id} for its number.
# Buttons on Jura's content: who may press them at all, what the first one inside hears.
BUTTONS: dict[str, tuple[Role, str]] = {
    "event:rsvp:{event}:going": (Role.DIRECTOR, "Zapisano: będziesz"),
    "event:ics:{event}": (Role.DIRECTOR, "Plik do kalendarza"),
    "event:reg:{event}": (Role.DIRECTOR, "Kiedy"),
    "poll:date:{poll}:1": (Role.DIRECTOR, "Twoja odpowiedź — tak"),
    "poll:quick:{quick}:1": (Role.DIRECTOR, "Twój głos: kawa"),
    "signup:join:{sheet}:1": (Role.DIRECTOR, "Zapisano Cię na arkuszu **Dyżur Jura**"),
    "signup:leave:{sheet}:1": (Role.DIRECTOR, "Brak zapisu na termin 1"),
    "signup:accept:{sheet}:1": (Role.DIRECTOR, "Nie ma propozycji miejsca"),
    "signup:decline:{sheet}:1": (Role.DIRECTOR, "Nie ma propozycji miejsca"),
    "signup:approve:{sheet}:1:test:mela": (Role.INITIATOR, "ma miejsce w terminie 1"),
    "signup:reject:{sheet}:1:test:mela": (Role.INITIATOR, "Brak zapisu na termin 1"),
    "panel:hand:{panel}": (Role.DIRECTOR, "Ręka w górze"),
    "panel:lower:{panel}": (Role.DIRECTOR, "Nie masz podniesionej ręki"),
    "panel:paczek:{panel}": (Role.DIRECTOR, "nie ma komu dać pączka"),
    "panel:next:{panel}": (Role.DIRECTOR, "prowadzi jego moderator (Ina)"),
    "panel-ask-{panel}": (Role.DIRECTOR, "/panel ask panel:1"),
    "panel:early:{panel}:0:1": (Role.DIRECTOR, "prowadzi jego moderator (Ina)"),
}
BUTTON_IDS = {"event": "1", "poll": "1", "quick": "2", "sheet": "1", "panel": "1"}
# Buttons that are not about a group's content, with why.
NOT_GROUP_CONTENT = (
    "remind:done:1",  # one's own reminder: someone else's is unknown already
    "remind:snooze:1:10m",
    "privacy:forget:test:olek",  # one's own data
    "event:draft:confirm:1",  # one's own draft
    "group:list:1",  # the public directory of groups
    "group:guide",
    "group:approve:1:test:olek",  # the initiators' tools, scoped in test_groups
    "group:repair:1",
    "group:proposal:approve:1",  # moderators' decision on a proposal, in test_group_proposals
    "group:join:1",  # joining, as /group join: the public directory's action
    "welcome-near",  # the welcome's ways forward: one's own settings and the public directory
    "welcome:settings",
    "welcome:language:nl",
    "welcome:timezone:Europe/Sofia",
    "welcome:events",  # events for everyone only (never a group's): in test_welcome
)
# Commands that take none of CONTENT_OPTIONS and never show a group's content.
CONSOLE_ONLY = {"clock set", "clock advance", "press"}


@pytest.fixture
async def world(tmp_path: Path) -> AsyncIterator[World]:
    w = await World.open(tmp_path / "v.sqlite3")
    await jura_with_content(w)
    yield w
    await w.app.close()


async def jura_with_content(world: World) -> None:
    await world.say("role grant", actor=ADMIN, user=MOD, role="moderator")
    await world.say("setup server", actor=ADMIN, forum=FORUM)
    await world.say("group create", actor=ADMIN, name="Jura", city="Zawiercie", initiator=INA)
    await world.say("group create", actor=ADMIN, name="Pilica", city="Pilica", initiator=IKA)
    await world.say("group join", actor=MELA, name="Jura")
    made = [
        await world.say(
            "event create",
            actor=INA,
            channel=JURA,
            title="Spotkanie Jura",
            kind="group",
            when="jutro 10:00",
            duration="1h",
        ),
        await world.say(
            "event series create",
            actor=INA,
            channel=JURA,
            title="Cykl Jura",
            kind="group",
            first="20 maja 10:00",
            every="monthly",
            duration="1h",
        ),
        await world.say(
            "poll dates",
            actor=INA,
            channel=JURA,
            question="Termin Jura",
            options="jutro 12:00; pojutrze 12:00",
        ),
        await world.say(
            "poll quick", actor=INA, channel=JURA, question="Kawa Jura", options="kawa; herbata"
        ),
        await world.say(
            "signup create",
            actor=INA,
            channel=JURA,
            title="Dyżur Jura",
            slots="jutro 14:00; pojutrze 14:00",
            capacity=3,
        ),
        await world.say(
            "panel create",
            actor=INA,
            channel=JURA,
            topic="Panel Jura",
            when="za 5 minut",
            panelists="@ina @mela",
        ),
    ]
    for reply in made:
        assert reply.created is not None, reply.text
    started = await world.say("panel start", actor=INA, channel=JURA, panel="1")
    assert "trwa" in started.text, started.text
    asked = await world.say("panel ask", actor=INA, channel=JURA, panel="1", text="Pytanie Jura?")
    assert "#1" in asked.text, asked.text


def request(user: UserRef, channel: ChannelRef = GENERAL) -> Request:
    return Request("test", "test:guild", channel, Actor(user, is_admin=user.id == ADMIN.id))


async def run(world: World, user: UserRef, path: str, args: dict[str, Any]) -> Reply:
    return await world.app.dispatcher.run(request(user), path, args)


def with_ref(case: Case, ref: str) -> dict[str, Any]:
    return {k: (ref if v == REF else v) for k, v in case.args.items()}


def ref_of(case: Case) -> str:
    option = next(k for k, v in case.args.items() if v == REF)
    return IDS[option]


async def state(world: World) -> list[Any]:
    """Everything a command on Jura's content could change, and what was sent."""
    tables = (
        "events",
        "event_rsvps",
        "event_series",
        "polls",
        "poll_votes",
        "signup_sheets",
        "signup_entries",
        "panels",
        "panel_queue",
        "panel_turns",
        "panel_questions",
        "panel_votes",
        "panel_paczki",
    )
    rows = [[tuple(r) for r in await world.app.db.fetchall(f"SELECT * FROM {t}")] for t in tables]
    return [rows, len(world.front.sent), len(world.front.edits)]


def shows(reply: Reply) -> str:
    """All the text a reply carries, its files' too."""
    parts = [reply.text]
    for embed in reply.embeds:
        parts += [embed.title or "", embed.description or ""]
        parts += [f"{f.name} {f.value}" for f in embed.fields]
    parts += [b.label for b in reply.buttons]
    for attached in reply.files:
        parts.append(attached.data.decode("utf-8", "replace"))
    return "\n".join(parts)


def leaked(reply: Reply) -> list[str]:
    text = shows(reply)
    return [s for s in SECRETS if s in text]


def quoted(ref: str) -> str:
    return f"„{ref}”"


# -- the tables cover everything ----------------------------------------------------------


async def test_the_tables_cover_every_command_and_button(world: World) -> None:
    registry = world.app.registry
    on_content = {c.path for c in registry.all() if CONTENT_OPTIONS & {o.name for o in c.options}}
    assert on_content == set(COMMANDS), "a command on content is missing from COMMANDS"
    for case in COMMANDS.values():
        command = registry.get(case.path)
        assert command is not None and command.role == case.role, case.path
    samples = [b.format(**BUTTON_IDS) for b in BUTTONS] + list(NOT_GROUP_CONTENT)
    for route in registry.buttons():
        assert any(route.pattern.fullmatch(s) for s in samples), (
            f"button {route.pattern.pattern} is in neither BUTTONS nor NOT_GROUP_CONTENT"
        )


# -- every command on the content -----------------------------------------------------------


@pytest.mark.parametrize("path", sorted(COMMANDS))
async def test_outside_the_group_the_content_does_not_exist(world: World, path: str) -> None:
    case = COMMANDS[path]
    ref = ref_of(case)
    outsiders = {Role.DIRECTOR: [OLEK, IKA], Role.INITIATOR: [IKA], Role.MODERATOR: []}
    for outsider in outsiders[case.role]:
        missing = await run(world, outsider, path, with_ref(case, MISSING))
        before = await state(world)
        hidden = await run(world, outsider, path, with_ref(case, ref))
        assert hidden.text == missing.text.replace(quoted(MISSING), quoted(ref)), (
            f"/{path} by {outsider.name}: {hidden.text!r}"
        )
        assert quoted(ref) in hidden.text  # it is the not-found answer, not another refusal
        assert not leaked(hidden) and not hidden.files
        assert await state(world) == before, f"/{path} by {outsider.name} changed something"


@pytest.mark.parametrize("path", sorted(COMMANDS))
async def test_inside_the_group_and_for_moderators_it_is_served(world: World, path: str) -> None:
    case = COMMANDS[path]
    ref = ref_of(case)
    insiders = {
        Role.DIRECTOR: [MELA, INA, MOD],
        Role.INITIATOR: [INA, MOD],
        Role.MODERATOR: [MOD],
    }
    for number, insider in enumerate(insiders[case.role]):
        missing = await run(world, insider, path, with_ref(case, MISSING))
        seen = await run(world, insider, path, with_ref(case, ref))
        assert seen.text != missing.text.replace(quoted(MISSING), quoted(ref)), (
            f"/{path} by {insider.name} was not served: {seen.text!r}"
        )
        assert not seen.text.startswith("Coś poszło nie tak"), seen.text
        if number == 0:
            assert case.served in shows(seen), f"/{path} by {insider.name}: {seen.text!r}"


# -- every button on the content ------------------------------------------------------------


async def press(world: World, user: UserRef, custom_id: str) -> Reply:
    return await world.app.dispatcher.press(request(user), custom_id)


@pytest.mark.parametrize("button", sorted(BUTTONS))
async def test_a_button_on_the_content_is_dead_outside_and_works_inside(
    world: World, button: str
) -> None:
    custom_id = button.format(**BUTTON_IDS)
    absent = button.format(**dict.fromkeys(BUTTON_IDS, MISSING))
    number = next(v for k, v in BUTTON_IDS.items() if "{" + k + "}" in button)
    for outsider in (OLEK, IKA):
        missing = await press(world, outsider, absent)
        before = await state(world)
        hidden = await press(world, outsider, custom_id)
        assert hidden.text == missing.text.replace(quoted(MISSING), quoted(number)), (
            f"{custom_id} by {outsider.name}: {hidden.text!r}"
        )
        assert not leaked(hidden) and not hidden.files
        assert await state(world) == before, f"{custom_id} by {outsider.name} changed something"
    role, served = BUTTONS[button]
    insiders = [MELA, INA, MOD] if role is Role.DIRECTOR else [INA, MOD]
    for position, insider in enumerate(insiders):
        missing = await press(world, insider, absent)
        seen = await press(world, insider, custom_id)
        assert seen.text != missing.text.replace(quoted(MISSING), quoted(number)), (
            f"{custom_id} by {insider.name} was not served: {seen.text!r}"
        )
        assert not seen.text.startswith("Coś poszło nie tak"), seen.text
        if position == 0:
            assert served in shows(seen), f"{custom_id} by {insider.name}: {seen.text!r}"


# -- lists, suggestions, calendars, titles ---------------------------------------------------


async def test_no_command_names_the_content_to_someone_outside(world: World) -> None:
    """Every command, typed bare: lists (/event list, /panel list …) show nothing of Jura,
    to a director outside and to another group's initiator; a member sees it listed."""
    for command in world.app.registry.all():
        if command.path in CONSOLE_ONLY or command.path == "privacy forget":
            continue
        for outsider in (OLEK, IKA):
            reply = await run(world, outsider, command.path, {})
            assert not leaked(reply), f"/{command.path} shows {leaked(reply)} to {outsider.name}"
    listed = shows(await run(world, MELA, "event list", {}))
    assert "Spotkanie Jura" in listed
    assert "Panel Jura" in shows(await run(world, MELA, "panel list", {}))


async def test_the_weekly_digest_names_nothing_of_the_group(world: World) -> None:
    """The digest is posted for everyone and read as anyone in the server: a national
    event is in it, Jura's event, series, sheet and panel are not — not in the forum, and
    not in the DM of Jura's own member (the digest is one for everyone)."""
    made = await run(
        world,
        MOD,
        "event create",
        {
            "title": "Forum krajowe",
            "kind": "forum",
            "when": "za 3 dni 10:00",
            "duration": "2h",
        },
    )
    assert made.created is not None, made.text
    await run(world, ADMIN, "setup server", {"digest": "piątek 8:00"})
    await run(world, MELA, "settings digest", {"dm": "on"})
    await world.app.advance(timedelta(days=1))
    # Each week's thread is dated; the tag all digests share finds it.
    [digest] = [p.reply for p in world.front.forum_posts if "Przegląd tygodnia" in p.tags]
    assert "Forum krajowe" in shows(digest)
    assert not leaked(digest)
    [dm] = [r for r in world.dms(MELA) if "Forum krajowe" in shows(r)]
    assert not leaked(dm)


async def test_suggestions_never_name_the_content_outside(world: World) -> None:
    completions = [
        (c.path, o.name) for c in world.app.registry.all() for o in c.options if o.autocomplete
    ]
    for path, option in completions:
        for outsider in (OLEK, IKA):
            for typed in ("", "jura", "1"):
                found = await world.app.dispatcher.complete(request(outsider), path, option, typed)
                names = " ".join(c.name for c in found)
                assert not [s for s in SECRETS if s in names], (path, option, outsider, names)
    for path, option in completions:
        if option not in CONTENT_OPTIONS:
            continue
        found = await world.app.dispatcher.complete(request(MELA), path, option, "jura")
        if path == "event series stop" or path.startswith(("signup ", "poll close")):
            # Initiators' commands: a member is refused them anyway, the initiator is not.
            found = await world.app.dispatcher.complete(request(INA), path, option, "jura")
        assert found, f"/{path} {option}: nothing suggested to someone inside"


async def test_titles_and_topics_are_found_only_inside(world: World) -> None:
    by_name = [
        ("event info", "event", "Spotkanie Jura"),
        ("event series stop", "series", "Cykl Jura"),
        ("poll vote", "poll", "Termin Jura"),
        ("signup status", "sheet", "Dyżur Jura"),
        ("panel hand", "panel", "Panel Jura"),
    ]
    for path, option, name in by_name:
        extra: dict[str, Any] = {"option": 1, "answer": "yes"} if option == "poll" else {}
        missing = await run(world, IKA, path, {option: "Nie ma takiego", **extra})
        hidden = await run(world, IKA, path, {option: name, **extra})
        assert hidden.text == missing.text.replace(quoted("Nie ma takiego"), quoted(name)), path
        actor = INA if path == "event series stop" else MELA
        seen = await run(world, actor, path, {option: name, **extra})
        assert quoted(name) not in seen.text, (path, seen.text)


async def test_without_a_number_no_hidden_panel_is_picked(world: World) -> None:
    """`/panel hand` without `panel:` takes the one panel there is — of those one sees."""
    hidden = await run(world, OLEK, "panel hand", {})
    assert hidden.text.startswith("Tu nie ma panelu")
    seen = await run(world, MELA, "panel hand", {})
    assert "kolejce" in seen.text or "ręk" in seen.text, seen.text


async def test_leaving_the_group_takes_its_content_away(world: World) -> None:
    answered = await run(world, MELA, "event rsvp", {"event": "1", "answer": "going"})
    assert answered.text.startswith("Zapisano"), answered.text
    calendar = await run(world, MELA, "event calendar", {})
    assert "1 wydarzenie" in calendar.text
    await world.say("group leave", actor=MELA, name="Jura")
    after = await run(world, MELA, "event calendar", {})
    assert after.text.startswith("Nie wybierasz się"), after.text
    gone = await run(world, MELA, "event info", {"event": "1"})
    assert gone.text == "Nie znam wydarzenia „1”. Listę pokazuje /event list."


async def test_a_pending_request_to_join_shows_nothing(world: World) -> None:
    await world.say("group edit", actor=INA, name="Jura", join="approval")
    await world.say("group join", actor=OLEK, name="Jura")
    pending = await run(world, OLEK, "signup status", {"sheet": "1"})
    assert pending.text == "Nie znam arkusza „1”. Podaj jego numer albo tytuł."
    await world.say("group approve", actor=INA, name="Jura", user=OLEK)
    member = await run(world, OLEK, "signup status", {"sheet": "1"})
    assert "Dyżur Jura" in member.text


async def test_an_unannounced_event_is_seen_by_its_creator_managers_and_moderators(
    world: World,
) -> None:
    made = await world.say(
        "event create",
        actor=INA,
        channel=JURA,
        title="Zebranie Jura",
        kind="group",
        when="za tydzień 10:00",
        duration="1h",
        publish_at="pojutrze 9:00",
    )
    assert made.created is not None, made.text
    number = made.created.id
    for someone in (MELA, OLEK, IKA):
        for path, args in (
            ("event rsvp", {"event": number, "answer": "going"}),
            ("event info", {"event": number}),
            ("event ics", {"event": number}),
        ):
            reply = await run(world, someone, path, args)
            assert reply.text == f"Nie znam wydarzenia „{number}”. Listę pokazuje /event list."
        assert "Zebranie Jura" not in shows(await run(world, someone, "event list", {}))
    for manager in (INA, MOD):
        assert "Zebranie Jura" in shows(await run(world, manager, "event info", {"event": number}))
        told = await run(world, manager, "event rsvp", {"event": number, "answer": "going"})
        assert "nie zostało jeszcze ogłoszone" in told.text


async def test_from_a_direct_message_only_members_reach_the_content(world: World) -> None:
    """Offers and reminders are pressed in DMs, which have no server: membership decides."""
    in_dm = replace(request(MELA), guild_id="test:dm")
    joined = await world.app.dispatcher.press(in_dm, "signup:join:1:1")
    assert joined.text.startswith("Zapisano"), joined.text
    outsider = replace(request(OLEK), guild_id="test:dm")
    refused = await world.app.dispatcher.press(outsider, "signup:join:1:1")
    assert refused.text == "Nie znam arkusza „1”. Podaj jego numer albo tytuł."
    # A moderator is known as one in a DM too (granted roles are in the database).
    moderator = replace(request(MOD), guild_id="test:dm")
    served = await world.app.dispatcher.press(moderator, "signup:join:1:1")
    assert served.text.startswith("Zapisano"), served.text
    elsewhere = replace(request(MELA), guild_id="test:other")
    forged = await world.app.dispatcher.press(elsewhere, "signup:leave:1:1")
    assert forged.text == "Nie znam arkusza „1”. Podaj jego numer albo tytuł."


async def test_a_group_panels_transcript_stays_in_the_group(world: World) -> None:
    ended = await world.say("panel end", actor=INA, channel=JURA, panel="1")
    assert "#jura" in ended.text, ended.text
    assert world.front.forum_posts == [] or all(
        "Panel Jura" not in shows(p.reply) for p in world.front.forum_posts
    )
    assert any(s.to == JURA.id and s.reply.files for s in world.front.sent)


async def test_a_reminder_for_the_groups_channel_is_its_authors_and_initiators(
    world: World,
) -> None:
    """Reminders for a group's channel were already stricter than the rule: their author,
    the group's initiators and moderators list them; someone else's number is unknown."""
    made = await world.say(
        "remind channel", actor=INA, channel=JURA, when="jutro 9:00", what="Zebranie Jura"
    )
    assert made.created is not None, made.text
    for outsider in (OLEK, MELA, IKA):
        listed = await world.say("remind list", actor=outsider, clashing={"channel": JURA})
        assert "Zebranie Jura" not in listed.text
        # Said why, and where their own are: not who may set a channel's reminders.
        assert listed.text.startswith("Przypomnienia kanału #jura widzą moderatorzy, a "), (
            listed.text
        )
        gone = await run(world, outsider, "remind cancel", {"id": made.created.id})
        assert gone.text.startswith("Nie znalazłem Twojego przypomnienia #"), gone.text
    listed = await world.say("remind list", actor=INA, clashing={"channel": JURA})
    assert "Zebranie Jura" in listed.text


async def test_content_made_before_the_rule_gets_the_group_of_its_channel(tmp_path: Path) -> None:
    """The migration fills the group of sheets, polls and panels already made: the group
    whose channel they were posted in (a learning programme's sheet stays public)."""
    path = tmp_path / "old.sqlite3"
    ours = next(m for m in migrations() if m.name.endswith("_visibility.sql"))
    with sqlite3.connect(path) as conn:
        for migration in migrations():
            if migration.version < ours.version:
                conn.executescript(migration.sql)
        conn.execute(f"PRAGMA user_version = {ours.version - 1}")
        conn.execute(
            "INSERT INTO groups (id, guild_id, name, name_key, city, region, country, lat, lon, "
            "channel_id, created_by, created_at) VALUES (1, 'test:guild', 'Jura', 'jura', "
            "'Zawiercie', 'śląskie', 'PL', 50.5, 19.4, 'channel:1', 'test:admin', '2026-01-01')"
        )
        for sheet_id, channel in ((1, "channel:1"), (2, "test:#general"), (3, "channel:1")):
            conn.execute(
                "INSERT INTO signup_sheets (id, guild_id, title, title_key, channel_id, "
                "channel_name, capacity, timezone, created_by, created_at) VALUES "
                f"({sheet_id}, 'test:guild', 'S{sheet_id}', 's{sheet_id}', ?, 'x', 3, "
                "'Europe/Warsaw', 'test:ina', '2026-01-01')",
                (channel,),
            )
        conn.execute(
            "INSERT INTO learning_programs (guild_id, name, name_key, themes, starts_at, "
            "ends_at, sheet_id, timezone, created_by, created_at) VALUES ('test:guild', 'L', "
            "'l', '[]', '2026-01-01', '2026-02-01', 3, 'Europe/Warsaw', 'test:mod', '2026-01-01')"
        )
        conn.execute(
            "INSERT INTO polls (guild_id, kind, question, channel_id, channel_name, platform, "
            "created_by, created_at) VALUES ('test:guild', 'quick', 'Q', 'channel:1', 'jura', "
            "'test', 'test:ina', '2026-01-01')"
        )
        conn.execute(
            "INSERT INTO panels (guild_id, topic, channel_id, channel_name, starts_at, remind_at, "
            "duration_s, turn_s, moderator_id, moderator_name, timezone, created_by, created_at) "
            "VALUES ('test:guild', 'P', 'test:#general', 'general', '2026-01-02', '2026-01-02', "
            "3600, 180, 'test:mod', 'Mod', 'Europe/Warsaw', 'test:mod', '2026-01-01')"
        )
    db = await Database.open(path)
    try:
        sheets = await db.fetchall("SELECT id, group_id FROM signup_sheets ORDER BY id")
        assert [tuple(r) for r in sheets] == [(1, 1), (2, None), (3, None)]
        assert tuple(await db.fetchone("SELECT group_id FROM polls")) == (1,)
        assert tuple(await db.fetchone("SELECT group_id FROM panels")) == (None,)
    finally:
        await db.close()


# -- another server ---------------------------------------------------------------------------

STRANGER = UserRef("test:stranger", "Stranger")


def elsewhere() -> Request:
    """The admin of another server the bot is in: no rank there reaches this server."""
    return Request("test", "test:elsewhere", GENERAL, Actor(STRANGER, is_admin=True))


@pytest.mark.parametrize("path", sorted(COMMANDS))
async def test_another_servers_admin_finds_none_of_it(world: World, path: str) -> None:
    case = COMMANDS[path]
    ref = ref_of(case)
    dispatcher = world.app.dispatcher
    missing = await dispatcher.run(elsewhere(), path, with_ref(case, MISSING))
    before = await state(world)
    hidden = await dispatcher.run(elsewhere(), path, with_ref(case, ref))
    assert hidden.text == missing.text.replace(quoted(MISSING), quoted(ref)), hidden.text
    assert not leaked(hidden) and not hidden.files
    assert await state(world) == before


@pytest.mark.parametrize("button", sorted(BUTTONS))
async def test_another_servers_admin_presses_dead_buttons(world: World, button: str) -> None:
    custom_id = button.format(**BUTTON_IDS)
    absent = button.format(**dict.fromkeys(BUTTON_IDS, MISSING))
    number = next(v for k, v in BUTTON_IDS.items() if "{" + k + "}" in button)
    missing = await world.app.dispatcher.press(elsewhere(), absent)
    before = await state(world)
    hidden = await world.app.dispatcher.press(elsewhere(), custom_id)
    assert hidden.text == missing.text.replace(quoted(MISSING), quoted(number)), hidden.text
    assert not leaked(hidden) and not hidden.files
    assert await state(world) == before


async def test_a_groups_sheet_title_is_no_hint_to_others(world: World) -> None:
    """Another group's initiator may use the same title: a taken title would tell them
    the hidden sheet exists. A moderator who sees both is asked which one."""
    pilica = ChannelRef("channel:2", "pilica")
    made = await world.say(
        "signup create",
        actor=IKA,
        channel=pilica,
        title="Dyżur Jura",
        slots="jutro 14:00",
        capacity=2,
    )
    assert made.created is not None, made.text
    asked = await world.say("signup status", actor=MOD, sheet="Dyżur Jura")
    assert asked.text.startswith("„Dyżur Jura” pasuje do kilku arkuszy:"), asked.text
    own = await world.say("signup status", actor=IKA, sheet="Dyżur Jura")
    assert "Dyżur Jura" in own.text and "pasuje do kilku" not in own.text


async def test_leaving_the_group_gives_up_its_seats_and_answers(world: World) -> None:
    """Mela could not reach the sheet or the event any more, so her seat and her answer
    go with her: the seat is offered on, the counts drop."""
    joined = await world.say("signup join", actor=MELA, sheet="1", slot=1)
    assert "Zapisano" in joined.text, joined.text
    answered = await world.say("event rsvp", actor=MELA, event="1", answer="going")
    assert "będziesz" in answered.text, answered.text

    await world.say("group leave", actor=MELA, name="Jura")

    status = await world.say("signup status", actor=INA, sheet="1")
    assert "Mela" not in shows(status)
    attendees = await world.say("event attendees", actor=INA, event="1")
    assert "Mela" not in shows(attendees)
    again = await world.say("group join", actor=MELA, name="Jura")
    assert "Jura" in again.text
    rejoined = await world.say("signup join", actor=MELA, sheet="1", slot=1)
    assert "Zapisano" in rejoined.text, rejoined.text
