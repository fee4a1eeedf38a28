"""What the document says of a replaced span on ``POST /suno/submit/music``: both ends or
neither, and only with ``continue_clip_id`` (then ``continue_at`` is not needed). Its
other rules need the clip (6 to 60 s, at most half of it, within it: domain/infill.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from songgate.domain.infill import INFILL_END, INFILL_START
from songgate.domain.submit import CONTINUE_CLIP_ID

Schema = dict[str, Any]
Given = Callable[[str, Schema], Schema]
_NUMBER: Schema = {"type": "number"}


def infill_rule(given: Given) -> Schema:
    """A submit replacing a span: its clip and both ends."""
    return {"allOf": [given(CONTINUE_CLIP_ID.name, {"minLength": 1}),
                      given(INFILL_START.name, _NUMBER), given(INFILL_END.name, _NUMBER)]}


def span_rules(given: Given) -> list[Schema]:
    both = {"allOf": [given(INFILL_START.name, _NUMBER), given(INFILL_END.name, _NUMBER)]}
    neither = {"allOf": [{"not": given(INFILL_START.name, _NUMBER)},
                         {"not": given(INFILL_END.name, _NUMBER)}]}
    return [{"anyOf": [both, neither]},
            {"anyOf": [{"not": given(INFILL_START.name, _NUMBER)},
                       given(CONTINUE_CLIP_ID.name, {"minLength": 1})]}]
