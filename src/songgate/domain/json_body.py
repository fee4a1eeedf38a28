"""A request body's bytes as a JSON value."""

from __future__ import annotations

from typing import Any

import orjson

from songgate.errors import InvalidRequest


def parse_json(body: bytes) -> Any:
    """The JSON value of a request body, or the 400 saying why there is none."""
    if not body.strip():
        raise InvalidRequest("request body is empty: send a JSON object")
    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError:
        raise InvalidRequest("request body is not valid JSON") from None
