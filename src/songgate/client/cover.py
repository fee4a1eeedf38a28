"""A cover's request body: the same song in new tags (``cover_clip_id`` on a music submit)."""

from __future__ import annotations

from typing import Any

from songgate.client import protocol


def cover_body(clip_id: str, fields: dict[str, Any]) -> dict[str, Any]:
    """A music body covering ``clip_id``; ``fields`` as submit_music takes them (``tags``,
    ``prompt`` for new words, ``title``, ``mv``, ...), with no ``continue_*``."""
    if "continue_clip_id" in fields or "continue_at" in fields:
        raise TypeError("a cover is no extension: give no continue_clip_id or continue_at")
    return protocol.music_body({**fields, "cover_clip_id": clip_id})
