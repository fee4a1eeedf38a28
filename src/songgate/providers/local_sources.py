"""The clip a MUSIC task continues, as the render child needs it.

An engine clip keeps beside its audio how its style was drawn (its meta): the
extension is drawn the same way. Audio without that meta (an upload: a client's
own song) is continued as heard: the render child listens to it for its grid, key,
style and level (``engine/upload_extend.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from songgate.engine.request import SongRequest
from songgate.errors import FinalProviderError
from songgate.media.base import MediaBackend
from songgate.media.names import names_for


@dataclass(frozen=True, slots=True)
class Source:
    """The clip an extension continues: its audio and how its style was drawn."""

    wav: Path
    tags: str
    negative_tags: str
    style_seed: int
    singer: str = ""  # "f" or "m"; "" for clips made before it was kept
    style_weight: float | None = None
    weirdness: float | None = None
    heard: bool = False  # not drawn from tags alone (an upload): listened to, not read


async def load_source(media: MediaBackend, clip_id: str, scratch: Path) -> Source:
    """The clip to extend, wherever the media store keeps it (copied into ``scratch``)."""
    meta = await media.read_meta(clip_id)
    wav = await media.local_copy(names_for(clip_id).wav, scratch)
    if wav is None:
        raise FinalProviderError("the clip to extend was not made by this server nor uploaded "
                                 "to it: it has no audio here")
    if meta is None or meta.get("heard"):  # an upload, or an extension of one: heard again
        return Source(wav, "", "", 0, heard=True)
    return Source(wav, meta["tags"], meta["negative_tags"], int(meta["style_seed"]),
                  singer=str(meta.get("singer", "")),
                  style_weight=meta.get("style_weight"), weirdness=meta.get("weirdness"))


def heard_continuation(song: SongRequest) -> bool:
    """Whether ``song`` continues heard audio: its style was heard, not drawn from its tags,
    so an extension of it listens again."""
    return song.continuation is not None and song.continuation.heard
