"""How far the voice stands above the band where words are heard, and keeping it there.

Intelligibility lives between 1 and 4 kHz (consonants, the upper formants),
so the measure is the energy of the vocal stem against the band's in that
range, over the stretches where the voice sings. :func:`lift_for` says how
much louder the voice must get for the measure to reach a target; the mix
applies it, so every song leaves with the words on top.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

from songgate.engine.master.eq import bandpass

Audio = npt.NDArray[np.float32]

WORDS_LOW_HZ = 1000.0
WORDS_HIGH_HZ = 4000.0
TARGET_DB = 4.5  # the voice over the band in 1-4 kHz while singing, after mixing
MAX_LIFT_DB = 8.0
_BLOCK_SECONDS = 0.05
_SINGING_WITHIN_DB = 20.0  # a block sings if the voice is this close to its loud level


def _block_power(audio: Audio, block: int) -> npt.NDArray[np.float64]:
    data = np.asarray(audio, dtype=np.float64)
    if data.ndim == 2:
        data = data.mean(axis=1)
    blocks = data.shape[0] // block
    return np.asarray(np.mean(data[: blocks * block].reshape(blocks, block) ** 2, axis=1))


def singing_blocks(voice: Audio, sample_rate: int) -> npt.NDArray[np.bool_]:
    """Per 50 ms block: is the voice singing (within 20 dB of its loud level)?"""
    power = _block_power(voice, max(1, int(_BLOCK_SECONDS * sample_rate)))
    audible = power[power > 1e-12]
    if audible.size == 0:
        return np.zeros(power.shape, dtype=np.bool_)
    loud = float(np.percentile(audible, 90))
    return np.asarray(power > loud * 10 ** (-_SINGING_WITHIN_DB / 10), dtype=np.bool_)


def voice_over_band_db(voice: Audio, band: Audio, sample_rate: int) -> float:
    """Voice energy over band energy in 1-4 kHz while the voice sings, in dB.

    ``inf`` where the band is silent there, ``-inf`` where the voice never sings.
    """
    frames = min(voice.shape[0], band.shape[0])
    block = max(1, int(_BLOCK_SECONDS * sample_rate))
    singing = singing_blocks(voice[:frames], sample_rate)
    if not np.any(singing):
        return -math.inf
    words_voice = _block_power(bandpass(voice[:frames], sample_rate, WORDS_LOW_HZ,
                                        WORDS_HIGH_HZ), block)
    words_band = _block_power(bandpass(band[:frames], sample_rate, WORDS_LOW_HZ,
                                       WORDS_HIGH_HZ), block)
    voice_energy = float(np.sum(words_voice[singing]))
    band_energy = float(np.sum(words_band[singing]))
    if band_energy <= 0:
        return math.inf
    if voice_energy <= 0:
        return -math.inf
    return 10.0 * math.log10(voice_energy / band_energy)


def lift_for(voice: Audio, band: Audio, sample_rate: int, *, target_db: float = TARGET_DB) -> float:
    """dB to raise the voice by (0..MAX_LIFT_DB) so it stands ``target_db`` over the band."""
    measured = voice_over_band_db(voice, band, sample_rate)
    if math.isinf(measured):
        return 0.0
    return min(MAX_LIFT_DB, max(0.0, target_db - measured))
