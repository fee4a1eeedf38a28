"""Bounds every request meets before any route reads it: URL, headers, declared body size.

The server refuses a request head larger than ``max_header_bytes`` while it
arrives (:mod:`songgate.api.protocol`); these checks answer the same bounds with
an envelope for any server, and refuse a declared body larger than
``max_body_bytes`` on every route, including those that never read one. The edge
(:mod:`songgate.api.middleware`) asks them of every HTTP request.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from starlette.types import Scope

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


def _no_path(path: str) -> bool:
    return False


@dataclass(frozen=True, slots=True)
class RequestBounds:
    max_header_bytes: int
    max_body_bytes: int
    own_bound: Callable[[str], bool] = _no_path  # paths whose route bounds its body (uploads)

    def refusal(self, scope: Scope) -> SonggateError | None:
        """Why the request is refused before it is read, or None when it is within bounds."""
        raw_path: bytes = scope.get("raw_path") or scope["path"].encode("utf-8")
        if len(raw_path) + len(scope.get("query_string", b"")) > MAX_URL_BYTES:
            return UrlTooLong(f"the URL is longer than {MAX_URL_BYTES} bytes")
        headers: list[tuple[bytes, bytes]] = scope["headers"]
        if len(headers) > MAX_HEADERS:
            return HeadersTooLarge(f"the request has more than {MAX_HEADERS} headers")
        size = HEADER_OVERHEAD * len(headers)
        length: SonggateError | None = None  # the first Content-Length out of bounds
        for name, value in headers:
            size += len(name) + len(value)
            if name == b"content-length" and length is None \
                    and not self.own_bound(scope["path"]):
                if not value.isdigit():
                    length = InvalidRequest("Content-Length is not a number")
                elif len(value) > _LENGTH_DIGITS or int(value) > self.max_body_bytes:
                    length = RequestTooLarge(
                        f"request body is larger than {self.max_body_bytes} bytes")
        if size > self.max_header_bytes:
            return HeadersTooLarge(f"the request's headers are larger than "
                                   f"{self.max_header_bytes} bytes")
        return length
