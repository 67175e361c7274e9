"""The page's own answer to a request aiohttp refuses before the application sees it.

aiohttp answers a request it cannot parse (a request line over 8190 bytes, a raw non-ASCII
byte in the address, a header too long, TLS sent to the plain port) itself, with a plain
text that quotes the request's bytes, without the page's security headers and with its own
`Server` header naming the Python and aiohttp versions. aiohttp has no setting for that
answer, so the runner here makes connections whose error answer is the page's: a fixed
body (never a byte of the request), the given headers, nothing cached.

It rests on two aiohttp internals, stable through 3.x: `AppRunner._make_server` gives the
low-level `Server`, whose call makes each connection's `RequestHandler`, and
`RequestHandler.handle_error` makes the error answer (tests/web/test_hardening.py sends
such requests over a real socket, so an aiohttp that changes them fails there).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from typing import Any

from aiohttp import web
from aiohttp.web_protocol import RequestHandler
from aiohttp.web_request import BaseRequest

# The body of the answer for an HTTP status: rendered by the application, bytes of HTML.
ErrorBody = Callable[[int], bytes]


class _PageProtocol(RequestHandler):
    """A connection whose error answers are the page's own."""

    __slots__ = ("_error_body", "_error_headers")

    def __init__(
        self,
        manager: web.Server,
        *,
        error_body: ErrorBody,
        error_headers: Mapping[str, str],
        **kwargs: Any,
    ) -> None:
        super().__init__(manager, **kwargs)
        self._error_body = error_body
        self._error_headers = error_headers

    def handle_error(
        self,
        request: BaseRequest,
        status: int = 500,
        exc: BaseException | None = None,
        message: str | None = None,
    ) -> web.StreamResponse:
        # aiohttp's own handling first: it logs, refuses when a response has begun, and
        # closes the connection. Its text (`message`, the request's bytes) is not passed.
        answer = super().handle_error(request, status, exc)
        if not isinstance(answer, web.Response):
            return answer
        answer.body = self._error_body(status)
        answer.content_type = "text/html"
        answer.charset = "utf-8"
        answer.headers.update(self._error_headers)
        answer.headers["Cache-Control"] = "no-store"
        return answer


class _PageServer(web.Server):
    """aiohttp's low-level server, making `_PageProtocol` connections."""

    def __init__(
        self,
        made: web.Server,
        *,
        error_body: ErrorBody,
        error_headers: Mapping[str, str],
        loop: asyncio.AbstractEventLoop,
    ) -> None:
        super().__init__(
            made.request_handler,
            request_factory=made.request_factory,
            handler_cancellation=made.handler_cancellation,
            loop=loop,
            **made._kwargs,
        )
        self._error_body = error_body
        self._error_headers = error_headers

    def __call__(self) -> RequestHandler:
        return _PageProtocol(
            self,
            error_body=self._error_body,
            error_headers=self._error_headers,
            loop=self._loop,
            **self._kwargs,
        )


class PageRunner(web.AppRunner):
    """`web.AppRunner` whose connections answer unparsable requests with the page's own
    error page (`error_body(status)`) and `error_headers`."""

    def __init__(
        self,
        app: web.Application,
        *,
        error_body: ErrorBody,
        error_headers: Mapping[str, str],
        **kwargs: Any,
    ) -> None:
        super().__init__(app, **kwargs)
        self._error_body = error_body
        self._error_headers = dict(error_headers)

    async def _make_server(self) -> web.Server:
        made = await super()._make_server()
        return _PageServer(
            made,
            error_body=self._error_body,
            error_headers=self._error_headers,
            loop=asyncio.get_running_loop(),
        )
