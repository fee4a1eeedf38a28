"""Reading a JSON request body with a size bound."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import orjson
from starlette.requests import ClientDisconnect, Request
from starlette.types import Receive

from songgate.errors import InvalidRequest, RequestTooLarge


async def read_json(request: Request, *, limit: int) -> Any:
    return await read_json_from(request.headers.get("content-length"), request.stream(),
                                limit=limit)


async def asgi_chunks(receive: Receive) -> AsyncIterator[bytes]:
    """The request body's chunks straight from the server, for routes served without a
    framework Request."""
    more = True
    while more:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise ClientDisconnect()
        more = message.get("more_body", False)
        chunk = message.get("body", b"")
        if chunk:
            yield chunk


async def read_json_from(
    declared: str | None, chunks: AsyncIterator[bytes], *, limit: int
) -> Any:
    """The JSON value of a body declared ``declared`` bytes long, read from ``chunks``."""
    if declared is not None:
        if not declared.isdigit():
            raise InvalidRequest("Content-Length is not a number")
        if int(declared) > limit:
            raise RequestTooLarge(f"request body is larger than {limit} bytes")
    parts: list[bytes] = []
    size = 0
    async for chunk in chunks:
        size += len(chunk)
        if size > limit:
            raise RequestTooLarge(f"request body is larger than {limit} bytes")
        parts.append(chunk)
    body = b"".join(parts)
    if not body.strip():
        raise InvalidRequest("request body is empty: send a JSON object")
    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError:
        raise InvalidRequest("request body is not valid JSON") from None
