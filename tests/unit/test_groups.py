"""Local groups through the core, as users would drive them: create, join, approve, near,
list, meetings that rotate, archive, a deleted channel, and bad input."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator, Awaitable
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from PIL import Image

from bot.dispatch import Request
from bot.errors import UserError
from bot.groups.model import Group, Member, MemberStatus
from bot.ports import Access, DeliveryFailed
from bot.refs import Actor, ChannelRef
from bot.timelang.repetition import MEETINGS, parse
from tests.helpers.clock import WARSAW, warsaw
from tests.helpers.world import ADMIN, ANNA, EWA, GENERAL, JAN, World


@pytest.fixture
async def world(tmp_path: Path) -> AsyncIterator[World]:
    w = await World.open(tmp_path / "g.sqlite3")
    yield w
    await w.app.close()


async def create(
    world: World, name: str = "Jura", city: str = "Zawiercie", **extra: object
) -> None:
    reply = await world.say("group create", actor=ADMIN, name=name, city=city, **extra)
    assert reply.created is not None, reply.text


async def test_an_admin_creates_a_group_with_a_channel_role_and_welcome(world: World) -> None:
    reply = await world.say(
        "group create",
        actor=ADMIN,
        name="Jura",
        city="Zawiercie",
        initiator=EWA,
        description="Biblioteki Jury Krakowsko-Częstochowskiej",
    )
    assert reply.created is not None and reply.created.type == "group"
    assert "Zawiercie (śląskie, PL)" in reply.text
    [(name, channel, category, managers)] = world.front.spaces
    assert (name, channel, category, managers) == ("Jura", "jura", "Grupy", (EWA.id,))
    assert world.front.roles[EWA.id] == {"role:1"}  # the initiator holds the group's role
    [welcome] = world.posts("channel:1")
    assert "Witajcie w grupie **Jura**" in welcome.text
    info = await world.say("group info", name="jura")
    fields = {f.name: f.value for f in info.embeds[0].fields}
    assert fields["Inicjatorzy"] == "Ewa" and fields["Członkowie"] == "1"


async def test_names_are_unique_without_case_and_diacritics(world: World) -> None:
    await create(world, "Łazy i okolice", "Łazy")
    again = await world.say("group create", actor=ADMIN, name="lazy I OKOLICE", city="Pilica")
    assert "już istnieje" in again.text and again.created is None
    assert len(await world.app.groups.directory.all("test:guild")) == 1


async def test_a_moderator_creates_groups_and_an_initiator_runs_only_their_own(
    world: World,
) -> None:
    """A new group goes through the moderators: neither a director nor an initiator (of
    another group, or by a proposal approved once) makes one without review."""
    refused = await world.say("group create", actor=ANNA, name="X", city="Pilica")
    assert refused.text.startswith("Do tego potrzebna jest rola: moderator.")
    await world.say("role grant", actor=ADMIN, user=JAN, role="initiator")
    again = await world.say("group create", actor=JAN, name="Pilica", city="Pilica")
    assert again.text.startswith("Do tego potrzebna jest rola: moderator.")
    assert again.created is None and world.front.spaces == []
    await world.say("role grant", actor=ADMIN, user=EWA, role="moderator")
    # Naming someone else its initiator is an admin's, as /group initiator add is.
    named = await world.say("group create", actor=EWA, name="Pilica", city="Pilica", initiator=JAN)
    assert named.text.startswith("Innej osobie rolę inicjatora nadaje administrator")
    assert named.created is None
    made = await world.say("group create", actor=ADMIN, name="Pilica", city="Pilica", initiator=JAN)
    assert made.created is not None
    group = await world.app.groups.directory.get("test:guild", "Pilica")
    assert await world.app.groups.directory.is_initiator(group, JAN.id)
    assert not await world.app.groups.directory.is_initiator(group, ADMIN.id)
    # Without initiator: the moderator runs the group they made.
    own = await world.say("group create", actor=EWA, name="Mazury", city="Giżycko")
    assert own.created is not None
    mazury = await world.app.groups.directory.get("test:guild", "Mazury")
    assert await world.app.groups.directory.is_initiator(mazury, EWA.id)
    # Jan runs Pilica, and only Pilica.
    edited = await world.say("group edit", actor=JAN, name="Pilica", description="x")
    assert edited.text.startswith("Zapisano zmiany grupy **Pilica**")
    other = await world.say("group edit", actor=JAN, name="Mazury", description="x")
    assert other.text == "Grupą „Mazury” zarządzają jej inicjatorzy i administratorzy."


async def test_a_moderator_is_told_when_the_town_already_has_a_group(world: World) -> None:
    """The same check as a proposal's, but a warning: a big city may want two groups."""
    await create(world)
    await world.say("role grant", actor=ADMIN, user=EWA, role="moderator")
    made = await world.say("group create", actor=EWA, name="Jura Bis", city="Łazy")
    assert made.created is not None
    assert made.text.splitlines()[-1] == (
        "⚠️ Łazy ma już grupę: **Jura** spotyka się w miejscowości Zawiercie, 7 km stąd. "
        "W dużym mieście dwie grupy mają sens; jeśli ta powstała przez pomyłkę, zamknij ją: "
        '/group archive name:"Jura Bis"'
    )
    far = await world.say("group create", actor=EWA, name="Mazury", city="Giżycko")
    assert far.created is not None and "⚠️" not in far.text


async def test_unknown_towns_get_did_you_mean(world: World) -> None:
    reply = await world.say("group create", actor=ADMIN, name="Jura", city="Kroczyse")
    assert "Czy chodzi o:" in reply.text and "Kroczyce" in reply.text
    assert world.front.spaces == []


async def test_open_join_leave_and_their_repeats(world: World) -> None:
    await create(world)
    assert "Witaj w grupie **Jura**" in (await world.say("group join", name="Jura")).text
    assert ANNA.id in world.front.roles and world.front.roles[ANNA.id] == {"role:1"}
    assert "Już należysz" in (await world.say("group join", name="jura")).text
    rows = await world.app.db.fetchall("SELECT * FROM group_members WHERE user_id = ?", (ANNA.id,))
    assert len(rows) == 1
    assert "Nie należysz już do grupy" in (await world.say("group leave", name="Jura")).text
    assert world.front.roles[ANNA.id] == set()
    assert "Nie należysz" in (await world.say("group leave", name="Jura")).text


async def test_the_platform_is_told_a_leaver_left_at_their_own_request(world: World) -> None:
    """On Matrix the bot must remove the person from the room; the reason says why."""
    await create(world)
    await world.say("group join", name="Jura")
    await world.say("settings language", language="en")
    await world.say("group leave", name="Jura")
    assert world.front.role_reasons == [
        (ANNA.id, "role:1", "Left the group Jura at their own request")
    ]


async def test_joining_by_approval(world: World) -> None:
    await create(world, initiator=EWA, join="approval")
    assert "Wysłano prośbę" in (await world.say("group join", name="Jura")).text
    assert "już czeka" in (await world.say("group join", name="Jura")).text
    request = world.posts("channel:1")[-1]
    assert request.text == "Anna chce dołączyć do grupy **Jura**."
    approve, decline = (b.custom_id for b in request.buttons)
    assert approve == f"group:approve:1:{ANNA.id}" and decline == f"group:decline:1:{ANNA.id}"
    refused = await world.press(approve, actor=JAN)
    assert refused.text.startswith("Do tego potrzebna jest rola: inicjator.")
    done = await world.press(approve, actor=EWA)
    assert done.text == "Anna należy teraz do grupy **Jura**."
    assert world.dms(ANNA)[-1].text.startswith("Przyjęto Cię do grupy **Jura**")
    assert "już rozpatrzona" in (await world.press(decline, actor=EWA)).text


@pytest.mark.parametrize(
    ("language", "refused"),
    [
        ("pl", "Nie ma prośby osoby Jan o dołączenie do grupy **Jura**, która czekałaby"),
        ("en", "There is no request from Jan to join **Jura** waiting for a decision"),
        ("nl", "Er wacht geen verzoek van Jan om lid te worden van **Jura** op een"),
        ("bg", "Няма молба от Jan за присъединяване към **Jura**, която да чака решение"),
    ],
)
async def test_deciding_on_someone_who_never_asked_is_refused_and_not_audited(
    world: World, language: str, refused: str
) -> None:
    await create(world, initiator=EWA, join="approval")
    await world.say("settings language", actor=EWA, language=language)
    for path in ("group approve", "group decline"):
        reply = await world.say(path, actor=EWA, name="Jura", user=JAN)
        assert reply.refused and reply.text.startswith(refused), reply.text
    audited = "SELECT action FROM audit_log WHERE action IN ('group approve', 'group decline')"
    assert await world.app.db.fetchall(audited) == []
    assert JAN.id not in world.front.roles
    await world.say("group join", actor=JAN, name="Jura")
    await world.say("group approve", actor=EWA, name="Jura", user=JAN)
    assert [r[0] for r in await world.app.db.fetchall(audited)] == ["group approve"]


async def test_declining_by_command(world: World) -> None:
    await create(world, initiator=EWA, join="approval")
    await world.say("group join", actor=JAN, name="Jura")
    done = await world.say("group decline", actor=EWA, name="Jura", user=JAN)
    assert done.text.startswith("Odrzucono prośbę osoby Jan")
    assert "nie została przyjęta" in world.dms(JAN)[-1].text
    assert (
        await world.app.db.fetchall("SELECT * FROM group_members WHERE user_id = ?", (JAN.id,))
        == []
    )


async def test_groups_near_a_place_nearest_first(world: World) -> None:
    await create(world, "Jura", "Zawiercie")
    await create(world, "Beskidy", "Andrychów")
    await create(world, "Gdańsk", "Gdańsk")
    reply = await world.say("group near", place="Lazy")
    lines = reply.text.splitlines()
    assert "Łazy" in lines[0]
    assert [line.split("**")[1] for line in lines[1:]] == ["Jura"]
    wider = await world.say("group near", place="Łazy", radius_km=120)
    assert [line.split("**")[1] for line in wider.text.splitlines()[1:]] == ["Jura", "Beskidy"]
    far = await world.say("group near", place="Suwałki")
    assert "nie ma jeszcze grupy" in far.text
    assert [b.custom_id for b in far.buttons] == ["group:guide"]
    guide = await world.press("group:guide")
    assert "##" in guide.text and "/group near" in guide.text


async def test_the_list_is_grouped_by_region_and_paginated(world: World) -> None:
    towns = [
        "Zawiercie",
        "Pilica",
        "Kroczyce",
        "Łazy",
        "Andrychów",
        "Kraków",
        "Gdańsk",
        "Poznań",
        "Lublin",
        "Toruń",
        "Opole",
        "Rzeszów",
    ]
    for i, town in enumerate(towns):
        await create(world, f"Grupa {i:02d}", town)
    first = await world.say("group list")
    embed = first.embeds[0]
    assert embed.title == "12 grup lokalnych"
    assert embed.footer == "Strona 1 z 2"
    assert [b.custom_id for b in first.buttons] == ["group:list:2"]
    second = await world.press("group:list:2")
    assert second.embeds[0].footer == "Strona 2 z 2"
    silesia = await world.say("group list", region="slaskie")
    assert {f.name for f in silesia.embeds[0].fields} == {"śląskie (PL)"}


async def test_a_region_is_found_by_any_of_its_names(world: World) -> None:
    await create(world, "Kraków Czyta", "Kraków")
    await create(world, "Den Haag Leest", "Den Haag")
    await create(world, "Пловдив чете", "Plovdiv")
    for name in ("małopolskie", "Małopolska", "Lesser Poland", "Klein-Polen", "Малополско"):
        reply = await world.say("group list", region=name)
        assert [f.name for f in reply.embeds[0].fields] == ["małopolskie (PL)"], name
        assert "Kraków Czyta" in reply.embeds[0].fields[0].value
    for name, region in (("South Holland", "Zuid-Holland (NL)"), ("Plovdiv", "Пловдив (BG)")):
        reply = await world.say("group list", region=name)
        assert [f.name for f in reply.embeds[0].fields] == [region]
    shown = await world.say("group map", region="Lesser Poland")
    assert "(małopolskie)" in shown.text  # the region's proper name, not as typed
    typed = [c.value for c in await world.app.dispatcher.complete(
        world._request(ANNA, GENERAL), "group list", "region", "lesser"
    )]  # fmt: skip
    assert typed == ["małopolskie"]


async def test_a_region_without_groups_and_an_unknown_region_say_so(world: World) -> None:
    await create(world, "Kraków Czyta", "Kraków")
    none_yet = await world.say("group list", region="Mazowsze")
    assert none_yet.text.startswith("W regionie mazowieckie nie ma jeszcze żadnej grupy.")
    unknown = await world.say("group list", region="Bawaria")
    assert unknown.text.startswith("Nie znam regionu „Bawaria”.")
    await world.say("settings language", language="en")
    in_english = await world.say("group list", region="Masovia")
    assert in_english.text.startswith("There are no groups in mazowieckie yet.")
    map_unknown = await world.say("group map", region="Atlantis")
    assert map_unknown.text.startswith("I don't know the region “Atlantis”.")


@pytest.mark.parametrize(
    ("locale", "every"),
    [
        ("pl", "co 3 miesiące"),
        ("en", "every 3 months"),
        ("nl", "elke 3 maanden"),
        ("bg", "на всеки 3 месеца"),
    ],
)
async def test_a_plan_without_every_or_dates_shows_an_every_that_works(
    world: World, locale: str, every: str
) -> None:
    await create(world, initiator=EWA)
    await world.say("settings language", actor=EWA, language=locale)
    refused = await world.say("group meeting plan", actor=EWA, name="Jura", hosts="Łazy")
    assert f'every:"{every}"' in refused.text, refused.text  # in the reader's words
    assert parse(every, allowed=MEETINGS, today=date(2026, 1, 15)).interval == 3


async def test_meetings_rotate_between_libraries_with_a_reminder_the_day_before(
    world: World,
) -> None:
    await create(world, initiator=EWA)
    await world.say("group join", name="Jura")
    planned = await world.say(
        "group meeting plan",
        actor=EWA,
        name="Jura",
        hosts="Łazy; Pilica; Kroczyce; Andrychów",
        first="za 13 dni 10:00",
        every="3 months",
        topic="Budżet 2027",
    )
    assert "Łazy → Pilica → Kroczyce → Andrychów" in planned.text
    announcement = world.posts("channel:1")[-1]
    assert "gospodarz: Łazy" in announcement.text and "Budżet 2027" in announcement.text
    await world.app.advance(timedelta(days=12))  # to the day before, 10:00
    reminders = [r.text for r in world.dms(ANNA)]
    assert reminders and reminders[-1].startswith("Jutro spotkanie grupy **Jura**")
    await world.app.advance(timedelta(days=2))
    nxt = await world.say("group meeting next", name="Jura")
    assert "gospodarz: Pilica" in nxt.text
    meeting = await world.app.groups.meetings.next_meeting(
        await world.app.groups.directory.get("test:guild", "Jura")
    )
    assert meeting is not None
    first = warsaw(13, 10).astimezone(WARSAW)
    assert meeting.starts_at == first.replace(month=first.month + 3)  # 10:00, in summer time


@pytest.mark.parametrize(
    ("language", "ask", "unchanged"),
    [
        ("pl", "Grupa **Jura** ma już plan spotkań", "Ten plan spotkań grupy **Jura** już"),
        ("en", "**Jura** already has a meeting plan", "This meeting plan for **Jura** is"),
        ("nl", "**Jura** heeft al een vergaderplan", "Dit vergaderplan van **Jura** geldt"),
        ("bg", "**Jura** вече има план за срещи", "Този план за срещи на **Jura** вече"),
    ],
)
async def test_a_plan_in_force_is_replaced_only_when_confirmed_and_never_announced_twice(
    world: World, language: str, ask: str, unchanged: str
) -> None:
    await create(world, initiator=EWA)
    await world.say("settings language", actor=EWA, language=language)
    plan = {
        "name": "Jura",
        "hosts": "Łazy; Pilica",
        "first": "2 kwietnia 10:00",
        "every": "3 months",
    }
    await world.say("group meeting plan", actor=EWA, **plan)
    announced = len(world.posts("channel:1"))
    again = await world.say("group meeting plan", actor=EWA, **plan)
    assert again.ephemeral and again.text.startswith(unchanged), again.text
    confirmed_again = await world.say("group meeting plan", actor=EWA, confirm="yes", **plan)
    assert confirmed_again.text.startswith(unchanged)
    other = {**plan, "hosts": "Pilica; Łazy"}
    asked = await world.say("group meeting plan", actor=EWA, **other)
    assert asked.text.startswith(ask) and "confirm:yes" in asked.text, asked.text
    assert len(world.posts("channel:1")) == announced  # nothing said, nothing replaced
    group = await world.app.groups.directory.get("test:guild", "Jura")
    kept = await world.app.groups.meetings.next_meeting(group)
    assert kept is not None and kept.host == "Łazy"
    replaced = await world.say("group meeting plan", actor=EWA, confirm="yes", **other)
    assert "Pilica → Łazy" in replaced.text
    assert len(world.posts("channel:1")) == announced + 1
    now = await world.app.groups.meetings.next_meeting(group)
    assert now is not None and now.host == "Pilica"
    statuses = await world.app.db.fetchall("SELECT status FROM meetings ORDER BY id")
    assert [r[0] for r in statuses] == ["cancelled", "planned"]


@pytest.mark.parametrize(
    ("language", "healthy", "unverified"),
    [
        ("pl", "Kanał i rola grupy **Jura** są na miejscu", "Nie udało się teraz sprawdzić"),
        ("en", "The channel and role of **Jura** are in place", "I couldn't check right now"),
        ("nl", "Het kanaal en de rol van **Jura** zijn er", "Ik kon nu niet nagaan"),
        ("bg", "Каналът и ролята на **Jura** са на мястото си", "Не успях да проверя сега"),
    ],
)
async def test_repair_asks_the_platform_and_remakes_what_was_deleted_while_away(
    world: World, language: str, healthy: str, unverified: str
) -> None:
    await create(world, initiator=EWA)
    await world.say("group join", name="Jura")
    await world.say("settings language", actor=EWA, language=language)
    assert (await world.say("group repair", actor=EWA, name="Jura")).text.startswith(healthy)
    world.front.transient_failures = 1  # the platform cannot say: nothing is touched
    down = await world.say("group repair", actor=EWA, name="Jura")
    assert down.refused and down.text.startswith(unverified)
    assert len(world.front.spaces) == 1
    # Deleted on the platform while the bot was offline: no event ever came.
    world.front.gone.add("channel:1")
    repaired = await world.say("group repair", actor=EWA, name="Jura")
    assert not repaired.refused and len(world.front.spaces) == 2, repaired.text
    group = await world.app.groups.directory.get("test:guild", "Jura")
    # Only what is gone is made again: the role stays, and so would a channel.
    assert (group.channel_id, group.role_id) == ("channel:2", "role:1")
    assert world.front.roles[ANNA.id] >= {"role:1"}
    assert (await world.say("group repair", actor=EWA, name="Jura")).text.startswith(healthy)
    world.front.gone.add("role:1")
    await world.say("group repair", actor=EWA, name="Jura")
    group = await world.app.groups.directory.get("test:guild", "Jura")
    assert (group.channel_id, group.role_id) == ("channel:2", "role:3")
    assert world.front.roles[ANNA.id] >= {"role:3"}  # members get the new role
    assert (await world.say("group repair", actor=EWA, name="Jura")).text.startswith(healthy)


async def test_skip_and_swap(world: World) -> None:
    await create(world, initiator=EWA)
    await world.say(
        "group meeting plan",
        actor=EWA,
        name="Jura",
        hosts="Łazy; Pilica; Kroczyce",
        dates="2 kwietnia 10:00; 4 czerwca 10:00; 3 września 10:00",
    )
    swapped = await world.say("group meeting swap", actor=EWA, name="Jura")
    assert "gospodarz: Pilica" in swapped.text
    skipped = await world.say("group meeting skip", actor=EWA, name="Jura")
    # Which meeting was skipped (April's), and the same host at the next date (June).
    lines = skipped.text.splitlines()
    assert lines[0] == "Pominięto spotkanie grupy **Jura**:"
    april, june = (
        int(datetime(2026, m, d, 10, tzinfo=WARSAW).timestamp()) for m, d in ((4, 2), (6, 4))
    )
    assert lines[1].startswith(f"📅 <t:{april}:F>") and "gospodarz: Pilica" in lines[1]
    assert lines[2] == "Gospodarz tego spotkania (Pilica) przyjmie grupę w kolejnym terminie:"
    assert lines[3].startswith(f"📅 <t:{june}:F>") and "gospodarz: Pilica" in lines[3]
    group = await world.app.groups.directory.get("test:guild", "Jura")
    meeting = await world.app.groups.meetings.next_meeting(group)
    assert meeting is not None and meeting.starts_at.month == 6
    refused = await world.say("group meeting skip", actor=ANNA, name="Jura")
    assert refused.text.startswith("Do tego potrzebna jest rola: inicjator.")


async def test_archive_keeps_data_and_closes_the_door(world: World) -> None:
    await create(world)
    await world.say("group join", actor=JAN, name="Jura")
    assert (
        "trafiła do archiwum" in (await world.say("group archive", actor=ADMIN, name="Jura")).text
    )
    assert world.front.archived == {"channel:1"}
    assert "jest w archiwum" in (await world.say("group join", name="Jura")).text
    assert (
        "jest już w archiwum" in (await world.say("group archive", actor=ADMIN, name="Jura")).text
    )
    members = await world.say("group members", name="Jura")
    assert "Jan" in members.text


async def test_a_deleted_channel_is_noticed_and_can_be_recreated(world: World) -> None:
    await create(world, initiator=EWA)
    await world.say("group join", name="Jura")
    # While the channel and role are there, repairing would only double them.
    healthy = await world.say("group repair", actor=EWA, name="Jura")
    assert healthy.text == "Kanał i rola grupy **Jura** są na miejscu — nie ma czego naprawiać."
    assert len(world.front.spaces) == 1
    await world.app.groups.management.platform_gone(channel_id="channel:1")
    notice = world.dms(EWA)[-1]
    assert "zostały usunięte" in notice.text
    [repair] = notice.buttons
    assert repair.custom_id == "group:repair:1"
    made = await world.press(repair.custom_id, actor=EWA)
    assert made.created is not None and len(world.front.spaces) == 2
    # The role was not deleted: it stays, members keep it, the new channel lets it in.
    group = await world.app.groups.directory.get("test:guild", "Jura")
    assert (group.channel_id, group.role_id) == ("channel:2", "role:1")
    assert world.front.roles[ANNA.id] >= {"role:1"}


async def test_a_platform_failure_leaves_no_half_made_group(world: World) -> None:
    world.front.transient_failures = 1
    reply = await world.say("group create", actor=ADMIN, name="Jura", city="Zawiercie")
    assert "Zarządzanie kanałami" in reply.text
    assert await world.app.db.fetchall("SELECT * FROM groups") == []
    await create(world)  # and the name is free again


async def test_user_text_is_inert(world: World) -> None:
    # A name that reads as a mention is refused, and the refusal shows it inert.
    refused = await world.say(
        "group create", actor=ADMIN, name="@everyone **Jura**", city="Zawiercie"
    )
    assert refused.created is None and "@everyone" not in refused.text
    await create(world, "**Jura** _Zawiercie_", "Zawiercie")
    reply = await world.say("group info", name="**Jura** _Zawiercie_")
    assert "\\*\\*" in reply.embeds[0].title and "\\_" in reply.embeds[0].title


async def test_profiles_show_in_member_lists(world: World) -> None:
    await create(world)
    saved = await world.say("profile set", library="MBP Łazy", town="Łazy")
    assert "MBP Łazy" in saved.text
    await world.say("group join", name="Jura")
    members = await world.say("group members", name="Jura")
    assert "Anna — MBP Łazy · Łazy" in members.text
    shown = await world.say("profile show")
    assert "grupy: Jura" in shown.text


async def test_the_map_is_a_png(world: World) -> None:
    empty = await world.say("group map")
    assert empty.files == () and empty.ephemeral  # no empty map posted for everyone
    assert empty.text.startswith("Nie ma jeszcze żadnej grupy")
    await create(world)
    reply = await world.say("group map")
    [png] = reply.files
    assert png.filename.endswith(".png")
    assert Image.open(io.BytesIO(png.data)).size[0] > 500
    # Posted for everyone: in the server's language, whoever asks.
    await world.say("settings language", language="en")
    asked_in_english = await world.say("group map")
    assert asked_in_english.text == reply.text and not asked_in_english.ephemeral


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3 months", "FREQ=MONTHLY;INTERVAL=3"),
        ("co 3 miesiące", "FREQ=MONTHLY;INTERVAL=3"),
        ("every 6 weeks", "FREQ=WEEKLY;INTERVAL=6"),
        ("co kwartał", "FREQ=MONTHLY;INTERVAL=3"),
        ("monthly", "FREQ=MONTHLY"),
        ("elke 2 maanden", "FREQ=MONTHLY;INTERVAL=2"),
        ("на 3 месеца", "FREQ=MONTHLY;INTERVAL=3"),
        ("w pierwszy czwartek miesiąca", "FREQ=MONTHLY;BYDAY=1TH"),
    ],
)
def test_meeting_intervals(text: str, expected: str) -> None:
    assert parse(text, allowed=MEETINGS, today=date(2026, 3, 1)).body() == expected


@pytest.mark.parametrize("text", ["sometimes", "co 3 dni", "twice a month"])
def test_a_nonsense_or_too_frequent_interval_is_refused(text: str) -> None:
    with pytest.raises(UserError):
        parse(text, allowed=MEETINGS, today=date(2026, 3, 1))


async def test_a_forged_button_cannot_reach_another_servers_group(world: World) -> None:
    await create(world, initiator=EWA, join="approval")
    await world.say("group join", actor=JAN, name="Jura")
    other_admin = Request("test", "test:other-guild", GENERAL, Actor(ADMIN, is_admin=True))
    reply = await world.app.dispatcher.press(other_admin, f"group:approve:1:{JAN.id}")
    assert reply.text.startswith("Do tego potrzebna jest rola") or "zarządzają" in reply.text
    group = await world.app.groups.directory.get("test:guild", "Jura")
    members = {m.user_id: m.status.value for m in await world.app.groups.directory.members(group)}
    assert members[JAN.id] == "pending"


async def test_an_initiator_reminds_their_groups_channel_only(world: World) -> None:
    await create(world, initiator=EWA)
    jura = ChannelRef("channel:1", "jura")
    made = await world.say(
        "remind channel", actor=EWA, channel=jura, when="za 5 minut", what="Kawa!"
    )
    assert made.created is not None
    elsewhere = await world.say("remind channel", actor=EWA, when="za 5 minut", what="x")
    assert elsewhere.text.startswith("Inicjator przypomina na kanale swojej grupy")
    await world.app.advance(timedelta(minutes=5))
    assert world.posts("channel:1")[-1].text == "⏰ Przypomnienie: Kawa!"


async def test_leaving_the_channel_on_the_platform_is_leaving_the_group(world: World) -> None:
    await world.say("group create", actor=ADMIN, name="Jura", city="Zawiercie")
    await world.say("group join", actor=ANNA, name="Jura")
    group = await world.app.groups.directory.get("test:guild", "Jura")
    assert group is not None and group.channel_id is not None

    assert await world.app.groups.membership.left_channel(group.channel_id, ANNA.id)
    assert ANNA.id not in {m.user_id for m in await world.app.groups.directory.members(group)}
    assert not await world.app.groups.membership.left_channel(group.channel_id, ANNA.id)
    assert not await world.app.groups.membership.left_channel("test:#elsewhere", ANNA.id)
    again = await world.say("group join", actor=ANNA, name="Jura")
    assert "Witaj w grupie" in again.text


async def test_a_request_withdrawn_and_forgotten_shows_no_raw_id(world: World) -> None:
    await world.say("group create", actor=ADMIN, name="Jura", city="Zawiercie", join="approval")
    await world.say("group join", actor=ANNA, name="Jura")
    await world.say("privacy forget", actor=ANNA, confirm="yes")
    group = await world.app.groups.directory.get("test:guild", "Jura")
    assert group is not None
    pressed = await world.press(f"group:approve:{group.id}:{ANNA.id}", actor=ADMIN)
    assert ANNA.id not in pressed.text
    assert pressed.text.startswith("Nie ma prośby osoby nieznanej z imienia o dołączenie")


async def test_leaving_while_only_asking_withdraws_the_request(world: World) -> None:
    await world.say("group create", actor=ADMIN, name="Pilica", city="Pilica", join="approval")
    await world.say("group join", actor=ANNA, name="Pilica")
    left = await world.say("group leave", actor=ANNA, name="Pilica")
    assert left.text == "Wycofano Twoją prośbę o dołączenie do grupy **Pilica**."


async def test_let_into_the_channel_by_hand_is_joining(world: World) -> None:
    """On Matrix a room moderator may let someone back into a group's room from their
    client: in an open group that makes a member; in a group by approval only a manager's
    doing does (a request waiting is then approved), anyone else's guest stays a guest."""
    membership = world.app.groups.membership
    await create(world, initiator=EWA)
    await create(world, "Pilica", "Pilica", initiator=EWA, join="approval")
    jura = await world.app.groups.directory.get("test:guild", "Jura")
    pilica = await world.app.groups.directory.get("test:guild", "Pilica")
    assert jura.channel_id is not None and pilica.channel_id is not None

    def members(group: Group) -> Awaitable[list[Member]]:
        return world.app.groups.directory.members(group)

    assert await membership.came_in(jura.channel_id, ANNA, by_manager=False)
    assert ANNA.id in {m.user_id for m in await members(jura)}
    assert not await membership.came_in(jura.channel_id, ANNA, by_manager=True)  # no change
    assert not await membership.came_in("test:#elsewhere", ANNA, by_manager=True)

    assert not await membership.came_in(pilica.channel_id, JAN, by_manager=False)
    assert JAN.id not in {m.user_id for m in await members(pilica)}
    # A guest in a group by approval's channel is shown out, told how to ask.
    [(who, role, reason)] = world.front.role_reasons
    assert (who, role) == (JAN.id, pilica.role_id) and "/group join name:Pilica" in reason
    await world.say("group join", actor=JAN, name="Pilica")
    assert await membership.came_in(pilica.channel_id, JAN, by_manager=True)
    [jan] = [m for m in await members(pilica) if m.user_id == JAN.id]
    assert jan.status is MemberStatus.MEMBER
    assert world.dms(JAN)[-1].text.startswith("Przyjęto Cię do grupy **Pilica**")


async def test_joining_says_truly_where_the_channel_stands(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The answer to /group join follows what the platform did: on Matrix an invitation
    is named only when one waits; someone already in the room is told so; a refused
    invitation (a ban) is not passed off as one waiting."""
    await create(world)
    joined = await world.say("group join", actor=ANNA, name="Jura")
    assert joined.text == "Witaj w grupie **Jura**! Kanał grupy: #jura."
    world.front.roles[JAN.id] = {"role:1"}
    present = await world.say("group join", actor=JAN, name="Jura")
    assert present.text == "Witaj w grupie **Jura**! Już jesteś na kanale grupy: #jura."

    async def invited(*_: object) -> Access:
        return Access.INVITED

    monkeypatch.setattr(world.front, "add_role", invited)
    again = await world.say("group join", actor=ANNA, name="Jura")
    assert again.text == (
        "Już należysz do grupy **Jura**. Zaproszenie na kanał grupy (#jura) czeka na Ciebie."
    )

    async def banned(*_: object) -> Access:
        raise DeliveryFailed("M_FORBIDDEN: banned", permanent=True)

    monkeypatch.setattr(world.front, "add_role", banned)
    refused = await world.say("group join", actor=EWA, name="Jura")
    assert refused.text.startswith("Witaj w grupie **Jura**! Nie udało mi się jednak wpuścić Cię")
    assert (await world.say("group join", name="Jura")).text == "Już należysz do grupy **Jura**."
