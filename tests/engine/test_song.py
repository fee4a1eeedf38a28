"""The whole engine on real output: length, loudness, peaks, tempo, pitch, determinism."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyloudnorm
import pytest
import soundfile
from PIL import Image

from songgate.engine.compose.score import compose
from songgate.engine.master.balance import voice_over_band_db
from songgate.engine.master.mix import integrated_lufs, true_peak_dbtp
from songgate.engine.request import SongRequest
from songgate.engine.song import STEM_NAMES, SongFiles, make_song
from songgate.engine.style.parse import parse_style
from songgate.engine.text.form import parse_form
from songgate.engine.types import SectionKind
from tests.support.audio_analysis import estimate_tempo, octave_profile, tempo_matches

LYRICS = """[Verse]
Sunday morning light on the window
Coffee in my hand and nowhere to go
[Chorus]
Happy weekend, sing it with me
Happy weekend, we are free
"""
TAGS = "upbeat pop"


@pytest.fixture(scope="module")
def sung(tmp_path_factory: pytest.TempPathFactory) -> SongFiles:
    stages: list[tuple[str, float]] = []
    files = make_song(
        SongRequest(lyrics=LYRICS, tags=TAGS, title="Happy Weekend", seed=7,
                    max_seconds=120),
        tmp_path_factory.mktemp("sung"), stem="sung",
        progress=lambda stage, fraction: stages.append((stage, fraction)),
    )
    assert [s for s, _ in stages] == ["compose", "preview", "render", "sing", "master", "mp3",
                                      "cover", "video"]
    assert [f for _, f in stages] == sorted(f for _, f in stages) and stages[-1][1] > 0.99
    return files


@pytest.fixture(scope="module")
def instrumental(tmp_path_factory: pytest.TempPathFactory) -> SongFiles:
    return make_song(
        SongRequest(lyrics="", tags="sad piano ballad", instrumental=True, seed=3,
                    max_seconds=60),
        tmp_path_factory.mktemp("instrumental"), stem="inst",
    )


def read(path: Path) -> tuple[np.ndarray, int]:
    audio, rate = soundfile.read(path, dtype="float32", always_2d=True)
    return audio, rate


@pytest.mark.parametrize("which", ["sung", "instrumental"])
def test_files_length_loudness_and_peak(which: str, request: pytest.FixtureRequest) -> None:
    files: SongFiles = request.getfixturevalue(which)
    wav, rate = read(files.wav)
    assert rate == 44_100 and wav.shape[1] == 2
    assert abs(len(wav) / rate - files.duration) < 0.05
    mp3, mp3_rate = read(files.mp3)
    assert mp3_rate == 44_100 and abs(len(mp3) / mp3_rate - files.duration) < 1.0
    assert abs(integrated_lufs(wav, rate) - (-14.0)) <= 1.0
    assert true_peak_dbtp(wav, rate) <= -1.0
    assert np.max(np.abs(wav)) < 1.0
    with Image.open(files.cover) as small, Image.open(files.cover_large) as large:
        assert small.format == large.format == "JPEG" and large.size[0] > small.size[0]
    assert files.video is not None and files.video.stat().st_size > 1000


@pytest.mark.parametrize("which", ["sung", "instrumental"])
def test_tempo_is_the_styles(which: str, request: pytest.FixtureRequest) -> None:
    files: SongFiles = request.getfixturevalue(which)
    wav, rate = read(files.wav)
    measured = estimate_tempo(wav, rate)
    assert tempo_matches(measured, files.style.tempo), (measured, files.style.tempo)


def test_stems_sit_beside_the_song_and_sum_to_it(sung: SongFiles) -> None:
    wav, rate = read(sung.wav)
    assert "vocals" in sung.stems and "drums" in sung.stems and "bass" in sung.stems
    assert set(sung.stems) <= set(STEM_NAMES) - {"original"}
    stems = {}
    for name, path in sung.stems.items():
        assert path.parent == sung.wav.parent and path.name == f"sung_{name}.flac"
        stems[name], stem_rate = read(path)
        assert stem_rate == rate and stems[name].shape == wav.shape
    residual = sum(stems.values()) - wav
    assert 10 * np.log10(float(np.sum(residual**2)) / float(np.sum(wav**2))) < -60.0


def test_the_voice_stands_over_the_band_in_the_words_range(sung: SongFiles) -> None:
    stems = {name: read(path)[0] for name, path in sung.stems.items()}
    band = sum(audio for name, audio in stems.items() if name != "vocals")
    assert voice_over_band_db(stems["vocals"], band, 44_100) >= 3.0


def _section_loudness(audio: np.ndarray, rate: int, files: SongFiles, kind: SectionKind) -> float:
    """Mean short-term loudness (3 s windows, 1 s apart) over the sections of ``kind``."""
    score = compose(parse_style(TAGS, "", seed=7), parse_form(LYRICS), seed=7, max_seconds=120)
    assert abs(score.seconds - files.duration) < 1.0  # the same song, composed again
    meter = pyloudnorm.Meter(rate, block_size=3.0)
    values: list[float] = []
    for span in score.sections:
        if span.kind is kind:
            at = score.seconds_at(span.start_bar * score.meter)
            end = score.seconds_at((span.start_bar + span.bars) * score.meter)
            while at + 3.0 <= end:
                window = audio[round(at * rate) : round((at + 3.0) * rate)]
                values.append(meter.integrated_loudness(window))
                at += 1.0
    assert values
    return float(np.mean(values))


def test_the_chorus_is_louder_than_the_verse(sung: SongFiles) -> None:
    """Band and singer both lift into the chorus, so the mastered song does by 2 LU or more."""
    wav, rate = read(sung.wav)
    louder = _section_loudness(wav, rate, sung, SectionKind.CHORUS) - _section_loudness(
        wav, rate, sung, SectionKind.VERSE
    )
    assert louder >= 2.0, louder
    vocal, _ = read(sung.stems["vocals"])
    sung_up = _section_loudness(vocal, rate, sung, SectionKind.CHORUS) - _section_loudness(
        vocal, rate, sung, SectionKind.VERSE
    )
    assert sung_up >= 1.5, sung_up  # the singer, not just the band


def test_the_band_is_in_stereo(instrumental: SongFiles) -> None:
    wav, _ = read(instrumental.wav)
    mid, side = wav[:, 0] + wav[:, 1], wav[:, 0] - wav[:, 1]
    assert 10 * np.log10(float(np.sum(side**2)) / float(np.sum(mid**2))) > -25.0
    assert "vocals" not in instrumental.stems and instrumental.stems  # no voice, a band


def test_sung_song_is_in_tune(sung: SongFiles) -> None:
    assert sung.sung and sung.title == "Happy Weekend"


def test_different_tags_sound_different(sung: SongFiles, instrumental: SongFiles) -> None:
    assert sung.style.tempo != instrumental.style.tempo
    a, rate = read(sung.wav)
    b, _ = read(instrumental.wav)
    # the spectral shape, octave by octave: one number such as the centroid can
    # coincide for a drum-driven pop song and a piano ballad
    difference = np.abs(octave_profile(a, rate) - octave_profile(b, rate))
    assert float(difference.max()) > 3.0, difference


def test_same_seed_same_midi(sung: SongFiles, tmp_path: Path) -> None:
    again = make_song(
        SongRequest(lyrics=LYRICS, tags=TAGS, title="Happy Weekend", seed=7,
                    max_seconds=120),
        tmp_path, stem="again",
    )
    assert again.midi.read_bytes() == sung.midi.read_bytes()


@pytest.mark.parametrize(
    ("lyrics", "tags"),
    [
        (LYRICS, "upbeat pop"),
        ("[Verse]\n快乐的周末阳光照在窗前\n[Chorus]\n唱吧唱吧我们自由", "中国风 古筝"),
    ],
)
def test_the_composed_melody_is_sung_in_tune(lyrics: str, tags: str) -> None:
    from songgate.engine.compose.score import compose
    from songgate.engine.sing.measure import measure_pitch_accuracy
    from songgate.engine.sing.vocals import sing
    from songgate.engine.style.parse import parse_style
    from songgate.engine.text.form import parse_form

    score = compose(parse_style(tags, seed=5), parse_form(lyrics), seed=5, max_seconds=120)
    assert len(score.vocal) >= 15
    vocal = sing(score, sample_rate=44_100, seed=5)
    assert measure_pitch_accuracy(vocal, 44_100, score) >= 0.9


@pytest.mark.parametrize(
    ("lyrics", "tags", "sung"),
    [
        ("[Verse]\n[Chorus]\n[Outro]", "pop", False),  # only markers
        ("🎵🎶🔥\n✨✨", "zxqv blorp", False),  # emoji only, unknown tags
        ("Hello 世界 Привет こんにちは 123", "lofi", True),  # mixed scripts
        ("[Verse]\n" + "A very long line of words that goes on and on\n" * 100, "rock", True),
    ],
)
def test_odd_input_still_makes_a_song(lyrics: str, tags: str, sung: bool, tmp_path: Path) -> None:
    files = make_song(SongRequest(lyrics=lyrics, tags=tags, seed=1, max_seconds=20), tmp_path)
    assert files.sung is sung
    assert 5 < files.duration <= 20.5
    assert files.mp3.stat().st_size > 10_000


def test_without_system_tools_the_song_still_comes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", "")  # no fluidsynth, espeak-ng or ffmpeg to be found
    files = make_song(SongRequest(lyrics=LYRICS, tags="folk", seed=2, max_seconds=20), tmp_path)
    # libflite is a library, not a program on the PATH: the English lyrics are still sung
    assert files.renderer == "numpy" and files.sung and files.video is None
    wav, rate = read(files.wav)
    assert abs(integrated_lufs(wav, rate) + 14.0) <= 1.0 and true_peak_dbtp(wav, rate) <= -1.0
    assert files.mp3.stat().st_size > 10_000
