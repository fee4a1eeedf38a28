"""A STEM task's clips, made from the parts the engine kept beside the source clip.

Each stem clip is the sum of its parts (one part, or for ``Instrumental`` every part of
the band), published as ``{stem}.wav`` (16-bit, like the song's) and ``{stem}.mp3``,
with the source clip's cover. The parts are mastered with the song's own gains, so
the stems add up to the song.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import soundfile

from songgate.domain.results import ClipOutput, MusicResult
from songgate.domain.stems import StemSpec
from songgate.engine.encode.audio import write_mp3, write_wav
from songgate.errors import FinalProviderError
from songgate.media.base import MediaBackend
from songgate.media.names import names_for, stem_source
from songgate.providers.base import ProgressSink


@dataclass(frozen=True, slots=True)
class StemAudio:
    wav: Path
    mp3: Path
    duration: float


def encode_stem(parts: list[Path], out_dir: Path, name: str) -> StemAudio:
    """The sum of ``parts`` (FLAC files of one length) as a WAV and an MP3."""
    total: np.ndarray | None = None
    rate = 0
    for path in parts:
        audio, rate = soundfile.read(path, dtype="float64", always_2d=True)
        total = audio if total is None else total + audio
    assert total is not None
    wav, mp3 = out_dir / f"{name}.wav", out_dir / f"{name}.mp3"
    write_wav(total, rate, wav)
    write_mp3(total, rate, mp3)
    return StemAudio(wav, mp3, len(total) / rate)


async def make_stems(media: MediaBackend, spec: StemSpec, scratch: Path,
                     progress: ProgressSink) -> MusicResult:
    """Every stem clip of ``spec``, published in order; progress after each."""
    cover = names_for(spec.clip_id)
    outputs: list[ClipOutput] = []
    for done, stem in enumerate(spec.stems, start=1):
        parts = []
        for part in stem["parts"]:
            found = await media.local_copy(stem_source(spec.source, part), scratch)
            if found is None:
                raise FinalProviderError(f"the clip has lost its kept part {part!r}")
            parts.append(found)
        made = await asyncio.to_thread(encode_stem, parts, scratch, stem["id"])
        names = names_for(stem["id"])
        await media.publish(made.wav, names.wav)
        audio = await media.publish(made.mp3, names.audio)  # last: the clip plays now
        output = ClipOutput(id=stem["id"], audio_url=audio, image_url=media.url(cover.image),
                            image_large_url=media.url(cover.image_large), video_url="",
                            duration=made.duration)
        outputs.append(output)
        await progress(done / len(spec.stems), [output])
    return MusicResult(tuple(outputs))
