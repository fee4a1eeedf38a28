"""The song as audio files: 16-bit WAV, and MP3 encoded in-process by LAME (``lameenc``),
which needs no ffmpeg."""

from __future__ import annotations

from pathlib import Path

import lameenc
import numpy as np
import numpy.typing as npt
import soundfile
from scipy.signal import resample_poly

from songgate.engine.encode.atomic import atomic_path

MP3_SAMPLE_RATE = 44_100


def _pcm16(audio: npt.ArrayLike) -> npt.NDArray[np.int16]:
    """Float audio in [-1, 1], mono (n,) or stereo (n, 2), as int16 frames (clipped)."""
    data = np.asarray(audio)
    if data.ndim == 1:
        data = data[:, None]
    if data.ndim != 2 or data.shape[1] not in (1, 2):
        raise ValueError(f"audio must be (n,) or (n, 2), got shape {data.shape}")
    if data.shape[0] == 0:
        raise ValueError("audio is empty")
    if not np.issubdtype(data.dtype, np.floating):
        raise ValueError(f"audio must be floating point, got {data.dtype}")
    if not np.all(np.isfinite(data)):
        raise ValueError("audio contains NaN or infinite samples")
    return np.asarray(np.round(np.clip(data, -1.0, 1.0) * 32767.0), dtype=np.int16)


def write_wav(audio: npt.ArrayLike, sample_rate: int, path: Path) -> None:
    """16-bit PCM WAV."""
    frames = _pcm16(audio)
    with atomic_path(path) as temporary:
        soundfile.write(str(temporary), frames, sample_rate, subtype="PCM_16", format="WAV")


def write_flac(audio: npt.ArrayLike, sample_rate: int, path: Path) -> None:
    """24-bit FLAC (a stem kept for later: lossless, and small where the part is silent)."""
    _pcm16(audio)  # validates
    data = np.clip(np.asarray(audio, dtype=np.float64), -1.0, 1.0 - 2.0**-23)
    with atomic_path(path) as temporary:
        soundfile.write(str(temporary), data, sample_rate, subtype="PCM_24", format="FLAC")


def write_mp3(audio: npt.ArrayLike, sample_rate: int, path: Path, *, kbps: int = 192) -> None:
    """Constant-bitrate stereo MP3 at 44.1 kHz (mono is duplicated, other rates resampled)."""
    data = np.asarray(audio)
    if data.ndim == 2 and data.shape[1] == 1:
        data = data[:, 0]
    if data.ndim == 1:
        data = np.stack([data, data], axis=1)
    frames = _pcm16(data)  # validates before any resampling
    if sample_rate != MP3_SAMPLE_RATE:
        divisor = np.gcd(sample_rate, MP3_SAMPLE_RATE)
        resampled = resample_poly(
            np.asarray(data, dtype=np.float64),
            MP3_SAMPLE_RATE // divisor,
            sample_rate // divisor,
            axis=0,
        )
        frames = _pcm16(resampled)
    encoder = lameenc.Encoder()
    encoder.set_bit_rate(kbps)
    encoder.set_in_sample_rate(MP3_SAMPLE_RATE)
    encoder.set_channels(2)
    encoder.set_quality(3)  # LAME -q 3: near its best (0) at half the time of -q 2
    encoded = bytes(encoder.encode(np.ascontiguousarray(frames).tobytes()))
    encoded += bytes(encoder.flush())
    with atomic_path(path) as temporary:
        temporary.write_bytes(encoded)
