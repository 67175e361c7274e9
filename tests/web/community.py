"""A small network made through the console, for the public page's tests: a public server
with an invite, an open group whose initiator chose to be named, an approval group with a
meeting rotation and a private group event, a hidden group, and public events."""

from __future__ import annotations

from pathlib import Path

from aiohttp.test_utils import TestClient, TestServer

from bot.geography.places import Gazetteer
from bot.public.service import PublicDirectory
from tests.helpers.console import ConsoleSession, open_console
from web.app import build_app

INVITE = "https://discord.gg/podaj-dalej"
SETUP = [
    "/setup server forum:#ogloszenia public:yes invite:" + INVITE,
    "/group create name:Jura city:Kraków initiator:@anna "
    'description:"Grupa <b>jurajska</b> & spółka"',
    '@anna /profile set library:"Biblioteka w Krakowie" show_name:yes',
    "/group create name:Beskid city:Bielsko-Biała initiator:@piotr join:approval",
    '@piotr /group meeting plan name:Beskid hosts:"MBP Bielsko; GBP Jasienica" '
    'first:"za 2 tygodnie 10:00" every:"3 months"',
    '@piotr #beskid /event create title:"Tajne spotkanie" kind:group when:"jutro 10:00" '
    "duration:1h",
    "/group create name:Ukryta city:Katowice initiator:@ewa",
    "/group edit name:Ukryta public:no",
    '/event create title:"Forum <script>alert(1)</script>" kind:forum when:"za tydzień 10:00" '
    'duration:2h capacity:30 registration_closes:"za 5 dni 12:00"',
    '/event create title:"Superwizja krajowa" kind:supervision when:"za 10 dni 10:00" duration:2h',
    '/event create title:"Ukryte forum" kind:forum when:"za 20 dni 10:00" duration:1h '
    'publish_at:"za 3 dni"',
]


async def network(tmp_path: Path) -> ConsoleSession:
    session = await open_console(tmp_path / "net.sqlite3", tmp_path / "files")
    for line in SETUP:
        events = await session.say(line)
        errors = [e for e in events if e.get("kind") == "error" or "⚠" in str(e.get("text", ""))]
        assert not errors, (line, events)
    return session


def directory_of(session: ConsoleSession) -> PublicDirectory:
    app = session.app
    return PublicDirectory(
        app.db, app.clock, Gazetteer.load(), scheduler_running=lambda: app.scheduler.running
    )


async def client_for(session: ConsoleSession) -> TestClient:
    client = TestClient(TestServer(build_app(directory_of(session))))
    await client.start_server()
    return client
