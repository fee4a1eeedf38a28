"""A FILE task on the local provider: a clip's WAV, MP4 or MIDI made after the clip.

The WAV is the clip's MP3 decoded; the MP4 is the lyric video of the clip's cover (or a
cover drawn from its title when it has none), its timed words when the engine sang it,
and its waveform; the MIDI is the score composed again from what made the clip (the
engine composes the same score from the same request). The engine runs in a thread,
and is imported there, so the worker loads it only when a FILE task comes.
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Any

from songgate.domain.clip_files import FILE_NAMES, FileSpec
from songgate.domain.results import FileResult
from songgate.engine.request import SongRequest
from songgate.errors import FinalProviderError
from songgate.media.base import MediaBackend
from songgate.media.names import names_for

log = logging.getLogger("songgate.providers.local")


def _wav(mp3: Path, out: Path) -> None:
    from songgate.engine.encode.transcode import decode_to_wav

    decode_to_wav(mp3, out)


def _mp4(mp3: Path, cover: Path | None, meta: dict[str, Any], spec: FileSpec,
         out: Path) -> None:
    from songgate.engine.encode.covers import write_covers
    from songgate.engine.encode.lyric_lines import timed_words
    from songgate.engine.encode.timing import waveform_data
    from songgate.engine.encode.transcode import decode_to_wav, read_samples
    from songgate.engine.encode.video import write_video

    wav = out.with_name("decoded.wav")
    duration = decode_to_wav(mp3, wav)
    waveform = meta.get("waveform_data") or waveform_data(read_samples(wav))
    if cover is None:
        cover = out.with_name("cover.jpeg")
        write_covers(spec.title or "Untitled", spec.tags, 0, out.with_name("small.jpeg"), cover)
    write_video(cover, mp3, duration, out, words=timed_words(meta.get("aligned_words") or []),
                waveform=waveform)


def _midi(request: SongRequest, out: Path) -> None:
    from songgate.engine.scoring import song_midi

    out.write_bytes(song_midi(request))


def midi_request(spec: FileSpec, meta: dict[str, Any]) -> SongRequest:
    """The request the clip was rendered from, as its sidecar and task keep it."""
    try:
        return SongRequest(
            lyrics=spec.lyrics, tags=str(meta["tags"]),
            negative_tags=str(meta.get("negative_tags", "")),
            instrumental=spec.instrumental, max_seconds=spec.max_seconds,
            seed=int(meta["seed"]), style_seed=int(meta["style_seed"]),
            vocal_gender=str(meta.get("singer", "")), style_weight=meta.get("style_weight"),
            weirdness=meta.get("weirdness"),
        )
    except (KeyError, TypeError, ValueError):
        raise FinalProviderError("the clip's MIDI cannot be made: this server did not keep "
                                 "what made it") from None


async def make_file(media: MediaBackend, spec: FileSpec, scratch: Path) -> FileResult:
    """Makes the file in ``scratch`` and publishes it under the clip's media name."""
    try:
        return await _make(media, spec, scratch)
    except (RuntimeError, ValueError) as error:  # the engine's EncodingError among them
        log.warning("file not made", extra={"clip_id": spec.clip_id, "kind": spec.kind,
                                            "error": str(error)[-400:]})
        raise FinalProviderError(f"the clip's {FILE_NAMES[spec.kind]} could not be made "
                                 "from its audio") from None


async def _make(media: MediaBackend, spec: FileSpec, scratch: Path) -> FileResult:
    names = names_for(spec.clip_id)
    meta = await media.read_meta(spec.clip_id) or {}
    if spec.kind == "midi":
        out = scratch / "song.mid"
        await asyncio.to_thread(_midi, midi_request(spec, meta), out)
        return FileResult(await media.publish(out, names.midi))
    mp3 = await media.local_copy(names.audio, scratch)
    if mp3 is None:
        raise FinalProviderError("the clip's audio is not kept on this server")
    if spec.kind == "wav":
        out = scratch / "song.wav"
        await asyncio.to_thread(_wav, mp3, out)
        return FileResult(await media.publish(out, names.wav))
    cover = (await media.local_copy(names.image_large, scratch)
             or await media.local_copy(names.image, scratch))
    out = scratch / "song.mp4"
    await asyncio.to_thread(_mp4, mp3, cover, meta, spec, out)
    return FileResult(await media.publish(out, names.video))
