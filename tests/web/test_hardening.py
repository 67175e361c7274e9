"""The public page against odd requests: what aiohttp refuses before the page sees it (over
a real socket on 127.0.0.1), control characters in the query, failures, the Server
header, what caches may keep, and addresses with a trailing slash."""

from __future__ import annotations

import asyncio
from pathlib import Path

from bot.public.service import PublicDirectory
from tests.web.community import directory_of, network
from web.app import build_app, start_site


async def exchange(port: int, raw: bytes) -> tuple[str, dict[str, str], bytes]:
    """One raw request to 127.0.0.1:port: the status line, the headers, the body."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(raw)
        await writer.drain()
        data = await asyncio.wait_for(reader.read(), timeout=10)
    finally:
        writer.close()
    head, _, body = data.partition(b"\r\n\r\n")
    status, *lines = head.decode("latin-1").split("\r\n")
    headers = {name: value.strip() for name, _, value in (h.partition(":") for h in lines)}
    return status, headers, body


def assert_hardened(headers: dict[str, str]) -> None:
    assert "default-src 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Server"] == "podaj-dalej"


async def test_a_request_aiohttp_cannot_read_gets_the_page_own_error(tmp_path: Path) -> None:
    session = await network(tmp_path)
    runner = await start_site(build_app(directory_of(session)), "127.0.0.1", 0)
    port = runner.addresses[0][1]
    try:
        refused = {
            "long address": b"GET /?place=" + b"a" * 9000 + b" HTTP/1.1\r\nHost: x\r\n\r\n",
            "raw non-ASCII": b"GET /?place=\xc5\xbbory HTTP/1.1\r\nHost: x\r\n\r\n",
            "long header": b"GET / HTTP/1.1\r\nHost: x\r\nX-Long: " + b"b" * 9000 + b"\r\n\r\n",
            "TLS": b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n",
        }
        for what, raw in refused.items():
            status, headers, body = await exchange(port, raw)
            assert status.split()[1] == "400", what
            assert_hardened(headers)
            assert headers["Cache-Control"] == "no-store"
            assert headers["Content-Type"] == "text/html; charset=utf-8"
            page = body.decode()
            assert "Nie udało się odczytać tego żądania" in page, what
            # Nothing of the request comes back.
            assert "aaaa" not in page and "bbbb" not in page and "ory" not in page, what
            assert "bytearray" not in page and "Got more" not in page, what
        # The same server answers a good request as usual.
        status, headers, body = await exchange(port, b"GET /events HTTP/1.0\r\n\r\n")
        assert status.split()[1] == "200" and "Wydarzenia sieci" in body.decode()
        assert_hardened(headers)
    finally:
        await runner.cleanup()
        await session.app.close()


async def test_control_characters_never_reach_the_page(net) -> None:
    _, client = net
    response = await client.get("/?place=%0A%0D%00Zawiercie&lang=%00pl")
    html = await response.text()
    assert response.status == 200
    assert "\x00" not in html and 'value="Zawiercie"' in html
    assert "%00" not in html  # not in the language switch's links either
    missing = await client.get("/x%00y%22")
    assert missing.status == 404
    text = await missing.text()
    assert "\x00" not in text and 'href="/x%00y%22?lang=en"' in text


async def test_a_renamed_group_keeps_the_query_as_it_came(net) -> None:
    _, client = net
    moved = await client.get("/groups/1-old?x=%0D%0AInjected:%201", allow_redirects=False)
    assert moved.status == 301
    assert moved.headers["Location"] == "/groups/1-jura?x=%0D%0AInjected:%201"
    assert "Injected" not in moved.headers


async def test_no_version_in_the_server_header_and_errors_not_cached(net) -> None:
    _, client = net
    for path in ("/", "/events", "/events/2", "/calendar.ics", "/health", "/nope"):
        response = await client.get(path)
        assert response.headers["Server"] == "podaj-dalej", path
    for path in ("/nope", "/groups/3-ukryta", "/events/99", "/events?kind=group"):
        response = await client.get(path)
        assert response.status == 404 and response.headers["Cache-Control"] == "no-store", path
    english = await client.get("/nope?lang=en")
    assert "There is no such page." in await english.text()  # in the page's language
    refused = await client.post("/")
    assert refused.status == 405 and refused.headers["Cache-Control"] == "no-store"
    # A page only the reader's own browser keeps, for a minute (docs/web.md).
    for path in ("/", "/groups/1-jura", "/events", "/events/2"):
        response = await client.get(path)
        assert response.headers["Cache-Control"] == "private, max-age=60", path
    feed = await client.get("/calendar.ics")
    assert feed.headers["Cache-Control"] == "private, max-age=300"


async def test_a_failure_is_the_page_own_error(net, monkeypatch) -> None:
    _, client = net

    async def broken(self: PublicDirectory, kind: object = None) -> list[object]:
        raise RuntimeError("the database went away")

    monkeypatch.setattr(PublicDirectory, "events", broken)
    response = await client.get("/events?lang=en")
    assert response.status == 500
    html = await response.text()
    assert "Something went wrong on our side" in html and "database" not in html
    assert_hardened(dict(response.headers))
    assert response.headers["Cache-Control"] == "no-store"


async def test_a_trailing_slash_leads_to_the_address(net) -> None:
    _, client = net
    expected = {
        "/events/": "/events",
        "/events/?kind=forum&lang=en": "/events?kind=forum&lang=en",
        "/groups/1-jura/": "/groups/1-jura",
        "/events/2/": "/events/2",
        "/guide/": "/guide",
    }
    for path, target in expected.items():
        response = await client.get(path, allow_redirects=False)
        assert response.status == 301, path
        assert response.headers["Location"] == target
        assert_hardened(dict(response.headers))
    assert (await client.get("/events/")).status == 200
    assert (await client.get("/nope/", allow_redirects=False)).status == 404


async def test_the_language_links_of_a_page_never_lead_to_another_site(tmp_path: Path) -> None:
    session = await network(tmp_path)
    runner = await start_site(build_app(directory_of(session)), "127.0.0.1", 0)
    port = runner.addresses[0][1]
    try:
        status, _, body = await exchange(
            port, b"GET //evil.example/x HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
        )
    finally:
        await runner.cleanup()
        await session.app.close()
    assert status.split()[1] == "404"
    assert b'href="//' not in body and b'href="/evil.example/x?lang=en"' in body
