"""What the render of a cover reads of the song it covers, gathered from the media store.

The song's audio (``{clip}.wav``: a song's mastered mix, or an upload as it was decoded),
its vocal stem when the engine made it (the tune is heard best there), and its sung
words with their times when the engine sang it (so each line sung again takes the tune
it had). The render child listens to these (engine/cover.py); nothing is analysed here.
"""

from __future__ import annotations

from pathlib import Path

import orjson

from songgate.domain.clip_files import FileSpec
from songgate.domain.concat import ConcatSpec
from songgate.domain.stems import StemSpec
from songgate.domain.submit import LyricsSpec, MusicSpec
from songgate.engine.request import CoverSource
from songgate.errors import FinalProviderError
from songgate.media.base import MediaBackend
from songgate.media.names import names_for, stem_source

VOCALS = "vocals"
WORDS_FILE = "cover-words.json"

AnySpec = MusicSpec | LyricsSpec | ConcatSpec | FileSpec | StemSpec


def is_cover(spec: AnySpec) -> bool:
    return isinstance(spec, MusicSpec) and bool(spec.cover_clip_id)


async def cover_source(media: MediaBackend, clip_id: str, scratch: Path) -> CoverSource:
    """The covered clip's files, local (copied into ``scratch`` from an object store)."""
    wav = await media.local_copy(names_for(clip_id).wav, scratch)
    if wav is None:
        raise FinalProviderError("the clip to cover has no audio left to listen to")
    meta = await media.read_meta(clip_id) or {}
    vocals = None
    if VOCALS in (meta.get("stems") or []):
        vocals = await media.local_copy(stem_source(clip_id, VOCALS), scratch)
    words = None
    if meta.get("aligned_words"):
        words = scratch / WORDS_FILE
        words.write_bytes(orjson.dumps(meta["aligned_words"]))
    return CoverSource(source_wav=wav, melody_wav=vocals, words_json=words)
