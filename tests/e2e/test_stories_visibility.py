"""A group's content stays inside the group, on the real PodajBot through the Discord API
double: Ewa runs Jura and posts an event, a date poll and a sign-up sheet in its private
channel; Anna, a member, is served; Jan, who is in no group, finds nothing — not in
lists, not in suggestions, not by number, not by pressing the buttons — and nothing
changes in the channel he cannot see."""

from __future__ import annotations

from .discord_double import state as st
from .discord_double.harness import Harness


async def jura_with_content(dc: Harness) -> None:
    made = await dc.slash("admin", "group create", name="Jura", city="Zawiercie", initiator="ewa")
    assert made.text.startswith("Utworzono grupę **Jura**"), made.text
    joined = await dc.slash("anna", "group join", name="Jura")
    assert "Jura" in joined.text
    replies = [
        await dc.slash(
            "ewa",
            "event create",
            in_channel="#jura",
            options={
                "title": "Spotkanie Jury",
                "kind": "group",
                "when": "5 marca o 10",
                "duration": "2h",
                "place": "MBP Zawiercie",
                "description": "Plan na wiosnę",
            },
        ),
        await dc.slash(
            "ewa",
            "poll dates",
            in_channel="#jura",
            options={"question": "Termin wyjazdu Jury", "options": "10 marca o 10; 11 marca o 10"},
        ),
        await dc.slash(
            "ewa",
            "signup create",
            in_channel="#jura",
            title="Dyżur Jury",
            slots="12 marca o 9",
            capacity=3,
        ),
    ]
    for reply in replies:
        assert reply.ephemeral and "#jura" in reply.text, reply.text
    await dc.settle()


def posted(dc: Harness, words: str) -> st.Message:
    return next(
        m
        for m in dc.messages("#jura")
        if words in m.content or any(words in (e.get("title") or "") for e in m.embeds)
    )


def all_text(dc: Harness) -> str:
    return "\n".join(
        m.content + "".join(str(e) for e in m.embeds) + str(m.buttons) for m in dc.messages("#jura")
    )


async def test_someone_outside_the_group_finds_nothing_and_a_member_is_served(
    dc: Harness,
) -> None:
    await jura_with_content(dc)
    before = all_text(dc)

    # Jan is in no group: lists, suggestions and numbers name nothing of Jura.
    listed = await dc.slash("jan", "event list")
    assert listed.text == "Nie ma nadchodzących wydarzeń."
    assert await dc.autocomplete("jan", "event info", "event", "") == []
    assert await dc.autocomplete("jan", "signup status", "sheet", "") == []
    assert await dc.autocomplete("jan", "poll vote", "poll", "") == []
    info = await dc.slash("jan", "event info", event="1")
    assert info.text == "Nie znam wydarzenia „1”. Listę pokazuje /event list."
    rsvp = await dc.slash("jan", "event rsvp", event="1", answer="going")
    assert rsvp.text == info.text
    ics = await dc.slash("jan", "event ics", event="Spotkanie Jury")
    assert ics.text == "Nie znam wydarzenia „Spotkanie Jury”. Listę pokazuje /event list."
    assert not ics.files
    status = await dc.slash("jan", "signup status", sheet="1")
    assert status.text == "Nie znam arkusza „1”. Podaj jego numer albo tytuł."
    vote = await dc.slash("jan", "poll vote", poll="1", option=1, answer="yes")
    assert vote.text == "Nie znam głosowania „1”. Podaj jego numer albo słowa z pytania."
    # A button he got hold of does nothing either (Discord would not show him the channel).
    pressed = await dc.press("jan", posted(dc, "Termin wyjazdu Jury"), "poll:date:1:1")
    assert pressed.ephemeral and pressed.text == vote.text
    joined = await dc.press("jan", posted(dc, "Dyżur Jury"), "signup:join:1:1")
    assert joined.text == status.text
    await dc.settle()
    assert all_text(dc) == before  # the channel he cannot see did not change

    # Anna is a member: the same commands and buttons serve her.
    mine = await dc.slash("anna", "event list")
    assert "Spotkanie Jury" in mine.text
    choices = await dc.autocomplete("anna", "event info", "event", "jury")
    assert [c["value"] for c in choices] == ["1"]
    answered = await dc.slash("anna", "event rsvp", event="1", answer="going")
    assert answered.text.startswith("Zapisano: będziesz na wydarzeniu **Spotkanie Jury**")
    voted = await dc.press("anna", posted(dc, "Termin wyjazdu Jury"), "poll:date:1:1")
    assert voted.text.startswith("Termin 1")
    seat = await dc.press("anna", posted(dc, "Dyżur Jury"), "signup:join:1:1")
    assert seat.text.startswith("Zapisano Cię na arkuszu **Dyżur Jury**")
    ics = await dc.slash("anna", "event ics", event="1")
    [calendar] = ics.files
    assert b"Spotkanie Jury" in calendar.data


async def test_a_poll_made_in_a_thread_of_the_groups_channel_is_the_groups(dc: Harness) -> None:
    """Discord gives a thread's interactions the thread as channel; it belongs where its
    parent channel belongs."""
    await jura_with_content(dc)
    made = await dc.slash(
        "ewa",
        "panel create",
        in_channel="#jura",
        topic="Panel Jury",
        when="za 5 minut",
        panelists=f"<@{dc.user('ewa').id}>",
    )
    assert made.text.startswith("Zaplanowano panel"), made.text
    await dc.advance("6m")
    started = await dc.slash("ewa", "panel start", in_channel="#jura", panel="1")
    assert "trwa" in started.text, started.text
    [thread] = dc.threads("#jura")
    posted_in_thread = await dc.slash(
        "ewa",
        "poll quick",
        in_channel=thread,
        options={"question": "Kawa w wątku?", "options": "kawa; herbata"},
    )
    assert posted_in_thread.text.startswith("Opublikowano głosowanie #2"), posted_in_thread.text
    voted = await dc.slash("jan", "poll vote", poll="2", option=1)
    assert voted.text == "Nie znam głosowania „2”. Podaj jego numer albo słowa z pytania."
    member = await dc.slash("anna", "poll vote", poll="2", option=1)
    # A member finds it: a quick poll on Discord is Discord's own, voted on there.
    assert member.text.startswith("Ta ankieta działa w samym Discordzie"), member.text
