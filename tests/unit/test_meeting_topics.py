"""A meeting's topic is the group's content: its members, initiators, the server's
moderators and admins see it; anyone else (a pending request too) sees the date and the
host, in the directory, in /group meeting next and in the weekly digest."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.refs import ChannelRef, UserRef
from bot.replies import Reply
from tests.helpers.clock import warsaw
from tests.helpers.world import ADMIN, ANNA, EWA, JAN, World

TOPIC = "zwolnienia w filiach"
OLA = UserRef("test:ola", "Ola")
MOD = UserRef("test:mod", "Mod")
FORUM = ChannelRef("test:#ogloszenia", "ogloszenia")


@pytest.fixture
async def world(tmp_path: Path) -> AsyncIterator[World]:
    w = await World.open(tmp_path / "m.sqlite3")
    await w.say("role grant", actor=ADMIN, user=MOD, role="moderator")
    await w.say("group create", actor=ADMIN, name="Jura", city="Zawiercie", initiator=EWA)
    await w.say("group join", actor=ANNA, name="Jura")
    await w.say(
        "group meeting plan",
        actor=EWA,
        name="Jura",
        hosts="MBP Łazy",
        dates="za 5 dni 10:00",
        topic=TOPIC,
    )
    yield w
    await w.app.close()


def text(reply: Reply) -> str:
    parts = [reply.text]
    for embed in reply.embeds:
        parts += [embed.title or "", embed.description or ""]
        parts += [f"{field.name}: {field.value}" for field in embed.fields]
    return "\n".join(parts)


async def seen_by(world: World, user: UserRef) -> list[str]:
    return [
        text(await world.say("group info", actor=user, name="Jura")),
        text(await world.say("group meeting next", actor=user, name="Jura")),
    ]


@pytest.mark.parametrize(
    "user", [ANNA, EWA, MOD, ADMIN], ids=["member", "initiator", "mod", "admin"]
)
async def test_the_group_and_the_servers_staff_see_the_topic(world: World, user: UserRef) -> None:
    for answer in await seen_by(world, user):
        assert TOPIC in answer and "gospodarz: MBP Łazy" in answer


async def test_someone_outside_the_group_sees_date_and_host_only(world: World) -> None:
    for answer in await seen_by(world, JAN):
        assert TOPIC not in answer
        assert "gospodarz: MBP Łazy" in answer


async def test_a_pending_request_is_not_membership(world: World) -> None:
    await world.say("group edit", actor=EWA, name="Jura", join="approval")
    await world.say("group join", actor=OLA, name="Jura")
    for answer in await seen_by(world, OLA):
        assert TOPIC not in answer and "gospodarz: MBP Łazy" in answer
    await world.say("group leave", actor=ANNA, name="Jura")
    for answer in await seen_by(world, ANNA):  # a former member no longer sees it
        assert TOPIC not in answer


async def test_the_digest_for_everyone_leaves_the_topic_out(world: World) -> None:
    await world.say("setup server", actor=ADMIN, forum=FORUM, digest="poniedziałek 9:00")
    await world.app.scheduler.advance_to(warsaw(4, 9))  # the Monday digest
    [digest] = [p.reply for p in world.front.forum_posts if p.title.startswith("Przegląd")]
    assert "Jura" in text(digest)
    assert TOPIC not in text(digest)


async def test_members_still_get_the_topic_in_the_channel_and_the_reminder(world: World) -> None:
    assert any(TOPIC in p.text for p in world.posts("channel:1"))
    await world.app.advance(warsaw(4, 10) - world.clock.now())  # the day before, 10:00
    assert TOPIC in world.dms(ANNA)[-1].text
