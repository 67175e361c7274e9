"""Event stories on the real PodajBot through the Discord API double: a forum post with the
tag of its kind and a native scheduled event, answer buttons with live counts (also after a
restart), reminders, edits and cancellations, the form (modal) with its preview, and what
the moderator is told when Discord refuses."""

from __future__ import annotations

from datetime import timedelta

from tests.helpers.clock import START, warsaw

from .discord_double import state as st
from .discord_double.harness import ForumPost, Harness

# The event most stories announce: ten days after the clock's start, 10:00 in Warsaw.
WHEN = "za 10 dni o 10"
STARTS = warsaw(10, 10)


def button_ids(message: st.Message) -> list[str]:
    return [b["custom_id"] for b in message.buttons]


def labels(message: st.Message) -> list[str]:
    return [b["label"] for b in message.buttons]


def embed_fields(message: st.Message) -> dict[str, str]:
    return {f["name"]: f["value"] for f in message.embeds[0].get("fields", [])}


async def setup_forum(dc: Harness) -> None:
    done = await dc.slash("admin", "setup server", forum="#announcements")
    assert done.ephemeral
    await dc.slash("admin", "role grant", user="ewa", role="moderator")


async def announce(dc: Harness, **extra: object) -> ForumPost:
    options: dict[str, object] = {
        "title": "Forum dyrektorów",
        "kind": "forum",
        "when": WHEN,
        "duration": "3h",
        "place": "https://meet.example/forum",
        "description": "Budżety 2025",
    }
    options.update(extra)
    made = await dc.slash("ewa", "event create", options=options)
    assert made.ephemeral and made.text.startswith("Utworzono wydarzenie"), made.text
    await dc.settle()
    return dc.forum_posts("#announcements")[-1]


def post_message(dc: Harness, post: ForumPost) -> st.Message:
    assert post.message is not None
    return dc.double.state.messages[post.message.id]


async def test_an_event_becomes_a_tagged_forum_post_and_a_scheduled_event(dc: Harness) -> None:
    await setup_forum(dc)
    post = await announce(dc)
    assert post.title == "Forum dyrektorów" and post.tags == ["Forum"]
    forum = dc.channel("#announcements")
    assert "Forum" in [t["name"] for t in forum.available_tags]  # made by the bot
    assert {"Ogłoszenie", "Pytanie", "Wydarzenie"} <= {t["name"] for t in forum.available_tags}
    message = post_message(dc, post)
    fields = embed_fields(message)
    start = int(STARTS.timestamp())
    assert f"<t:{start}:F>" in fields["Kiedy"] and f"<t:{start}:R>" in fields["Kiedy"]
    assert fields["Gdzie"] == "https://meet.example/forum"
    assert button_ids(message) == [
        "event:rsvp:1:going",
        "event:rsvp:1:maybe",
        "event:rsvp:1:no",
        "event:ics:1",
    ]
    [event] = dc.scheduled_events()
    assert event.name == "Forum dyrektorów" and event.entity_type == 3  # external
    assert event.scheduled_start_time == STARTS
    assert event.scheduled_end_time == STARTS + timedelta(hours=3)
    assert event.entity_metadata == {"location": "https://meet.example/forum"}
    assert f"/channels/{dc.guild.id}/{post.thread.id}" in (event.description or "")
    # Another kind gets its own tag, named in the server's language. Without a place (so
    # through the form), the scheduled event points at the forum post.
    form = await dc.slash("ewa", "event create", kind="training")
    preview = await dc.submit_modal(
        "ewa", form, {"Tytuł": "Szkolenie RODO", "Kiedy się zaczyna": "jutro", "Czas trwania": "1h"}
    )
    await dc.press("ewa", preview, "Potwierdź")
    await dc.settle()
    training = dc.forum_posts("#announcements")[-1]
    assert training.tags == ["Szkolenie"]
    [_, second] = dc.scheduled_events()
    assert second.entity_metadata == {
        "location": f"https://discord.com/channels/{dc.guild.id}/{training.thread.id}"
    }


async def test_answer_buttons_count_live_and_work_after_a_restart(dc: Harness) -> None:
    await setup_forum(dc)
    post = await announce(dc)
    message = post_message(dc, post)
    going = await dc.press("anna", message, "event:rsvp:1:going")
    assert going.ephemeral and going.text.startswith(
        "Zapisano: będziesz na wydarzeniu **Forum dyrektorów**"
    )
    await dc.settle()
    assert labels(post_message(dc, post))[:3] == ["Będę · 1", "Może · 0", "Nie będę · 0"]
    await dc.restart()
    maybe = await dc.press("jan", post_message(dc, post), "Może · 0")
    assert maybe.text.startswith("Zapisano: może")
    await dc.settle()
    assert labels(post_message(dc, post))[:3] == ["Będę · 1", "Może · 1", "Nie będę · 0"]
    calendar = await dc.press("jan", post_message(dc, post), "event:ics:1")
    [ics] = calendar.files
    assert ics.filename == "event-1.ics" and b"UID:event-1@podaj-dalej" in ics.data
    attendees = await dc.slash("ewa", "event attendees", event="1")
    assert "✅ Będę — 1 osoba\n    1. Anna" in attendees.text
    assert "🤔 Może — 1 osoba\n    1. Jan" in attendees.text
    choices = await dc.autocomplete("anna", "event rsvp", "event", "forum", answer="going")
    assert [c["value"] for c in choices] == ["1"]


async def test_reminders_arrive_by_dm_or_as_a_mention_in_the_thread(dc: Harness) -> None:
    await setup_forum(dc)
    post = await announce(dc)
    await dc.press("anna", post_message(dc, post), "event:rsvp:1:going")
    await dc.press("jan", post_message(dc, post), "event:rsvp:1:maybe")
    dc.close_dms("jan")
    await dc.advance(STARTS - timedelta(days=7) - START)  # seven days before
    [week] = dc.dms("anna")
    assert week.content.startswith("⏰ Za 7 dni: **Forum dyrektorów**")
    mention = dc.messages(post.thread)[-1]
    assert mention.content.startswith(f"<@{dc.user('jan').id}> ⏰ Za 7 dni")
    assert mention.allowed_mentions is not None
    assert [str(u) for u in mention.allowed_mentions.get("users", [])] == [str(dc.user("jan").id)]
    await dc.advance("6d")
    assert dc.dms("anna")[-1].content.startswith("⏰ Za 1 dzień")
    await dc.advance("23h")
    assert dc.dms("anna")[-1].content.startswith("⏰ Za 1 godzinę")


async def test_edit_and_cancel_update_the_post_and_the_scheduled_event(dc: Harness) -> None:
    await setup_forum(dc)
    post = await announce(dc)
    await dc.press("anna", post_message(dc, post), "event:rsvp:1:going")
    edited = await dc.slash("ewa", "event edit", event="1", when="za 11 dni o 12", place="Sala 2")
    assert edited.text.startswith("Zmieniono wydarzenie #1 **Forum dyrektorów**:")
    await dc.settle()
    moved = warsaw(11, 12)
    fields = embed_fields(post_message(dc, post))
    assert f"<t:{int(moved.timestamp())}:F>" in fields["Kiedy"] and fields["Gdzie"] == "Sala 2"
    [event] = dc.scheduled_events()
    assert event.scheduled_start_time == moved
    assert event.entity_metadata == {"location": "Sala 2"}
    assert dc.dms("anna")[-1].content.startswith("Zmiana w wydarzeniu **Forum dyrektorów**")
    cancelled = await dc.slash("ewa", "event cancel", event="Forum dyrektorów")
    assert cancelled.text.startswith("Odwołano wydarzenie #1")
    await dc.settle()
    message = post_message(dc, post)
    assert message.embeds[0]["description"].startswith("**Wydarzenie odwołane.**")
    assert button_ids(message) == ["event:ics:1"]
    assert dc.channel(post.thread).name == "Odwołane: Forum dyrektorów"
    [event] = dc.scheduled_events()
    assert event.status == 4  # canceled
    assert "odwołane" in dc.dms("anna")[-1].content
    twice = await dc.slash("ewa", "event cancel", event="1")
    assert twice.text == "Wydarzenie **Forum dyrektorów** jest już odwołane."


async def test_the_form_a_preview_and_confirm(dc: Harness) -> None:
    await setup_forum(dc)
    opened = await dc.slash("ewa", "event create", kind="supervision", place="Sala 2")
    assert opened.modal is not None
    assert opened.modal["title"] == "Nowe wydarzenie"
    inputs = {c["custom_id"]: c for row in opened.modal["components"] for c in row["components"]}
    assert list(inputs) == [
        f"event-form:{n}" for n in ("title", "when", "duration", "place", "description")
    ]
    assert inputs["event-form:place"].get("value") == "Sala 2"  # given as an option: prefilled
    assert inputs["event-form:title"]["label"] == "Tytuł"
    preview = await dc.submit_modal(
        "ewa",
        opened,
        {
            "event-form:title": "Superwizja — marzec",
            "Kiedy się zaczyna": WHEN,
            "Czas trwania": "2h",
            "Miejsce albo link": "Sala 2",  # Discord sends the prefilled text back
        },
    )
    assert preview.ephemeral and preview.text.startswith("**Podgląd** — sprawdź i potwierdź:")
    assert f"<t:{int(STARTS.timestamp())}:F>" in preview.text and "📍 Sala 2" in preview.text
    assert dc.forum_posts("#announcements") == []  # nothing saved before confirming
    await dc.restart()  # the draft is in the database
    done = await dc.press("ewa", preview, "Potwierdź")
    assert done.text.startswith("Utworzono wydarzenie #1 **Superwizja — marzec**")
    await dc.settle()
    [post] = dc.forum_posts("#announcements")
    assert post.tags == ["Superwizja"] and len(dc.scheduled_events()) == 1
    again = await dc.press("ewa", preview, "Potwierdź")
    assert again.text.startswith("Tego szkicu już nie ma")
    # Everything given: no form, the event is made at once.
    direct = await dc.slash(
        "ewa",
        "event create",
        kind="training",
        title="RODO",
        when="za 11 dni o 10",
        duration="1h",
        place="online",
        description="Ochrona danych",
    )
    assert direct.modal is None and direct.text.startswith("Utworzono wydarzenie #2")
    # A director gets the refusal, not a form.
    refused = await dc.slash("anna", "event create", kind="forum")
    assert refused.modal is None and refused.text.startswith("Do tego potrzebna jest rola")


async def test_the_moderator_learns_what_to_fix_when_discord_refuses(dc: Harness) -> None:
    await dc.slash("admin", "role grant", user="ewa", role="moderator")
    unset = await dc.slash(
        "ewa",
        "event create",
        title="Forum",
        kind="forum",
        when="jutro",
        duration="2h",
        place="online",
        description="-",
    )
    assert "/setup server forum:" in unset.text
    await setup_forum(dc)
    dc.deny_bot("#announcements", "send_messages")
    refused = await dc.slash(
        "ewa",
        "event create",
        title="Forum",
        kind="forum",
        when="jutro",
        duration="2h",
        place="online",
        description="-",
    )
    assert refused.text.startswith("Nie mogę opublikować wpisu na forum #announcements")
    assert dc.forum_posts("#announcements") == []
    dc.channel("#announcements").overwrites.clear()
    dc.deny_bot(None, "manage_events", "create_events")
    saved = await dc.slash(
        "ewa",
        "event create",
        title="Forum",
        kind="forum",
        when="jutro",
        duration="2h",
        place="online",
        description="-",
    )
    assert (
        saved.text.startswith("Utworzono wydarzenie #1")
        and "Zarządzanie wydarzeniami" in saved.text
    )
    assert len(dc.forum_posts("#announcements")) == 1 and dc.scheduled_events() == []
    dc.role("Podaj dalej").permissions |= 1 << 33  # an admin gives Manage Events back
    await dc.advance("5m")
    assert len(dc.scheduled_events()) == 1


async def test_a_post_discord_archived_is_reopened_to_update_its_counts(dc: Harness) -> None:
    await setup_forum(dc)
    post = await announce(dc)
    # A week without activity: Discord archives the post and tells the bot.
    post.thread.archived = True
    dc.double.dispatch("THREAD_UPDATE", dc.double.payloads.channel(post.thread))
    await dc.settle()
    await dc.press("anna", post_message(dc, post), "event:rsvp:1:going")
    await dc.settle()
    assert not dc.channel(post.thread).archived
    assert labels(post_message(dc, post))[0] == "Będę · 1"


async def test_a_series_posts_each_occurrence_two_weeks_ahead(dc: Harness) -> None:
    await setup_forum(dc)
    made = await dc.slash(
        "ewa",
        "event series create",
        title="Superwizja",
        kind="supervision",
        first="za 7 dni o 11",
        every="FREQ=WEEKLY;COUNT=3",
        duration="2h",
    )
    assert made.text.startswith("Utworzono cykl #1 **Superwizja**"), made.text
    await dc.settle()
    assert [p.title for p in dc.forum_posts("#announcements")] == ["Superwizja"]
    await dc.advance("1h")  # 11:00: 14 days before the second
    assert len(dc.forum_posts("#announcements")) == 2
    await dc.advance("7d")
    assert len(dc.forum_posts("#announcements")) == 3 and len(dc.scheduled_events()) == 3
    await dc.advance("7d")
    assert len(dc.forum_posts("#announcements")) == 3  # COUNT=3
    choices = await dc.autocomplete("ewa", "event series stop", "series", "super")
    assert [c["value"] for c in choices] == ["1"]
