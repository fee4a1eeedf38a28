"""The mix, measured: does the voice sit on top, do the stems add up, is delivery in spec.

    .venv/bin/python -m benchmarks.mix [--quick]

Part 1 makes one sung song per style preset with ``make_song``, each in its own
child process (``python -m benchmarks.mix --child``, job JSON on stdin) so its
peak memory (the child's process tree, fluidsynth and espeak-ng included) is its
own. From the files written it prints, per song: the vocal stem over the band
stems (every part but the voice) in 1-4 kHz while the voice sings, in dB (the mix
aims for at least 3); how far the stems' sum is from the song (the
residual's energy against the song's, in dB; the WAVs are 16-bit, so about -80
is the floor); integrated loudness (target -14 LUFS); true peak (ceiling -1 dBTP);
the stereo width of the band (side over mid energy, dB; -inf would be mono, above 0
much of it cancels in mono);
render-stage and whole-song wall seconds; and peak memory.

Part 2 renders the same styles' band stems with each installed candidate
SoundFont (the first is the one the engine uses): render seconds (and the ratio
to the first), and the band's spectral balance: its energy share in lows
(<250 Hz), mids (250 Hz-2 kHz), the words' range (1-4 kHz) and highs (>4 kHz); and
its width (side over mid, dB: above 0 the band loses more than it keeps in mono).
Exits 0 once measured, whether or not the aims are met.
"""

from __future__ import annotations

import argparse
import math
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import orjson
import soundfile

from benchmarks._common import render_table, say
from benchmarks._engine_common import MIB, run_json_child
from songgate.engine.compose.score import compose
from songgate.engine.master.balance import voice_over_band_db
from songgate.engine.master.mix import integrated_lufs, true_peak_dbtp
from songgate.engine.render.instruments import PREFERRED_SOUNDFONTS
from songgate.engine.render.stems import render_stems
from songgate.engine.request import SongRequest
from songgate.engine.song import make_song
from songgate.engine.style.parse import parse_style
from songgate.engine.text.form import parse_form
from songgate.engine.types import SAMPLE_RATE

STYLES = (
    "upbeat pop",
    "sad piano ballad",
    "hard rock",
    "edm dance",
    "smooth jazz",
    "lofi hip hop",
    "acoustic folk",
    "chinese traditional",
)
QUICK_STYLES = STYLES[:4]
SEED = 7
LYRICS = """[Verse]
Morning light is spilling on the kitchen floor
Coffee on the counter and a note beside the door
[Chorus]
Turn it up and let the summer in
Hold on tight and let the night begin
[Verse]
Evening settles gently on the rooftops and the trees
Someone plays guitar out where the river meets the breeze
[Chorus]
Turn it up and let the summer in
Hold on tight and let the night begin
"""
BANDS = {"low": (20.0, 250.0), "mid": (250.0, 2000.0), "words": (1000.0, 4000.0),
         "high": (4000.0, 20000.0)}


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.mix", description=__doc__.split("\n\n")[0],
    )
    parser.add_argument("--quick", action="store_true", help="four styles, 30-second songs")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


# -- the child: one song, its figures as one JSON line ---------------------------------------


def child() -> None:
    job = orjson.loads(sys.stdin.buffer.read())
    request = SongRequest(lyrics=LYRICS, tags=job["tags"], seed=SEED,
                          max_seconds=float(job["seconds"]))
    started = time.perf_counter()
    files = make_song(request, Path(job["out"]), stem="song")
    seconds = time.perf_counter() - started
    song, rate = soundfile.read(files.wav, dtype="float32", always_2d=True)
    stems = {name: soundfile.read(path, dtype="float32", always_2d=True)[0]
             for name, path in files.stems.items()}
    band = sum(audio for name, audio in stems.items() if name != "vocals")
    residual = sum(stems.values()) - song
    figures = {
        "genre": files.style.genre,
        "duration": files.duration,
        "voice_over_band": voice_over_band_db(stems["vocals"], band, rate),
        "residual": _db(float(np.sum(residual**2)), float(np.sum(song**2))),
        "lufs": integrated_lufs(song, rate),
        "true_peak": true_peak_dbtp(song, rate),
        "width": _width(band),
        "render": files.stage_seconds.get("render", 0.0),
        "seconds": seconds,
        "renderer": files.renderer,
    }
    sys.stdout.write(orjson.dumps(figures).decode() + "\n")


def _db(numerator: float, denominator: float) -> float:
    if numerator <= 0:
        return -math.inf
    return 10 * math.log10(numerator / denominator) if denominator > 0 else math.inf


# -- part 1 ----------------------------------------------------------------------------------


def songs(styles: Sequence[str], seconds: float) -> None:
    say(f"part 1: one sung song per style, up to {seconds:.0f} s each, seed {SEED}")
    rows: list[list[str]] = []
    for tags in styles:
        with tempfile.TemporaryDirectory(prefix="songgate-mix-") as out:
            run = run_json_child(["-m", "benchmarks.mix", "--child"],
                                 {"tags": tags, "out": out, "seconds": seconds}, timeout=600)
        if run.exit_code != 0 or not run.messages:
            rows.append([tags, "failed", *[""] * 9])
            say(run.stderr[-2000:])
            continue
        f: dict[str, Any] = run.messages[-1][1]
        rows.append([
            tags, f["genre"], f"{f['duration']:.0f}", f"{f['voice_over_band']:+.1f}",
            f"{f['residual']:.1f}", f"{f['lufs']:.2f}", f"{f['true_peak']:.2f}",
            f"{f['width']:.1f}", f"{f['render']:.2f}", f"{f['seconds']:.1f}",
            f"{run.tree_peak / MIB:.0f}",
        ])
    print(render_table(
        ["tags", "genre", "s", "voice/band dB", "stems resid dB", "LUFS", "dBTP",
         "width dB", "render s", "song s", "peak MiB"], rows))


# -- part 2 ----------------------------------------------------------------------------------


def soundfonts(styles: Sequence[str], seconds: float) -> None:
    fonts = [font for font in PREFERRED_SOUNDFONTS if font.is_file()]
    say(f"part 2: band stems rendered with {', '.join(f.name for f in fonts) or 'no SoundFont'}")
    rows: list[list[str]] = []
    form = parse_form(LYRICS)
    for tags in styles:
        style = parse_style(tags, "", seed=SEED)
        score = compose(style, form, seed=SEED, max_seconds=seconds)
        first = 0.0
        for font in fonts:
            started = time.perf_counter()
            stems = render_stems(score, soundfont=font, renderers=("fluidsynth",))
            took = time.perf_counter() - started
            first = first or took
            shares = _shares(stems.band)
            rows.append([
                tags, font.name, f"{took:.2f}", f"{took / first:.2f}x",
                *(f"{shares[name]:.1f}" for name in BANDS), f"{_width(stems.band):.1f}",
            ])
    print(render_table(["tags", "SoundFont", "render s", "ratio",
                        *(f"{name} dB" for name in BANDS), "width dB"], rows))


def _width(band: np.ndarray) -> float:
    """Side over mid energy in dB: above 0, more of the band cancels than adds in mono."""
    mid, side = band[:, 0] + band[:, 1], band[:, 0] - band[:, 1]
    return _db(float(np.sum(side**2)), float(np.sum(mid**2)))


def _shares(band: np.ndarray) -> dict[str, float]:
    mono = band.mean(axis=1)
    power = np.abs(np.fft.rfft(mono)) ** 2
    freqs = np.fft.rfftfreq(mono.shape[0], 1.0 / SAMPLE_RATE)
    total = float(power.sum())
    return {name: _db(float(power[(freqs >= lo) & (freqs < hi)].sum()), total)
            for name, (lo, hi) in BANDS.items()}


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    if args.child:
        child()
        return
    styles = QUICK_STYLES if args.quick else STYLES
    seconds = 30.0 if args.quick else 120.0
    songs(styles, seconds)
    soundfonts(styles, seconds)


if __name__ == "__main__":
    main()
