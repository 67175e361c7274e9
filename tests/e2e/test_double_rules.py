"""Requests Discord refuses are refused by the double, with Discord's status, code and shape.

Each case is sent as raw HTTP (no bot). Twice: with the API-description check on (what
every story runs with; the description or the double's rule refuses) and with it off, which
proves the double's own rule (limits.py, the routes) holds the line where the description
is silent or is switched off.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from tests.helpers.clock import START

from .discord_double import DiscordDouble, Harness
from .discord_double import state as st
from .discord_double.interactions import InteractionFactory

REPO = Path(__file__).resolve().parents[2]
Json = dict[str, Any] | list[Any]


async def call(
    double: DiscordDouble,
    method: str,
    path: str,
    body: Json | None = None,
    *,
    form: aiohttp.FormData | None = None,
) -> tuple[int, Any]:
    headers = {"Authorization": f"Bot {double.token}"}
    async with (
        aiohttp.ClientSession(headers=headers) as session,
        session.request(method, double.api_base + path, json=body, data=form) as resp,
    ):
        data = await resp.json(content_type=None) if resp.status != 204 else None
        return resp.status, data


def error_at(data: dict[str, Any], *path: str | int) -> list[str]:
    """The Discord error codes at `path` of a 50035 `errors` tree."""
    node: Any = data.get("errors", {})
    for key in path:
        node = node.get(str(key), {})
    return [e["code"] for e in node.get("_errors", [])]


def button(custom_id: str = "b", **extra: Any) -> dict[str, Any]:
    return {"type": 2, "style": 1, "label": "ok", "custom_id": custom_id, **extra}


def row(*components: dict[str, Any]) -> dict[str, Any]:
    return {"type": 1, "components": list(components)}


@pytest.fixture(params=["described", "double-only"])
def checked(request: pytest.FixtureRequest, double: DiscordDouble) -> DiscordDouble:
    double.validate_requests = request.param == "described"
    return double


def general(double: DiscordDouble) -> str:
    return f"/channels/{double.seeded.channel_ids['general']}/messages"


# messages --------------------------------------------------------------------------------

V2 = 1 << 15
MESSAGE_CASES: dict[str, tuple[dict[str, Any], tuple[str | int, ...], str]] = {
    "components v2 with content": (
        {"flags": V2, "content": "x", "components": [{"type": 10, "content": "t"}]},
        ("content",),
        "MESSAGE_CANNOT_USE_LEGACY_FIELDS_WITH_COMPONENTS_V2",
    ),
    "components v2 with embeds": (
        {"flags": V2, "embeds": [{"title": "t"}], "components": [{"type": 10, "content": "t"}]},
        ("embeds",),
        "MESSAGE_CANNOT_USE_LEGACY_FIELDS_WITH_COMPONENTS_V2",
    ),
    "duplicate custom_id": (
        {"content": "x", "components": [row(button("same"), button("same"))]},
        ("components", 0, "components", 1, "custom_id"),
        "COMPONENT_CUSTOM_ID_DUPLICATED",
    ),
    "empty custom_id": (
        {"content": "x", "components": [row(button(""))]},
        ("components", 0, "components", 0, "custom_id"),
        "BASE_TYPE_BAD_LENGTH",
    ),
    "link url over 512": (
        {
            "content": "x",
            "components": [
                row({"type": 2, "style": 5, "label": "l", "url": "https://e.org/" + "a" * 500})
            ],
        },
        ("components", 0, "components", 0, "url"),
        "BASE_TYPE_MAX_LENGTH",
    ),
    "text input in a message": (
        {"content": "x", "components": [row({"type": 4, "custom_id": "t", "style": 1})]},
        ("components", 0, "components", 0, "type"),
        "UNION_TYPE_CHOICES",
    ),
    "unknown component type": (
        {"content": "x", "components": [row({"type": 99, "custom_id": "t"})]},
        ("components", 0, "components", 0, "type"),
        "UNION_TYPE_CHOICES",
    ),
    "select min_values over max_values": (
        {
            "content": "x",
            "components": [
                row(
                    {
                        "type": 3,
                        "custom_id": "s",
                        "min_values": 3,
                        "max_values": 2,
                        "options": [{"label": str(i), "value": str(i)} for i in range(4)],
                    }
                )
            ],
        },
        ("components", 0, "components", 0, "min_values"),
        "SELECT_COMPONENT_MIN_VALUES_GREATER_THAN_MAX_VALUES",
    ),
    "parse users with a users list": (
        {"content": "x", "allowed_mentions": {"parse": ["users"], "users": ["1"]}},
        ("allowed_mentions",),
        "MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE",
    ),
    "over 100 user ids": (
        {"content": "x", "allowed_mentions": {"users": [str(i + 1) for i in range(101)]}},
        ("allowed_mentions", "users"),
        "BASE_TYPE_MAX_LENGTH",
    ),
    "embed colour over 24 bits": (
        {"embeds": [{"title": "t", "color": 0x1000000}]},
        ("embeds", 0, "color"),
        "NUMBER_TYPE_MAX",
    ),
    "reply to a missing message": (
        {"content": "x", "message_reference": {"message_id": "123456789"}},
        ("message_reference",),
        "MESSAGE_REFERENCE_UNKNOWN_MESSAGE",
    ),
}


@pytest.mark.parametrize("case", MESSAGE_CASES, ids=list(MESSAGE_CASES))
async def test_message_rules(checked: DiscordDouble, case: str) -> None:
    body, path, code = MESSAGE_CASES[case]
    before = len(checked.state.messages)

    status, data = await call(checked, "POST", general(checked), body)

    assert (status, data["code"], data["message"]) == (400, 50035, "Invalid Form Body")
    assert data["errors"]
    if not checked.validate_requests:
        assert code in error_at(data, *path), data
    assert len(checked.state.messages) == before  # nothing half-created


async def test_reply_to_a_missing_message_without_fail_if_not_exists_is_a_plain_message(
    double: DiscordDouble,
) -> None:
    body = {"content": "x", "message_reference": {"message_id": "1", "fail_if_not_exists": False}}
    status, data = await call(double, "POST", general(double), body)
    assert status == 200 and data.get("message_reference") is None


async def test_whitespace_only_content_is_an_empty_message(checked: DiscordDouble) -> None:
    status, data = await call(checked, "POST", general(checked), {"content": " \n\t "})
    assert (status, data["code"]) == (400, 50006)


async def test_eleven_files_are_refused(checked: DiscordDouble) -> None:
    form = aiohttp.FormData()
    form.add_field("payload_json", '{"content": "x"}', content_type="application/json")
    for i in range(11):
        form.add_field(f"files[{i}]", b"data", filename=f"f{i}.txt")
    status, data = await call(checked, "POST", general(checked), form=form)
    assert (status, data["code"]) == (400, 50035)
    assert error_at(data, "attachments") == ["BASE_TYPE_MAX_LENGTH"]


async def test_a_file_over_10_mib_is_too_large(checked: DiscordDouble) -> None:
    form = aiohttp.FormData()
    form.add_field("payload_json", '{"content": "x"}', content_type="application/json")
    form.add_field("files[0]", b"x" * (10 * 1024 * 1024 + 1), filename="big.bin")
    status, data = await call(checked, "POST", general(checked), form=form)
    assert (status, data["code"]) == (413, 40005)


async def test_ten_files_of_10_mib_are_fine(double: DiscordDouble) -> None:
    form = aiohttp.FormData()
    form.add_field("payload_json", '{"content": "x"}', content_type="application/json")
    form.add_field("files[0]", b"x" * (10 * 1024 * 1024), filename="max.bin")
    for i in range(1, 10):
        form.add_field(f"files[{i}]", b"small", filename=f"f{i}.txt")
    status, data = await call(double, "POST", general(double), form=form)
    assert status == 200 and len(data["attachments"]) == 10
    assert not double.state.problems


@pytest.mark.parametrize(
    "body",
    [{"content": 5}, {"content": "x", "embeds": "x"}, {"content": "x", "tts": "loud"}],
    ids=["content a number", "embeds a string", "tts a string"],
)
async def test_wrong_types_are_400_invalid_form_body_not_500(
    double: DiscordDouble, body: dict[str, Any]
) -> None:
    before = len(double.state.messages)
    status, data = await call(double, "POST", general(double), body)
    assert (status, data["code"]) == (400, 50035)
    assert len(double.state.messages) == before
    assert [p.kind for p in double.state.problems] == ["invalid-request"]


async def test_limit_101_is_refused_not_clamped(checked: DiscordDouble) -> None:
    status, data = await call(checked, "GET", general(checked) + "?limit=101")
    assert (status, data["code"]) == (400, 50035)
    assert error_at(data, "limit") == ["NUMBER_TYPE_MAX"]
    status, _ = await call(checked, "GET", general(checked) + "?limit=100")
    assert status == 200


# interactions ----------------------------------------------------------------------------


def interaction(double: DiscordDouble, kind: int = 2) -> st.InteractionRecord:
    user = double.state.users[double.seeded.user_ids["anna"]]
    channel = double.state.channels[double.seeded.channel_ids["general"]]
    record = InteractionFactory(double).new(kind, user, channel, {"name": "ping"})
    record.dispatched_at = time.monotonic()
    return record


def callback(record: st.InteractionRecord) -> str:
    return f"/interactions/{record.id}/{record.token}/callback?with_response=true"


def webhook(double: DiscordDouble, record: st.InteractionRecord, tail: str = "") -> str:
    return f"/webhooks/{double.application_id}/{record.token}{tail}"


async def test_ephemeral_messages_are_unknown_through_channel_routes(
    double: DiscordDouble,
) -> None:
    record = interaction(double)
    reply = {"type": 4, "data": {"content": "only you", "flags": 64}}
    status, data = await call(double, "POST", callback(record), reply)
    assert status == 200
    path = f"{general(double)}/{data['resource']['message']['id']}"

    for method, body in (("GET", None), ("PATCH", {"content": "changed"}), ("DELETE", None)):
        status, data = await call(double, method, path, body)
        assert (status, data["code"]) == (404, 10008), method
    # The interaction webhook still reaches it.
    status, data = await call(double, "GET", webhook(double, record, "/messages/@original"))
    assert status == 200 and data["content"] == "only you"


def settable_clock(double: DiscordDouble) -> Callable[[timedelta], None]:
    now = [START]
    double.clock = lambda: now[0]

    def advance(by: timedelta) -> None:
        now[0] += by

    return advance


async def test_interaction_token_expires_after_15_minutes_of_the_doubles_clock(
    double: DiscordDouble,
) -> None:
    advance = settable_clock(double)
    record = interaction(double)
    status, _ = await call(double, "POST", callback(record), {"type": 5})
    assert status == 200

    advance(timedelta(minutes=14, seconds=59))
    status, _ = await call(
        double,
        "PATCH",
        webhook(double, record, "/messages/@original"),
        {"content": "still in time"},
    )
    assert status == 200

    advance(timedelta(seconds=2))
    for method, tail, body in (
        ("POST", "", {"content": "late followup"}),
        ("PATCH", "/messages/@original", {"content": "late edit"}),
    ):
        status, data = await call(double, method, webhook(double, record, tail), body)
        assert (status, data["code"]) == (401, 50027), method


def modal(**changes: Any) -> dict[str, Any]:
    text_input = {"type": 4, "custom_id": "t", "style": 1, "label": "Text"}
    data: dict[str, Any] = {"custom_id": "m", "title": "Title", "components": [row(text_input)]}
    for key, value in changes.items():
        if value is None:
            data.pop(key)
        else:
            data[key] = value
    return {"type": 9, "data": data}


MODAL_CASES: dict[str, tuple[dict[str, Any], tuple[str | int, ...]]] = {
    "a button inside": (
        modal(components=[row(button())]),
        ("data", "components", 0, "components", 0, "type"),
    ),
    "text input without style": (
        modal(components=[row({"type": 4, "custom_id": "t", "label": "Text"})]),
        ("data", "components", 0, "components", 0, "style"),
    ),
    "placeholder of 101": (
        modal(
            components=[
                row(
                    {
                        "type": 4,
                        "custom_id": "t",
                        "style": 1,
                        "label": "T",
                        "placeholder": "p" * 101,
                    }
                )
            ]
        ),
        ("data", "components", 0, "components", 0, "placeholder"),
    ),
    "no custom_id": (modal(custom_id=None), ("data", "custom_id")),
}


@pytest.mark.parametrize("case", MODAL_CASES, ids=list(MODAL_CASES))
async def test_modal_rules(checked: DiscordDouble, case: str) -> None:
    body, path = MODAL_CASES[case]
    record = interaction(checked)
    status, data = await call(checked, "POST", callback(record), body)
    assert (status, data["code"]) == (400, 50035)
    if not checked.validate_requests:
        assert error_at(data, *path), data
    assert not record.acknowledged


# commands --------------------------------------------------------------------------------


def command(**changes: Any) -> dict[str, Any]:
    return {"name": "remind", "description": "Reminders", "type": 1, **changes}


def option(**changes: Any) -> dict[str, Any]:
    return {"name": "what", "description": "What", "type": 3, **changes}


COMMAND_CASES: dict[str, tuple[list[dict[str, Any]], tuple[str | int, ...]]] = {
    "invalid localized name": (
        [command(name_localizations={"pl": "Przypomnij Mi"})],
        (0, "name_localizations", "pl"),
    ),
    "localized description of 101": (
        [command(description_localizations={"pl": "d" * 101})],
        (0, "description_localizations", "pl"),
    ),
    "unknown locale": (
        [command(name_localizations={"xx-YY": "przypomnij"})],
        (0, "name_localizations", "xx-YY"),
    ),
    "duplicate option names": (
        [command(options=[option(), option()])],
        (0, "options", 1, "name"),
    ),
    "over 8000 characters": (
        [
            command(
                options=[
                    option(
                        name=f"o{i}",
                        description="d" * 100,
                        choices=[{"name": "n" * 100, "value": "v" * 100} for _ in range(25)],
                    )
                    for i in range(2)
                ]
            )
        ],
        (0,),
    ),
    "min_length over 6000": (
        [command(options=[option(min_length=6001)])],
        (0, "options", 0, "min_length"),
    ),
    "sixteen user commands": (
        [{"name": f"User {i}", "type": 2} for i in range(16)],
        (),
    ),
    "unknown option type": ([command(options=[option(type=12)])], (0, "options", 0, "type")),
    "unknown channel type": (
        [command(options=[option(type=7, channel_types=[99])])],
        (0, "options", 0, "channel_types", 0),
    ),
    "subcommands mixed with options": (
        [command(options=[option(), {"name": "sub", "description": "S", "type": 1}])],
        (0, "options"),
    ),
    "choice value over 100": (
        [command(options=[option(choices=[{"name": "n", "value": "v" * 101}])])],
        (0, "options", 0, "choices", 0, "value"),
    ),
}


@pytest.mark.parametrize("case", COMMAND_CASES, ids=list(COMMAND_CASES))
async def test_command_registration_rules(checked: DiscordDouble, case: str) -> None:
    commands, path = COMMAND_CASES[case]
    app, guild = checked.application_id, checked.seeded.guild_id
    status, data = await call(
        checked, "PUT", f"/applications/{app}/guilds/{guild}/commands", commands
    )
    assert (status, data["code"]) == (400, 50035)
    if not checked.validate_requests:
        assert error_at(data, *path), data
    assert not checked.state.commands.get(guild)


async def test_a_valid_command_set_is_accepted(double: DiscordDouble) -> None:
    app, guild = double.application_id, double.seeded.guild_id
    commands = [
        command(
            name_localizations={"pl": "przypomnij", "en-US": "remind"},
            options=[option(min_length=1, max_length=6000, choices=None)],
        ),
        *({"name": f"User {i}", "type": 2} for i in range(15)),
    ]
    status, data = await call(
        double, "PUT", f"/applications/{app}/guilds/{guild}/commands", commands
    )
    assert status == 200 and len(data) == 16
    assert not double.state.problems


# scheduled events ------------------------------------------------------------------------


def event(double: DiscordDouble, **changes: Any) -> dict[str, Any]:
    start = double.now() + timedelta(days=1)
    return {
        "name": "Zebranie",
        "privacy_level": 2,
        "entity_type": 3,
        "entity_metadata": {"location": "Biblioteka"},
        "scheduled_start_time": start.isoformat(),
        "scheduled_end_time": (start + timedelta(hours=1)).isoformat(),
        **changes,
    }


async def test_a_voice_event_on_a_text_channel_is_refused(checked: DiscordDouble) -> None:
    body = event(
        checked,
        entity_type=2,
        entity_metadata=None,
        channel_id=str(checked.seeded.channel_ids["general"]),
    )
    status, data = await call(
        checked, "POST", f"/guilds/{checked.seeded.guild_id}/scheduled-events", body
    )
    assert (status, data["code"]) == (400, 50035)
    assert error_at(data, "channel_id") == ["GUILD_SCHEDULED_EVENT_INVALID_CHANNEL_TYPE"]


@pytest.mark.parametrize(
    "rule",
    [
        "FREQ=WEEKLY",
        {"start": "2025-03-04T08:00:00+00:00", "frequency": 9, "interval": 1},
        {"start": "2025-03-04T08:00:00+00:00", "frequency": 2, "interval": 1, "by_weekday": [8]},
        {"start": "2025-03-04T08:00:00+00:00", "frequency": 2, "interval": 3, "by_weekday": [1]},
    ],
    ids=["a string", "unknown frequency", "weekday 8", "weekly every 3 weeks"],
)
async def test_a_garbage_recurrence_rule_is_refused(checked: DiscordDouble, rule: Any) -> None:
    body = event(checked, recurrence_rule=rule)
    status, data = await call(
        checked, "POST", f"/guilds/{checked.seeded.guild_id}/scheduled-events", body
    )
    assert (status, data["code"]) == (400, 50035)
    if not checked.validate_requests:
        assert "recurrence_rule" in data["errors"], data
    assert not checked.state.guilds[checked.seeded.guild_id].scheduled_events


async def test_a_weekly_recurrence_rule_is_accepted(double: DiscordDouble) -> None:
    rule = {"start": "2025-03-04T08:00:00+00:00", "frequency": 2, "interval": 1, "by_weekday": [1]}
    status, data = await call(
        double,
        "POST",
        f"/guilds/{double.seeded.guild_id}/scheduled-events",
        event(double, recurrence_rule=rule),
    )
    assert status == 200, data
    assert not double.state.problems


# the description check itself ----------------------------------------------------------


async def test_a_request_the_description_refuses_is_a_problem(double: DiscordDouble) -> None:
    status, data = await call(double, "POST", general(double), {"content": "x", "nonce": []})
    assert (status, data["code"]) == (400, 50035)
    [problem] = double.state.problems
    assert problem.kind == "invalid-request" and "nonce" in problem.detail


async def test_an_unknown_query_parameter_is_a_problem(double: DiscordDouble) -> None:
    status, data = await call(double, "GET", general(double) + "?limt=5")
    assert (status, data["code"]) == (400, 50035) and error_at(data, "limt")
    assert [p.kind for p in double.state.problems] == ["invalid-request"]


def test_the_makefile_pins_the_description_the_double_loads() -> None:
    from .discord_double import openapi

    makefile = (openapi.REPO_ROOT / "Makefile").read_text(encoding="utf-8")
    assert f"DISCORD_SPEC_VERSION := {openapi.SPEC_VERSION}\n" in makefile
    assert openapi.load().version == openapi.SPEC_VERSION


# standalone ------------------------------------------------------------------------------


async def test_serve_starts_the_double_standalone_and_prints_where_it_is() -> None:
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tests.e2e.discord_double",
        "serve",
        cwd=str(REPO),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        assert proc.stdout is not None
        line = await asyncio.wait_for(proc.stdout.readline(), timeout=30)
        info = json.loads(line)
        assert info["api_base"].startswith("http://127.0.0.1:") and info["api_base"].endswith(
            "/api/v10"
        )
        assert info["gateway_url"].startswith("ws://127.0.0.1:")
        headers = {"Authorization": f"Bot {info['token']}"}
        url = f"{info['api_base']}/channels/{info['channels']['general']}/messages"
        async with (
            aiohttp.ClientSession(headers=headers) as session,
            session.post(url, json={"content": "cześć"}) as resp,
        ):
            assert resp.status == 200
            message = await resp.json()
        assert message["content"] == "cześć" and message["author"]["id"] == info["bot_user_id"]
        assert set(info["users"]) >= {"anna", "jan", "ewa", "admin"}
    finally:
        proc.terminate()
        code = await asyncio.wait_for(proc.wait(), timeout=10)
    assert code == 0


# rate limits -----------------------------------------------------------------------------


class Seconds:
    """The double's monotonic clock, moved only by the test: windows never run out by
    themselves on a slow machine."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def frozen(double: DiscordDouble) -> Seconds:
    seconds = Seconds()
    double.monotonic = seconds
    double.enforce_rate_limits()
    return seconds


async def test_rate_limits_are_on_from_the_start(double: DiscordDouble) -> None:
    status, _, headers = await call_with_headers(double, "GET", "/users/@me")

    assert status == 200 and headers["X-RateLimit-Limit"] == "50"
    assert double.rate_limiter is not None


async def test_route_buckets_answer_429_with_discords_headers(double: DiscordDouble) -> None:
    seconds = frozen(double)
    answers = [
        await call_with_headers(double, "POST", general(double), {"content": f"m{i}"})
        for i in range(6)
    ]

    remaining = [h["X-RateLimit-Remaining"] for _, _, h in answers[:5]]
    assert remaining == ["4", "3", "2", "1", "0"]
    assert {h["X-RateLimit-Limit"] for _, _, h in answers} == {"5"}
    assert {h["X-RateLimit-Reset-After"] for _, _, h in answers} == {"5.000"}
    assert len({h["X-RateLimit-Bucket"] for _, _, h in answers}) == 1
    status, body, headers = answers[5]
    assert status == 429 and body["global"] is False and body["retry_after"] == 5.0
    assert headers["X-RateLimit-Scope"] == "user" and headers["Via"]
    assert len(double.state.live_messages(double.seeded.channel_ids["general"])) == 5
    [problem] = double.state.problems
    assert problem.kind == "rate-limited" and "(user, retry after 5.000s)" in problem.detail
    # Another channel is another bucket; the same one opens again when its window ends.
    status, _, _ = await call_with_headers(
        double, "POST", f"/channels/{double.seeded.channel_ids['log']}/messages", {"content": "x"}
    )
    assert status == 200
    seconds.now += 5.0
    status, _, _ = await call_with_headers(double, "POST", general(double), {"content": "m6"})
    assert status == 200


async def test_the_global_limit_is_50_per_second_and_interactions_are_exempt(
    double: DiscordDouble,
) -> None:
    seconds = frozen(double)
    assert double.rate_limiter is not None
    for i in range(50):
        status, _, _ = await call_with_headers(
            double, "GET", "/users/@me" if i % 2 else "/gateway/bot"
        )
        assert status == 200
    status, body, headers = await call_with_headers(double, "GET", "/users/@me")
    assert status == 429 and body["global"] is True, (body, headers)
    assert headers["X-RateLimit-Global"] == "true" and headers["X-RateLimit-Scope"] == "global"
    assert double.rate_limiter.refused_global == 1
    record = interaction(double)
    status, _, _ = await call_with_headers(double, "POST", callback(record), {"type": 5})
    assert status == 200
    seconds.now += 1.0
    status, _, _ = await call_with_headers(double, "GET", "/users/@me")
    assert status == 200


async def test_adding_and_removing_a_reaction_share_one_bucket_per_channel(
    double: DiscordDouble,
) -> None:
    seconds = frozen(double)
    _, message = await call(double, "POST", general(double), {"content": "głosujemy"})
    reaction = f"{general(double)}/{message['id']}/reactions/%F0%9F%91%8D/@me"

    added, _, first = await call_with_headers(double, "PUT", reaction)
    removed, body, second = await call_with_headers(double, "DELETE", reaction)

    assert added == 204 and removed == 429 and body["global"] is False
    assert first["X-RateLimit-Bucket"] == second["X-RateLimit-Bucket"]
    seconds.now += 0.25
    removed, _, _ = await call_with_headers(double, "DELETE", reaction)
    assert removed == 204


async def test_a_429_the_double_gives_fails_the_story(sample_dc: Harness) -> None:
    double = sample_dc.double
    frozen(double)
    for i in range(6):  # the bot's token, over the channel's bucket
        await call(double, "POST", general(double), {"content": f"m{i}"})

    with pytest.raises(AssertionError, match=r"\[rate-limited\] POST /channels/\d+/messages"):
        sample_dc.check()
    sample_dc.take_problems("rate-limited")


async def test_the_bot_obeys_the_buckets_and_loses_nothing(sample_dc: Harness) -> None:
    limiter = sample_dc.double.enforce_rate_limits(time_scale=0.05)
    channel = sample_dc.bot.get_channel(sample_dc.channel("#general").id)

    for i in range(12):
        await channel.send(f"m{i}")

    assert [m.content for m in sample_dc.messages("#general")] == [f"m{i}" for i in range(12)]
    assert limiter.refused == 0


async def call_with_headers(
    double: DiscordDouble, method: str, path: str, body: Json | None = None
) -> tuple[int, Any, dict[str, str]]:
    headers = {"Authorization": f"Bot {double.token}"}
    async with (
        aiohttp.ClientSession(headers=headers) as session,
        session.request(method, double.api_base + path, json=body) as resp,
    ):
        data = await resp.json(content_type=None) if resp.status != 204 else None
        return resp.status, data, dict(resp.headers)
