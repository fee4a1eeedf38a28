"""Whole songs from the offline engine: length, sections, energy and ending per style preset.

    .venv/bin/python -m benchmarks.arrangement [--quick]

For each of the twelve style presets (``--quick``: four of them) the real song is made
with ``make_song`` from a four-line lyric and from a sixteen-line one.  The score is
composed again from the same style, lyrics and seed (composing is deterministic) for its
section times.  Printed per song: clip length, the section list, whether an intro, an
outro and an instrumental section exist, chorus-minus-verse short-term loudness (LU) and
the ending.

Short-term loudness is BS.1770 loudness (pyloudnorm) of 3 s windows stepped by 1 s inside
each section of the mastered WAV; a kind's figure is the mean over all its windows.  The
ending is the level of the last 0.3 s against the loudest second of the last ten, in dB:
it decays when that is -18 dB or lower (a hard stop would be near 0 dB).
Exits 0 once measured, whether or not the targets are met.
"""

from __future__ import annotations

import argparse
import math
import tempfile
import time
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pyloudnorm
import soundfile

from benchmarks._common import render_table, say
from songgate.engine.compose.score import compose
from songgate.engine.request import SongRequest
from songgate.engine.song import make_song
from songgate.engine.style.parse import parse_style
from songgate.engine.style.presets import PRESETS
from songgate.engine.text.form import parse_form
from songgate.engine.types import Score, SectionKind

FOUR_LINES = """Rain on the window, light in the hall
I hear you singing over it all
Hold me a moment, hold me for good
I would stay longer if I could"""

SIXTEEN_LINES = """[Verse 1]
Rain on the window, light in the hall
I hear you singing over it all
Hold me a moment, hold me for good
I would stay longer if I could

[Chorus]
Oh we are running into the sun
Nothing can stop us now we are one
Sing it out loud and sing it again
We will be dancing until the end

[Verse 2]
Morning is breaking over the town
Nobody knows where we are bound
Carry the fire, carry the song
Hold on to the ones who carried you along

[Chorus]
Oh we are running into the sun
Nothing can stop us now we are one
Sing it out loud and sing it again
We will be dancing until the end"""

QUICK_PRESETS = ("pop", "ballad", "edm", "jazz")
MAX_SECONDS = 240.0
SEED = 7
TARGET_LU = 2.0
DECAYED_DB = -18.0

Audio = npt.NDArray[np.float32]


def short_term(audio: Audio, rate: int, start: float, end: float) -> list[float]:
    """Loudness of 3 s windows stepped by 1 s within [start, end) seconds."""
    meter = pyloudnorm.Meter(rate, block_size=3.0)
    values: list[float] = []
    at = start
    while at + 3.0 <= end + 1e-9:
        window = audio[round(at * rate) : round((at + 3.0) * rate)]
        value = float(meter.integrated_loudness(window))
        if math.isfinite(value):
            values.append(value)
        at += 1.0
    return values


def chorus_minus_verse(audio: Audio, rate: int, score: Score) -> float | None:
    found: dict[SectionKind, list[float]] = {SectionKind.CHORUS: [], SectionKind.VERSE: []}
    beats_per_bar = score.meter
    for span in score.sections:
        if span.kind in found:
            start = score.seconds_at(span.start_bar * beats_per_bar)
            end = score.seconds_at((span.start_bar + span.bars) * beats_per_bar)
            found[span.kind] += short_term(audio, rate, start, end)
    chorus, verse = found[SectionKind.CHORUS], found[SectionKind.VERSE]
    if not chorus or not verse:
        return None
    return float(np.mean(chorus) - np.mean(verse))


def ending_db(audio: Audio, rate: int) -> float:
    mono = audio.mean(axis=1) if audio.ndim == 2 else audio
    last = mono[-round(0.3 * rate) :]
    recent = mono[-round(10.0 * rate) :]
    second = rate
    loudest = max(
        float(np.sqrt(np.mean(recent[i : i + second] ** 2)))
        for i in range(0, max(1, len(recent) - second), rate // 4)
    )
    level = float(np.sqrt(np.mean(last**2)))
    return 20.0 * math.log10(max(level, 1e-9) / max(loudest, 1e-9))


def sections_text(score: Score) -> str:
    short = {
        SectionKind.INTRO: "I", SectionKind.VERSE: "V", SectionKind.PRE_CHORUS: "P",
        SectionKind.CHORUS: "C", SectionKind.BRIDGE: "B", SectionKind.OUTRO: "O",
        SectionKind.INSTRUMENTAL: "S",
    }  # fmt: skip
    return " ".join(
        short[s.kind] + ("+" if s.label.endswith("(lift)") else "") for s in score.sections
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="four presets instead of twelve")
    parser.add_argument("--presets", nargs="*", help="only these presets")
    args = parser.parse_args()
    names = QUICK_PRESETS if args.quick else tuple(p.name for p in PRESETS)
    if args.presets:
        names = tuple(args.presets)
    rows: list[list[str]] = []
    differences: list[float] = []
    lengths: dict[str, list[float]] = {"4": [], "16": []}
    with tempfile.TemporaryDirectory() as folder:
        for name in names:
            for lines, lyrics in (("4", FOUR_LINES), ("16", SIXTEEN_LINES)):
                request = SongRequest(lyrics=lyrics, tags=name, seed=SEED, max_seconds=MAX_SECONDS)
                began = time.perf_counter()
                files = make_song(request, Path(folder), stem=f"{name}-{lines}")
                wall = time.perf_counter() - began
                style = parse_style(name, "", seed=SEED)
                score = compose(style, parse_form(lyrics), seed=SEED, max_seconds=MAX_SECONDS)
                audio, rate = soundfile.read(files.wav, dtype="float32", always_2d=True)
                kinds = {s.kind for s in score.sections}
                lu = chorus_minus_verse(audio, rate, score)
                end = ending_db(audio, rate)
                if lu is not None:
                    differences.append(lu)
                lengths[lines].append(files.duration)
                rows.append([
                    f"{name} {lines}", f"{files.duration:.1f}", sections_text(score),
                    "yes" if SectionKind.INTRO in kinds else "NO",
                    "yes" if SectionKind.OUTRO in kinds else "NO",
                    "yes" if SectionKind.INSTRUMENTAL in kinds else "NO",
                    "-" if lu is None else f"{lu:+.1f}",
                    f"{end:.0f} {'decays' if end <= DECAYED_DB else 'STOPS'}",
                    f"{wall:.1f}",
                ])  # fmt: skip
                say(render_table(HEADERS, rows[-1:]).splitlines()[-1])
    say("")
    say(render_table(HEADERS, rows))
    say("")
    for lines, values in lengths.items():
        say(f"{lines}-line lyrics: length min {min(values):.1f} s, max {max(values):.1f} s")
    if differences:
        say(
            f"chorus - verse short-term loudness: mean {np.mean(differences):+.2f} LU, "
            f"min {min(differences):+.2f} LU (target mean >= {TARGET_LU:+.1f})"
        )


HEADERS = ["song", "seconds", "sections", "intro", "outro", "solo", "C-V LU", "end dB", "wall s"]

if __name__ == "__main__":
    main()
