"""Adding a part to an uploaded clip: ``task: add_vocals`` (sing lyrics over an uploaded
instrumental) or ``task: add_instrumental`` (a band under an uploaded vocal) on a music
submit."""

from __future__ import annotations

from typing import Any

from songgate.client import protocol

ADD_VOCALS, ADD_INSTRUMENTAL = "add_vocals", "add_instrumental"
# Music fields an added part takes besides the task and the clip.
PART_FIELDS = ("prompt", "tags", "negative_tags", "title", "mv", "notify_hook", "vocal_gender",
               "style_weight", "weirdness_constraint", "audio_weight", "persona_id")


def part_body(task: str, clip_id: str, fields: dict[str, Any]) -> dict[str, Any]:
    """The music submit adding ``task``'s part to the uploaded clip ``clip_id``."""
    unknown = sorted(set(fields) - set(PART_FIELDS))
    if unknown:
        raise TypeError(f"unknown fields for {task}: {', '.join(unknown)}")
    return {"task": task, "continue_clip_id": clip_id, **protocol.music_body(fields)}
