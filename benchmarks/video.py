"""The video stage on a real two-minute sung song: the lyric video against the still
cover it replaced, side by side.

    nice python -m benchmarks.video [--repeats N]

Makes one sung song of about two minutes with ``make_song`` (its timed words and
waveform included), then encodes its MP4 ``--repeats`` times each way, alternating:
``still`` is the previous encoder (the cover looped at 1 fps, scaled, x264 veryfast
``stillimage``, AAC 192 kbps), ``lyric`` is ``write_video`` with the lines and the
moving waveform (5 fps, 720 px). Prints the median wall seconds and CPU seconds
(this process plus the ffmpeg child) of each, and lyric / still ratios.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import orjson

from songgate.engine.encode.lyric_lines import timed_words
from songgate.engine.encode.video import write_video
from songgate.engine.request import SongRequest
from songgate.engine.song import make_song

LYRICS = (
    "[Verse]\nSunday morning light on the window\nCoffee in my hand and nowhere to go\n"
    "Sunlight on the floor and the radio low\nEvery little thing is moving slow\n"
    "[Chorus]\nHappy weekend, sing it with me\nHappy weekend, we are free\n"
    "[Verse]\n雨后的街道 有风吹过\n我们一起唱 快乐的歌\n"
    "[Chorus]\nHappy weekend, sing it with me\nHappy weekend, we are free\n"
)


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _still(image: Path, audio: Path, duration: float, out: Path) -> None:
    """The still-cover MP4 as the engine made it before the lyric video."""
    subprocess.run([
        "ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-xerror", "-y",
        "-loop", "1", "-framerate", "1", "-i", str(image), "-i", str(audio),
        "-map", "0:v:0", "-map", "1:a:0", "-t", f"{duration:.3f}",
        "-vf", "scale=trunc(iw/2)*2:trunc(ih/2)*2,format=yuv420p",
        "-c:v", "libx264", "-preset", "veryfast", "-tune", "stillimage", "-r", "1",
        "-c:a", "aac", "-b:a", "192k", "-ar", "44100", "-movflags", "+faststart",
        "-f", "mp4", str(out),
    ], check=True)  # fmt: skip


def _measure(run: Callable[[], None]) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), _cpu()
    run()
    return time.perf_counter() - wall, _cpu() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=3)
    repeats = parser.parse_args().repeats
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        files = make_song(SongRequest(lyrics=LYRICS, tags="upbeat pop", seed=7,
                                      max_seconds=125), folder, stem="song")
        assert files.timing is not None
        timing = orjson.loads(files.timing.read_bytes())
        words = timed_words(timing["aligned_words"])
        print(f"song: {files.duration:.1f} s, {len(words)} timed words; "
              f"video stage inside make_song: {files.stage_seconds['video']:.2f} s wall")
        runs: dict[str, list[tuple[float, float]]] = {"still": [], "lyric": []}
        for _ in range(repeats):
            runs["still"].append(_measure(lambda: _still(
                files.cover_large, files.mp3, files.duration, folder / "still.mp4")))
            runs["lyric"].append(_measure(lambda: write_video(
                files.cover_large, files.mp3, files.duration, folder / "lyric.mp4",
                words=words, waveform=timing["waveform_data"])))
        medians = {name: (statistics.median(w for w, _ in found),
                          statistics.median(c for _, c in found))
                   for name, found in runs.items()}
        for name, (wall, cpu) in medians.items():
            size = (folder / f"{name}.mp4").stat().st_size / 1e6
            print(f"{name:6s} median of {repeats}: {wall:5.2f} s wall, {cpu:5.2f} s CPU, "
                  f"{size:4.1f} MB")
        (still_wall, still_cpu), (lyric_wall, lyric_cpu) = medians["still"], medians["lyric"]
        print(f"lyric / still: wall x{lyric_wall / still_wall:.2f}, "
              f"CPU x{lyric_cpu / still_cpu:.2f}")


if __name__ == "__main__":
    main()
