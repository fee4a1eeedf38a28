"""``POST /api/v1/generate/upload-cover``: a file fetched from ``uploadUrl`` (at most eight
minutes, as any upload), then covered with the generate fields (custom mode: ``prompt``
is the new lyrics, ``style`` the new tags; otherwise ``prompt`` describes the new words).
"""

from __future__ import annotations

from typing import Any

from songgate.domain.fields import JsonObject, optional_string, require_object
from songgate.domain.sunoapi.requests import generate_body
from songgate.errors import InvalidRequest

URL_MAX = 2048


def upload_cover_body(raw: Any) -> tuple[str, JsonObject]:
    """(the URL to upload, the MUSIC submit that covers it, its clip still to be named)."""
    body = require_object(raw)
    url = optional_string(body, "uploadUrl", max_length=URL_MAX).strip()
    if not url:
        raise InvalidRequest("uploadUrl is required: the audio file to cover")
    return url, generate_body(body)
