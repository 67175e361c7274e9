"""Rules of the Matrix front end that need no homeserver: who may invite the bot, who a
name typed in a command is, what the store keeps of reactions."""

from __future__ import annotations

from pathlib import Path

import pytest
from nio import MatrixRoom

from bot.config import Settings
from bot.db import Database
from bot.errors import UserError
from matrix import markup
from matrix.bot import MatrixBot
from matrix.store import MatrixStore, Offer, Reacted


def bot(tmp_path: Path) -> MatrixBot:
    settings = Settings(
        _env_file=None,
        database_path=tmp_path / "bot.sqlite3",
        matrix_homeserver="https://matrix.example.org",
        matrix_user="@podaj:example.org",
        matrix_password="pw",
        matrix_rooms="!community",
    )
    return MatrixBot(settings, settings.matrix_login())


async def test_only_the_community_may_bring_the_bot_into_a_room(tmp_path: Path) -> None:
    matrix = bot(tmp_path)
    try:
        assert matrix.may_invite("@anna:example.org")  # the bot's own homeserver
        assert not matrix.may_invite("@spam:elsewhere.net")
        # A member of a community room, from another server, may.
        room = MatrixRoom("!community", "@podaj:example.org")
        room.add_member("@jan:biblioteka.nl", "Jan", None)
        room.add_member("@gast:biblioteka.nl", "Gast", None, invited=True)
        matrix.client.rooms["!community"] = room
        matrix._admin_rooms.add("!community")
        assert matrix.may_invite("@jan:biblioteka.nl")
        assert not matrix.may_invite("@gast:biblioteka.nl")  # invited is not joined
    finally:
        await matrix.client.close()


async def test_a_person_is_named_by_id_local_part_or_name_and_never_guessed(
    tmp_path: Path,
) -> None:
    matrix = bot(tmp_path)
    try:
        room = MatrixRoom("!hub", "@podaj:example.org")
        room.add_member("@jan:example.org", "Jan Kowalski", None)
        room.add_member("@ewa:example.org", "Ewa", None)
        room.add_member("@ola:example.org", "Jan", None)
        matrix.client.rooms["!hub"] = room
        for written in ("@ewa", "ewa", "EWA", "@ewa:example.org"):
            person = matrix._person(written, "!hub")
            assert (person.id, person.name) == ("matrix:@ewa:example.org", "Ewa")
        # "jan" is Jan Kowalski's local part and Ola's display name: refused, naming both.
        with pytest.raises(UserError) as ambiguous:
            matrix._person("@jan", "!hub")
        assert ambiguous.value.key == "error.matrix.ambiguous_user"
        assert ambiguous.value.params["candidates"] == (
            "Jan Kowalski (@jan:example.org), Jan (@ola:example.org)"
        )
        with pytest.raises(UserError, match=r"^error\.matrix\.unknown_user$"):
            matrix._person("marta", "!hub")
        with pytest.raises(UserError, match=r"^error\.matrix\.unknown_user_id$"):
            matrix._person("@jna:example.org", "!hub")
        # Texts write people as Element shows them: by display name.
        assert matrix.ports.mention("matrix:@jan:example.org") == "Jan Kowalski"
        assert matrix.ports.mention("matrix:@gone:example.org") == "@gone:example.org"
    finally:
        await matrix.client.close()


async def test_two_people_of_one_display_name_are_each_their_own_pill(tmp_path: Path) -> None:
    matrix = bot(tmp_path)
    try:
        hub, group = MatrixRoom("!hub", "@podaj:example.org"), MatrixRoom("!g", "@podaj:x")
        hub.add_member("@anna:example.org", "Kasia", None)
        group.add_member("@jan:example.org", "Kasia", None)
        group.add_member("@ewa:example.org", "Ewa", None)
        matrix.client.rooms.update({"!hub": hub, "!g": group})
        # Told apart by the id, as Element does, even when they share no room.
        anna = matrix.ports.mention("matrix:@anna:example.org")
        jan = matrix.ports.mention("matrix:@jan:example.org")
        assert (anna, jan) == ("Kasia (@anna:example.org)", "Kasia (@jan:example.org)")
        assert matrix.ports.mention("matrix:@ewa:example.org") == "Ewa"
        mentions = {"@anna:example.org": anna, "@jan:example.org": jan}
        content = markup.message_content(f"{anna}, {jan}", mentions=mentions)
        html = content["formatted_body"]
        assert html.count("matrix.to/#/@anna:example.org") == 1, html
        assert html.count("matrix.to/#/@jan:example.org") == 1, html
    finally:
        await matrix.client.close()


async def test_the_store_keeps_what_a_reaction_does_and_who_reacted(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "bot.sqlite3")
    store = MatrixStore(db)
    try:
        sheet = Offer("1️⃣", "signup:join:4:1", "signup:leave:4:1")
        await store.set_reactions("!hub", "$sheet", [("1⃣", sheet)])
        assert await store.offer("!hub", "$sheet", "1⃣") == sheet
        assert await store.offer("!elsewhere", "$sheet", "1⃣") is None  # only in its room
        own = Reacted("$r1", "!hub", "$sheet", "1⃣", "matrix:@podaj:example.org")
        hers = Reacted("$r2", "!hub", "$sheet", "1⃣", "matrix:@anna:example.org")
        for reacted in (own, hers, hers):  # a reaction seen twice is noted once
            await store.note_reaction(reacted)
        assert await store.reactions_on("$sheet", key="1⃣") == [own, hers]
        assert await store.reactions_on("$sheet", key="2⃣") == []
        # A redaction names only the reaction: the store says what it was, once.
        assert await store.forget_reaction("$r2") == hers
        assert await store.forget_reaction("$r2") is None
        assert await store.reactions_on("$sheet") == [own]
    finally:
        await db.close()
