"""Rules of the Matrix front end that need no homeserver: who may invite the bot, who a
name typed in a command is."""

from __future__ import annotations

from pathlib import Path

import pytest
from nio import MatrixRoom

from bot.config import Settings
from bot.errors import UserError
from matrix.bot import MatrixBot


def bot(tmp_path: Path) -> MatrixBot:
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
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
