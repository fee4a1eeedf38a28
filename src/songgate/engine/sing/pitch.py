"""The f0 a note is sung at: the note's pitch, a glide in from the previous note and
a delayed vibrato. A flat machine pitch is what makes synthetic singing sound robotic;
these two ornaments are the cheapest cure and barely move the note's median pitch.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]

A4_HZ = 440.0
A4_MIDI = 69
GLIDE_S = 0.065  # portamento length ...
GLIDE_SHARE = 0.2  # ... at most this share of the sung part of a short note
VIBRATO_DELAY_S = 0.15  # a held note starts straight ...
VIBRATO_RAMP_S = 0.25  # ... and the vibrato grows over this long
VIBRATO_HZ = 5.5
VIBRATO_CENTS = 30.0


def midi_to_hz(pitch: float) -> float:
    return float(A4_HZ * 2.0 ** ((pitch - A4_MIDI) / 12.0))


@dataclass(frozen=True, slots=True)
class Ornament:
    """Per-note humanisation: small, seeded variations of the vibrato."""

    rate_hz: float = VIBRATO_HZ
    depth_cents: float = VIBRATO_CENTS
    phase: float = 0.0

    @classmethod
    def draw(cls, rng: np.random.Generator) -> Ornament:
        return cls(
            rate_hz=VIBRATO_HZ + float(rng.uniform(-0.3, 0.3)),
            depth_cents=VIBRATO_CENTS + float(rng.uniform(-6.0, 6.0)),
            phase=float(rng.uniform(0.0, 2.0 * np.pi)),
        )


def contour(
    n_frames: int,
    frame_s: float,
    pitch: int,
    *,
    onset_frame: int = 0,
    from_pitch: int | None = None,
    ornament: Ornament = Ornament(),  # frozen, so one shared default is safe
) -> FloatArray:
    """f0 in Hz for each output frame of a note; ornaments are timed from
    ``onset_frame``, where the voice starts (after an unvoiced consonant)."""
    t = (np.arange(n_frames, dtype=np.float64) - onset_frame) * frame_s
    cents = np.zeros(n_frames)
    if from_pitch is not None and from_pitch != pitch:
        glide = min(GLIDE_S, GLIDE_SHARE * max(t[-1], 0.0)) if n_frames else 0.0
        if glide > 0.0:
            span = np.clip(t / glide, 0.0, 1.0)
            cents += (from_pitch - pitch) * 100.0 * 0.5 * (1.0 + np.cos(np.pi * span))
    ramp = np.clip((t - VIBRATO_DELAY_S) / VIBRATO_RAMP_S, 0.0, 1.0)
    cents += (
        ornament.depth_cents * ramp * np.sin(2.0 * np.pi * ornament.rate_hz * t + ornament.phase)
    )
    return np.asarray(midi_to_hz(pitch) * 2.0 ** (cents / 1200.0), dtype=np.float64)
