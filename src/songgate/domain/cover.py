"""Covers: the same song in a new style (``task: "cover"`` on a music submit).

A cover names its song in ``cover_clip_id``; gateways also send ``task: "cover"`` with
the clip in ``continue_clip_id`` (and sometimes both), which reads the same. The clip is
a finished one of the caller's account: an upload or a song. The cover keeps the song's
tempo, key, chords, tune and form (tags that name a tempo or key win) and is arranged and
sung in ``tags``; ``prompt`` gives new words, else the song's own words are sung again,
and a song without words (an upload) becomes an instrumental cover with the lead playing
its tune. A cover takes no ``continue_at`` and is no extension. Two clips, priced and told
like any MUSIC task.
"""

from __future__ import annotations

from typing import Any

from songgate.domain.body_fields import TextField
from songgate.errors import InvalidRequest

COVER = "cover"  # the music submit's ``task`` that asks for a cover
ID_MAX_LENGTH = 64
COVER_CLIP_ID = TextField("cover_clip_id", ID_MAX_LENGTH,
                          "Cover this clip (of the caller's, complete: an upload or a song): "
                          "the same song in the style of `tags`, with the words of `prompt` "
                          "or else its own.")
TASK = TextField("task", 32, "`cover` with the clip in `continue_clip_id` (or "
                 "`cover_clip_id`) asks for a cover.")


def clip_to_cover(task: str, cover_clip_id: str, continue_clip_id: str,
                  continue_at: float | None) -> str:
    """The clip a music submit covers, or "" when it asks for no cover: ``task: "cover"``
    or a ``cover_clip_id`` asks; the clip is ``cover_clip_id``, else ``continue_clip_id``
    (which then names no extension)."""
    if task != COVER and not cover_clip_id.strip():
        return ""
    if continue_at is not None:
        raise InvalidRequest("a cover takes no continue_at: it remakes the whole song")
    named = cover_clip_id.strip() or continue_clip_id.strip()
    if not named:
        raise InvalidRequest("task cover needs the clip to cover in cover_clip_id "
                             "(or continue_clip_id)")
    return named


def cover_metadata(cover_clip_id: str) -> dict[str, Any]:
    """What a cover's clips record of their song (as Suno's do)."""
    if not cover_clip_id:
        return {}
    return {"task": COVER, "cover_clip_id": cover_clip_id}
