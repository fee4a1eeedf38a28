"""The submit bodies of an extension (of any clip, an upload too) and of a replaced span."""

from __future__ import annotations

from typing import Any

UPLOAD_EXTEND = "upload_extend"
INFILL = "infill"


def extension_fields(clip_id: str, continue_at: float, fields: dict[str, Any]) -> dict[str, Any]:
    """Continue ``clip_id`` at ``continue_at`` s (an upload's nearest bar line)."""
    return {"continue_clip_id": clip_id, "continue_at": continue_at, **fields}


def span_fields(clip_id: str, start_s: float, end_s: float,
                fields: dict[str, Any]) -> dict[str, Any]:
    """Recompose ``start_s``..``end_s`` of ``clip_id`` (6 to 60 s, at most half the clip)."""
    return {"task": INFILL, "continue_clip_id": clip_id, "continue_at": start_s,
            "infill_start_s": start_s, "infill_end_s": end_s, **fields}
