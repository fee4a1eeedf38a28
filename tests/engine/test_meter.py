"""The fast loudness meter reads what pyloudnorm reads, gates included."""

from __future__ import annotations

import numpy as np
import pyloudnorm
import pytest

from songgate.engine.master.meter import gated_loudness

RATE = 44_100


@pytest.mark.parametrize("shape", ["steady", "gated", "mono", "odd length"])
def test_the_meter_agrees_with_pyloudnorm(shape: str) -> None:
    rng = np.random.default_rng(5)
    if shape == "steady":
        audio = 0.1 * rng.standard_normal((RATE * 20, 2))
    elif shape == "gated":  # quiet stretches fall under the relative gate, silence under both
        audio = np.concatenate([0.002 * rng.standard_normal((RATE * 6, 2)),
                                np.zeros((RATE * 3, 2)), 0.4 * rng.standard_normal((RATE * 4, 2))])
    elif shape == "mono":
        audio = 0.2 * rng.standard_normal(RATE * 3)
    else:
        audio = 0.05 * rng.standard_normal((RATE * 7 + 1234, 2))
    expected = pyloudnorm.Meter(RATE).integrated_loudness(audio)
    assert gated_loudness(audio.astype(np.float32), RATE) == pytest.approx(expected, abs=1e-3)


def test_silence_passes_no_gate() -> None:
    assert gated_loudness(np.zeros((RATE * 2, 2), dtype=np.float32), RATE) == -np.inf
