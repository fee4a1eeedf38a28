"""The listening library on the engine's own output, whose truth the score states:
tempo, key, a chord per bar, the sung notes on the vocal stem, sections and loudness."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest
import soundfile

from songgate.engine.listen import Analysis, listen
from songgate.engine.master.mix import integrated_lufs
from songgate.engine.request import SongRequest
from songgate.engine.song import SongFiles, make_song
from songgate.engine.truth import SongTruth, song_truth
from tests.support.listening import (
    chord_accuracy,
    key_right,
    note_f1,
    tempo_right,
)

LYRICS = """[Verse]
Sunday morning light on the window
Coffee in my hand and nowhere to go
[Chorus]
Happy weekend, sing it with me
Happy weekend, we are free
"""
# folk: no key change in the last chorus (a pop song's lift moves a short song's key)
REQUEST = SongRequest(lyrics=LYRICS, tags="folk", seed=11, max_seconds=60)


@pytest.fixture(scope="module")
def song(tmp_path_factory: pytest.TempPathFactory) -> SongFiles:
    return make_song(REQUEST, tmp_path_factory.mktemp("listen"))


@pytest.fixture(scope="module")
def truth() -> SongTruth:
    return song_truth(REQUEST)


def read(path: Path) -> tuple[np.ndarray, int]:
    audio, rate = soundfile.read(path, dtype="float32")
    return audio, rate


@pytest.fixture(scope="module")
def heard(song: SongFiles) -> Analysis:
    mix, rate = read(song.wav)
    vocals, _ = read(song.stems["vocals"])
    return listen(mix, rate, melody_audio=vocals)


def test_the_truth_is_the_song_the_engine_made(song: SongFiles, truth: SongTruth) -> None:
    assert truth.tempo == song.style.tempo and truth.tonic == song.style.tonic
    assert truth.mode is song.style.mode and truth.melody
    assert abs(truth.seconds - song.duration) < 0.5
    assert len(truth.chords) == round(truth.seconds / truth.bar_seconds)


def test_tempo_meter_and_bars(heard: Analysis, truth: SongTruth) -> None:
    assert tempo_right(heard.grid.tempo, truth.tempo), (heard.grid.tempo, truth.tempo)
    assert heard.grid.meter == truth.meter
    bar = truth.bar_seconds
    first = min(heard.grid.downbeats, key=abs)
    offset = (first / bar + 0.5) % 1.0 - 0.5  # the bar lines fall on the score's
    assert abs(offset) * bar < 0.1, heard.grid.downbeats[:4]


def test_key_and_chords(heard: Analysis, truth: SongTruth) -> None:
    assert key_right(heard, truth), (heard.key.name, truth.tonic, truth.mode)
    assert chord_accuracy(heard, truth) >= 0.7


def test_sung_notes_on_the_vocal_stem(heard: Analysis, truth: SongTruth) -> None:
    assert note_f1(heard.melody, truth.melody) >= 0.6
    assert all(note.offset > note.onset for note in heard.melody)


def test_sections_tile_the_song_and_repeat(heard: Analysis) -> None:
    sections = heard.sections
    assert sections and sections[0].start_bar == 0
    for before, after in itertools.pairwise(sections):
        assert after.start_bar == before.start_bar + before.bars
    assert sections[-1].start_bar + sections[-1].bars == len(heard.grid.downbeats)


def test_loudness_is_the_masters(song: SongFiles, heard: Analysis) -> None:
    mix, rate = read(song.wav)
    assert abs(heard.loudness.integrated_lufs - integrated_lufs(mix, rate)) < 0.3
    assert heard.loudness.peak_dbfs <= 0.0
    assert len(heard.loudness.short_term_lufs) == int(heard.seconds) - 2


def test_mono_and_other_rates_hear_the_same_song(song: SongFiles, heard: Analysis) -> None:
    mix, rate = read(song.wav)
    mono = listen(mix.mean(axis=1)[: rate * 30], rate)
    assert tempo_right(mono.grid.tempo, heard.grid.tempo)
    with pytest.raises(ValueError):
        listen(mix, 0)


def test_silence_has_no_notes_and_no_loudness() -> None:
    quiet = listen(np.zeros(44_100 * 5, dtype=np.float32), 44_100)
    assert quiet.melody == () and quiet.loudness.integrated_lufs == -70.0


def test_a_ballad_with_eighth_notes_is_heard_at_its_own_tempo(tmp_path: Path) -> None:
    # its picked eighths pull the beat towards twice its tempo; every other beat is weak
    request = SongRequest(lyrics=LYRICS, tags="ballad", seed=175, max_seconds=45)
    mix, rate = read(make_song(request, tmp_path).wav)
    truth = song_truth(request).tempo
    heard = listen(mix, rate).grid.tempo
    assert abs(heard - truth) <= 0.02 * truth, (heard, truth)
