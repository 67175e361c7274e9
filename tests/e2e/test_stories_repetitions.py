"""Repetitions typed in words, on the real PodajBot through the Discord API double: a
reminder every two weeks across the change to summer time, a national forum twice a year
announced with its next dates, a group meeting on the first Thursday of the month."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from tests.helpers.clock import BEFORE_SUMMER_TIME, START, WARSAW, warsaw

from .discord_double.harness import Harness


def unix(text: str) -> list[datetime]:
    return [datetime.fromtimestamp(int(n), UTC) for n in re.findall(r"<t:(\d+):F>", text)]


def next_line(text: str) -> str:
    return next(line for line in text.splitlines() if line.startswith("Najbliższe:"))


async def test_a_reminder_every_two_weeks_over_six_weeks_across_summer_time(dc: Harness) -> None:
    # Move on to Friday 20 March 2026, so that the six weeks cross 29 March 2026, when
    # Warsaw goes to summer time.
    await dc.advance(BEFORE_SUMMER_TIME - START)
    made = await dc.slash(
        "anna", "remind me", when="23 marca 2026 o 9", what="Sprawozdanie", every="co 2 tygodnie"
    )
    assert "🔁 Powtarza się co drugi poniedziałek, o 09:00." in made.text
    assert unix(next_line(made.text)) == [
        datetime(2026, 3, 23, 8, 0, tzinfo=UTC),
        datetime(2026, 4, 6, 7, 0, tzinfo=UTC),
        datetime(2026, 4, 20, 7, 0, tzinfo=UTC),
    ]
    for _ in range(6):
        await dc.advance("7d")
    dms = [m for m in dc.dms("anna") if m.content == "⏰ Przypomnienie: Sprawozdanie"]
    assert len(dms) == 3  # 23 March, 6 April, 20 April — not every week
    refused = await dc.slash("anna", "remind me", when="jutro o 9", what="x", every="co 5 minut")
    assert refused.text.startswith("„co 5 minut” to co 5 minut — tutaj za często")


async def test_a_national_forum_twice_a_year(dc: Harness) -> None:
    await dc.slash("admin", "setup server", forum="#announcements")
    await dc.slash("admin", "role grant", user="ewa", role="moderator")
    made = await dc.slash(
        "ewa",
        "event series create",
        title="Forum krajowe",
        kind="forum",
        first="za 17 dni o 10",
        every="twice a year",
        duration="6h",
        ahead_days=30,
    )
    assert made.text.startswith("Utworzono cykl #1 **Forum krajowe** (co 6 miesięcy)"), made.text
    first = warsaw(17, 10).astimezone(WARSAW)  # in winter time
    assert unix(next_line(made.text)) == [
        first,  # 10:00 CET
        first.replace(month=first.month + 6),  # 10:00 CEST
        first.replace(year=first.year + 1),
    ]
    await dc.settle()
    assert [p.title for p in dc.forum_posts("#announcements")] == ["Forum krajowe"]


async def test_a_meeting_plan_on_the_first_thursday_of_the_month(dc: Harness) -> None:
    await dc.slash("admin", "group create", name="Jura", city="Zawiercie", initiator="ewa")
    planned = await dc.slash(
        "ewa",
        "group meeting plan",
        name="Jura",
        hosts="Łazy; Pilica",
        first="4 lutego o 18",  # Wednesday: the first Thursday is 5 February
        every="w pierwszy czwartek miesiąca",
    )
    assert "🔁 Spotkania w pierwszy czwartek miesiąca, o 18:00." in planned.text
    assert "nie pasuje do tej reguły" in planned.text
    assert unix(next_line(planned.text)) == [
        datetime(2026, 2, 5, 17, 0, tzinfo=UTC),
        datetime(2026, 3, 5, 17, 0, tzinfo=UTC),
        datetime(2026, 4, 2, 16, 0, tzinfo=UTC),  # 18:00 CEST
    ]
    await dc.advance("22d")  # past the first meeting
    assert "gospodarz: Pilica" in dc.messages("#jura")[-1].content
