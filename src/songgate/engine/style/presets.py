"""The genre presets that ``style.parse_style`` starts from.

Each preset is a sensible default arrangement for one family of Suno-style
tags; the words in the tags then nudge it (moods, instruments, tempo, key).
Kept apart from the parsing logic so the table reads as a table.

Chord progressions are roman numerals, one chord per bar. The vocabulary is
deliberately small so the composer can rely on it: a numeral I..VII whose
case gives the triad quality (upper major, lower minor), counted on the
scale of the style's mode (in minor, "VI" and "VII" are the natural-minor
sixth and seventh; "V" is the harmonic-minor dominant), optionally followed
by "7" (dominant or minor seventh, by case) or "maj7". Index 0 of a
preset's progressions suits verses, 1 choruses, 2 bridges; a fourth, when
present, is an alternative verse.
"""

from __future__ import annotations

from dataclasses import dataclass

from songgate.engine.types import Instrumentation, Mode

Progressions = tuple[tuple[str, ...], ...]


@dataclass(frozen=True, slots=True)
class Preset:
    """A genre's defaults. Tempo range in bpm; keys are tonic pitch classes
    that keep a voice around C4-C5 comfortable, per mode."""

    name: str
    tempo: tuple[int, int]
    mode: Mode
    instruments: Instrumentation
    drum_pattern: str
    major: Progressions
    minor: Progressions
    major_keys: tuple[int, ...]
    minor_keys: tuple[int, ...]
    swing: float = 0.0
    energy: float = 0.5


# Pitch classes, for readability of the key lists below.
C, Db, D, Eb, E, F, Gb, G, Ab, A, Bb, B = range(12)

_POP_MAJOR: Progressions = (
    ("I", "V", "vi", "IV"),
    ("vi", "IV", "I", "V"),
    ("IV", "V", "iii", "vi"),
    ("I", "vi", "IV", "V"),
)
_POP_MINOR: Progressions = (
    ("i", "VI", "III", "VII"),
    ("VI", "VII", "i", "i"),
    ("iv", "VI", "VII", "i"),
)

PRESETS: tuple[Preset, ...] = (
    Preset(
        name="pop",
        tempo=(96, 124),
        mode=Mode.MAJOR,
        instruments=Instrumentation(lead=80, comp=0, bass=33, pad=89, extras=(27,)),
        drum_pattern="backbeat",
        major=_POP_MAJOR,
        minor=_POP_MINOR,
        major_keys=(C, D, F, G, Eb),
        minor_keys=(A, E, D, C),
        energy=0.6,
    ),
    Preset(
        name="rock",
        tempo=(104, 148),
        mode=Mode.MAJOR,
        instruments=Instrumentation(lead=29, comp=30, bass=34, pad=None, drum_kit=16),
        drum_pattern="rock",
        major=(("I", "IV", "V", "IV"), ("I", "V", "vi", "IV"), ("vi", "IV", "I", "V")),
        minor=(("i", "VII", "VI", "VII"), ("i", "VI", "III", "VII"), ("iv", "VI", "VII", "VII")),
        major_keys=(E, A, D, G),
        minor_keys=(E, A, D, B),
        energy=0.8,
    ),
    Preset(
        name="ballad",
        tempo=(62, 80),
        mode=Mode.MAJOR,
        instruments=Instrumentation(lead=40, comp=0, bass=33, pad=48),
        drum_pattern="ballad",
        major=(
            ("I", "V", "vi", "iii", "IV", "I", "IV", "V"),
            ("IV", "V", "iii", "vi", "ii", "V", "I", "I"),
            ("vi", "IV", "I", "V"),
        ),
        minor=(
            ("i", "VI", "III", "VII"),
            ("VI", "VII", "i", "i", "iv", "v", "i", "i"),
            ("iv", "i", "V", "i"),
        ),
        major_keys=(C, F, G, Eb, D),
        minor_keys=(A, D, E, C),
        energy=0.35,
    ),
    Preset(
        name="salsa",
        tempo=(150, 180),
        mode=Mode.MINOR,
        instruments=Instrumentation(lead=56, comp=0, bass=32, pad=None, extras=(61, 57)),
        drum_pattern="clave",
        major=(("I", "IV", "V", "IV"), ("ii", "V", "I", "I"), ("I", "vi", "ii", "V")),
        minor=(("i", "iv", "V", "i"), ("i", "iv", "VII", "III"), ("VI", "iv", "V", "i")),
        major_keys=(C, F, G, D),
        minor_keys=(A, D, G, C),
        energy=0.75,
    ),
    Preset(
        name="edm",
        tempo=(120, 130),
        mode=Mode.MINOR,
        instruments=Instrumentation(lead=81, comp=90, bass=38, pad=89, drum_kit=24),
        drum_pattern="four_on_floor",
        major=(("I", "V", "vi", "IV"), ("vi", "IV", "I", "V"), ("IV", "I", "V", "vi")),
        minor=(("i", "VI", "III", "VII"), ("VI", "VII", "i", "i"), ("i", "iv", "VI", "V")),
        major_keys=(F, G, C, D),
        minor_keys=(F, G, A, C),
        energy=0.85,
    ),
    Preset(
        name="lofi",
        tempo=(70, 88),
        mode=Mode.MAJOR,
        instruments=Instrumentation(lead=11, comp=4, bass=33, pad=89, drum_kit=8),
        drum_pattern="lofi",
        major=(
            ("Imaj7", "vi7", "ii7", "V7"),
            ("IVmaj7", "iii7", "vi7", "ii7"),
            ("ii7", "V7", "Imaj7", "Imaj7"),
        ),
        minor=(
            ("i7", "iv7", "VIImaj7", "IIImaj7"),
            ("VImaj7", "v7", "i7", "i7"),
            ("iv7", "v7", "i7", "VImaj7"),
        ),
        major_keys=(C, F, D, Eb),
        minor_keys=(A, D, C, E),
        swing=0.18,
        energy=0.3,
    ),
    Preset(
        name="jazz",
        tempo=(96, 160),
        mode=Mode.MAJOR,
        instruments=Instrumentation(lead=65, comp=0, bass=32, pad=None, drum_kit=40),
        drum_pattern="jazz_swing",
        major=(
            ("ii7", "V7", "Imaj7", "Imaj7"),
            ("Imaj7", "vi7", "ii7", "V7"),
            ("iii7", "vi7", "ii7", "V7"),
        ),
        minor=(
            ("i7", "iv7", "V7", "i7"),
            ("VImaj7", "v7", "i7", "i7"),
            ("iv7", "VII7", "IIImaj7", "V7"),
        ),
        major_keys=(F, Bb, Eb, C),
        minor_keys=(C, D, G, F),
        swing=0.3,
        energy=0.5,
    ),
    Preset(
        name="folk",
        tempo=(84, 116),
        mode=Mode.MAJOR,
        instruments=Instrumentation(lead=110, comp=25, bass=32, pad=None, extras=(22,)),
        drum_pattern="folk",
        major=(("I", "IV", "I", "V"), ("IV", "I", "V", "I"), ("vi", "IV", "I", "V")),
        minor=(("i", "VII", "VI", "VII"), ("i", "iv", "i", "v"), ("III", "VII", "i", "i")),
        major_keys=(G, D, C, A),
        minor_keys=(E, A, D, B),
        energy=0.45,
    ),
    Preset(
        name="hiphop",
        tempo=(84, 96),
        mode=Mode.MINOR,
        instruments=Instrumentation(lead=4, comp=0, bass=38, pad=89),
        drum_pattern="boom_bap",
        major=(("I", "vi", "IV", "V"), ("vi", "IV", "I", "V"), ("ii", "V", "I", "I")),
        minor=(("i", "VI", "i", "VII"), ("i", "iv", "VI", "v"), ("VI", "VII", "i", "i")),
        major_keys=(C, F, G, D),
        minor_keys=(C, D, F, G),
        swing=0.1,
        energy=0.65,
    ),
    Preset(
        name="rnb",
        tempo=(68, 96),
        mode=Mode.MAJOR,
        instruments=Instrumentation(lead=65, comp=4, bass=33, pad=50),
        drum_pattern="backbeat",
        major=(
            ("Imaj7", "iii7", "vi7", "IVmaj7"),
            ("ii7", "iii7", "IVmaj7", "V7"),
            ("IVmaj7", "V7", "iii7", "vi7"),
        ),
        minor=(
            ("i7", "iv7", "v7", "i7"),
            ("VImaj7", "VII7", "i7", "i7"),
            ("iv7", "v7", "VImaj7", "V7"),
        ),
        major_keys=(Eb, F, C, Bb),
        minor_keys=(C, F, G, D),
        swing=0.12,
        energy=0.45,
    ),
    Preset(
        name="orchestral",
        tempo=(72, 104),
        mode=Mode.MINOR,
        instruments=Instrumentation(
            lead=60, comp=48, bass=43, pad=49, extras=(52, 61, 47), drum_kit=48
        ),
        drum_pattern="orchestral",
        major=(("I", "V", "vi", "IV"), ("IV", "I", "V", "vi"), ("vi", "iii", "IV", "V")),
        minor=(
            ("i", "VI", "III", "VII"),
            ("VI", "VII", "i", "i"),
            ("iv", "VI", "V", "V"),
        ),
        major_keys=(D, C, F, Eb),
        minor_keys=(D, C, A, E),
        energy=0.7,
    ),
    Preset(
        name="chinese",
        tempo=(66, 96),
        mode=Mode.MAJOR,
        instruments=Instrumentation(lead=73, comp=107, bass=32, pad=49, extras=(110,)),
        drum_pattern="chinese",
        # Chords rooted on pentatonic degrees (1 2 3 5 6) so a pentatonic
        # melody always finds a consonant tone.
        major=(
            ("I", "vi", "iii", "V"),
            ("I", "V", "vi", "iii", "IV", "I", "ii", "V"),
            ("vi", "iii", "IV", "I"),
        ),
        minor=(("i", "III", "VII", "i"), ("i", "v", "VII", "III"), ("iv", "v", "i", "i")),
        major_keys=(D, G, C, F),
        minor_keys=(A, D, E, G),
        energy=0.45,
    ),
)
