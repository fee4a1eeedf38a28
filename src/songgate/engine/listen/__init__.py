"""Listening to a song: what the composer needs, found in audio alone.

Pure functions of numpy audio and its sample rate (no files, no network): tempo and
beat grid, meter, key and mode, a chord per bar, the sung or lead melody as notes,
sections (repeats found by self-similarity) and loudness. :func:`listen` does all of
it; each module has one estimate.
"""

from songgate.engine.listen.analysis import listen
from songgate.engine.listen.types import (
    Analysis,
    BarChord,
    BeatGrid,
    Key,
    Loudness,
    MelodyNote,
    SongSection,
)

__all__ = [
    "Analysis",
    "BarChord",
    "BeatGrid",
    "Key",
    "Loudness",
    "MelodyNote",
    "SongSection",
    "listen",
]
