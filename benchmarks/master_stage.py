"""The master stage alone, this code against a baseline checkout, and what the growing
stream costs.

    .venv/bin/python -m benchmarks.master_stage --baseline-src /tmp/base/src [--rounds 3]

One two-minute sung song (benchmarks/engine.py's lyrics, tags and a fixed seed) is
composed, rendered and sung once; its band stems and voice are saved. Then each round
runs, in a fresh child process for the baseline source and for this one (alternating,
so both see the same machine load), what make_song's "master" stage does: mix_stems,
master_stems, the WAV, a FLAC per stem and the timing file. Figures are each part's
CPU seconds in that process (time.process_time; no helper processes run), the least
over the rounds, which is the figure least disturbed by a shared machine. The mastered
songs of both are compared sample by sample (largest difference in dBFS), and their
loudness and true peak measured by this checkout's meter.

The growing stream (engine/growing_stream.py) is timed on the same song: the band and
voice appended section by section into its MP3 encoder and written out after each.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from benchmarks._common import render_table, say

SEED = 1588945316
PARTS = ("mix", "master", "files", "timing")

CHILD = r"""
import json, sys, time
from pathlib import Path
import numpy as np
from songgate.engine.encode.audio import write_flac, write_wav
from songgate.engine.encode.timing import write_timing
from songgate.engine.master import mix
from songgate.engine.master.room import room_for
from songgate.engine.types import SAMPLE_RATE

work = Path(sys.argv[1])
saved = np.load(work / "inputs.npz")
stems = {name[5:]: saved[name] for name in saved.files if name.startswith("stem_")}
meta = json.loads((work / "inputs.json").read_text())
clock = time.process_time
started = clock()
mixed = mix.mix_stems(stems, saved["vocals"], SAMPLE_RATE, room=room_for(meta["genre"]),
                      tempo=meta["tempo"], vocal_gain=saved["vocal_gain"])
mixed_at = clock()
audio, mastered = mix.master_stems(mixed, SAMPLE_RATE)
mastered_at = clock()
out = Path(sys.argv[2])
out.mkdir(exist_ok=True)
write_wav(audio, SAMPLE_RATE, out / "song.wav")
for name, stem in mastered.items():
    write_flac(stem, SAMPLE_RATE, out / f"song_{name}.flac")
files_at = clock()
write_timing([], audio, out / "song.timing.json")
done = clock()
np.save(out / "mastered.npy", audio)
print(json.dumps({"mix": mixed_at - started, "master": mastered_at - mixed_at,
                  "files": files_at - mastered_at, "timing": done - files_at}))
"""


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.master_stage",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--baseline-src", type=Path, required=True,
                        help="the src folder of the checkout to compare against")
    parser.add_argument("--rounds", type=int, default=3)
    return parser.parse_args(argv)


def prepare(work: Path) -> None:
    """Compose, render and sing the song once; save what the master stage starts from."""
    from benchmarks.engine import LYRICS, TAGS
    from songgate.engine.master.effort import effort_curve
    from songgate.engine.render.stems import render_stems
    from songgate.engine.request import SongRequest
    from songgate.engine.scoring import composed, style_and_form
    from songgate.engine.sing.vocals import sing
    from songgate.engine.types import SAMPLE_RATE

    request = SongRequest(lyrics=LYRICS, tags=TAGS, max_seconds=120.0, seed=SEED)
    style, form = style_and_form(request)
    score = composed(request, style, form, request.max_seconds).score
    rendered = render_stems(score, sample_rate=SAMPLE_RATE, fine=True)
    vocals = sing(score, sample_rate=SAMPLE_RATE, seed=request.seed, voice=request.singer)
    np.savez(work / "inputs.npz", vocals=vocals,
             vocal_gain=effort_curve(score, len(vocals), SAMPLE_RATE),
             **{f"stem_{name}": stem for name, stem in rendered.stems.items()})
    (work / "inputs.json").write_text(json.dumps({"genre": style.genre,
                                                  "tempo": style.tempo}))
    stream_cost(score, rendered.band, work)


def stream_cost(score: object, band: np.ndarray, work: Path) -> None:
    """CPU seconds of the growing stream over the whole song, with the voice sung again
    phrase by phrase as make_song does."""
    from songgate.engine.growing_stream import GrowingStream
    from songgate.engine.sing.vocals import INTERNAL_RATE, sing
    from songgate.engine.types import SAMPLE_RATE, Score

    assert isinstance(score, Score)
    files: list[Path] = []
    spent = [0.0]
    stream = GrowingStream(score, band, sample_rate=SAMPLE_RATE, voice_rate=INTERNAL_RATE,
                           path_for=lambda n: work / f"stream-{n}.mp3", publish=files.append)

    def sung(voice: np.ndarray, final: float) -> None:
        started = time.process_time()
        stream.sung(voice, final)
        spent[0] += time.process_time() - started

    started = time.process_time()
    sing(score, sample_rate=SAMPLE_RATE, seed=SEED, voice="f", sung=sung)
    singing = time.process_time() - started - spent[0]
    (work / "stream.json").write_text(json.dumps({
        "files": len(files), "cpu": spent[0], "sing_cpu": singing,
        "seconds": len(band) / SAMPLE_RATE}))


def run_child(src: Path, work: Path, label: str) -> dict[str, float]:
    env = {**os.environ, "PYTHONPATH": str(src)}
    found = subprocess.run([sys.executable, "-c", CHILD, str(work), str(work / label)],
                           env=env, capture_output=True, text=True, check=False)
    if found.returncode != 0:
        raise SystemExit(f"the {label} master stage failed:\n{found.stderr[-2000:]}")
    times: dict[str, float] = json.loads(found.stdout.strip().splitlines()[-1])
    return times


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    here = Path(__file__).resolve().parents[1] / "src"
    load = "/".join(f"{value:.2f}" for value in os.getloadavg())
    say(f"{os.cpu_count()} cores, load average {load} at the start")
    with tempfile.TemporaryDirectory(prefix="songgate-bench-master-") as tmp:
        work = Path(tmp)
        say("composing, rendering and singing the song once ...")
        prepare(work)
        runs: dict[str, list[dict[str, float]]] = {"baseline": [], "this": []}
        for _ in range(args.rounds):
            runs["baseline"].append(run_child(args.baseline_src, work, "baseline"))
            runs["this"].append(run_child(here, work, "this"))
        end_load = "/".join(f"{value:.2f}" for value in os.getloadavg())
        best = {label: {part: min(run[part] for run in found) for part in PARTS}
                for label, found in runs.items()}
        rows = []
        for part in (*PARTS, "total"):
            base = (sum(best["baseline"].values()) if part == "total"
                    else best["baseline"][part])
            this = sum(best["this"].values()) if part == "total" else best["this"][part]
            rows.append([part, f"{base:.2f}", f"{this:.2f}",
                         f"{this / base:.2f}" if base else "-"])
        say(f"\nmaster stage, CPU seconds, least of {args.rounds} rounds each, alternating "
            f"(load average {end_load} at the end)")
        say(render_table(["part", "baseline", "this", "this/baseline"], rows))
        compare(work)
        stream = json.loads((work / "stream.json").read_text())
        say(f"\ngrowing stream over the {stream['seconds']:.1f} s song: {stream['files']} files, "
            f"{stream['cpu']:.2f} CPU s (encoding and writing), beside {stream['sing_cpu']:.2f} "
            "CPU s of singing")
    return 0


def compare(work: Path) -> None:
    from songgate.engine.master import mix
    from songgate.engine.types import SAMPLE_RATE

    base = np.load(work / "baseline" / "mastered.npy")
    this = np.load(work / "this" / "mastered.npy")
    frames = min(len(base), len(this))
    difference = float(np.max(np.abs(base[:frames] - this[:frames])))
    db = 20 * math.log10(difference) if difference > 0 else -math.inf
    loudness = [mix.integrated_lufs(song, SAMPLE_RATE) for song in (base, this)]
    peaks = [mix.true_peak_dbtp(song, SAMPLE_RATE) for song in (base, this)]
    say(f"mastered songs: largest sample difference {db:.1f} dBFS; loudness "
        f"{loudness[0]:.3f} / {loudness[1]:.3f} LUFS, true peak {peaks[0]:.2f} / "
        f"{peaks[1]:.2f} dBTP (baseline / this)")


if __name__ == "__main__":
    sys.exit(main())
