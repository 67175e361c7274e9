"""The Matrix front end's pure parts: markdown → HTML, inert text, reactions for buttons."""

from __future__ import annotations

from dataclasses import replace

from bot.replies import Button, Embed, EmbedField, Reply
from bot.text import inert
from matrix import markup, reactions


def test_markdown_becomes_html_and_escapes_become_text() -> None:
    text = "**Forum** *jutro* `kod` ~~stare~~\n> cytat\n# Nagłówek"
    html = markup.to_html(text)
    assert html == (
        "<strong>Forum</strong> <em>jutro</em> <code>kod</code> <del>stare</del><br>"
        "<blockquote>cytat</blockquote><br><strong>Nagłówek</strong>"
    )


def test_user_text_stays_inert_in_both_bodies() -> None:
    typed = '<a href="https://matrix.to/#/@boss:x">hi</a> **not bold** @room'
    shown = f"Temat: {inert(typed)}"
    content = markup.message_content(shown, mentions={})
    assert "<a " not in content["formatted_body"]
    assert "&lt;a href=" in content["formatted_body"]
    assert "**not bold**" in content["body"] and "<strong>" not in content["formatted_body"]
    assert "@room" not in content["body"] and "@room" not in content["formatted_body"]
    assert content["m.mentions"] == {}


def test_only_named_people_become_pills() -> None:
    content = markup.message_content(
        "Przypomnienie dla @anna:example.org", mentions={"@anna:example.org": "@anna:example.org"}
    )
    assert content["m.mentions"] == {"user_ids": ["@anna:example.org"]}
    assert '<a href="https://matrix.to/#/@anna:example.org">' in content["formatted_body"]
    # People are written as Element writes pills, by display name: a pill where the name
    # stands as a word, never inside another word, a link or the longer name of another.
    content = markup.message_content(
        "Jan Kowalski, Jan i Janina: https://matrix.to/#/@jan:x",
        mentions={"@jk:x": "Jan Kowalski", "@jan:x": "Jan"},
    )
    assert content["formatted_body"] == (
        '<a href="https://matrix.to/#/@jk:x">Jan Kowalski</a>, '
        '<a href="https://matrix.to/#/@jan:x">Jan</a> i Janina: https://matrix.to/#/@jan:x'
    )
    assert content["body"] == "Jan Kowalski, Jan i Janina: https://matrix.to/#/@jan:x"
    # A display name that is also a word is a pill once, where the text names them.
    content = markup.message_content("i: Anna i Jan", mentions={"@i:x": "i"})
    assert content["formatted_body"] == '<a href="https://matrix.to/#/@i:x">i</a>: Anna i Jan'


def test_embeds_and_legend_are_read_in_order() -> None:
    reply = Reply(
        "Lista",
        embeds=(Embed("Grupa", "Opis", (EmbedField("Miejsce", "Łazy"),), "stopka"),),
    )
    parts = markup.reply_parts(reply, "✅ Dołącz")
    assert markup.parts_markdown(parts) == (
        "Lista\n\n**Grupa**\nOpis\n**Miejsce**\nŁazy\n*stopka*\n\n✅ Dołącz"
    )


def test_a_card_is_a_table_in_html_and_name_value_lines_in_the_body() -> None:
    card = Embed(
        "📅 **Forum**",
        "Wiosenne *forum*",
        (
            EmbedField("Termin", "12 marca, 10:00"),
            EmbedField("Grupy", "• Jura\n• Pilica"),
        ),
        "#3",
    )
    content = markup.parts_content(["Nowe:", card], mentions={})
    assert content["body"] == (
        "Nowe:\n\n📅 Forum\nWiosenne forum\nTermin: 12 marca, 10:00\nGrupy:\n• Jura\n• Pilica\n#3"
    )
    assert content["formatted_body"] == (
        "Nowe:<br><br><strong>📅 <strong>Forum</strong></strong><p>Wiosenne <em>forum</em></p>"
        "<table><tbody><tr><th>Termin</th><td>12 marca, 10:00</td></tr>"
        "<tr><th>Grupy</th><td><ul><li>Jura</li><li>Pilica</li></ul></td></tr></tbody></table>"
        "<p><em>#3</em></p>"
    )


def test_command_text_reads_pills_as_ids_and_drops_reply_quotes() -> None:
    content = {
        "body": "Anna",
        "format": markup.HTML_FORMAT,
        "formatted_body": "<mx-reply><blockquote>old</blockquote></mx-reply>"
        '!role grant user:<a href="https://matrix.to/#/@anna:example.org">Anna</a> role:moderator',
    }
    assert markup.command_text(content) == "!role grant user:@anna:example.org role:moderator"
    assert markup.command_text({"body": "> <@a:b> old\n\n!help"}) == "!help"


def test_edits_and_threads_relate_to_their_message() -> None:
    new = markup.message_content("nowe", mentions={})
    edit = markup.edit_content("$orig", new)
    assert edit["m.relates_to"] == {"rel_type": "m.replace", "event_id": "$orig"}
    assert edit["m.new_content"]["body"] == "nowe" and edit["body"] == "* nowe"
    threaded = markup.in_thread(new, "$root")
    assert threaded["m.relates_to"]["rel_type"] == "m.thread"
    # A reply is a reply, in a thread too (then not a fallback to the thread's root).
    assert markup.as_reply(new, "$poll")["m.relates_to"] == {"m.in_reply_to": {"event_id": "$poll"}}
    assert markup.in_thread(markup.as_reply(new, "$poll"), "$root")["m.relates_to"] == {
        "rel_type": "m.thread",
        "event_id": "$root",
        "is_falling_back": False,
        "m.in_reply_to": {"event_id": "$poll"},
    }


def test_reactions_are_unique_and_say_what_they_do() -> None:
    buttons = [
        Button("group:approve:4:matrix:@anna:x", "Zatwierdź"),
        Button("group:decline:4:matrix:@anna:x", "Odrzuć"),
        Button("other:1", "Dalej"),
        Button("event:rsvp:3:going", "Będę"),
        Button("poll:date:2:3", "3"),
        Button("event:reg:3", "Zapisy zamknięte", disabled=True),
    ]
    offered = reactions.assign(buttons)
    assert [o.emoji for o in offered] == ["✅", "❌", "🇦", "🇧", "3️⃣"]
    assert reactions.legend(offered[:2]) == "✅ Zatwierdź · ❌ Odrzuć"
    assert reactions.normalized("❤️") == reactions.normalized("❤")


def test_a_sign_up_slot_is_a_keycap_taken_back_to_sign_out() -> None:
    buttons = [
        Button("signup:join:4:1", "Zapisz się · 1"),
        Button("signup:leave:4:1", "Wypisz się · 1"),
        Button("signup:join:4:2", "Zapisz się · 2"),
        Button("signup:leave:4:2", "Wypisz się · 2"),
    ]
    offered = reactions.assign(buttons)
    assert [(o.emoji, o.press, o.undo) for o in offered] == [
        ("1️⃣", buttons[0], buttons[1]),
        ("2️⃣", buttons[2], buttons[3]),
    ]
    assert reactions.legend(offered) == "1️⃣ Zapisz się · 1 · 2️⃣ Zapisz się · 2"
    assert reactions.undoable(offered)
    # A closed sheet: signing up is over, taking the keycap back still signs out.
    closed = [replace(buttons[0], disabled=True), buttons[1]]
    [only] = reactions.assign(closed)
    assert (only.emoji, only.press, only.undo) == ("1️⃣", None, buttons[1])
    assert reactions.legend([only]) == ""
    # Before it opens nothing can be pressed: no reactions at all.
    assert reactions.assign([replace(b, disabled=True) for b in buttons]) == []


def test_of_several_answers_to_one_question_one_stands() -> None:
    assert reactions.answer_of("event:rsvp:3:going") == "event:rsvp:3"
    assert reactions.answer_of("event:rsvp:3:maybe") == "event:rsvp:3"
    assert reactions.answer_of("panel:hand:2") == reactions.answer_of("panel:lower:2")
    assert reactions.answer_of("signup:accept:4:1") == reactions.answer_of("signup:decline:4:1")
    # Buttons that stand on their own: a slot, a date, the calendar file.
    assert reactions.answer_of("signup:join:4:1") is None
    assert reactions.answer_of("poll:date:2:3") is None
    assert reactions.answer_of("event:ics:3") is None


def test_a_proposals_card_is_decided_with_a_tick_or_a_cross() -> None:
    buttons = [
        Button("group:proposal:approve:7", "Zatwierdź"),
        Button("group:proposal:decline:7", "Odrzuć"),
    ]
    assert [o.emoji for o in reactions.assign(buttons)] == ["✅", "❌"]


def test_the_text_names_exactly_the_reactions_on_it() -> None:
    """An event card writes ✅ Będę · 🤔 Może · ❌ Nie będę; a label's own emoji is the one
    that presses it, and no emoji is named twice."""
    buttons = [
        Button("event:rsvp:3:going", "Będę · 2"),
        Button("event:rsvp:3:maybe", "Może · 0"),
        Button("event:rsvp:3:no", "Nie będę · 1"),
        Button("event:ics:3", "📅 Dodaj do kalendarza"),
        Button("panel:next:3", "⏭️ Następna osoba"),
        Button("other:1", "📅 Jeszcze raz"),
    ]
    offered = reactions.assign(buttons)
    assert [o.emoji for o in offered] == ["✅", "🤔", "❌", "📅", "⏭️", "🇦"]
    assert reactions.legend(offered) == (
        "✅ Będę · 2 · 🤔 Może · 0 · ❌ Nie będę · 1 · 📅 Dodaj do kalendarza · "
        "⏭️ Następna osoba · 🇦 Jeszcze raz"
    )


def test_the_plain_body_reads_without_markup_but_keeps_what_a_user_typed() -> None:
    shown = f"**Forum** *jutro* `/remind list` ~~stare~~ {inert('**moje**')}\n# Nagłówek"
    body = markup.message_content(shown, mentions={})["body"]
    assert body == "Forum jutro /remind list stare **moje**\nNagłówek"


def test_lists_become_html_lists_and_indentation_stays() -> None:
    html = markup.to_html(
        "Grupy:\n• **Jura** — Zawiercie\n• Pilica\nKoniec\n1. tak\n2. nie\n  dalej\n\n  wcięte"
    )
    assert html == (
        "Grupy:<ul><li><strong>Jura</strong> — Zawiercie</li><li>Pilica</li></ul>"
        "Koniec<ol><li>tak</li><li>nie<br>dalej</li></ol><br>\u00a0\u00a0wcięte"
    )
    # A sign-up sheet: slots numbered in bold, each with its seats indented under it.
    sheet = markup.to_html("**1.** piątek\n    1/1 zajęte\n**2.** sobota\n    0/1")
    assert sheet == "<ol><li>piątek<br>1/1 zajęte</li><li>sobota<br>0/1</li></ol>"
    assert markup.to_html("3. trzeci\n4. czwarty").startswith('<ol start="3"><li>trzeci')
