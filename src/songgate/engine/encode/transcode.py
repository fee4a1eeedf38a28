"""A published song's audio decoded again, for the files made after the song: its WAV,
and the samples a video's waveform is drawn from."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import soundfile

from songgate.engine.encode.atomic import atomic_path
from songgate.engine.encode.video import EncodingError, EncodingUnavailable, ffmpeg_path

RATE = 44_100


def decode_to_wav(source: Path, out: Path) -> float:
    """``source`` (any audio ffmpeg reads: the clip's MP3) as 16-bit PCM stereo at 44.1
    kHz in ``out``; answers its seconds."""
    program = ffmpeg_path()
    if program is None:
        raise EncodingUnavailable("ffmpeg is not installed; the audio cannot be decoded")
    with atomic_path(out) as temporary:
        try:
            result = subprocess.run(
                [program, "-nostdin", "-hide_banner", "-loglevel", "error", "-y",
                 "-i", str(source), "-vn", "-c:a", "pcm_s16le", "-ar", str(RATE), "-ac", "2",
                 "-f", "wav", str(temporary)],
                capture_output=True, text=True, timeout=120, check=False)
        except subprocess.TimeoutExpired as error:
            raise EncodingError(f"ffmpeg took too long ({error.timeout:.0f} s)") from error
        if result.returncode != 0 or not temporary.is_file():
            message = result.stderr.strip()[-400:] or "(no message)"
            raise EncodingError(f"ffmpeg could not decode the audio: {message}")
        info = soundfile.info(str(temporary))
        if info.frames == 0:
            raise EncodingError("the audio decodes to nothing")
    return float(info.frames) / float(info.samplerate)


def read_samples(wav: Path) -> npt.NDArray[np.floating[Any]]:
    samples, _ = soundfile.read(str(wav), dtype="float32", always_2d=True)
    found: npt.NDArray[np.floating[Any]] = samples
    return found
