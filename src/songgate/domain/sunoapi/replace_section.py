"""``POST /api/v1/generate/replace-section``: recompose a span of a clip (``audioId``)
with new lyrics (``prompt``), as a MUSIC submit with ``infill_start_s``/``infill_end_s``.
The span rules (domain/infill.py) are that dialect's: 6 to 60 s, at most half the clip."""

from __future__ import annotations

from typing import Any

from songgate.domain.fields import JsonObject, optional_number, optional_string, require_object
from songgate.domain.infill import INFILL, MAX_SPAN_SECONDS, Span, span_refusal_or
from songgate.domain.sunoapi.requests import SourceClip, _hook, audio_id
from songgate.errors import InvalidRequest

TEXT_MAX = 100_000  # generous: the translated field meets the model's own bound


def span_of(raw: Any) -> Span:
    body = require_object(raw)
    start = optional_number(body, "infillStartS", minimum=0, maximum=3600)
    end = optional_number(body, "infillEndS", minimum=0, maximum=3600)
    if start is None or end is None:
        raise InvalidRequest("infillStartS and infillEndS are required: the span to replace "
                             f"(6 to {MAX_SPAN_SECONDS:g} s)")
    return span_refusal_or(Span(start, end))


def replace_section_body(raw: Any, source: SourceClip) -> JsonObject:
    """The MUSIC submit replacing the span of ``audioId`` (its model, style and title
    unless given)."""
    body = require_object(raw)
    span = span_of(body)
    prompt = optional_string(body, "prompt", max_length=TEXT_MAX)
    tags = optional_string(body, "tags", max_length=TEXT_MAX)
    title = optional_string(body, "title", max_length=TEXT_MAX)
    music: JsonObject = {
        "task": INFILL, "continue_clip_id": audio_id(body), "mv": source.mv,
        "infill_start_s": span.start, "infill_end_s": span.end, "continue_at": span.start,
        "tags": tags or source.tags, "title": title or source.title,
        "negative_tags": optional_string(body, "negativeTags", max_length=TEXT_MAX),
        **_hook(body),
    }
    if prompt.strip():
        music["prompt"] = prompt
    else:
        music["make_instrumental"] = True
        if not music["tags"].strip():
            music["tags"] = "instrumental"
    return music
