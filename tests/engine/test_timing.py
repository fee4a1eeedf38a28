"""Timed lyrics on real output: each word's start against the vocal stem's onsets, and
the words in order against the lyrics as the song sings them."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import orjson
import pytest
import soundfile

from songgate.engine.compose.score import compose
from songgate.engine.request import SongRequest
from songgate.engine.song import SongFiles, make_song
from songgate.engine.style.parse import parse_style
from songgate.engine.text.form import parse_form
from tests.support.audio_analysis import onset_times

LYRICS = """[Verse]
Sunday morning light on the window
Coffee in my hand and nowhere to go
[Chorus]
Happy weekend, sing it with me
Happy weekend, we are free
"""
TAGS = "upbeat pop"
SEED = 7
MAX_SECONDS = 60


@pytest.fixture(scope="module")
def song(tmp_path_factory: pytest.TempPathFactory) -> SongFiles:
    return make_song(SongRequest(lyrics=LYRICS, tags=TAGS, seed=SEED, max_seconds=MAX_SECONDS),
                     tmp_path_factory.mktemp("timed"), stem="timed")


def _timing(song: SongFiles) -> dict[str, list[dict[str, object]]]:
    assert song.timing is not None
    found: dict[str, list[dict[str, object]]] = orjson.loads(song.timing.read_bytes())
    return found


def _sung_words() -> list[str]:
    """The lyrics' words in the order the composed song sings its sections."""
    form = parse_form(LYRICS)
    score = compose(parse_style(TAGS, "", seed=SEED), form, seed=SEED, max_seconds=MAX_SECONDS)
    by_label = {section.label: section for section in form.sections}
    words: list[str] = []
    for span in score.sections:
        section = by_label.get(span.label.split(" (")[0])
        for line in section.lines if section else ():
            words.extend(re.findall(r"[\w']+", line.text))
    return words


def test_the_words_in_order_are_the_words_as_sung(song: SongFiles) -> None:
    words = [w["word"] for w in _timing(song)["aligned_words"]]
    assert words == _sung_words()


def _median_error(onsets: np.ndarray, starts: np.ndarray) -> float:
    return float(np.median([np.min(np.abs(onsets - start)) for start in starts]))


def test_word_starts_fall_on_the_vocal_stems_onsets(song: SongFiles) -> None:
    vocals, rate = soundfile.read(song.stems["vocals"], dtype="float64")
    onsets = onset_times(vocals, rate)
    words = _timing(song)["aligned_words"]
    starts = np.array([float(w["start_s"]) for w in words])  # type: ignore[arg-type]
    error = _median_error(onsets, starts)
    # the same starts moved by 40 ms land clearly farther: the onsets can tell them apart
    moved = min(_median_error(onsets, starts + shift) for shift in (-0.04, 0.04))
    print(f"median word-start error {1000 * error:.1f} ms over {len(starts)} words "
          f"({len(onsets)} onsets; moved by 40 ms: {1000 * moved:.1f} ms)")
    assert error <= 0.020
    assert moved >= 1.5 * error


def test_words_are_certain_and_the_waveform_is_scaled(song: SongFiles) -> None:
    timing = _timing(song)
    words = timing["aligned_words"]
    assert all(w["success"] is True and w["p_align"] == 1.0 for w in words)
    assert all(float(w["start_s"]) < float(w["end_s"]) for w in words)  # type: ignore[arg-type]
    wave = [float(v) for v in timing["waveform_data"]]  # type: ignore[arg-type]
    assert len(wave) == 200 and max(wave) == 1.0 and min(wave) >= 0.0


def test_an_instrumental_has_no_words(tmp_path: Path) -> None:
    files = make_song(SongRequest(lyrics="", tags="ambient", seed=3, max_seconds=20,
                                  instrumental=True), tmp_path)
    assert _timing(files)["aligned_words"] == []
