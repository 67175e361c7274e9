"""Request bodies in and JSON responses out, exactly as discord.py expects them."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from aiohttp import web

from .errors import DiscordError

if TYPE_CHECKING:
    from .server import DiscordDouble

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
F = TypeVar("F", bound=Callable[..., Any])


def json_response(
    data: Any, status: int = 200, headers: dict[str, str] | None = None
) -> web.Response:
    # discord.py parses JSON only when Content-Type is exactly "application/json"
    # (aiohttp's json_response would append "; charset=utf-8" and hand the bot a str).
    return web.Response(
        body=json.dumps(data, ensure_ascii=False).encode(),
        status=status,
        headers={"Content-Type": "application/json", **(headers or {})},
    )


def no_content() -> web.Response:
    return web.Response(status=204)


@dataclass
class Upload:
    field: str
    filename: str
    data: bytes
    content_type: str | None


async def read_body(request: web.Request) -> tuple[dict[str, Any], list[Upload]]:
    """JSON body, or multipart/form-data with `payload_json` plus `files[n]` parts."""
    if request.content_type == "multipart/form-data":
        payload: dict[str, Any] = {}
        uploads: list[Upload] = []
        reader = await request.multipart()
        async for part in reader:
            if not hasattr(part, "read"):
                continue
            if part.name == "payload_json":
                payload = json.loads(await part.text())
            elif part.filename is not None:
                data = await part.read(decode=False)
                uploads.append(
                    Upload(
                        field=part.name or "",
                        filename=part.filename,
                        data=bytes(data),
                        content_type=part.headers.get("Content-Type"),
                    )
                )
        return payload, uploads
    if not request.body_exists:
        return {}, []
    raw = await request.read()  # read once, kept: a held-back request read it already
    if not raw:
        return {}, []
    try:
        data = json.loads(raw)
    except json.JSONDecodeError:
        raise DiscordError(400, 50109, "The request body contains invalid JSON.") from None
    return (data if isinstance(data, dict) else {"_list": data}), []


async def read_json(request: web.Request) -> dict[str, Any]:
    payload, _ = await read_body(request)
    return payload


def snowflake_param(request: web.Request, name: str) -> int:
    return int(request.match_info[name])


def route(method: str, path: str) -> Callable[[F], F]:
    """Marks a Routes method as the handler of `method path` (path as Discord documents it)."""

    def mark(fn: F) -> F:
        fn._route = (method, path)  # type: ignore[attr-defined]
        return fn

    return mark


class Routes:
    """A group of REST handlers sharing the double; subclasses mark methods with @route."""

    def __init__(self, double: DiscordDouble) -> None:
        self.double = double
        self.state = double.state
        self.payloads = double.payloads

    def register(self, router: web.UrlDispatcher, prefix: str) -> None:
        for name in sorted(dir(type(self))):
            spec = getattr(getattr(type(self), name), "_route", None)
            if spec is None:
                continue
            method, path = spec
            # Ids are digits; constraining them keeps "@me"/"@original" routes distinct.
            pattern = path.replace("_id}", "_id:\\d+}")
            router.add_route(method, prefix + pattern, getattr(self, name))
