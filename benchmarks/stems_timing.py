"""Stems and timed lyrics on real songs: how closely the stem clips (``Two``: vocals
and the instrumental, every other part; ``Twelve``: each part the song has) sum back to
the published mix, and how far each sung word's start lies from the nearest onset in
the vocal stem.

    nice python -m benchmarks.stems_timing

Prints, per song: the parts it has; for Two and Twelve, the sum-to-mix error in dB
below the mix (residual energy over mix energy; the stem clips are made as the STEM
task makes them, 16-bit WAVs like the song's) and the largest residual sample in
dBFS; and the median and 90th-percentile word-start error in ms, with the same starts
moved by ±40 ms as a control (the onset detector must tell them apart).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
import orjson
import soundfile
from tests.support.audio_analysis import onset_times

from songgate.engine.request import SongRequest
from songgate.engine.song import make_song
from songgate.providers.stem_clips import encode_stem

SONGS = (
    ("[Verse]\nSunday morning light on the window\nCoffee in my hand and nowhere to go\n"
     "[Chorus]\nHappy weekend, sing it with me\nHappy weekend, we are free\n", "upbeat pop", 7),
    ("[Verse]\nRain along the river road\nLanterns burning low\n[Chorus]\n"
     "Carry me home, carry me home\nOver the hills where the wild winds roam\n",
     "acoustic folk ballad", 12),
)


def _median_error(onsets: np.ndarray, starts: np.ndarray) -> tuple[float, float]:
    errors = np.array([np.min(np.abs(onsets - s)) for s in starts])
    return float(np.median(errors)), float(np.percentile(errors, 90))


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        for lyrics, tags, seed in SONGS:
            files = make_song(SongRequest(lyrics=lyrics, tags=tags, seed=seed, max_seconds=90),
                              Path(folder), stem=f"s{seed}")
            mix, rate = soundfile.read(files.wav, dtype="float64")
            parts = {n: soundfile.read(p, dtype="float64")[0] for n, p in files.stems.items()}
            band = [files.stems[n] for n in files.stems if n != "vocals"]
            groups = {"Two": [[files.stems["vocals"]], band],
                      "Twelve": [[path] for path in files.stems.values()]}
            errors = []
            for group, stems in groups.items():
                made = [encode_stem(paths, Path(folder), f"s{seed}-{group}-{n}")
                        for n, paths in enumerate(stems)]
                residual = sum(soundfile.read(m.wav, dtype="float64")[0] for m in made) - mix
                error_db = 10 * np.log10(np.sum(residual**2) / np.sum(mix**2))
                peak_db = 20 * np.log10(max(float(np.max(np.abs(residual))), 1e-12))
                errors.append(f"{group} ({len(stems)} clips) {error_db:6.1f} dB, "
                              f"largest residual sample {peak_db:6.1f} dBFS")
            assert files.timing is not None
            words = orjson.loads(files.timing.read_bytes())["aligned_words"]
            starts = np.array([w["start_s"] for w in words])
            onsets = onset_times(parts["vocals"], rate)
            median, p90 = _median_error(onsets, starts)
            moved = min(_median_error(onsets, starts + d)[0] for d in (-0.04, 0.04))
            print(f"{tags:22s} {files.duration:5.1f} s  parts {', '.join(files.stems)}\n"
                  f"    stems sum to the mix within: {'; '.join(errors)}\n"
                  f"    {len(words)} words: start error median {1000 * median:4.1f} ms, "
                  f"p90 {1000 * p90:5.1f} ms (moved 40 ms: median {1000 * moved:4.1f} ms)")


if __name__ == "__main__":
    main()
