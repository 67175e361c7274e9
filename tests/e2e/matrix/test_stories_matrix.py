"""Matrix stories against a real Synapse: people type `!commands`, react and vote as in
Element; the bot is the real MatrixBot (matrix-nio) with a settable clock."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import aiohttp
from nio import MatrixRoom, RoomMemberEvent

from bot.visibility import SYSTEM
from matrix.ports import room_ref_id

from .conftest import Community
from .people import Match, Person, Seen, of_type, reaction, redaction, says

POLL_START = "org.matrix.msc3381.poll.start"
POLL_END = "org.matrix.msc3381.poll.end"


async def joined_hub(world: Community, name: str) -> Person:
    """Someone the admin invited to the announcements room (they accept at once)."""
    someone = await world.person(name)
    await world.admin.client.room_invite(world.hub, someone.user_id)
    await someone.wait_for(lambda seen: seen.room_id == world.hub, timeout_s=10)
    return someone


async def give_power(world: Community, level: int) -> None:
    """The admin sets the bot's power level in the announcements room; returns once the
    bot has seen it."""
    levels = await world.admin.client.room_get_state_event(world.hub, "m.room.power_levels")
    content = dict(levels.content)
    content["users"] = {**content.get("users", {}), world.bot_id: level}
    await world.admin.client.room_put_state(world.hub, "m.room.power_levels", content)
    for _ in range(100):  # the bot sees it on its next sync
        if world.bot.client.rooms[world.hub].power_levels.get_user_level(world.bot_id) == level:
            return
        await asyncio.sleep(0.1)
    raise AssertionError("the bot never saw its new power level")


async def named(world: Community, someone: Person, name: str) -> None:
    """Someone sets their display name; returns once the bot sees it in the hub."""
    await someone.client.set_displayname(name)
    for _ in range(100):  # the bot sees it on its next sync
        member = world.bot.client.rooms[world.hub].users.get(someone.user_id)
        if member is not None and member.display_name == name:
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"the bot never saw {someone.user_id} named {name}")


def in_dm(someone: Person, *parts: str) -> Match:
    return lambda seen: seen.room_id in someone.direct_rooms and says(*parts)(seen)


async def test_a_reminder_arrives_by_direct_message_and_snoozes(world: Community) -> None:
    anna = await joined_hub(world, "anna")
    command = await anna.say(world.hub, '!remind me when:"jutro o 18" what:"Zadzwonić do Pilicy"')
    # The first private answer: the room is told, once, where such answers go.
    told = await anna.wait_for(says("prywatnym czacie ze mną", room=world.hub))
    assert told.content["m.mentions"] == {"user_ids": [anna.user_id]}

    confirmed = await anna.wait_for(in_dm(anna, "Zadzwonić do Pilicy", "18:00", "!remind cancel"))
    assert confirmed.content["msgtype"] == "m.notice"
    # The command's room only gets a sign that the answer went to the direct room.
    marker = await anna.wait_for(of_type("m.reaction", room=world.hub))
    assert marker.relation == {"rel_type": "m.annotation", "event_id": command, "key": "📬"}

    await world.advance(timedelta(days=1, hours=8))
    delivered = await anna.wait_for(in_dm(anna, "Przypomnienie", "Zadzwonić do Pilicy"))
    assert "💤 Za 10 min" in delivered.body and delivered.content["msgtype"] == "m.text"

    await anna.react(delivered.room_id, delivered.event_id, "💤")
    await anna.wait_for(in_dm(anna, "18:10", "za 10 minut"))
    await world.advance(timedelta(minutes=10))
    again = await anna.wait_for(in_dm(anna, "Przypomnienie", "Zadzwonić do Pilicy"))
    assert again.event_id != delivered.event_id
    # Told once: the next private answer only gets its 📬.
    await anna.say(world.hub, "!remind list")
    await anna.wait_for(in_dm(anna, "Nie masz oczekujących"))
    await anna.nothing_more(says("prywatnym czacie ze mną", room=world.hub))


async def test_language_and_zone_are_each_persons_own(world: Community) -> None:
    jan = await joined_hub(world, "jan")
    await jan.say(world.hub, "!settings language language:en")
    await jan.wait_for(in_dm(jan, "English"))
    await jan.say(world.hub, "!settings timezone timezone:Europe/Sofia")
    await jan.wait_for(in_dm(jan, "Europe/Sofia"))

    await jan.say(world.hub, '!remind me when:"tomorrow at 9" what:"Call Kroczyce"')
    answer = await jan.wait_for(in_dm(jan, "Call Kroczyce"))
    assert "I'll remind you" in answer.body and "09:00 EET" in answer.body


async def test_joining_a_group_invites_to_its_room(world: Community) -> None:
    await world.admin.say(world.hub, "!group create name:Jura city:Zawiercie")
    created = await world.admin.wait_for(says("Utworzono grupę", "Jura"))
    # Matrix's names for things: a room, no Discord channel and role.
    assert "Pokój grupy" in created.body and "Kanał" not in created.body
    ola = await joined_hub(world, "ola")

    await ola.say(world.hub, "!group join name:Jura")
    welcome = await ola.wait_for(says("Witajcie w grupie", "Jura"), timeout_s=20)
    assert welcome.room_id not in (world.hub, *ola.direct_rooms)
    joined = await ola.wait_for(in_dm(ola, "Jura"))
    assert "Zaproszenie do pokoju grupy" in joined.body
    members = await world.bot.client.joined_members(welcome.room_id)
    assert ola.user_id in {m.user_id for m in members.members}


async def test_a_sign_up_by_reaction_keeps_capacity_and_waitlist(world: Community) -> None:
    anna, jan = await joined_hub(world, "anna"), await joined_hub(world, "jan")
    await world.admin.say(
        world.hub, '!signup create title:"Superwizja" slots:"2026-02-20 10:00" capacity:1'
    )
    # One keycap per slot: reacting signs up, taking the reaction back signs out.
    sheet = await anna.wait_for(says("Superwizja", "1️⃣", room=world.hub))
    assert "✅" not in sheet.body and "❌" not in sheet.body
    # The slots are a numbered list, each with its seats under it.
    assert "<ol><li>" in sheet.content["formatted_body"] and "**" not in sheet.body

    mine = await anna.react(world.hub, sheet.event_id, "1️⃣")
    await anna.wait_for(in_dm(anna, "Zapisano Cię", "Superwizja"))
    await jan.react(world.hub, sheet.event_id, "1️⃣")
    await jan.wait_for(in_dm(jan, "liście rezerwowej", "pozycji 1"))
    edited = await jan.wait_for(
        lambda s: s.relation.get("event_id") == sheet.event_id and "1/1" in s.body
    )
    assert edited.relation["rel_type"] == "m.replace"

    await anna.take_back(world.hub, mine)
    await anna.wait_for(in_dm(anna, "Wypisano Cię z terminu 1", "Superwizja"))
    offer = await jan.wait_for(in_dm(jan, "Superwizja", "✅"))
    await jan.react(offer.room_id, offer.event_id, "✅")
    await jan.wait_for(in_dm(jan, "Superwizja"))
    sheets = world.bot.app.signups.sheets
    entries = await sheets.entries(await sheets.get(1, SYSTEM))
    assert [(e.user_id, e.status.value) for e in entries] == [
        (f"matrix:{jan.user_id}", "confirmed")
    ]


async def test_an_event_is_announced_in_a_thread_with_rsvp_reactions(world: Community) -> None:
    await world.admin.say(world.hub, f"!setup server forum:{world.hub}")
    await world.admin.wait_for(says("Forum"))
    ola = await joined_hub(world, "ola")
    await world.admin.say(
        world.hub,
        '!event create title:"Forum dyrektorów" kind:forum when:"12 marca o 10" duration:3h '
        'place:"https://meet.example/forum" description:"Wiosenne forum"',
    )
    root = await ola.wait_for(says("📣", "Forum dyrektorów", room=world.hub))
    post = await ola.wait_for(lambda s: s.relation.get("rel_type") == "m.thread")
    assert post.relation["event_id"] == root.event_id and "✅" in post.body
    # The card's fields are a table; what notifications show is plain "name: value" text.
    assert "<table><tbody><tr><th>Kiedy</th><td>" in post.content["formatted_body"]
    assert "\nKiedy: " in post.body and "**" not in post.body
    own_yes = await ola.wait_for(reaction(post.event_id, "✅", by=world.bot_id))
    own_maybe = await ola.wait_for(reaction(post.event_id, "🤔", by=world.bot_id))

    # The bot's own ✅ gives way to hers: the count under the card is of people only.
    yes = await ola.react(world.hub, post.event_id, "✅")
    await ola.wait_for(in_dm(ola, "Forum dyrektorów"))
    await ola.wait_for(redaction(own_yes.event_id))
    # Where the bot may redact other people's events (the admin raises it), a new answer
    # takes the reaction of her earlier one off.
    await give_power(world, 50)
    await ola.react(world.hub, post.event_id, "🤔")
    await ola.wait_for(in_dm(ola, "może będziesz", "Forum dyrektorów"))
    await ola.wait_for(redaction(own_maybe.event_id))
    await ola.wait_for(redaction(yes))
    # Nobody's ✅ is left: the bot offers it again, one click away.
    await ola.wait_for(reaction(post.event_id, "✅", by=world.bot_id))


async def test_a_restart_answers_nothing_twice_and_keeps_reminders(world: Community) -> None:
    anna = await joined_hub(world, "anna")
    await anna.say(world.hub, '!remind me when:"za 2 godziny" what:"Protokół"')
    await anna.wait_for(in_dm(anna, "Protokół"))

    await world.restart()
    await anna.nothing_more(in_dm(anna, "Protokół"), for_s=3)
    await anna.say(world.hub, "!group guide")
    await anna.wait_for(in_dm(anna, "grup"))

    await world.advance(timedelta(hours=2))
    delivered = await anna.wait_for(in_dm(anna, "Przypomnienie", "Protokół"))

    # Reactions on a message from before a restart still press its buttons.
    await world.restart()
    await anna.react(delivered.room_id, delivered.event_id, "🕐")
    await anna.wait_for(in_dm(anna, "13:00"))
    await world.advance(timedelta(hours=1))
    await anna.wait_for(in_dm(anna, "Przypomnienie", "Protokół"))


async def test_a_batch_the_homeserver_sends_again_is_not_answered_again(world: Community) -> None:
    anna = await joined_hub(world, "anna")
    before = await world.bot.store.get("since")
    assert before is not None
    await anna.say(world.hub, '!remind me when:"za godzinę" what:"Jeden raz"')
    await anna.wait_for(in_dm(anna, "Jeden raz"))

    await world.restart(rewind_sync_to=before)  # the command comes in a second time
    await anna.say(world.hub, "!group guide")  # and something new after it
    await anna.wait_for(in_dm(anna, "grup"))
    await anna.nothing_more(in_dm(anna, "Jeden raz"), for_s=2)
    pending = await world.bot.app.reminders.pending_of(f"matrix:{anna.user_id}")
    assert [r.text for r in pending] == ["Jeden raz"]


async def leave_direct_room(world: Community, someone: Person, room_id: str) -> None:
    """Someone leaves their direct room with the bot; returns once the bot has seen it."""
    left = asyncio.Event()

    def seen_leave(room: MatrixRoom, event: RoomMemberEvent) -> None:
        if event.state_key == someone.user_id and event.membership == "leave":
            left.set()

    world.bot.client.add_event_callback(seen_leave, RoomMemberEvent)
    await someone.client.room_leave(room_id)
    someone.direct_rooms.discard(room_id)
    await asyncio.wait_for(left.wait(), 10)


async def test_someone_who_left_the_direct_room_is_mentioned_where_they_asked(
    world: Community,
) -> None:
    anna = await joined_hub(world, "anna")
    await anna.say(world.hub, '!remind me when:"za godzinę" what:"Oddać książki"')
    answer = await anna.wait_for(in_dm(anna, "Oddać książki"))
    await leave_direct_room(world, anna, answer.room_id)
    await world.advance(timedelta(hours=1))
    ping = await anna.wait_for(says("Oddać książki", room=world.hub))
    assert ping.content["m.mentions"] == {"user_ids": [anna.user_id]}
    # A private answer is never shown where others read: she is told, by name, how to get it.
    await anna.say(world.hub, "!remind list")
    pointer = await anna.wait_for(says("nie mogę napisać do Ciebie prywatnie", room=world.hub))
    assert pointer.content["m.mentions"] == {"user_ids": [anna.user_id]}
    assert world.bot_id in pointer.body
    await anna.nothing_more(says("Nie masz oczekujących", room=world.hub))
    # Not invited into a new direct room over and over.
    assert anna.direct_rooms == set()


async def test_a_message_speaks_one_language_even_in_a_room_of_another(
    world: Community,
) -> None:
    jan = await joined_hub(world, "jan")
    await jan.say(world.hub, "!settings language language:nl")
    await jan.wait_for(in_dm(jan, "Nederlands"))
    await jan.say(world.hub, '!remind me when:"over een uur" what:"Boeken terugbrengen"')
    answer = await jan.wait_for(in_dm(jan, "Boeken terugbrengen"))
    await leave_direct_room(world, jan, answer.room_id)
    await world.advance(timedelta(hours=1))
    # Delivered in the Polish hub, worded in Dutch: its legend is Dutch too.
    ping = await jan.wait_for(says("Boeken terugbrengen", room=world.hub))
    assert "Kies met een reactie" in ping.body and "Wybierz" not in ping.body


async def test_user_text_stays_inert(world: Community) -> None:
    anna = await joined_hub(world, "anna")
    typed = '@room <a href="https://matrix.to/#/@boss:x">szef</a> **pilne**'
    await anna.say(world.hub, f"!remind me when:\"za godzinę\" what:'{typed}'")
    answer: Seen = await anna.wait_for(in_dm(anna, "pilne"))
    assert "@room" not in answer.body
    assert "<a " not in answer.content["formatted_body"]
    assert "&lt;a href=" in answer.content["formatted_body"]
    assert "<strong>pilne</strong>" not in answer.content["formatted_body"]
    assert answer.content["m.mentions"] == {}


async def test_a_quick_poll_is_a_matrix_poll(world: Community) -> None:
    anna, jan = await joined_hub(world, "anna"), await joined_hub(world, "jan")
    await world.admin.say(
        world.hub, '!poll quick question:"Kawa czy herbata?" options:"kawa; herbata" hours:1'
    )
    poll = await anna.wait_for(of_type(POLL_START, room=world.hub))
    answers = poll.content[POLL_START]["answers"]
    assert [a["org.matrix.msc1767.text"] for a in answers] == ["kawa", "herbata"]

    await anna.vote(world.hub, poll.event_id, answers[1]["id"])
    await jan.vote(world.hub, poll.event_id, answers[1]["id"])
    # The poll shows each voter their vote: nobody gets a direct message about it.
    await anna.nothing_more(in_dm(anna, "herbata"))
    assert jan.direct_rooms == set()
    await world.advance(timedelta(hours=1))
    # The result answers the poll, and the poll is ended.
    result = await anna.wait_for(says("Kawa czy herbata?", "herbata", room=world.hub))
    assert "2" in result.body
    assert result.relation == {"m.in_reply_to": {"event_id": poll.event_id}}
    ended = await anna.wait_for(of_type(POLL_END, room=world.hub))
    assert ended.relation == {"rel_type": "m.reference", "event_id": poll.event_id}
    # Clients without polls show the poll's text: it is edited to the final count.
    edited = await anna.wait_for(
        lambda s: s.type == POLL_START and s.relation.get("rel_type") == "m.replace"
    )
    assert edited.relation["event_id"] == poll.event_id
    final = edited.content["m.new_content"]
    assert "zakończone" in final["body"] and "herbata — 2 głosy" in final["body"]
    assert final[POLL_START]["answers"] == answers


async def test_refusals_and_mistakes_get_a_localized_answer(world: Community) -> None:
    anna = await joined_hub(world, "anna")
    await anna.say(world.hub, "!group create name:Jura city:Zawiercie")
    await anna.wait_for(in_dm(anna, "potrzebna jest rola"))
    await anna.say(world.hub, "!grupa lista")
    await anna.wait_for(in_dm(anna, "grupa lista"))
    await anna.say(world.hub, '!remind me when:"kiedyś" what:x')
    await anna.wait_for(in_dm(anna, "kiedyś"))
    # A mistyped full id grants nothing to nobody: it is refused.
    await world.admin.say(world.hub, "!role grant user:@annna:podaj.test role:moderator")
    refused = await world.admin.wait_for(says("@annna:podaj.test", "sprawdź pisownię"))
    assert "ma teraz rolę" not in refused.body


async def test_a_mistyped_command_is_answered_with_the_one_meant_and_corrected_by_an_edit(
    world: Community,
) -> None:
    anna = await joined_hub(world, "anna")
    typo = await anna.say(world.hub, '!remnd me when:"jutro o 9" what:"Zadzwonić"')
    meant = await anna.wait_for(in_dm(anna, "Nie znam komendy „remnd me”"))
    # Matrix's prefix, never Discord's, in the answer and its suggestion.
    assert "Czy chodziło o !remind me?" in meant.body and "!help" in meant.body
    assert "/remind" not in meant.body
    await anna.edit(world.hub, typo, '!remind me when:"jutro o 9" what:"Zadzwonić"')
    await anna.wait_for(in_dm(anna, "Zadzwonić", "#1"))
    # A command that ran is not run again by another edit.
    await anna.edit(world.hub, typo, '!remind me when:"jutro o 10" what:"Zadzwonić"')
    await anna.nothing_more(in_dm(anna, "#2"))
    # Only its author may correct a refused command: another person's edit runs nothing.
    jan = await joined_hub(world, "jan")
    other = await anna.say(world.hub, '!remnd me when:"jutro o 11" what:"Inne"')
    await anna.wait_for(in_dm(anna, "Nie znam komendy"))
    await jan.edit(world.hub, other, '!remind me when:"jutro o 11" what:"Inne"')
    await jan.nothing_more(in_dm(jan, "Inne"))
    await anna.nothing_more(in_dm(anna, "Inne", "#2"))


async def test_help_teaches_the_commands_as_typed_here(world: Community) -> None:
    anna = await joined_hub(world, "anna")
    await anna.say(world.hub, "!remind")
    listed = await anna.wait_for(in_dm(anna, "!remind me", "!remind snooze"))
    assert "Nie znam" not in listed.body
    await anna.say(world.hub, '!help command:"remind me"')
    shown = await anna.wait_for(in_dm(anna, "when (wymagana)", "Kto może: każdy"))
    assert '!remind me when:"jutro o 18"' in shown.body
    await anna.say(world.hub, "!remind me")
    missing = await anna.wait_for(in_dm(anna, "Brakuje 2 opcji w !remind me"))
    assert "when: i what:" in missing.body and "`" not in missing.body


async def test_a_direct_chat_opened_by_a_person_is_where_they_are_answered(
    world: Community,
) -> None:
    piotr = await world.person("piotr")
    response = await piotr.client.room_create(is_direct=True, invite=[world.bot_id])
    room = response.room_id
    await piotr.wait_for(says("Jestem Podaj dalej", room=room))
    await piotr.say(room, "!help")
    answer = await piotr.wait_for(says("Podaj dalej", "!remind", room=room))
    assert "Jestem" not in answer.body


async def test_a_new_direct_chat_is_greeted_once_and_a_plain_help_word_is_answered(
    world: Community,
) -> None:
    piotr = await world.person("piotr")
    response = await piotr.client.room_create(is_direct=True, invite=[world.bot_id])
    room = response.room_id
    greeting = await piotr.wait_for(says("Jestem Podaj dalej", "!help", room=room))
    assert greeting.content["msgtype"] == "m.notice" and "/help" not in greeting.body
    await piotr.say(room, "pomoc")
    help_ = await piotr.wait_for(says("Podaj dalej", room=room))
    assert "!remind" in help_.body
    await piotr.say(room, "pomoc, ale nie teraz")  # a sentence is chat, not a call for help
    await piotr.nothing_more(says("!remind", room=room))
    await piotr.nothing_more(says("Jestem Podaj dalej", room=room))


async def test_mentioning_the_bot_by_name_asks_for_the_help(world: Community) -> None:
    anna = await joined_hub(world, "anna")
    pill = f'<a href="https://matrix.to/#/{world.bot_id}">Podaj dalej</a>'
    content = {
        "msgtype": "m.text",
        "body": "Podaj dalej: pomoc",
        "format": "org.matrix.custom.html",
        "formatted_body": f"{pill}: pomoc",
        "m.mentions": {"user_ids": [world.bot_id]},
    }
    await anna.client.room_send(world.hub, "m.room.message", content)
    helped = await anna.wait_for(in_dm(anna, "Podaj dalej", "!remind"))
    assert "Jestem" not in helped.body  # the help itself, not a greeting
    # A sentence that mentions the bot is conversation, not a call for help.
    chat = dict(content, body="Podaj dalej: pomoc dla Pilicy jutro", formatted_body=f"{pill}: x y")
    await anna.client.room_send(world.hub, "m.room.message", chat)
    await anna.nothing_more(in_dm(anna, "!remind"))


async def test_a_room_the_bot_is_brought_into_hears_what_it_does(world: Community) -> None:
    room = await world.admin.create_room("biblioteki", invite=[world.bot_id])
    greeting = await world.admin.wait_for(says("Jestem Podaj dalej", room=room))
    assert "!help" in greeting.body and "!group near" in greeting.body


async def test_an_encrypted_direct_chat_becomes_the_persons_direct_room(
    world: Community,
) -> None:
    piotr = await world.person("piotr", encrypted=True)
    await world.admin.client.room_invite(world.hub, piotr.user_id)
    await piotr.wait_for(lambda seen: seen.room_id == world.hub, timeout_s=10)
    direct = await piotr.open_encrypted_dm(world.bot_id)
    greeting = await piotr.wait_for(says("!help", room=direct), timeout_s=20)
    assert greeting.encrypted
    # Private answers go to the encrypted direct chat, encrypted.
    await piotr.say(world.hub, '!remind me when:"jutro o 9" what:"Zadzwonić"')
    answer = await piotr.wait_for(says("Zadzwonić", "#1"))
    assert answer.room_id == direct and answer.encrypted


async def test_a_date_poll_is_answered_with_keycap_reactions(world: Community) -> None:
    anna = await joined_hub(world, "anna")
    await world.admin.say(
        world.hub,
        '!poll dates question:"Kiedy spotkanie?" options:"2 marca o 10; 9 marca o 10" '
        'closes:"za 2 dni"',
    )
    poll = await anna.wait_for(says("Kiedy spotkanie?", "1️⃣", "2️⃣", room=world.hub))
    await anna.react(world.hub, poll.event_id, "2️⃣")
    await anna.wait_for(in_dm(anna, "9 marca"))
    await world.advance(timedelta(days=2))
    result = await anna.wait_for(says("Kiedy spotkanie?", room=world.hub, after_edit=True))
    assert "9 marca" in result.body


async def test_an_initiator_approves_a_join_request_by_reaction(world: Community) -> None:
    ewa, ola = await joined_hub(world, "ewa"), await joined_hub(world, "ola")
    await world.admin.say(
        world.hub, f"!group create name:Pilica city:Pilica join:approval initiator:{ewa.user_id}"
    )
    await world.admin.wait_for(says("Pilica"))
    await ola.say(world.hub, "!group join name:Pilica")
    request = await ewa.wait_for(says("chce dołączyć", "Pilica", "✅"), timeout_s=20)
    await ewa.react(request.room_id, request.event_id, "✅")
    welcome = await ola.wait_for(says("Witajcie w grupie", "Pilica"), timeout_s=20)
    assert welcome.room_id != world.hub
    # The initiator moderates the group's room.
    levels = await world.bot.client.room_get_state_event(welcome.room_id, "m.room.power_levels")
    assert levels.content["users"][ewa.user_id] == 50


async def test_the_calendar_reaction_sends_an_ics_file(world: Community) -> None:
    await world.admin.say(world.hub, f"!setup server forum:{world.hub}")
    await world.admin.wait_for(says("Forum"))
    ola = await joined_hub(world, "ola")
    await world.admin.say(
        world.hub,
        '!event create title:"Szkolenie z facylitacji" kind:training when:"3 marca o 10" '
        'duration:2h place:"Łazy" description:"Warsztat"',
    )
    card = await ola.wait_for(lambda s: s.relation.get("rel_type") == "m.thread")
    await ola.react(world.hub, card.event_id, "📅")
    sent = await ola.wait_for(
        lambda s: s.room_id in ola.direct_rooms and s.content.get("msgtype") == "m.file"
    )
    calendar = (await ola.download(sent)).decode()
    assert sent.body.endswith(".ics") and "BEGIN:VEVENT" in calendar
    assert "Szkolenie z facylitacji" in calendar


async def test_a_virtual_paczek_panel_runs_in_a_thread(world: Community) -> None:
    jan, anna = await joined_hub(world, "jan"), await joined_hub(world, "anna")
    ola = await joined_hub(world, "ola")
    await named(world, jan, "Jan Kowalski")
    await named(world, anna, "Anna Nowak")
    jan_local, anna_local = (p.user_id[1:].split(":")[0] for p in (jan, anna))
    await named(world, ola, jan_local)
    # Panelists are written as people write them: a local part with or without @ fits
    # one member of the room; one that fits two is refused, naming both.
    await world.admin.say(
        world.hub,
        '!panel create topic:"Biblioteka po godzinach" when:"za 5 minut" '
        f'panelists:"@{jan_local} {anna_local}" turn_minutes:3',
    )
    refused = await world.admin.wait_for(says("pasuje do kilku osób"))
    assert f"Jan Kowalski ({jan.user_id})" in refused.body
    assert f"{jan_local} ({ola.user_id})" in refused.body
    await world.admin.say(
        world.hub,
        '!panel create topic:"Biblioteka po godzinach" when:"za 5 minut" '
        f'panelists:"{jan.user_id}, @{anna_local}" turn_minutes:3',
    )
    # Cards and the transcript name people as the room shows them, not by their ids.
    announced = await world.admin.wait_for(says("Biblioteka po godzinach", "Paneliści"))
    assert "Paneliści: Jan Kowalski, Anna Nowak" in announced.body
    assert jan.user_id not in announced.body
    await world.advance(timedelta(minutes=5))
    await world.admin.say(world.hub, "!panel start")
    card = await jan.wait_for(says("🧵", "Biblioteka po godzinach", room=world.hub))
    assert "Paneliści: Jan Kowalski, Anna Nowak" in card.body and anna.user_id not in card.body
    await jan.react(world.hub, card.event_id, "✋")
    await jan.wait_for(in_dm(jan, "✋"))
    await jan.say(world.hub, "Otwieramy czytelnię wieczorem", thread=card.event_id)
    await anna.say(world.hub, "A my w soboty", thread=card.event_id)
    await jan.wait_for(says("A my w soboty"))  # both lines reached the thread

    await world.admin.say(world.hub, "!panel end", thread=card.event_id)
    transcript = await world.admin.wait_for(
        lambda s: s.content.get("msgtype") == "m.file" and s.body == "panel-1.md", timeout_s=20
    )
    text = (await world.admin.download(transcript)).decode()
    assert "Otwieramy czytelnię wieczorem" in text and "A my w soboty" in text
    assert "Jan Kowalski, Anna Nowak" in text and jan.user_id not in text


async def test_a_message_the_bot_cannot_decrypt_is_told_once_per_key(
    world: Community,
) -> None:
    piotr = await world.person("piotr")
    room = await piotr.create_room("szyfrowany", invite=[world.bot_id])
    await piotr.wait_for(lambda s: s.room_id == room and s.sender == world.bot_id, timeout_s=10)
    # What an encrypting client sends when the room key never reached the bot.
    encrypted = {
        "algorithm": "m.megolm.v1.aes-sha2",
        "ciphertext": "AwgAEnAc",
        "sender_key": "x" * 43,
        "session_id": "y" * 43,
        "device_id": "PIOTRPHONE",
    }
    for _ in range(2):
        await piotr.client.room_send(room, "m.room.encrypted", encrypted)
    notice = await piotr.wait_for(says("zaszyfrowanej", room=room))
    assert notice.content["msgtype"] == "m.notice"
    await piotr.nothing_more(says("zaszyfrowanej", room=room), for_s=2)


async def test_what_was_said_before_the_bot_joined_is_not_answered(world: Community) -> None:
    marta = await world.person("marta")
    room = await marta.create_room("filia", invite=[])
    await marta.say(room, '!remind me when:"jutro o 9" what:"Stare polecenie"')
    await marta.client.room_invite(room, world.bot_id)
    await marta.wait_for(lambda s: s.room_id == room and s.sender == world.bot_id, timeout_s=10)
    await marta.say(room, '!remind me when:"jutro o 10" what:"Nowe polecenie"')
    await marta.wait_for(in_dm(marta, "Nowe polecenie"))
    await marta.nothing_more(in_dm(marta, "Stare polecenie"), for_s=2)
    assert [
        r.text for r in await world.bot.app.reminders.pending_of(f"matrix:{marta.user_id}")
    ] == ["Nowe polecenie"]


async def test_a_deleted_group_room_is_offered_again_to_its_initiator(world: Community) -> None:
    ewa = await joined_hub(world, "ewa")
    await world.admin.say(
        world.hub, f"!group create name:Kroczyce city:Kroczyce initiator:{ewa.user_id}"
    )
    welcome = await ewa.wait_for(says("Witajcie w grupie", "Kroczyce"), timeout_s=20)

    # A server admin deletes the room (Synapse's admin API, members kicked, history kept).
    operator = await world.person("operator", admin=True)
    url = f"{world.synapse.base_url}/_synapse/admin/v2/rooms/{welcome.room_id}"
    headers = {"Authorization": f"Bearer {operator.client.access_token}"}
    keep = {"purge": False}
    async with aiohttp.ClientSession() as http, http.delete(url, json=keep, headers=headers) as r:
        assert r.status == 200, await r.text()

    offer = await ewa.wait_for(in_dm(ewa, "Kroczyce", "🔧"), timeout_s=20)
    await ewa.react(offer.room_id, offer.event_id, "🔧")
    await ewa.wait_for(says("Kroczyce", "Pokój grupy: kroczyce"), timeout_s=20)
    group = await world.bot.app.groups.directory.get(world.bot.ports.guild_id, "Kroczyce")
    assert group.channel_id not in (None, f"matrix:{welcome.room_id}")
    # She is invited to the new room and (accepting at once) is in it.
    new_room = group.channel_id.removeprefix("matrix:")
    await ewa.wait_for(lambda seen: seen.room_id == new_room, timeout_s=10)


async def test_a_groups_event_is_found_only_by_its_members(world: Community) -> None:
    await world.admin.say(world.hub, "!group create name:Jura city:Zawiercie")
    await world.admin.wait_for(says("Jura", "Zawiercie"))
    await world.admin.say(
        world.hub,
        '!event create title:"Spotkanie Jury" kind:group group:Jura when:"12 marca o 10" '
        "duration:2h",
    )
    await world.admin.wait_for(says("Spotkanie Jury"))
    ola = await joined_hub(world, "ola")

    await ola.say(world.hub, "!event info event:1")
    unknown = await ola.wait_for(in_dm(ola, "Nie znam wydarzenia „1”"))
    assert "Spotkanie Jury" not in unknown.body
    await ola.say(world.hub, "!event list")
    await ola.wait_for(in_dm(ola, "Nie ma nadchodzących wydarzeń"))

    await ola.say(world.hub, "!group join name:Jura")
    await ola.wait_for(says("Witajcie w grupie", "Jura"), timeout_s=20)
    await ola.say(world.hub, "!event info event:1")
    await ola.wait_for(in_dm(ola, "Spotkanie Jury"))


async def test_leaving_a_group_room_by_hand_is_leaving_the_group(world: Community) -> None:
    await world.admin.say(world.hub, "!group create name:Jura city:Zawiercie")
    await world.admin.wait_for(says("Jura", "Zawiercie"))
    ola = await joined_hub(world, "ola")
    await ola.say(world.hub, "!group join name:Jura")
    welcome = await ola.wait_for(says("Witajcie w grupie", "Jura"), timeout_s=20)

    await ola.client.room_leave(welcome.room_id)
    group = await world.bot.app.groups.directory.get(world.bot.ports.guild_id, "Jura")
    for _ in range(100):  # the bot hears the leave on its next sync
        members = await world.bot.app.groups.directory.members(group)
        if not any(m.user_id == f"matrix:{ola.user_id}" for m in members):
            break
        await asyncio.sleep(0.1)
    else:
        raise AssertionError("ola still counts as a member after leaving the room")

    await ola.say(world.hub, "!group join name:Jura")
    await ola.wait_for(says("Witaj w grupie", "Jura"), timeout_s=20)
    for _ in range(100):  # invited again; people in these stories accept at once
        await ola.catch_up()
        joined = await world.bot.client.joined_members(welcome.room_id)
        if ola.user_id in {m.user_id for m in joined.members}:
            break
        await asyncio.sleep(0.1)
    else:
        raise AssertionError("ola was not invited again")


async def test_the_bot_is_shown_by_its_name(world: Community) -> None:
    shown = await world.admin.client.get_displayname(world.bot_id)
    assert getattr(shown, "displayname", None) == "Podaj dalej"


async def test_repair_asks_the_homeserver_whether_the_bot_is_still_in_the_groups_room(
    world: Community,
) -> None:
    await world.admin.say(world.hub, "!group create name:Jura city:Zawiercie")
    await world.admin.wait_for(says("Utworzono grupę", "Jura"))
    await world.admin.say(world.hub, "!group repair name:Jura")
    await world.admin.wait_for(says("Pokój", "Jura", "na miejscu"))
    # The rows name a room the bot is not in (it was removed while nobody watched).
    elsewhere = await world.admin.create_room("stara-jura", invite=[])
    gone = room_ref_id(elsewhere)
    group = await world.bot.app.groups.directory.get(world.bot.ports.guild_id, "Jura")
    await world.bot.app.db.execute(
        "UPDATE groups SET channel_id = ?, role_id = ? WHERE id = ?", (gone, gone, group.id)
    )
    await world.admin.say(world.hub, "!group repair name:Jura")
    remade = await world.admin.wait_for(says("Utworzono grupę", "Jura"), timeout_s=20)
    assert elsewhere not in remade.body
    repaired = await world.bot.app.groups.directory.get(world.bot.ports.guild_id, "Jura")
    assert repaired.channel_id not in (None, gone)
