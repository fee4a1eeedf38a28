"""The vocal chain: clean the lows, lift the presence range, even out the level.

Words are understood from the consonants and formants between 1 and 4 kHz,
so the voice gets a broad lift there (PRESENCE_DB around PRESENCE_HZ) after a
high-pass that removes rumble and breath pops. A compressor then brings loud
syllables down towards quiet ones (RATIO above a threshold set from the
voice's own level while it sings), so no word drops under the band.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from scipy.ndimage import maximum_filter1d, uniform_filter1d

from songgate.engine.master.eq import apply, highpass, peaking

Audio = npt.NDArray[np.float32]

HIGHPASS_HZ = 90.0
PRESENCE_HZ = 2500.0
PRESENCE_DB = 4.0
PRESENCE_Q = 0.7
RATIO = 3.0
THRESHOLD_BELOW_LOUD_DB = 8.0  # the threshold, under the voice's loud (90th-percentile) level
_LEVEL_SECONDS = 0.02  # RMS window of the level detector
_ATTACK_SECONDS = 0.005
_RELEASE_SECONDS = 0.12


def vocal_chain(voice: Audio, sample_rate: int) -> Audio:
    """Mono voice → mono voice, high-passed, presence-lifted and compressed."""
    out = highpass(voice, sample_rate, HIGHPASS_HZ)
    out = apply(out, peaking(sample_rate, PRESENCE_HZ, PRESENCE_DB, q=PRESENCE_Q))
    return compress(out, sample_rate)


def compress(voice: Audio, sample_rate: int, *, ratio: float = RATIO) -> Audio:
    """A feed-forward RMS compressor with no make-up gain (the mix sets the level).

    The gain reduction is held over the release time and ramped in over the
    attack time, so it moves smoothly with the syllables instead of the waveform.
    """
    if voice.size == 0 or not np.any(voice):
        return voice
    window = max(1, int(_LEVEL_SECONDS * sample_rate))
    power = uniform_filter1d(voice.astype(np.float64) ** 2, window)
    level_db = 10.0 * np.log10(np.maximum(power, 1e-12))
    sounding = level_db[level_db > level_db.max() - 50.0]
    threshold = float(np.percentile(sounding, 90)) - THRESHOLD_BELOW_LOUD_DB
    reduction = np.maximum(0.0, level_db - threshold) * (1.0 - 1.0 / ratio)
    reduction = maximum_filter1d(reduction, max(1, int(_RELEASE_SECONDS * sample_rate)))
    reduction = uniform_filter1d(reduction, max(1, int(_ATTACK_SECONDS * sample_rate)))
    gain = np.power(10.0, -reduction / 20.0).astype(np.float32)
    return np.asarray(voice * gain, dtype=np.float32)
