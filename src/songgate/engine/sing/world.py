"""Re-time and re-pitch a spoken syllable with the WORLD vocoder (PyPI ``pyworld``).

WORLD splits speech into an f0 track, a smooth spectral envelope (what makes a vowel
an "ah" or an "ee") and an aperiodicity map (breath and hiss). Singing a syllable is
then: keep the envelope and aperiodicity, throw away the spoken f0, and resynthesise
with the note's f0 over a time axis on which the vowel nucleus lasts as long as the
note needs while the consonants keep their natural speed.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pyworld

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

FRAME_MS = 5.0
F0_FLOOR = 70.0
F0_CEIL = 600.0
SILENCE_DB = -45.0  # frames this far below the loudest are espeak's padding
VOICED_FLOOR_DB = -35.0  # dio sometimes calls near-silence voiced
NUCLEUS_DB = -8.0  # voiced frames this close to the loudest are the vowel being held
LOUD_DB = -10.0  # frames this close to the loudest are vowel (checks DIO's voicing)
HARVEST_TRUST_DB = -20.0  # Harvest's voicing is believed only above this level
HARVEST_CEIL = 450.0  # espeak's f1/m3 voices stay well below; a lower ceiling is faster
MAX_GAP_FRAMES = 4  # dio drops single frames inside vowels; heal gaps up to 20 ms
MIN_VOWEL_SHARE = 0.5  # of a note shorter than the spoken syllable
AP_STRIDE = 3  # aperiodicity is analysed every 15 ms and interpolated
TARGET_RMS = 0.1  # every syllable is levelled to this before singing


@dataclass(frozen=True, slots=True)
class SyllableModel:
    """A spoken syllable in WORLD's terms, trimmed and levelled, ready to be sung."""

    fs: int
    sp: FloatArray  # (frames, bins) spectral envelope, power
    ap: FloatArray  # (frames, bins) aperiodicity 0..1
    voiced: BoolArray  # (frames,) frames to sing with the note's f0
    nucleus: BoolArray  # (frames,) the loud voiced frames that stretch with the note

    @property
    def frames(self) -> int:
        return int(self.voiced.shape[0])


def analyse(samples: FloatArray, fs: int) -> SyllableModel | None:
    """Analyse espeak's output; ``None`` if it holds no voiced sound to sing."""
    x = _trim(np.ascontiguousarray(samples, dtype=np.float64), fs)
    if x.size < fs * 0.02:
        return None
    f0, times, level = _track_f0(x, fs)
    voiced = _clean_voicing(f0 > 0.0, level)
    if not voiced.any():
        return None
    # CheapTrick and D4C read f0 to size their windows: give them a gap-free track.
    f0 = _fill_f0(f0, voiced)
    sp = np.asarray(pyworld.cheaptrick(x, f0, times, fs, f0_floor=F0_FLOOR), dtype=np.float64)
    ap = _aperiodicity(x, fs, f0, times)
    nucleus = voiced & (level >= level[voiced].max() + NUCLEUS_DB)
    rms = float(np.sqrt(np.mean(np.square(_frames_of(x, fs, nucleus)))))
    sp *= (TARGET_RMS / max(rms, 1e-6)) ** 2  # power envelope: gain squared
    return SyllableModel(fs=fs, sp=sp, ap=ap, voiced=voiced, nucleus=nucleus)


def analyse_phrase(samples: FloatArray, fs: int) -> SyllableModel | None:
    """Analyse a whole spoken phrase, untrimmed so frame ``i`` lies at ``i * FRAME_MS``;
    levelled like a syllable. ``None`` if nothing in it is voiced."""
    x = np.ascontiguousarray(samples, dtype=np.float64)
    if x.size < fs * 0.02:
        return None
    f0, times, level = _track_f0(x, fs)
    voiced = _clean_voicing(f0 > 0.0, level)
    if not voiced.any():
        return None
    f0 = _fill_f0(f0, voiced)
    sp = np.asarray(pyworld.cheaptrick(x, f0, times, fs, f0_floor=F0_FLOOR), dtype=np.float64)
    ap = _aperiodicity(x, fs, f0, times)
    loud = voiced & (level >= NUCLEUS_DB - 6.0)
    rms = float(np.sqrt(np.mean(np.square(_frames_of(x, fs, loud)))))
    sp *= (TARGET_RMS / max(rms, 1e-6)) ** 2
    return SyllableModel(fs=fs, sp=sp, ap=ap, voiced=voiced, nucleus=loud)


def time_map(model: SyllableModel, n_frames: int) -> FloatArray:
    """Source frame position (fractional) for each of ``n_frames`` output frames.

    Longer than spoken: only nucleus frames stretch, so onsets and codas keep their
    natural speed and the final consonant lands at the end of the note. Shorter than
    spoken: everything is squeezed, the consonants harder where needed to leave the
    vowel at least half the note (both rules agree at the spoken length).
    """
    n_src = model.frames
    n_nuc = int(model.nucleus.sum())
    n_other = n_src - n_nuc
    weights = np.ones(n_src)
    if n_nuc == 0 or n_other == 0:
        weights *= n_frames / n_src
    elif n_frames >= n_src:
        weights[model.nucleus] = (n_frames - n_other) / n_nuc
    else:
        nuc_out = min(float(n_nuc), max(n_frames * n_nuc / n_src, MIN_VOWEL_SHARE * n_frames))
        weights[model.nucleus] = nuc_out / n_nuc
        weights[~model.nucleus] = (n_frames - nuc_out) / n_other
    edges = np.concatenate(([0.0], np.cumsum(weights)))
    centres = np.arange(n_frames, dtype=np.float64) + 0.5
    position = np.interp(centres, edges, np.arange(n_src + 1, dtype=np.float64)) - 0.5
    return np.clip(position, 0.0, n_src - 1.0)


def synthesize(model: SyllableModel, position: FloatArray, f0_hz: FloatArray) -> FloatArray:
    """Resynthesise at ``model.fs``: envelope and aperiodicity read at ``position``
    (linear between frames), f0 from ``f0_hz`` where the source was voiced, else 0."""
    low = np.floor(position).astype(np.intp)
    high = np.minimum(low + 1, model.frames - 1)
    frac = (position - low)[:, None]
    sp = model.sp[low] * (1.0 - frac) + model.sp[high] * frac
    ap = model.ap[low] * (1.0 - frac) + model.ap[high] * frac
    voiced = model.voiced[np.rint(position).astype(np.intp)]
    f0 = np.where(voiced, f0_hz, 0.0)
    out = pyworld.synthesize(
        np.ascontiguousarray(f0),
        np.ascontiguousarray(sp),
        np.ascontiguousarray(ap),
        model.fs,
        FRAME_MS,
    )
    return np.asarray(out, dtype=np.float64)


def first_voiced(model: SyllableModel, position: FloatArray) -> int:
    """Index of the first output frame that is sung (where a portamento starts)."""
    voiced = model.voiced[np.rint(position).astype(np.intp)]
    hits = np.flatnonzero(voiced)
    return int(hits[0]) if hits.size else 0


def _track_f0(x: FloatArray, fs: int) -> tuple[FloatArray, FloatArray, FloatArray]:
    """f0 (0 = unvoiced), frame times and frame levels in dB.

    DIO is ten times cheaper than Harvest and right on most of espeak's syllables,
    but now and then it calls a whole vowel unvoiced (e.g. "zhou1" in the f1 voice).
    When the loudest frames, which are vowels, come out mostly unvoiced, Harvest
    decides instead, trusted only on the louder frames: it tends to voice stops and
    "h".
    """
    f0, times = pyworld.dio(x, fs, f0_floor=F0_FLOOR, f0_ceil=F0_CEIL, frame_period=FRAME_MS)
    f0 = np.asarray(pyworld.stonemask(x, f0, times, fs), dtype=np.float64)
    level = _frame_db(x, fs, f0.size)
    loud = level >= LOUD_DB
    if np.count_nonzero(f0[loud] > 0.0) < 0.8 * np.count_nonzero(loud):
        f0, times = pyworld.harvest(
            x, fs, f0_floor=F0_FLOOR, f0_ceil=HARVEST_CEIL, frame_period=FRAME_MS
        )
        f0 = np.where(level[: f0.size] >= HARVEST_TRUST_DB, np.asarray(f0, np.float64), 0.0)
    return f0, np.asarray(times, dtype=np.float64), level[: f0.size]


def _aperiodicity(x: FloatArray, fs: int, f0: FloatArray, times: FloatArray) -> FloatArray:
    """D4C on every AP_STRIDE-th frame, linearly interpolated in between.

    D4C is the dearest analysis step (about half the time of a syllable), and
    aperiodicity changes slowly; it only shapes voiced frames, because WORLD sings
    unvoiced frames as pure noise whatever it says.
    """
    picked = np.unique(np.append(np.arange(0, f0.size, AP_STRIDE), f0.size - 1))
    coarse = np.asarray(
        pyworld.d4c(x, np.ascontiguousarray(f0[picked]), np.ascontiguousarray(times[picked]), fs),
        dtype=np.float64,
    )
    frames = np.arange(f0.size, dtype=np.float64)
    upper = np.clip(np.searchsorted(picked, frames, side="right"), 1, picked.size - 1)
    lower = upper - 1
    span = (picked[upper] - picked[lower]).astype(np.float64)
    weight = np.clip((frames - picked[lower]) / np.maximum(span, 1.0), 0.0, 1.0)[:, None]
    return np.asarray(coarse[lower] * (1.0 - weight) + coarse[upper] * weight, dtype=np.float64)


def _hop(fs: int) -> int:
    return max(1, round(fs * FRAME_MS / 1000.0))


def _frame_db(x: FloatArray, fs: int, n_frames: int) -> FloatArray:
    """Level in dB relative to the loudest frame, one value per WORLD frame (centred)."""
    hop = _hop(fs)
    padded = np.pad(x, (hop, hop + n_frames * hop))
    frames = padded[: (n_frames + 1) * hop].reshape(n_frames + 1, hop)
    power = np.mean(np.square(frames), axis=1)
    power = 0.5 * (power[:-1] + power[1:])  # window of 2 hops centred on each frame time
    db = 10.0 * np.log10(power + 1e-12)
    return np.asarray(db - db.max(), dtype=np.float64)


def _trim(x: FloatArray, fs: int) -> FloatArray:
    """Cut espeak's leading and trailing silence, keeping 10 ms of margin."""
    hop = _hop(fs)
    n = x.size // hop
    if n == 0:
        return x
    power = np.mean(np.square(x[: n * hop].reshape(n, hop)), axis=1)
    loud = np.flatnonzero(power > power.max() * 10.0 ** (SILENCE_DB / 10.0))
    if loud.size == 0 or power.max() <= 0.0:
        return x[:0]
    start = max(0, (int(loud[0]) - 2) * hop)
    stop = min(x.size, (int(loud[-1]) + 3) * hop)
    return x[start:stop]


def _clean_voicing(voiced: BoolArray, level: FloatArray) -> BoolArray:
    """Drop voiced calls in near-silence, then heal short gaps inside voiced runs."""
    voiced = voiced & (level > VOICED_FLOOR_DB)
    hits = np.flatnonzero(voiced)
    healed = voiced.copy()
    for a, b in itertools.pairwise(hits.tolist()):
        if 1 < b - a <= MAX_GAP_FRAMES + 1:
            healed[a:b] = True
    return healed


def _fill_f0(f0: FloatArray, voiced: BoolArray) -> FloatArray:
    """f0 on voiced frames with holes interpolated; unvoiced frames stay 0."""
    good = voiced & (f0 > 0.0)
    if not good.any():
        return np.where(voiced, 200.0, 0.0)
    idx = np.arange(f0.size)
    filled = np.interp(idx, idx[good], f0[good])
    return np.where(voiced, filled, 0.0)


def _frames_of(x: FloatArray, fs: int, mask: BoolArray) -> FloatArray:
    """The samples under the frames in ``mask`` (frame i is centred at i * hop)."""
    hop = _hop(fs)
    starts = [max(0, int(i) * hop - hop // 2) for i in np.flatnonzero(mask)]
    pieces = [x[s : s + hop] for s in starts]
    joined = np.concatenate(pieces) if pieces else x
    return joined if joined.size else x
