"""Turning an uploaded file into songgate's audio: decoded by ffmpeg (any format it reads),
checked, and written as WAV and MP3.

Refused, with the problem named: an empty file, one ffmpeg finds no audio stream in or
cannot decode, one longer than the limit, one that decodes to no samples, and one whose
loudest sample is below -60 dBFS (silence). ffmpeg runs with a time bound and its output
is bounded by the duration limit, so a hostile file costs at most that much work.
"""

from __future__ import annotations

import asyncio
import contextlib
import shutil
import wave
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from songgate.errors import UploadRefused

RATE = 44100
CHANNELS = 2
SILENCE_PEAK = 10 ** (-60 / 20)  # -60 dBFS
MP3_BITRATE = "192k"
_FRAMES_PER_READ = RATE * 10


@dataclass(frozen=True, slots=True)
class Decoded:
    wav: Path
    mp3: Path
    duration: float  # seconds


def ffmpeg_path() -> str:
    found = shutil.which("ffmpeg")
    if found is None:
        raise UploadRefused("this server cannot read uploads: ffmpeg is not installed")
    return found


async def _run(args: list[str], timeout: float) -> tuple[int, str]:
    process = await asyncio.create_subprocess_exec(
        *args, stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE)
    try:
        async with asyncio.timeout(timeout):
            _, err = await process.communicate()
    except TimeoutError:
        with contextlib.suppress(ProcessLookupError):
            process.kill()
        await process.wait()
        raise UploadRefused(f"the file could not be decoded within {timeout:g} s") from None
    return int(process.returncode or 0), err.decode("utf-8", "replace")[-2000:]


async def decode_upload(source: Path, work: Path, *, max_seconds: float,
                        timeout: float) -> Decoded:
    """``source`` decoded into ``work`` as ``upload.wav`` and ``upload.mp3``."""
    if source.stat().st_size == 0:
        raise UploadRefused("the file is empty")
    ffmpeg = ffmpeg_path()
    wav = work / "upload.wav"
    code, _ = await _run([
        ffmpeg, "-nostdin", "-hide_banner", "-v", "error", "-i", str(source),
        "-map", "0:a:0", "-vn", "-sn", "-dn", "-t", f"{max_seconds + 1:g}",
        "-ac", str(CHANNELS), "-ar", str(RATE), "-c:a", "pcm_s16le", "-f", "wav", "-y", str(wav),
    ], timeout)
    if code != 0 or not wav.exists():
        raise UploadRefused("the file is not audio: ffmpeg found no audio it can decode in it")
    frames, peak = _measure(wav)
    duration = frames / RATE
    if frames == 0:
        raise UploadRefused("the file is empty: it decodes to no audio samples")
    if duration > max_seconds + 0.05:
        raise UploadRefused(f"the audio is too long: more than {max_seconds / 60:g} minutes "
                            f"({max_seconds:g} s)")
    if peak < SILENCE_PEAK:
        raise UploadRefused("the audio is silent: no sample is louder than -60 dBFS")
    mp3 = work / "upload.mp3"
    code, _ = await _run([
        ffmpeg, "-nostdin", "-hide_banner", "-v", "error", "-i", str(wav),
        "-c:a", "libmp3lame", "-b:a", MP3_BITRATE, "-f", "mp3", "-y", str(mp3),
    ], timeout)
    if code != 0:
        raise UploadRefused("the audio could not be encoded as MP3 on this server")
    return Decoded(wav=wav, mp3=mp3, duration=duration)


def _measure(wav: Path) -> tuple[int, float]:
    """Frames in the WAV and its loudest sample (0..1)."""
    peak = 0
    try:
        with wave.open(str(wav), "rb") as reader:
            frames = reader.getnframes()
            while True:
                chunk = reader.readframes(_FRAMES_PER_READ)
                if not chunk:
                    break
                samples = np.frombuffer(chunk, dtype="<i2")
                if samples.size:
                    peak = max(peak, int(np.abs(samples.astype(np.int32)).max()))
    except (wave.Error, EOFError):
        raise UploadRefused("the file is not audio: its decoded audio cannot be read") from None
    return frames, peak / 32768.0
