"""Rules of the Matrix front end that need no homeserver: who may invite the bot."""

from __future__ import annotations

from pathlib import Path

from nio import MatrixRoom

from bot.config import Settings
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
