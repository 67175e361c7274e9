"""Bursts under Discord's rate limits: an event with 500 people going is reminded a week
before and then moved, and each of the 500 gets both DMs, in the order the bot sends them,
without one request over Discord's limits (a 429 the double gives is a `rate-limited`
problem and fails the story).

Rate-limit time runs ten times faster in stories (ratelimits.STORY_TIME_SCALE: the global
limit is 50 per 0.1 s); here the bot's pacer (cogs/pacing.py) goes ten times faster too, so
the ratio is the real one and a story takes seconds, not minutes.
"""

from __future__ import annotations

import sqlite3
from bisect import bisect_left
from datetime import timedelta

from bot.db import to_db
from cogs import pacing
from tests.helpers.clock import START

from .discord_double import ratelimits
from .discord_double import state as st
from .discord_double.harness import Harness
from .test_stories_events import STARTS, announce, setup_forum

PEOPLE = 500
TIME_SCALE = ratelimits.STORY_TIME_SCALE
# A bound, not a wait: 500 DMs one after another on a busy machine.
BURST_TIMEOUT = 120.0


def quicken(dc: Harness) -> ratelimits.RateLimiter:
    """The bot's pacer as fast as the stories' rate-limit time; fresh limits, so they
    count the burst alone."""
    limiter = dc.double.enforce_rate_limits(time_scale=TIME_SCALE)
    dc.bot.pacer.rate = pacing.RATE / TIME_SCALE
    return limiter


def going(dc: Harness, event_id: int, people: list[int]) -> None:
    """`people` answer "going", one a second in this order (the order reminders follow)."""
    rows = [
        (event_id, f"discord:{uid}", f"reader{i:04d}", "going", to_db(START + timedelta(seconds=i)))
        for i, uid in enumerate(people)
    ]
    with sqlite3.connect(dc.context.db_path) as db:
        db.executemany(
            "INSERT INTO event_rsvps (event_id, user_id, name, answer, answered_at) "
            "VALUES (?, ?, ?, ?, ?)",
            rows,
        )


def dms_in_order(dc: Harness, people: list[int]) -> list[tuple[int, str]]:
    """(recipient, text) of every DM to `people`, in the order the double received them."""
    state = dc.double.state
    wanted = set(people)
    found = [
        (message.id, channel.recipient_id, message.content)
        for channel in state.channels.values()
        if channel.type == st.DM and channel.recipient_id in wanted
        for message in state.live_messages(channel.id)
    ]
    return [(who, text) for _, who, text in sorted(found) if who is not None]


async def crowd_going(dc: Harness) -> tuple[list[int], ratelimits.RateLimiter]:
    """An announced event (#1) with 500 people going; rate-limit time quickened."""
    await setup_forum(dc)
    await announce(dc)
    people = dc.double.add_people(PEOPLE)
    going(dc, 1, people)
    return people, quicken(dc)


def assert_within_the_limits(limiter: ratelimits.RateLimiter, requests: int) -> None:
    assert limiter.refused == 0
    # At most 50 global-bound requests let through in any (scaled) second.
    window = ratelimits.GLOBAL_WINDOW * TIME_SCALE
    admitted = limiter.admitted
    assert len(admitted) >= requests
    busiest = max(bisect_left(admitted, at + window) - i for i, at in enumerate(admitted))
    assert busiest <= ratelimits.GLOBAL_LIMIT


async def test_a_reminder_reaches_500_people_in_order_within_the_limits(dc: Harness) -> None:
    people, limiter = await crowd_going(dc)

    await dc.advance(STARTS - timedelta(days=7) - START)

    reminders = dms_in_order(dc, people)
    assert [who for who, _ in reminders] == people  # nobody lost, in the order they answered
    assert all(text.startswith("⏰ Za 7 dni: **Forum dyrektorów**") for _, text in reminders)
    assert_within_the_limits(limiter, 2 * PEOPLE)  # a DM opened and a message, each


async def test_an_event_change_is_told_to_500_people_in_order_within_the_limits(
    dc: Harness,
) -> None:
    people, limiter = await crowd_going(dc)

    edited = await dc.slash("ewa", "event edit", event="1", when="za 11 dni o 12")
    # The moderator's answer waits until the 500 letters went out (bot/outbox.py).
    await edited.done(within=BURST_TIMEOUT)
    await dc.settle(within=BURST_TIMEOUT)

    assert edited.text.startswith("Zmieniono wydarzenie #1 **Forum dyrektorów**:")
    changes = dms_in_order(dc, people)
    assert [who for who, _ in changes] == people
    assert all(text.startswith("Zmiana w wydarzeniu **Forum dyrektorów**") for _, text in changes)
    assert_within_the_limits(limiter, 2 * PEOPLE)
