"""The stream that grows section by section: what it appends is the song's own continuation."""

from __future__ import annotations

import io
import itertools
from pathlib import Path

import numpy as np
import soundfile
from scipy.signal import resample_poly

from songgate.engine.growing_stream import KNEE, GrowingStream, section_ends, soft_clip
from songgate.engine.types import SectionKind, SectionSpan
from tests.engine.audio_helpers import little_band

RATE = 44_100
VOICE_RATE = 22_050


def test_sections_end_in_order_and_the_last_at_the_songs_end() -> None:
    band = little_band(seconds=20.0)  # 120 bpm: a bar is 2 s
    spans = (SectionSpan(SectionKind.VERSE, "Verse", 0, 4),
             SectionSpan(SectionKind.CHORUS, "Chorus", 4, 4))
    score = type(band)(band.tempo, band.meter, band.tonic, band.mode, 40.0, band.tracks,
                       sections=spans)
    assert section_ends(score) == [8.0, 16.0, 20.0]


def test_the_soft_clip_leaves_quiet_samples_and_keeps_loud_ones_under_full_scale() -> None:
    audio = np.linspace(-4.0, 4.0, 8001, dtype=np.float32)
    clipped = soft_clip(audio)
    quiet = np.abs(audio) <= KNEE
    assert np.array_equal(clipped[quiet], audio[quiet])
    assert float(np.max(np.abs(clipped))) <= 1.0
    assert np.all(np.diff(clipped) >= 0)  # no step anywhere: it stays monotonic
    assert np.all(np.diff(clipped[np.abs(audio) < 1.5]) > 0)  # still rising past the knee


class Recording(GrowingStream):
    """Keeps each piece of audio the stream appends, to compare with the song's."""

    added: list[np.ndarray]

    def audio_until(self, voice: np.ndarray, end: int) -> np.ndarray:
        if not hasattr(self, "added"):
            self.added = []
        audio = super().audio_until(voice, end)
        self.added.append(audio)
        return audio


def test_each_file_adds_the_next_sections_of_band_and_voice_seamlessly(tmp_path: Path) -> None:
    band_score = little_band(seconds=12.0)
    spans = tuple(SectionSpan(SectionKind.VERSE, "Verse", bar, 2) for bar in range(0, 6, 2))
    score = type(band_score)(band_score.tempo, band_score.meter, band_score.tonic,
                             band_score.mode, 24.0, band_score.tracks, sections=spans)
    rng = np.random.default_rng(3)
    frames = 12 * RATE
    band = (0.2 * rng.standard_normal((frames, 2))).astype(np.float32)
    seconds = np.arange(12 * VOICE_RATE + 1) / VOICE_RATE
    voice = 0.3 * np.sin(2 * np.pi * 220.0 * seconds) * (seconds > 5.0)  # sings from 5 s
    published: list[bytes] = []
    shares: list[float] = []
    stream = Recording(score, band, sample_rate=RATE, voice_rate=VOICE_RATE,
                           path_for=lambda n: tmp_path / f"s{n}.mp3",
                           publish=lambda path: published.append(path.read_bytes()),
                           reached=shares.append)
    stream.sung(voice, 4.9)  # the first section (0-4 s) is final, the second not yet
    assert len(published) == 1
    stream.sung(voice, float("inf"))
    assert len(published) == 3 and shares == [1 / 3, 2 / 3, 1.0]
    for shorter, longer in itertools.pairwise(published):
        assert longer.startswith(shorter)  # a player that has the first file keeps it
    whole, rate = soundfile.read(io.BytesIO(published[-1]), dtype="float32", always_2d=True)
    assert rate == RATE and abs(len(whole) - frames) < 3 * 1152
    # appended piece by piece, it is the band plus the voice resampled in one piece
    assert stream.voice_gain is not None
    sung = resample_poly(voice, 2, 1)[:frames]
    expected = soft_clip((band * stream.band_gain
                          + (stream.band_gain * stream.voice_gain * sung)[:, None])
                         .astype(np.float32))
    streamed = np.concatenate(stream.added)
    assert streamed.shape == expected.shape
    assert float(np.max(np.abs(streamed - expected))) < 1e-5
