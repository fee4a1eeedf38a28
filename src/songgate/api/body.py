"""Reading a JSON request body with a size bound."""

from __future__ import annotations

from typing import Any

from starlette.requests import ClientDisconnect, Request
from starlette.types import Receive

from songgate.domain.json_body import parse_json
from songgate.errors import InvalidRequest, RequestTooLarge


async def read_json(request: Request, *, limit: int) -> Any:
    return parse_json(await read_request_body(request, limit=limit))


async def read_request_body(request: Request, *, limit: int) -> bytes:
    """:func:`read_body` of a framework request."""
    return await read_body(request.headers.get("content-length"), request.receive, limit=limit)


async def read_body(declared: str | None, receive: Receive, *, limit: int) -> bytes:
    """The bytes of a body declared ``declared`` bytes long, straight from the server's
    messages; at most ``limit`` of them are ever held."""
    if declared is not None:
        if not declared.isdigit():
            raise InvalidRequest("Content-Length is not a number")
        if int(declared) > limit:
            raise RequestTooLarge(f"request body is larger than {limit} bytes")
    message = await receive()
    parts: list[bytes] = []
    size = 0
    while True:
        if message["type"] == "http.disconnect":
            raise ClientDisconnect()
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise RequestTooLarge(f"request body is larger than {limit} bytes")
        if not message.get("more_body", False):
            if not parts:
                return bytes(chunk)  # the common case: the whole body in one message
            parts.append(chunk)
            return b"".join(parts)
        parts.append(chunk)
        message = await receive()

