"""What the double answers is shaped as Discord answers it: each response is checked against
the response schema of Discord's API description (openapi.py `check_response`; ids and
permissions strictly as strings), and the shapes the description leaves open are asserted
one by one (component ids, a deferred callback's resource without its message).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from .discord_double import DiscordDouble
from .test_double_rules import call, interaction

Json = dict[str, Any] | list[Any]


def shaped(double: DiscordDouble, name: str, payload: Any) -> None:
    """Fails with every place where `payload` is not a `name` as Discord sends it."""
    problems = double.api_description.check_response(name, payload)
    assert not problems, f"not a {name}:\n" + "\n".join(problems)


def general(double: DiscordDouble) -> int:
    return double.seeded.channel_ids["general"]


ROWS = [
    {
        "type": 1,
        "components": [
            {"type": 2, "style": 1, "label": "Tak", "custom_id": "yes"},
            {"type": 2, "style": 4, "label": "Nie", "custom_id": "no", "id": 2},
        ],
    },
    {
        "type": 1,
        "components": [
            {
                "type": 3,
                "custom_id": "pick",
                "options": [{"label": "A", "value": "a"}, {"label": "B", "value": "b"}],
            }
        ],
    },
]


async def test_components_get_their_ids_as_discord_numbers_them(double: DiscordDouble) -> None:
    status, message = await call(
        double,
        "POST",
        f"/channels/{general(double)}/messages",
        {"content": "?", "components": ROWS},
    )

    assert status == 200
    shaped(double, "MessageResponse", message)
    # Depth first from 1, skipping the id the sender gave (2).
    first, second = message["components"]
    assert [first["id"], *(c["id"] for c in first["components"])] == [1, 3, 2]
    assert [second["id"], second["components"][0]["id"]] == [4, 5]
    status, again = await call(
        double, "GET", f"/channels/{general(double)}/messages/{message['id']}"
    )
    assert again["components"] == message["components"]


async def test_an_edit_numbers_the_new_components(double: DiscordDouble) -> None:
    _, message = await call(
        double,
        "POST",
        f"/channels/{general(double)}/messages",
        {"content": "?", "components": ROWS},
    )
    status, edited = await call(
        double,
        "PATCH",
        f"/channels/{general(double)}/messages/{message['id']}",
        {"components": ROWS[1:]},
    )

    assert status == 200
    shaped(double, "MessageResponse", edited)
    assert [edited["components"][0]["id"], edited["components"][0]["components"][0]["id"]] == [
        1,
        2,
    ]


@pytest.mark.parametrize("sent", [8, "8", None], ids=["integer", "string", "none"])
async def test_default_member_permissions_come_back_as_a_string(
    double: DiscordDouble, sent: int | str | None
) -> None:
    app, guild = double.application_id, double.seeded.guild_id
    command = {"name": "zarzad", "description": "Zarząd", "default_member_permissions": sent}

    status, [created] = await call(
        double, "PUT", f"/applications/{app}/guilds/{guild}/commands", [command]
    )

    assert status == 200
    shaped(double, "ApplicationCommandResponse", created)
    assert created["default_member_permissions"] == (None if sent is None else "8")
    _, listed = await call(double, "GET", f"/applications/{app}/guilds/{guild}/commands")
    assert listed[0]["default_member_permissions"] == created["default_member_permissions"]


async def callback(double: DiscordDouble, body: Json) -> Any:
    record = interaction(double)
    url = f"/interactions/{record.id}/{record.token}/callback?with_response=true"
    status, answer = await call(double, "POST", url, body)
    assert status == 200, answer
    return answer


async def test_a_message_callback_returns_the_message(double: DiscordDouble) -> None:
    answer = await callback(double, {"type": 4, "data": {"content": "pong"}})

    shaped(double, "InteractionCallbackResponse", answer)
    assert answer["resource"]["type"] == 4 and answer["resource"]["message"]["content"] == "pong"
    assert answer["interaction"]["response_message_loading"] is False


async def test_a_deferred_callback_has_no_message_in_its_resource(double: DiscordDouble) -> None:
    answer = await callback(double, {"type": 5})

    # The description's union lists only resources with a message (4, 7, 12); Discord's
    # documentation: `message` is "only present if type is CHANNEL_MESSAGE_WITH_SOURCE or
    # UPDATE_MESSAGE", the resource itself always carries its type.
    assert answer["resource"] == {"type": 5}
    shaped(double, "InteractionResponse", answer["interaction"])
    assert answer["interaction"]["response_message_loading"] is True
    assert answer["interaction"]["response_message_id"]


async def test_a_modal_callback_has_a_resource_without_a_message(double: DiscordDouble) -> None:
    modal = {
        "type": 9,
        "data": {
            "custom_id": "form",
            "title": "Formularz",
            "components": [
                {
                    "type": 1,
                    "components": [{"type": 4, "custom_id": "what", "label": "Co?", "style": 1}],
                }
            ],
        },
    }

    answer = await callback(double, modal)

    assert answer["resource"] == {"type": 9}
    assert "response_message_id" not in answer["interaction"]


ROUTES = [
    ("GET", "/users/@me", "UserPIIResponse"),
    ("GET", "/applications/@me", "PrivateApplicationResponse"),
    ("GET", "/gateway/bot", "GatewayBotResponse"),
    ("GET", "/guilds/{guild}", "GuildWithCountsResponse"),
    ("GET", "/guilds/{guild}/roles", "GuildRoleResponse"),
    ("GET", "/guilds/{guild}/channels", "GuildChannelResponse"),
    ("GET", "/guilds/{guild}/members/{anna}", "GuildMemberResponse"),
    ("GET", "/channels/{general}", "GuildChannelResponse"),
    ("GET", "/users/{anna}", "UserResponse"),
]


@pytest.mark.parametrize(("method", "template", "name"), ROUTES, ids=[r[1] for r in ROUTES])
async def test_reads_are_shaped_as_discord_answers(
    double: DiscordDouble, method: str, template: str, name: str
) -> None:
    path = template.format(
        guild=double.seeded.guild_id,
        general=general(double),
        anna=double.seeded.user_ids["anna"],
    )

    status, body = await call(double, method, path)

    assert status == 200, body
    for item in body if isinstance(body, list) else [body]:
        if name == "GuildChannelResponse" and item.get("type") == 15:
            continue  # a forum is a GuildChannelResponse with tags; checked below
        shaped(double, name, item)


async def test_a_dm_channel_and_a_scheduled_event_are_shaped_as_discords(
    double: DiscordDouble,
) -> None:
    anna = double.seeded.user_ids["anna"]
    status, dm = await call(double, "POST", "/users/@me/channels", {"recipient_id": str(anna)})
    assert status == 200
    shaped(double, "PrivateChannelResponse", dm)
    body = {
        "name": "Zebranie",
        "privacy_level": 2,
        "scheduled_start_time": (double.now() + timedelta(hours=1)).isoformat(),
        "scheduled_end_time": (double.now() + timedelta(hours=2)).isoformat(),
        "entity_type": 3,
        "entity_metadata": {"location": "Kraków"},
    }
    status, event = await call(
        double, "POST", f"/guilds/{double.seeded.guild_id}/scheduled-events", body
    )
    assert status == 200, event
    shaped(double, "ExternalScheduledEventResponse", event)
