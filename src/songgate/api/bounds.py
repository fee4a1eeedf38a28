"""Bounds every request meets before any route reads it: URL, headers, declared body size.

The server refuses a request head larger than ``max_header_bytes`` while it
arrives (:mod:`songgate.api.protocol`); these checks answer the same bounds with
an envelope for any server, and refuse a declared body larger than
``max_body_bytes`` on every route, including those that never read one.
"""

from __future__ import annotations

from collections.abc import Callable

from starlette.types import ASGIApp, Receive, Scope, Send

from songgate.api.errors import error_response
from songgate.errors import (
    HeadersTooLarge,
    InvalidRequest,
    RequestTooLarge,
    SonggateError,
    UrlTooLong,
)

MAX_URL_BYTES = 8 * 1024  # path and query string
MAX_HEADERS = 100
HEADER_OVERHEAD = 4  # ": " and CRLF, as the bytes arrive
_LENGTH_DIGITS = 18  # more digits than any body songgate reads


class RequestBounds:
    def __init__(
        self, app: ASGIApp, *, max_header_bytes: int, max_body_bytes: int,
        own_bound: Callable[[str], bool] = lambda path: False,
    ) -> None:
        self.app = app
        self.own_bound = own_bound  # paths whose route bounds its body (an upload's file)
        self.max_header_bytes = max_header_bytes
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            refused = self._refusal(scope)
            if refused is not None:
                await error_response(refused, scope["path"])(scope, receive, send)
                return
        await self.app(scope, receive, send)

    def _refusal(self, scope: Scope) -> SonggateError | None:
        raw_path: bytes = scope.get("raw_path") or scope["path"].encode("utf-8")
        if len(raw_path) + len(scope.get("query_string", b"")) > MAX_URL_BYTES:
            return UrlTooLong(f"the URL is longer than {MAX_URL_BYTES} bytes")
        headers: list[tuple[bytes, bytes]] = scope["headers"]
        if len(headers) > MAX_HEADERS:
            return HeadersTooLarge(f"the request has more than {MAX_HEADERS} headers")
        size = sum(len(name) + len(value) + HEADER_OVERHEAD for name, value in headers)
        if size > self.max_header_bytes:
            return HeadersTooLarge(f"the request's headers are larger than "
                                   f"{self.max_header_bytes} bytes")
        for name, value in headers:
            if name == b"content-length" and not self.own_bound(scope["path"]):
                if not value.isdigit():
                    return InvalidRequest("Content-Length is not a number")
                if len(value) > _LENGTH_DIGITS or int(value) > self.max_body_bytes:
                    return RequestTooLarge(
                        f"request body is larger than {self.max_body_bytes} bytes")
        return None
