"""Which voice sings: Flite's for English when libflite is installed, else espeak-ng.

The ``voice`` argument of ``sing`` is "f"/"female", "m"/"male", a Flite voice
name (slt, rms, awb) or an espeak-ng variant. Flite's ``slt`` is the female
voice; ``rms`` is the male one: it is the most intelligible of Flite's male
voices when sung (see benchmarks/voice.py).
"""

from __future__ import annotations

import dataclasses
import statistics

from songgate.engine.sing import flite
from songgate.engine.types import Score

FEMALE, MALE = "slt", "rms"
_FLITE = {"f": FEMALE, "female": FEMALE, "m": MALE, "male": MALE}
_ESPEAK = {FEMALE: "f", "rms": "m", "awb": "m"}

# Where each Flite voice sings best: the MIDI pitch its melody's median is moved
# near, by whole octaves. Sung far above its speaking pitch, a voice's vowels lose
# their formants (the harmonics are too sparse to draw them) and words blur:
# benchmarks/voice.py measured word error rates falling by about a third.
_CENTRE = {FEMALE: 57, "rms": 50, "awb": 50}


def flite_voice(voice: str) -> str | None:
    """The Flite voice for ``voice``, or None when it is not a Flite voice or
    libflite (or that voice) is not installed."""
    name = _FLITE.get(voice.lower(), voice.lower())
    if name not in flite.VOICES or not flite.available(name):
        return None
    return name


def espeak_variant(voice: str) -> str:
    """The espeak-ng variant argument for ``voice`` (Flite names map to f/m)."""
    return _ESPEAK.get(voice.lower(), voice)


def flite_voices() -> list[str]:
    """The female and male Flite voices that load on this machine."""
    return [name for name in (FEMALE, MALE) if flite.available(name)]


def describe() -> str:
    """What sings English on this machine."""
    found = flite_voices()
    if found:
        return f"Flite ({', '.join(found)}) whole phrases with the WORLD vocoder"
    return "espeak-ng syllable by syllable with the WORLD vocoder"


def fit_register(score: Score, voice: str) -> Score:
    """``score`` with its vocal line moved by whole octaves to suit the voice that
    will sing it (unchanged for espeak-ng, or when nothing is to be sung). Octaves
    keep the tune and its harmony with the accompaniment."""
    name = flite_voice(voice)
    if name is None or not score.vocal:
        return score
    median = statistics.median(n.pitch for n in score.vocal)
    shift = 12 * round((_CENTRE[name] - median) / 12)
    if shift == 0:
        return score
    vocal = tuple(dataclasses.replace(n, pitch=n.pitch + shift) for n in score.vocal)
    return dataclasses.replace(score, vocal=vocal)
