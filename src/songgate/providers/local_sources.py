"""The clip a MUSIC task continues, as the render child needs it.

An engine clip keeps beside its audio how its style was drawn (its meta): the
extension is drawn the same way. Audio without that meta (an upload: a client's
own song) is continued as heard: the render child listens to it for its grid, key,
style and level (``engine/upload_extend.py``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import orjson

from songgate.domain.submit import MusicSpec
from songgate.engine.request import Continuation, Infill, SongRequest
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
    timing: Path | None = None  # its sung words' times (JSON), when the engine kept them
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
    timing = None
    if meta.get("aligned_words"):  # the extension's timing begins with the kept words
        timing = scratch / f"{clip_id}.source-timing.json"
        timing.write_bytes(orjson.dumps({"aligned_words": meta["aligned_words"]}))
    return Source(wav, meta["tags"], meta["negative_tags"], int(meta["style_seed"]),
                  singer=str(meta.get("singer", "")),
                  style_weight=meta.get("style_weight"), weirdness=meta.get("weirdness"),
                  timing=timing)


def heard_continuation(song: SongRequest) -> bool:
    """Whether ``song`` continues heard audio: its style was heard, not drawn from its tags,
    so an extension of it listens again."""
    if song.infill is not None:
        return song.infill.heard
    return song.continuation is not None and song.continuation.heard


def sourced(song: SongRequest, spec: MusicSpec, source: Source) -> SongRequest:
    """``song`` continuing ``source``, or replacing a span of it: an engine clip in the
    key, tempo, style and singer it was made with; an upload as heard."""
    if not source.heard:
        song = replace(song, tags=source.tags, negative_tags=source.negative_tags,
                       style_seed=source.style_seed,
                       vocal_gender=spec.vocal_gender or source.singer,
                       style_weight=source.style_weight, weirdness=source.weirdness)
    if spec.infill_start_s is not None and spec.infill_end_s is not None:
        return replace(song, infill=Infill(source.wav, spec.infill_start_s, spec.infill_end_s,
                                           heard=source.heard))
    assert spec.continue_at is not None  # parse_music requires it with continue_clip_id
    return replace(song, continuation=Continuation(source.wav, spec.continue_at,
                                                   source_timing=source.timing,
                                                   heard=source.heard))
