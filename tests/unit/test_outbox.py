"""The transactional outbox: a letter written with its change reaches its reader once,
after the commit, at the next start if the bot died first; retries with backoff, falls
back when DMs are closed, drops what no longer applies. Then, per feature, a crash after
the commit (the process dying in the port's send) loses nothing."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.db import to_db
from bot.outbox import (
    KEEP_DONE,
    MAX_ATTEMPTS,
    Courier,
    Envelope,
    Letter,
    Outbox,
    Post,
    Status,
    record,
    retry_delay,
)
from bot.refs import ChannelRef, UserRef
from bot.replies import Reply
from tests.helpers.fakes import Crash
from tests.helpers.world import ADMIN, ANNA, EWA, GENERAL, GUILD, JAN, World

MOD = UserRef("test:mod", "Mod")
FORUM = ChannelRef("test:#ogloszenia", "ogloszenia")
NOTE = "test.note"


@pytest.fixture
async def world(tmp_path: Path) -> AsyncIterator[World]:
    w = await World.open(tmp_path / "o.sqlite3")
    await w.say("role grant", actor=ADMIN, user=MOD, role="moderator")
    await w.say("setup server", actor=ADMIN, forum=FORUM)
    yield w
    await w.app.close()


def outbox(world: World) -> Outbox:
    assert world.app.outbox is not None
    return world.app.outbox


async def note(world: World, *letters: Letter) -> list[int]:
    async with world.app.db.transaction() as tx:
        return await record(tx, letters, world.clock.now())


async def rows(world: World) -> list[dict[str, Any]]:
    found = await world.app.db.fetchall("SELECT * FROM outbox ORDER BY id")
    return [dict(r) for r in found]


def texts(world: World, user: UserRef) -> list[str]:
    return [r.text for r in world.dms(user)]


# -- the dispatcher, with a courier of its own ---------------------------------------------


def with_notes(
    world: World,
    *,
    fallback: bool = False,
    stale: set[str] | None = None,
    settled: list[tuple[int, Status]] | None = None,
) -> None:
    """Letters of kind NOTE say their payload's text; those in `stale` have nothing to
    say any more; with `fallback`, closed DMs get one post in #general mentioning all."""

    async def compose(envelope: Envelope) -> Reply | None:
        text = str(envelope.payload["text"])
        return None if text in (stale or set()) else Reply(text)

    async def post(envelopes: list[Envelope]) -> list[Post]:
        who = " ".join(f"@{e.letter.user_id}" for e in envelopes)
        return [Post(GENERAL.id, Reply(f"{who}: closed"), tuple(e.id for e in envelopes))]

    async def done(tx: object, envelope: Envelope, status: Status) -> None:
        if settled is not None:
            settled.append((envelope.id, status))

    outbox(world).register(NOTE, Courier(compose, post if fallback else None, done))


def letter(text: str, user: UserRef = ANNA) -> Letter:
    return Letter(NOTE, GUILD, {"text": text}, user_id=user.id)


async def test_a_letter_is_sent_once_and_marked_right_after(world: World) -> None:
    settled: list[tuple[int, Status]] = []
    with_notes(world, settled=settled)
    [ident] = await note(world, letter("Witaj"))
    assert (await rows(world))[0]["status"] == "pending"
    assert await outbox(world).deliver([ident]) == {ident: Status.SENT}
    assert texts(world, ANNA) == ["Witaj"]
    [row] = await rows(world)
    assert (row["status"], row["attempts"], row["done_at"]) == (
        "sent",
        1,
        to_db(world.clock.now()),
    )
    assert settled == [(ident, Status.SENT)]
    # Asked again (a refill, a second caller), nothing more is sent.
    assert await outbox(world).deliver([ident]) == {}
    await world.app.advance(timedelta(hours=1))
    assert texts(world, ANNA) == ["Witaj"]
    # The message carried the letter's nonce, for platforms that dedupe by it.
    assert world.dms(ANNA)[0].nonce == row["nonce"] and len(row["nonce"]) == 12


async def test_two_deliveries_of_one_letter_at_once_send_it_once(world: World) -> None:
    with_notes(world)
    [ident] = await note(world, letter("Raz"))
    first, second = await asyncio.gather(
        outbox(world).deliver([ident]), outbox(world).deliver([ident])
    )
    assert texts(world, ANNA) == ["Raz"]
    assert {**first, **second} == {ident: Status.SENT}


async def test_a_letter_can_go_to_a_channel_and_must_have_one_reader() -> None:
    Letter(NOTE, GUILD, {}, channel_id=GENERAL.id)
    with pytest.raises(ValueError, match="a person or to a channel"):
        Letter(NOTE, GUILD, {})
    with pytest.raises(ValueError, match="a person or to a channel"):
        Letter(NOTE, GUILD, {}, user_id=ANNA.id, channel_id=GENERAL.id)


async def test_a_failed_send_is_tried_again_with_backoff(world: World) -> None:
    with_notes(world)
    [ident] = await note(world, letter("Później"))
    world.front.transient_failures = 2
    assert await outbox(world).deliver([ident]) == {ident: Status.PENDING}
    [row] = await rows(world)
    started = world.clock.now()
    assert (row["status"], row["attempts"]) == ("pending", 1)
    assert row["next_attempt_at"] == to_db(started + timedelta(minutes=1))
    await world.app.advance(timedelta(seconds=59))
    assert world.dms(ANNA) == []
    await world.app.advance(timedelta(seconds=1))  # the second try fails too: 2 minutes more
    [row] = await rows(world)
    assert row["next_attempt_at"] == to_db(started + timedelta(minutes=3))
    await world.app.advance(timedelta(minutes=2))
    assert texts(world, ANNA) == ["Później"]
    [row] = await rows(world)
    assert (row["status"], row["attempts"]) == ("sent", 3)
    assert [retry_delay(n) for n in (1, 2, 3, 7, 8, 30)] == [
        timedelta(minutes=m) for m in (1, 2, 4, 60, 60, 60)
    ]


async def test_a_letter_that_keeps_failing_is_given_up(world: World) -> None:
    with_notes(world)
    [ident] = await note(world, letter("Nigdy"))
    world.front.transient_failures = MAX_ATTEMPTS
    await outbox(world).deliver([ident])
    await world.app.advance(timedelta(days=2))
    [row] = await rows(world)
    assert (row["status"], row["attempts"]) == ("failed", MAX_ATTEMPTS)
    assert world.dms(ANNA) == []


async def test_closed_dms_fall_back_once_for_all_or_are_given_up(world: World) -> None:
    with_notes(world, fallback=True)
    world.front.closed_dms |= {ANNA.id, JAN.id}
    ids = await note(world, letter("A"), letter("B", JAN), letter("C", EWA))
    outcome = await outbox(world).deliver(ids)
    assert outcome == {ids[0]: Status.FALLBACK, ids[1]: Status.FALLBACK, ids[2]: Status.SENT}
    [post] = world.posts(GENERAL.id)
    assert post.text == f"@{ANNA.id} @{JAN.id}: closed"
    # Without a fallback, a closed inbox is the end of it: done, not retried for ever.
    with_notes(world)
    [alone] = await note(world, letter("D"))
    assert await outbox(world).deliver([alone]) == {alone: Status.FAILED}
    await world.app.advance(timedelta(hours=2))
    assert [r["status"] for r in await rows(world)] == ["fallback", "fallback", "sent", "failed"]


async def test_a_letter_with_nothing_to_say_any_more_is_dropped(world: World) -> None:
    with_notes(world, stale={"Stare"})
    ids = await note(world, letter("Stare"), letter("Nowe"))
    assert await outbox(world).deliver(ids) == {ids[0]: Status.DROPPED, ids[1]: Status.SENT}
    assert texts(world, ANNA) == ["Nowe"]


async def test_letters_long_done_are_cleared_at_a_refill(world: World) -> None:
    with_notes(world)
    [old] = await note(world, letter("Stara"))
    await outbox(world).deliver([old])
    await world.app.advance(KEEP_DONE - timedelta(hours=1))
    [fresh] = await note(world, letter("Nowa"))
    await outbox(world).deliver([fresh])
    await world.app.advance(timedelta(days=2))  # the scheduler's window moves on
    assert [r["id"] for r in await rows(world)] == [fresh]


# -- what a crash leaves is delivered at the next start --------------------------------


async def signup_with_waiting_jan(world: World) -> None:
    await world.say(
        "signup create", actor=MOD, title="Superwizja", slots="2026-04-03 10:00", capacity=1
    )
    await world.say("signup join", actor=ANNA, sheet="1", slot=1)
    await world.say("signup join", actor=JAN, sheet="1", slot=1)


def offers(world: World, user: UserRef) -> list[Reply]:
    return [r for r in world.dms(user) if "signup:accept:1:1" in [b.custom_id for b in r.buttons]]


async def test_signups_an_offer_whose_send_died_is_sent_at_the_next_start(world: World) -> None:
    await signup_with_waiting_jan(world)
    world.front.crash_before_send = True
    with pytest.raises(Crash):
        await world.say("signup leave", actor=ANNA, sheet="1", slot=1)
    # The seat was offered and committed; its letter is there, not yet sent.
    [status] = await world.app.db.fetchall(
        "SELECT status FROM signup_entries WHERE user_id = ?", (JAN.id,)
    )
    assert status[0] == "offered"
    assert [(r["kind"], r["user_id"], r["status"]) for r in await rows(world)] == [
        ("signup.offer", JAN.id, "sending")
    ]
    assert offers(world, JAN) == []
    await world.restart()
    [offer] = offers(world, JAN)
    assert offer.text.startswith("Zwolniło się miejsce na arkuszu **Superwizja**, termin 1")
    assert [r["status"] for r in await rows(world)] == ["sent"]
    await world.restart()
    assert len(offers(world, JAN)) == 1  # never again
    accepted = await world.press("signup:accept:1:1", actor=JAN)
    assert accepted.text.startswith("Potwierdzone: masz miejsce na arkuszu **Superwizja**")


async def test_signups_a_crash_right_after_the_commit_leaves_a_pending_letter(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    await signup_with_waiting_jan(world)

    async def killed(ids: object) -> dict[int, Status]:
        raise Crash("killed between the commit and the send")

    monkeypatch.setattr(outbox(world), "deliver", killed)
    with pytest.raises(Crash):
        await world.say("signup leave", actor=ANNA, sheet="1", slot=1)
    assert [r["status"] for r in await rows(world)] == ["pending"]
    await world.restart(down_for=timedelta(minutes=5))
    assert len(offers(world, JAN)) == 1
    assert [r["status"] for r in await rows(world)] == ["sent"]


async def test_a_crash_between_the_send_and_the_mark_repeats_only_that_letter(
    world: World,
) -> None:
    await signup_with_waiting_jan(world)
    world.front.crash_after_send = True
    with pytest.raises(Crash):
        await world.say("signup leave", actor=ANNA, sheet="1", slot=1)
    assert len(offers(world, JAN)) == 1
    assert [r["status"] for r in await rows(world)] == ["sending"]
    # Sent again with the same nonce: a platform that dedupes (Discord, Matrix, here the
    # fake) shows it once.
    await world.restart()
    assert len(offers(world, JAN)) == 1
    assert [r["status"] for r in await rows(world)] == ["sent"]


async def test_without_a_deduping_platform_that_window_is_one_repeated_message(
    world: World,
) -> None:
    await signup_with_waiting_jan(world)
    world.front.honor_nonce = False
    world.front.crash_after_send = True
    with pytest.raises(Crash):
        await world.say("signup leave", actor=ANNA, sheet="1", slot=1)
    await world.restart()
    first, second = offers(world, JAN)  # the documented at-least-once window
    assert first.nonce == second.nonce


async def test_signups_an_offer_answered_before_its_letter_went_out_is_dropped(
    world: World,
) -> None:
    await signup_with_waiting_jan(world)
    world.front.crash_before_send = True
    with pytest.raises(Crash):
        await world.say("signup leave", actor=ANNA, sheet="1", slot=1)
    await world.say("signup decline", actor=JAN, sheet="1", slot=1)  # by command, meanwhile
    await world.restart()
    assert offers(world, JAN) == []
    assert [r["status"] for r in await rows(world)] == ["dropped"]


async def test_signups_closed_dms_mention_the_person_where_the_sheet_is(world: World) -> None:
    await signup_with_waiting_jan(world)
    world.front.closed_dms.add(JAN.id)
    await world.say("signup leave", actor=ANNA, sheet="1", slot=1)
    [post] = [p for p in world.posts(GENERAL.id) if JAN.id in p.mentions]
    assert post.text.startswith(f"<@{JAN.id}>")
    assert "signup:accept:1:1" in [b.custom_id for b in post.buttons]
    assert [r["status"] for r in await rows(world)] == ["fallback"]


async def test_groups_a_join_request_and_its_decision_survive_a_crash(world: World) -> None:
    await world.say(
        "group create", actor=ADMIN, name="Jura", city="Zawiercie", initiator=EWA, join="approval"
    )
    group = await world.app.groups.directory.get(GUILD, "Jura")
    assert group.channel_id is not None
    world.front.crash_before_send = True
    with pytest.raises(Crash):
        await world.say("group join", actor=JAN, name="Jura")
    assert [(r["kind"], r["channel_id"], r["about_id"]) for r in await rows(world)] == [
        ("group.request", group.channel_id, JAN.id)
    ]
    await world.restart()
    [request] = [p for p in world.posts(group.channel_id) if p.buttons]
    assert request.text == "Jan chce dołączyć do grupy **Jura**."
    ids = [b.custom_id for b in request.buttons]
    assert ids == [f"group:approve:{group.id}:{JAN.id}", f"group:decline:{group.id}:{JAN.id}"]
    world.front.crash_before_send = True
    with pytest.raises(Crash):
        await world.press(ids[0], actor=EWA)
    assert world.dms(JAN) == []
    await world.restart()
    [decision] = world.dms(JAN)
    assert decision.text == "Przyjęto Cię do grupy **Jura**. Witamy!"
    assert [r["status"] for r in await rows(world)] == ["sent", "sent"]


async def test_groups_a_request_withdrawn_before_it_was_shown_is_not_shown(world: World) -> None:
    await world.say(
        "group create", actor=ADMIN, name="Jura", city="Zawiercie", initiator=EWA, join="approval"
    )
    world.front.crash_before_send = True
    with pytest.raises(Crash):
        await world.say("group join", actor=JAN, name="Jura")
    await world.say("group leave", actor=JAN, name="Jura")
    await world.restart()
    group = await world.app.groups.directory.get(GUILD, "Jura")
    assert group.channel_id is not None
    assert [p for p in world.posts(group.channel_id) if p.buttons] == []
    assert [r["status"] for r in await rows(world)] == ["dropped"]


async def an_event_anna_and_jan_go_to(world: World) -> None:
    reply = await world.say(
        "event create",
        actor=MOD,
        title="Forum dyrektorów",
        kind="forum",
        when="30 marca 10:00",
        duration="3h",
        place="Sala 1",
    )
    assert reply.created is not None, reply.text
    await world.press("event:rsvp:1:going", actor=ANNA)
    await world.press("event:rsvp:1:maybe", actor=JAN)
    await world.say("settings language", actor=JAN, language="en")


async def test_events_a_change_notice_survives_a_crash_and_says_what_changed(
    world: World,
) -> None:
    await an_event_anna_and_jan_go_to(world)
    world.front.crash_before_send = True
    with pytest.raises(Crash):
        await world.say("event edit", actor=MOD, event="1", place="Sala 2")
    # A second edit before the restart: each letter still says its own change.
    await world.say("event edit", actor=MOD, event="1", title="Forum")
    assert [(r["kind"], r["user_id"]) for r in await rows(world)] == [
        ("event.changed", ANNA.id),
        ("event.changed", JAN.id),
        ("event.changed", ANNA.id),
        ("event.changed", JAN.id),
    ]
    await world.restart()
    # The second edit's notice went out at once; the first one's at the restart, and it
    # says its own change (the place, under the title of then), not the event as it is.
    retitled, moved = texts(world, ANNA)
    assert retitled.startswith("Zmiana w wydarzeniu **Forum**, na które się wybierasz:")
    assert "Nowy tytuł: **Forum** (było: Forum dyrektorów)" in retitled
    assert "Nowe miejsce" not in retitled
    assert moved.startswith("Zmiana w wydarzeniu **Forum dyrektorów**, na które się wybierasz:")
    assert "Nowe miejsce: Sala 2" in moved and "Nowy tytuł" not in moved
    jan = texts(world, JAN)
    assert len(jan) == 2 and all(t.startswith("A change to") for t in jan)
    assert {r["status"] for r in await rows(world)} == {"sent"}


async def test_events_a_cancel_notice_survives_a_crash(world: World) -> None:
    await an_event_anna_and_jan_go_to(world)
    world.front.closed_dms.add(JAN.id)
    world.front.crash_before_send = True
    with pytest.raises(Crash):
        await world.say("event cancel", actor=MOD, event="1")
    await world.restart()
    [dm] = world.dms(ANNA)
    assert "odwołane" in dm.text
    thread = world.front.forum_posts[0].thread_id
    [mention] = [p for p in world.posts(thread) if p.mentions]
    assert mention.mentions == (JAN.id,) and "odwołane" in mention.text
    assert [r["status"] for r in await rows(world)] == ["sent", "fallback"]


async def test_events_the_answer_counts_the_told_and_the_mentioned(world: World) -> None:
    await an_event_anna_and_jan_go_to(world)
    world.front.closed_dms.add(JAN.id)
    reply = await world.say("event cancel", actor=MOD, event="1")
    assert "Powiadomiono 2 osoby" in reply.text


# Four days after the programme's session of 15 April.
AFTER_THE_SESSION = datetime(2026, 4, 19, 9, 0, tzinfo=UTC)


async def test_learning_a_certificate_survives_a_crash(world: World) -> None:
    reply = await world.say(
        "program create",
        actor=MOD,
        name="Liderzy 2026",
        themes="Przywództwo",
        starts="1 kwietnia 2026 9:00",
        ends="30 września 2026 17:00",
    )
    assert reply.created is not None, reply.text
    session = await world.say(
        "program session add",
        actor=MOD,
        program="Liderzy 2026",
        theme="Przywództwo",
        when="15 kwietnia 10:00",
        duration="6h",
        place="Biblioteka",
    )
    assert session.created is not None, session.text
    await world.app.advance(AFTER_THE_SESSION - world.clock.now())
    await world.say("program attendance", actor=MOD, session="1", users="@anna")
    world.front.crash_before_send = True
    with pytest.raises(Crash):
        await world.say("program certificates", actor=MOD, program="Liderzy 2026")
    await world.restart()
    [dm] = world.dms(ANNA)
    [png] = dm.files
    assert png.filename == "certificate-1-anna.png" and png.data.startswith(b"\x89PNG")
    # Delivered, it counts as issued: asking again sends nothing.
    again = await world.say("program certificates", actor=MOD, program="Liderzy 2026")
    assert "ma już zaświadczenie" in again.text
    assert len(world.dms(ANNA)) == 1


async def test_learning_a_certificate_that_cannot_arrive_is_not_counted(world: World) -> None:
    await world.say(
        "program create",
        actor=MOD,
        name="Liderzy 2026",
        themes="Przywództwo",
        starts="1 kwietnia 2026 9:00",
        ends="30 września 2026 17:00",
    )
    await world.say(
        "program session add",
        actor=MOD,
        program="Liderzy 2026",
        theme="Przywództwo",
        when="15 kwietnia 10:00",
        duration="6h",
        place="Biblioteka",
    )
    await world.app.advance(AFTER_THE_SESSION - world.clock.now())
    await world.say("program attendance", actor=MOD, session="1", users="@anna")
    world.front.closed_dms.add(ANNA.id)
    closed = await world.say("program certificates", actor=MOD, program="Liderzy 2026")
    assert "nie dostarczono" in closed.text
    world.front.closed_dms.discard(ANNA.id)
    world.front.transient_failures = 1
    later = await world.say("program certificates", actor=MOD, program="Liderzy 2026")
    assert "zostanie dostarczone" in later.text  # Discord down: it follows by itself
    assert world.dms(ANNA) == []
    await world.app.advance(timedelta(minutes=1))
    assert len(world.dms(ANNA)) == 1


async def test_forgetting_someone_removes_their_letters_and_never_sends_one_about_them(
    world: World,
) -> None:
    await world.say(
        "group create", actor=ADMIN, name="Jura", city="Zawiercie", initiator=EWA, join="approval"
    )
    world.front.crash_before_send = True
    with pytest.raises(Crash):
        await world.say("group join", actor=JAN, name="Jura")  # a request nobody saw yet
    await signup_with_waiting_jan(world)
    await world.say("signup leave", actor=ANNA, sheet="1", slot=1)  # an offer sent to Jan
    assert len(offers(world, JAN)) == 1
    ask = await world.say("privacy forget", actor=JAN)
    await world.press(ask.buttons[0].custom_id, actor=JAN)
    cells = [
        (row["id"], value)
        for row in await rows(world)
        for value in row.values()
        if isinstance(value, str) and JAN.id in value
    ]
    assert cells == []  # his letters are gone; the request about him names nobody
    [request] = [r for r in await rows(world) if r["kind"] == "group.request"]
    assert request["about_id"].startswith("former-member:")
    await world.restart()
    group = await world.app.groups.directory.get(GUILD, "Jura")
    assert group.channel_id is not None
    assert [p for p in world.posts(group.channel_id) if p.buttons] == []
    assert [r["status"] for r in await rows(world) if r["kind"] == "group.request"] == ["dropped"]
