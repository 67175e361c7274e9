"""The public page in a real headless Chromium (Debian's package, driven by Playwright;
no browser is downloaded): the map's markers sit at the groups' places and lead to them,
the near-me form answers, the language switch works, a group's event is absent. It also
saves the screenshot the README shows (docs/web-example.png)."""

from __future__ import annotations

import os
import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp.test_utils import TestServer

from tests.web.community import directory_of, network
from web import svgmap
from web.app import build_app

ROOT = Path(__file__).resolve().parents[2]
# The README's picture is rewritten only when asked (UPDATE_SCREENSHOT=1), so a test run
# leaves the work tree as it was.
README_SCREENSHOT = ROOT / "docs" / "web-example.png"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"

playwright_api = pytest.importorskip("playwright.async_api")


def chromium_or_skip() -> str:
    if Path(CHROMIUM).exists():
        return CHROMIUM
    if os.environ.get("CI"):
        pytest.fail("CI must have Debian's chromium (the Makefile's test target installs it)")
    pytest.skip("no chromium here: `apt-get install chromium` (make test does it)")


@pytest.fixture
async def site(tmp_path: Path) -> AsyncIterator[str]:
    session = await network(tmp_path)
    server = TestServer(build_app(directory_of(session)), host="127.0.0.1")
    await server.start_server()
    try:
        yield str(server.make_url("")).rstrip("/")
    finally:
        await server.close()
        await session.app.close()


@pytest.fixture
async def browser() -> AsyncIterator[object]:
    executable = chromium_or_skip()
    async with playwright_api.async_playwright() as p:
        chromium = await p.chromium.launch(
            executable_path=executable, args=["--no-sandbox", "--disable-gpu"]
        )
        try:
            yield chromium
        finally:
            await chromium.close()


async def test_map_markers_near_me_and_the_language_switch(
    site: str, browser, tmp_path: Path
) -> None:
    page = await browser.new_page(viewport={"width": 1000, "height": 1400}, locale="pl-PL")
    await page.goto(site + "/")
    assert await page.get_attribute("html", "lang") == "pl"

    # Each marker is at its group's place on the drawn map, and leads to the group.
    svg = await page.locator("svg.map").bounding_box()
    scale = svg["width"] / svgmap.WIDTH
    projection = svgmap.projection()
    for name, lat, lon in (("Jura", 50.06, 19.94), ("Beskid", 49.82, 19.04)):
        marker = page.locator("a.pin").filter(has_text=name)
        box = await marker.locator("circle").bounding_box()
        x, y = projection(lat, lon)
        assert abs(svg["x"] + x * scale - (box["x"] + box["width"] / 2)) < 4 * scale, name
        assert abs(svg["y"] + y * scale - (box["y"] + box["height"] / 2)) < 4 * scale, name
    await page.locator("a.pin").filter(has_text="Jura").click()
    await page.wait_for_url("**/groups/1-jura**")
    assert await page.locator("h1").inner_text() == "Jura"

    # The near-me form answers, with the gazetteer's did-you-mean when the place is unknown.
    await page.goto(site + "/")
    await page.fill("#place", "Katowice")
    await page.fill("#radius", "100")
    await page.click("form.near button")
    result = await page.locator("#near-result").inner_text()
    assert "Beskid" in result and "Jura" in result and "Ukryta" not in result
    await page.fill("#place", "Krakw")
    await page.click("form.near button")
    assert "Kraków (małopolskie, PL)" in await page.locator("#near-result").inner_text()

    # The visible switch changes the language, and the links keep it.
    await page.get_by_role("link", name="English").click()
    assert await page.get_attribute("html", "lang") == "en"
    assert await page.locator("h1").inner_text() == "Local groups of library directors"
    await page.get_by_role("link", name="Events").first.click()
    assert await page.get_attribute("html", "lang") == "en"
    events = await page.locator("main").inner_text()
    assert "Superwizja krajowa" in events and "Tajne spotkanie" not in events

    # The README's picture: the network page as a visitor first sees it.
    await page.goto(site + "/?lang=en")
    shot = README_SCREENSHOT if os.environ.get("UPDATE_SCREENSHOT") else tmp_path / "web.png"
    await page.screenshot(path=str(shot), full_page=False)
    assert shot.stat().st_size > 10_000


AXE = Path(os.environ.get("AXE_CORE", ROOT / ".cache/axe/node_modules/axe-core/axe.min.js"))
PAGES = ("/", "/?place=Katowice&radius=100", "/?place=Krakw", "/groups/1-jura", "/groups/2-beskid")
PAGES += ("/events", "/events/2", "/guide", "/nope")


def axe_or_skip() -> Path:
    if AXE.exists():
        return AXE
    if os.environ.get("CI"):
        pytest.fail(f"CI must have axe-core at {AXE} (the Makefile's browser target installs it)")
    pytest.skip("no axe-core here: `make browser` installs it")


@pytest.mark.parametrize("lang", ["pl", "bg"])
async def test_no_serious_accessibility_violations(site: str, browser, lang: str) -> None:
    axe = axe_or_skip()
    # The page's CSP forbids every script; only this test's own context lets axe in.
    context = await browser.new_context(bypass_csp=True)
    page = await context.new_page()
    found = {}
    for path in PAGES:
        sep = "&" if "?" in path else "?"
        await page.goto(f"{site}{path}{sep}lang={lang}")
        await page.add_script_tag(path=str(axe))
        violations = await page.evaluate(
            "async () => (await axe.run()).violations"
            ".map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target)}))"
        )
        bad = [v for v in violations if v["impact"] in ("serious", "critical")]
        if bad:
            found[path] = bad
    await context.close()
    assert found == {}
