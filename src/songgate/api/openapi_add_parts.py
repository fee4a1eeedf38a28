"""The OpenAPI body of ``task: add_vocals`` / ``add_instrumental`` on a music submit."""

from __future__ import annotations

from typing import Any

from songgate.api.openapi_schemas import _given, _not_blank, _per_model_limits, body
from songgate.domain.add_parts import ADD_PART_BODY, ADD_TASKS, ADD_VOCALS, NOT_APPLICABLE

Schema = dict[str, Any]


def add_part_request() -> Schema:
    """A voice over an uploaded instrumental, or a band under an uploaded vocal."""
    given = [_given(name, {"not": {"enum": [None, ""]}}) for name in NOT_APPLICABLE]
    return body(
        ADD_PART_BODY,
        "`task: add_vocals` sings `prompt` over the uploaded clip `continue_clip_id`; "
        "`task: add_instrumental` plays a band in the style of `tags` under it. Two clips "
        "as long as the upload (a MUSIC task); `continue_at` and `gpt_description_prompt` "
        "do not apply. Unknown fields are ignored.",
        [
            *_per_model_limits(ADD_PART_BODY),
            _given("task", {"enum": list(ADD_TASKS)}),
            {"if": _given("task", {"const": ADD_VOCALS}), "then": _not_blank("prompt")},
            {"not": {"anyOf": given}},
            {"not": _given("make_instrumental", {"const": True})},
        ],
        {"task": ADD_VOCALS, "continue_clip_id": "7e0c2f1a-9b8d-4c6e-8a2b-3d4f5e6a7b8c",
         "prompt": "[Verse]\nSunday morning light", "tags": "soulful pop"},
    )
