"""The dialect's submit bodies, translated into songgate's own (``/suno/submit/...``).

Only the names and the dialect's own rules are handled here; the translated body then
meets every bound and rule of a gateway submit (``domain/submit.py``), so both
dialects refuse the same things.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from songgate.domain.fields import (
    JsonObject,
    optional_bool,
    optional_number,
    optional_string,
    require_object,
)
from songgate.domain.sunoapi.names import DEFAULT_MODEL, KNOBS, MODEL_NAME_OF, MODEL_VERSION_OF
from songgate.errors import InvalidModelVersion, InvalidRequest

ID_MAX = 128  # audioId, taskId: longer names no clip or task
MAX_CONTINUE_AT = 3600.0  # the model's own bound is checked after translation


@dataclass(frozen=True, slots=True)
class SourceClip:
    """What an extension with ``defaultParamFlag: false`` takes over from its clip."""

    mv: str
    title: str
    tags: str
    duration: float
    instrumental: bool


def model_version(body: JsonObject) -> str:
    """The model version ``model`` names (``V4`` when absent)."""
    name = body.get("model")
    if name is None or name == "":
        name = DEFAULT_MODEL
    if not isinstance(name, str) or name not in MODEL_VERSION_OF:
        accepted = ", ".join(MODEL_VERSION_OF)
        shown = str(name)[:40]
        raise InvalidModelVersion(f"model {shown!r} is not supported; accepted values: {accepted}")
    return MODEL_VERSION_OF[name]


def _text(body: JsonObject, name: str) -> str:
    # generous here: the translated field meets the model's own bound after this
    return optional_string(body, name, max_length=100_000)


def _knobs(body: JsonObject) -> dict[str, Any]:
    knobs: dict[str, Any] = {ours: body.get(theirs) for ours, theirs in KNOBS.items()}
    knobs["persona_id"] = body.get("personaId")
    return {name: value for name, value in knobs.items() if value is not None}


def _hook(body: JsonObject) -> dict[str, Any]:
    url = body.get("callBackUrl")
    return {"notify_hook": url} if url not in (None, "") else {}


def generate_body(raw: Any) -> JsonObject:
    """``POST /api/v1/generate`` as a MUSIC submit.

    Custom mode: ``prompt`` is the lyrics (not needed for an instrumental); ``style``
    and ``title`` may be left out (songgate's own dialect allows it). Otherwise
    ``prompt`` describes the song and the service writes the rest.
    """
    body = require_object(raw)
    custom = optional_bool(body, "customMode")
    instrumental = optional_bool(body, "instrumental")
    prompt = _text(body, "prompt")
    music: JsonObject = {"mv": model_version(body), "make_instrumental": instrumental,
                         **_knobs(body), **_hook(body)}
    if custom:
        style, title = _text(body, "style"), _text(body, "title")
        if not instrumental and not prompt.strip():
            raise InvalidRequest("customMode needs prompt (the lyrics) unless instrumental")
        music.update(prompt=prompt, tags=style, title=title,
                     negative_tags=_text(body, "negativeTags"))
    else:
        if not prompt.strip():
            raise InvalidRequest("prompt is empty: describe the song")
        music.update(gpt_description_prompt=prompt, negative_tags=_text(body, "negativeTags"))
    return music


def extend_body(raw: Any, source: SourceClip) -> JsonObject:
    """``POST /api/v1/generate/extend`` as a MUSIC submit continuing ``audioId``.

    ``defaultParamFlag: true`` takes ``prompt``, ``style``, ``title`` and ``continueAt``
    from the request; false continues the clip from its end in its own style and title.
    """
    body = require_object(raw)
    own = optional_bool(body, "defaultParamFlag")
    prompt = _text(body, "prompt")
    music: JsonObject = {
        "continue_clip_id": audio_id(body), **_knobs(body), **_hook(body),
        "mv": model_version(body) if body.get("model") not in (None, "") else source.mv,
        "negative_tags": _text(body, "negativeTags"),
    }
    if own:
        continue_at = optional_number(body, "continueAt", minimum=0, maximum=MAX_CONTINUE_AT)
        if continue_at is None:
            raise InvalidRequest("defaultParamFlag true needs continueAt")
        style, title = _text(body, "style"), _text(body, "title")
        music.update(prompt=prompt, tags=style or source.tags, title=title or source.title,
                     continue_at=continue_at,
                     make_instrumental=source.instrumental and not prompt.strip())
    else:
        music.update(tags=source.tags, title=source.title, continue_at=source.duration,
                     make_instrumental=source.instrumental and not prompt.strip())
        if prompt.strip():
            music["prompt"] = prompt
        elif not source.instrumental:
            music["gpt_description_prompt"] = f"more of {source.title or 'the song'}"
    return music


def audio_id(body: JsonObject) -> str:
    """``audioId``: the clip an action is asked of (required)."""
    value = optional_string(body, "audioId", max_length=ID_MAX).strip()
    if not value:
        raise InvalidRequest("audioId is required")
    return value


def task_id(value: Any) -> str:
    """``taskId`` (a query or body value): required, bounded."""
    if not isinstance(value, str) or not value.strip():
        raise InvalidRequest("taskId is required")
    if len(value) > ID_MAX:
        raise InvalidRequest(f"taskId is longer than {ID_MAX} characters")
    return value.strip()


def lyrics_body(raw: Any) -> JsonObject:
    """``POST /api/v1/lyrics`` as a LYRICS submit."""
    body = require_object(raw)
    return {"prompt": _text(body, "prompt"), **_hook(body)}


def model_name(mv: str) -> str:
    return MODEL_NAME_OF.get(mv, DEFAULT_MODEL)
