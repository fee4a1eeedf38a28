"""Readers for fields of a decoded JSON body that fail with a message naming the field."""

from __future__ import annotations

import math
from typing import Any
from urllib.parse import urlsplit

from songgate.errors import InvalidRequest, TextTooLong

JsonObject = dict[str, Any]


def require_object(body: Any) -> JsonObject:
    if not isinstance(body, dict):
        raise InvalidRequest("request body must be a JSON object")
    return body


def optional_string(body: JsonObject, name: str, *, max_length: int) -> str:
    """The field as a string ("" when absent or null), at most ``max_length`` characters."""
    value = body.get(name)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise InvalidRequest(f"{name} must be a string")
    check_text(name, value)
    if len(value) > max_length:
        raise TextTooLong(
            f"{name} is {len(value)} characters long; the limit is {max_length}"
        )
    return value


def check_text(name: str, value: str) -> None:
    """Text a database can store: no NUL characters, no lone surrogates."""
    if "\x00" in value:
        raise InvalidRequest(f"{name} must not contain NUL characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidRequest(f"{name} is not valid Unicode text") from None


def optional_bool(body: JsonObject, name: str, *, default: bool = False) -> bool:
    value = body.get(name)
    if value is None:
        return default
    if not isinstance(value, bool):
        raise InvalidRequest(f"{name} must be true or false")
    return value


def optional_number(
    body: JsonObject, name: str, *, minimum: float, maximum: float
) -> float | None:
    value = body.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise InvalidRequest(f"{name} must be a number")
    if not minimum <= value <= maximum:
        raise InvalidRequest(f"{name} must be between {minimum:g} and {maximum:g}")
    return float(value)


def optional_url(body: JsonObject, name: str, *, max_length: int) -> str:
    """An http(s) URL with a host, or "": no spaces or control characters inside."""
    value = optional_string(body, name, max_length=max_length).strip()
    if not value:
        return ""
    refused = InvalidRequest(f"{name} must be an http or https URL")
    if any(ch.isspace() or not ch.isprintable() for ch in value):
        raise refused
    try:
        parts = urlsplit(value)
    except ValueError:  # brackets that enclose no IPv6 address
        raise refused from None
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise refused
    return value
