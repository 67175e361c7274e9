"""Learning programme story on the real PodajBot through the Discord API double: a
moderator creates a programme (its registration sheet is posted), directors join by
command until the waitlist, a session becomes a training post in the forum, attendance
is marked by mentions and shows in each person's record, and certificates arrive by DM
as PNG files."""

from __future__ import annotations

from tests.helpers.clock import START, warsaw

from .discord_double.harness import Harness


async def test_a_programme_from_registration_to_the_record(dc: Harness) -> None:
    await dc.slash("admin", "setup server", forum="#announcements")
    await dc.slash("admin", "role grant", user="ewa", role="moderator")
    made = await dc.slash(
        "ewa",
        "program create",
        options={
            "name": "Liderzy 2025",
            "themes": "Przywództwo; Zmiana; Coaching",
            "starts": "za 7 dni 9:00",
            "ends": "30 czerwca 17:00",
            "capacity": 1,
        },
    )
    assert made.ephemeral and made.text.startswith("Utworzono program #1"), made.text
    choices = await dc.autocomplete("anna", "program join", "program", "lider")
    assert [(c["name"], c["value"]) for c in choices] == [("#1 Liderzy 2025", "1")]
    joined = await dc.slash("anna", "program join", program="Liderzy 2025")
    assert joined.text.startswith("Zapisano Cię na program **Liderzy 2025**"), joined.text
    waiting = await dc.slash("jan", "program join", program="liderzy")
    assert "pozycja 1" in waiting.text
    session = await dc.slash(
        "ewa",
        "program session add",
        options={
            "program": "1",
            "theme": "przywództwo",
            "when": "za 10 dni o 10",
            "duration": "6h",
        },
    )
    assert session.text.startswith("Dodano sesję #1 „Przywództwo”"), session.text
    await dc.settle()
    post = dc.forum_posts("#announcements")[-1]
    assert post.title == "Liderzy 2025: Przywództwo" and post.tags == ["Szkolenie"]
    anna, jan = dc.user("anna"), dc.user("jan")
    early = await dc.slash("ewa", "program attendance", session="1", users=f"<@{anna.id}>")
    assert "jeszcze się nie odbyła" in early.text
    await dc.advance(warsaw(10, 11) - START)  # the session's day, an hour after it began
    marked = await dc.slash(
        "ewa", "program attendance", session="1", users=f"<@{anna.id}> <@{jan.id}>"
    )
    assert marked.text.startswith("Zaznaczono obecność 2 osób"), marked.text
    record = await dc.slash("anna", "program record")
    assert "1 dzień udziału" in record.text and "Przywództwo: 1 dzień" in record.text
    info = await dc.slash("jan", "program info", program="Liderzy 2025")
    assert info.ephemeral and info.embeds[0]["title"] == "#1 Liderzy 2025"
    sent = await dc.slash("ewa", "program certificates", program="Liderzy 2025")
    assert sent.text.startswith("Wysłano 2 zaświadczenia programu **Liderzy 2025**"), sent.text
    await dc.settle()
    [dm] = [m for m in dc.dms("anna") if m.attachments]
    assert dm.content.startswith("Gratulacje! Oto Twoje zaświadczenie")
    [png] = dm.attachments
    assert png.filename.endswith(".png") and png.data.startswith(b"\x89PNG")
