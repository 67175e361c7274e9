"""Sign-up sheets through the core: capacity, the FIFO waitlist, offers that run out,
opening and closing times, moderators' tools, CSV, permissions, deleted sheets, restarts,
and hundreds of people clicking at once."""

from __future__ import annotations

import asyncio
import csv
import io
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from unittest.mock import AsyncMock, MagicMock

import discord
import pytest

from bot.ports import DeliveryFailed
from bot.refs import ChannelRef, UserRef
from bot.replies import Button, Reply
from bot.roles import Role
from bot.signups.model import EntryStatus
from bot.visibility import Viewer
from cogs.ports import DiscordMessenger
from matrix.reactions import assign
from tests.helpers.clock import warsaw
from tests.helpers.world import ADMIN, ANNA, EWA, GENERAL, JAN, World

MOD = UserRef("test:mod", "Mod")
ZOSIA = UserRef("test:zosia", "Zosia")
SLOTS = "2026-03-27 10:00 | Budżet; 2026-04-03 10:00"
# Friday 27 March 2026, 10:00 in Warsaw (still winter time).
SLOT_1 = datetime(2026, 3, 27, 9, 0, tzinfo=UTC)


@pytest.fixture
async def world(tmp_path: Path) -> AsyncIterator[World]:
    w = await World.open(tmp_path / "s.sqlite3")
    await w.say("role grant", actor=ADMIN, user=MOD, role="moderator")
    yield w
    await w.app.close()


async def create(world: World, capacity: int = 2, **extra: object) -> int:
    options: dict[str, object] = {"title": "Superwizja", "slots": SLOTS, "capacity": capacity}
    options.update(extra)
    reply = await world.say("signup create", actor=MOD, **options)
    assert reply.created is not None, reply.text
    return int(reply.created.id)


def sheet_now(world: World) -> Reply:
    """What the posted sheet shows now: its last edit, or the post itself."""
    if world.front.edits:
        return world.front.edits[-1].reply
    return world.posts(GENERAL.id)[-1]


async def rows(world: World) -> list[tuple[str, int, str]]:
    found = await world.app.db.fetchall(
        "SELECT user_id, slot, status FROM signup_entries ORDER BY seq"
    )
    return [(r["user_id"], r["slot"], r["status"]) for r in found]


async def test_a_sheet_is_posted_with_counts_and_buttons_per_slot(world: World) -> None:
    reply = await world.say(
        "signup create", actor=MOD, title="Superwizja — luty", slots=SLOTS, capacity=2
    )
    assert reply.ephemeral and reply.created is not None and reply.created.type == "signup"
    assert "arkusz #1" in reply.text and "2 terminy" in reply.text
    [post] = world.posts(GENERAL.id)
    assert f"<t:{int(SLOT_1.timestamp())}:F>" in post.text and "Budżet" in post.text
    assert post.text.count("zajęte 0/2 · 2 wolne miejsca") == 2
    assert [b.custom_id for b in post.buttons] == [
        "signup:join:1:1",
        "signup:leave:1:1",
        "signup:join:1:2",
        "signup:leave:1:2",
    ]
    assert not any(b.disabled for b in post.buttons)
    row = await world.app.db.fetchone("SELECT message_channel_id, message_id FROM signup_sheets")
    assert row is not None and (row[0], row[1]) == (GENERAL.id, "1")


async def test_capacity_then_a_fifo_waitlist_with_positions(world: World) -> None:
    await create(world, capacity=1)
    first = await world.say("signup join", actor=ANNA, sheet="1", slot=1)
    assert first.text.startswith("Zapisano Cię na arkuszu **Superwizja**, termin 1")
    second = await world.press("signup:join:1:1", actor=JAN)
    assert "na pozycji 1" in second.text
    third = await world.say("signup join", actor=EWA, sheet="superwizja", slot=1)
    assert "na pozycji 2" in third.text
    assert await rows(world) == [
        (ANNA.id, 1, "confirmed"),
        (JAN.id, 1, "waitlisted"),
        (EWA.id, 1, "waitlisted"),
    ]
    sheet = sheet_now(world)
    assert "zajęte 1/1 · komplet · lista rezerwowa: 2 osoby" in sheet.text
    status = await world.say("signup status", actor=EWA, sheet="1")
    assert "lista rezerwowa, pozycja 2" in status.text
    assert "Kto się zapisał" not in status.text  # names are for the sheet's managers


async def test_a_freed_seat_is_offered_to_the_first_in_line_who_accepts(world: World) -> None:
    await create(world, capacity=1)
    await world.say("signup join", actor=ANNA, sheet="1", slot=1)
    await world.say("signup join", actor=JAN, sheet="1", slot=1)
    await world.say("signup join", actor=EWA, sheet="1", slot=1)
    left = await world.say("signup leave", actor=ANNA, sheet="1", slot=1)
    assert left.text == "Wypisano Cię z terminu 1 na arkuszu **Superwizja**."
    [offer] = world.dms(JAN)
    assert "Zwolniło się miejsce" in offer.text
    deadline = world.clock.now() + timedelta(hours=24)
    assert f"<t:{int(deadline.timestamp())}:F>" in offer.text
    assert [b.custom_id for b in offer.buttons] == ["signup:accept:1:1", "signup:decline:1:1"]
    assert "zajęte 1/1" in sheet_now(world).text  # the offer holds the seat
    assert (
        "na pozycji 1" not in (await world.say("signup join", actor=ZOSIA, sheet="1", slot=1)).text
    )
    accepted = await world.press("signup:accept:1:1", actor=JAN)
    assert accepted.text.startswith("Potwierdzone: masz miejsce")
    assert (await world.press("signup:accept:1:1", actor=JAN)).text.startswith("Nie ma propozycji")
    await world.app.advance(timedelta(days=2))
    assert world.dms(EWA) == []  # accepted in time: nothing passes on
    assert await rows(world) == [
        (JAN.id, 1, "confirmed"),
        (EWA.id, 1, "waitlisted"),
        (ZOSIA.id, 1, "waitlisted"),
    ]


async def test_an_unanswered_offer_passes_to_the_next_and_a_decline_too(world: World) -> None:
    await create(world, capacity=1)
    for user in (ANNA, JAN, EWA, ZOSIA):
        await world.say("signup join", actor=user, sheet="1", slot=1)
    await world.say("signup leave", actor=ANNA, sheet="1", slot=1)
    assert len(world.dms(JAN)) == 1 and world.dms(EWA) == []
    await world.app.advance(timedelta(hours=24) - timedelta(seconds=1))
    assert world.dms(EWA) == []
    await world.app.advance(timedelta(seconds=1))
    assert "minął; miejsce przeszło na następną osobę" in world.dms(JAN)[-1].text
    [offer] = world.dms(EWA)
    assert "Zwolniło się miejsce" in offer.text
    declined = await world.say("signup decline", actor=EWA, sheet="1", slot=1)
    assert "przechodzi na następną osobę" in declined.text
    assert "Zwolniło się miejsce" in world.dms(ZOSIA)[-1].text
    assert await rows(world) == [(ZOSIA.id, 1, "offered")]
    await world.say("signup accept", actor=ZOSIA, sheet="1", slot=1)
    assert await rows(world) == [(ZOSIA.id, 1, "confirmed")]


async def test_an_offer_that_runs_out_with_nobody_waiting_leaves_the_seat_free(
    world: World,
) -> None:
    await create(world, capacity=1)
    for user in (ANNA, JAN):
        await world.say("signup join", actor=user, sheet="1", slot=1)
    await world.say("signup leave", actor=ANNA, sheet="1", slot=1)
    await world.app.advance(timedelta(hours=24))
    expired = world.dms(JAN)[-1].text
    assert expired.endswith("minął; miejsce jest znów wolne.")
    assert "następną osobę" not in expired
    assert await rows(world) == []


async def test_offers_never_last_past_the_slot_start(world: World) -> None:
    await create(world, capacity=1)
    await world.say("signup join", actor=ANNA, sheet="1", slot=1)
    await world.say("signup join", actor=JAN, sheet="1", slot=1)
    await world.app.advance(SLOT_1 - world.clock.now() - timedelta(hours=2))
    await world.say("signup leave", actor=ANNA, sheet="1", slot=1)
    assert f"<t:{int(SLOT_1.timestamp())}:F>" in world.dms(JAN)[-1].text.split("mija:")[1]


async def test_an_offer_due_while_down_passes_on_at_start(world: World) -> None:
    await create(world, capacity=1)
    for user in (ANNA, JAN, EWA):
        await world.say("signup join", actor=user, sheet="1", slot=1)
    await world.say("signup leave", actor=ANNA, sheet="1", slot=1)
    await world.restart(down_for=timedelta(hours=30))
    assert "minął" in world.dms(JAN)[-1].text
    assert "Zwolniło się miejsce" in world.dms(EWA)[-1].text
    assert await rows(world) == [(EWA.id, 1, "offered")]


async def test_buttons_on_the_old_message_work_after_a_restart(world: World) -> None:
    await create(world)
    await world.restart()
    reply = await world.press("signup:join:1:2", actor=ANNA)
    assert "termin 2" in reply.text
    assert "Wypisano" in (await world.press("signup:leave:1:2", actor=ANNA)).text
    edited = world.front.edits[-1]
    assert (edited.channel_id, edited.message_id) == (GENERAL.id, "1")


async def test_opening_and_closing_times(world: World) -> None:
    await create(world, opens="jutro o 12", closes="za 3 dni")
    opens = warsaw(1, 12)
    [post] = world.posts(GENERAL.id)
    assert f"Start zapisów: <t:{int(opens.timestamp())}:F>" in post.text
    assert all(b.disabled for b in post.buttons)
    assert "Przyciski poniżej" not in post.text  # nothing can be pressed yet
    early = await world.say("signup join", actor=ANNA, sheet="1", slot=1)
    assert early.text.startswith("Zapisy jeszcze się nie zaczęły")
    early_button = await world.press("signup:join:1:1", actor=ANNA)
    assert early_button.text == early.text
    await world.app.advance(opens - world.clock.now())
    opened = world.front.edits[-1].reply
    assert "zamknięcie:" in opened.text and not any(b.disabled for b in opened.buttons)
    assert "Przyciski poniżej albo /signup join sheet:1" in opened.text
    await world.say("signup join", actor=ANNA, sheet="1", slot=1)
    await world.say("signup join", actor=JAN, sheet="1", slot=2)
    await world.app.advance(timedelta(days=3))
    closed = world.front.edits[-1].reply
    assert "Zapisy zamknięte." in closed.text
    assert [b.disabled for b in closed.buttons] == [True, False, True, False]  # leave still works
    assert "wypisać się można przyciskiem albo /signup leave" in closed.text
    assert "Przyciski poniżej" not in closed.text
    [final] = world.dms(MOD)
    assert final.text.startswith("Zapisy na arkuszu **Superwizja** są zamknięte.")
    assert "1. Anna" in final.text and "1. Jan" in final.text
    assert final.files[0].filename == "signup-1.csv"
    late = await world.say("signup join", actor=EWA, sheet="1", slot=1)
    assert late.text == "Zapisy na arkuszu **Superwizja** są zamknięte."
    reopened = await world.say("signup reopen", actor=MOD, sheet="1")
    assert "znów otwarte" in reopened.text
    assert "Zapisano" in (await world.say("signup join", actor=EWA, sheet="1", slot=1)).text
    closed_again = await world.say("signup close", actor=MOD, sheet="1")
    assert "Zamknięto zapisy" in closed_again.text and len(world.dms(MOD)) == 2
    again = await world.say("signup close", actor=MOD, sheet="1")
    assert "już zamknięte" in again.text


async def test_max_per_person_duplicates_and_bad_slots(world: World) -> None:
    await create(world)
    await world.say("signup join", actor=ANNA, sheet="1", slot=1)
    twice = await world.say("signup join", actor=ANNA, sheet="1", slot=1)
    assert twice.text == "Zapis na termin 1 już istnieje (miejsce potwierdzone)."
    also = await world.press("signup:join:1:2", actor=ANNA)
    assert "najwyżej tyle terminów: 1" in also.text
    nowhere = await world.say("signup join", actor=JAN, sheet="1", slot=7)
    assert nowhere.text == "Ten arkusz nie ma terminu 7."
    assert await rows(world) == [(ANNA.id, 1, "confirmed")]
    await create(world, title="Dwa", max_per_person=2)
    await world.say("signup join", actor=ANNA, sheet="Dwa", slot=1)
    assert "termin 2" in (await world.say("signup join", actor=ANNA, sheet="dwa", slot=2)).text


async def test_a_full_slot_without_a_waitlist_says_so(world: World) -> None:
    await create(world, capacity=1, waitlist="nie")
    await world.say("signup join", actor=ANNA, sheet="1", slot=1)
    full = await world.say("signup join", actor=JAN, sheet="1", slot=1)
    assert full.text == "Termin 1 jest pełny, a ten arkusz nie ma listy rezerwowej."
    assert "Bez listy rezerwowej." in sheet_now(world).text
    refused = await world.say("signup add", actor=MOD, sheet="1", slot=1, user=JAN)
    assert refused.text == full.text  # not even a moderator exceeds the capacity
    assert await rows(world) == [(ANNA.id, 1, "confirmed")]


async def test_creating_with_bad_input(world: World) -> None:
    cases = {
        "slots": ("", "Brakuje opcji"),
        "title": ("—", "litery albo cyfry"),
    }
    for option, (value, expected) in cases.items():
        args: dict[str, object] = {"title": "T", "slots": SLOTS, "capacity": 2, option: value}
        assert expected in (await world.say("signup create", actor=MOD, **args)).text
    many = "; ".join(f"2026-04-{d:02d} 10:00" for d in range(1, 15))
    assert (
        "od 1 do 12"
        in (await world.say("signup create", actor=MOD, title="T", slots=many, capacity=2)).text
    )
    nonsense = await world.say("signup create", actor=MOD, title="T", slots="kiedyś", capacity=2)
    assert "kiedyś" in nonsense.text
    backwards = await world.say(
        "signup create",
        actor=MOD,
        title="T",
        slots=SLOTS,
        capacity=2,
        opens="za 2 dni",
        closes="jutro",
    )
    assert "później, niż się otworzą" in backwards.text
    await create(world)
    again = await world.say("signup create", actor=MOD, title="superwizja", slots=SLOTS, capacity=2)
    assert "już istnieje" in again.text
    assert world.posts(GENERAL.id)[-1].text.startswith("📋 **Superwizja**")


async def test_moderators_add_remove_and_move(world: World) -> None:
    await create(world, capacity=1)
    added = await world.say("signup add", actor=MOD, sheet="1", slot=1, user=ANNA)
    assert added.text == "Anna ma miejsce w terminie 1 na arkuszu **Superwizja**."
    assert "Moderator zapisał Cię" in world.dms(ANNA)[-1].text
    waiting = await world.say("signup add", actor=MOD, sheet="1", slot=1, user=JAN)
    assert "lista rezerwowa" in waiting.text or "liście rezerwowej" in waiting.text
    moved = await world.say("signup move", actor=MOD, sheet="1", user=ANNA, from_slot=1, to_slot=2)
    assert moved.text == "Przeniesiono: Anna z terminu 1 na termin 2."
    assert "termin 2" in world.dms(ANNA)[-1].text
    assert "Zwolniło się miejsce" in world.dms(JAN)[-1].text  # Anna's old seat
    removed = await world.say("signup remove", actor=MOD, sheet="1", slot=2, user=ANNA)
    assert "Anna: brak już zapisu na termin 2" in removed.text
    assert "wypisał Cię" in world.dms(ANNA)[-1].text
    missing = await world.say("signup remove", actor=MOD, sheet="1", slot=2, user=ANNA)
    assert missing.text == "Brak zapisu na termin 2."
    same = await world.say("signup move", actor=MOD, sheet="1", user=JAN, from_slot=1, to_slot=1)
    assert same.text == "Wybierz dwa różne terminy."
    assert await rows(world) == [(JAN.id, 1, "offered")]


async def test_sheets_with_approval(world: World) -> None:
    await create(world, capacity=1, approval="tak")
    asked = await world.say("signup join", actor=ANNA, sheet="1", slot=1)
    assert "czeka na akceptację moderatora" in asked.text
    await world.say("signup join", actor=JAN, sheet="1", slot=1)
    request = world.dms(MOD)[0]
    assert request.text == "Anna prosi o miejsce na arkuszu **Superwizja**, termin 1."
    approve = request.buttons[0].custom_id
    assert approve == f"signup:approve:1:1:{ANNA.id}"
    refused = await world.press(approve, actor=EWA)
    assert refused.text.startswith("Do tego potrzebna jest rola: inicjator.")
    approved = await world.press(approve, actor=MOD)
    assert approved.text == "Anna ma miejsce w terminie 1 na arkuszu **Superwizja**."
    assert "Moderator zapisał Cię" in world.dms(ANNA)[-1].text
    rejected = await world.press(world.dms(MOD)[1].buttons[1].custom_id, actor=MOD)
    assert "Jan: brak już zapisu" in rejected.text
    assert "nie została przyjęta" in world.dms(JAN)[-1].text
    assert await rows(world) == [(ANNA.id, 1, "confirmed")]


async def test_the_csv_export(world: World) -> None:
    await create(world, capacity=1)
    await world.say("profile set", actor=ANNA, library="MBP Łazy")
    await world.say("signup join", actor=ANNA, sheet="1", slot=1)
    await world.say("signup join", actor=UserRef("test:x", "=HYPERLINK(1)"), sheet="1", slot=1)
    await world.say("signup join", actor=JAN, sheet="1", slot=1)
    await world.say("signup join", actor=EWA, sheet="1", slot=2)
    reply = await world.say("signup export", actor=MOD, sheet="Superwizja")
    [attachment] = reply.files
    assert attachment.filename == "signup-1.csv" and attachment.data.startswith(b"\xef\xbb\xbf")
    # The server's language, and its spreadsheets' delimiter (Polish: a semicolon).
    table = list(csv.reader(io.StringIO(attachment.data.decode("utf-8-sig")), delimiter=";"))
    assert table == [
        ["imię i nazwisko", "biblioteka", "termin", "temat", "status", "miejsce", "czas"],
        ["Anna", "MBP Łazy", "1", "Budżet", "potwierdzony", "1", "2026-03-27 10:00"],
        ["'=HYPERLINK(1)", "", "1", "Budżet", "lista rezerwowa", "1", "2026-03-27 10:00"],
        ["Jan", "", "1", "Budżet", "lista rezerwowa", "2", "2026-03-27 10:00"],
        ["Ewa", "", "2", "", "potwierdzony", "1", "2026-04-03 10:00"],
    ]
    # An English server gets commas and English words, whoever asks.
    await world.say("setup server", actor=ADMIN, language="en")
    english = (await world.say("signup export", actor=MOD, sheet="1")).files[0].data
    rows = list(csv.reader(io.StringIO(english.decode("utf-8-sig"))))
    assert rows[0] == ["name", "library", "slot", "topic", "status", "position", "time"]
    assert rows[1][4] == "confirmed"


async def test_who_may_run_sheets(world: World) -> None:
    await create(world)
    refused = await world.say("signup export", actor=ANNA, sheet="1")
    assert refused.text.startswith("Do tego potrzebna jest rola: inicjator.")
    assert refused.files == ()
    assert (
        await world.say("signup create", actor=ANNA, title="X", slots=SLOTS, capacity=1)
    ).created is None
    # An initiator: in their own group's channel only.
    await world.say("group create", actor=ADMIN, name="Jura", city="Zawiercie", initiator=EWA)
    jura = ChannelRef("channel:1", "jura")
    outside = await world.say("signup create", actor=EWA, title="X", slots=SLOTS, capacity=1)
    assert "kanale grupy" in outside.text
    made = await world.say(
        "signup create", actor=EWA, channel=jura, title="Jura", slots=SLOTS, capacity=1
    )
    assert made.created is not None
    assert (await world.say("signup export", actor=EWA, sheet="Jura")).files
    not_hers = await world.say("signup close", actor=EWA, sheet="Superwizja")
    assert "zarządzają moderatorzy" in not_hers.text
    assert (await world.say("signup status", actor=EWA, sheet="Jura")).text.count("(nikt)") == 2
    assert (await world.say("signup close", actor=MOD, sheet="Jura")).text.startswith("Zamknięto")


async def test_a_deleted_sheet(world: World) -> None:
    await create(world)
    await world.say("signup join", actor=ANNA, sheet="1", slot=1)
    deleted = await world.say("signup delete", actor=MOD, sheet="1")
    assert deleted.text == "Usunięto arkusz **Superwizja**."
    gone = world.front.edits[-1].reply
    assert gone.buttons == () and "został usunięty" in gone.text
    by_command = await world.say("signup join", actor=JAN, sheet="1", slot=1)
    assert by_command.text == "Arkusz **Superwizja** został usunięty."
    by_title = await world.say("signup status", actor=JAN, sheet="Superwizja")
    assert by_title.text == by_command.text
    by_button = await world.press("signup:join:1:1", actor=JAN)
    assert by_button.text == by_command.text
    assert (await world.press("signup:leave:1:1", actor=ANNA)).text == by_command.text
    assert await rows(world) == [(ANNA.id, 1, "confirmed")]
    # The title is free again.
    assert await create(world) == 2
    assert (await world.say("signup join", actor=JAN, sheet="Superwizja", slot=1)).text.startswith(
        "Zapisano"
    )


async def test_autocomplete_lists_open_sheets(world: World) -> None:
    await create(world)
    await create(world, title="Szkolenie RODO")
    await world.say("signup close", actor=MOD, sheet="1")
    request = world._request(ANNA, GENERAL)
    join = await world.app.dispatcher.complete(request, "signup join", "sheet", "")
    assert [(c.name, c.value) for c in join] == [("#2 Szkolenie RODO", "2")]
    status = await world.app.dispatcher.complete(request, "signup status", "sheet", "super")
    assert [c.value for c in status] == ["1"]


async def test_a_burst_after_a_restart_reads_the_sheet_once_and_shares_one_transaction(
    world: World,
) -> None:
    """Who may see the sheet is decided from one read of it, however many click at once:
    the clicks still reach the queue together, in their order."""
    await create(world, capacity=5)
    await world.restart()
    service = world.app.signups.seats
    reads = 0
    real_get = service._store.get

    async def counted(sheet_id: int) -> object:
        nonlocal reads
        reads += 1
        return await real_get(sheet_id)

    read_before_placing: list[int] = []
    real_place = service._store.place_many

    async def placing(*args: object) -> object:
        read_before_placing.append(reads)
        return await real_place(*args)  # type: ignore[arg-type]

    service._store.get = counted  # type: ignore[method-assign]
    service._store.place_many = placing  # type: ignore[method-assign]
    users = [UserRef(f"test:b{i:02d}", f"B{i:02d}") for i in range(50)]
    batches = service.batches
    results = await asyncio.gather(
        *(service.join(1, 1, Viewer(u, "test:guild", Role.DIRECTOR)) for u in users)
    )
    assert read_before_placing == [1] and service.batches == batches + 1
    assert [r.status for r in results] == [EntryStatus.CONFIRMED] * 5 + [
        EntryStatus.WAITLISTED
    ] * 45
    assert [u for u, _, _ in await rows(world)] == [u.id for u in users]


async def test_two_hundred_joins_at_once_never_exceed_the_capacity(world: World) -> None:
    await create(world, capacity=20)
    users = [UserRef(f"test:u{i:03d}", f"U{i:03d}") for i in range(200)]
    viewers = [Viewer(u, "test:guild", Role.DIRECTOR) for u in users]
    results = await asyncio.gather(*(world.app.signups.seats.join(1, 1, v) for v in viewers))
    statuses = [r.status for r in results]
    assert statuses == [EntryStatus.CONFIRMED] * 20 + [EntryStatus.WAITLISTED] * 180
    assert [r.position for r in results[20:]] == list(range(1, 181))  # arrival order
    assert await rows(world) == [(u.id, 1, s.value) for u, s in zip(users, statuses, strict=True)]
    assert "zajęte 20/20 · komplet · lista rezerwowa: 180 osób" in sheet_now(world).text
    assert len(world.front.edits) <= 3  # a burst costs a few edits, not 200
    assert await world.app.db.integrity_check() == "ok"


async def test_two_hundred_commands_at_once_through_the_dispatcher(world: World) -> None:
    await create(world, capacity=20)
    users = [UserRef(f"test:d{i:03d}", f"D{i:03d}") for i in range(200)]
    replies = await asyncio.gather(
        *(world.say("signup join", actor=u, sheet="1", slot=1) for u in users),
        *(world.say("signup join", actor=u, sheet="1", slot=1) for u in users[:50]),  # again
    )
    confirmed = [r for r in replies if r.text.startswith("Zapisano")]
    waitlisted = [r for r in replies if "na pozycji" in r.text]
    duplicates = [r for r in replies if "już istnieje" in r.text]
    assert (len(confirmed), len(waitlisted), len(duplicates)) == (20, 180, 50)
    positions = sorted(int(r.text.split("na pozycji ")[1].split(";")[0]) for r in waitlisted)
    assert positions == list(range(1, 181))
    counts = await world.app.db.fetchall(
        "SELECT status, count(*) AS n FROM signup_entries GROUP BY status ORDER BY status"
    )
    assert [(r["status"], r["n"]) for r in counts] == [("confirmed", 20), ("waitlisted", 180)]
    assert await world.app.db.integrity_check() == "ok"


async def test_on_discord_the_posted_message_is_edited_in_place() -> None:
    edit = AsyncMock()
    channel = MagicMock()
    channel.get_partial_message.return_value = SimpleNamespace(edit=edit)
    bot = MagicMock()
    bot.get_partial_messageable.return_value = channel
    messenger = DiscordMessenger(bot)
    sheet = Reply("zajęte 1/2", buttons=(Button("signup:join:1:1", "Zapisz się · 1"),))
    await messenger.edit_message("discord:123", "456", sheet)
    bot.get_partial_messageable.assert_called_with(123)
    channel.get_partial_message.assert_called_with(456)
    sent = edit.call_args.kwargs
    assert sent["content"] == "zajęte 1/2" and sent["embeds"] == []
    assert [item.custom_id for item in sent["view"].children] == ["signup:join:1:1"]
    await messenger.edit_message("discord:123", "456", Reply("usunięty"))
    assert edit.call_args.kwargs["view"] is None  # the buttons go
    edit.side_effect = discord.NotFound(MagicMock(status=404, reason="Not Found"), "gone")
    with pytest.raises(DeliveryFailed) as failed:
        await messenger.edit_message("discord:123", "456", sheet)
    assert failed.value.permanent


async def test_an_offer_to_closed_dms_is_posted_with_a_mention(world: World) -> None:
    await create(world, capacity=1)
    await world.say("signup join", actor=ANNA, sheet="1", slot=1)
    await world.say("signup join", actor=JAN, sheet="1", slot=1)
    world.front.closed_dms.add(JAN.id)
    await world.say("signup leave", actor=ANNA, sheet="1", slot=1)
    offer = world.posts(GENERAL.id)[-1]
    assert offer.text.startswith(f"<@{JAN.id}> Zwolniło się miejsce")
    assert offer.mentions == (JAN.id,)
    assert [b.custom_id for b in offer.buttons] == ["signup:accept:1:1", "signup:decline:1:1"]
    assert (await world.press("signup:accept:1:1", actor=EWA)).text.startswith("Nie ma propozycji")
    assert (await world.press("signup:accept:1:1", actor=JAN)).text.startswith("Potwierdzone")


async def test_answers_in_a_shared_batch_keep_each_persons_language(world: World) -> None:
    await world.say("settings language", actor=JAN, language="en")
    await create(world, capacity=1)
    await world.say("signup join", actor=JAN, sheet="1", slot=1)
    anna, jan = await asyncio.gather(
        world.press("signup:join:1:1", actor=ANNA), world.press("signup:join:1:1", actor=JAN)
    )
    assert "na pozycji 1" in anna.text
    assert jan.text == "Already signed up for slot 1 (seat confirmed)."


async def test_a_burst_past_the_bound_commits_in_several_transactions_each_answered_after_its_own(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A burst of 35 with at most 10 joins a transaction: four transactions in arrival
    order; each person is answered once their own transaction committed, not after the
    whole burst, and capacity and order stay exact."""
    monkeypatch.setattr("bot.signups.seats.GROUP_COMMIT", 10)
    await create(world, capacity=5)
    service = world.app.signups.seats
    sizes: list[int] = []
    real_place = service._store.place_many

    async def placing(batch: list[object], now: datetime) -> object:
        sizes.append(len(batch))
        return await real_place(batch, now)  # type: ignore[arg-type]

    service._store.place_many = placing  # type: ignore[method-assign]
    users = [UserRef(f"test:c{i:02d}", f"C{i:02d}") for i in range(35)]
    first = service.batches
    answered_after: list[int] = [0] * len(users)

    async def join(i: int) -> EntryStatus | None:
        placed = await service.join(1, 1, Viewer(users[i], "test:guild", Role.DIRECTOR))
        answered_after[i] = service.batches - first
        return placed.status

    statuses = await asyncio.gather(*(join(i) for i in range(len(users))))
    assert sizes == [10, 10, 10, 5]
    own = [i // 10 + 1 for i in range(len(users))]
    assert all(own[i] <= answered_after[i] <= own[i] + 1 for i in range(len(users)))
    assert answered_after[0] < 4  # the first were answered before the burst was written
    assert statuses == [EntryStatus.CONFIRMED] * 5 + [EntryStatus.WAITLISTED] * 30
    assert [u for u, _, _ in await rows(world)] == [u.id for u in users]
    assert "zajęte 5/5 · komplet · lista rezerwowa: 30 osób" in sheet_now(world).text


async def test_slot_counts_follow_every_change_of_an_entry(world: World) -> None:
    """The counts kept on each slot (migration 0028) equal a count of the entries after
    joins, a move, a leave with its offer, and SQL written by hand."""
    await create(world, capacity=1)
    for user in (ANNA, JAN, EWA):
        await world.say("signup join", actor=user, sheet="1", slot=1)
    await world.say("signup move", actor=MOD, sheet="1", user=EWA, from_slot=1, to_slot=2)
    await world.say("signup leave", actor=ANNA, sheet="1", slot=1)
    await world.app.db.execute("DELETE FROM signup_entries WHERE user_id = ?", (EWA.id,))
    kept = await world.app.db.fetchall(
        "SELECT number, taken, waiting, requested FROM signup_slots WHERE sheet_id = 1"
    )
    counted = await world.app.db.fetchall(
        "SELECT number, "
        "(SELECT count(*) FROM signup_entries e WHERE e.sheet_id = 1 AND e.slot = number "
        "AND e.status IN ('confirmed', 'offered')), "
        "(SELECT count(*) FROM signup_entries e WHERE e.sheet_id = 1 AND e.slot = number "
        "AND e.status = 'waitlisted'), "
        "(SELECT count(*) FROM signup_entries e WHERE e.sheet_id = 1 AND e.slot = number "
        "AND e.status = 'requested') FROM signup_slots WHERE sheet_id = 1"
    )
    assert [tuple(r) for r in kept] == [tuple(r) for r in counted] == [(1, 1, 0, 0), (2, 0, 0, 0)]
    assert "zajęte 1/1" in sheet_now(world).text


# -- sign-ups end when the last slot starts ----------------------------------------------

SLOT_2 = datetime(2026, 4, 3, 8, 0, tzinfo=UTC)  # Friday 3 April 2026, 10:00 in Warsaw (CEST)


def stamped(at: datetime) -> str:
    return f"<t:{int(at.timestamp())}:F>"


async def test_a_closing_after_the_last_slot_is_refused_with_what_was_understood(
    world: World,
) -> None:
    late = await world.say(
        "signup create", actor=MOD, title="T7", slots=SLOTS, capacity=1, closes="2026-04-10 12:00"
    )
    assert late.created is None
    assert late.text.startswith("Zapisy nie mogą się zamknąć po starcie ostatniego terminu")
    asked = datetime(2026, 4, 10, 10, 0, tzinfo=UTC)
    assert f"Tak rozumiem closes: {stamped(asked)}" in late.text
    assert f"Najpóźniejsze możliwe zamknięcie: {stamped(SLOT_2)}" in late.text
    assert world.posts(GENERAL.id) == []
    # At the last slot's start is as late as it goes, and fine.
    await create(world, closes="2026-04-03 10:00")
    assert f"zamknięcie: {stamped(SLOT_2)}" in world.posts(GENERAL.id)[-1].text


async def test_a_sheet_without_a_closing_time_closes_when_its_last_slot_starts(
    world: World,
) -> None:
    await create(world, capacity=1)
    # The end of sign-ups shows from the start: the last slot's start.
    assert f"Zapisy otwarte; zamknięcie: {stamped(SLOT_2)}" in world.posts(GENERAL.id)[-1].text
    await world.say("signup join", actor=ANNA, sheet="1", slot=1)
    await world.app.advance(SLOT_1 + timedelta(minutes=5) - world.clock.now())
    started = await world.say("signup status", actor=JAN, sheet="1")
    first, second = started.text.split("**2.**")
    assert "zajęte 1/1 · już się zaczął" in first and "komplet" not in first
    assert "zajęte 0/1 · 1 wolne miejsce" in second
    assert "Zapisy otwarte" in started.text  # slot 2 is still ahead
    refused = await world.say("signup join", actor=JAN, sheet="1", slot=1)
    assert refused.text.startswith("Termin 1 już się zaczął")
    await world.say("signup join", actor=JAN, sheet="1", slot=2)
    # Redrawn after that join: the started slot has no buttons any more.
    assert [b.custom_id for b in sheet_now(world).buttons] == [
        "signup:join:1:2",
        "signup:leave:1:2",
    ]
    assert [o.emoji for o in assign(sheet_now(world).buttons)] == ["2️⃣"]  # Matrix's keycaps
    edits = len(world.front.edits)
    await world.app.advance(SLOT_2 - world.clock.now())
    assert len(world.front.edits) == edits + 1  # redrawn when the last slot started
    over = sheet_now(world)
    assert "Zapisy zamknięte: wszystkie terminy już się zaczęły." in over.text
    assert over.buttons == () and "wolne" not in over.text
    assert "/signup join" not in over.text and "/signup leave" not in over.text
    row = await world.app.db.fetchone("SELECT status FROM signup_sheets WHERE id = 1")
    assert row is not None and row[0] == "closed"
    assert world.dms(MOD) == []  # no closing time was set: no closing to report
    status = await world.say("signup status", actor=JAN, sheet="1")
    assert "wszystkie terminy już się zaczęły" in status.text
    assert status.text.count("już się zaczął\n") == 2
    request = world._request(ANNA, GENERAL)
    assert await world.app.dispatcher.complete(request, "signup join", "sheet", "") == []
    late = await world.say("signup join", actor=EWA, sheet="1", slot=2)
    assert late.text.startswith("Termin 2 już się zaczął")
    reopen = await world.say("signup reopen", actor=MOD, sheet="1")
    assert reopen.text == (
        "Wszystkie terminy arkusza **Superwizja** już się zaczęły, więc zapisów nie da się "
        "znów otworzyć."
    )


async def test_a_closing_time_set_still_closes_at_the_last_start_with_the_final_list(
    world: World,
) -> None:
    await create(world, closes="2026-04-03 10:00")
    await world.say("signup join", actor=ANNA, sheet="1", slot=2)
    await world.restart(down_for=SLOT_2 + timedelta(hours=1) - world.clock.now())
    [final] = world.dms(MOD)
    assert final.text.startswith("Zapisy na arkuszu **Superwizja** są zamknięte.")
    assert "wszystkie terminy już się zaczęły" in sheet_now(world).text


async def test_an_offer_for_a_slot_that_starts_lapses_then_and_says_why(world: World) -> None:
    await create(world, capacity=1)
    for user in (ANNA, JAN, EWA):
        await world.say("signup join", actor=user, sheet="1", slot=1)
    await world.app.advance(SLOT_1 - world.clock.now() - timedelta(hours=1))
    await world.say("signup leave", actor=ANNA, sheet="1", slot=1)
    assert "Zwolniło się miejsce" in world.dms(JAN)[-1].text
    await world.app.advance(timedelta(hours=1))
    assert world.dms(JAN)[-1].text == (
        "Termin 1 na arkuszu **Superwizja** już się zaczął, więc proponowane Ci miejsce przepadło."
    )
    assert world.dms(EWA) == []  # a started slot offers nothing more
    assert await rows(world) == [(EWA.id, 1, "waitlisted")]
    accept = await world.say("signup accept", actor=JAN, sheet="1", slot=1)
    assert accept.text.startswith("Nie ma propozycji")
