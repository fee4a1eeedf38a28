"""Mixing and mastering by stems: the voice over the band in the words' range, stems that sum."""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

from songgate.engine.master.balance import TARGET_DB, voice_over_band_db
from songgate.engine.master.mix import (
    VOCALS,
    integrated_lufs,
    master,
    master_stems,
    mix_stems,
    true_peak_dbtp,
)
from songgate.engine.master.room import ROOMS, echo, room_for
from songgate.engine.master.voice import compress
from tests.engine.audio_helpers import SR

Audio = npt.NDArray[np.float32]


def _noise(seconds: float, seed: int, level: float = 0.2) -> Audio:
    rng = np.random.default_rng(seed)
    return (level * rng.standard_normal(int(seconds * SR))).astype(np.float32)


def _stereo(mono: Audio, pan: float = 0.0) -> Audio:
    return np.stack([mono * (1 - pan), mono * (1 + pan)], axis=1).astype(np.float32)


def _sung(seconds: float) -> Audio:
    """A voice-like tone with harmonics up to 5 kHz, singing in the middle half."""
    t = np.arange(int(seconds * SR)) / SR
    voice = sum(0.3 / k * np.sin(2 * np.pi * 220.0 * k * t) for k in range(1, 23))
    voice = np.asarray(voice, dtype=np.float32)
    voice[: len(voice) // 4] = 0.0
    voice[3 * len(voice) // 4 :] = 0.0
    return voice


def _residual_db(stems: dict[str, Audio], mixed: Audio) -> float:
    residual = sum(stems.values()) - mixed
    return 10 * math.log10(float(np.sum(residual**2)) / float(np.sum(mixed**2)))


def test_a_bright_band_does_not_bury_the_voice() -> None:
    band = {"drums": _stereo(_noise(8.0, 1, 0.5)), "bass": _stereo(_noise(8.0, 2, 0.1)),
            "other": _stereo(_noise(8.0, 3, 0.6), pan=0.3)}
    stems = mix_stems(band, 0.05 * _sung(8.0), SR, room=room_for("pop"), tempo=110.0)
    assert set(stems) == {"drums", "bass", "other", VOCALS}
    accompaniment = stems["drums"] + stems["bass"] + stems["other"]
    assert voice_over_band_db(stems[VOCALS], accompaniment, SR) >= TARGET_DB - 0.5


def test_mastered_stems_sum_to_the_mastered_mix() -> None:
    band = {"drums": _stereo(_noise(6.0, 4, 0.9)), "bass": _stereo(_noise(6.0, 5, 0.4)),
            "other": _stereo(_noise(6.0, 6, 0.7), pan=-0.4)}
    unmastered = mix_stems(band, _sung(6.0), SR)
    mixed, stems = master_stems(unmastered, SR)
    assert abs(integrated_lufs(mixed, SR) - (-14.0)) <= 0.5
    assert true_peak_dbtp(mixed, SR) <= -1.0
    assert all(stem.shape == mixed.shape for stem in stems.values())
    # the same as mastering the whole mix at once
    assert _residual_db(stems, master(sum(unmastered.values()), SR)) < -80.0


def test_an_instrumental_has_a_silent_vocal_stem() -> None:
    band = {"other": _stereo(_noise(3.0, 7))}
    stems = mix_stems(band, None, SR)
    assert not np.any(stems[VOCALS]) and np.any(stems["other"])


def test_the_compressor_brings_loud_syllables_towards_quiet_ones() -> None:
    t = np.arange(2 * SR) / SR
    tone = np.sin(2 * np.pi * 330.0 * t).astype(np.float32)
    tone[SR:] *= 0.1  # a loud second, then a quiet one: 20 dB apart
    out = compress(tone, SR)
    loud = float(np.sqrt(np.mean(out[int(0.3 * SR) : int(0.9 * SR)] ** 2)))
    quiet = float(np.sqrt(np.mean(out[int(1.3 * SR) : int(1.9 * SR)] ** 2)))
    assert 20 * math.log10(loud / quiet) < 16.0


def test_the_echo_follows_the_tempo_and_bounces_between_sides() -> None:
    click = np.zeros(2 * SR, dtype=np.float32)
    click[0] = 1.0
    repeats = echo(click, SR, seconds=0.25, feedback=0.5)
    left_first = int(np.argmax(np.abs(repeats[:, 0])))
    right_first = int(np.argmax(np.abs(repeats[:, 1])))
    assert abs(left_first - SR // 4) < SR // 100 and abs(right_first - SR // 2) < SR // 100
    assert ROOMS["ballad"].decay_seconds > ROOMS["hiphop"].decay_seconds
