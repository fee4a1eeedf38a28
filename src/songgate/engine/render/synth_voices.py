"""Pitched voices for the numpy synthesiser, one recipe per General MIDI family.

Each GM program maps to a :class:`Voice`: how its sound is made (decaying
additive partials, FM, a Karplus-Strong string, or a sustained wavetable
oscillator) plus its envelope and colour. :func:`render_note` turns a voice,
a pitch, a velocity and a held time into mono samples including the release.

Everything is exactly in tune: oscillators run on a phase accumulator at the
note's frequency and Karplus-Strong strings, whose loop length must be a
whole number of samples, are resampled to the exact pitch afterwards.
Wavetables keep only the harmonics below Nyquist for the note, so high notes
do not alias.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

import numpy as np
import numpy.typing as npt
from scipy.signal import lfilter

Samples = npt.NDArray[np.float32]
Kind = Literal["additive", "fm", "pluck", "sustain"]

_TABLE_SIZE = 2048
_MAX_RING_SECONDS = 4.0  # decaying voices are computed once per pitch up to this long


@dataclass(frozen=True, slots=True)
class Voice:
    """A recipe for one instrument sound. Times in seconds, levels 0..1."""

    name: str
    kind: Kind
    gain: float = 1.0  # balances voices against each other
    send: float = 0.2  # reverb send
    attack: float = 0.005
    decay: float = 0.0  # sustain voices: time to fall from peak to `sustain`
    sustain: float = 1.0
    release: float = 0.15
    # additive: partial frequency ratios and amplitudes; `ring` is the
    # fundamental's decay time constant at middle C (lower notes ring longer)
    ratios: tuple[float, ...] = (1.0,)
    amps: tuple[float, ...] = (1.0,)
    ring: float = 1.0
    damping: float = 0.4  # how much faster each higher partial decays
    inharmonic: float = 0.0  # piano-string stiffness
    # fm: modulator ratio, index at the onset and at rest, index decay time
    mod_ratio: float = 1.0
    index: tuple[float, float, float] = (2.0, 0.3, 0.4)
    # pluck: brightness of the excitation (0 dark .. 1 bright), loop decay time
    bright: float = 0.5
    # sustain: wavetable spectra (dark at rest, `bright_spectrum` at the onset)
    spectrum: str = "saw"
    bright_spectrum: str | None = None
    brightness_time: float = 0.1
    unison: int = 1
    detune_cents: float = 0.0
    vibrato_cents: float = 0.0
    vibrato_hz: float = 5.5
    tremolo: float = 0.0  # depth of an 8 Hz amplitude wobble (tremolo strings)
    breath: float = 0.0  # noise mixed into wind voices
    drive: float = 0.0  # tanh saturation (overdriven guitars)
    body: float = 0.0  # a pure sine at the fundamental, for weight (basses)


# --- spectra for wavetables: harmonic numbers (and the note frequency) → amplitudes ------


def _saw(k: npt.NDArray[np.float64], f0: float) -> npt.NDArray[np.float64]:
    return 1.0 / k


def _dark_saw(k: npt.NDArray[np.float64], f0: float) -> npt.NDArray[np.float64]:
    return 1.0 / k**1.6


def _soft(k: npt.NDArray[np.float64], f0: float) -> npt.NDArray[np.float64]:
    return np.exp(-0.7 * (k - 1)) / k


def _square(k: npt.NDArray[np.float64], f0: float) -> npt.NDArray[np.float64]:
    return np.where(k % 2 == 1, 1.0 / k, 0.0)


def _hollow(k: npt.NDArray[np.float64], f0: float) -> npt.NDArray[np.float64]:
    """Clarinet-like: odd harmonics strong, even ones faint, rolling off."""
    return np.where(k % 2 == 1, 1.0, 0.15) / k**1.3


def _organ(k: npt.NDArray[np.float64], f0: float) -> npt.NDArray[np.float64]:
    drawbars = {1: 1.0, 2: 0.8, 3: 0.55, 4: 0.4, 6: 0.22, 8: 0.3}
    return np.array([drawbars.get(int(h), 0.0) for h in k])


def _reed(k: npt.NDArray[np.float64], f0: float) -> npt.NDArray[np.float64]:
    """Saxophone / oboe: a nasal hump of harmonics around 1-1.5 kHz."""
    return (1.0 / k**0.8) * (0.35 + np.exp(-(((k * f0 - 1200.0) / 900.0) ** 2)))


def _flute(k: npt.NDArray[np.float64], f0: float) -> npt.NDArray[np.float64]:
    return np.where(k == 1, 1.0, 0.18 / k**2)


def _vowel(k: npt.NDArray[np.float64], f0: float) -> npt.NDArray[np.float64]:
    """'Ah': harmonics shaped by formants near 750, 1150 and 2700 Hz."""
    freq = k * f0
    formants = ((750.0, 200.0, 1.0), (1150.0, 250.0, 0.6), (2700.0, 400.0, 0.25))
    shape = sum(
        gain * np.exp(-(((freq - centre) / width) ** 2)) for centre, width, gain in formants
    )
    return (0.6 + shape) / k


_SPECTRA: dict[str, Callable[[npt.NDArray[np.float64], float], npt.NDArray[np.float64]]] = {
    "saw": _saw,
    "dark_saw": _dark_saw,
    "soft": _soft,
    "square": _square,
    "hollow": _hollow,
    "organ": _organ,
    "reed": _reed,
    "flute": _flute,
    "vowel": _vowel,
}
# spectra whose shape depends on the note (formants): tables are cached per pitch
_PITCHED_SPECTRA = frozenset({"reed", "vowel"})


# --- the voices --------------------------------------------------------------------------

# fmt: off

_PIANO = Voice(
    "piano", "additive", gain=0.9, send=0.22, release=0.25, ring=1.6, damping=0.45,
    ratios=tuple(float(k) for k in range(1, 11)),
    amps=(1.0, 0.55, 0.35, 0.25, 0.18, 0.12, 0.08, 0.06, 0.04, 0.03),
    inharmonic=0.0004,
)
_E_PIANO = Voice("e-piano", "fm", gain=0.9, send=0.22, release=0.3, ring=1.8, mod_ratio=1.0,
                 index=(2.2, 0.4, 0.25))
_CLAV = Voice("clavinet", "pluck", gain=0.7, send=0.12, release=0.06, ring=0.5, bright=0.95)
_HARPSICHORD = Voice("harpsichord", "pluck", gain=0.7, send=0.2, release=0.1, ring=1.2, bright=0.9)
_MALLET = Voice(
    "mallet", "additive", gain=0.8, send=0.25, release=0.3, ring=0.9, damping=1.5,
    ratios=(1.0, 3.93, 9.5), amps=(1.0, 0.35, 0.12),
)
_VIBES = Voice(
    "vibraphone", "additive", gain=0.8, send=0.3, release=0.4, ring=2.2, damping=1.0,
    ratios=(1.0, 4.0, 10.0), amps=(1.0, 0.3, 0.08), tremolo=0.3,
)
_BELL = Voice(
    "bell", "additive", gain=0.6, send=0.35, release=0.6, ring=2.0, damping=0.5,
    ratios=(1.0, 2.0, 2.76, 3.0, 4.07, 5.4), amps=(1.0, 0.6, 0.45, 0.3, 0.25, 0.15),
)
_GLOCK = Voice(
    "glockenspiel", "additive", gain=0.5, send=0.3, release=0.4, ring=1.2, damping=0.6,
    ratios=(1.0, 2.76, 5.4, 8.93), amps=(1.0, 0.4, 0.2, 0.1),
)
_ORGAN = Voice("organ", "sustain", gain=0.45, send=0.25, attack=0.01, release=0.06,
               spectrum="organ", vibrato_cents=6, vibrato_hz=6.5)
_REED_ORGAN = Voice("accordion", "sustain", gain=0.4, send=0.2, attack=0.04, release=0.1,
                    spectrum="reed", unison=2, detune_cents=8)
_NYLON = Voice("nylon guitar", "pluck", gain=0.85, send=0.22, release=0.12, ring=1.4, bright=0.35)
_STEEL = Voice("steel guitar", "pluck", gain=0.8, send=0.22, release=0.12, ring=1.8, bright=0.7)
_ELECTRIC = Voice("electric guitar", "pluck", gain=0.75, send=0.2, release=0.1, ring=1.6,
                  bright=0.5)
_MUTED = Voice("muted guitar", "pluck", gain=0.8, send=0.12, release=0.04, ring=0.18, bright=0.45)
_OVERDRIVE = Voice("overdriven guitar", "pluck", gain=0.35, send=0.18, release=0.1, ring=3.5,
                   bright=0.6, drive=5.0)
_DISTORTION = Voice("distortion guitar", "pluck", gain=0.3, send=0.18, release=0.1, ring=4.0,
                    bright=0.7, drive=9.0)
_HARMONICS = Voice("guitar harmonics", "additive", gain=0.6, send=0.3, ring=1.5, damping=2.0,
                   ratios=(1.0, 2.0, 4.0), amps=(1.0, 0.3, 0.1))
_BASS = Voice("bass", "pluck", gain=1.0, send=0.03, release=0.08, ring=2.5, bright=0.25, body=0.5)
_BASS_PICK = Voice("picked bass", "pluck", gain=1.0, send=0.03, release=0.06, ring=2.0,
                   bright=0.45, body=0.4)
_FRETLESS = Voice("fretless bass", "sustain", gain=0.9, send=0.04, attack=0.03, decay=1.5,
                  sustain=0.5, release=0.1, spectrum="soft", vibrato_cents=8, vibrato_hz=5.0)
_SLAP = Voice("slap bass", "pluck", gain=0.9, send=0.03, release=0.05, ring=1.2, bright=0.85,
              body=0.3)
_SYNTH_BASS = Voice("synth bass", "sustain", gain=0.7, send=0.03, attack=0.004, decay=0.4,
                    sustain=0.7, release=0.06, spectrum="dark_saw", bright_spectrum="saw",
                    brightness_time=0.12, body=0.6)
_VIOLIN = Voice("bowed string", "sustain", gain=0.5, send=0.3, attack=0.09, release=0.25,
                spectrum="saw", bright_spectrum=None, vibrato_cents=14, vibrato_hz=5.6, unison=1)
_TREMOLO = Voice("tremolo strings", "sustain", gain=0.5, send=0.32, attack=0.08, release=0.3,
                 spectrum="saw", unison=2, detune_cents=7, tremolo=0.6)
_PIZZICATO = Voice("pizzicato", "pluck", gain=0.8, send=0.28, release=0.08, ring=0.35, bright=0.4)
_HARP = Voice("harp", "pluck", gain=0.8, send=0.32, release=0.4, ring=2.0, bright=0.45)
_TIMPANI = Voice("timpani", "additive", gain=0.9, send=0.3, ring=1.0, damping=0.8,
                 ratios=(1.0, 1.5, 1.99, 2.44), amps=(1.0, 0.5, 0.3, 0.2))
_ENSEMBLE = Voice("string ensemble", "sustain", gain=0.35, send=0.38, attack=0.25, release=0.5,
                  spectrum="dark_saw", unison=3, detune_cents=9, vibrato_cents=8, vibrato_hz=5.0)
_SYNTH_STRINGS = Voice("synth strings", "sustain", gain=0.35, send=0.35, attack=0.15, release=0.45,
                       spectrum="saw", unison=2, detune_cents=10)
_CHOIR = Voice("choir", "sustain", gain=0.4, send=0.4, attack=0.2, release=0.45, spectrum="vowel",
               unison=3, detune_cents=10, vibrato_cents=10, vibrato_hz=5.2)
_BRASS = Voice("brass", "sustain", gain=0.45, send=0.25, attack=0.04, decay=0.3, sustain=0.8,
               release=0.12, spectrum="dark_saw", bright_spectrum="saw", brightness_time=0.15,
               vibrato_cents=8, vibrato_hz=5.5)
_BRASS_SECTION = Voice("brass section", "sustain", gain=0.35, send=0.25, attack=0.03, decay=0.3,
                       sustain=0.75, release=0.15, spectrum="dark_saw", bright_spectrum="saw",
                       brightness_time=0.12, unison=3, detune_cents=8)
_SAX = Voice("saxophone", "sustain", gain=0.45, send=0.25, attack=0.03, release=0.1,
             spectrum="reed", vibrato_cents=12, vibrato_hz=5.2, breath=0.04)
_CLARINET = Voice("clarinet", "sustain", gain=0.5, send=0.25, attack=0.04, release=0.1,
                  spectrum="hollow", vibrato_cents=4, breath=0.03)
_FLUTE = Voice("flute", "sustain", gain=0.6, send=0.3, attack=0.06, release=0.12,
               spectrum="flute", vibrato_cents=10, vibrato_hz=5.0, breath=0.08)
_SQUARE_LEAD = Voice("square lead", "sustain", gain=0.35, send=0.22, attack=0.005, release=0.08,
                     spectrum="square", unison=2, detune_cents=6, vibrato_cents=10)
_SAW_LEAD = Voice("saw lead", "sustain", gain=0.32, send=0.22, attack=0.005, release=0.08,
                  spectrum="saw", unison=2, detune_cents=7, vibrato_cents=10)
_PAD = Voice("pad", "sustain", gain=0.35, send=0.45, attack=0.6, release=0.9, spectrum="dark_saw",
             unison=3, detune_cents=12)
_WARM_PAD = Voice("warm pad", "sustain", gain=0.4, send=0.45, attack=0.5, release=0.9,
                  spectrum="soft", unison=3, detune_cents=10)
_SWEEP_PAD = Voice("sweep pad", "sustain", gain=0.35, send=0.45, attack=0.5, release=1.0,
                   spectrum="dark_saw", bright_spectrum="saw", brightness_time=1.5, unison=2,
                   detune_cents=12)
_SITAR = Voice("sitar", "pluck", gain=0.6, send=0.25, release=0.2, ring=2.0, bright=0.9, drive=1.5)
_BANJO = Voice("banjo", "pluck", gain=0.7, send=0.15, release=0.06, ring=0.7, bright=0.9)
_KOTO = Voice("koto", "pluck", gain=0.75, send=0.28, release=0.2, ring=1.5, bright=0.75)
_KALIMBA = Voice("kalimba", "additive", gain=0.7, send=0.28, ring=0.6, damping=2.5,
                 ratios=(1.0, 5.4), amps=(1.0, 0.25))
_FIDDLE = Voice("fiddle", "sustain", gain=0.45, send=0.28, attack=0.06, release=0.15,
                spectrum="reed", vibrato_cents=18, vibrato_hz=6.0)
_STEEL_DRUM = Voice("steel drum", "additive", gain=0.6, send=0.28, ring=0.9, damping=0.9,
                    ratios=(1.0, 2.0, 3.0, 4.4), amps=(1.0, 0.6, 0.25, 0.15))
_WOODBLOCK = Voice("woodblock", "additive", gain=0.7, send=0.12, ring=0.08, damping=1.0,
                   ratios=(1.0, 2.7), amps=(1.0, 0.4))
_DRUM_VOICE = Voice("melodic drum", "additive", gain=0.8, send=0.2, ring=0.35, damping=1.5,
                    ratios=(1.0, 1.59, 2.14), amps=(1.0, 0.4, 0.2))
_BLIP = Voice("effect", "additive", gain=0.5, send=0.3, ring=0.4, damping=1.0,
              ratios=(1.0, 2.0), amps=(1.0, 0.3))

# One voice per GM family of eight programs, then single-program exceptions.
_FAMILIES: tuple[Voice, ...] = (
    _PIANO, _MALLET, _ORGAN, _STEEL, _BASS, _VIOLIN, _ENSEMBLE, _BRASS,
    _SAX, _FLUTE, _SAW_LEAD, _PAD, _PAD, _KOTO, _DRUM_VOICE, _BLIP,
)
_PROGRAMS: dict[int, Voice] = {
    4: _E_PIANO, 5: _E_PIANO, 6: _HARPSICHORD, 7: _CLAV,
    8: _GLOCK, 9: _GLOCK, 10: _GLOCK, 11: _VIBES, 14: _BELL, 15: _KOTO,
    20: _REED_ORGAN, 21: _REED_ORGAN, 22: _REED_ORGAN, 23: _REED_ORGAN,
    24: _NYLON, 26: _ELECTRIC, 27: _ELECTRIC, 28: _MUTED, 29: _OVERDRIVE, 30: _DISTORTION,
    31: _HARMONICS,
    34: _BASS_PICK, 35: _FRETLESS, 36: _SLAP, 37: _SLAP, 38: _SYNTH_BASS, 39: _SYNTH_BASS,
    44: _TREMOLO, 45: _PIZZICATO, 46: _HARP, 47: _TIMPANI,
    50: _SYNTH_STRINGS, 51: _SYNTH_STRINGS, 52: _CHOIR, 53: _CHOIR, 54: _CHOIR, 55: _BRASS_SECTION,
    61: _BRASS_SECTION, 62: _BRASS_SECTION, 63: _BRASS_SECTION,
    68: _SAX, 71: _CLARINET,
    80: _SQUARE_LEAD, 82: _FLUTE, 83: _FLUTE, 85: _CHOIR,
    89: _WARM_PAD, 91: _CHOIR, 92: _WARM_PAD, 95: _SWEEP_PAD,
    96: _WARM_PAD, 98: _BELL, 102: _WARM_PAD,
    104: _SITAR, 105: _BANJO, 106: _BANJO, 108: _KALIMBA, 109: _REED_ORGAN, 110: _FIDDLE,
    111: _SAX,
    112: _BELL, 113: _BELL, 114: _STEEL_DRUM, 115: _WOODBLOCK,
}


# fmt: on


def voice_for(program: int) -> Voice:
    """The recipe used for a General MIDI program (0-127)."""
    program = max(0, min(127, program))
    return _PROGRAMS.get(program, _FAMILIES[program // 8])


def frequency(pitch: float) -> float:
    """Equal temperament, A4 (MIDI 69) = 440 Hz."""
    return float(440.0 * 2.0 ** ((pitch - 69) / 12))


# --- rendering ---------------------------------------------------------------------------


def render_note(voice: Voice, pitch: int, velocity: int, held: float, sample_rate: int) -> Samples:
    """Mono samples for one note held ``held`` seconds, release included, unit-ish peak.

    Loudness follows velocity; the caller scales by track volume. Decaying
    voices are computed once per (voice, pitch, velocity band) and cut to
    length, so repeated notes cost only a copy.
    """
    level = (max(1, min(127, velocity)) / 127) ** 1.5 * voice.gain
    band = _velocity_band(velocity)
    held_n = max(1, int(held * sample_rate))
    release_n = max(1, int(voice.release * sample_rate))
    if voice.kind == "sustain":
        wave = _sustained(voice, pitch, band, held_n, release_n, sample_rate)
        return np.asarray(wave * np.float32(level), dtype=np.float32)
    ring = _ringing(voice, pitch, band, sample_rate)
    total = held_n + release_n
    out = np.zeros(total, dtype=np.float32)
    take = min(total, ring.shape[0])
    out[:take] = ring[:take]
    fade = np.linspace(1.0, 0.0, release_n, dtype=np.float32) ** 2
    out[held_n:] *= fade
    out *= np.float32(level)
    return out


def _velocity_band(velocity: int) -> int:
    return min(3, max(0, (velocity - 1) // 32))


@lru_cache(maxsize=128)
def _ringing(voice: Voice, pitch: int, band: int, sample_rate: int) -> Samples:
    """The free decay of a struck or plucked note, computed once per pitch and velocity band."""
    f0 = frequency(pitch)
    # lower notes ring longer, about a factor of two every two octaves
    ring = voice.ring * 2.0 ** ((60 - pitch) / 24)
    length = int(min(_MAX_RING_SECONDS, 1.2 * ring * 4 + 0.05) * sample_rate)
    brightness = 0.55 + 0.15 * band
    if voice.kind == "additive":
        wave = _additive(voice, f0, ring, brightness, length, sample_rate)
    elif voice.kind == "fm":
        wave = _fm(voice, f0, ring, brightness, length, sample_rate)
    else:
        wave = _pluck(voice, f0, ring, brightness, length, sample_rate, seed=pitch)
    if voice.body:
        t = np.arange(length) / sample_rate
        wave = wave + voice.body * np.sin(2 * np.pi * f0 * t) * np.exp(-t / (ring * 1.5))
    if voice.drive:
        wave = np.tanh(voice.drive * wave) / math.tanh(voice.drive)
    wave = _declick(wave, sample_rate)
    tail = max(1, length // 8)  # long rings are cut at _MAX_RING_SECONDS: fade, don't click
    wave[-tail:] *= np.linspace(1.0, 0.0, tail) ** 2
    peak = float(np.max(np.abs(wave))) or 1.0
    out = np.asarray(wave / peak, dtype=np.float32)
    out.flags.writeable = False
    return out


def _additive(
    voice: Voice, f0: float, ring: float, brightness: float, length: int, sample_rate: int
) -> npt.NDArray[np.float64]:
    t = np.arange(length) / sample_rate
    wave = np.zeros(length)
    nyquist = 0.45 * sample_rate
    for index, (ratio, amp) in enumerate(zip(voice.ratios, voice.amps, strict=False)):
        k = index + 1
        stretch = math.sqrt(1.0 + voice.inharmonic * k * k) if voice.inharmonic else 1.0
        freq = f0 * ratio * stretch
        if freq >= nyquist:
            break
        tau = ring / (1.0 + voice.damping * index)
        weight = amp * brightness ** (index * 0.5)
        wave += weight * np.exp(-t / tau) * np.sin(2 * np.pi * freq * t + 0.3 * index)
    return wave


def _fm(
    voice: Voice, f0: float, ring: float, brightness: float, length: int, sample_rate: int
) -> npt.NDArray[np.float64]:
    """Two-operator FM: the modulation index falls from a bright onset to a mellow rest."""
    t = np.arange(length) / sample_rate
    start, rest, fall = voice.index
    index = (rest + (start - rest) * np.exp(-t / fall)) * brightness * 1.4
    modulator = np.sin(2 * np.pi * f0 * voice.mod_ratio * t)
    carrier = np.sin(2 * np.pi * f0 * t + index * modulator)
    return np.asarray(carrier * np.exp(-t / ring))


def _pluck(
    voice: Voice,
    f0: float,
    ring: float,
    brightness: float,
    length: int,
    sample_rate: int,
    *,
    seed: int,
) -> npt.NDArray[np.float64]:
    """Karplus-Strong: a noise burst circulating in a delay loop with an averaging filter.

    The loop, y[n] = x[n] + g·(y[n-N] + y[n-N-1])/2, is run a period at a time
    (every sample of a period depends only on the period before it), so the
    Python loop turns once per period rather than once per sample. Its pitch
    is sample_rate/(N + ½); the result is resampled to the exact frequency.
    """
    period = max(2, int(sample_rate / f0 - 0.5))
    generated_f0 = sample_rate / (period + 0.5)
    rate = f0 / generated_f0  # < 1: read the generated string slower
    need = int(length * rate) + 2
    # loop gain so the fundamental decays with time constant `ring`
    loss = math.cos(math.pi * generated_f0 / sample_rate)
    gain = math.exp(-1.0 / (ring * generated_f0)) / max(loss, 1e-3)
    gain = min(gain, 0.99995)  # the loop must lose energy at every frequency
    rng = np.random.default_rng(seed)
    burst = rng.uniform(-1.0, 1.0, period)
    cutoff = min(0.95, 0.08 + 0.85 * voice.bright * brightness)
    burst = lfilter([cutoff], [1.0, cutoff - 1.0], burst)  # darker burst, darker string
    burst -= burst.mean()
    y = np.zeros(need + period + 1)
    y[1 : period + 1] = burst
    half = 0.5 * gain
    start = period + 1
    while start < y.shape[0]:
        stop = min(start + period, y.shape[0])
        count = stop - start
        y[start:stop] = half * (
            y[start - period : start - period + count]
            + y[start - period - 1 : start - period - 1 + count]
        )
        start = stop
    string = y[1:]
    positions = np.arange(length) * rate
    return np.asarray(np.interp(positions, np.arange(string.shape[0]), string))


def _declick(wave: npt.NDArray[np.float64], sample_rate: int) -> npt.NDArray[np.float64]:
    ramp = min(wave.shape[0], max(1, int(0.002 * sample_rate)))
    wave = wave.copy()
    wave[:ramp] *= np.linspace(0.0, 1.0, ramp)
    return wave


# --- sustained (wavetable) voices ---------------------------------------------------------

_SustainKey = tuple[Voice, int, int, int, int, int]
_sustain_cache: dict[_SustainKey, Samples] = {}
_SUSTAIN_CACHE_BYTES = 48 * 1024 * 1024  # about 270 s of float32 notes


def _sustained(
    voice: Voice, pitch: int, band: int, held_n: int, release_n: int, sample_rate: int
) -> Samples:
    """A wavetable note; cached by length because arrangements repeat the same chords."""
    key = (voice, pitch, band, held_n, release_n, sample_rate)
    cached = _sustain_cache.get(key)
    if cached is not None:
        return cached
    wave = _oscillate(voice, pitch, band, held_n, release_n, sample_rate)
    if sum(cached.nbytes for cached in _sustain_cache.values()) > _SUSTAIN_CACHE_BYTES:
        _sustain_cache.clear()
    wave.flags.writeable = False
    _sustain_cache[key] = wave
    return wave


def clear_caches() -> None:
    """Drop cached note waveforms (at most ~50 MB of sustained notes and ~90 MB of rings)."""
    _sustain_cache.clear()
    _ringing.cache_clear()


def _oscillate(
    voice: Voice, pitch: int, band: int, held_n: int, release_n: int, sample_rate: int
) -> Samples:
    f0 = frequency(pitch)
    total = held_n + release_n
    t = np.arange(total, dtype=np.float64) / sample_rate
    bend = np.ones(total)
    if voice.vibrato_cents:
        onset = np.clip((t - 0.25) / 0.4, 0.0, 1.0)  # vibrato grows in after the attack
        cents = voice.vibrato_cents * onset * np.sin(2 * np.pi * voice.vibrato_hz * t)
        bend = 2.0 ** (cents / 1200.0)
    top = f0 * 2.0 ** ((voice.vibrato_cents + voice.detune_cents) / 1200.0)
    dark = _table(voice.spectrum, top, sample_rate, f0)
    bright = _table(voice.bright_spectrum, top, sample_rate, f0) if voice.bright_spectrum else None
    crossfade = None
    if bright is not None:
        crossfade = (0.4 + 0.2 * band) * np.exp(-t / voice.brightness_time)
    wave = np.zeros(total)
    for index in range(voice.unison):
        offset = 0.0
        if voice.unison > 1:
            offset = voice.detune_cents * (2 * index / (voice.unison - 1) - 1)
        step = f0 * 2.0 ** (offset / 1200.0) / sample_rate
        phase = np.cumsum(bend * step) if voice.vibrato_cents else step * np.arange(total)
        phase += 0.37 * index  # unison voices start out of phase
        position = (phase % 1.0) * _TABLE_SIZE
        whole = position.astype(np.int64)
        frac = position - whole
        sample = dark[whole] + frac * (dark[whole + 1] - dark[whole])
        if bright is not None and crossfade is not None:
            lit = bright[whole] + frac * (bright[whole + 1] - bright[whole])
            sample += crossfade * (lit - sample)
        wave += sample
    wave /= math.sqrt(voice.unison)
    if voice.body:
        wave += voice.body * np.sin(2 * np.pi * f0 * t)
    if voice.breath:
        rng = np.random.default_rng(pitch)
        noise = lfilter([0.3], [1.0, -0.7], rng.standard_normal(total))
        wave += voice.breath * noise * (1.0 + 2.0 * np.exp(-t / 0.05))
    if voice.tremolo:
        wave *= 1.0 - voice.tremolo * 0.5 * (1.0 + np.sin(2 * np.pi * 8.0 * t))
    wave *= _envelope(voice, t, held_n / sample_rate)
    return np.asarray(wave, dtype=np.float32)


def _envelope(voice: Voice, t: npt.NDArray[np.float64], held: float) -> npt.NDArray[np.float64]:
    """Attack, decay to sustain, then a squared fade over the release."""
    attack = max(voice.attack, 0.002)
    times = [0.0, attack, attack + max(voice.decay, 1e-4)]
    levels = [0.0, 1.0, voice.sustain]
    shape = np.interp(t, times, levels)
    at_release = float(np.interp(held, times, levels))
    after = np.clip(1.0 - (t - held) / max(voice.release, 1e-3), 0.0, 1.0) ** 2 * at_release
    return np.where(t < held, shape, after)


@lru_cache(maxsize=256)
def _table_for(name: str, harmonics: int, f0_key: float) -> npt.NDArray[np.float64]:
    k = np.arange(1, harmonics + 1, dtype=np.float64)
    amps = _SPECTRA[name](k, f0_key)
    phases = np.arange(_TABLE_SIZE + 1) / _TABLE_SIZE
    table = np.sin(2 * np.pi * np.outer(phases, k)) @ amps
    peak = float(np.max(np.abs(table))) or 1.0
    out = np.asarray(table / peak)
    out.flags.writeable = False
    return out


def _table(name: str, top_frequency: float, sample_rate: int, f0: float) -> npt.NDArray[np.float64]:
    """One period (plus a wrap-around sample) with the harmonics that stay below Nyquist."""
    harmonics = max(1, min(96, int(0.45 * sample_rate / top_frequency)))
    f0_key = round(f0, 2) if name in _PITCHED_SPECTRA else 0.0
    return _table_for(name, harmonics, f0_key)
