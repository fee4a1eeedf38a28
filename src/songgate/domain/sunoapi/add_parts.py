"""sunoapi.org's ``/generate/add-vocals`` and ``/generate/add-instrumental`` as gateway
music submits (``task: add_vocals | add_instrumental``, domain/add_parts.py).

The dialect names the audio by ``uploadUrl``; songgate uploads it first (the upload
service's address rules and bounds) and submits the part for the clip it became.
``prompt`` is the lyrics to sing (add-vocals); ``style`` (or ``tags``) the style.
"""

from __future__ import annotations

from typing import Any

from songgate.domain.add_parts import ADD_INSTRUMENTAL, ADD_VOCALS
from songgate.domain.body_fields import HOOK_URL_MAX
from songgate.domain.fields import JsonObject, optional_url, require_object
from songgate.domain.sunoapi.requests import _hook, _knobs, _text, model_version
from songgate.errors import InvalidRequest

# The dialect's path under /api/v1/generate/ and the gateway task it is.
TASK_OF_PATH = {"add-vocals": ADD_VOCALS, "add-instrumental": ADD_INSTRUMENTAL}
# A clip id that names no clip: the body is checked with it before anything is uploaded.
UNCHECKED_CLIP = "00000000-0000-0000-0000-000000000000"


def upload_url(raw: Any) -> str:
    """``uploadUrl``: the audio to add a part to (required)."""
    url = optional_url(require_object(raw), "uploadUrl", max_length=HOOK_URL_MAX)
    if not url:
        raise InvalidRequest("uploadUrl is required: the audio to add a part to")
    return url


def add_part_body(raw: Any, task: str, clip_id: str = UNCHECKED_CLIP) -> JsonObject:
    """The gateway's music submit adding ``task``'s part to the uploaded ``clip_id``."""
    body = require_object(raw)
    return {
        "task": task, "continue_clip_id": clip_id, "mv": model_version(body),
        "prompt": _text(body, "prompt"), "tags": _text(body, "style") or _text(body, "tags"),
        "title": _text(body, "title"), "negative_tags": _text(body, "negativeTags"),
        **_knobs(body), **_hook(body),
    }
