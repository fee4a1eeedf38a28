"""Synthesised General MIDI drums for the numpy renderer.

Every hit is made from a few cheap ingredients: a sine swept down in pitch
(kicks, toms, congas), filtered noise (snares, hats, shakers), and a cluster
of inharmonic square waves (the classic analogue recipe for metal: hats,
cymbals, cowbell). A hit depends only on its note, the kit and the sample
rate, so it is computed once and reused; velocity only scales it.

Kits change a few recipes: the TR-808 kit (program 25) has a long booming
kick, the brush kit (40) a soft swishing snare.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

import numpy as np
import numpy.typing as npt
from scipy.signal import butter, sosfilt

Samples = npt.NDArray[np.float32]
Wave = npt.NDArray[np.float64]

TR808_KIT = 25
BRUSH_KIT = 40

# Where each piece sits in the stereo image, -1 left .. 1 right (drummer's view).
# fmt: off
_PAN: dict[int, float] = {
    42: 0.3, 44: 0.3, 46: 0.3, 49: -0.35, 57: 0.4, 51: 0.35, 59: 0.35, 53: 0.35,
    41: -0.35, 43: -0.25, 45: -0.1, 47: 0.05, 48: 0.15, 50: 0.25,
    60: -0.3, 61: -0.2, 62: 0.25, 63: 0.3, 64: 0.4, 65: -0.3, 66: -0.4,
    56: 0.2, 75: -0.25, 70: 0.45, 69: 0.45, 54: -0.45,
}
# fmt: on
# reverb send per piece: kicks dry, cymbals and hand percussion roomier
_SEND: dict[int, float] = {35: 0.02, 36: 0.02, 42: 0.06, 44: 0.06}


def drum_pan(note: int) -> float:
    """Stereo position of a drum piece, -1 (left) .. 1 (right)."""
    return _PAN.get(note, 0.0)


def drum_send(note: int) -> float:
    return _SEND.get(note, 0.15)


def drum_hit(note: int, velocity: int, kit: int, sample_rate: int) -> Samples:
    """One hit of a GM drum note at a velocity (mono, peak about the velocity's level)."""
    level = (max(1, min(127, velocity)) / 127) ** 1.4
    return np.asarray(_hit(note, kit, sample_rate) * np.float32(level), dtype=np.float32)


@lru_cache(maxsize=256)
def _hit(note: int, kit: int, sample_rate: int) -> Samples:
    recipe = _RECIPES.get(note, _click)
    wave = recipe(_Maker(sample_rate, seed=note * 131 + kit), kit)
    peak = float(np.max(np.abs(wave))) or 1.0
    out = np.asarray(wave / peak * _LEVEL.get(note, 0.8), dtype=np.float32)
    out.flags.writeable = False
    return out


# Relative loudness of the pieces in a balanced kit.
# fmt: off
_LEVEL: dict[int, float] = {
    35: 1.0, 36: 1.0, 38: 0.75, 40: 0.75, 37: 0.5, 39: 0.7, 42: 0.38, 44: 0.3, 46: 0.42,
    49: 0.5, 57: 0.5, 51: 0.4, 59: 0.4, 53: 0.45, 70: 0.3, 69: 0.3, 54: 0.35, 75: 0.45, 56: 0.45,
}
# fmt: on


class _Maker:
    """Building blocks for one hit: time axis, seeded noise, filters, envelopes."""

    def __init__(self, sample_rate: int, *, seed: int) -> None:
        self.sr = sample_rate
        self.rng = np.random.default_rng(seed)

    def time(self, seconds: float) -> Wave:
        return np.arange(int(seconds * self.sr), dtype=np.float64) * (1.0 / self.sr)

    def noise(self, t: Wave) -> Wave:
        return self.rng.standard_normal(size=(len(t),))

    def band(self, signal: Wave, low: float | None, high: float | None) -> Wave:
        nyquist = 0.49 * self.sr
        if low and high:
            sos = butter(2, [low, min(high, nyquist)], btype="bandpass", fs=self.sr, output="sos")
        elif low:
            sos = butter(2, min(low, nyquist), btype="highpass", fs=self.sr, output="sos")
        elif high:
            sos = butter(2, min(high, nyquist), btype="lowpass", fs=self.sr, output="sos")
        else:
            return signal
        return np.asarray(sosfilt(sos, signal))

    def sweep(self, t: Wave, start: float, end: float, fall: float) -> Wave:
        """A sine gliding from `start` to `end` Hz with time constant `fall`."""
        freq = end + (start - end) * np.exp(-t / fall)
        return np.sin(2 * np.pi * np.cumsum(freq) / self.sr)

    def metal(self, t: Wave, scale: float = 1.0) -> Wave:
        """Six detuned square waves at inharmonic ratios: the analogue cymbal recipe."""
        out = np.zeros_like(t)
        for freq in (205.3, 304.4, 369.6, 522.7, 540.0, 800.0):
            out += np.sign(np.sin(2 * np.pi * freq * scale * t + freq))
        return out

    @staticmethod
    def decay(t: Wave, seconds: float) -> Wave:
        return np.exp(-t / seconds)


def _kick(m: _Maker, kit: int) -> Wave:
    boom = kit == TR808_KIT
    t = m.time(1.4 if boom else 0.5)
    body = m.sweep(t, 150.0, 48.0 if boom else 52.0, 0.035) * m.decay(t, 0.45 if boom else 0.16)
    click = m.band(m.noise(t), 1500.0, 6000.0) * m.decay(t, 0.004)
    return body + (0.08 if kit == BRUSH_KIT else 0.3) * click


def _snare(m: _Maker, kit: int, *, tone: float = 185.0, snap: float = 0.075) -> Wave:
    if kit == BRUSH_KIT:
        t = m.time(0.45)
        swish = m.band(m.noise(t), 800.0, 7000.0)
        return swish * np.minimum(1.0, t / 0.012) * m.decay(t, 0.12)
    t = m.time(0.4)
    body = (np.sin(2 * np.pi * tone * t) + 0.5 * np.sin(2 * np.pi * tone * 1.78 * t)) * m.decay(
        t, 0.05
    )
    rattle = m.band(m.noise(t), 1200.0, 9000.0) * m.decay(t, snap)
    return body + 0.8 * rattle


def _electric_snare(m: _Maker, kit: int) -> Wave:
    return _snare(m, kit, tone=220.0, snap=0.055)


def _side_stick(m: _Maker, kit: int) -> Wave:
    t = m.time(0.08)
    return (np.sin(2 * np.pi * 1700.0 * t) + m.band(m.noise(t), 2000.0, 5000.0)) * m.decay(t, 0.012)


def _clap(m: _Maker, kit: int) -> Wave:
    t = m.time(0.35)
    noise = m.band(m.noise(t), 900.0, 2600.0)
    bursts = sum(np.where(t >= s, np.exp(-(t - s) / 0.005), 0.0) for s in (0.0, 0.011, 0.022))
    tail = np.where(t >= 0.03, np.exp(-(t - 0.03) / 0.07), 0.0)
    return noise * (bursts + 0.6 * tail)


def _hat(seconds: float, decay: float) -> Callable[[_Maker, int], Wave]:
    def recipe(m: _Maker, kit: int) -> Wave:
        t = m.time(seconds)
        sizzle = m.band(0.6 * m.metal(t, 1.6) + m.noise(t), 7000.0, None)
        return sizzle * m.decay(t, decay)

    return recipe


def _cymbal(seconds: float, decay: float, *, bell: float = 0.0) -> Callable[[_Maker, int], Wave]:
    def recipe(m: _Maker, kit: int) -> Wave:
        t = m.time(seconds)
        wash = m.band(0.5 * m.metal(t, 1.3) + m.noise(t), 4500.0, None) * m.decay(t, decay)
        ping = m.band(m.metal(t, 2.1), 3000.0, 8000.0) * m.decay(t, decay * 0.6)
        return wash * np.minimum(1.0, t / 0.002) + bell * ping

    return recipe


def _tom(freq: float, decay: float) -> Callable[[_Maker, int], Wave]:
    def recipe(m: _Maker, kit: int) -> Wave:
        t = m.time(decay * 5)
        body = m.sweep(t, freq * 1.5, freq, 0.04) * m.decay(t, decay)
        return body + 0.1 * m.band(m.noise(t), 300.0, 3000.0) * m.decay(t, 0.01)

    return recipe


def _hand_drum(freq: float, decay: float, slap: float) -> Callable[[_Maker, int], Wave]:
    def recipe(m: _Maker, kit: int) -> Wave:
        t = m.time(max(0.1, decay * 5))
        body = m.sweep(t, freq * 1.15, freq, 0.02) * m.decay(t, decay)
        return body + slap * m.band(m.noise(t), 1500.0, 6000.0) * m.decay(t, 0.006)

    return recipe


def _timbale(freq: float) -> Callable[[_Maker, int], Wave]:
    def recipe(m: _Maker, kit: int) -> Wave:
        t = m.time(0.6)
        partials = ((1.0, 1.0), (1.48, 0.5), (2.21, 0.35))
        shell = sum(amp * np.sin(2 * np.pi * freq * ratio * t) for ratio, amp in partials)
        rim = m.band(m.noise(t), 2000.0, 8000.0) * m.decay(t, 0.01)
        return shell * m.decay(t, 0.12) + 0.4 * rim

    return recipe


def _cowbell(m: _Maker, kit: int) -> Wave:
    t = m.time(0.35)
    tone = np.sign(np.sin(2 * np.pi * 540.0 * t)) + np.sign(np.sin(2 * np.pi * 800.0 * t))
    return m.band(tone, 500.0, 2500.0) * (0.7 * m.decay(t, 0.02) + 0.3 * m.decay(t, 0.12))


def _claves(m: _Maker, kit: int) -> Wave:
    t = m.time(0.12)
    return np.sin(2 * np.pi * 2500.0 * t) * m.decay(t, 0.025)


def _shaker(seconds: float, decay: float) -> Callable[[_Maker, int], Wave]:
    def recipe(m: _Maker, kit: int) -> Wave:
        t = m.time(seconds)
        return m.band(m.noise(t), 5000.0, None) * np.minimum(1.0, t / 0.006) * m.decay(t, decay)

    return recipe


def _tambourine(m: _Maker, kit: int) -> Wave:
    t = m.time(0.35)
    jingle = m.band(m.metal(t, 3.0) + m.noise(t), 6000.0, None)
    return jingle * np.minimum(1.0, t / 0.003) * m.decay(t, 0.08)


def _triangle(decay: float) -> Callable[[_Maker, int], Wave]:
    def recipe(m: _Maker, kit: int) -> Wave:
        t = m.time(decay * 5)
        tone = np.sin(2 * np.pi * 4500.0 * t) + 0.5 * np.sin(2 * np.pi * 6800.0 * t)
        return tone * m.decay(t, decay)

    return recipe


def _woodblock(freq: float) -> Callable[[_Maker, int], Wave]:
    def recipe(m: _Maker, kit: int) -> Wave:
        t = m.time(0.12)
        return np.sin(2 * np.pi * freq * t) * m.decay(t, 0.02)

    return recipe


def _click(m: _Maker, kit: int) -> Wave:
    """Anything not synthesised gets a short neutral tick, so rhythm is never lost."""
    t = m.time(0.05)
    return m.band(m.noise(t), 1000.0, 6000.0) * m.decay(t, 0.008)


# fmt: off
_RECIPES: dict[int, Callable[[_Maker, int], Wave]] = {
    35: _kick, 36: _kick, 37: _side_stick, 38: _snare, 40: _electric_snare, 39: _clap,
    42: _hat(0.15, 0.035), 44: _hat(0.2, 0.05), 46: _hat(0.9, 0.3),
    49: _cymbal(2.5, 0.9), 57: _cymbal(2.5, 0.9), 52: _cymbal(2.0, 0.7), 55: _cymbal(1.2, 0.35),
    51: _cymbal(2.0, 0.6, bell=0.5), 59: _cymbal(2.0, 0.6, bell=0.5),
    53: _cymbal(1.5, 0.5, bell=1.5),
    41: _tom(82.0, 0.3), 43: _tom(98.0, 0.28), 45: _tom(110.0, 0.25), 47: _tom(131.0, 0.22),
    48: _tom(156.0, 0.2), 50: _tom(185.0, 0.18),
    54: _tambourine, 56: _cowbell, 75: _claves,
    60: _hand_drum(400.0, 0.08, 0.3), 61: _hand_drum(300.0, 0.1, 0.3),
    62: _hand_drum(330.0, 0.04, 0.6), 63: _hand_drum(330.0, 0.16, 0.3),
    64: _hand_drum(220.0, 0.2, 0.25),
    65: _timbale(420.0), 66: _timbale(300.0),
    69: _shaker(0.2, 0.05), 70: _shaker(0.15, 0.035),
    76: _woodblock(1200.0), 77: _woodblock(900.0),
    80: _triangle(0.05), 81: _triangle(0.6),
}
# fmt: on
