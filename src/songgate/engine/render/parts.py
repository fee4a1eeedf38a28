"""The score's tracks by the part of the band they play, finer than the mix's three stems.

A melodic track's part comes from its GM program family (pianos and organs are keys,
synth leads are synth, synth pads and choirs are pads, ...); a track named ``bass`` or
playing a GM bass is bass. The drum track is split note by note: the kit (kicks,
snares, toms, hi-hats, cymbals) is ``drums``, hand percussion (claps, tambourine,
cowbell, congas, shakers, ...) is ``percussion``. Every note lands in exactly one part,
so the parts rendered one by one sum to the band.
"""

from __future__ import annotations

from dataclasses import replace

from songgate.engine.types import DRUM_CHANNEL, Score, Track

# Every part a song may have, in the order stems are listed (vocals are the singer's).
PARTS: tuple[str, ...] = (
    "drums", "percussion", "bass", "guitar", "keys", "strings", "synth", "pads", "fx", "other",
)

# GM program families (program // 8) to parts; the rest is "other" (brass, reeds, pipes).
_FAMILIES: dict[int, str] = {
    0: "keys",  # pianos
    1: "percussion",  # chromatic percussion: celesta, glockenspiel, vibraphone, marimba
    2: "keys",  # organs
    3: "guitar",
    4: "bass",
    5: "strings",  # solo strings, harp, timpani (moved to percussion below)
    6: "strings",  # ensembles; choirs and the orchestra hit are moved below
    10: "synth",  # synth leads
    11: "pads",  # synth pads
    12: "fx",  # synth effects
    14: "percussion",  # tinkle bell, agogo, steel drums, woodblock, taiko, toms
    15: "fx",  # sound effects
}
_PROGRAMS: dict[int, str] = {47: "percussion", 52: "pads", 53: "pads", 54: "pads", 55: "fx",
                             104: "guitar", 105: "guitar", 106: "guitar", 107: "guitar"}
# GM drum keys of hand percussion (the rest of the channel is the kit).
_HAND_PERCUSSION = frozenset({39, 54, 56, 58, *range(60, 82)})


def part_of(track: Track) -> str:
    """The part a melodic track plays (the drum track is split by :func:`split`)."""
    if track.channel == DRUM_CHANNEL:
        return "drums"
    if track.name == "bass":
        return "bass"
    if track.name == "pad":
        return "pads"
    return _PROGRAMS.get(track.program, _FAMILIES.get(track.program // 8, "other"))


def split(score: Score) -> dict[str, tuple[Track, ...]]:
    """The score's tracks with notes, by part (every part present, maybe empty)."""
    parts: dict[str, list[Track]] = {name: [] for name in PARTS}
    for track in score.tracks:
        if not track.notes:
            continue
        if track.channel != DRUM_CHANNEL:
            parts[part_of(track)].append(track)
            continue
        hand = tuple(n for n in track.notes if n.pitch in _HAND_PERCUSSION)
        kit = tuple(n for n in track.notes if n.pitch not in _HAND_PERCUSSION)
        if kit:
            parts["drums"].append(replace(track, notes=kit))
        if hand:
            parts["percussion"].append(replace(track, notes=hand))
    return {name: tuple(tracks) for name, tracks in parts.items()}
