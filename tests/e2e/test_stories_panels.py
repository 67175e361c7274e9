"""A virtual pączek panel on the real PodajBot through the Discord API double: planned with
mentions, reminded, started in a thread with slow mode, hands and the floor by buttons,
a question through the form, chat heard in the thread, a restart in the middle (buttons
and the form work after it), timed turns, and the transcript as a forum post."""

from __future__ import annotations

import sqlite3

from tests.helpers.clock import START

from .discord_double import state as st
from .discord_double.harness import Harness

HAND = "✋ Podnieś rękę"
ASK = "❓ Zadaj pytanie"
PACZEK = "🍩 Pączek"
NEXT = "▶ Następna osoba"


def card_of(dc: Harness, thread: st.Channel) -> st.Message:
    return dc.messages(thread)[0]


async def test_a_whole_panel_from_plan_to_transcript_with_a_restart(dc: Harness) -> None:
    await dc.slash("admin", "role grant", user="ewa", role="moderator")
    await dc.slash("admin", "setup server", forum="#announcements")
    jan, anna = dc.user("jan"), dc.user("anna")
    made = await dc.slash(
        "ewa",
        "panel create",
        topic="Biblioteka po godzinach",
        when="za 1 godzinę",
        panelists=f"<@{jan.id}> <@{anna.id}>",
        duration="30m",
    )
    assert made.ephemeral and "panel #1 **Biblioteka po godzinach**" in made.text, made.text
    await dc.settle()
    announcement = dc.messages("#general")[-1]
    assert f"Paneliści: <@{jan.id}>, <@{anna.id}>" in announcement.content
    assert announcement.allowed_mentions is not None and not announcement.allowed_mentions.get(
        "users"
    )  # announced, nobody pinged

    await dc.advance("46m")  # 15 minutes before the start
    assert "Jesteś w nim panelistą" in dc.dms("jan")[-1].content
    assert "Prowadzisz go" in dc.dms("ewa")[-1].content

    started = await dc.slash("ewa", "panel start", panel="1", slowmode=10)
    assert started.ephemeral and "Panel 1: Biblioteka po godzinach" in started.text
    await dc.settle()
    [thread] = dc.threads("#general")
    assert thread.name == "Panel 1: Biblioteka po godzinach"
    assert thread.rate_limit_per_user == 10
    card = card_of(dc, thread)
    assert "Jak wziąć udział" in card.content
    assert [b["label"] for b in card.buttons] == [HAND, "Opuść rękę", ASK, PACZEK, NEXT]

    raised = await dc.press("anna", card, HAND)
    assert raised.ephemeral and raised.text == "✋ Ręka w górze — jesteś 1. w kolejce."
    twice = await dc.press("anna", card, HAND)
    assert twice.text.startswith("Twoja ręka już jest w górze")
    refused = await dc.press("jan", card, NEXT)
    assert refused.text.startswith("Głos przydziela i panel prowadzi jego moderator")
    given = await dc.press("ewa", card, NEXT)
    assert given.text == "Głos ma teraz Anna."
    await dc.settle()
    assert dc.messages(thread)[-1].content.startswith(f"🎤 Głos ma <@{anna.id}> — 3 minuty")
    assert f"🎤 Głos ma <@{anna.id}>" in card_of(dc, thread).content  # the card is live

    await dc.say("jan", thread, "Pozdrowienia z Pilicy <b>!</b>")
    await dc.say("jan", "#general", "to nie jest rozmowa panelu")
    paczek = await dc.press("jan", card, PACZEK)
    assert paczek.text == "🍩 Anna dostaje od Ciebie pączka — ma już 1 pączek."
    form = await dc.press("jan", card, ASK)
    assert form.modal is not None and form.modal["title"] == "Pytanie do panelu"
    asked = await dc.submit_modal("jan", form, {"question": "Jak liczyć godziny?"})
    assert asked.ephemeral and asked.text.startswith("❓ Pytanie #1 czeka na moderatora")

    await dc.restart()

    card = card_of(dc, thread)
    assert "🍩 Anna: 1 pączek" in card.content and "❔ Czeka 1 pytanie" in card.content
    again = await dc.press("admin", card, HAND)  # a button on a card sent before the restart
    assert again.text == "✋ Ręka w górze — jesteś 1. w kolejce."
    form = await dc.press("admin", card, ASK)
    second = await dc.submit_modal("admin", form, {"question": "Czy będzie nagranie?"})
    assert second.text.startswith("❓ Pytanie #2")
    await dc.say("anna", thread, "Słychać mnie po restarcie?")
    voted = await dc.slash("anna", "panel upvote", question=2, in_channel=thread)
    assert voted.text == "👍 Poparto pytanie #2 — ma już 1 głos."

    await dc.advance("3m")  # Anna's turn: warned, then timed out (jobs rebuilt at start)
    said = [m.content for m in dc.messages(thread)]
    assert f"⏳ <@{anna.id}>, zostało 30 sekund." in said
    assert f"⏰ Czas! <@{anna.id}> kończy wypowiedź." in said

    picked = await dc.slash("ewa", "panel question next", in_channel=thread)
    assert picked.text == "Pytanie #2 jest teraz zadane panelistom."
    await dc.settle()
    assert dc.messages(thread)[-1].content.startswith("❓ **Pytanie #2** od osoby Admin (1 głos)")
    await dc.slash("ewa", "panel floor", user="jan", in_channel=thread)
    await dc.advance("1m")

    ended = await dc.slash("ewa", "panel end", in_channel=thread)
    assert ended.text.endswith("Podsumowanie i zapis: #announcements.")
    await dc.settle()
    assert thread.rate_limit_per_user == 0  # slow mode back as it was
    [post] = dc.forum_posts("#announcements")
    assert post.title.startswith(f"Panel: Biblioteka po godzinach — {START:%Y-%m-%d}")
    assert post.message is not None
    assert "• Anna — 1 wypowiedź, 3:00" in post.text and "• Anna — 1 pączek" in post.text
    assert "Pytania: zadane 2, omówione 1." in post.text
    files = {f.filename: f.data.decode() for f in post.message.files}
    assert set(files) == {"panel-1.md", "panel-1.html"}
    md, page = files["panel-1.md"], files["panel-1.html"]
    assert "**Jan:** Pozdrowienia z Pilicy \\<b>!\\</b>" in md
    assert "**Anna:** Słychać mnie po restarcie?" in md
    assert "to nie jest rozmowa panelu" not in md
    assert "❓ PYTANIE #2 (Admin): Czy będzie nagranie?" in md
    assert "Pozdrowienia z Pilicy &lt;b&gt;!&lt;/b&gt;" in page
    assert dc.messages(thread)[-1].content.startswith("📋 **Podsumowanie panelu")
    assert card_of(dc, thread).buttons == []  # ended: no more buttons


async def test_a_second_live_panel_in_a_channel_is_refused(dc: Harness) -> None:
    await dc.slash("admin", "role grant", user="ewa", role="moderator")
    ewa = dc.user("ewa")
    for topic in ("Pierwszy", "Drugi"):
        made = await dc.slash(
            "ewa", "panel create", topic=topic, when="za 30 minut", panelists=f"<@{ewa.id}>"
        )
        assert made.text.startswith("Zaplanowano panel"), made.text
    started = await dc.slash("ewa", "panel start", panel="1", thread=False)
    assert "trwa" in started.text, started.text
    busy = await dc.slash("ewa", "panel start", panel="2")
    assert busy.text.startswith("W tym kanale trwa już inny panel (#1)")
    assert dc.threads("#general") == []  # the first runs in the channel itself
    outside = await dc.slash("jan", "panel paczek", panel="2")
    assert outside.text.startswith("Panel **Drugi** jeszcze się nie zaczął")


def new_member(dc: Harness, name: str) -> st.User:
    """Someone who joined the server after the bot connected (not in its cache)."""
    double = dc.double
    user = st.User(id=double.snowflakes.seed(), username=name)
    double.state.users[user.id] = user
    guild = double.state.guilds[double.seeded.guild_id]
    guild.members[user.id] = st.Member(user.id, guild.id, [], double.now())
    return user


async def test_ten_panelists_on_a_slow_day_still_get_an_answer_in_time(dc: Harness) -> None:
    """Each name lookup answers 0.9 s late. discord.py sends the first alone (it does not
    know the route's bucket yet) and the other nine once its answer told it: all ten take
    1.8 s of Discord's 3 s, before the command has done anything. The lookups get 1.5 s,
    then the answer is deferred; names not found by then show as mentions. The harness
    fails the story if the answer came late."""
    await dc.slash("admin", "role grant", user="ewa", role="moderator")
    panelists = [new_member(dc, f"panelist{n}") for n in range(10)]
    dc.double.slow_down("GET /guilds/{guild_id}/members/{user_id}", 0.9)
    made = await dc.slash(
        "ewa",
        "panel create",
        topic="Wolny dzień",
        when="za 1 godzinę",
        panelists=" ".join(f"<@{p.id}>" for p in panelists),
    )
    assert made.deferred  # at once, when the lookups had used up their time
    await made.done()
    assert "panel #1 **Wolny dzień**" in made.text, made.text
    await dc.settle()
    with sqlite3.connect(dc.context.db_path) as db:
        named = db.execute(
            f"SELECT COUNT(*) FROM users WHERE user_id IN ({','.join('?' * len(panelists))})",
            [f"discord:{p.id}" for p in panelists],
        ).fetchone()[0]
    assert 0 < named < 10  # some names were found; the rest did not hold the answer
