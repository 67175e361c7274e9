"""The double and the harness, proven with the test-only sample bot (tests/e2e/sample_bot.py).

Each test is a short user story; together they cover the routes, gateway events and limits
the real bot relies on, so a failure here means the double (not the bot) is wrong.
"""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import timedelta
from pathlib import Path

import discord
import pytest
from discord.http import Route

from tests.helpers.clock import START

from .bots import BOTS, BotContext, make_clock
from .discord_double import DiscordDouble
from .discord_double.harness import Harness, InteractionTimeout, parse_duration
from .discord_double.interactions import CommandNotAvailable


def db_rows(dc: Harness, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(dc.context.db_path) as conn:
        return conn.execute(sql).fetchall()


async def test_slash_round_trip(sample_dc: Harness) -> None:
    resp = await sample_dc.slash("anna", "ping")

    assert resp.text == "pong" and not resp.ephemeral
    message = sample_dc.messages("#general")[-1]
    assert message.content == "pong" and message.interaction_id == resp.record.id
    assert resp.latency is not None and resp.latency < 1


async def test_subcommand_options_write_the_database_and_the_clock_delivers(
    sample_dc: Harness,
) -> None:
    resp = await sample_dc.slash("anna", "remind me", when="jutro o 18", what="zebranie zarządu")

    tomorrow = f"{START + timedelta(days=1):%d.%m}"
    assert resp.ephemeral and f"zebranie zarządu ({tomorrow} 18:00)" in resp.text
    assert db_rows(sample_dc, "SELECT what, done FROM reminders") == [("zebranie zarządu", 0)]
    assert sample_dc.messages("#general") == []  # ephemeral replies stay out of the channel

    await sample_dc.advance("1d")
    assert sample_dc.dms("anna") == []  # due at 17:00 UTC, the clock is at 09:00 UTC

    await sample_dc.advance("10h")
    assert [m.content for m in sample_dc.dms("anna")] == ["Przypomnienie: zebranie zarządu"]


async def test_choices_and_autocomplete(sample_dc: Harness) -> None:
    choices = await sample_dc.autocomplete("anna", "settings timezone", "zone", "Europe/W")
    assert {"name": "Europe/Warsaw", "value": "Europe/Warsaw"} in choices

    resp = await sample_dc.slash("anna", "settings language", language="polski")
    assert resp.text == "Język: polski"
    assert db_rows(sample_dc, "SELECT key, value FROM settings") == [("language", "pl")]

    with pytest.raises(ValueError, match="not one of"):
        await sample_dc.slash("anna", "settings language", language="klingon")
    with pytest.raises(LookupError, match="needs a subcommand"):
        await sample_dc.slash("anna", "settings")


async def test_persistent_button_survives_a_restart(sample_dc: Harness) -> None:
    event = await sample_dc.slash("anna", "event", title="Spotkanie dyrektorów")
    assert [b["label"] for b in event.buttons] == ["Dołącz"]

    first = await sample_dc.press("anna", event, "Dołącz")
    assert first.ephemeral and first.text == "Zapisano! Uczestników: 1"

    await sample_dc.restart()
    second = await sample_dc.press("jan", event.message, "Dołącz")  # the old message
    assert second.text == "Zapisano! Uczestników: 2"
    assert sample_dc.double.gateway.identify_count == 2


async def test_modal_submit(sample_dc: Harness) -> None:
    form = await sample_dc.slash("ewa", "feedback")
    assert form.modal is not None and form.modal["title"] == "Opinia"

    thanks = await sample_dc.submit_modal("ewa", form, {"Twoja opinia": "Świetny bot"})
    assert thanks.ephemeral and thanks.text == "Dziękujemy za opinię!"
    assert db_rows(sample_dc, "SELECT text FROM feedback") == [("Świetny bot",)]


async def test_deferred_answer_and_ephemeral_followup(sample_dc: Harness) -> None:
    resp = await sample_dc.slash("anna", "report")
    assert resp.deferred

    await resp.done()
    assert resp.text == "Raport: przypomnień 0" and not resp.ephemeral
    details = await resp.followup(1)
    await sample_dc.settle()
    assert details.ephemeral and details.content == "Szczegóły w #log"  # edited followup
    assert [h["content"] for h in details.history] == ["Szczegóły…"]
    # Only the public answer reached the channel.
    assert [m.content for m in sample_dc.messages("#general")] == ["Raport: przypomnień 0"]


async def test_files_both_ways(sample_dc: Harness) -> None:
    await sample_dc.slash("anna", "remind me", when="za 2 h", what="oddać książki")
    export = await sample_dc.slash("anna", "export")
    [csv] = export.files
    assert csv.filename == "przypomnienia.csv" and csv.content_type == "text/csv"
    assert csv.data == "id;what\n1;oddać książki\n".encode()

    uploaded = await sample_dc.slash("jan", "upload", file=("skan.pdf", b"%PDF-1.7 ..."))
    assert uploaded.text == "skan.pdf: 12 B"


async def test_select_updates_the_message(sample_dc: Harness) -> None:
    prompt = await sample_dc.slash("jan", "color")
    picked = await sample_dc.select("jan", prompt, "sample:color", ["Zielony"])

    assert picked.type == 7
    assert prompt.message is not None and prompt.message.content == "Wybrano: zielony"
    assert prompt.message.components == []


async def test_dm_and_closed_dms(sample_dc: Harness) -> None:
    sent = await sample_dc.slash("anna", "dm", user="jan", text="Cześć Jan")
    assert sent.text == "Wysłano"
    assert [m.content for m in sample_dc.dms("jan")] == ["Cześć Jan"]

    sample_dc.close_dms("ewa")
    refused = await sample_dc.slash("anna", "dm", user="ewa", text="Cześć Ewa")
    assert refused.text == "Nie mogę napisać do Ewa (50007)"
    assert sample_dc.dms("ewa") == []


async def test_reminder_for_closed_dms_goes_to_the_log_channel(sample_dc: Harness) -> None:
    await sample_dc.slash("ewa", "remind me", when="za 10 min", what="kawa")
    sample_dc.close_dms("ewa")
    await sample_dc.advance("15m")
    assert [m.content for m in sample_dc.messages("#log")] == [
        "Nie mogę wysłać przypomnienia do ewa"
    ]


async def test_forum_post_with_tag(sample_dc: Harness) -> None:
    resp = await sample_dc.slash(
        "admin", "announce", title="Nowe godziny", text="Od poniedziałku 8-20", tag="Ogłoszenie"
    )
    posts = sample_dc.forum_posts("#announcements")
    assert [(p.title, p.text, p.tags) for p in posts] == [
        ("Nowe godziny", "Od poniedziałku 8-20", ["Ogłoszenie"])
    ]
    assert posts[0].thread.mention in resp.text


async def test_scheduled_event_lifecycle(sample_dc: Harness) -> None:
    planned = await sample_dc.slash("admin", "meeting plan", name="Zebranie", in_hours=24)
    [event] = sample_dc.scheduled_events()
    assert planned.text == f"Zaplanowano {event.id}"
    assert event.entity_metadata == {"location": "Biblioteka Główna"}
    start = event.scheduled_start_time

    await sample_dc.slash("admin", "meeting move", event_id=str(event.id), hours=2)
    assert event.scheduled_start_time == start + timedelta(hours=2)
    await sample_dc.settle()
    cached = sample_dc.bot.get_guild(sample_dc.guild.id).get_scheduled_event(event.id)
    assert cached is not None and cached.start_time == event.scheduled_start_time

    await sample_dc.slash("admin", "meeting cancel", event_id=str(event.id))
    assert sample_dc.scheduled_events() == []
    await sample_dc.settle()
    assert list(sample_dc.bot.get_guild(sample_dc.guild.id).scheduled_events) == []


async def test_role_grant_and_private_channel(sample_dc: Harness) -> None:
    resp = await sample_dc.slash("anna", "group create", name="Czytelnicy")
    await resp.done()

    assert "grupa-Czytelnicy" in sample_dc.member_roles("anna")
    channel = sample_dc.channel("#czytelnicy")
    assert channel.parent_id == sample_dc.channel("Grupy").id
    role = sample_dc.role("grupa-Czytelnicy")
    assert {o.id for o in channel.overwrites} == {
        sample_dc.guild.id,
        role.id,
        sample_dc.double.bot_user.id,
    }
    assert resp.ephemeral and resp.text == f"Grupa gotowa: {channel.mention}"
    [welcome] = sample_dc.messages(channel)
    assert welcome.content == f"Witajcie w grupie {role.mention}!"
    # The bot's cache followed the gateway events for its own REST calls.
    await sample_dc.settle()
    member = sample_dc.bot.get_guild(sample_dc.guild.id).get_member(sample_dc.user("anna").id)
    assert "grupa-Czytelnicy" in [r.name for r in member.roles]


async def test_missing_permissions_are_enforced(sample_dc: Harness) -> None:
    guild = sample_dc.bot.get_guild(sample_dc.guild.id)
    sample_dc.deny_bot(None, "manage_roles")
    with pytest.raises(discord.Forbidden) as denied:
        await guild.create_role(name="nie-wolno")
    assert denied.value.code == 50013 and denied.value.text == "Missing Permissions"

    sample_dc.deny_bot("#log", "send_messages")
    with pytest.raises(discord.Forbidden) as muted:
        await guild.get_channel(sample_dc.channel("#log").id).send("cisza")
    assert muted.value.code == 50013
    assert sample_dc.messages("#log") == []


async def test_bot_side_rest_calls_and_their_gateway_events(sample_dc: Harness) -> None:
    """Channels, threads, messages, roles and forum tags through discord.py's own methods."""
    bot = sample_dc.bot
    guild = bot.get_guild(sample_dc.guild.id)
    general = guild.get_channel(sample_dc.channel("#general").id)

    message = await general.send("pierwsza wersja")
    await message.edit(content="druga wersja")
    assert sample_dc.messages("#general")[-1].content == "druga wersja"
    await message.delete()
    assert sample_dc.messages("#general") == []

    thread = await general.create_thread(name="Wątek", type=discord.ChannelType.public_thread)
    await thread.send("w wątku")
    [stored] = sample_dc.threads("#general")
    assert stored.name == "Wątek" and [m.content for m in sample_dc.messages(stored)] == ["w wątku"]

    channel = await guild.create_text_channel("Robocze Notatki", topic="szkic")
    await channel.edit(name="notatki", slowmode_delay=5)
    assert sample_dc.channel("#notatki").rate_limit_per_user == 5
    await channel.delete()
    with pytest.raises(KeyError):
        sample_dc.channel("#notatki")

    role = await guild.create_role(name="tymczasowa")
    await role.edit(name="stała")
    assert sample_dc.role("stała").id == role.id
    await role.delete()
    assert "stała" not in [r.name for r in sample_dc.roles()]

    forum = guild.get_channel(sample_dc.channel("#announcements").id)
    await forum.edit(available_tags=[*forum.available_tags, discord.ForumTag(name="Pilne")])
    assert [t["name"] for t in sample_dc.channel("#announcements").available_tags][-1] == "Pilne"

    await sample_dc.settle()
    assert guild.get_channel(channel.id) is None  # CHANNEL_DELETE reached the cache
    assert "Pilne" in [t.name for t in guild.get_channel(forum.id).available_tags]


async def test_auto_sharded_client_and_message_content_intent(double: DiscordDouble) -> None:
    """AutoShardedClient asks GET /gateway/bot; without MESSAGE_CONTENT content arrives empty."""
    seen: list[str] = []
    both_seen = asyncio.Event()
    client = discord.AutoShardedClient(intents=discord.Intents.default(), guild_ready_timeout=0.05)

    @client.event
    async def on_message(message: discord.Message) -> None:
        seen.append(message.content)
        if len(seen) == 2:
            both_seen.set()

    task = asyncio.create_task(client.start("test-token"))
    try:
        await asyncio.wait_for(client.wait_until_ready(), 5)
        assert client.shard_count == 1
        assert "GET /gateway/bot" in [r.route for r in double.state.requests]
        # discord.py asks for zlib-stream (zstd when installed); the double honours zlib.
        assert [c.compressed for c in double.gateway.connections] == [True]
        general = double.state.channel_by_name(double.seeded.guild_id, "general")
        anna = double.state.user_by_name("anna")
        double.user_says(anna, general, "tajemnica")
        double.user_says(anna, general, f"{double.bot_user.mention} widzisz mnie?")
        await asyncio.wait_for(both_seen.wait(), 5)
    finally:
        await client.close()
        await asyncio.wait_for(task, 5)
    assert seen == ["", f"{double.bot_user.mention} widzisz mnie?"]
    assert double.state.problems == []


async def test_poll_and_slowmode(sample_dc: Harness) -> None:
    poll = await sample_dc.slash("anna", "poll", question="Termin?", answers="wtorek, środa")
    assert poll.message is not None and poll.message.poll is not None
    assert [a["poll_media"]["text"] for a in poll.message.poll["answers"]] == ["wtorek", "środa"]

    with pytest.raises(CommandNotAvailable, match="anna does not see /slowmode"):
        await sample_dc.slash("anna", "slowmode", seconds=30)  # default_permissions
    await sample_dc.slash("admin", "slowmode", seconds=30)
    assert sample_dc.channel("#general").rate_limit_per_user == 30


async def test_rate_limited_request_is_retried(sample_dc: Harness) -> None:
    rule = sample_dc.rate_limit("POST /channels/{channel_id}/messages", times=2, retry_after=0.05)

    await sample_dc.say("jan", "#general", "podaj dalej: dzień dobry")
    await sample_dc.settle()

    assert rule.hits == 2
    assert (
        sample_dc.messages("#general")[-1].content
        == f"{sample_dc.user('jan').mention} mówi: dzień dobry"
    )
    assert sample_dc.messages("#general")[-1].allowed_mentions == {"parse": []}


async def test_resume_delivers_missed_events(sample_dc: Harness) -> None:
    sample_dc.drop_connection()
    await sample_dc.say("ewa", "#general", "podaj dalej: jestem")  # sent while the bot is away

    await sample_dc.wait_resumed()
    await sample_dc.settle()

    gateway = sample_dc.double.gateway
    assert gateway.resume_count == 1 and gateway.identify_count == 1
    session = gateway.session()
    assert session is not None and session.missed >= 1
    assert sample_dc.messages("#general")[-1].content.endswith("mówi: jestem")


async def test_unresumable_drop_identifies_again(
    sample_dc: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def no_identify_pause(shard_id: int | None, *, initial: bool = False) -> None:
        return None  # discord.py waits 5 s before a non-initial IDENTIFY; not here

    monkeypatch.setattr(sample_dc.bot, "before_identify_hook", no_identify_pause)
    sample_dc.drop_connection(resumable=False)
    await sample_dc.wait_until(
        lambda: sample_dc.double.gateway.identify_count == 2, what="a fresh IDENTIFY"
    )
    assert (await sample_dc.slash("jan", "ping")).text == "pong"


async def test_limits_answer_invalid_form_body(sample_dc: Harness) -> None:
    channel = sample_dc.bot.get_channel(sample_dc.channel("#general").id)

    with pytest.raises(discord.HTTPException) as too_long:
        await channel.send("x" * 2001)
    assert too_long.value.status == 400 and too_long.value.code == 50035
    assert "content" in too_long.value.text

    # The API description refuses these two already (an `invalid-request` problem each).
    with sample_dc.expecting("invalid-request"):
        with pytest.raises(discord.HTTPException) as big_embed:
            await channel.send(embed=discord.Embed(title="t" * 257))
        assert big_embed.value.code == 50035 and "embeds.0.title" in big_embed.value.text

        view = discord.ui.View()
        view.add_item(discord.ui.Button(label="ok", custom_id="c" * 101))
        with pytest.raises(discord.HTTPException) as long_id:
            await channel.send("x", view=view)
        assert "custom_id" in long_id.value.text

    assert sample_dc.messages("#general") == []


async def test_unknown_route_is_recorded_and_fails_the_test(sample_dc: Harness) -> None:
    with pytest.raises(discord.NotFound):
        await sample_dc.bot.http.request(
            Route("GET", "/guilds/{guild_id}/nothing-here", guild_id=1)
        )

    with pytest.raises(AssertionError, match=r"unknown-route.*GET /guilds/1/nothing-here"):
        sample_dc.check()
    assert [p.kind for p in sample_dc.take_problems()] == ["unknown-route"]


async def test_three_second_rule(sample_dc: Harness) -> None:
    assert DiscordDouble().interaction_deadline == 3.0
    sample_dc.double.interaction_deadline = 0.2  # the same rule, scaled down for speed

    with sample_dc.expecting("late-interaction", "log-error") as seen:
        with pytest.raises(InteractionTimeout, match="too late"):
            await sample_dc.slash("anna", "slow", seconds=0.4)
        await sample_dc.settle()
    assert any("10062" in p.detail or "Unknown interaction" in p.detail for p in seen)


async def test_hard_kill_restart_keeps_the_persistent_button(sample_dc_proc: Harness) -> None:
    dc = sample_dc_proc
    event = await dc.slash("anna", "event", title="Targi książki")
    assert (await dc.press("anna", event, "Dołącz")).text == "Zapisano! Uczestników: 1"

    await dc.kill_and_restart()

    again = await dc.press("jan", event.message, "Dołącz")
    assert again.text == "Zapisano! Uczestników: 2"
    assert dc.double.gateway.identify_count == 2


async def test_a_crashing_client_fails_fast_with_its_traceback(
    double: DiscordDouble, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A payload missing a field discord.py indexes directly kills the client's start task.
    monkeypatch.setattr(double.payloads, "client_user", lambda user: {"id": str(user.id)})
    ctx = BotContext(
        db_path=tmp_path / "bot.sqlite3", guild_id=double.seeded.guild_id, clock=make_clock()
    )
    harness = Harness(double, BOTS["sample"], ctx, workdir=tmp_path)
    try:
        with pytest.raises(AssertionError, match=r"(?s)bot-crashed.*KeyError: 'username'"):
            await harness.start()
    finally:
        await harness.close()


def test_parse_duration() -> None:
    assert parse_duration("1d2h") == timedelta(days=1, hours=2)
    assert parse_duration("90s") == timedelta(seconds=90)
    assert parse_duration("250ms") == timedelta(milliseconds=250)
    assert parse_duration("2h30min") == timedelta(hours=2, minutes=30)
    with pytest.raises(ValueError, match="cannot parse"):
        parse_duration("soon")
