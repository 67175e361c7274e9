"""The guild every Discord story starts in: its people, roles and channels (seeded).

Ids are stable (seeded snowflakes), so a failing test's output can be compared run to run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from . import permissions as perms
from . import state as st

if TYPE_CHECKING:
    from .server import DiscordDouble

GUILD_NAME = "Podaj dalej test"
BOT_NAME = "podaj-dalej"
PEOPLE = ("anna", "jan", "ewa", "admin")
FORUM_TAGS = ("Ogłoszenie", "Pytanie", "Wydarzenie")


@dataclass
class SeededGuild:
    guild_id: int
    bot_id: int
    user_ids: dict[str, int] = field(default_factory=dict)
    channel_ids: dict[str, int] = field(default_factory=dict)
    role_ids: dict[str, int] = field(default_factory=dict)


def seed(double: DiscordDouble) -> SeededGuild:
    state = double.state
    ids = double.snowflakes

    bot = st.User(id=ids.seed(), username=BOT_NAME, global_name="Podaj dalej", bot=True)
    state.users[bot.id] = bot
    people = {name: st.User(id=ids.seed(), username=name) for name in PEOPLE}
    for user in people.values():
        state.users[user.id] = user
    return _furnish(double, ids.seed(), GUILD_NAME, bot.id)


def add_guild(double: DiscordDouble, name: str, *, shard: tuple[int, int]) -> SeededGuild:
    """Another server like the seeded one (same people, roles and channels, the bot in it)
    whose id puts it on `shard` = (shard id, shard count). Added before the bot connects,
    it is in READY; afterwards the bot does not hear of it (no GUILD_CREATE is sent)."""
    return _furnish(double, double.snowflakes.seed_on_shard(*shard), name, double.seeded.bot_id)


def _furnish(double: DiscordDouble, guild_id: int, name: str, bot_id: int) -> SeededGuild:
    state = double.state
    ids = double.snowflakes
    now = double.now()
    people = {person: state.user_by_name(person) for person in PEOPLE}

    guild = st.Guild(id=guild_id, name=name, owner_id=people["admin"].id)
    state.guilds[guild.id] = guild
    seeded = SeededGuild(guild_id=guild.id, bot_id=bot_id)
    seeded.user_ids = {person: u.id for person, u in people.items()} | {BOT_NAME: bot_id}

    # @everyone has the guild's id; the bot's managed role sits below Admin so role
    # hierarchy rules can bite the way they do on a real server.
    roles = [
        st.Role(guild.id, guild.id, "@everyone", perms.EVERYONE_DEFAULT, 0),
        st.Role(
            ids.seed(),
            guild.id,
            "Podaj dalej",
            perms.BOT_DEFAULT,
            10,
            managed=True,
            tags={"bot_id": str(bot_id)},
        ),
        st.Role(ids.seed(), guild.id, "Admin", perms.BITS["administrator"], 11, hoist=True),
    ]
    for role in roles:
        guild.roles[role.id] = role
        seeded.role_ids[role.name] = role.id

    for person, user in people.items():
        member_roles = [seeded.role_ids["Admin"]] if person == "admin" else []
        guild.members[user.id] = st.Member(user.id, guild.id, member_roles, now)
    guild.members[bot_id] = st.Member(bot_id, guild.id, [seeded.role_ids["Podaj dalej"]], now)

    def channel(title: str, kind: int, position: int, **extra: object) -> st.Channel:
        ch = st.Channel(
            id=ids.seed(), type=kind, name=title, guild_id=guild.id, position=position, **extra
        )  # type: ignore[arg-type]
        state.add_channel(ch)
        seeded.channel_ids[title] = ch.id
        return ch

    channel("general", st.GUILD_TEXT, 0, topic="Rozmowy")
    tags = [
        {
            "id": str(ids.seed()),
            "name": tag,
            "moderated": False,
            "emoji_id": None,
            "emoji_name": None,
        }
        for tag in FORUM_TAGS
    ]
    channel("announcements", st.GUILD_FORUM, 1, topic="Ogłoszenia sieci", available_tags=tags)
    channel("log", st.GUILD_TEXT, 2)
    channel("Grupy", st.GUILD_CATEGORY, 3)
    return seeded
