"""Mixing and mastering: voice over band, then loudness and peak control for delivery.

Streaming services play songs at about -14 LUFS and reject or mangle files
whose inter-sample peaks exceed about -1 dBTP, so :func:`master` brings every
song there: a gain to the target loudness, then a look-ahead peak limiter
(smooth gain reduction, never hard clipping), re-measured and repeated until
both numbers hold. Loudness is ITU-R BS.1770 as implemented by ``pyloudnorm``;
the true peak is measured on a 4x oversampled signal.

:func:`mix` puts a mono vocal in the centre of the instrumental, gives it a
little room, and makes space for it: the band is levelled against the voice
and, while the voice sings, dipped slightly and scooped in the presence range.
"""

from __future__ import annotations

import logging
import math
from functools import lru_cache

import numpy as np
import numpy.typing as npt
import pyloudnorm
from scipy.ndimage import minimum_filter1d, uniform_filter1d
from scipy.signal import butter, firwin, lfilter, oaconvolve, sosfilt, upfirdn

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
SCOOP_DB = -3.0
VOCAL_REVERB = 0.18

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
    data = np.asarray(audio, dtype=np.float64)
    if data.size == 0:
        return -math.inf
    block = math.ceil(_BLOCK_SECONDS * sample_rate) + 1
    if data.shape[0] < block:
        pad = [(0, block - data.shape[0])] + [(0, 0)] * (data.ndim - 1)
        data = np.pad(data, pad)
    meter = pyloudnorm.Meter(sample_rate)
    return float(meter.integrated_loudness(data))


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


# --- reverb -------------------------------------------------------------------------------


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


# --- mixing -------------------------------------------------------------------------------


def mix(
    instruments: npt.ArrayLike,
    vocals: npt.ArrayLike | None,
    sample_rate: int,
    *,
    vocal_level_db: float = 0.0,
) -> Audio:
    """Instrumental (n, 2) plus mono vocals (m,) → stereo (max(n, m), 2), before mastering.

    The band is levelled to BAND_LUFS, the voice (with its reverb) to
    VOCAL_OVER_BAND_LU + ``vocal_level_db`` above that. The result is not
    limited and may exceed full scale; :func:`master` follows.
    """
    band = _stereo(instruments)
    band = _gain_to(band, sample_rate, BAND_LUFS)
    if vocals is None:
        return band
    voice = _mono(vocals)
    frames = max(band.shape[0], voice.shape[0])
    band = _pad(band, frames)
    voice = _pad(voice, frames)
    if not np.any(voice):
        return band
    voice = _highpass(voice, sample_rate, 90.0)
    voice_bus = reverb(voice, sample_rate, amount=VOCAL_REVERB)
    voice_loudness = integrated_lufs(voice_bus, sample_rate)
    if math.isinf(voice_loudness):
        return band
    gain = _db_to_gain(BAND_LUFS + VOCAL_OVER_BAND_LU + vocal_level_db - voice_loudness)
    voice_bus *= np.float32(gain)
    presence = _vocal_presence(voice, sample_rate)
    scooped = sosfilt(_peaking_eq(sample_rate, SCOOP_HZ, SCOOP_DB, q=0.8), band, axis=0)
    band = band + presence[:, None] * (np.asarray(scooped, dtype=np.float32) - band)
    band *= _db_to_gain(-DUCK_DB * presence)[:, None]
    return np.asarray(band + voice_bus, dtype=np.float32)


def _vocal_presence(voice: Audio, sample_rate: int) -> Audio:
    """0..1: how much the voice is singing, smoothed so the band moves gently."""
    level = uniform_filter1d(np.abs(voice), size=max(1, int(0.03 * sample_rate)))
    audible = level[level > 1e-4]
    if audible.size == 0:
        return np.zeros_like(voice)
    presence = np.clip(level / np.percentile(audible, 75), 0.0, 1.0)
    smooth = max(1, int(0.15 * sample_rate))
    presence = uniform_filter1d(uniform_filter1d(presence, smooth), smooth)
    return np.asarray(presence, dtype=np.float32)


def _peaking_eq(
    sample_rate: int, freq: float, gain_db: float, *, q: float
) -> npt.NDArray[np.float64]:
    """One peaking biquad (the RBJ audio-EQ form) as second-order sections."""
    a = 10 ** (gain_db / 40)
    w0 = 2 * math.pi * freq / sample_rate
    alpha = math.sin(w0) / (2 * q)
    cos_w0 = math.cos(w0)
    b = np.array([1 + alpha * a, -2 * cos_w0, 1 - alpha * a])
    den = np.array([1 + alpha / a, -2 * cos_w0, 1 - alpha / a])
    return np.concatenate([b / den[0], den / den[0]])[None, :]


def _highpass(audio: Audio, sample_rate: int, freq: float) -> Audio:
    sos = butter(2, freq, btype="highpass", fs=sample_rate, output="sos")
    return np.asarray(sosfilt(sos, audio, axis=0), dtype=np.float32)


def _gain_to(audio: Audio, sample_rate: int, target_lufs: float) -> Audio:
    loudness = integrated_lufs(audio, sample_rate)
    if math.isinf(loudness) or loudness < -70:
        return audio
    return audio * np.float32(_db_to_gain(target_lufs - loudness))


# --- mastering ----------------------------------------------------------------------------


def master(
    audio: npt.ArrayLike,
    sample_rate: int,
    *,
    target_lufs: float = -14.0,
    ceiling_dbtp: float = -1.0,
) -> Audio:
    """Stereo at ``target_lufs`` ±0.5 LU integrated with true peak ≤ ``ceiling_dbtp``.

    Gain, then the look-ahead limiter, then measure. The limiter takes some
    loudness away, so the gain is corrected (by the secant through the last
    two tries, since heavy limiting makes loudness grow slower than gain) and
    the limiter's threshold is lowered by any inter-sample overshoot, until
    both hold; songs need one to three rounds. Silence and input shorter than
    a gating block come back unchanged (mono as centred stereo), except that
    a short sound over the ceiling is turned down to it.
    """
    data = _stereo(audio)
    if data.shape[0] <= _BLOCK_SECONDS * sample_rate or not np.any(data):
        # too short to measure loudness: only keep it under the ceiling
        peak = true_peak_dbtp(data, sample_rate)
        if peak > ceiling_dbtp:
            data *= np.float32(_db_to_gain(ceiling_dbtp - peak - 0.05))
        return data
    data = _highpass(data, sample_rate, 20.0)  # DC and rumble only cost headroom
    loudness = integrated_lufs(data, sample_rate)
    if math.isinf(loudness) or loudness < -70:
        return data
    gain_db = target_lufs - loudness
    threshold_db = ceiling_dbtp - 0.5
    tried: list[tuple[float, float]] = []
    out = data
    peak = math.inf
    for _ in range(_MASTER_ROUNDS):
        out = limit(data * np.float32(_db_to_gain(gain_db)), sample_rate, threshold_db)
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
        out = out * np.float32(_db_to_gain(ceiling_dbtp - peak - 0.05))
    return np.asarray(out, dtype=np.float32)


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
    """A look-ahead peak limiter: sample peaks ≤ ``threshold_db``, gain changes smoothly.

    Works on the whole signal at once. In dB, the gain reduction each sample
    needs is held and released exponentially with time constant ``release``
    (``r[n] = max(need[n], r[n-1]·a)``: in the log of the reduction that is a
    running maximum of a line, so numpy computes it without a Python loop),
    widened by the look-ahead with a minimum filter and then averaged over
    the same window. Every average is over values no higher than the need at
    the window's centre, so the result never exceeds the threshold, and the
    gain ramps in over the look-ahead instead of jumping.
    """
    peaks = np.max(np.abs(audio), axis=1).astype(np.float64)
    with np.errstate(divide="ignore"):
        need_db = np.minimum(0.0, threshold_db - 20.0 * np.log10(peaks))
    if need_db.min() >= 0.0:
        return audio
    decay = 1.0 / (release * sample_rate)  # log of the reduction falls this much a sample
    steps = decay * np.arange(need_db.shape[0], dtype=np.float64)
    with np.errstate(divide="ignore"):
        log_reduction = np.log(-need_db)  # -inf where no reduction is needed
    held = np.maximum.accumulate(log_reduction + steps) - steps
    gain = -np.exp(held)
    window = 2 * max(1, int(lookahead * sample_rate)) + 1
    gain = minimum_filter1d(gain, size=window, mode="nearest")
    gain = uniform_filter1d(gain, size=window, mode="nearest")
    # uniform_filter1d's running sum can leave a rounding residue above the need
    gain = np.minimum(gain, need_db)
    return np.asarray(audio * _db_to_gain(gain).astype(np.float32)[:, None], dtype=np.float32)


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


def _pad(data: Audio, frames: int) -> Audio:
    if data.shape[0] >= frames:
        return data
    pad = [(0, frames - data.shape[0])] + [(0, 0)] * (data.ndim - 1)
    return np.pad(data, pad)
