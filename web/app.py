"""The public page as an aiohttp application: server-rendered Jinja2, read-only.

Every page is in pl, en, nl or bg (`?lang=`, else Accept-Language, else Polish), every
value is escaped (autoescape), and every answer carries the security headers, errors too
(aiohttp's own answer to an unparsable request is replaced: web/protocol.py). Only GET
and HEAD are served: nothing here changes data.
"""

from __future__ import annotations

import asyncio
import json
import logging
import unicodedata
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Generic, TypeVar
from urllib.parse import urlencode

from aiohttp import web
from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from bot.errors import UserError
from bot.events.ics import calendar as ics_calendar
from bot.events.model import Kind
from bot.groups.messages import guides_dir
from bot.groups.model import JoinMode
from bot.i18n import (
    DEFAULT_LOCALE,
    SUPPORTED_LOCALES,
    format_number,
    format_when,
    language_name,
    normalize_locale,
    t,
    tn,
    use_locale,
)
from bot.public.model import Health, PublicEvent, PublicGroup
from bot.public.service import PublicDirectory, id_of_slug
from web import svgmap
from web.markdown import to_html
from web.protocol import PageRunner

log = logging.getLogger(__name__)

STATIC = Path(__file__).resolve().parent / "static"
DEFAULT_RADIUS_KM = 50
MAX_RADIUS_KM = 500
GUIDE_FILE = "local-group.md"
# Kinds a public event can have: a group's own events never reach the page.
PUBLIC_KINDS = (Kind.FORUM, Kind.SUPERVISION, Kind.TRAINING, Kind.REGIONAL)

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
}
# Instead of aiohttp's "Python/3.11 aiohttp/3.x": no versions for a scanner to match.
SERVER_HEADER = {"Server": "podaj-dalej"}
# Pages (and calendars) show what a community chose to publish: only the reader's own
# browser may keep them for a minute, never a shared proxy, so `public:no` is at once
# seen by everyone (docs/web.md). Errors are not kept at all.
PAGE_CACHE = "private, max-age=60"
CALENDAR_CACHE = "private, max-age=300"
NO_STORE = "no-store"

DIRECTORY: web.AppKey[PublicDirectory] = web.AppKey("directory", PublicDirectory)
TEMPLATES: web.AppKey[Environment] = web.AppKey("templates", Environment)
BASE_URL: web.AppKey[str] = web.AppKey("base_url", str)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def query_value(request: web.Request, name: str) -> str:
    """A query parameter without control characters (a NUL, a line break): they are never
    meant, and would otherwise reach the page or a search as they are."""
    return _printable(request.query.get(name, ""))


def _printable(text: str) -> str:
    return "".join(ch for ch in text if unicodedata.category(ch) != "Cc")


def pick_locale(request: web.Request) -> str:
    """`?lang=` first, then the browser's Accept-Language by its q-values, then Polish."""
    asked = normalize_locale(query_value(request, "lang"))
    if asked:
        return asked
    ranked: list[tuple[float, int, str]] = []
    for i, part in enumerate(request.headers.get("Accept-Language", "").split(",")[:20]):
        tag, _, params = part.strip().partition(";")
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                q = 0.0
        locale = normalize_locale(tag.strip())
        if locale and q > 0:
            ranked.append((-q, i, locale))
    return min(ranked)[2] if ranked else DEFAULT_LOCALE


@dataclass(frozen=True)
class Cached:
    mark: tuple[int, int, int]
    status: int
    body: bytes
    content_type: str
    charset: str | None
    headers: tuple[tuple[str, str], ...]

    def response(self) -> web.Response:
        response = web.Response(
            status=self.status,
            body=self.body,
            content_type=self.content_type,
            charset=self.charset,
            headers=dict(self.headers),
        )
        return response


Mark = tuple[int, int, int]
T = TypeVar("T")


class Shared(Generic[T]):
    """One reading at a time, shared by everyone who asks while it runs (it started after
    they asked, so it is no older than their request)."""

    def __init__(self) -> None:
        self._pending: asyncio.Future[T] | None = None

    async def read(self, reader: Callable[[], Awaitable[T]]) -> T:
        if self._pending is None or self._pending.done():
            self._pending = asyncio.ensure_future(reader())
        return await asyncio.shield(self._pending)


class PageCache:
    """Rendered answers, reused while the database's change mark and the minute are the
    same: a page is never older than the data it shows, and 50 readers at once cost one
    rendering and one reading of the mark. Bounded: the least recently used answer goes
    first."""

    def __init__(self, size: int = 512) -> None:
        self._size = size
        self._items: OrderedDict[tuple[str, ...], Cached] = OrderedDict()
        self._mark: Shared[Mark] = Shared()
        self._rendering: dict[tuple[tuple[str, ...], Mark], asyncio.Future[web.StreamResponse]] = {}

    async def mark(self, read: Callable[[], Awaitable[Mark]]) -> Mark:
        """The current mark, one reading shared by the readers asking at once."""
        return await self._mark.read(read)

    async def render(
        self, key: tuple[str, ...], mark: Mark, handler: Callable[[], Awaitable[web.StreamResponse]]
    ) -> web.StreamResponse:
        """The handler's answer for `key`, rendered once for everyone who asks at once."""
        pending = self._rendering.get((key, mark))
        if pending is not None:
            await asyncio.shield(pending)
            # A copy of what was rendered; an answer the cache does not keep (a redirect,
            # an error) is made again, as one response object is sent only once.
            again = self.get(key, mark)
            return again if again is not None else await handler()
        future: asyncio.Future[web.StreamResponse] = asyncio.get_running_loop().create_future()
        self._rendering[(key, mark)] = future
        try:
            response = await handler()
        except BaseException as exc:
            future.set_exception(exc)
            future.exception()  # retrieved: the waiters re-raise it, nobody else must
            raise
        finally:
            del self._rendering[(key, mark)]
        if isinstance(response, web.Response):
            self.put(key, mark, response)
        future.set_result(response)
        return response

    def get(self, key: tuple[str, ...], mark: Mark) -> web.Response | None:
        item = self._items.get(key)
        if item is None or item.mark != mark:
            return None
        self._items.move_to_end(key)
        return item.response()

    def put(self, key: tuple[str, ...], mark: Mark, response: web.Response) -> None:
        if response.status != 200 or not isinstance(response.body, bytes):
            return
        skip = {"Content-Type", "Content-Length"}
        headers = tuple((k, v) for k, v in response.headers.items() if k not in skip)
        self._items[key] = Cached(
            mark, 200, response.body, response.content_type, response.charset, headers
        )
        self._items.move_to_end(key)
        while len(self._items) > self._size:
            self._items.popitem(last=False)


CACHE: web.AppKey[PageCache] = web.AppKey("cache", PageCache)
HEALTH: web.AppKey[Shared[Health]] = web.AppKey("health", Shared)
UNCACHED = {"/health"}


@web.middleware
async def guard(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Read-only and hardened: other methods get 405, a failure the page's own error page;
    every answer gets the headers, and no error is kept by any cache."""
    response: web.StreamResponse
    if request.method not in ("GET", "HEAD"):
        response = web.Response(status=405, text="405: read-only", headers={"Allow": "GET, HEAD"})
    else:
        try:
            response = await cached(request, handler)
        except web.HTTPNotFound:
            response = await not_found(request)
        except web.HTTPException as exc:
            # A redirect or an error as a plain response (the headers are added below).
            response = web.Response(status=exc.status, headers=exc.headers, text=exc.text)
        except Exception:
            log.exception("public page %s failed", request.path)
            message = t("web.server_error", locale=pick_locale(request))
            response = render(request, "error.html", status=500, message=message)
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    response.headers.update(SERVER_HEADER)
    if response.status >= 400:
        response.headers["Cache-Control"] = NO_STORE
    return response


async def cached(request: web.Request, handler: Handler) -> web.StreamResponse:
    if request.path in UNCACHED:
        return await handler(request)
    cache = request.app[CACHE]
    key = (request.host, request.path_qs, pick_locale(request))
    mark = await cache.mark(request.app[DIRECTORY].change_mark)
    hit = cache.get(key, mark)
    if hit is not None:
        return hit
    return await cache.render(key, mark, lambda: handler(request))


@dataclass(frozen=True)
class Page:
    """What every template gets besides its own values."""

    lang: str
    path: str
    languages: list[tuple[str, str, str]]  # (code, own name, link)


def _page(request: web.Request, lang: str) -> Page:
    # The links keep the path as it came, still percent-encoded: decoded, a "%00" in it
    # would be a NUL in the page. One leading slash only: "//host/x" would link away.
    path = "/" + request.rel_url.raw_path.lstrip("/")
    links = []
    for code in SUPPORTED_LOCALES:
        query = {name: _printable(value) for name, value in request.query.items()}
        query["lang"] = code
        links.append((code, language_name(code), f"{path}?{urlencode(query)}"))
    return Page(lang, request.path, links)


def lang_link(lang: str, path: str, **query: object) -> str:
    """An internal link that keeps the language chosen with ?lang= (when it was)."""
    params = {k: str(v) for k, v in query.items() if v is not None}
    params["lang"] = lang
    return f"{path}?{urlencode(params)}"


def _html(env: Environment, template: str, page: Page, **values: Any) -> str:
    with use_locale(page.lang):
        return env.get_template(template).render(
            page=page, link=lambda path, **q: lang_link(page.lang, path, **q), **values
        )


def render(
    request: web.Request, template: str, *, status: int = 200, **values: Any
) -> web.Response:
    lang = pick_locale(request)
    html = _html(request.app[TEMPLATES], template, _page(request, lang), **values)
    response = web.Response(text=html, content_type="text/html", charset="utf-8", status=status)
    response.headers["Content-Language"] = lang
    response.headers["Vary"] = "Accept-Language"
    response.headers["Cache-Control"] = PAGE_CACHE
    return response


def unparsable_page(env: Environment, status: int) -> bytes:
    """The error page for a request aiohttp could not read (web/protocol.py): nothing of
    the request is known, so it is in Polish, the network's language, with the switch."""
    links = [(code, language_name(code), f"/?lang={code}") for code in SUPPORTED_LOCALES]
    key = "web.bad_request" if status < 500 else "web.server_error"
    page = Page(DEFAULT_LOCALE, "/", links)
    return _html(env, "error.html", page, message=t(key, locale=DEFAULT_LOCALE)).encode()


async def not_found(request: web.Request) -> web.Response:
    message = t("web.not_found", locale=pick_locale(request))
    return render(request, "error.html", status=404, message=message)


# -- pages ------------------------------------------------------------------------------


def _by_region(groups: list[PublicGroup]) -> list[tuple[str, list[PublicGroup]]]:
    regions: dict[str, list[PublicGroup]] = {}
    for g in groups:
        regions.setdefault(f"{g.group.region} ({g.group.country})", []).append(g)
    return sorted(regions.items())


def _radius(text: str) -> int:
    try:
        value = int(text or DEFAULT_RADIUS_KM)
    except ValueError:
        return DEFAULT_RADIUS_KM
    return min(max(value, 1), MAX_RADIUS_KM)


async def index(request: web.Request) -> web.Response:
    directory = request.app[DIRECTORY]
    lang = pick_locale(request)
    groups = await directory.groups()
    query = query_value(request, "place").strip()[:100]
    radius = _radius(query_value(request, "radius"))
    near, near_error = None, None
    if query:
        try:
            near = await directory.near(query, radius)
        except UserError as exc:
            with use_locale(lang):
                near_error = t(exc.key, **exc.params)
    pins = [
        svgmap.Pin(
            g.group.lat,
            g.group.lon,
            f"{g.group.name} — {g.group.city}",
            lang_link(lang, f"/groups/{g.slug}"),
        )
        for g in groups
    ]
    with use_locale(lang):
        svg = svgmap.render(pins, title=t("web.map.title"))
    return render(
        request,
        "index.html",
        groups=groups,
        regions=_by_region(groups),
        svg=svg,
        query=query,
        radius=radius,
        near=near,
        near_error=near_error,
        invite=await directory.invite(),
        km=lambda value: format_number(round(value), locale=lang),
    )


async def group_page(request: web.Request) -> web.StreamResponse:
    directory = request.app[DIRECTORY]
    group_id = id_of_slug(request.match_info["slug"])
    found = await directory.group(group_id) if group_id is not None else None
    if found is None:
        raise web.HTTPNotFound()
    if request.match_info["slug"] != found.slug:
        # A renamed group: its old address leads to the new one.
        raw = request.rel_url.raw_query_string  # as it came: decoded, it could break a header
        query = f"?{raw}" if raw else ""
        raise web.HTTPMovedPermanently(f"/groups/{found.slug}{query}")
    lang = pick_locale(request)
    meetings = [
        (format_when(m.starts_at, m.timezone, locale=lang), m.host)
        for m in await directory.meetings(found.group.id)
    ]
    return render(
        request,
        "group.html",
        g=found,
        meetings=meetings,
        approval=found.group.join_mode is JoinMode.APPROVAL,
    )


def _kind(request: web.Request) -> Kind | None:
    text = query_value(request, "kind")
    if not text:
        return None
    try:
        kind = Kind(text)
    except ValueError:
        raise web.HTTPNotFound() from None
    if kind not in PUBLIC_KINDS:
        raise web.HTTPNotFound()
    return kind


def _base_url(request: web.Request) -> str:
    return request.app[BASE_URL] or str(request.url.origin())


def _when(view: PublicEvent, lang: str) -> dict[str, str | None]:
    e = view.event
    opens, closes = e.registration_opens, e.registration_closes
    return {
        "starts": format_when(e.starts_at, e.timezone, locale=lang),
        "ends": format_when(e.ends_at, e.timezone, locale=lang),
        "opens": format_when(opens, e.timezone, locale=lang) if opens else None,
        "closes": format_when(closes, e.timezone, locale=lang) if closes else None,
    }


async def events_page(request: web.Request) -> web.Response:
    directory = request.app[DIRECTORY]
    kind = _kind(request)
    lang = pick_locale(request)
    views = await directory.events(kind)
    feed = _feed_url(request, kind)
    return render(
        request,
        "events.html",
        events=[(v, _when(v, lang)) for v in views],
        kind=kind,
        kinds=PUBLIC_KINDS,
        feed=feed,
        webcal="webcal://" + feed.split("://", 1)[1],
    )


def _feed_url(request: web.Request, kind: Kind | None) -> str:
    return f"{_base_url(request)}/calendar.ics" + (f"?kind={kind.value}" if kind else "")


def _google_link(view: PublicEvent) -> str:
    e = view.event

    def stamp(at: datetime) -> str:
        return at.strftime("%Y%m%dT%H%M%SZ")

    query = {
        "action": "TEMPLATE",
        "text": e.title,
        "dates": f"{stamp(e.starts_at.astimezone(UTC))}/{stamp(e.ends_at.astimezone(UTC))}",
        "details": e.description,
        "location": e.place,
    }
    return "https://calendar.google.com/calendar/render?" + urlencode(query)


async def event_page(request: web.Request) -> web.Response:
    view = await _event_or_404(request)
    lang = pick_locale(request)
    return render(
        request,
        "event.html",
        v=view,
        when=_when(view, lang),
        google=_google_link(view),
        ics=f"/events/{view.event.id}.ics",
    )


async def _event_or_404(request: web.Request) -> PublicEvent:
    text = request.match_info["id"]
    if not text.isdigit() or len(text) > 18:
        raise web.HTTPNotFound()
    view = await request.app[DIRECTORY].event(int(text))
    if view is None:
        raise web.HTTPNotFound()
    return view


def _ics_response(body: bytes, filename: str) -> web.Response:
    response = web.Response(body=body, content_type="text/calendar", charset="utf-8")
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    response.headers["Cache-Control"] = CALENDAR_CACHE
    return response


async def event_ics(request: web.Request) -> web.Response:
    view = await _event_or_404(request)
    directory = request.app[DIRECTORY]
    link = f"{_base_url(request)}/events/{view.event.id}"
    body = ics_calendar([view.event], now=directory.now, links={view.event.id: link})
    return _ics_response(body, f"event-{view.event.id}.ics")


async def calendar_feed(request: web.Request) -> web.Response:
    directory = request.app[DIRECTORY]
    kind = _kind(request)
    events = await directory.feed(kind)
    base = _base_url(request)
    lang = pick_locale(request)
    name = t("web.feed.name", locale=lang)
    if kind is not None:
        name += f" — {t(f'event.kind.{kind.value}', locale=lang)}"
    body = ics_calendar(
        events, now=directory.now, links={e.id: f"{base}/events/{e.id}" for e in events}, name=name
    )
    return _ics_response(body, "calendar.ics")


async def guide(request: web.Request) -> web.Response:
    lang = pick_locale(request)
    path = guides_dir() / lang / GUIDE_FILE
    if not path.exists():
        path = guides_dir() / DEFAULT_LOCALE / GUIDE_FILE
    text = path.read_text(encoding="utf-8")
    # The file's own title line becomes the page's h1.
    first, _, rest = text.partition("\n")
    title = (
        first.lstrip("#").strip() if first.startswith("# ") else t("web.guide.title", locale=lang)
    )
    body = rest if first.startswith("# ") else text
    return render(request, "guide.html", title=title, body=to_html(body))


async def health(request: web.Request) -> web.Response:
    # Never cached, but monitors polling at once share one look at the database.
    report = await request.app[HEALTH].read(request.app[DIRECTORY].health)
    document = {
        "database": report.database,
        "schema": report.schema,
        "scheduler": report.scheduler,
        "last_delivery": report.last_delivery.isoformat() if report.last_delivery else None,
    }
    ok = report.database and report.scheduler is not False
    return web.Response(
        text=json.dumps(document),
        content_type="application/json",
        status=200 if ok else 503,
        headers={"Cache-Control": "no-store"},
    )


async def stylesheet(request: web.Request) -> web.Response:
    return web.Response(
        body=_STYLE,
        content_type="text/css",
        charset="utf-8",
        headers={"Cache-Control": "public, max-age=86400"},
    )


_STYLE = (STATIC / "style.css").read_bytes()


def _templates() -> Environment:
    env = Environment(
        loader=PackageLoader("web", "templates"),
        autoescape=True,  # every value escaped, in every template
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(t=t, tn=tn, fmt_number=format_number, Markup=Markup)
    return env


def build_app(directory: PublicDirectory, *, base_url: str = "") -> web.Application:
    # `/events/` leads to `/events` (a permanent redirect, the query kept); the guard
    # comes first, so the redirect carries the headers too.
    canonical = web.normalize_path_middleware(
        append_slash=False, remove_slash=True, redirect_class=web.HTTPMovedPermanently
    )
    app = web.Application(middlewares=[guard, canonical])
    app[DIRECTORY] = directory
    app[TEMPLATES] = _templates()
    app[BASE_URL] = base_url.rstrip("/")
    app[CACHE] = PageCache()
    app[HEALTH] = Shared()
    routes = [
        ("/", index),
        ("/groups/{slug}", group_page),
        ("/events", events_page),
        (r"/events/{id:\d+}.ics", event_ics),
        (r"/events/{id:\d+}", event_page),
        ("/calendar.ics", calendar_feed),
        ("/guide", guide),
        ("/health", health),
        ("/static/style.css", stylesheet),
    ]
    for path, handler in routes:
        app.router.add_get(path, handler)  # HEAD too
    return app


async def start_site(app: web.Application, host: str, port: int) -> web.AppRunner:
    """Serve `app` on host:port inside the running loop; `await runner.cleanup()` stops it."""
    env = app[TEMPLATES]
    runner = PageRunner(
        app,
        error_body=lambda status: unparsable_page(env, status),
        error_headers={**SECURITY_HEADERS, **SERVER_HEADER},
        access_log=None,
    )
    await runner.setup()
    await web.TCPSite(runner, host, port).start()
    log.info("public page on http://%s:%d/", host, port)
    return runner
