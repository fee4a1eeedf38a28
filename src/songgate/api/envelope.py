"""The ``{code, message, data}`` envelope every response carries."""

from __future__ import annotations

from typing import Any

import orjson
from starlette.responses import Response

from songgate.domain.dto import success_envelope

JSON = "application/json"


def raw_success(body: bytes) -> Response:
    """A response around an envelope that is already encoded."""
    return Response(content=body, media_type=JSON)


def success(data: Any) -> Response:
    return raw_success(success_envelope(orjson.dumps(data)))


def error(
    status: int, code: str, message: str, headers: dict[str, str] | None = None,
    data: Any = None,
) -> Response:
    body = orjson.dumps({"code": code, "message": message, "data": data})
    return Response(content=body, status_code=status, media_type=JSON, headers=headers)
