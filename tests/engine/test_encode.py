"""WAV, MP3, covers and MP4, checked with real decoders (soundfile, ffprobe, Pillow)."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest
import soundfile
from PIL import Image, ImageDraw

from songgate.engine.encode.audio import write_mp3, write_wav
from songgate.engine.encode.covers import _fit, _font, find_font, render_cover, write_covers
from songgate.engine.encode.video import (
    EncodingError,
    EncodingUnavailable,
    ffmpeg_path,
    write_video,
)
from tests.engine.audio_helpers import SR, ffprobe, streams

needs_ffmpeg = pytest.mark.skipif(
    ffmpeg_path() is None or shutil.which("ffprobe") is None,
    reason="Debian ffmpeg is not installed",
)


def _audio(seconds: float, sample_rate: int = SR) -> npt.NDArray[np.float32]:
    t = np.arange(int(seconds * sample_rate)) / sample_rate
    left = 0.5 * np.sin(2 * np.pi * 440 * t)
    right = 0.5 * np.sin(2 * np.pi * 660 * t)
    return np.stack([left, right], axis=1).astype(np.float32)


def _only(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_wav_is_16_bit_pcm_with_the_samples_written(tmp_path: Path) -> None:
    audio = _audio(1.5)
    audio[0] = (2.0, -2.0)  # out of range: clipped, not wrapped around
    path = tmp_path / "song.wav"
    write_wav(audio, SR, path)
    info = soundfile.info(str(path))
    assert (info.format, info.subtype, info.samplerate, info.channels) == ("WAV", "PCM_16", SR, 2)
    back, _ = soundfile.read(str(path), dtype="float32")
    assert back.shape == audio.shape
    assert np.allclose(back[1:], audio[1:], atol=1.5 / 32767)
    assert back[0].tolist() == pytest.approx([32767 / 32768, -32767 / 32768], abs=1e-4)
    assert _only(tmp_path) == ["song.wav"]


@needs_ffmpeg
def test_mp3_is_192_kbps_stereo_44100_of_the_right_duration(tmp_path: Path) -> None:
    audio = _audio(7.3)
    path = tmp_path / "song.mp3"
    write_mp3(audio, SR, path)
    info = ffprobe(path)
    (stream,) = streams(info, "audio")
    assert stream["codec_name"] == "mp3"
    assert (int(stream["sample_rate"]), stream["channels"]) == (44_100, 2)
    assert int(stream["bit_rate"]) == 192_000
    assert float(info["format"]["duration"]) == pytest.approx(7.3, abs=0.1)
    decoded, rate = soundfile.read(str(path), dtype="float32")
    assert rate == 44_100 and decoded.shape[1] == 2
    assert decoded.shape[0] / rate == pytest.approx(7.3, abs=0.1)
    assert _only(tmp_path) == ["song.mp3"]


@needs_ffmpeg
def test_mp3_from_mono_48k_becomes_stereo_44100_of_the_same_length(tmp_path: Path) -> None:
    mono = _audio(3.0, 48_000)[:, 0]
    path = tmp_path / "mono.mp3"
    write_mp3(mono, 48_000, path, kbps=128)
    info = ffprobe(path)
    (stream,) = streams(info, "audio")
    assert (int(stream["sample_rate"]), stream["channels"]) == (44_100, 2)
    assert int(stream["bit_rate"]) == 128_000
    assert float(info["format"]["duration"]) == pytest.approx(3.0, abs=0.1)


@pytest.mark.parametrize(
    "bad",
    [
        np.full((SR, 2), np.nan, dtype=np.float32),
        np.zeros((0, 2), dtype=np.float32),
        np.zeros((SR, 3), dtype=np.float32),
        np.zeros((SR, 2), dtype=np.int16),
    ],
    ids=["nan", "empty", "three-channels", "integers"],
)
def test_bad_audio_leaves_no_file_behind(tmp_path: Path, bad: npt.NDArray[np.generic]) -> None:
    with pytest.raises(ValueError):
        write_mp3(bad, SR, tmp_path / "song.mp3")
    with pytest.raises(ValueError):
        write_wav(bad, SR, tmp_path / "song.wav")
    assert _only(tmp_path) == []


def test_a_failed_write_keeps_the_previous_file_and_no_temporary(tmp_path: Path) -> None:
    path = tmp_path / "song.mp3"
    write_mp3(_audio(1.0), SR, path)
    before = path.read_bytes()
    with pytest.raises(ValueError):
        write_mp3(np.full((SR, 2), np.inf, dtype=np.float32), SR, path)
    assert path.read_bytes() == before
    assert _only(tmp_path) == ["song.mp3"]


def test_covers_are_jpegs_of_400_and_1024_pixels(tmp_path: Path) -> None:
    small, large = tmp_path / "cover.jpg", tmp_path / "cover_large.jpg"
    write_covers("Summer Rain", "pop, upbeat", 7, small, large)
    for path, size in ((small, 400), (large, 1024)):
        with Image.open(path) as image:
            assert (image.format, image.size, image.mode) == ("JPEG", (size, size), "RGB")
    assert _only(tmp_path) == ["cover.jpg", "cover_large.jpg"]


def test_covers_take_chinese_long_and_empty_titles(tmp_path: Path) -> None:
    titles = ["快乐的一天 · 我们一起唱歌吧\uff0c直到太阳落山", "word " * 80, "x" * 300, "", "   "]
    for index, title in enumerate(titles):
        write_covers(
            title, "流行, 欢快", index, tmp_path / f"s{index}.jpg", tmp_path / f"l{index}.jpg"
        )
        with Image.open(tmp_path / f"l{index}.jpg") as image:
            assert image.size == (1024, 1024)


def test_chinese_text_uses_a_font_with_chinese_glyphs() -> None:
    font = find_font()
    assert font is not None, "no TrueType font installed at all"
    if "wqy" not in font.name:
        pytest.skip("fonts-wqy-microhei is not installed")
    # a font without the glyphs draws every character as the same missing-glyph box
    drawn = set()
    for char in "快乐歌":
        canvas = Image.new("L", (80, 80))
        ImageDraw.Draw(canvas).text((5, 5), char, font=_font(60), fill=255)
        drawn.add(canvas.tobytes())
    assert len(drawn) == 3


def test_long_titles_wrap_within_the_width_in_at_most_three_lines() -> None:
    draw = ImageDraw.Draw(Image.new("RGB", (1024, 1024)))
    for text in ("a very long title " * 10, "快乐" * 60, "Supercalifragilistic" * 5):
        font, lines = _fit(draw, text, 880.0, largest=113, smallest=39, max_lines=3)
        assert 1 <= len(lines) <= 3
        assert all(draw.textlength(line, font=font) <= 880.0 for line in lines)
    font, lines = _fit(draw, "Short", 880.0, largest=113, smallest=39, max_lines=3)
    assert lines == ["Short"] and getattr(font, "size", 113) == 113


def test_seeds_make_different_covers_and_the_same_seed_the_same() -> None:
    def pixels(seed: int) -> npt.NDArray[np.int16]:
        return np.asarray(render_cover("Title", "sub", seed, size=256), dtype=np.int16)

    first, again, other = pixels(1), pixels(1), pixels(2)
    assert np.array_equal(first, again)
    assert float(np.mean(np.abs(first - other))) > 15.0
    assert float(np.mean(np.abs(pixels(-5) - pixels(2**70)))) > 15.0  # any int is a seed


@needs_ffmpeg
def test_video_has_the_audio_duration_and_both_streams(tmp_path: Path) -> None:
    audio = _audio(6.4)
    write_mp3(audio, SR, tmp_path / "song.mp3")
    write_covers("Video", "test", 3, tmp_path / "s.jpg", tmp_path / "cover.jpg")
    out = tmp_path / "song.mp4"
    write_video(tmp_path / "cover.jpg", tmp_path / "song.mp3", 6.4, out)
    info = ffprobe(out)
    assert "mp4" in info["format"]["format_name"]
    assert float(info["format"]["duration"]) == pytest.approx(6.4, abs=0.5)
    (video,) = streams(info, "video")
    (sound,) = streams(info, "audio")
    assert (video["codec_name"], video["pix_fmt"]) == ("h264", "yuv420p")
    assert (video["width"], video["height"]) == (720, 720)
    assert sound["codec_name"] == "aac"
    assert float(sound["duration"]) == pytest.approx(6.4, abs=0.5)
    assert _only(tmp_path) == ["cover.jpg", "s.jpg", "song.mp3", "song.mp4"]


@needs_ffmpeg
def test_video_can_carry_the_mp3_stream_unchanged(tmp_path: Path) -> None:
    write_mp3(_audio(4.0), SR, tmp_path / "song.mp3")
    write_covers("Copy", "", 4, tmp_path / "s.jpg", tmp_path / "cover.jpg")
    out = tmp_path / "song.mp4"
    write_video(tmp_path / "cover.jpg", tmp_path / "song.mp3", 4.0, out, audio_codec="copy")
    info = ffprobe(out)
    assert [s["codec_name"] for s in streams(info, "audio")] == ["mp3"]
    assert float(info["format"]["duration"]) == pytest.approx(4.0, abs=0.5)


@needs_ffmpeg
def test_a_failed_video_leaves_no_file_behind(tmp_path: Path) -> None:
    write_mp3(_audio(2.0), SR, tmp_path / "song.mp3")
    not_an_image = tmp_path / "cover.jpg"
    not_an_image.write_text("this is not a JPEG")
    with pytest.raises(EncodingError, match="not a readable image"):
        write_video(not_an_image, tmp_path / "song.mp3", 2.0, tmp_path / "song.mp4")
    # audio ffmpeg cannot decode: ffmpeg itself fails, quickly
    not_audio = tmp_path / "noise.mp3"
    not_audio.write_bytes(bytes(range(256)) * 64)
    write_covers("x", "", 1, tmp_path / "s.jpg", tmp_path / "l.jpg")
    with pytest.raises(EncodingError, match="ffmpeg failed"):
        write_video(tmp_path / "l.jpg", not_audio, 2.0, tmp_path / "song.mp4")
    assert _only(tmp_path) == ["cover.jpg", "l.jpg", "noise.mp3", "s.jpg", "song.mp3"]


def test_without_ffmpeg_the_video_is_unavailable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", "")
    assert ffmpeg_path() is None
    with pytest.raises(EncodingUnavailable):
        write_video(tmp_path / "c.jpg", tmp_path / "a.mp3", 1.0, tmp_path / "v.mp4")
    assert _only(tmp_path) == []
