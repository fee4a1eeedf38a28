"""Replacing a span of a clip (``infill_start_s``/``infill_end_s`` beside
``continue_clip_id``): the span's rules, the same for both dialects.

The span is recomposed with the given lyrics in the clip's key and tempo, snapped to
bar lines and crossfaded in at both ends; the result is the whole song with the span
replaced. sunoapi.org's replace-section rules hold: 6 to 60 seconds, at most half the
clip, within it and ending after it starts. A span breaking them is refused before
anything is charged.
"""

from __future__ import annotations

from dataclasses import dataclass

from songgate.domain.body_fields import NumberField
from songgate.domain.fields import JsonObject
from songgate.domain.models import ModelVersion
from songgate.errors import InvalidRequest

MIN_SPAN_SECONDS = 6.0
MAX_SPAN_SECONDS = 60.0
INFILL = "infill"  # the music submit's ``task`` for a replaced span (optional)
SPAN_BOUND = 3600  # seconds: the clip bounds a span; this bounds the number

INFILL_START = NumberField("infill_start_s", 0, SPAN_BOUND,
                           "With continue_clip_id (and continue_at, any point of the clip) "
                           "and infill_end_s: replace this span of the clip (seconds); "
                           "`task: infill` may name it.")
INFILL_END = NumberField("infill_end_s", 0, SPAN_BOUND,
                         "Where the replaced span ends: 6 to 60 s after infill_start_s, at "
                         "most half the clip.")
INFILL_FIELDS = (INFILL_START, INFILL_END)


@dataclass(frozen=True, slots=True)
class Span:
    start: float
    end: float


def read_span(body: JsonObject, model: ModelVersion) -> Span | None:
    """The span a submit asks to replace, or None; both ends or neither."""
    start, end = INFILL_START.read(body, model), INFILL_END.read(body, model)
    if start is None and end is None:
        return None
    if start is None or end is None:
        raise InvalidRequest("infill_start_s and infill_end_s must be given together")
    return Span(start, end)  # its rules are checked with the clip (check_span_of)


def span_refusal_or(span: Span) -> Span:
    """``span`` if its own rules hold (those needing the clip wait for it)."""
    if span.end <= span.start:
        raise InvalidRequest(f"infill_end_s ({span.end:g}) must be after infill_start_s "
                             f"({span.start:g})")
    length = span.end - span.start
    if not MIN_SPAN_SECONDS <= length <= MAX_SPAN_SECONDS:
        raise InvalidRequest(f"the span to replace lasts {length:g} s: it must last "
                             f"{MIN_SPAN_SECONDS:g} to {MAX_SPAN_SECONDS:g} s")
    return span


def check_span_in_clip(span: Span, duration: float) -> None:
    """The rules that need the clip: within it, and at most half of it."""
    if span.end > duration + 1e-6:
        raise InvalidRequest(f"infill_end_s is {span.end:g} s but the clip lasts "
                             f"{duration:g} s")
    if span.end - span.start > duration / 2 + 1e-6:
        raise InvalidRequest(f"the span to replace lasts {span.end - span.start:g} s: at most "
                             f"half the clip ({duration / 2:g} s) may be replaced")


def check_span_of(start: float | None, end: float | None, duration: float) -> None:
    """A submit's span (if it has one) against the clip it replaces a span of."""
    if start is not None and end is not None:
        check_span_in_clip(span_refusal_or(Span(start, end)), duration)
