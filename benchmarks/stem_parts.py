"""What keeping every part as a stem costs: the band rendered as the mix's three stems
(drums, bass, other: the baseline) and as one stem per part played (drums,
percussion, bass, guitar, keys, ...), then mixed, mastered and written (three 16-bit
WAVs against one 24-bit FLAC per part), on the same composed scores.

    nice python -m benchmarks.stem_parts

Prints per style: the parts, and the wall seconds of render, mix + master and write
for each way with the ratio fine/baseline. The two ways run alternately, twice each,
and the faster run of each counts, so a busy machine weighs on both alike.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from songgate.engine.compose.score import compose
from songgate.engine.encode.audio import write_flac, write_wav
from songgate.engine.master import mix
from songgate.engine.master.room import room_for
from songgate.engine.render.stems import render_stems
from songgate.engine.style.parse import parse_style
from songgate.engine.text.form import parse_form
from songgate.engine.types import SAMPLE_RATE

STYLES = ("upbeat pop", "acoustic folk ballad", "edm synthwave")
LYRICS = ("[Verse]\nSunday morning light on the window\nCoffee in my hand and nowhere to go\n"
          "[Chorus]\nHappy weekend, sing it with me\nHappy weekend, we are free\n")


T = TypeVar("T")


def _timed(step: Callable[[], T]) -> tuple[float, T]:
    started = time.perf_counter()
    result = step()
    return time.perf_counter() - started, result


def one_way(tags: str, fine: bool, folder: Path) -> tuple[list[str], list[float]]:
    style = parse_style(tags, "", seed=7)
    score = compose(style, parse_form(""), seed=7, max_seconds=90)
    render, stems = _timed(lambda: render_stems(score, sample_rate=SAMPLE_RATE, fine=fine))

    def mastered() -> dict[str, mix.Audio]:
        mixed = mix.mix_stems(stems.stems, None, SAMPLE_RATE,
                              room=room_for(style.genre), tempo=style.tempo)
        return mix.master_stems(mixed, SAMPLE_RATE)[1]

    master, parts = _timed(mastered)
    parts.pop("vocals", None)
    writer = write_flac if fine else write_wav
    suffix = "flac" if fine else "wav"
    write, _ = _timed(lambda: [writer(audio, SAMPLE_RATE, folder / f"{name}.{suffix}")
                               for name, audio in parts.items()])
    return sorted(parts), [render, master, write]


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        for tags in STYLES:
            best: dict[bool, list[float]] = {}
            names: dict[bool, list[str]] = {}
            for fine in (False, True, False, True):
                names[fine], seconds = one_way(tags, fine, Path(folder))
                best[fine] = [min(a, b) for a, b in zip(best.get(fine, seconds), seconds,
                                                         strict=True)]
            print(f"{tags}: parts {', '.join(names[True])}")
            for stage, base, fine_s in zip(("render", "mix+master", "write"), best[False],
                                           best[True], strict=True):
                print(f"    {stage:10s} three stems {base:6.2f} s   every part {fine_s:6.2f} s"
                      f"   ratio {fine_s / base:4.2f}")


if __name__ == "__main__":
    main()
