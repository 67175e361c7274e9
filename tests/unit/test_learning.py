"""Learning programmes through the core: the programme with its registration sheet
(window, capacity, waitlist — the sign-up feature's own), sessions as training events in
the forum, attendance by mentions and the participation record per theme."""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PIL import Image

from bot.events.model import Kind
from bot.learning.certificate import HEIGHT, NAME_BOX, WIDTH
from bot.refs import ChannelRef, UserRef
from bot.visibility import SYSTEM
from tests.helpers.clock import START
from tests.helpers.world import ADMIN, ANNA, EWA, JAN, World

MOD = UserRef("test:mod", "Mod")
FORUM = ChannelRef("test:#ogloszenia", "ogloszenia")
THEMES = "Przywództwo; Zmiana w bibliotece; Coaching"


@pytest.fixture
async def world(tmp_path: Path) -> AsyncIterator[World]:
    w = await World.open(tmp_path / "l.sqlite3")
    await w.say("role grant", actor=ADMIN, user=MOD, role="moderator")
    await w.say("setup server", actor=ADMIN, forum=FORUM)
    yield w
    await w.app.close()


async def create(world: World, **extra: object) -> int:
    options: dict[str, object] = {
        "name": "Liderzy 2026",
        "themes": THEMES,
        "starts": "1 kwietnia 2026 9:00",
        "ends": "30 września 2026 17:00",
    }
    options.update(extra)
    reply = await world.say("program create", actor=MOD, **options)
    assert reply.created is not None and reply.created.type == "program", reply.text
    return int(reply.created.id)


async def add_session(
    world: World, theme: str = "Przywództwo", when: str = "15 kwietnia 10:00"
) -> int:
    reply = await world.say(
        "program session add",
        actor=MOD,
        program="Liderzy 2026",
        theme=theme,
        when=when,
        duration="6h",
        place="Biblioteka Raczyńskich",
    )
    assert reply.created is not None and reply.created.type == "event", reply.text
    return int(reply.created.id)


async def after(world: World, utc: str) -> None:
    """Let time pass (running every job on the way) until `utc`."""
    at = datetime.fromisoformat(utc).replace(tzinfo=UTC)
    await world.app.advance(at - world.clock.now())


async def test_a_programme_opens_its_registration_as_a_signup_sheet(world: World) -> None:
    program_id = await create(world, capacity=2)
    assert world.app.learning is not None
    program = await world.app.learning.find("test:guild", str(program_id))
    assert program.themes == ("Przywództwo", "Zmiana w bibliotece", "Coaching")
    sheet = await world.app.signups.sheets.get(program.sheet_id, SYSTEM)
    assert sheet.capacity == 2 and sheet.waitlist and sheet.title == "Liderzy 2026"
    # The sheet is posted where the command was given, like any sign-up sheet.
    assert any("Liderzy 2026" in str(s.reply) for s in world.front.sent)
    listing = await world.say("program list")
    assert "Liderzy 2026" in listing.text


async def test_join_fills_the_seats_then_the_waitlist_and_leaving_offers_the_seat(
    world: World,
) -> None:
    await create(world, capacity=2)
    assert "Zapisano Cię" in (await world.say("program join", actor=ANNA, program="liderzy")).text
    assert "Zapisano Cię" in (await world.say("program join", actor=JAN, program="1")).text
    full = await world.say("program join", actor=EWA, program="Liderzy 2026")
    assert "lista rezerwowa" in full.text or "liście rezerwowej" in full.text
    again = await world.say("program join", actor=ANNA, program="Liderzy 2026")
    assert "Zapisano Cię" not in again.text  # the sheet refuses a second seat
    info = await world.say("program info", program="Liderzy 2026")
    registration = next(f.value for f in info.embeds[0].fields if f.name == "Zapisy")
    assert "2 z 2" in registration and "1 osoba" in registration
    left = await world.say("program leave", actor=ANNA, program="Liderzy 2026")
    assert "Wypisano" in left.text
    # The waitlist is the sheet's: Ewa is offered the freed seat by DM.
    assert any(s.dm and s.to == EWA.id for s in world.front.sent)


async def test_registration_window_is_the_sheets(world: World) -> None:
    await create(world, registration_opens="25 marca 2026 12:00")
    early = await world.say("program join", actor=ANNA, program="Liderzy 2026")
    assert "Zapisano Cię" not in early.text
    await world.app.advance(datetime(2026, 3, 25, 12, 0, tzinfo=UTC) - world.clock.now())
    later = await world.say("program join", actor=ANNA, program="Liderzy 2026")
    assert "Zapisano Cię" in later.text


async def test_bad_input_is_refused(world: World) -> None:
    await create(world)
    same = await world.say(
        "program create", actor=MOD, name="liderzy 2026", themes="A", starts="1 maja", ends="2 maja"
    )
    assert "już istnieje" in same.text
    backwards = await world.say(
        "program create", actor=MOD, name="Inny", themes="A", starts="2 maja", ends="1 maja"
    )
    assert "po jego początku" in backwards.text
    no_themes = await world.say(
        "program create", actor=MOD, name="Inny", themes=" ; ", starts="1 maja", ends="2 maja"
    )
    assert "tematów" in no_themes.text
    unknown = await world.say("program info", program="Nie ma takiego")
    assert "Nie znam programu" in unknown.text
    refused = await world.say(
        "program create", actor=ANNA, name="X", themes="A", starts="1 maja", ends="2 maja"
    )
    assert refused.created is None


async def test_a_session_is_a_training_event_in_the_forum(world: World) -> None:
    await create(world)
    event_id = await add_session(world, theme="zmiana")
    event = await world.app.events.lookup.get(event_id, SYSTEM)
    assert event.kind is Kind.TRAINING
    assert event.title == "Liderzy 2026: Zmiana w bibliotece"
    assert event.place == "Biblioteka Raczyńskich"
    post = world.front.forum_posts[-1]
    assert post.forum_id == FORUM.id and "Zmiana w bibliotece" in post.title
    sessions = await world.say("program sessions", program="Liderzy 2026")
    assert f"#{event_id}" in sessions.text and "Zmiana w bibliotece" in sessions.text
    wrong = await world.say(
        "program session add",
        actor=MOD,
        program="Liderzy 2026",
        theme="Astronomia",
        when="16 kwietnia 10:00",
        duration="2h",
    )
    assert "nie ma tematu" in wrong.text and wrong.created is None


async def test_attendance_and_the_record_per_theme(world: World) -> None:
    await create(world)
    first = await add_session(world, "Przywództwo", "15 kwietnia 10:00")
    second = await add_session(world, "Przywództwo", "16 kwietnia 10:00")
    third = await add_session(world, "Coaching", "20 maja 10:00")
    early = await world.say("program attendance", actor=MOD, session=str(first), users="@anna")
    assert "jeszcze się nie odbyła" in early.text
    await after(world, "2026-05-20 08:00")
    marked = await world.say(
        "program attendance", actor=MOD, session=str(first), users="@anna @jan"
    )
    assert "2 osób" in marked.text
    await world.say("program attendance", actor=MOD, session=str(second), users="@anna")
    again = await world.say(
        "program attendance", actor=MOD, session=str(third), users="@anna, @anna"
    )
    assert "1 osoby" in again.text
    repeat = await world.say("program attendance", actor=MOD, session=str(third), users="@anna")
    assert "była już zaznaczona" in repeat.text
    # Mentions typed as "@anna" are the platform's ids ("test:anna"): Anna's own record.
    record = await world.say("program record", actor=ANNA)
    assert "3 dni udziału" in record.text
    assert "Przywództwo: 2 dni" in record.text and "Coaching: 1 dzień" in record.text
    jan = await world.say("program record", actor=MOD, user=JAN)
    assert "Przywództwo: 1 dzień" in jan.text
    # Someone else's record is for moderators.
    refused = await world.say("program record", actor=EWA, user=ANNA)
    assert "Przywództwo" not in refused.text
    bad = await world.say("program attendance", actor=MOD, session=str(first), users="anna")
    assert "wzmianki" in bad.text


# -- the personal learning line ----------------------------------------------------------


async def test_goals_log_and_a_line_that_is_private_unless_shared(world: World) -> None:
    too_many = await world.say("learning goals set", goals="a; b; c; d; e; f")
    assert "od 1 do 5" in too_many.text
    before = await world.say("learning log", goal="1", text="Pierwszy wpis")
    assert "Najpierw ustaw cele" in before.text
    done = await world.say(
        "learning goals set", goals="Zespół samodzielny; Pracownia makerska; zespół samodzielny"
    )
    assert "Zapisano 2 cele" in done.text
    await world.say("learning log", goal="1", text="Rozmowa z zespołem o delegowaniu")
    world.clock.advance(timedelta(days=3))
    await world.say("learning log", goal="makersk", text="Wizyta w Lesznie @everyone")
    wrong = await world.say("learning log", goal="7", text="x")
    assert "Nie ma celu" in wrong.text
    mine = await world.say("learning line")
    embed = mine.embeds[0]
    assert embed.title == "Ścieżka rozwoju: Anna"
    values = {f.name: f.value for f in embed.fields}
    assert "Rozmowa z zespołem" in values["1. Zespół samodzielny"]
    assert "@\u200beveryone" in values["2. Pracownia makerska"]  # user text stays inert
    [md] = mine.files
    text = md.data.decode()
    assert md.filename == "learning-line.md" and "## 2. Pracownia makerska" in text
    assert f"- **{START + timedelta(days=3):%Y-%m-%d}** Wizyta w Lesznie" in text
    # Private by default: Jan cannot read it until Anna shares it with him, Ewa never.
    refused = await world.say("learning line", actor=JAN, user=ANNA)
    assert "prywatna" in refused.text and not refused.embeds
    shared = await world.say("learning share", coach=JAN)
    assert "może teraz czytać" in shared.text
    coach_view = await world.say("learning line", actor=JAN, user=ANNA)
    assert coach_view.embeds[0].title == "Ścieżka rozwoju: Anna"
    assert "prywatna" in (await world.say("learning line", actor=EWA, user=ANNA)).text
    # New goals keep the older reflections, under "earlier goals".
    await world.say("learning goals set", goals="Nowy budżet")
    later = {f.name: f.value for f in (await world.say("learning line")).embeds[0].fields}
    assert "Wcześniejsze cele" in later and "1. Nowy budżet" in later


async def test_checkin_reminders_every_n_weeks_to_confirmed_participants(world: World) -> None:
    await create(world, capacity=1, checkin_weeks=2)
    await world.say("program join", actor=ANNA, program="Liderzy 2026")
    await world.say("program join", actor=JAN, program="Liderzy 2026")  # waitlisted

    def checkins(user: UserRef) -> list[str]:
        return [
            s.reply.text
            for s in world.front.sent
            if s.dm and s.to == user.id and "Czas na krótki wpis" in s.reply.text
        ]

    # Starts 1 April 9:00 Warsaw (7:00 UTC); the first check-in two weeks later.
    first = datetime(2026, 4, 15, 7, 0, tzinfo=UTC)
    await world.app.advance(first - world.clock.now() - timedelta(minutes=1))
    assert checkins(ANNA) == []
    await world.app.advance(timedelta(minutes=1))
    assert len(checkins(ANNA)) == 1 and checkins(JAN) == []
    # The rows are the truth: after a restart the next one still comes, once.
    await world.restart(down_for=timedelta(days=1))
    await world.app.advance(first + timedelta(weeks=2) - world.clock.now())
    assert len(checkins(ANNA)) == 2
    # None after the programme ends (30 September).
    await world.app.advance(timedelta(weeks=30))
    assert len(checkins(ANNA)) == 13  # 15 April + every 2 weeks to 30 September


# -- certificates ------------------------------------------------------------------------


async def test_certificates_for_those_at_the_threshold_by_dm_in_their_language(
    world: World,
) -> None:
    await create(world, threshold=2)
    first = await add_session(world, "Przywództwo", "15 kwietnia 10:00")
    second = await add_session(world, "Coaching", "20 maja 10:00")
    await after(world, "2026-05-20 08:00")
    await world.say("program attendance", actor=MOD, session=str(first), users="@anna @jan")
    await world.say("program attendance", actor=MOD, session=str(second), users="@anna")
    await world.say("settings language", actor=ANNA, language="en")
    before = len(world.front.sent)
    reply = await world.say("program certificates", actor=MOD, program="Liderzy 2026")
    assert "Wysłano 1 zaświadczenie" in reply.text and "Anna — 2 dni" in reply.text
    dms = [s for s in world.front.sent[before:] if s.dm]
    assert [s.to for s in dms] == ["test:anna"]  # Jan has 1 session of the 2 needed
    assert dms[0].reply.text.startswith("Congratulations!")
    [png] = dms[0].reply.files
    assert png.filename == "certificate-1-anna.png"
    with Image.open(io.BytesIO(png.data)) as image:
        image.load()
        assert image.format == "PNG" and image.size == (WIDTH, HEIGHT)
        name = image.convert("L").crop(NAME_BOX)
        low, high = name.getextrema()
        assert high - low > 100  # the name is drawn there, dark on light paper
    sent = len(world.front.sent)
    twice = await world.say("program certificates", actor=MOD, program="Liderzy 2026")
    assert twice.text.startswith("1 osoba z programu **Liderzy 2026** ma już zaświadczenie")
    assert len(world.front.sent) == sent  # nobody gets a second one by accident
    third = await world.say("program attendance", actor=MOD, session=str(second), users="@jan")
    assert third.text.startswith("Zaznaczono obecność 1 osoby")
    newly = await world.say("program certificates", actor=MOD, program="Liderzy 2026")
    assert (
        "Wysłano 1" in newly.text
        and "jan — 2 dni" in newly.text
        and "ma już zaświadczenie" in newly.text
    )
    again = await world.say("program certificates", actor=MOD, program="Liderzy 2026", again=True)
    assert "Wysłano 2" in again.text  # on purpose, e.g. a lost file
    refused = await world.say("program certificates", actor=ANNA, program="Liderzy 2026")
    assert "Wysłano" not in refused.text


async def test_no_certificates_below_the_threshold(world: World) -> None:
    await create(world, threshold=3)
    session = await add_session(world)
    await after(world, "2026-04-15 08:00")
    await world.say("program attendance", actor=MOD, session=str(session), users="@anna")
    reply = await world.say("program certificates", actor=MOD, program="Liderzy 2026")
    assert reply.text == "Nikt w programie **Liderzy 2026** nie był jeszcze na 3 sesjach."


async def test_the_overview_lists_seats_attendance_and_last_entry_dates_as_csv(
    world: World,
) -> None:
    await create(world, capacity=1)
    await world.say("program join", actor=ANNA, program="Liderzy 2026")
    await world.say("program join", actor=JAN, program="Liderzy 2026")
    await world.say("learning goals set", actor=ANNA, goals="Zespół")
    await world.say("learning log", actor=ANNA, goal="1", text="Tajna refleksja")
    session = await add_session(world, "Coaching", "15 kwietnia 10:00")
    await after(world, "2026-04-15 08:00")
    await world.say("program attendance", actor=MOD, session=str(session), users="@anna @ewa")
    reply = await world.say("program overview", actor=MOD, program="Liderzy 2026")
    embed = reply.embeds[0]
    assert embed.title == "Przegląd programu Liderzy 2026"
    assert "Anna · miejsce · 1 dzień · ostatni wpis: <t:" in embed.description
    assert "Jan · lista rezerwowa · 0 dni · ostatni wpis: —" in embed.description
    assert "ewa · bez zapisu · 1 dzień" in embed.description
    assert "Tajna" not in embed.description  # the line itself stays private
    assert embed.footer.startswith("Osoby: 3 · odbyte sesje: 1 ·")
    [attachment] = reply.files
    assert attachment.filename == "program-1-overview.csv"
    # In the server's language, with its spreadsheets' delimiter (Polish: a semicolon).
    rows = list(csv.reader(io.StringIO(attachment.data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == [
        "Osoba",
        "Zapis",
        "Dni obecności",
        "Przywództwo",
        "Zmiana w bibliotece",
        "Coaching",
        "Ostatni wpis",
    ]
    assert rows[1] == ["Anna", "miejsce", "1", "0", "0", "1", f"{START:%Y-%m-%d}"]
    assert rows[2] == ["Jan", "lista rezerwowa", "0", "0", "0", "0", ""]
    assert rows[3][:3] == ["ewa", "bez zapisu", "1"]
    assert "Przegląd" not in (await world.say("program overview", program="1")).text
    # A name that a spreadsheet would run as a formula is written as text. (The programme
    # has started: only a moderator can still give someone a seat.)
    formula = UserRef("test:x", "=HYPERLINK(1)")
    late = await world.say("program join", actor=formula, program="1")
    assert "już się zaczął" in late.text and "moderator" in late.text
    await world.say("signup add", actor=MOD, sheet="Liderzy 2026", slot=1, user=formula)
    again = await world.say("program overview", actor=MOD, program="Liderzy 2026")
    assert "'=HYPERLINK(1)" in again.files[0].data.decode("utf-8-sig")


# -- local cases -------------------------------------------------------------------------


async def test_a_local_case_is_a_forum_post_tagged_with_its_theme(world: World) -> None:
    await create(world)
    reply = await world.say(
        "learning case",
        title="Wolontariusze w filii",
        text="Jak utrzymać wolontariuszy po pierwszym miesiącu? @everyone",
        theme="zmiana",
    )
    assert reply.text == (
        "Opublikowano Twój przypadek w #ogloszenia. Odpowiedzi pojawią się w wątku."
    )
    post = world.front.forum_posts[-1]
    assert post.forum_id == FORUM.id and post.title == "Wolontariusze w filii"
    assert post.tags == ("Zmiana w bibliotece",)
    embed = post.reply.embeds[0]
    assert "@\u200beveryone" in embed.description  # inert
    assert {f.name: f.value for f in embed.fields}["Opisuje"] == "Anna"
    plain = await world.say("learning case", actor=JAN, title="Budżet", text="Jak liczyć?")
    assert plain.text.startswith("Opublikowano") and world.front.forum_posts[-1].tags == (
        "Przypadek",
    )
    unknown = await world.say("learning case", title="X", text="Y", theme="astronomia")
    assert "nie ma tematu" in unknown.text


async def test_a_certificate_carries_the_name_chosen_in_the_profile(world: World) -> None:
    await create(world, threshold=1)
    session = await add_session(world, "Przywództwo", "15 kwietnia 10:00")
    await after(world, "2026-04-15 12:00")
    saved = await world.say("profile set", actor=ANNA, name="dr Anna Kowalska")
    assert "Imię i nazwisko: dr Anna Kowalska" in saved.text
    shown = await world.say("profile show", actor=MOD, user=ANNA)
    assert shown.text.startswith("dr Anna Kowalska — biblioteka")
    await world.say("program attendance", actor=MOD, session=str(session), users="@anna @jan")
    reply = await world.say("program certificates", actor=MOD, program="Liderzy 2026")
    # The chosen name where one was chosen, the chat name otherwise.
    assert "dr Anna Kowalska — 1 dzień" in reply.text and "jan — 1 dzień" in reply.text
