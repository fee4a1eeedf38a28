"""Where each instrument sits in the stereo image, by its role in the arrangement.

The voice owns the centre, so the instruments that share its range move out
of the way: the lead that answers it and the comping part go to opposite
sides, the pad spreads further out, colour parts alternate at the edges. Bass
and drums stay in the middle, where low end belongs (a GM drum kit pans its
own pieces). Pans are MIDI CC10 values, 0 left .. 64 centre .. 127 right.
"""

from __future__ import annotations

from dataclasses import replace

from songgate.engine.types import DRUM_CHANNEL, Score, Track

CENTRE = 64
ROLE_PANS: dict[str, int] = {
    "lead": 82,  # a little right of the voice
    "comp": 40,  # left, against the lead
    "bass": CENTRE,
    "pad": 96,
    "drums": CENTRE,
}
EXTRA_PANS = (24, 104)  # extras alternate hard left and right


def pan_for(track: Track, index: int = 0) -> int:
    """The CC10 pan for ``track``; ``index`` counts colour parts to alternate their sides."""
    if track.channel == DRUM_CHANNEL:
        return CENTRE
    if track.name in ROLE_PANS:
        return ROLE_PANS[track.name]
    if track.name.startswith("extra"):
        return EXTRA_PANS[index % len(EXTRA_PANS)]
    return track.pan


def placed(score: Score) -> Score:
    """The score with every track's pan set by its role."""
    tracks: list[Track] = []
    extras = 0
    for track in score.tracks:
        tracks.append(replace(track, pan=pan_for(track, extras)))
        if track.name.startswith("extra"):
            extras += 1
    return replace(score, tracks=tuple(tracks))
