"""The weekly digest in the console, run as a process: on Monday at 9:00 it is a post in
the forum's channel (a thread titled with it) in the server's language, without the event
of Jura (a group's own), and a DM to Anna in Dutch with the times in her zone (Sofia)."""

from __future__ import annotations

from pathlib import Path

from .test_console_cli import console

SCRIPT = """\
/setup server forum:#ogloszenia digest:"poniedziałek 9:00"
/role grant user:@ewa role:moderator
/group create name:Jura city:Zawiercie initiator:@ewa
@ewa /event create title:"Forum dyrektorów" kind:forum when:"za 5 dni o 10" duration:3h \
place:"https://meet.example/forum" description:"Budżety" capacity:40
@ewa #jura /event create title:"Spotkanie Jury" kind:group when:"za 4 dni o 12" duration:2h \
place:"MBP Zawiercie" description:"Plan"
@anna /settings language language:nl
@anna /settings timezone timezone:Europe/Sofia
@anna /settings digest dm:on
/clock advance by:4d
/clock advance by:7d
"""


def test_the_digest_is_posted_in_the_forum_and_sent_to_a_reader_in_her_zone(
    tmp_path: Path,
) -> None:
    events = console(tmp_path, SCRIPT)
    setup = {f["name"]: f["value"] for f in events[0]["embeds"][0]["fields"]}
    assert setup["Tygodniowy przegląd"] == "w każdy poniedziałek, o 09:00 (Europe/Warsaw)"
    posts = [e for e in events if (e["thread"] or "").startswith("Przegląd tygodnia — ")]
    [post] = posts  # a week later the fortnight is empty: nothing more is posted
    assert post["channel"] == "ogloszenia" and post["at"] == "2026-01-19T09:00:00+01:00"
    described = post["embeds"][0]["description"]
    assert "**Forum dyrektorów** — wtorek, 20 stycznia 2026 10:00 CET" in described
    assert "zostało 40 wolnych miejsc" in described and "Spotkanie Jury" not in described
    [dm] = [e for e in events if e["to"] == "anna" and e["channel"] is None]
    assert dm["embeds"][0]["title"] == "Weekoverzicht"
    described = dm["embeds"][0]["description"]
    assert "**Forum dyrektorów** — dinsdag, 20 januari 2026 11:00 EET" in described
    assert "nog 40 plaatsen vrij" in described and "Spotkanie Jury" not in described
