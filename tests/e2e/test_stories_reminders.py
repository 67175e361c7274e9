"""Reminder stories on the real PodajBot through the Discord API double."""

from __future__ import annotations

import re

from tests.helpers.clock import START, warsaw

from .discord_double.harness import Harness


def unix_times(text: str) -> list[int]:
    return [int(n) for n in re.findall(r"<t:(\d+):[FR]>", text)]


async def test_a_reminder_shows_the_time_understood_and_arrives_by_dm(dc: Harness) -> None:
    reply = await dc.slash("anna", "remind me", when="jutro o 18", what="Zadzwonić do Pilicy")
    assert reply.ephemeral
    due = warsaw(1, 18)
    stamp = int(due.timestamp())
    assert unix_times(reply.text) == [stamp, stamp]  # absolute and relative, so a misreading shows
    await dc.advance(due - START)
    [dm] = dc.dms("anna")
    assert dm.content == "⏰ Przypomnienie: Zadzwonić do Pilicy"
    assert [b["label"] for b in dm.buttons] == ["Za 10 min", "Za godzinę", "Jutro rano", "Zrobione"]


async def test_snooze_after_a_restart_on_an_old_message(dc: Harness) -> None:
    await dc.slash("anna", "remind me", when="za 10 minut", what="herbata")
    await dc.advance("10m")
    [dm] = dc.dms("anna")
    await dc.restart()  # the DM with its buttons was sent by the previous process
    snoozed = await dc.press("anna", dm, "Za 10 min")
    assert snoozed.text.startswith("⏰ Przypomnienie #1:")
    await dc.advance("10m")
    assert [m.content for m in dc.dms("anna")] == ["⏰ Przypomnienie: herbata"] * 2


async def test_pending_reminders_survive_a_restart(dc: Harness) -> None:
    await dc.slash("jan", "remind me", when="za 2 godziny", what="raport", every="codziennie")
    await dc.restart()
    listed = await dc.slash("jan", "remind list")
    assert "raport" in listed.text and "codziennie" in listed.text
    await dc.advance("1d2h")
    assert [m.content for m in dc.dms("jan")] == ["⏰ Przypomnienie: raport"] * 2


async def test_closed_dms_fall_back_to_a_mention_in_the_channel(dc: Harness) -> None:
    dc.close_dms("ewa")
    await dc.slash("ewa", "remind me", when="za 5 minut", what="spotkanie", in_channel="#general")
    await dc.advance("5m")
    post = dc.messages("#general")[-1]
    ewa = dc.user("ewa")
    assert post.content.startswith(f"<@{ewa.id}> ⏰ Przypomnienie: spotkanie")
    assert post.allowed_mentions is not None
    assert [int(u) for u in post.allowed_mentions["users"]] == [ewa.id]  # only Ewa is pinged


async def test_list_edit_and_cancel(dc: Harness) -> None:
    await dc.slash("anna", "remind me", when="w piątek 10:00", what="forum")
    edited = await dc.slash("anna", "remind edit", id=1, when="w czwartek 9:00")
    assert edited.text.startswith("⏰ Przypomnienie #1:")
    assert (await dc.slash("anna", "remind cancel", id=1)).text == "Anulowano przypomnienie #1."
    assert "Nie masz oczekujących" in (await dc.slash("anna", "remind list")).text
    await dc.advance("7d")
    assert dc.dms("anna") == []


async def test_a_failed_send_is_retried(dc: Harness) -> None:
    await dc.slash("anna", "remind me", when="za 5 minut", what="ważne")
    dc.rate_limit("POST /channels/*/messages", times=1, retry_after=0.05)
    await dc.advance("5m")
    assert [m.content for m in dc.dms("anna")] == ["⏰ Przypomnienie: ważne"]


async def test_a_moderator_lists_and_stops_a_channels_repeating_reminder(dc: Harness) -> None:
    await dc.slash("admin", "role grant", user="ewa", role="moderator")
    await dc.slash("ewa", "remind channel", when="jutro o 9", what="Kawa", every="weekly")
    listed = await dc.slash("admin", "remind list", channel="#general")
    assert listed.ephemeral and listed.text.startswith("Na #general czeka 1 przypomnienie:")
    await dc.advance("1d")
    [posted] = [m for m in dc.messages("#general") if "Kawa" in m.content]
    assert "`/remind cancel id:1`" in posted.content
    stopped = await dc.slash("admin", "remind cancel", id=1)
    assert "#1" in stopped.text


async def test_snooze_clicked_twice_on_a_repeating_reminder_makes_one_snooze(
    dc: Harness,
) -> None:
    await dc.slash("jan", "remind me", when="za 10 minut", what="kawa", every="co godzinę")
    await dc.advance("10m")
    [dm] = dc.dms("jan")
    first = await dc.press("jan", dm, "Za 10 min")
    assert first.text.startswith("⏰ Przypomnienie #2:")
    again = await dc.press("jan", dm, "Za 10 min")  # a double click
    assert again.text == first.text
    later = await dc.press("jan", dm, "Za godzinę")  # the series' own next time
    assert later.text.startswith("🔁 Przypomnienie #1 i tak wróci o swojej porze")
    listed = await dc.slash("jan", "remind list")
    assert listed.text.count("kawa") == 1
    await dc.advance("1h")
    assert [m.content for m in dc.dms("jan")] == ["⏰ Przypomnienie: kawa"] * 2
