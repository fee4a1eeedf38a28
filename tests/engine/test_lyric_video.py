"""The lyric video on real ffmpeg output: frames taken from the MP4 at chosen times show
the line being sung (English and Chinese), the waveform lights up as the song plays,
and the video lasts as long as its audio."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest
from PIL import Image

from songgate.engine.encode import video_frames
from songgate.engine.encode.audio import write_mp3
from songgate.engine.encode.covers import write_covers
from songgate.engine.encode.lyric_lines import TimedWord, shown_lines, timed_words
from songgate.engine.encode.video import ffmpeg_path, write_video
from songgate.engine.encode.video_frames import BAND_BOTTOM, BAND_TOP, LYRIC_TOP, SIZE
from tests.engine.audio_helpers import SR, ffprobe, streams

needs_ffmpeg = pytest.mark.skipif(
    ffmpeg_path() is None or shutil.which("ffprobe") is None,
    reason="Debian ffmpeg is not installed",
)

WORDS: list[TimedWord] = [
    ("Sunday", 0.5, 1.0), ("morning", 1.0, 1.6), ("light", 1.6, 2.2),
    ("雨", 4.0, 4.3), ("后", 4.3, 4.6), ("的", 4.6, 4.9), ("街", 4.9, 5.2), ("道", 5.2, 5.8),
]
SECONDS = 8.0


def _frame(video: Path, at: float, folder: Path) -> npt.NDArray[np.int16]:
    picture = folder / f"frame_{at}.png"
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-ss", f"{at}", "-i", str(video),
                    "-frames:v", "1", str(picture)], check=True)
    with Image.open(picture) as opened:
        return np.asarray(opened.convert("L"), dtype=np.int16)


def _lyrics(frame: npt.NDArray[np.int16]) -> npt.NDArray[np.int16]:
    return frame[int(SIZE * LYRIC_TOP) - 10:int(SIZE * BAND_TOP) - 10]


def _band(frame: npt.NDArray[np.int16]) -> npt.NDArray[np.int16]:
    return frame[int(SIZE * BAND_TOP) + 4:int(SIZE * BAND_BOTTOM) - 4]


def _song(folder: Path) -> tuple[Path, Path]:
    t = np.arange(int(SECONDS * SR)) / SR
    audio = (0.4 * np.sin(2 * np.pi * 220 * t) * np.minimum(1.0, t / 4)).astype(np.float32)
    write_mp3(np.stack([audio, audio], axis=1), SR, folder / "song.mp3")
    write_covers("Lyric video", "test", 11, folder / "s.jpg", folder / "cover.jpg")
    return folder / "cover.jpg", folder / "song.mp3"


def test_words_become_lines_split_at_a_breath_and_shown_while_sung() -> None:
    lines = shown_lines(WORDS, SECONDS)
    assert [line.text for line in lines] == ["Sunday morning light", "雨后的街道"]
    first, second = lines
    assert first.start_s == pytest.approx(0.2) and first.end_s == pytest.approx(3.7)
    assert second.start_s == pytest.approx(3.7) and second.end_s == pytest.approx(7.3)
    assert shown_lines([], SECONDS) == []


def test_timed_words_read_a_timing_document_and_skip_what_is_not_a_word() -> None:
    aligned = [{"word": "b", "start_s": 2.0, "end_s": 2.5}, {"word": "a", "start_s": 1.0,
               "end_s": 1.5}, {"word": "", "start_s": 3.0, "end_s": 3.1},
               {"word": "c", "start_s": "x", "end_s": 1}, {"start_s": 1.0}]
    assert timed_words(aligned) == [("a", 1.0, 1.5), ("b", 2.0, 2.5)]


@needs_ffmpeg
def test_the_video_shows_each_line_while_it_is_sung_and_the_waveform_moves(
        tmp_path: Path) -> None:
    cover, audio = _song(tmp_path)
    out = tmp_path / "song.mp4"
    write_video(cover, audio, SECONDS, out, words=WORDS, waveform=[0.2, 0.9, 0.5, 1.0] * 50)
    info = ffprobe(out)
    (video,) = streams(info, "video")
    (sound,) = streams(info, "audio")
    assert (video["width"], video["height"], video["pix_fmt"]) == (SIZE, SIZE, "yuv420p")
    assert float(video["duration"]) == pytest.approx(SECONDS, abs=0.25)
    assert float(sound["duration"]) == pytest.approx(SECONDS, abs=0.25)
    before, english, chinese, after = (_frame(out, at, tmp_path) for at in (0.0, 1.5, 5.0, 7.8))
    # no line before the first word and after the last one's hold: the lyric area is the
    # same; while a line is sung it differs, and the two lines differ from each other
    assert float(np.mean(np.abs(_lyrics(before) - _lyrics(after)))) < 1.0
    for sung in (english, chinese):
        assert float(np.mean(np.abs(_lyrics(sung) - _lyrics(before)))) > 3.0
    assert float(np.mean(np.abs(_lyrics(english) - _lyrics(chinese)))) > 3.0
    # the played part of the waveform is brighter, and it grows
    lit = [float(np.mean(_band(frame))) for frame in (before, english, chinese, after)]
    assert lit == sorted(lit) and lit[-1] - lit[0] > 10.0


@needs_ffmpeg
def test_without_a_font_or_words_the_video_still_moves(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cover, audio = _song(tmp_path)
    monkeypatch.setattr(video_frames, "find_font", lambda: None)  # no font installed
    out = tmp_path / "song.mp4"
    write_video(cover, audio, SECONDS, out, words=WORDS)  # and no waveform: a progress bar
    early, late = (_frame(out, at, tmp_path) for at in (1.5, 7.5))
    assert float(np.mean(np.abs(_lyrics(early) - _lyrics(late)))) < 1.0
    assert float(np.mean(_band(late))) - float(np.mean(_band(early))) > 5.0
    assert float(ffprobe(out)["format"]["duration"]) == pytest.approx(SECONDS, abs=0.25)
