"""The public web page under load: a network of 200 groups and 500 public events.

Figures: p50/p99 latency of each page with 50 requests in flight at a time (500 requests
a page, after a warm-up round) over HTTP on 127.0.0.1, against `python -m bot web` running
as its own process; the weight of `/` (with the map) and of the stylesheet; the time to
make `/calendar.ics` with all 500 events when nothing is cached (best of 5 fresh pages), and
when the data has not changed since it was last made. Goals: p99 ≤ 50 ms per page, `/` ≤
150 KB, `/calendar.ics` ≤ 100 ms.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiohttp
from aiohttp.test_utils import TestClient, TestServer

from bot.clock import SystemClock
from bot.db import Database, to_db
from bot.geography.places import Gazetteer
from bot.i18n import load_catalogs
from bot.public.service import PublicDirectory, slug
from bot.text import normalize
from web.app import build_app

GROUPS = 200
EVENTS = 500
CONCURRENCY = 50
REQUESTS = 500
GUILD = "discord:1"
KINDS = ("forum", "supervision", "training", "regional")
ROOT = str(Path(__file__).resolve().parents[1])


async def seed(db: Database, gazetteer: Gazetteer) -> tuple[list[str], list[int]]:
    rng = random.Random(19)
    now = datetime.now(UTC)
    towns = [p for p in gazetteer if p.country == "PL" and (p.population or 0) > 5000]
    slugs, ids = [], []
    async with db.transaction() as tx:
        await tx.execute(
            "INSERT INTO guild_config (guild_id, public, invite, updated_at) VALUES (?, 1, ?, ?)",
            (GUILD, "https://discord.gg/bench", to_db(now)),
        )
        for i in range(GROUPS):
            place = rng.choice(towns)
            name = f"Grupa {place.name} {i}"
            gid = await tx.insert(
                "INSERT INTO groups (guild_id, name, name_key, city, region, country, lat, lon, "
                "description, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (GUILD, name, normalize(name), place.name, place.region, place.country,
                 place.lat, place.lon, "Spotykamy się co kwartał.", "discord:2", to_db(now)),
            )  # fmt: skip
            slugs.append(slug(gid, name))
        for i in range(EVENTS):
            starts = now + timedelta(days=1 + i % 300, hours=i % 8)
            eid = await tx.insert(
                "INSERT INTO events (guild_id, title, title_key, kind, starts_at, ends_at, "
                "timezone, place, description, capacity, published_at, created_by, created_at, "
                "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (GUILD, f"Wydarzenie {i}", f"wydarzenie {i}", KINDS[i % 4], to_db(starts),
                 to_db(starts + timedelta(hours=2)), "Europe/Warsaw", "Online",
                 "Opis wydarzenia.", 30 if i % 2 else None, to_db(now), "discord:2",
                 to_db(now), to_db(now)),
            )  # fmt: skip
            ids.append(eid)
    return slugs, ids


async def load(session: aiohttp.ClientSession, url: str) -> list[float]:
    gate = asyncio.Semaphore(CONCURRENCY)
    times: list[float] = []

    async def one() -> None:
        async with gate:
            start = time.perf_counter()
            async with session.get(url) as response:
                await response.read()
                # /health says 503 here: no bot runs the scheduler beside the page.
                assert response.status in (200, 503), (url, response.status)
            times.append(time.perf_counter() - start)

    await asyncio.gather(*(one() for _ in range(REQUESTS)))
    return times


def p(times: list[float], q: float) -> float:
    return round(statistics.quantiles(times, n=100)[int(q) - 1] * 1000, 1)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def started(base: str, proc: asyncio.subprocess.Process) -> None:
    async with aiohttp.ClientSession() as session:
        for _ in range(300):
            if proc.returncode is not None:
                raise RuntimeError("python -m bot web stopped")
            try:
                async with session.get(base + "/health"):
                    return
            except aiohttp.ClientError:
                await asyncio.sleep(0.1)
    raise RuntimeError("python -m bot web did not start")


async def feed_uncached(directory: PublicDirectory) -> float:
    """Making the feed from scratch: a fresh page (empty cache) each time, best of 5."""
    best = float("inf")
    for _ in range(5):
        client = TestClient(TestServer(build_app(directory)))
        await client.start_server()
        start = time.perf_counter()
        response = await client.get("/calendar.ics")
        await response.read()
        best = min(best, time.perf_counter() - start)
        await client.close()
    return best


async def run() -> dict[str, object]:
    load_catalogs()
    gazetteer = Gazetteer.load()
    figures: dict[str, object] = {"groups": GROUPS, "events": EVENTS}
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.sqlite3"
        db = await Database.open(path)
        slugs, ids = await seed(db, gazetteer)
        figures["/calendar.ics uncached ms"] = round(
            await feed_uncached(PublicDirectory(db, SystemClock(), gazetteer)) * 1000, 1
        )
        await db.close()
        port = free_port()
        env = {**os.environ, "DATABASE_PATH": str(path), "WEB_PORT": str(port)}
        env["PYTHONPATH"] = ROOT
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "web", env=env, stderr=subprocess.DEVNULL
        )
        base = f"http://127.0.0.1:{port}"
        try:
            await started(base, proc)
            await measure(base, slugs, ids, figures)
        finally:
            proc.terminate()
            await proc.wait()
    print(json.dumps(figures, ensure_ascii=False, indent=1), file=sys.stderr)
    return figures


async def measure(base: str, slugs: list[str], ids: list[int], figures: dict[str, object]) -> None:
    connector = aiohttp.TCPConnector(limit=CONCURRENCY)
    async with aiohttp.ClientSession(connector=connector) as session:
        pages = {
            "/": "/",
            "/groups/<slug>": f"/groups/{slugs[7]}",
            "/events": "/events",
            "/events/<id>": f"/events/{ids[3]}",
            "/calendar.ics": "/calendar.ics",
            "/guide": "/guide",
            "/health": "/health",
            "/?place=": "/?place=Katowice&radius=100",
        }
        for name, path in pages.items():
            await load(session, base + path)  # warm up
            times = await load(session, base + path)
            figures[f"{name} p50 ms"] = p(times, 50)
            figures[f"{name} p99 ms"] = p(times, 99)
        async with session.get(base + "/") as response:
            figures["/ KB"] = round(len(await response.read()) / 1024, 1)
        async with session.get(base + "/static/style.css") as response:
            figures["style.css KB"] = round(len(await response.read()) / 1024, 1)
        start = time.perf_counter()
        async with session.get(base + "/calendar.ics") as response:
            await response.read()
        figures["/calendar.ics unchanged data ms"] = round((time.perf_counter() - start) * 1000, 1)
