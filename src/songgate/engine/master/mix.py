"""Mixing and mastering: the voice on top of the band, then loudness and peak control.

Streaming services play songs at about -14 LUFS and reject or mangle files
whose inter-sample peaks exceed about -1 dBTP, so :func:`master` brings every
song there: a gain to the target loudness, then a look-ahead peak limiter
(smooth gain reduction, never hard clipping), re-measured and repeated until
both numbers hold. Loudness is ITU-R BS.1770 as ``pyloudnorm`` measures it (:mod:`meter`);
the true peak is measured on a 4x oversampled signal.

:func:`mix_stems` works on stems: the band's (drums, bass, other) are levelled
together, the voice goes through its chain (:mod:`voice`: high-pass, presence
lift, compression) into its room (:mod:`room`: reverb and echo by style), and
while it sings the band is dipped and scooped in the presence range, the
comping and colour parts most, the bass not at all. :mod:`balance` then
checks the words stand out and lifts the voice if they do not.
:func:`master_stems` masters the sum and applies the very same gains to each
stem, so the mastered stems add up to the mastered mix.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import numpy.typing as npt
from scipy.ndimage import minimum_filter1d, uniform_filter1d
from scipy.signal import firwin, upfirdn

from songgate.engine.master.balance import lift_for
from songgate.engine.master.eq import apply, highpass, peaking
from songgate.engine.master.meter import gated_loudness
from songgate.engine.master.room import DEFAULT_ROOM, Room, voice_in_room
from songgate.engine.master.room import reverb as reverb
from songgate.engine.master.room import reverb_wet as reverb_wet
from songgate.engine.master.voice import vocal_chain

log = logging.getLogger(__name__)

Audio = npt.NDArray[np.float32]

# The instrumental bus is levelled here before the voice is laid over it; the
# voice sits VOCAL_OVER_BAND_LU above it (plus the caller's vocal_level_db).
BAND_LUFS = -20.0
VOCAL_OVER_BAND_LU = 1.0
# While the voice sings the band is turned down by up to DUCK_DB and its
# presence range (around SCOOP_HZ) lowered by up to SCOOP_DB.
DUCK_DB = 1.5
SCOOP_HZ = 2500.0
SCOOP_DB = -4.0

_BLOCK_SECONDS = 0.4  # BS.1770 gating block
_OVERSAMPLE = 4
_TP_TAPS = 64
_TP_CHUNK = 1 << 20


# --- measurement --------------------------------------------------------------------------


def integrated_lufs(audio: npt.ArrayLike, sample_rate: int) -> float:
    """Integrated loudness (BS.1770, gated) in LUFS; ``-inf`` for silence.

    Input shorter than one 400 ms gating block is measured as if padded with
    silence to one block, so very short sounds get a (low) finite value
    instead of an error.
    """
    data = np.asarray(audio, dtype=np.float32)
    if data.size == 0:
        return -math.inf
    block = math.ceil(_BLOCK_SECONDS * sample_rate) + 1
    if data.shape[0] < block:
        pad = [(0, block - data.shape[0])] + [(0, 0)] * (data.ndim - 1)
        data = np.pad(data, pad)
    return gated_loudness(data, sample_rate)


def true_peak_dbtp(audio: npt.ArrayLike, sample_rate: int) -> float:
    """True peak in dBTP: the peak of the signal oversampled 4x (``-inf`` for silence).

    The oversampling filter is a 64-tap Kaiser-windowed sinc (16 taps per
    phase), in the spirit of BS.1770 Annex 2; it runs in chunks so a long song
    never needs four copies of itself in memory.
    """
    data = np.asarray(audio, dtype=np.float32)
    if data.size == 0:
        return -math.inf
    if data.ndim == 1:
        data = data[:, None]
    taps = _oversampling_filter()
    context = _TP_TAPS // _OVERSAMPLE
    peak = float(np.max(np.abs(data)))
    for start in range(0, data.shape[0], _TP_CHUNK):
        lo = max(0, start - context)
        hi = min(data.shape[0], start + _TP_CHUNK + context)
        upsampled = upfirdn(taps, data[lo:hi], up=_OVERSAMPLE, axis=0)
        peak = max(peak, float(np.max(np.abs(upsampled))))
    del sample_rate  # the filter is relative to the sample rate
    return 20.0 * math.log10(peak) if peak > 0 else -math.inf


@lru_cache(maxsize=1)
def _oversampling_filter() -> npt.NDArray[np.float32]:
    # Cutoff just under the original Nyquist (0.25 of the oversampled one);
    # the gain of 4 restores the level lost by zero-stuffing.
    taps = firwin(_TP_TAPS, 0.24, window=("kaiser", 7.0)) * _OVERSAMPLE
    return np.asarray(taps, dtype=np.float32)


# --- mixing -------------------------------------------------------------------------------

VOCALS = "vocals"
# How deep each band stem is scooped around SCOOP_HZ while the voice sings (dB).
STEM_SCOOP_DB: dict[str, float] = {
    "other": SCOOP_DB, "drums": -2.0, "percussion": -2.0, "bass": 0.0,
}


def mix_stems(
    band: Mapping[str, npt.ArrayLike],
    vocals: npt.ArrayLike | None,
    sample_rate: int,
    *,
    room: Room = DEFAULT_ROOM,
    tempo: float = 120.0,
    vocal_level_db: float = 0.0,
    vocal_gain: npt.ArrayLike | None = None,
) -> dict[str, Audio]:
    """Band stems (n, 2) and mono vocals (m,) → mixed stems, all (max(n, m), 2), before mastering.

    The band stems keep their names and balance; the result adds ``"vocals"``
    (silence for an instrumental). The band as a whole is levelled to
    BAND_LUFS, the voice with its room to VOCAL_OVER_BAND_LU +
    ``vocal_level_db`` above that, then lifted if :mod:`balance` finds the
    words under the band. ``vocal_gain`` (linear, per frame; :mod:`effort`)
    rides the voice after its compressor, section by section; the band is
    ducked wherever the voice sings, whatever its level. The stems are not
    limited and their sum may exceed full scale; :func:`master_stems` follows.
    """
    stems = {name: _stereo(audio) for name, audio in band.items()}
    voice = _mono(vocals) if vocals is not None else np.zeros(0, dtype=np.float32)
    frames = max([voice.shape[0], *(stem.shape[0] for stem in stems.values())])
    stems = {name: _pad(stem, frames) for name, stem in stems.items()}
    level = _gain_for(_sum(stems.values(), frames), sample_rate, BAND_LUFS)
    for stem in stems.values():
        stem *= np.float32(level)
    silent = np.zeros((frames, 2), dtype=np.float32)
    voice = _pad(voice, frames)
    if not np.any(voice):
        return {**stems, VOCALS: silent}
    voice = vocal_chain(voice, sample_rate)
    presence = _vocal_presence(voice, sample_rate)
    if vocal_gain is not None:
        voice = voice * _held(np.asarray(vocal_gain, dtype=np.float32), frames)
    voice_bus = voice_in_room(voice, sample_rate, room, tempo)
    voice_loudness = integrated_lufs(voice_bus, sample_rate)
    if math.isinf(voice_loudness) or voice_loudness < -70:
        return {**stems, VOCALS: silent}
    voice_bus *= np.float32(
        _db_to_gain(BAND_LUFS + VOCAL_OVER_BAND_LU + vocal_level_db - voice_loudness)
    )
    ducking = _db_to_gain(-DUCK_DB * presence).astype(np.float32)[:, None]
    for name, stem in stems.items():
        depth = STEM_SCOOP_DB.get(name, SCOOP_DB)
        if depth < 0:
            scooped = apply(stem, peaking(sample_rate, SCOOP_HZ, depth, q=0.8))
            stem += presence[:, None] * (scooped - stem)
        stem *= ducking
    lift = lift_for(voice_bus, _sum(stems.values(), frames), sample_rate)
    if lift > 0:
        voice_bus *= np.float32(_db_to_gain(lift))
    return {**stems, VOCALS: voice_bus}


def mix(
    instruments: npt.ArrayLike,
    vocals: npt.ArrayLike | None,
    sample_rate: int,
    *,
    room: Room = DEFAULT_ROOM,
    tempo: float = 120.0,
    vocal_level_db: float = 0.0,
) -> Audio:
    """Instrumental (n, 2) plus mono vocals (m,) → stereo (max(n, m), 2).

    :func:`mix_stems` with the whole band as one stem, summed.
    """
    stems = mix_stems(
        {"other": instruments}, vocals, sample_rate,
        room=room, tempo=tempo, vocal_level_db=vocal_level_db,
    )  # fmt: skip
    return _sum(stems.values(), stems[VOCALS].shape[0])


def _sum(stems: Iterable[Audio], frames: int) -> Audio:
    total = np.zeros((frames, 2), dtype=np.float32)
    for stem in stems:
        total += stem
    return total


def _vocal_presence(voice: Audio, sample_rate: int) -> Audio:
    """0..1: how much the voice is singing, smoothed so the band moves gently."""
    level = uniform_filter1d(np.abs(voice), size=max(1, int(0.03 * sample_rate)))
    audible = level[level > 1e-4 * max(1e-12, float(level.max()))]
    if audible.size == 0:
        return np.zeros_like(voice)
    presence = np.clip(level / np.percentile(audible, 75), 0.0, 1.0)
    smooth = max(1, int(0.15 * sample_rate))
    presence = uniform_filter1d(uniform_filter1d(presence, smooth), smooth)
    return np.asarray(presence, dtype=np.float32)


def _gain_for(audio: Audio, sample_rate: int, target_lufs: float) -> float:
    loudness = integrated_lufs(audio, sample_rate)
    if math.isinf(loudness) or loudness < -70:
        return 1.0
    return float(_db_to_gain(target_lufs - loudness))


# --- mastering ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Mastering:
    """What mastering does to a signal: an optional 20 Hz high-pass, then a gain per frame.

    Both are linear given the gain curve, so applying them to each stem of a
    mix gives stems that sum to the mastered mix.
    """

    gain: Audio  # (frames,) linear gain: loudness gain times the limiter's reduction
    highpass: bool = True

    def apply(self, audio: npt.ArrayLike, sample_rate: int) -> Audio:
        data = np.asarray(audio, dtype=np.float32)
        if data.ndim != 2 or data.shape[1] != 2:
            data = _stereo(data)
        if self.highpass:
            data = highpass(data, sample_rate, 20.0)  # DC and rumble only cost headroom
        return np.asarray(data * self.gain[: data.shape[0], None], dtype=np.float32)


def master(
    audio: npt.ArrayLike,
    sample_rate: int,
    *,
    target_lufs: float = -14.0,
    ceiling_dbtp: float = -1.0,
) -> Audio:
    """Stereo at ``target_lufs`` ±0.5 LU integrated with true peak ≤ ``ceiling_dbtp``.

    Silence and input shorter than a gating block come back unchanged (mono as
    centred stereo), except that a short sound over the ceiling is turned down
    to it. :func:`mastering` says how.
    """
    data = _stereo(audio)
    settings = mastering(data, sample_rate, target_lufs=target_lufs, ceiling_dbtp=ceiling_dbtp)
    return settings.apply(data, sample_rate)


def master_stems(
    stems: Mapping[str, npt.ArrayLike],
    sample_rate: int,
    *,
    target_lufs: float = -14.0,
    ceiling_dbtp: float = -1.0,
) -> tuple[Audio, dict[str, Audio]]:
    """The mastered sum of ``stems`` and each stem with the same mastering applied.

    The mastered mix is the sum of the mastered stems, which equals the sum mastered
    (both steps are linear once the gain curve is known) without filtering it again.
    """
    stereo = {name: _stereo(stem) for name, stem in stems.items()}
    frames = max((stem.shape[0] for stem in stereo.values()), default=0)
    stereo = {name: _pad(stem, frames) for name, stem in stereo.items()}
    settings = mastering(
        _sum(stereo.values(), frames), sample_rate,
        target_lufs=target_lufs, ceiling_dbtp=ceiling_dbtp,
    )  # fmt: skip
    mastered = {name: settings.apply(stem, sample_rate) for name, stem in stereo.items()}
    return _sum(mastered.values(), frames), mastered


def mastering(
    audio: Audio,
    sample_rate: int,
    *,
    target_lufs: float = -14.0,
    ceiling_dbtp: float = -1.0,
) -> Mastering:
    """The gains that bring stereo ``audio`` to ``target_lufs`` under ``ceiling_dbtp``.

    Gain, then the look-ahead limiter, then measure. The limiter takes some
    loudness away, so the gain is corrected (by the secant through the last
    two tries, since heavy limiting makes loudness grow slower than gain) and
    the limiter's threshold is lowered by any inter-sample overshoot, until
    both hold; songs need one to three rounds.
    """
    frames = audio.shape[0]
    if frames <= _BLOCK_SECONDS * sample_rate or not np.any(audio):
        # too short to measure loudness: only keep it under the ceiling
        peak = true_peak_dbtp(audio, sample_rate)
        scale = _db_to_gain(ceiling_dbtp - peak - 0.05) if peak > ceiling_dbtp else 1.0
        return Mastering(np.full(frames, scale, dtype=np.float32), highpass=False)
    data = highpass(audio, sample_rate, 20.0)
    loudness = integrated_lufs(data, sample_rate)
    if math.isinf(loudness) or loudness < -70:
        return Mastering(np.ones(frames, dtype=np.float32))
    gain_db = target_lufs - loudness
    threshold_db = ceiling_dbtp - 0.5
    tried: list[tuple[float, float]] = []
    curve = np.ones(frames, dtype=np.float32)
    peak = math.inf
    for _ in range(_MASTER_ROUNDS):
        gain = np.float32(_db_to_gain(gain_db))
        curve = gain * limiter_gain(data * gain, sample_rate, threshold_db)
        out = data * curve[:, None]
        loudness = integrated_lufs(out, sample_rate)
        peak = true_peak_dbtp(out, sample_rate)
        if abs(loudness - target_lufs) <= 0.2 and peak <= ceiling_dbtp:
            break
        if peak > ceiling_dbtp:
            threshold_db -= peak - ceiling_dbtp + 0.05
        tried.append((gain_db, loudness))
        gain_db = _next_gain(tried, target_lufs)
    else:
        log.warning("mastering did not converge: %.2f LUFS, %.2f dBTP", loudness, peak)
    if peak > ceiling_dbtp:  # last resort: never deliver over the ceiling
        curve = curve * np.float32(_db_to_gain(ceiling_dbtp - peak - 0.05))
    return Mastering(np.asarray(curve, dtype=np.float32))


_MASTER_ROUNDS = 10


def _next_gain(tried: list[tuple[float, float]], target_lufs: float) -> float:
    """The gain expected to hit the target, from (gain, loudness) pairs tried so far."""
    gain, loudness = tried[-1]
    slope = 1.0
    if len(tried) >= 2:
        previous_gain, previous_loudness = tried[-2]
        if abs(gain - previous_gain) > 1e-3:
            slope = (loudness - previous_loudness) / (gain - previous_gain)
            slope = min(1.0, max(0.1, slope))  # limiting only ever flattens the curve
    return gain + (target_lufs - loudness) / slope


def limit(
    audio: Audio,
    sample_rate: int,
    threshold_db: float,
    *,
    lookahead: float = 0.005,
    release: float = 0.06,
) -> Audio:
    """``audio`` through :func:`limiter_gain`: sample peaks ≤ ``threshold_db``."""
    gain = limiter_gain(audio, sample_rate, threshold_db, lookahead=lookahead, release=release)
    return np.asarray(audio * gain[:, None], dtype=np.float32)


def limiter_gain(
    audio: Audio,
    sample_rate: int,
    threshold_db: float,
    *,
    lookahead: float = 0.005,
    release: float = 0.06,
) -> Audio:
    """A look-ahead limiter's gain per frame: peaks ≤ ``threshold_db``, changing smoothly.

    Works on the whole signal at once. In dB, the gain reduction each sample
    needs is held and released exponentially with time constant ``release``
    (``r[n] = max(need[n], r[n-1]·a)``: in the log of the reduction that is a
    running maximum of a line, so numpy computes it without a Python loop),
    widened by the look-ahead with a minimum filter and then averaged over
    the same window. Every average is over values no higher than the need at
    the window's centre, so the result never exceeds the threshold, and the
    gain ramps in over the look-ahead instead of jumping.
    """
    data = np.asarray(audio)
    if data.ndim == 2 and data.shape[1] == 2:  # faster than a max along the short axis
        peaks = np.maximum(np.abs(data[:, 0]), np.abs(data[:, 1]))
    else:
        peaks = np.max(np.abs(data), axis=1)
    over = np.flatnonzero(peaks > _db_to_gain(threshold_db))
    if over.size == 0:
        return np.ones(peaks.shape[0], dtype=np.float32)
    # the reduction each sample needs (dB, <= 0), worked out only where there is one
    need_db = np.zeros(peaks.shape[0], dtype=np.float64)
    need_db[over] = np.minimum(0.0, threshold_db - 20.0 * np.log10(peaks[over], dtype=np.float64))
    decay = 1.0 / (release * sample_rate)  # log of the reduction falls this much a sample
    steps = decay * np.arange(need_db.shape[0], dtype=np.float64)
    log_reduction = np.full(need_db.shape[0], -np.inf)  # -inf where no reduction is needed
    with np.errstate(divide="ignore"):
        log_reduction[over] = np.log(-need_db[over])
    held = np.maximum.accumulate(log_reduction + steps) - steps
    gain = -np.exp(held)
    window = 2 * max(1, int(lookahead * sample_rate)) + 1
    gain = minimum_filter1d(gain, size=window, mode="nearest")
    gain = uniform_filter1d(gain, size=window, mode="nearest")
    # uniform_filter1d's running sum can leave a rounding residue above the need
    gain = np.minimum(gain, need_db)
    return _db_to_gain(gain).astype(np.float32)


# --- helpers ------------------------------------------------------------------------------


def _db_to_gain(db: npt.ArrayLike) -> npt.NDArray[np.float64]:
    return np.asarray(np.power(10.0, np.asarray(db, dtype=np.float64) / 20.0))


def _finite(data: npt.NDArray[np.float32], what: str) -> npt.NDArray[np.float32]:
    if not np.all(np.isfinite(data)):
        log.warning("%s contains NaN or infinite samples; replacing them with silence", what)
        data = np.nan_to_num(data, nan=0.0, posinf=0.0, neginf=0.0)
    return data


def _stereo(audio: npt.ArrayLike) -> Audio:
    data = np.array(audio, dtype=np.float32)  # a copy: callers keep their arrays
    if data.ndim == 1:
        data = np.repeat(data[:, None], 2, axis=1)
    if data.ndim != 2 or data.shape[1] != 2:
        raise ValueError(f"expected stereo audio of shape (n, 2), got {data.shape}")
    return _finite(data, "audio")


def _mono(audio: npt.ArrayLike) -> Audio:
    data = np.array(audio, dtype=np.float32)
    if data.ndim == 2 and data.shape[1] in (1, 2):
        data = data.mean(axis=1, dtype=np.float32)
    if data.ndim != 1:
        raise ValueError(f"expected mono audio of shape (n,), got {data.shape}")
    return _finite(data, "audio")


def _held(curve: Audio, frames: int) -> Audio:
    """A per-frame curve cut or extended (holding its last value, else 1) to ``frames``."""
    if curve.ndim != 1:
        raise ValueError(f"expected a gain per frame of shape (n,), got {curve.shape}")
    if curve.shape[0] >= frames:
        return curve[:frames]
    last = curve[-1] if curve.shape[0] else np.float32(1.0)
    return np.concatenate([curve, np.full(frames - curve.shape[0], last, dtype=np.float32)])


def _pad(data: Audio, frames: int) -> Audio:
    if data.shape[0] >= frames:
        return data
    pad = [(0, frames - data.shape[0])] + [(0, 0)] * (data.ndim - 1)
    return np.pad(data, pad)
