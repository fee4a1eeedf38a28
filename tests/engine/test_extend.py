"""Extending a song keeps its head and continues in the same tempo and key."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import soundfile

from songgate.engine.encode.timing import write_timing
from songgate.engine.extend import bar_seconds, cut_point, join, kept_words
from songgate.engine.master.mix import integrated_lufs, true_peak_dbtp
from songgate.engine.request import Continuation, SongRequest
from songgate.engine.sing.aligned import AlignedWord
from songgate.engine.song import SongFiles, make_song
from songgate.engine.style.parse import parse_style

RATE = 44_100


def test_cut_snaps_back_to_a_bar_line() -> None:
    style = parse_style("pop 120 bpm")  # a 2 s bar
    assert bar_seconds(style) == 2.0
    assert cut_point(9.9, style) == 8.0 and cut_point(10.0, style) == 10.0
    assert cut_point(0.5, style) == 2.0  # at least one bar is kept


def test_join_crossfades_without_a_click() -> None:
    head = np.full((RATE, 2), 0.5, dtype=np.float32)
    tail = np.full((RATE, 2), 0.5, dtype=np.float32)
    joined = join(head, tail, RATE)
    assert len(joined) == 2 * RATE - round(0.05 * RATE)
    assert np.max(np.abs(np.diff(joined[:, 0]))) < 0.01


@pytest.fixture(scope="module")
def original(tmp_path_factory: pytest.TempPathFactory) -> SongFiles:
    return make_song(
        SongRequest(lyrics="[Verse]\nRain on the roof tonight\nI hear it all", tags="jazz",
                    seed=11, max_seconds=40),
        tmp_path_factory.mktemp("original"), stem="original",
    )


def test_extension_keeps_the_head_and_the_style(original: SongFiles, tmp_path: Path) -> None:
    continue_at = 9.0
    extended = make_song(
        SongRequest(lyrics="[Chorus]\nSunlight comes again\nAnd we dance", tags="jazz",
                    seed=12, style_seed=11, max_seconds=60,
                    continuation=Continuation(original.wav, continue_at)),
        tmp_path, stem="extended",
    )
    assert extended.style == original.style  # same key, tempo, instruments
    source, _ = soundfile.read(original.wav, dtype="float32")
    result, _ = soundfile.read(extended.wav, dtype="float32")
    cut = cut_point(continue_at, original.style)
    assert cut <= continue_at
    kept = round((cut - 0.06) * RATE)
    a, b = source[:kept, 0], result[:kept, 0]
    assert np.corrcoef(a, b)[0, 1] > 0.999  # the original itself
    assert extended.duration > cut + 5 and extended.duration <= 60 + 0.5
    assert extended.sung
    assert abs(integrated_lufs(result, RATE) + 14.0) <= 1.0
    assert true_peak_dbtp(result, RATE) <= -1.0
    # the new part's stems hold it where it sits in the song, silence over the kept head;
    # the "original" stem is the kept head, faded out as in the song: together, the song
    parts = {name: soundfile.read(path, dtype="float32")[0]
             for name, path in extended.stems.items()}
    original = parts.pop("original")
    assert not np.any(original[round(cut * RATE) + round(0.1 * RATE):])
    for stem in parts.values():
        assert stem.shape == result.shape and not np.any(stem[:kept])
    new_part = sum(parts.values())
    seam = round(cut * RATE) + round(0.1 * RATE)
    residual = new_part[seam:] - result[seam:]
    assert 10 * np.log10(float(np.sum(residual**2)) / float(np.sum(result[seam:] ** 2))) < -60
    whole = new_part + original - result
    assert 10 * np.log10(float(np.sum(whole**2)) / float(np.sum(result**2))) < -60


def test_the_kept_words_are_those_begun_before_the_cut(tmp_path: Path) -> None:
    words = [AlignedWord("rain", 0.5, 1.0), AlignedWord("on", 1.0, 2.5),
             AlignedWord("roof", 2.5, 3.0)]
    timing = write_timing(words, np.zeros((RATE, 2)), tmp_path / "original.timing.json")
    assert timing["aligned_words"][0]["word"] == "rain"
    continuation = Continuation(tmp_path / "original.wav", 2.2,
                                source_timing=tmp_path / "original.timing.json")
    assert kept_words(continuation, 2.0) == [AlignedWord("rain", 0.5, 1.0),
                                             AlignedWord("on", 1.0, 2.0)]  # cut short
    assert kept_words(Continuation(tmp_path / "original.wav", 2.2), 2.0) == []
