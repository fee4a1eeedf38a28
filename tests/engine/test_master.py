"""Mastering to -14 LUFS / -1 dBTP, the meters behind it, and the vocal mix."""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt
import pytest
from scipy.signal import resample_poly

from songgate.engine.master.mix import (
    DUCK_DB,
    integrated_lufs,
    limit,
    master,
    mix,
    reverb,
    true_peak_dbtp,
)
from tests.engine.audio_helpers import SR

Audio = npt.NDArray[np.float32]


def _music(seconds: float = 12.0, seed: int = 0) -> Audio:
    """Chords, a bass line, kick-like thumps and hiss: a real song's crest factor."""
    rng = np.random.default_rng(seed)
    t = np.arange(int(seconds * SR)) / SR
    chord = sum(0.15 * np.sin(2 * np.pi * f * t) for f in (220.0, 277.2, 329.6, 440.0))
    bass = 0.3 * np.sin(2 * np.pi * 55.0 * t) * (0.6 + 0.4 * np.sin(2 * np.pi * 0.5 * t))
    beat = (t % 0.5) / 1.0
    kick = 0.9 * np.exp(-beat * 30) * np.sin(2 * np.pi * 60 * t)
    hiss = 0.02 * rng.standard_normal(t.shape[0])
    left = chord + bass + kick + hiss
    right = 0.9 * chord + bass + kick + 0.02 * rng.standard_normal(t.shape[0])
    return np.stack([left, right], axis=1).astype(np.float32)


def _assert_delivery(out: Audio, frames: int) -> None:
    assert out.dtype == np.float32 and out.shape == (frames, 2)
    assert integrated_lufs(out, SR) == pytest.approx(-14.0, abs=0.5)
    assert true_peak_dbtp(out, SR) <= -1.0
    # cross-check the true peak with scipy's own 4x resampler
    assert float(np.max(np.abs(resample_poly(out, 4, 1, axis=0)))) <= 10 ** (-0.95 / 20)


def test_a_quiet_input_is_raised_to_minus_14_lufs() -> None:
    quiet = _music() * np.float32(10 ** (-30 / 20))
    assert integrated_lufs(quiet, SR) < -35
    _assert_delivery(master(quiet, SR), quiet.shape[0])


def test_a_loud_clipped_input_comes_down_to_minus_14_lufs_under_the_ceiling() -> None:
    clipped = np.clip(_music() * 6.0, -1.0, 1.0)
    assert integrated_lufs(clipped, SR) > -6
    _assert_delivery(master(clipped, SR), clipped.shape[0])


def test_a_spiky_input_is_limited_smoothly_not_clipped() -> None:
    # quiet pad with sharp clicks: reaching -14 LUFS needs >20 dB of peak reduction
    t = np.arange(10 * SR) / SR
    pad = 0.01 * np.sin(2 * np.pi * 330 * t)
    clicks = np.zeros_like(t)
    clicks[:: SR // 4] = 0.9
    spiky = np.stack([pad + clicks, pad - clicks], axis=1).astype(np.float32)
    out = master(spiky, SR)
    _assert_delivery(out, spiky.shape[0])
    # hard clipping would flatten runs of samples onto the ceiling; the limiter turns the
    # clicks down whole, so no two neighbouring samples sit at the peak
    at_peak = np.abs(out) > float(np.max(np.abs(out))) * 0.999
    assert not np.any(at_peak[1:] & at_peak[:-1])
    # and the limiter recovers between clicks: the pad alone is nearly as loud as the whole
    between = (np.arange(out.shape[0]) % (SR // 4)) > SR // 8
    assert integrated_lufs(out[between], SR) > -16.0


def test_the_limiter_keeps_peaks_under_its_threshold_with_a_gradual_gain() -> None:
    # a steady level with a 10 ms burst 20 dB louder: out / in is the limiter's gain
    t = np.arange(2 * SR) / SR
    level = np.where((t > 1.0) & (t < 1.01), 1.0, 0.1)
    audio = np.stack([level, -level], axis=1).astype(np.float32)
    out = limit(audio, SR, -6.0)
    assert float(np.max(np.abs(out))) <= 10 ** (-6 / 20) + 1e-6
    gain = out[:, 0] / audio[:, 0]
    assert float(np.max(np.abs(np.diff(gain)))) < 0.01  # no jumps
    assert float(gain.min()) == pytest.approx(0.5, abs=0.01)
    assert np.allclose(gain[: int(0.99 * SR)], 1.0)  # untouched before the look-ahead
    assert gain[int(1.3 * SR)] > 0.97  # released within a few hundred milliseconds


def test_silence_and_very_short_input_pass_through() -> None:
    silence = np.zeros((3 * SR, 2), dtype=np.float32)
    assert np.array_equal(master(silence, SR), silence)
    blip = (0.5 * np.ones((SR // 10, 2))).astype(np.float32)
    assert np.array_equal(master(blip, SR), blip)
    assert master(np.zeros((0, 2), dtype=np.float32), SR).shape == (0, 2)
    loud_blip = master(np.ones((SR // 10, 2), dtype=np.float32), SR)
    assert loud_blip.shape == (SR // 10, 2) and true_peak_dbtp(loud_blip, SR) <= -1.0
    assert integrated_lufs(np.zeros((SR, 2)), SR) == -math.inf
    assert math.isfinite(integrated_lufs(blip, SR))


def test_mono_input_is_mastered_as_centred_stereo() -> None:
    mono = _music()[:, 0] * np.float32(0.1)
    out = master(mono, SR)
    assert out.shape == (mono.shape[0], 2)
    assert np.array_equal(out[:, 0], out[:, 1])


def test_loudness_meter_matches_bs1770_reference_levels() -> None:
    # BS.1770: a 997 Hz sine at 0 dBFS in one channel reads -3.01 LUFS
    t = np.arange(5 * SR) / SR
    sine = np.sin(2 * np.pi * 997 * t)
    one_channel = np.stack([sine, np.zeros_like(sine)], axis=1)
    assert integrated_lufs(one_channel, SR) == pytest.approx(-3.01, abs=0.1)
    both = np.stack([sine, sine], axis=1) * 0.1
    assert integrated_lufs(both, SR) == pytest.approx(-20.0, abs=0.1)


def test_true_peak_finds_the_peak_between_samples() -> None:
    # a quarter-sample-rate sine sampled at 45 degrees: every sample is at 0.707 of the peak
    n = np.arange(SR)
    sine = 0.5 * np.sin(2 * np.pi * (SR / 4) * n / SR + np.pi / 4) * np.hanning(SR) ** 0.01
    sample_peak = 20 * math.log10(float(np.max(np.abs(sine))))
    assert sample_peak == pytest.approx(20 * math.log10(0.5) - 3.01, abs=0.1)
    assert true_peak_dbtp(sine, SR) == pytest.approx(20 * math.log10(0.5), abs=0.3)
    assert true_peak_dbtp(np.zeros(100), SR) == -math.inf


def _tone(freq: float, seconds: float, level: float = 0.3) -> Audio:
    t = np.arange(int(seconds * SR)) / SR
    return (level * np.sin(2 * np.pi * freq * t)).astype(np.float32)


def _band_at(audio: Audio, freq: float) -> float:
    mono = audio.mean(axis=1)
    spectrum = np.abs(np.fft.rfft(mono * np.hanning(mono.shape[0])))
    bins = np.fft.rfftfreq(mono.shape[0], 1.0 / SR)
    return float(20 * np.log10(spectrum[np.abs(bins - freq) < 3].max()))


def test_mix_pads_to_the_longer_input_and_centres_the_voice() -> None:
    band = np.repeat(_tone(220.0, 4.0)[:, None], 2, axis=1)
    voice = _tone(1000.0, 4.2)
    mixed = mix(band, voice, SR)
    assert mixed.shape == (voice.shape[0], 2) and mixed.dtype == np.float32
    assert mix(band, None, SR).shape == band.shape
    assert mix(band[: SR * 3], voice, SR).shape == (voice.shape[0], 2)
    centred = mix(np.zeros_like(band), voice, SR)
    left, right = centred[:, 0], centred[:, 1]
    assert float(np.corrcoef(left, right)[0, 1]) > 0.9


def test_vocal_level_moves_the_voice_against_the_band_by_that_many_db() -> None:
    band = np.repeat(_tone(220.0, 6.0)[:, None], 2, axis=1)
    voice = _tone(1000.0, 6.0)

    def voice_over_band(level_db: float) -> float:
        mixed = mix(band, voice, SR, vocal_level_db=level_db)
        return _band_at(mixed, 1000.0) - _band_at(mixed, 220.0)

    assert voice_over_band(6.0) - voice_over_band(0.0) == pytest.approx(6.0, abs=0.5)


def test_the_band_dips_while_the_voice_sings() -> None:
    band = np.repeat(_tone(220.0, 8.0)[:, None], 2, axis=1)
    voice = _tone(1000.0, 8.0)
    voice[4 * SR :] = 0.0  # sings for the first half only
    mixed = mix(band, voice, SR)
    sung = _band_at(mixed[SR : 3 * SR], 220.0)
    unsung = _band_at(mixed[5 * SR : 7 * SR], 220.0)
    assert unsung - sung == pytest.approx(DUCK_DB, abs=0.6)


def test_broken_vocal_samples_do_not_break_the_mix() -> None:
    band = np.repeat(_tone(220.0, 3.0)[:, None], 2, axis=1)
    voice = _tone(1000.0, 3.0)
    voice[100:200] = np.nan
    mixed = mix(band, voice, SR)
    assert np.all(np.isfinite(mixed))


def test_reverb_keeps_the_length_and_adds_a_tail_inside_it() -> None:
    click = np.zeros(2 * SR, dtype=np.float32)
    click[0] = 1.0
    wet = reverb(click, SR, amount=0.5)
    assert wet.shape == (2 * SR, 2)
    assert float(np.abs(wet[int(0.3 * SR) :]).max()) > 1e-3  # still ringing at 300 ms
    assert not np.array_equal(wet[1:, 0], wet[1:, 1])  # a wide, decorrelated tail
    assert np.array_equal(reverb(click, SR, amount=0.0)[:, 0], click)
