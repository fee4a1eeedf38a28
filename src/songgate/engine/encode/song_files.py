"""A finished song's files, from its mastered audio on: every pipeline ends the same way.

The WAV, a FLAC per stem, the sung words' timing, the MP3 (streamed whole as soon as
it exists), the covers and the lyric video, each stage reported as it finishes.
"""

from __future__ import annotations

import logging
import os
import shutil
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from songgate.engine.encode.audio import write_flac, write_mp3, write_wav
from songgate.engine.encode.covers import write_covers
from songgate.engine.encode.timing import write_timing
from songgate.engine.encode.video import EncodingError, write_video
from songgate.engine.sing.aligned import AlignedWord

log = logging.getLogger("songgate.engine")

Audio = npt.NDArray[np.float32]


@dataclass(frozen=True, slots=True)
class Written:
    wav: Path
    mp3: Path
    cover: Path
    cover_large: Path
    video: Path | None  # None when no video encoder is installed
    timing: Path
    stems: dict[str, Path]
    duration: float  # seconds


@dataclass(frozen=True, slots=True)
class Naming:
    out_dir: Path
    stem: str  # the files' common name
    title: str
    subtitle: str  # the cover's second line
    seed: int  # the cover's pattern


def linked(source: Path, path: Path) -> Path:
    """``source`` under a second name, for a callee that may move it (a copy across devices)."""
    try:
        os.link(source, path)
    except OSError:
        shutil.copyfile(source, path)
    return path


def write_song_files(
    audio: Audio, stems: Mapping[str, Audio], words: Sequence[AlignedWord], naming: Naming,
    *, sample_rate: int, stem_order: Sequence[str], finished: Callable[[str], None],
    stream: Callable[[Path], None] | None = None,
) -> Written:
    """Write every file of the song; ``finished`` hears "master", "mp3", "cover", "video"."""
    out, name = naming.out_dir, naming.stem
    wav = out / f"{name}.wav"
    write_wav(audio, sample_rate, wav)
    stem_paths = {part: out / f"{name}_{part}.flac" for part in stem_order if part in stems}
    for part, path in stem_paths.items():
        write_flac(stems[part], sample_rate, path)
    timing_path = out / f"{name}.timing.json"
    timing = write_timing(list(words), audio, timing_path)
    finished("master")

    mp3 = out / f"{name}.mp3"
    write_mp3(audio, sample_rate, mp3)
    if stream is not None:
        stream(linked(mp3, out / f"{name}.stream-whole.mp3"))
    finished("mp3")

    cover, cover_large = out / f"image_{name}.jpeg", out / f"image_large_{name}.jpeg"
    write_covers(naming.title, naming.subtitle, naming.seed, cover, cover_large)
    finished("cover")

    duration = len(audio) / sample_rate
    video: Path | None = out / f"{name}.mp4"
    try:
        write_video(cover_large, mp3, duration, out / f"{name}.mp4",
                    words=[(w.word, w.start_s, w.end_s) for w in words],
                    waveform=timing["waveform_data"])
    except EncodingError as failed:  # the song stays, without its video
        log.warning("no video: %s", failed)
        video = None
    finished("video")
    return Written(wav=wav, mp3=mp3, cover=cover, cover_large=cover_large, video=video,
                   timing=timing_path, stems=stem_paths, duration=duration)
