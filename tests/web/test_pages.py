"""The public page on a network made through the console: what it shows, in which
language, escaped, with its headers — and what it never shows."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import icalendar
from aiohttp.test_utils import TestClient

from tests.web.community import INVITE


async def page(client: TestClient, path: str, **headers: str) -> str:
    response = await client.get(path, headers=headers)
    assert response.status == 200, (path, response.status)
    return await response.text()


async def test_the_network_page_shows_public_groups_on_the_map_and_by_region(net) -> None:
    _, client = net
    html = await page(client, "/")
    assert '<html lang="pl">' in html
    # A marker per public group, linking to its page; the hidden group is nowhere.
    assert re.search(r'<a href="/groups/1-jura\?lang=pl" class="pin"><title>Jura — Kraków', html)
    assert re.search(r'<a href="/groups/2-beskid\?lang=pl" class="pin">', html)
    assert "Ukryta" not in html and "Katowice" not in html
    assert "<h3>małopolskie (PL)</h3>" in html and "<h3>śląskie (PL)</h3>" in html
    assert f'href="{INVITE}"' in html
    assert "2 grupy lokalne" in html


async def test_language_from_accept_language_and_the_switch(net) -> None:
    _, client = net
    english = await page(client, "/", **{"Accept-Language": "de-DE,en;q=0.8,pl;q=0.5"})
    assert '<html lang="en">' in english and "Local groups of library directors" in english
    # The switch links every language, keeping the query; ?lang= wins over the header.
    assert 'href="/?lang=bg" hreflang="bg"' in english
    bulgarian = await page(client, "/?lang=bg", **{"Accept-Language": "en"})
    assert '<html lang="bg">' in bulgarian and "Местни групи" in bulgarian
    dutch = await page(client, "/events?lang=nl")
    assert "Evenementen van het netwerk" in dutch
    response = await client.get("/", headers={"Accept-Language": "nl-BE"})
    assert response.headers["Content-Language"] == "nl"
    assert response.headers["Vary"] == "Accept-Language"


async def test_every_value_is_escaped(net) -> None:
    _, client = net
    group = await page(client, "/groups/1-jura")
    assert "Grupa &lt;b&gt;jurajska&lt;/b&gt; &amp; spółka" in group
    events = await page(client, "/events")
    assert "Forum &lt;script&gt;alert(1)&lt;/script&gt;" in events
    assert "<script" not in events and "<script" not in await page(client, "/events/2")


async def test_security_headers_and_read_only(net) -> None:
    _, client = net
    for path in ("/", "/events", "/calendar.ics", "/health", "/nope", "/static/style.css"):
        response = await client.get(path)
        csp = response.headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in csp and "default-src 'none'" in csp
        assert "script-src" not in csp  # no scripts at all: default-src 'none' covers them
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "no-referrer"
    for method in ("POST", "PUT", "DELETE", "PATCH"):
        response = await client.request(method, "/")
        assert response.status == 405
        assert response.headers["Allow"] == "GET, HEAD"
    head = await client.head("/events")
    assert head.status == 200


async def test_a_group_page_with_its_rotation_and_only_chosen_names(net) -> None:
    session, client = net
    jura = await page(client, "/groups/1-jura")
    assert "anna" in jura  # she chose show_name in /profile
    assert "Do grupy Jura można dołączyć od razu" in jura
    beskid = await page(client, "/groups/2-beskid?lang=en")
    assert "piotr" not in beskid  # he did not choose it
    assert "MBP Bielsko, GBP Jasienica" in beskid
    assert "hosted by MBP Bielsko" in beskid
    assert "takes new members after its initiators approve" in beskid
    # Never a member list, never the group's own events.
    assert "Tajne spotkanie" not in beskid
    # A renamed group's old address leads to the new one; a hidden group is not there.
    old = await client.get("/groups/1-old-name?lang=en", allow_redirects=False)
    assert old.status == 301 and old.headers["Location"] == "/groups/1-jura?lang=en"
    hidden = await client.get("/groups/3-ukryta")
    assert hidden.status == 404 and "Nie ma takiej strony." in await hidden.text()
    await session.say("@anna /profile set show_name:no")
    assert "anna" not in await page(client, "/groups/1-jura")


async def test_an_initiator_is_named_as_they_set_it_in_their_profile(net) -> None:
    session, client = net
    await session.say('@anna /profile set name:"Anna Kowalska-Nowak"')
    jura = await page(client, "/groups/1-jura")
    assert "Anna Kowalska-Nowak" in jura and ">anna<" not in jura
    # The visibility rule stands: a name set but not chosen to appear is not shown.
    await session.say('@piotr /profile set name:"Piotr Zieliński"')
    assert "Zieliński" not in await page(client, "/groups/2-beskid")
    await session.say("@anna /profile set show_name:no")
    assert "Kowalska" not in await page(client, "/groups/1-jura")


async def test_a_forgotten_initiator_is_gone_from_the_page(net) -> None:
    session, client = net
    await session.say("@anna /privacy forget confirm:yes")
    assert "anna" not in await page(client, "/groups/1-jura")


async def test_public_events_with_seats_and_registration_never_group_or_unannounced(net) -> None:
    session, client = net
    await session.say("@ola /event rsvp event:2 answer:going")
    html = await page(client, "/events")
    assert "Superwizja krajowa" in html
    assert "Zostało 29 wolnych miejsc z 30." in html
    assert "Zapisy są otwarte. Koniec zapisów: wtorek, 20 stycznia 2026 12:00 CET." in html
    assert "Tajne spotkanie" not in html  # a group's event
    assert "Ukryte forum" not in html  # not announced yet
    assert "ola" not in html  # counts, never names
    forums = await page(client, "/events?kind=forum")
    assert "Superwizja krajowa" not in forums and "Forum &lt;script" in forums
    assert (await client.get("/events?kind=group")).status == 404
    assert (await client.get("/events/1")).status == 404
    assert (await client.get("/events/4")).status == 404
    one = await page(client, "/events/2?lang=en")
    assert 'href="/events/2.ics"' in one and "calendar.google.com" in one
    assert "29 seats left of 30." in one


async def test_a_cancelled_event_reads_as_cancelled_only(net) -> None:
    session, client = net
    await session.say("/event cancel event:2")
    html = await page(client, "/events/2")
    assert "To wydarzenie zostało odwołane." in html
    # No seats, no sign-up, no "add to calendar": only the file that cancels the entry.
    assert "wolnych miejsc" not in html and "Zapisy" not in html and "/event rsvp" not in html
    assert "Dodaj do kalendarza" not in html and "calendar.google.com" not in html
    assert "oznaczy je tam jako odwołane" in html and 'href="/events/2.ics"' in html
    single = parse(await (await client.get("/events/2.ics")).read())
    assert str(single["event-2@podaj-dalej"]["STATUS"]) == "CANCELLED"


async def test_a_past_event_reads_as_past(net) -> None:
    session, client = net
    await session.advance(timedelta(days=8))  # the forum was a week ahead, for two hours
    html = await page(client, "/events/2")
    assert "To wydarzenie już się odbyło." in html and "odwołane" not in html
    assert "wolnych miejsc" not in html and "Zapisy" not in html and "/event rsvp" not in html
    assert 'href="/events/2.ics"' in html  # the calendar link stays
    refused = await session.one("/event cancel event:2")
    assert "już się odbyło — nie można go odwołać" in refused["text"]
    assert "odwołane" not in await page(client, "/events/2")


def parse(body: bytes) -> dict[str, icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(body)
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}


async def test_the_calendar_feed_validates_and_follows_changes(net) -> None:
    session, client = net
    response = await client.get("/calendar.ics")
    assert response.headers["Content-Type"].startswith("text/calendar")
    events = parse(await response.read())
    assert set(events) == {"event-2@podaj-dalej", "event-3@podaj-dalej"}
    assert str(events["event-3@podaj-dalej"]["STATUS"]) == "CONFIRMED"
    assert events["event-2@podaj-dalej"]["URL"].endswith("/events/2")
    forum = parse(await (await client.get("/calendar.ics?kind=forum")).read())
    assert set(forum) == {"event-2@podaj-dalej"}
    # A cancellation stays in the feed with a higher SEQUENCE, so calendars drop it.
    before = int(events["event-3@podaj-dalej"]["SEQUENCE"])
    await session.say('/event cancel event:"Superwizja krajowa"')
    after = parse(await (await client.get("/calendar.ics")).read())["event-3@podaj-dalej"]
    assert str(after["STATUS"]) == "CANCELLED" and int(after["SEQUENCE"]) > before
    html = await page(client, "/events")
    assert 'href="webcal://' in html and "Superwizja krajowa" not in html
    single = parse(await (await client.get("/events/2.ics")).read())
    assert set(single) == {"event-2@podaj-dalej"}


async def test_near_me_answers_with_distances_and_did_you_mean(net) -> None:
    _, client = net
    html = await page(client, "/?place=Katowice&radius=100&lang=en")
    found = html.split('id="near-result"')[1].split("</div>")[0]
    assert "2 groups within 100 km of Katowice" in found
    assert found.index("Beskid") < found.index("Jura")  # nearest first
    assert re.search(r"Jura</a> — Kraków, \d+ km", found)
    assert "Ukryta" not in found
    wrong = await page(client, "/?place=Krakw")
    assert "Czy chodzi o: Kraków (małopolskie, PL)" in wrong


async def test_health_reports_the_database_scheduler_and_last_delivery(net) -> None:
    session, client = net
    response = await client.get("/health")
    assert response.status == 200 and response.headers["Cache-Control"] == "no-store"
    report = json.loads(await response.text())
    assert report["database"] is True and report["scheduler"] is True
    assert report["schema"] > 0 and "last_delivery" in report
    await session.app.scheduler.stop()
    stopped = await client.get("/health")
    assert stopped.status == 503 and json.loads(await stopped.text())["scheduler"] is False


async def test_guide_in_each_language(net) -> None:
    _, client = net
    english = await page(client, "/guide?lang=en")
    assert "<h1>Local director group — how it works</h1>" in english
    assert "<h2>How to start one</h2>" in english
    assert "<li><strong>purpose</strong>" in english
    assert "<h1>" in await page(client, "/guide?lang=bg")


async def test_a_server_not_opted_in_shows_nothing(net) -> None:
    session, client = net
    await session.say("/setup server public:no")
    html = await page(client, "/")
    assert "Jura" not in html and "Beskid" not in html
    assert "Forum" not in (await page(client, "/events")).split("<main")[1].split("<ul class")[1]
    assert parse(await (await client.get("/calendar.ics")).read()) == {}
    assert (await client.get("/groups/1-jura")).status == 404
    assert (await client.get("/events/2")).status == 404


async def test_hiding_a_group_is_said_and_a_bad_invite_refused(net) -> None:
    session, client = net
    reply = await session.one("@anna /group edit name:Jura public:no")
    assert "Grupa jest ukryta na stronie publicznej." in reply["text"]
    assert "Jura" not in await page(client, "/")
    refused = await session.one('/setup server invite:"javascript:alert(1)"')
    assert "nie wygląda na link zaproszenia" in refused["text"]
    shown = await session.one("/setup server")
    assert "discord.gg/podaj" in json.dumps(shown, ensure_ascii=False)
