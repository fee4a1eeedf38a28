"""The song's first bars, made before the rest: where the cut falls, what it keeps, how it plays."""

from __future__ import annotations

import itertools
import shutil
from pathlib import Path

import numpy as np
import pytest
import soundfile

from songgate.engine.compose.score import compose
from songgate.engine.preview import (
    PREVIEW_PEAK,
    PREVIEW_SECONDS,
    cut,
    preview_audio,
    preview_beats,
)
from songgate.engine.request import SongRequest
from songgate.engine.song import SongFiles, make_song
from songgate.engine.style.parse import parse_style
from songgate.engine.text.form import parse_form
from songgate.engine.types import SAMPLE_RATE, Score, SectionKind, SectionSpan
from tests.engine.audio_helpers import little_band
from tests.support.onsets import same_notes

LYRICS = """[Verse]
Sunday morning light on the window
Coffee in my hand and nowhere to go
[Chorus]
Happy weekend, sing it with me
Happy weekend, we are free
"""


def song_score(seed: int = 7) -> Score:
    style = parse_style("upbeat pop", seed=seed)
    return compose(style, parse_form(LYRICS), seed=seed, max_seconds=60.0)


def with_sections(score: Score, *bars: int) -> Score:
    spans, start = [], 0
    for count in bars:
        spans.append(SectionSpan(SectionKind.VERSE, "Verse", start, count))
        start += count
    return Score(score.tempo, score.meter, score.tonic, score.mode, float(start * score.meter),
                 score.tracks, sections=tuple(spans))


def test_the_cut_keeps_every_note_that_starts_before_it_and_ends_them_there() -> None:
    score = song_score()
    beats = preview_beats(score)
    short = cut(score, beats)
    assert short.total_beats == beats and short.tempo == score.tempo
    for whole, part in zip(score.tracks, short.tracks, strict=True):
        assert len(part.notes) == sum(1 for note in whole.notes if note.start < beats)
        assert all(note.start + note.duration <= beats + 1e-9 for note in part.notes)
        assert all(note.duration > 0 for note in part.notes)
    assert len(short.vocal) == sum(1 for note in score.vocal if note.start < beats)
    assert all(note.start + note.duration <= beats + 1e-9 for note in short.vocal)
    assert sum(span.bars for span in short.sections) * short.meter == beats


def test_the_preview_is_whole_bars_of_at_least_its_length_ending_with_a_short_first_section(
) -> None:
    band = little_band(seconds=60.0)  # 120 bpm: a bar is 2 s
    assert preview_beats(with_sections(band, 4, 8)) == 16  # the intro's end, 8 s
    three_bars = 4 * int(np.ceil(PREVIEW_SECONDS / 2.0))
    assert preview_beats(with_sections(band, 20)) == three_bars  # a long first verse is cut
    assert preview_beats(with_sections(band, 2)) == 8  # never past the song's end
    score = song_score()
    beats = preview_beats(score)
    assert beats % score.meter == 0 and score.seconds_at(beats) >= PREVIEW_SECONDS


def test_the_preview_audio_is_the_cut_exactly_with_a_set_peak_and_no_click() -> None:
    short = cut(song_score(), preview_beats(song_score()))
    audio = preview_audio(short, sample_rate=SAMPLE_RATE, voice="f", seed=7)
    assert audio.shape == (int(np.ceil(short.seconds * SAMPLE_RATE)), 2)
    assert float(np.max(np.abs(audio))) == pytest.approx(PREVIEW_PEAK, abs=1e-3)
    assert float(np.max(np.abs(audio[-10:]))) < 0.01


@pytest.fixture(scope="module")
def streamed(tmp_path_factory: pytest.TempPathFactory) -> tuple[SongFiles, list[Path]]:
    folder = tmp_path_factory.mktemp("streamed")
    taken: list[Path] = []

    def take(path: Path) -> None:  # the callee owns the file: it moves it away
        moved = folder / f"taken-{len(taken)}.mp3"
        shutil.move(path, moved)
        taken.append(moved)

    files = make_song(SongRequest(lyrics=LYRICS, tags="upbeat pop", seed=7, max_seconds=60),
                      folder, stem="song", stream=take)
    return files, taken


def decoded(path: Path) -> tuple[np.ndarray, int]:
    audio, rate = soundfile.read(path, dtype="float32", always_2d=True)
    return audio, rate


def test_a_song_streams_its_first_bars_then_section_by_section_then_the_whole_song(
    streamed: tuple[SongFiles, list[Path]],
) -> None:
    files, taken = streamed
    song, rate = decoded(files.mp3)
    first, first_rate = decoded(taken[0])
    assert first_rate == rate == 44_100
    assert PREVIEW_SECONDS <= len(first) / rate < files.duration / 2
    assert same_notes(first, song, rate) > 0.8  # the song's own beginning
    assert same_notes(first, song, rate, offset=len(first) / rate) < 0.5  # not any part of it
    growing = [decoded(path)[0] for path in taken[1:-1]]
    assert len(growing) >= 3  # the song has a section or more after its first bars
    lengths = [len(audio) / rate for audio in growing]
    assert lengths == sorted(set(lengths)) and lengths[-1] == pytest.approx(files.duration,
                                                                             abs=0.2)
    assert any(length > len(first) / rate for length in lengths[:-1])  # before it all exists
    for shorter, longer in itertools.pairwise(taken[1:-1]):  # only frames added
        assert longer.read_bytes().startswith(shorter.read_bytes())
    for audio in growing:
        assert np.any(audio) and float(np.max(np.abs(audio))) < 1.0
        assert same_notes(audio, song, rate) > 0.8  # a beginning of the finished song
    assert taken[-1].read_bytes() == files.mp3.read_bytes()  # then the finished song itself
    assert files.mp3.is_file()  # still there for the caller: the stream had its own name
