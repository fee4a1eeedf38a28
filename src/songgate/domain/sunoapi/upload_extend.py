"""``POST /api/v1/generate/upload-extend``: a file at ``uploadUrl`` (8 minutes at most)
becomes an upload clip, then a MUSIC task continues it (``continueAt``, else from its end)
with the dialect's generate fields."""

from __future__ import annotations

from typing import Any

from songgate.domain.fields import JsonObject, optional_number, optional_string, require_object
from songgate.domain.sunoapi.requests import MAX_CONTINUE_AT, generate_body
from songgate.errors import InvalidRequest

URL_MAX = 2048


def upload_url(raw: Any) -> str:
    """``uploadUrl``: the audio to upload (required)."""
    url = optional_string(require_object(raw), "uploadUrl", max_length=URL_MAX).strip()
    if not url:
        raise InvalidRequest("uploadUrl is required: the address of the audio to extend")
    return url


def continue_at(raw: Any) -> float | None:
    return optional_number(require_object(raw), "continueAt", minimum=0,
                           maximum=MAX_CONTINUE_AT)


def upload_extend_body(raw: Any, clip_id: str, duration: float) -> JsonObject:
    """The MUSIC submit continuing the uploaded clip ``clip_id`` (``duration`` s long)."""
    music = generate_body(raw)
    at = continue_at(raw)
    music.update(task="upload_extend", continue_clip_id=clip_id,
                 continue_at=duration if at is None else at)
    return music
