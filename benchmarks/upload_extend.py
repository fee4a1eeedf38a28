"""Extending an upload (``task: "upload_extend"``): what the join sounds like and how long
one clip takes, analysis included.

    nice python -m benchmarks.upload_extend [--level -22] [--at 30]

The "upload" is an engine song of about a minute made first and turned to ``--level``
LUFS (uploads are seldom at the engine's -14); each clip continues it at ``--at`` s the
way a render child does (listen, cut at the nearest bar line, compose, master to the
upload's level, even out the seam). Prints per clip: the seam's short-term loudness step
(LU, target < 2), its largest sample step against the music's own before it (a click
shows as a ratio well over 1), and the wall time of the clip, with the load average.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

import soundfile
from tests.support.seams import seam_of

from songgate.engine.master.mix import integrated_lufs
from songgate.engine.request import Continuation, SongRequest
from songgate.engine.song import make_song

LYRICS = ("[Verse]\nWalking down the road tonight\nStars above are shining bright\n"
          "[Chorus]\nHold on, hold on\nThe night is young and so are we\n"
          "[Verse]\nEvery light along the way\nTells me that I ought to stay")
NEW_LYRICS = "[Bridge]\nCarry me home\n[Chorus]\nHold on, hold on\nThe night is young"
STYLES = ("rock 120 bpm A minor", "lofi 80 bpm", "edm 128 bpm")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--level", type=float, default=-22.0)
    parser.add_argument("--at", type=float, default=30.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="upload-extend-") as folder:
        work = Path(folder)
        for index, tags in enumerate(STYLES):
            made = make_song(SongRequest(lyrics=LYRICS, tags=tags, seed=index,
                                         max_seconds=60), work, stem=f"original{index}")
            audio, rate = soundfile.read(made.wav, dtype="float32")
            upload = work / f"upload{index}.wav"
            gain = 10 ** ((args.level - integrated_lufs(audio, rate)) / 20)
            soundfile.write(upload, audio * gain, rate, subtype="PCM_16")
            original, _ = soundfile.read(upload, dtype="float32")
            started = time.perf_counter()
            extended = make_song(SongRequest(
                lyrics=NEW_LYRICS, tags="", seed=100 + index, max_seconds=120,
                continuation=Continuation(upload, args.at, heard=True)), work,
                stem=f"extended{index}")
            wall = time.perf_counter() - started
            load = "/".join(f"{value:.2f}" for value in os.getloadavg())
            result, _ = soundfile.read(extended.wav, dtype="float32")
            seam = seam_of(original, result, rate)
            print(f"{tags:22s} seam {seam.seconds:6.2f} s  loudness step "
                  f"{seam.loudness_step:4.2f} LU ({seam.before_lufs:.1f} -> "
                  f"{seam.after_lufs:.1f} LUFS)  sample step x{seam.step / seam.music_step:.2f}"
                  f"  clip {extended.duration:5.1f} s in {wall:5.1f} s wall  load {load}")


if __name__ == "__main__":
    main()
