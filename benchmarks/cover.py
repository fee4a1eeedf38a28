"""How faithful and how fast a cover is.

    nice python -m benchmarks.cover [--songs 4] [--skip-timing]

Faithfulness: engine songs of several styles (the listening benchmark's, rendered once
into its cache with make_song) are each covered in another style from their audio, vocal
stem and sung words, as the local provider covers a clip of the engine. Printed per song
against the original's score (engine/truth.py's yardstick): the tempo error (a cover in
double or half time is marked), whether the key and mode are the same, the correlation
of the two vocal melodies' pitches over the syllables both sing (paired in lyric order;
goal >= 0.7), and whether the sung sections come in the same order.

Speed: a whole cover task of two clips for a three-minute upload (a rendered song's mix
alone: no stem, no words, as an upload is), each clip in its own render child as the
worker runs them, listening included (once for both: the task's scratch keeps what was
heard, engine/source.py); beside it the same two clips composed without a
cover (the baseline), and their ratio. The goal is 45 s wall on this machine; the load
average is printed beside it, as the machine is shared.
"""

from __future__ import annotations

import argparse
import difflib
import os
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

from benchmarks._listen_songs import BenchSong, bench_songs, rendered
from benchmarks.engine import LYRICS
from songgate.engine.cover import covered
from songgate.engine.request import CoverSource, SongRequest
from songgate.engine.scoring import composed, style_and_form
from songgate.engine.types import Score
from songgate.providers.render_job import RenderJob, job_to_json

COVER_STYLES = ("folk", "jazz", "rock", "ballad", "edm", "lofi")
GOAL_CORRELATION = 0.7
GOAL_SECONDS = 45.0
UPLOAD_SECONDS = 180.0
CLIP_SECONDS = 240.0  # the default model's longest song


def score_of(request: SongRequest) -> Score:
    style, form = style_and_form(request)
    return composed(request, style, form, request.max_seconds).score


def correlation(original: Score, cover: Score) -> tuple[float, int]:
    """Pitch correlation over the syllables both sing, paired in lyric order; pairs."""
    a = [(n.syllable.text, n.pitch) for n in original.vocal]
    b = [(n.syllable.text, n.pitch) for n in cover.vocal]
    matcher = difflib.SequenceMatcher(a=[t for t, _ in a], b=[t for t, _ in b], autojunk=False)
    pairs = [(a[block.a + k][1], b[block.b + k][1])
             for block in matcher.get_matching_blocks() for k in range(block.size)]
    if len(pairs) < 3:
        return 0.0, len(pairs)
    return float(np.corrcoef([p for p, _ in pairs], [q for _, q in pairs])[0, 1]), len(pairs)


def sung_order(score: Score) -> list[str]:
    """The sung sections' labels in order, a repeat in a row (an added chorus) once."""
    found: list[str] = []
    for section in score.sections:
        label = section.label.removesuffix(" (lift)")
        sung = any(section.start_bar * score.meter <= n.start
                   < (section.start_bar + section.bars) * score.meter for n in score.vocal)
        if sung and (not found or found[-1] != label):
            found.append(label)
    return found


def vocals_of(song: BenchSong) -> Path | None:
    for path in (song.vocals, song.folder / "song_vocals.flac"):
        if path.is_file():
            return path
    return None


def faithfulness(count: int) -> None:
    print(f"{'song':22s} {'cover':>7s} {'tempo':>15s} {'err%':>6s} {'key':>4s} "
          f"{'corr':>5s} {'pairs':>5s} {'order':>5s}")
    correlations, keys, orders, tempos = [], [], [], []
    for index, song in enumerate(bench_songs()[:count]):
        song = rendered(song)
        style = COVER_STYLES[index % len(COVER_STYLES)]
        if song.request.tags == style:
            style = COVER_STYLES[(index + 1) % len(COVER_STYLES)]
        source = CoverSource(song.mix, vocals_of(song), song.folder / "song.timing.json")
        request = replace(song.request, tags=style, seed=song.request.seed + 1,
                          style_seed=song.request.seed + 1, max_seconds=CLIP_SECONDS,
                          cover=source)
        original, cover = score_of(song.request), score_of(covered(request))
        ratio = cover.tempo / original.tempo
        near = min((0.5, 1.0, 2.0), key=lambda k: abs(ratio - k))
        error = 100.0 * abs(ratio - near) / near
        tempos.append(error <= 2.0)
        keys.append((cover.tonic, cover.mode) == (original.tonic, original.mode))
        value, pairs = correlation(original, cover)
        correlations.append(value)
        ours, theirs = sung_order(cover), sung_order(original)
        shorter = min(len(ours), len(theirs))
        orders.append(shorter > 0 and ours[:shorter] == theirs[:shorter])
        tempo = f"{cover.tempo:6.1f}/{original.tempo:5.1f}"
        shown_error = f"{error:5.2f}" + ("x" if near != 1.0 else " ")
        print(f"{song.name:22s} {style:>7s} {tempo:>15s} {shown_error:>6s}"
              f" {'yes' if keys[-1] else 'NO':>4s} {value:5.2f} {pairs:5d}"
              f" {'yes' if orders[-1] else 'NO':>5s}", flush=True)
    print()
    print(f"tempo within 2 % (x: double or half time): {np.mean(tempos):.2f} of songs")
    print(f"same key and mode: {np.mean(keys):.2f} of songs")
    mean = float(np.mean(correlations))
    verdict = "met" if mean >= GOAL_CORRELATION else "NOT met"
    print(f"melody contour correlation: mean {mean:.2f}, lowest {min(correlations):.2f} "
          f"(goal >= {GOAL_CORRELATION}: {verdict})")
    print(f"sung sections in the same order (the shorter song's a prefix of the other's): "
          f"{np.mean(orders):.2f} of songs")


def _render_pair(requests: list[SongRequest], out: Path) -> tuple[float, float]:
    """Seconds of wall time for the clips rendered side by side in render children, and
    the CPU seconds the children took (less swayed by a shared machine's load)."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    cpu = _children_cpu()
    started = time.perf_counter()
    children = []
    for number, request in enumerate(requests):
        job = RenderJob(song=request, out_dir=out, stem=f"clip{number}")
        child = subprocess.Popen([sys.executable, "-m", "songgate.providers.local_job"],
                                 stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env)
        assert child.stdin is not None
        child.stdin.write(job_to_json(job))
        child.stdin.close()
        children.append(child)
    for child in children:
        assert child.stdout is not None
        lines = child.stdout.read().decode().strip().splitlines()
        if child.wait() != 0 or '"result"' not in lines[-1]:
            raise RuntimeError(f"a render failed: {lines[-1] if lines else ''}")
    return time.perf_counter() - started, _children_cpu() - cpu


def _children_cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def speed() -> None:
    upload = BenchSong("upload-3min", SongRequest(lyrics=LYRICS, tags="pop", seed=5,
                                                 max_seconds=UPLOAD_SECONDS))
    if not upload.mix.exists():  # an upload is its mix alone: no stem is needed
        upload = rendered(upload)
    with tempfile.TemporaryDirectory() as work:
        out = Path(work)
        cover = [SongRequest(lyrics=LYRICS, tags="folk, acoustic guitar", seed=seed,
                             max_seconds=CLIP_SECONDS, cover=CoverSource(upload.mix),
                             listened_in=out)  # the task's scratch, as the worker shares it
                 for seed in (11, 12)]
        plain = [replace(request, cover=None) for request in cover]
        load = os.getloadavg()[0]
        base, base_cpu = _render_pair(plain, out)
        took, took_cpu = _render_pair(cover, out)
        load = max(load, os.getloadavg()[0])
    verdict = "met" if took <= GOAL_SECONDS else "NOT met"
    print(f"a cover task of two clips for a {UPLOAD_SECONDS:.0f} s upload: {took:.1f} s wall "
          f"(goal <= {GOAL_SECONDS:.0f} s: {verdict}); the same two clips without a cover: "
          f"{base:.1f} s, ratio {took / base:.2f}; load average up to {load:.1f} on "
          f"{os.cpu_count()} cores")
    print(f"CPU of the two render children: cover {took_cpu:.1f} s, without a cover "
          f"{base_cpu:.1f} s: the cover's own work {took_cpu - base_cpu:.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--songs", type=int, default=4, help="songs to cover")
    parser.add_argument("--skip-timing", action="store_true", help="faithfulness only")
    args = parser.parse_args()
    if args.songs > 0:
        faithfulness(args.songs)
    if not args.skip_timing:
        print()
        speed()


if __name__ == "__main__":
    main()
