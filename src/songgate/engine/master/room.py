"""The space around the voice: a synthetic reverb and a tempo-synced echo, set by style.

A ballad gets a long, generous room and a quarter-note echo; hip-hop a short,
dry one; EDM and pop a dotted-eighth echo. The echo bounces between left and
right and is band-limited so it widens the voice without muddying it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import numpy.typing as npt
from scipy.signal import lfilter, oaconvolve

from songgate.engine.master.eq import highpass, lowpass

Audio = npt.NDArray[np.float32]


@dataclass(frozen=True, slots=True)
class Room:
    reverb: float = 0.18  # wet level against the dry voice
    decay_seconds: float = 1.8
    delay_beats: float = 0.0  # 0: no echo
    delay_feedback: float = 0.3  # each repeat this much quieter
    delay_level: float = 0.0  # first repeat's level against the dry voice


DEFAULT_ROOM = Room()
ROOMS: dict[str, Room] = {
    "pop": Room(0.16, 1.6, 0.75, 0.3, 0.12),
    "rock": Room(0.14, 1.4, 0.5, 0.25, 0.08),
    "ballad": Room(0.24, 2.4, 1.0, 0.35, 0.14),
    "salsa": Room(0.12, 1.2),
    "edm": Room(0.16, 1.8, 0.75, 0.4, 0.14),
    "lofi": Room(0.12, 1.2, 0.5, 0.25, 0.08),
    "jazz": Room(0.14, 1.6),
    "folk": Room(0.12, 1.4),
    "hiphop": Room(0.08, 1.0, 0.5, 0.2, 0.06),
    "rnb": Room(0.18, 1.8, 0.75, 0.3, 0.10),
    "orchestral": Room(0.26, 2.8),
    "chinese": Room(0.22, 2.2, 1.0, 0.3, 0.10),
}
_ECHO_REPEATS = 4


def room_for(genre: str) -> Room:
    return ROOMS.get(genre, DEFAULT_ROOM)


def voice_in_room(mono: Audio, sample_rate: int, room: Room, tempo: float) -> Audio:
    """The mono voice in the centre, plus its reverb and echo: stereo of the same length."""
    out = reverb(mono, sample_rate, amount=room.reverb, decay_seconds=room.decay_seconds)
    if room.delay_beats > 0 and room.delay_level > 0 and tempo > 0:
        seconds = room.delay_beats * 60.0 / tempo
        out += np.float32(room.delay_level) * echo(
            mono, sample_rate, seconds=seconds, feedback=room.delay_feedback
        )
    return out


def echo(mono: Audio, sample_rate: int, *, seconds: float, feedback: float) -> Audio:
    """Only the repeats of ``mono``: ping-pong left/right, 300 Hz-5 kHz, same length."""
    dry = np.asarray(mono, dtype=np.float32)
    out = np.zeros((dry.shape[0], 2), dtype=np.float32)
    step = round(seconds * sample_rate)
    if step <= 0 or dry.size == 0:
        return out
    tone = lowpass(highpass(dry, sample_rate, 300.0), sample_rate, 5000.0)
    for repeat in range(_ECHO_REPEATS):
        shift = step * (repeat + 1)
        if shift >= dry.shape[0]:
            break
        out[shift:, repeat % 2] += np.float32(feedback**repeat) * tone[:-shift]
    return out


def reverb(
    mono: npt.ArrayLike, sample_rate: int, *, amount: float, decay_seconds: float = 1.8
) -> Audio:
    """The mono signal in the centre of a stereo room: dry + ``amount`` x wet, same length."""
    dry = _mono(mono)
    out = np.repeat(dry[:, None], 2, axis=1)
    if amount > 0 and dry.size:
        out += np.float32(amount) * reverb_wet(dry, sample_rate, decay_seconds=decay_seconds)
    return out


def reverb_wet(mono: npt.ArrayLike, sample_rate: int, *, decay_seconds: float = 1.8) -> Audio:
    """Only the reverberation of ``mono``, as stereo of the same length (tail cut).

    A synthetic room: a few early reflections, then decaying noise whose highs
    die out twice as fast as its lows; left and right use different noise so
    the tail is wide. The impulse response has unit energy per channel, so the
    wet signal is about as loud as the dry one.
    """
    dry = _mono(mono)
    if dry.size == 0:
        return np.zeros((0, 2), dtype=np.float32)
    ir = _impulse_response(sample_rate, round(decay_seconds, 3))
    wet = oaconvolve(dry[:, None], ir, axes=0)[: dry.shape[0]]
    return np.asarray(wet, dtype=np.float32)


@lru_cache(maxsize=8)
def _impulse_response(sample_rate: int, decay_seconds: float) -> Audio:
    rng = np.random.default_rng(1770)
    length = max(16, int(decay_seconds * sample_rate))
    t = np.arange(length) / sample_rate
    noise = rng.standard_normal((length, 2))
    smooth = 1.0 - math.exp(-2 * math.pi * 3000.0 / sample_rate)
    low = lfilter([smooth], [1.0, smooth - 1.0], noise, axis=0)
    high = noise - low
    decay = 6.9 / decay_seconds  # e^-6.9 ≈ -60 dB at decay_seconds
    tail = low * np.exp(-decay * t)[:, None] + 0.5 * high * np.exp(-2 * decay * t)[:, None]
    tail *= np.minimum(1.0, t / 0.01)[:, None]  # a soft onset, no click
    predelay = int(0.018 * sample_rate)
    ir = np.zeros((length + predelay, 2))
    ir[predelay:] = tail * 0.35
    for index, (ms_left, ms_right, gain) in enumerate(
        ((7.0, 9.5, 0.8), (13.0, 11.0, 0.6), (21.0, 24.0, 0.45), (31.0, 28.5, 0.3))
    ):
        sign = -1.0 if index % 2 else 1.0
        ir[int(ms_left * sample_rate / 1000), 0] += sign * gain
        ir[int(ms_right * sample_rate / 1000), 1] += sign * gain
    ir /= np.sqrt(np.sum(ir**2, axis=0, keepdims=True))
    out = np.asarray(ir, dtype=np.float32)
    out.flags.writeable = False
    return out


def _mono(audio: npt.ArrayLike) -> Audio:
    data = np.asarray(audio, dtype=np.float32)
    if data.ndim == 2 and data.shape[1] in (1, 2):
        data = data.mean(axis=1, dtype=np.float32)
    if data.ndim != 1:
        raise ValueError(f"expected mono audio of shape (n,), got {data.shape}")
    return data
