"""Sung English: how well a speech recogniser understands the engine's vocal stem.

    nice .venv/bin/python -m benchmarks.voice [--quick] [--voices f,m] [--sheet N]

Every lyric sheet of ``benchmarks/_voice_sheets.py`` (``--quick``: the first
three) is composed and sung through the engine's real path (``parse_style``,
``parse_form``, ``compose``, ``sing``), once per voice ("f": Flite slt, "m": Flite
rms; espeak-ng where libflite is missing), with the vocal line moved to the
voice's register as ``engine/song.py`` does. The vocal stem (before the mix) is
recognised by pocketsphinx (its en-us model from the wheel) and scored as word
error rate against the words the score actually sings. Side by side, the same
words *spoken* (line by line, 0.3 s apart) by the same Flite voice and by
espeak-ng give the recogniser's ceiling and the old voice's floor. Pitch: the
share of notes whose median f0 (Praat) is within 50 cents of the note.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from pocketsphinx import Decoder
from scipy.signal import resample_poly

from benchmarks._voice_sheets import SHEETS
from songgate.engine.compose.score import compose
from songgate.engine.sing import espeak, flite, voices
from songgate.engine.sing.measure import measure_pitch_accuracy
from songgate.engine.sing.vocals import sing
from songgate.engine.style.parse import parse_style
from songgate.engine.text.form import parse_form
from songgate.engine.types import Score

SR = 44_100
ASR_RATE = 16_000
SEED = 7
NOISE_FLOOR = 10.0 ** (-60.0 / 20.0)  # rms, against a peak of 0.7
_WORD = re.compile(r"[a-z']+")

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class Row:
    sheet: int
    voice: str
    words: int
    sung_errors: int
    spoken_errors: int
    espeak_errors: int
    pitch_share: float
    sing_seconds: float
    heard: str


def sung_lines(score: Score) -> list[str]:
    """The words the score sings, one string per phrase (cut at rests)."""
    lines: list[str] = []
    words: list[str] = []
    text = ""
    last_end = None
    for note in sorted(score.vocal, key=lambda n: n.start):
        if last_end is not None and note.start - last_end > 1e-6 and words:
            lines.append(" ".join(words))
            words = []
        text += note.syllable.text
        if note.syllable.word_end:
            words.extend(_WORD.findall(text.lower()))
            text = ""
        last_end = note.start + note.duration
    if text:
        words.extend(_WORD.findall(text.lower()))
    if words:
        lines.append(" ".join(words))
    return lines


def errors(reference: Sequence[str], heard: Sequence[str]) -> int:
    """Word-level edit distance (substitutions + deletions + insertions)."""
    row = list(range(len(heard) + 1))
    for i, ref in enumerate(reference, 1):
        prev, row[0] = row[0], i
        for j, word in enumerate(heard, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (ref != word))
    return row[-1]


class Recogniser:
    def __init__(self) -> None:
        self._decoder = Decoder(samprate=ASR_RATE)

    def words(self, audio: npt.NDArray[np.floating], rate: int) -> list[str]:
        x = np.asarray(audio, dtype=np.float64)
        if rate != ASR_RATE:
            x = resample_poly(x, ASR_RATE // 100, rate // 100)
        peak = float(np.max(np.abs(x))) if x.size else 0.0
        if peak > 0.0:
            x = x * (0.7 / peak)
        # A faint noise floor: long stretches of digital silence (the intro, the
        # breaths) throw the recogniser's normalisation off and it hears words there.
        x = x + np.random.default_rng(0).normal(0.0, NOISE_FLOOR, x.size)
        pcm = (np.clip(x, -1.0, 1.0) * 32767.0).astype("<i2").tobytes()
        self._decoder.start_utt()
        self._decoder.process_raw(pcm, full_utt=True)
        self._decoder.end_utt()
        hyp = self._decoder.hyp()
        return _WORD.findall(hyp.hypstr.lower()) if hyp is not None else []


def _spoken_flite(lines: Sequence[str], voice: str) -> tuple[FloatArray, int]:
    pieces: list[FloatArray] = []
    rate = 16_000
    for line in lines:
        said = flite.speak(line, voice)
        rate = said.rate
        pieces += [said.samples, np.zeros(int(0.3 * rate))]
    return np.concatenate(pieces), rate


def _spoken_espeak(lines: Sequence[str], voice: str) -> tuple[FloatArray, int]:
    pieces: list[FloatArray] = []
    rate = 22_050
    for line in lines:
        samples, rate = espeak.speak(line, espeak.espeak_voice("en", voice))
        pieces += [samples, np.zeros(int(0.3 * rate))]
    return np.concatenate(pieces), rate


def run(quick: bool, voice_names: Sequence[str], only: int | None = None) -> list[Row]:
    chosen = range(3) if quick else range(len(SHEETS))
    asr = Recogniser()
    rows: list[Row] = []
    for index in [only] if only is not None else chosen:
        tags, lyrics = SHEETS[index]
        style = parse_style(tags, "", seed=SEED + index)
        composed = compose(style, parse_form(lyrics), seed=SEED + index, max_seconds=240.0)
        lines = sung_lines(composed)
        reference = " ".join(lines).split()
        for voice in voice_names:
            started = time.perf_counter()
            score = voices.fit_register(composed, voice)  # as engine/song.py does
            vocal = sing(score, sample_rate=SR, voice=voice, seed=SEED + index)
            took = time.perf_counter() - started
            heard = asr.words(vocal, SR)
            name = voices.flite_voice(voice)
            spoken = asr.words(*_spoken_flite(lines, name)) if name else heard
            said = asr.words(*_spoken_espeak(lines, voices.espeak_variant(voice)))
            rows.append(
                Row(
                    sheet=index,
                    voice=voice,
                    words=len(reference),
                    sung_errors=errors(reference, heard),
                    spoken_errors=errors(reference, spoken),
                    espeak_errors=errors(reference, said),
                    pitch_share=measure_pitch_accuracy(vocal, SR, score),
                    sing_seconds=took,
                    heard=" ".join(heard),
                )
            )
            _print_row(rows[-1], tags, style.tempo)
    return rows


def _print_row(row: Row, tags: str, tempo: float) -> None:
    print(
        f"sheet {row.sheet:2d} {tags[:14]:<14} {tempo:5.0f} bpm voice {row.voice}: "
        f"words {row.words:3d}  WER sung {row.sung_errors / row.words:5.2f}  "
        f"spoken flite {row.spoken_errors / row.words:5.2f}  "
        f"espeak {row.espeak_errors / row.words:5.2f}  "
        f"pitch {row.pitch_share:6.1%}  sing {row.sing_seconds:5.1f} s",
        flush=True,
    )
    print(f"    heard: {row.heard[:150]}", flush=True)


def _summary(rows: Sequence[Row], voice_names: Sequence[str]) -> None:
    print()
    print(f"{'voice':<6} {'words':>6} {'sung WER':>9} {'spoken':>7} {'espeak':>7} {'pitch':>7}")
    for voice in voice_names:
        mine = [r for r in rows if r.voice == voice]
        words = sum(r.words for r in mine)
        label = voices.flite_voice(voice) or f"espeak {voices.espeak_variant(voice)}"
        print(
            f"{voice:<6} {words:6d} {sum(r.sung_errors for r in mine) / words:9.2f} "
            f"{sum(r.spoken_errors for r in mine) / words:7.2f} "
            f"{sum(r.espeak_errors for r in mine) / words:7.2f} "
            f"{np.mean([r.pitch_share for r in mine]):7.1%}   ({label})"
        )
    words = sum(r.words for r in rows)
    print(
        f"{'all':<6} {words:6d} {sum(r.sung_errors for r in rows) / words:9.2f} "
        f"{sum(r.spoken_errors for r in rows) / words:7.2f} "
        f"{sum(r.espeak_errors for r in rows) / words:7.2f} "
        f"{np.mean([r.pitch_share for r in rows]):7.1%}"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="3 sheets instead of all")
    parser.add_argument("--voices", default="f,m", help="comma-separated: f, m, slt, rms, awb")
    parser.add_argument("--sheet", type=int, help="only this sheet (0-based)")
    args = parser.parse_args(argv)
    voice_names = [v.strip() for v in args.voices.split(",") if v.strip()]
    rows = run(args.quick, voice_names, args.sheet)
    _summary(rows, voice_names)
    return 0


if __name__ == "__main__":
    sys.exit(main())
