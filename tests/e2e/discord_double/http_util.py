"""Request bodies in and JSON responses out, exactly as discord.py expects them."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from aiohttp import web
from aiohttp.helpers import parse_mimetype
from aiohttp.multipart import content_disposition_filename, parse_content_disposition

from .errors import DiscordError, FormErrors

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
    data = await read_payload(request)
    if isinstance(data, Multipart):
        return data.payload, data.uploads
    if data is None:
        return {}, []
    return (data if isinstance(data, dict) else {"_list": data}), []


@dataclass
class Multipart:
    payload: dict[str, Any]
    uploads: list[Upload]


async def read_payload(request: web.Request) -> Any:
    """The request's JSON (None without a body), or its multipart form parsed.

    The body is read whole once and kept by aiohttp, so the validating middleware and the
    route handler can both read it.
    """
    if not request.body_exists:
        return None
    raw = await request.read()
    if request.content_type == "multipart/form-data":
        return parse_multipart(raw, request.headers.get("Content-Type", ""))
    if not raw:
        return None
    try:
        return json.loads(raw)
    except json.JSONDecodeError:
        raise DiscordError(400, 50109, "The request body contains invalid JSON.") from None


def parse_multipart(raw: bytes, content_type: str) -> Multipart:
    boundary = parse_mimetype(content_type).parameters.get("boundary", "")
    payload: dict[str, Any] = {}
    uploads: list[Upload] = []
    delimiter = b"--" + boundary.encode()
    for chunk in raw.split(delimiter)[1:]:
        if chunk.startswith(b"--"):
            break  # the closing delimiter
        head, _, body = chunk.removeprefix(b"\r\n").partition(b"\r\n\r\n")
        body = body.removesuffix(b"\r\n")
        headers: dict[str, str] = {}
        for line in head.decode("utf-8", "replace").split("\r\n"):
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        _, params = parse_content_disposition(headers.get("content-disposition"))
        name = params.get("name", "")
        filename = content_disposition_filename(params, "filename")
        if name == "payload_json":
            try:
                payload = json.loads(body)
            except json.JSONDecodeError:
                raise DiscordError(400, 50109, "The request body contains invalid JSON.") from None
        elif filename is not None:
            uploads.append(Upload(name, filename, body, headers.get("content-type")))
    return Multipart(payload, uploads)


async def read_json(request: web.Request) -> dict[str, Any]:
    payload, _ = await read_body(request)
    return payload


def query_limit(request: web.Request, *, default: int, most: int) -> int:
    """`?limit=`: 1..most, otherwise 400 50035 (Discord refuses, it does not clamp)."""
    raw = request.query.get("limit")
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        value = None
    if value is None or not 1 <= value <= most:
        errs = FormErrors()
        errs.add(("limit",), "NUMBER_TYPE_MAX", f"int value should be between 1 and {most}.")
        errs.raise_if_any()
    assert value is not None
    return value


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
