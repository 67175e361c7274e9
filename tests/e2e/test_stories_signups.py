"""Sign-up and poll stories on the real PodajBot through the Discord API double: buttons on
the live sheet, the waitlist, a DM offer that times out and passes on, a restart, the CSV."""

from __future__ import annotations

import csv
import io
from datetime import datetime

from tests.helpers.clock import WARSAW, warsaw

from .discord_double import state as st
from .discord_double.harness import Harness


async def make_sheet(dc: Harness) -> st.Message:
    await dc.slash("admin", "role grant", user="ewa", role="moderator")
    made = await dc.slash(
        "ewa",
        "signup create",
        title="Superwizja",
        capacity=1,
        slots="10 marca o 10 | Budżet; 17 marca o 10",
    )
    assert made.text, made
    await dc.settle()
    sheet = dc.messages("#general")[-1]
    assert "Superwizja" in sheet.content or any("Superwizja" in str(e) for e in sheet.embeds)
    return sheet


def button_ids(message: st.Message) -> list[str]:
    return [b["custom_id"] for b in message.buttons]


async def test_join_by_button_waitlist_and_a_live_sheet(dc: Harness) -> None:
    sheet = await make_sheet(dc)
    assert "signup:join:1:1" in button_ids(sheet) and "signup:leave:1:2" in button_ids(sheet)
    before = sheet.content
    first = await dc.press("anna", sheet, "signup:join:1:1")
    assert first.ephemeral
    second = await dc.press("jan", sheet, "signup:join:1:1")
    assert "1" in second.text  # position 1 on the waitlist
    await dc.settle()
    assert dc.double.state.messages[sheet.id].content != before  # the sheet updated live
    again = await dc.press("anna", sheet, "signup:join:1:1")
    assert again.ephemeral  # a clear answer, no second seat
    rows = await dc.bot.app.db.fetchall("SELECT * FROM signup_entries")
    assert len(rows) == 2


async def test_a_freed_seat_is_offered_by_dm_and_passes_on_when_unanswered(dc: Harness) -> None:
    sheet = await make_sheet(dc)
    await dc.press("anna", sheet, "signup:join:1:1")
    await dc.press("jan", sheet, "signup:join:1:1")
    await dc.press("admin", sheet, "signup:join:1:1")
    await dc.press("anna", sheet, "signup:leave:1:1")
    await dc.settle()
    [offer] = [m for m in dc.dms("jan") if m.buttons]
    assert "signup:accept:1:1" in button_ids(offer)
    await dc.advance("25h")  # the offer runs out
    offers_to_admin = [m for m in dc.dms("admin") if m.buttons]
    assert offers_to_admin and "signup:accept:1:1" in button_ids(offers_to_admin[-1])
    taken = await dc.press("admin", offers_to_admin[-1], "signup:accept:1:1")
    assert taken.text
    late = await dc.press("jan", offer, "signup:accept:1:1")
    assert late.ephemeral  # the expired offer is answered, not an error


async def test_buttons_on_the_sheet_work_after_a_restart(dc: Harness) -> None:
    sheet = await make_sheet(dc)
    await dc.restart()
    joined = await dc.press("anna", sheet, "signup:join:1:2")
    assert joined.ephemeral and joined.text
    status = await dc.slash("anna", "signup status", sheet="1")
    assert status.text or status.embeds


async def test_moderators_export_a_csv_and_directors_cannot(dc: Harness) -> None:
    sheet = await make_sheet(dc)
    await dc.slash("anna", "profile set", library="MBP Łazy")
    await dc.press("anna", sheet, "signup:join:1:1")
    await dc.press("jan", sheet, "signup:join:1:1")
    refused = await dc.slash("anna", "signup export", sheet="1")
    assert refused.text.startswith("Do tego potrzebna jest rola")
    exported = await dc.slash("ewa", "signup export", sheet="1")
    [attachment] = exported.files
    rows = list(csv.reader(io.StringIO(attachment.data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:5] == ["imię i nazwisko", "biblioteka", "termin", "temat", "status"]
    statuses = {row[0]: (row[1], row[4]) for row in rows[1:]}
    assert statuses["Anna"] == ("MBP Łazy", "potwierdzony")
    assert statuses["Jan"][1] == "lista rezerwowa"


async def test_a_date_poll_by_buttons_and_a_native_quick_poll(dc: Harness) -> None:
    await dc.slash("admin", "role grant", user="ewa", role="moderator")
    # The command's option is called "options", so it goes in the options dict.
    await dc.slash(
        "ewa",
        "poll dates",
        options={
            "question": "Kiedy spotkanie?",
            "options": "za 8 dni o 10; za 15 dni o 10",
            "closes": "za 2 dni",
        },
    )
    await dc.settle()
    grid = dc.messages("#general")[-1]
    assert "poll:date:1:1" in button_ids(grid)
    voted = await dc.press("anna", grid, "poll:date:1:1")
    assert voted.ephemeral
    await dc.slash("jan", "poll vote", poll="1", option=2, answer="maybe")
    await dc.advance("2d")
    best = int(warsaw(8, 10).timestamp())  # one yes beats one maybe
    assert any(f"<t:{best}:" in m.content for m in dc.messages("#general")[-2:])
    await dc.slash(
        "ewa",
        "poll quick",
        options={"question": "Kawa czy herbata?", "options": "kawa; herbata", "hours": 2},
    )
    await dc.settle()
    native = dc.messages("#general")[-1]
    assert native.poll is not None
    assert [a["poll_media"]["text"] for a in native.poll["answers"]] == ["kawa", "herbata"]


async def test_a_groups_sheet_and_a_national_one_of_one_title_are_told_apart(
    dc: Harness,
) -> None:
    """Ewa, a moderator who also runs Jura, posts "Superwizja" for the whole network and
    another "Superwizja" in Jura's channel. Anna, in Jura, types the title: both sheets are
    listed, each saying where it lives and when its first slot is, and she picks Jura's by
    its number. Jan, in no group, is served the national one and never hears of Jura."""
    await dc.slash("admin", "role grant", user="ewa", role="moderator")
    await dc.slash("admin", "group create", name="Jura", city="Zawiercie", initiator="ewa")
    await dc.slash("anna", "group join", name="Jura")
    for channel, when in (("#general", "10 marca o 10"), ("#jura", "17 marca o 10")):
        made = await dc.slash(
            "ewa", "signup create", in_channel=channel, title="Superwizja", slots=when, capacity=3
        )
        assert channel in made.text, made.text
    await dc.settle()

    asked = await dc.slash("anna", "signup join", sheet="superwizja", slot=1)
    assert asked.ephemeral
    jura, national = (int(datetime(2026, 3, d, 10, tzinfo=WARSAW).timestamp()) for d in (17, 10))
    assert asked.text.splitlines()[1:3] == [
        f"**#2** Superwizja (grupa Jura, <t:{jura}:f>)",
        f"**#1** Superwizja (cała sieć, <t:{national}:f>)",
    ], asked.text
    assert asked.text.endswith("np. sheet:2.")
    assert await dc.bot.app.db.fetchall("SELECT * FROM signup_entries") == []

    picked = await dc.slash("anna", "signup join", sheet="2", slot=1)
    assert "Superwizja" in picked.text, picked.text
    rows = await dc.bot.app.db.fetchall("SELECT sheet_id, user_id FROM signup_entries")
    assert [row[0] for row in rows] == [2]

    # Jan sees only the national sheet: the title names it, and Jura is never said.
    outside = await dc.slash("jan", "signup join", sheet="superwizja", slot=1)
    assert "Jura" not in outside.text and "pasuje do kilku" not in outside.text, outside.text
    rows = await dc.bot.app.db.fetchall("SELECT sheet_id FROM signup_entries ORDER BY seq")
    assert [row[0] for row in rows] == [2, 1]


async def test_a_sheet_whose_slots_have_all_started_reads_closed_without_buttons(
    dc: Harness,
) -> None:
    await dc.slash("admin", "role grant", user="ewa", role="moderator")
    slots = "jutro 10:00 | Budżet; pojutrze o 10"
    late = await dc.slash(
        "ewa", "signup create", title="T7", capacity=1, slots=slots, closes="za tydzień"
    )
    assert late.ephemeral and "Najpóźniejsze możliwe zamknięcie: <t:" in late.text
    assert f"<t:{int(warsaw(2, 10).timestamp())}:F>" in late.text  # the last slot's start
    await dc.slash("ewa", "signup create", title="T7", capacity=1, slots=slots)
    await dc.settle()
    sheet = dc.messages("#general")[-1]
    assert len(button_ids(sheet)) == 4
    await dc.press("anna", sheet, "signup:join:1:1")
    await dc.advance("3d")
    drawn = dc.double.state.messages[sheet.id]
    assert "Zapisy zamknięte: wszystkie terminy już się zaczęły." in drawn.content
    assert drawn.buttons == [] and "wolne" not in drawn.content
    status = await dc.slash("anna", "signup status", sheet="1")
    assert "wszystkie terminy już się zaczęły" in status.text and "wolne" not in status.text
    refused = await dc.slash("jan", "signup join", sheet="1", slot=2)
    assert refused.text.startswith("Termin 2 już się zaczął")
