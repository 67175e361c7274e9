"""Events in the console, run as a process the way a user starts it: the announcement is
an event in the forum's channel with the event's title as its thread, answers and
reminders follow, and calendar files are written under --files."""

from __future__ import annotations

from pathlib import Path

import icalendar

from .test_console_cli import console

SCRIPT = """\
/setup server forum:#ogloszenia
/role grant user:@ewa role:moderator
@ewa /event create title:"Forum dyrektorów" kind:forum when:"22 stycznia o 10" duration:3h \
place:"https://meet.example/forum" description:"Budżety"
@anna /press id:event:rsvp:1:going
@jan /event rsvp event:forum answer:maybe
@anna /event ics event:1
@ewa /event edit event:1 when:"22 stycznia o 11"
/clock advance by:7d
@anna /event calendar
@ewa /event cancel event:1
@anna /press id:event:ics:1
"""


def test_an_event_in_the_console_from_announcement_to_cancellation(tmp_path: Path) -> None:
    events = console(tmp_path, SCRIPT)
    posts = [e for e in events if e["thread"] is not None]
    first = posts[0]
    assert (first["channel"], first["thread"], first["reply_to"]) == (
        "ogloszenia",
        "Forum dyrektorów",
        3,
    )
    assert first["embeds"][0]["title"] == "🏛️ Forum dyrektorów"
    assert "czwartek, 22 stycznia 2026 10:00" in first["embeds"][0]["fields"][0]["value"]
    assert [b["id"] for b in first["buttons"]] == [
        "event:rsvp:1:going",
        "event:rsvp:1:maybe",
        "event:rsvp:1:no",
        "event:ics:1",
    ]
    created = next(e for e in events if e["created"])
    assert created["created"] == {"type": "event", "id": 1} and created["to"] == "ewa"
    # The post is shown again (in its thread) whenever its counts change.
    counted = [p for p in posts if p["buttons"] and p["buttons"][0]["label"] == "Będę · 1"]
    assert counted and all(p["channel"] == "ogloszenia" for p in counted)
    assert any(p["buttons"][1]["label"] == "Może · 1" for p in posts)
    # Edits reach those coming by DM; reminders come while the clock moves.
    dms = [e for e in events if e["channel"] is None]
    assert [e["to"] for e in dms if e["text"].startswith("Zmiana")] == ["anna", "jan"]
    # Moved to 11:00, the event is 7 days and an hour away: a "7 days" reminder an hour
    # after the change notice would be noise, so the day and the hour before remain.
    reminders = [e for e in dms if e["text"].startswith("⏰")]
    assert [(e["to"], e["reply_to"]) for e in reminders] == [("anna", None), ("jan", None)] * 2
    assert [e["text"].split(":")[0] for e in reminders[::2]] == ["⏰ Za 1 dzień", "⏰ Za 1 godzinę"]
    # Calendar files go under --files; the last one says the event is cancelled.
    files = [Path(f) for e in events for f in e["files"]]
    assert [f.name for f in files] == ["001-event-1.ics", "002-podaj-dalej.ics", "003-event-1.ics"]
    assert all(f.parent == tmp_path / "files" for f in files)
    first_ics = icalendar.Calendar.from_ical(files[0].read_bytes()).walk("VEVENT")[0]
    last_ics = icalendar.Calendar.from_ical(files[2].read_bytes()).walk("VEVENT")[0]
    assert str(first_ics["UID"]) == str(last_ics["UID"]) == "event-1@podaj-dalej"
    assert (int(first_ics["SEQUENCE"]), int(last_ics["SEQUENCE"])) == (0, 2)
    assert str(last_ics["STATUS"]) == "CANCELLED"
    cancelled = posts[-1]
    assert cancelled["thread"] == "Forum dyrektorów" and cancelled["embeds"][0][
        "description"
    ].startswith("**Wydarzenie odwołane.**")
    assert [b["id"] for b in cancelled["buttons"]] == ["event:ics:1"]
