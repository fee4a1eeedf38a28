"""The song so far, section by section: a stream that grows while the voice is sung.

Once the band is rendered (every part, the whole song) the voice is sung phrase by
phrase; :func:`songgate.engine.sing.vocals.sing` reports after each phrase how far its
audio is final. Each time that passes the end of a section, the song up to there (band
plus voice, unmastered, at fixed gains) is appended to one MP3 encoder and the bytes
encoded so far are published as the stream: every file is the one before it with more
frames after it, so a player never hears a join, only a longer song.

The gains are fixed before the first frame: the band's gain from its peak over the whole
song (it is all rendered), the voice's from the peak of what is sung when the voice first
enters; a later, louder note is rounded off by a soft clip rather than turning the whole
stream down. The encoder runs at LAME's fast quality: the stream is heard once and then
replaced by the mastered song.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

import lameenc
import numpy as np
import numpy.typing as npt
from scipy.signal import resample_poly

from songgate.engine.encode.atomic import atomic_path
from songgate.engine.types import Score

Audio = npt.NDArray[np.float32]
FloatArray = npt.NDArray[np.float64]

STREAM_PEAK = 0.89  # -1 dBFS: the band at its loudest plus the voice at its set level
VOCAL_PEAK = 0.708  # the voice's peak where it first sings (-3 dBFS, as the song's voice)
VOCAL_GAIN = 0.8  # the voice against the band, as in the first bars' preview
KNEE = 0.8  # above this the soft clip starts to round peaks off
KBPS = 192
QUALITY = 7  # LAME -q 7: about a third of -q 3's time, for a file heard once
PAD_SECONDS = 0.05  # context each side of a resampled stretch of the voice


def section_ends(score: Score) -> list[float]:
    """Seconds at which each section ends (the song's end last), in order."""
    ends = [score.seconds_at(float((span.start_bar + span.bars) * score.meter))
            for span in score.sections]
    ends = sorted({min(end, score.seconds) for end in ends if end > 0} | {score.seconds})
    return [end for end in ends if end > 0]


def soft_clip(audio: Audio) -> Audio:
    """Identity up to KNEE, then a tanh curve that approaches 1 without reaching it."""
    over = np.abs(audio) > KNEE
    if not np.any(over):
        return audio
    out = audio.copy()
    room = 1.0 - KNEE
    out[over] = np.sign(audio[over]) * (KNEE + room * np.tanh((np.abs(audio[over]) - KNEE) / room))
    return out


class GrowingStream:
    """Publishes the song up to each section's end as the voice becomes final there.

    ``band`` is the whole rendered band (frames, 2) at ``sample_rate``; ``path_for(n)`` names
    the n-th file (the callee of ``publish`` takes it); ``reached(share)`` hears how much
    of the song is streamed (0..1) after each file.
    """

    def __init__(
        self, score: Score, band: Audio, *, sample_rate: int, voice_rate: int,
        path_for: Callable[[int], Path], publish: Callable[[Path], None],
        reached: Callable[[float], None] | None = None,
    ) -> None:
        self._band = band
        self._rate = sample_rate
        self._voice_rate = voice_rate
        ratio = Fraction(sample_rate, voice_rate)
        self._up, self._down = ratio.numerator, ratio.denominator
        self._ends = section_ends(score)
        self._total = len(band)
        self._path_for = path_for
        self._publish = publish
        self._reached = reached
        loudest = float(np.max(np.abs(band))) if len(band) else 0.0
        self._gain = np.float32(STREAM_PEAK / max(1e-6, loudest + VOCAL_GAIN * VOCAL_PEAK))
        self._vocal_gain: float | None = None
        self._encoder = lameenc.Encoder()
        self._encoder.set_bit_rate(KBPS)
        self._encoder.set_in_sample_rate(sample_rate)
        self._encoder.set_channels(2)
        self._encoder.set_quality(QUALITY)
        self._encoded = bytearray()
        self._frames = 0  # frames of the song encoded so far
        self._published = 0

    @property
    def published(self) -> int:
        return self._published

    def sung(self, voice: FloatArray, final_seconds: float) -> None:
        """``voice`` (mono, at the voice's rate) is final before ``final_seconds``: stream
        every section that ends by then."""
        while self._ends and self._ends[0] <= final_seconds + 1e-9:
            end = self._ends.pop(0)
            self._append(voice, min(self._total, math.ceil(end * self._rate)),
                         last=not self._ends)

    def finish(self) -> None:
        """Singing is over: what is not streamed yet (no voice, or a voice that failed)
        streams as the band alone."""
        if self._ends:
            self._ends = []
            self._append(np.zeros(0), self._total, last=True)

    @property
    def band_gain(self) -> float:
        return float(self._gain)

    @property
    def voice_gain(self) -> float | None:
        """The voice's gain against the band's (None until the voice first sings)."""
        return self._vocal_gain

    def _append(self, voice: FloatArray, end: int, *, last: bool) -> None:
        if end <= self._frames:
            return
        pcm = np.round(self.audio_until(voice, end) * 32767.0).astype(np.int16)
        self._encoded += bytes(self._encoder.encode(np.ascontiguousarray(pcm).tobytes()))
        if last:
            self._encoded += bytes(self._encoder.flush())
        self._frames = end
        path = self._path_for(self._published)
        with atomic_path(path) as partial:
            partial.write_bytes(bytes(self._encoded))
        self._published += 1
        self._publish(path)
        if self._reached is not None:
            self._reached(end / self._total if self._total else 1.0)

    def audio_until(self, voice: FloatArray, end: int) -> Audio:
        """The song's frames from the last streamed one to ``end``: band and voice at the
        stream's gains, soft-clipped (what the next file adds)."""
        start = self._frames
        chunk = self._band[start:end] * self._gain
        sung = self._voice_between(voice, start, end)
        if np.any(sung):
            if self._vocal_gain is None:  # the voice's level, set where it first sings
                heard = voice[: math.ceil(end * self._voice_rate / self._rate)]
                self._vocal_gain = VOCAL_GAIN * VOCAL_PEAK / max(1e-9, float(np.max(np.abs(heard))))
            chunk = chunk + (self._gain * self._vocal_gain * sung)[:, None]
        return soft_clip(np.asarray(chunk, dtype=np.float32))

    def _voice_between(self, voice: FloatArray, start: int, end: int) -> FloatArray:
        """The voice at the band's rate for frames [start, end): a padded stretch resampled
        on its own gives the same samples as the whole voice resampled at once."""
        pad = math.ceil(PAD_SECONDS * self._voice_rate / self._down) * self._down
        first = (start * self._down) // self._up // self._down * self._down  # voice sample
        lo = max(0, first - pad)
        hi = min(len(voice), math.ceil(end * self._down / self._up) + pad)
        out = np.zeros(end - start)
        if hi <= lo:
            return out
        part = voice[lo:hi]
        if self._up != 1 or self._down != 1:
            part = resample_poly(part, self._up, self._down)
        offset = lo * self._up // self._down  # the band frame of part[0]
        a, b = max(start, offset), min(end, offset + len(part))
        if b > a:
            out[a - start : b - start] = part[a - offset : b - offset]
        return out
