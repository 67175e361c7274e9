"""The weekly digest on the real PodajBot through the Discord API double: an admin sets it
for Monday 9:00; on Monday a digest appears in the announcements forum with the national
event and without the event of Jura (a group's own); Anna, who reads in Dutch and asked for
it, gets it by DM in Dutch; a restart does not post the week again."""

from __future__ import annotations

import json
from datetime import timedelta

from tests.helpers.clock import START, warsaw

from .discord_double import state as st
from .discord_double.harness import ForumPost, Harness

MONDAY_9 = warsaw(4, 9)  # the clock starts on Thursday 15 January 2026, 10:00 in Warsaw


def shown(message: st.Message | None) -> str:
    assert message is not None
    return message.content + json.dumps(message.embeds, ensure_ascii=False)


def digests(dc: Harness) -> list[ForumPost]:
    return [
        p for p in dc.forum_posts("#announcements") if p.title.startswith("Przegląd tygodnia — ")
    ]


async def test_a_digest_appears_on_its_day_and_comes_by_dm_in_dutch(dc: Harness) -> None:
    await dc.slash("admin", "setup server", forum="#announcements")
    await dc.slash("admin", "role grant", user="ewa", role="moderator")
    await dc.slash("admin", "group create", name="Jura", city="Zawiercie", initiator="ewa")
    national = await dc.slash(
        "ewa",
        "event create",
        options={
            "title": "Forum dyrektorów",
            "kind": "forum",
            "when": "za 5 dni o 10",
            "duration": "3h",
            "place": "https://meet.example/forum",
            "description": "Budżety bibliotek",
            "capacity": 40,
        },
    )
    assert national.text.startswith("Utworzono wydarzenie"), national.text
    private = await dc.slash(
        "ewa",
        "event create",
        in_channel="#jura",
        options={
            "title": "Spotkanie Jury",
            "kind": "group",
            "when": "za 4 dni o 12",
            "duration": "2h",
            "place": "MBP Zawiercie",
            "description": "Plan na wiosnę",
        },
    )
    assert "#jura" in private.text, private.text
    await dc.slash("anna", "settings language", language="nl")
    asked = await dc.slash("anna", "settings digest", dm="on")
    assert asked.ephemeral and "beheerder" in asked.text, asked.text

    set_ = await dc.slash("admin", "setup server", digest="poniedziałek 9:00")
    assert "w każdy poniedziałek, o 09:00" in json.dumps(set_.embeds, ensure_ascii=False)
    refused = await dc.slash("admin", "setup server", digest="co miesiąc")
    assert "raz w tygodniu" in refused.text, refused.text
    await dc.settle()
    assert digests(dc) == []

    await dc.advance(MONDAY_9 - START - timedelta(minutes=1))
    assert digests(dc) == []
    await dc.advance("1m")
    [post] = digests(dc)
    assert post.tags == ["Przegląd tygodnia"]
    text = shown(post.message)
    assert "Forum dyrektorów" in text and "zostało 40 wolnych miejsc" in text
    assert "Spotkanie Jury" not in text
    dm = shown(dc.dms("anna")[-1])
    assert "Weekoverzicht" in dm and "Forum dyrektorów" in dm and "nog 40 plaatsen vrij" in dm
    assert "Spotkanie Jury" not in dm

    await dc.restart()
    await dc.advance("2h")
    assert len(digests(dc)) == 1
    assert sum("Weekoverzicht" in shown(m) for m in dc.dms("anna")) == 1
