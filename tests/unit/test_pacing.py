"""The bot's pacing under Discord's global limit (cogs/pacing.py), on a fake clock."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace

from cogs.pacing import GlobalPacer


class FakeTime:
    def __init__(self) -> None:
        self.now = 1000.0

    def monotonic(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += seconds


def most_in_one_second(times: list[float]) -> int:
    return max(sum(1 for t in times if start <= t < start + 1) for start in times)


async def test_a_burst_never_exceeds_50_in_any_second_and_keeps_its_order() -> None:
    fake = FakeTime()
    pacer = GlobalPacer(monotonic=fake.monotonic, sleep=fake.sleep)
    sent: list[tuple[int, float]] = []

    async def request(route: object, **_: object) -> None:
        sent.append((len(sent), fake.now))

    paced = pacer.wrap(request)
    await asyncio.gather(
        *(paced(SimpleNamespace(path="/channels/{channel_id}/messages")) for _ in range(500))
    )

    times = [at for _, at in sent]
    assert [i for i, _ in sent] == list(range(500))
    assert most_in_one_second(times) <= 50
    # …and close to the limit: 500 requests in about 10.8 seconds (46/s after a burst of 2).
    assert 10.5 <= times[-1] - times[0] <= 11.2


async def test_interaction_routes_are_not_held_back() -> None:
    fake = FakeTime()
    pacer = GlobalPacer(monotonic=fake.monotonic, sleep=fake.sleep)
    calls = 0

    async def request(route: object, **_: object) -> None:
        nonlocal calls
        calls += 1

    paced = pacer.wrap(request)
    for _ in range(200):
        await paced(
            SimpleNamespace(path="/interactions/{interaction_id}/{interaction_token}/callback")
        )
    assert calls == 200 and fake.now == 1000.0


async def test_a_burst_leaves_room_for_requests_that_arrive_bunched() -> None:
    """At most 48 leave in any second: requests delayed unevenly on their way (a busy event
    loop, the network) still reach Discord under 50 a second."""
    fake = FakeTime()
    pacer = GlobalPacer(monotonic=fake.monotonic, sleep=fake.sleep)
    times: list[float] = []

    async def request(route: object, **_: object) -> None:
        times.append(fake.now)

    paced = pacer.wrap(request)
    await asyncio.gather(*(paced(SimpleNamespace(path="/users/@me/channels")) for _ in range(200)))

    assert most_in_one_second(times) <= 48
