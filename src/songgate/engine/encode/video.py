"""A lyric video of the song, made by Debian's ``ffmpeg``: the cover, the line being
sung, and the song's waveform lighting up as it plays.

The pictures are drawn once (``video_frames.py``); ffmpeg loops them at ``FPS``
frames a second, slides the dim "still to come" band over the waveform, and draws each
line of the lyrics (``lyric_lines.py``) while it is sung. Without timed words (an
instrumental) the video shows the cover and the moving waveform; without a font it
shows no lyrics. Without ffmpeg :func:`write_video` raises
:class:`EncodingUnavailable` and the pipeline leaves the video out.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

from PIL import Image

from songgate.engine.encode.atomic import atomic_path
from songgate.engine.encode.lyric_lines import ShownLine, TimedWord, shown_lines
from songgate.engine.encode.video_frames import (
    LYRIC_SIZE,
    LYRIC_TOP,
    SIZE,
    Font,
    Frames,
    draw_frames,
    lyric_font,
    rows,
)

FPS = 5  # a line appears within 0.2 s of its time; the playhead moves 1/(5 x duration)
ROW_STEP = int(LYRIC_SIZE * 1.45)


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
    words: Sequence[TimedWord] = (),
    waveform: Sequence[float] = (),
    audio_codec: Literal["aac", "copy"] = "aac",
) -> None:
    """An MP4 (H.264 + AAC, ``SIZE`` pixels square) of ``duration`` seconds: ``image``
    with the lines of ``words`` and the moving ``waveform``, and ``audio``.

    ``-t`` is explicit because a looped image otherwise runs past the end of the audio.
    ``audio_codec="copy"`` puts an MP3 stream into the MP4 unchanged: faster, and
    played by browsers and common players, but AAC is what every MP4 player must
    support.
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
    with tempfile.TemporaryDirectory(prefix="songgate-video-") as scratch:
        folder = Path(scratch)
        frames = draw_frames(Path(image), waveform, folder)
        font = lyric_font() if words else None
        graph = folder / "graph.txt"
        graph.write_text(_graph(frames, font, shown_lines(words, duration), duration, folder),
                         encoding="utf-8")
        with atomic_path(out) as temporary:
            _run(program, folder, Path(audio).resolve(), temporary.resolve(), duration,
                 audio_codec)


def _graph(frames: Frames, font: tuple[Path, Font] | None, lines: Sequence[ShownLine],
           duration: float, folder: Path) -> str:
    """The filter graph: names are relative to ``folder`` (ffmpeg runs there), so no
    path needs escaping; each line's text is read from its own file, unexpanded."""
    still = f"format=yuv420p,loop=loop=-1:size=1,setpts=N/{FPS}/TB"
    steps = [f"[0:v]{still}[base]", f"[1:v]{still}[ahead]",
             f"[base][ahead]overlay=x='W*t/{duration:.3f}':y={frames.band_top}"
             ":eval=frame:format=yuv420"]
    if font is not None:
        path, face = font
        font_name = f"font{path.suffix}"
        (folder / font_name).symlink_to(path)
        for number, line in enumerate(lines):
            when = f"gte(t,{line.start_s:.3f})*lt(t,{line.end_s:.3f})"
            for row, text in enumerate(rows(line.text, face)):
                name = f"line{number}_{row}.txt"
                (folder / name).write_text(text, encoding="utf-8")
                steps[-1] += (
                    f",drawtext=fontfile={font_name}:textfile={name}:expansion=none"
                    f":fontsize={LYRIC_SIZE}:fontcolor=white:box=1:boxcolor=black@0.5"
                    f":boxborderw=8:x=(w-text_w)/2:y={int(SIZE * LYRIC_TOP) + row * ROW_STEP}"
                    f":enable='{when}'")
    steps[-1] += f",trim=duration={duration:.3f}[video]"
    return ";\n".join(steps)


def _run(program: str, folder: Path, audio: Path, out: Path, duration: float,
         audio_codec: Literal["aac", "copy"]) -> None:
    command = [
        # -xerror: a picture that fails to decode would otherwise be retried forever
        program, "-nostdin", "-hide_banner", "-loglevel", "error", "-xerror", "-y",
        "-i", "base.bmp", "-i", "ahead.bmp", "-i", str(audio),
        "-filter_complex_script", "graph.txt",
        "-map", "[video]", "-map", "2:a:0", "-t", f"{duration:.3f}",
        "-c:v", "libx264", "-preset", "veryfast", "-tune", "stillimage", "-r", str(FPS),
        *(["-c:a", "copy"] if audio_codec == "copy" else
          ["-c:a", "aac", "-b:a", "192k", "-ar", "44100"]),
        "-movflags", "+faststart", "-f", "mp4", str(out),
    ]  # fmt: skip
    try:
        result = subprocess.run(command, cwd=folder, capture_output=True, text=True,
                                timeout=60 + duration, check=False)
    except subprocess.TimeoutExpired as error:
        raise EncodingError(f"ffmpeg took too long ({error.timeout:.0f} s)") from error
    if result.returncode != 0 or not out.is_file() or out.stat().st_size == 0:
        message = result.stderr.strip()[-400:] or "(no message)"
        raise EncodingError(f"ffmpeg failed ({result.returncode}): {message}")


def _check_image(path: Path) -> None:
    try:
        with Image.open(path) as picture:
            picture.verify()
    except (OSError, SyntaxError, ValueError) as error:
        raise EncodingError(f"{path} is not a readable image: {error}") from error
