"""Which voice sings: Flite's for English when libflite is installed, else espeak-ng.

The ``voice`` argument of ``sing`` is "f"/"female", "m"/"male", a Flite voice
name (slt, rms, awb) or an espeak-ng variant. Flite's ``slt`` is the female
voice; ``rms`` is the male one: it is the most intelligible of Flite's male
voices when sung (see benchmarks/voice.py).
"""

from __future__ import annotations

from songgate.engine.sing import flite

FEMALE, MALE = "slt", "rms"
_FLITE = {"f": FEMALE, "female": FEMALE, "m": MALE, "male": MALE}
_ESPEAK = {FEMALE: "f", "rms": "m", "awb": "m"}


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


def describe() -> str:
    """What sings English on this machine, for ``songgate doctor``."""
    found = [name for name in (FEMALE, MALE) if flite.available(name)]
    if found:
        return f"Flite ({', '.join(found)}) whole phrases with the WORLD vocoder"
    return "espeak-ng syllable by syllable with the WORLD vocoder"
