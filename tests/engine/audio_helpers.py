"""Hand-built scores and audio measurements for the render, master and encode tests."""

from __future__ import annotations

import json
import math
import subprocess
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from songgate.engine.types import DRUM_CHANNEL, Mode, Note, Score, Track

SR = 44_100


def score(*tracks: Track, tempo: float = 120.0, seconds: float = 10.0) -> Score:
    return Score(
        tempo=tempo,
        meter=4,
        tonic=9,
        mode=Mode.MINOR,
        total_beats=seconds * tempo / 60.0,
        tracks=tracks,
    )


def held_note(
    pitch: int = 69, program: int = 73, *, seconds: float = 10.0, tempo: float = 120.0
) -> Score:
    """One note held for all but the last second of the score."""
    beats = (seconds - 1.0) * tempo / 60.0
    track = Track("lead", program, 0, (Note(0.0, beats, pitch, 100),))
    return score(track, tempo=tempo, seconds=seconds)


def little_band(seconds: float = 8.0, tempo: float = 120.0, kit: int = 0) -> Score:
    """Piano chords, bass, a pad and a drum kit: the shape of a real arrangement."""
    bars = int(seconds * tempo / 60.0 / 4) - 1
    chords = ((57, 60, 64), (53, 57, 60), (48, 52, 55), (55, 59, 62))
    piano, bass, pad, drums = [], [], [], []
    for bar in range(bars):
        chord = chords[bar % 4]
        for beat in range(4):
            at = bar * 4 + beat
            piano += [Note(at, 0.9, pitch, 80) for pitch in chord]
            bass.append(Note(at, 0.9, chord[0] - 24, 95))
            drums.append(Note(at, 0.25, 36 if beat % 2 == 0 else 38, 100))
            drums += [Note(at + half, 0.25, 42, 70) for half in (0.0, 0.5)]
        pad += [Note(bar * 4, 4.0, pitch + 12, 60) for pitch in chord]
    return score(
        Track("piano", 0, 0, tuple(piano), pan=40),
        Track("bass", 33, 1, tuple(bass)),
        Track("pad", 89, 2, tuple(pad), volume=80, pan=90),
        Track("drums", kit, DRUM_CHANNEL, tuple(drums)),
        tempo=tempo,
        seconds=seconds,
    )


def strongest_frequency(audio: npt.ArrayLike, start: float, stop: float) -> float:
    """The frequency (Hz) of the largest spectral peak between two times, in seconds."""
    data = np.asarray(audio, dtype=np.float64)
    if data.ndim == 2:
        data = data.mean(axis=1)
    segment = data[int(start * SR) : int(stop * SR)]
    spectrum = np.abs(np.fft.rfft(segment * np.hanning(segment.shape[0])))
    freqs = np.fft.rfftfreq(segment.shape[0], 1.0 / SR)
    return float(freqs[int(np.argmax(spectrum))])


def rms_db(audio: npt.ArrayLike) -> float:
    data = np.asarray(audio, dtype=np.float64)
    value = float(np.sqrt(np.mean(data**2))) if data.size else 0.0
    return 20 * math.log10(value) if value > 0 else -math.inf


def ffprobe(path: Path) -> dict[str, Any]:
    result = subprocess.run(
        [
            "ffprobe", "-v", "error", "-of", "json",
            "-show_entries",
            "format=duration,bit_rate,format_name:"
            "stream=codec_type,codec_name,duration,bit_rate,sample_rate,channels,width,height,pix_fmt",
            str(path),
        ],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    parsed: dict[str, Any] = json.loads(result.stdout)
    return parsed


def streams(info: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [s for s in info.get("streams", []) if s.get("codec_type") == kind]
