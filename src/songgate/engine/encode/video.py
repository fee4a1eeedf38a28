"""A still-image MP4 of the cover with the song, made by Debian's ``ffmpeg``.

Without ffmpeg :func:`write_video` raises :class:`EncodingUnavailable` and the
pipeline leaves the video out.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Literal

from PIL import Image

from songgate.engine.encode.atomic import atomic_path


class EncodingError(RuntimeError):
    """A file could not be encoded."""


class EncodingUnavailable(EncodingError):
    """The tool an encoder needs (ffmpeg) is not installed."""


def ffmpeg_path() -> str | None:
    return shutil.which("ffmpeg")


def write_video(
    image: Path,
    audio: Path,
    duration: float,
    out: Path,
    *,
    audio_codec: Literal["aac", "copy"] = "aac",
) -> None:
    """An MP4 of the still ``image`` for ``duration`` seconds with ``audio`` (H.264 + AAC).

    One frame per second keeps it small and fast; ``-t`` is explicit because
    a looped image otherwise runs past the end of the audio. ``audio_codec=
    "copy"`` puts an MP3 stream into the MP4 unchanged: about three times
    faster, and played by browsers and common players, but AAC is what every
    MP4 player must support.
    """
    program = ffmpeg_path()
    if program is None:
        raise EncodingUnavailable("ffmpeg is not installed; no video can be made")
    if duration <= 0:
        raise ValueError(f"duration must be positive, got {duration}")
    for source in (image, audio):
        if not Path(source).is_file():
            raise EncodingError(f"no such file: {source}")
    _check_image(Path(image))
    with atomic_path(out) as temporary:
        command = [
            # -xerror: a looped image that fails to decode would otherwise be retried forever
            program, "-nostdin", "-hide_banner", "-loglevel", "error", "-xerror", "-y",
            "-loop", "1", "-framerate", "1", "-i", str(image),
            "-i", str(audio),
            "-map", "0:v:0", "-map", "1:a:0", "-t", f"{duration:.3f}",
            "-vf", "scale=trunc(iw/2)*2:trunc(ih/2)*2,format=yuv420p",
            "-c:v", "libx264", "-preset", "veryfast", "-tune", "stillimage", "-r", "1",
            *(["-c:a", "copy"] if audio_codec == "copy" else
              ["-c:a", "aac", "-b:a", "192k", "-ar", "44100"]),
            "-movflags", "+faststart", "-f", "mp4", str(temporary),
        ]  # fmt: skip
        try:
            result = subprocess.run(
                command, capture_output=True, text=True, timeout=60 + duration, check=False
            )
        except subprocess.TimeoutExpired as error:
            raise EncodingError(f"ffmpeg took too long ({error.timeout:.0f} s)") from error
        if result.returncode != 0 or not temporary.is_file() or temporary.stat().st_size == 0:
            message = result.stderr.strip()[-400:] or "(no message)"
            raise EncodingError(f"ffmpeg failed ({result.returncode}): {message}")


def _check_image(path: Path) -> None:
    try:
        with Image.open(path) as picture:
            picture.verify()
    except (OSError, SyntaxError, ValueError) as error:
        raise EncodingError(f"{path} is not a readable image: {error}") from error
