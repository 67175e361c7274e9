"""Discord's rate limits: a global limit per bot and per-route buckets with their headers.

https://discord.com/developers/docs/topics/rate-limits

* global: 50 requests per second per bot; interaction callbacks and the interaction
  webhook are not bound by it. Over it → 429 `{"global": true}` with `X-RateLimit-Global`
  and `X-RateLimit-Scope: global`.
* per-route buckets: every answer carries `X-RateLimit-Limit`, `-Remaining`, `-Reset`,
  `-Reset-After` and `-Bucket` (the same bucket id for a route whatever its major parameter,
  as Discord's hashes). A bucket is counted per route and major parameter (channel, guild,
  webhook); its window starts with its first request. Over it → 429 with
  `X-RateLimit-Scope: user`, or `shared` for the buckets Discord shares (opening DMs).
  Discord does not publish per-route numbers ("should not be hard coded"); the double uses
  the figures bots observe (5 messages per 5 s per channel, 1 reaction per 0.25 s).

The clock is the double's rate-limit time: its `monotonic` (real monotonic seconds unless
a test replaces it), because discord.py sleeps real time on the headers, plus every jump a
story made with the clock (`DiscordDouble.clock_moved`). A story is deterministic in what
happens (nothing lost, nothing refused, order kept), not in how long it takes. Own
reactions share one bucket per channel whether added or removed.
"""

from __future__ import annotations

import hashlib
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field

# Stories tell in a second what people do in minutes: rate-limit time runs ten times
# faster for them (a 5 s window lasts 0.5 s, and the headers say so), so a few commands in a
# row don't wait as if a person had typed them all within one second.
STORY_TIME_SCALE = 0.1
GLOBAL_LIMIT = 50
GLOBAL_WINDOW = 1.0
MAJOR_PARAMETERS = ("channel_id", "guild_id", "webhook_id", "application_id")
# Not bound by the global limit: https://discord.com/developers/docs/interactions/receiving-and-responding
GLOBAL_EXEMPT = ("/interactions/", "/webhooks/")


@dataclass(frozen=True)
class BucketRule:
    method: str | None  # None: any method
    template: str | None  # None: any route (the default bucket)
    limit: int
    window: float
    shared: bool = False

    def matches(self, method: str, template: str) -> bool:
        return (self.method is None or self.method == method) and (
            self.template is None or self.template == template
        )


RULES = (
    BucketRule("POST", "/channels/{channel_id}/messages", 5, 5.0),
    # Adding and removing the bot's reaction: one bucket per channel.
    BucketRule(None, "/channels/{channel_id}/messages/{message_id}/reactions/{emoji}/@me", 1, 0.25),
    BucketRule("DELETE", "/channels/{channel_id}/messages/{message_id}", 5, 1.0),
    # Opening a DM is one bucket for the bot, shared by every recipient.
    BucketRule("POST", "/users/@me/channels", 50, 1.0, shared=True),
    BucketRule(None, None, 50, 1.0),
)


@dataclass
class Window:
    limit: int
    window: float
    remaining: int = 0
    reset_at: float = 0.0

    def peek(self, now: float) -> float | None:
        """None if a request may go now; else the seconds until the window resets."""
        if now >= self.reset_at:
            self.remaining = self.limit
            self.reset_at = now + self.window
        return self.reset_at - now if self.remaining <= 0 else None

    def take(self, now: float) -> float | None:
        wait = self.peek(now)
        if wait is None:
            self.remaining -= 1
        return wait


@dataclass
class Verdict:
    headers: dict[str, str]
    retry_after: float | None = None
    is_global: bool = False
    scope: str = "user"


@dataclass
class RateLimiter:
    clock: Callable[[], float] = time.monotonic
    # Stories may shrink every window (0.05: 5 s → 0.25 s) to stay quick; the headers say
    # the shrunk times, so the client waits exactly as long as the double expects.
    time_scale: float = 1.0
    global_window: Window = field(init=False)
    buckets: dict[tuple[BucketRule, str, str], Window] = field(default_factory=dict)
    # What was refused, for stories and the delivery benchmark.
    refused: int = 0
    refused_global: int = 0
    # The times requests were let through (global-bound ones), for achieved-rate figures.
    admitted: list[float] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.global_window = Window(GLOBAL_LIMIT, GLOBAL_WINDOW * self.time_scale)

    def check(self, method: str, template: str, path: str, params: dict[str, str]) -> Verdict:
        now = self.clock()
        rule = next(r for r in RULES if r.matches(method, template))
        major = (
            "" if rule.shared else next((params[p] for p in MAJOR_PARAMETERS if p in params), "")
        )
        # The default rule is one bucket per route (and major parameter).
        route = f"{method} {template}" if rule.template is None else ""
        bucket = self.buckets.setdefault(
            (rule, route, major), Window(rule.limit, rule.window * self.time_scale)
        )
        key = route or f"{rule.method or '*'} {rule.template}"
        bucket_id = hashlib.sha1(key.encode()).hexdigest()[:16]
        wait = bucket.peek(now)
        if wait is not None:
            self.refused += 1
            scope = "shared" if rule.shared else "user"
            return Verdict(_headers(rule, bucket, now, bucket_id), wait, False, scope)
        bound = not path.startswith(GLOBAL_EXEMPT)
        if bound:
            wait = self.global_window.take(now)
            if wait is not None:
                self.refused += 1
                self.refused_global += 1
                return Verdict(_headers(rule, bucket, now, bucket_id), wait, True, "global")
            self.admitted.append(now)
        bucket.take(now)
        return Verdict(_headers(rule, bucket, now, bucket_id))


def _headers(rule: BucketRule, bucket: Window, now: float, bucket_id: str) -> dict[str, str]:
    reset_after = max(0.0, bucket.reset_at - now)
    return {
        "X-RateLimit-Limit": str(rule.limit),
        "X-RateLimit-Remaining": str(max(0, bucket.remaining)),
        "X-RateLimit-Reset": f"{time.time() + reset_after:.3f}",
        "X-RateLimit-Reset-After": f"{reset_after:.3f}",
        "X-RateLimit-Bucket": bucket_id,
    }


def too_many(verdict: Verdict) -> tuple[dict[str, object], dict[str, str]]:
    """The 429 body and headers Discord sends."""
    retry_after = round(verdict.retry_after or 0.0, 3)
    headers = {
        **verdict.headers,
        "Retry-After": str(max(1, math.ceil(retry_after))),
        "X-RateLimit-Scope": verdict.scope,
        # discord.py treats a 429 without Via as a Cloudflare ban and gives up.
        "Via": "1.1 google",
    }
    if verdict.is_global:
        headers["X-RateLimit-Global"] = "true"
    body: dict[str, object] = {
        "message": "You are being rate limited.",
        "retry_after": retry_after,
        "global": verdict.is_global,
    }
    return body, headers
