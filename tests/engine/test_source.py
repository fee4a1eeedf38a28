"""The source a song is made from: read once, and listened to once for both clips."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import soundfile

from songgate.engine.listen import listen
from songgate.engine.request import CoverSource, SongRequest
from songgate.engine.source import KEPT_SUFFIX, read_source, source_of

RATE = 44_100


def _beats(path: Path, tempo: float, pitch_hz: float, seconds: float = 8.0) -> None:
    """A mono file of a tone struck on every beat."""
    times = np.arange(int(seconds * RATE)) / RATE
    beat = 60.0 / tempo
    envelope = np.exp(-(times % beat) * 8.0)
    tone = 0.4 * np.sin(2 * np.pi * pitch_hz * times) * envelope
    soundfile.write(str(path), tone.astype(np.float32)[:, None], RATE, subtype="PCM_16")


def _kept(folder: Path) -> list[Path]:
    return sorted(folder.glob(f"*{KEPT_SUFFIX}"))


def test_a_source_is_read_as_stereo_at_its_rate(tmp_path: Path) -> None:
    wav = tmp_path / "song.wav"
    _beats(wav, 120.0, 440.0)
    source = read_source(wav)
    assert source.audio.shape == (8 * RATE, 2)
    assert np.array_equal(source.audio[:, 0], source.audio[:, 1])
    assert source.rate == RATE and abs(source.seconds - 8.0) < 1e-9


def test_the_second_clip_reads_what_the_first_heard(tmp_path: Path) -> None:
    wav, shared = tmp_path / "song.wav", tmp_path / "task"
    shared.mkdir()
    _beats(wav, 120.0, 440.0)
    first = read_source(wav, shared).analysis()
    assert len(_kept(shared)) == 1
    kept = _kept(shared)[0]
    stamp = kept.stat().st_mtime_ns
    second = read_source(wav, shared).analysis()
    assert second == first == listen(read_source(wav).audio, RATE)
    assert kept.stat().st_mtime_ns == stamp  # read, not written again


def test_each_view_of_a_source_is_kept_apart(tmp_path: Path) -> None:
    wav, shared = tmp_path / "song.wav", tmp_path / "task"
    shared.mkdir()
    _beats(wav, 120.0, 440.0)
    source = read_source(wav, shared)
    whole, head = source.analysis(), source.analysis(until=4.0)
    assert len(_kept(shared)) == 2
    assert whole.seconds > head.seconds
    assert head == listen(source.audio[: 4 * RATE], RATE)


def test_a_changed_file_is_heard_again(tmp_path: Path) -> None:
    wav, shared = tmp_path / "song.wav", tmp_path / "task"
    shared.mkdir()
    _beats(wav, 120.0, 440.0)
    before = read_source(wav, shared).analysis()
    _beats(wav, 90.0, 330.0, seconds=9.0)
    os.utime(wav, ns=(1, 1))  # another modification time as well as another size
    after = read_source(wav, shared).analysis()
    assert after == listen(read_source(wav).audio, RATE)
    assert after.seconds != before.seconds
    assert len(_kept(shared)) == 2


def test_a_folder_that_cannot_keep_it_still_hears(tmp_path: Path) -> None:
    wav = tmp_path / "song.wav"
    _beats(wav, 120.0, 440.0)
    not_a_folder = tmp_path / "a-file"
    not_a_folder.write_bytes(b"")
    heard = read_source(wav, not_a_folder).analysis()
    assert heard == listen(read_source(wav).audio, RATE)


def test_a_request_names_its_source(tmp_path: Path) -> None:
    wav = tmp_path / "song.wav"
    _beats(wav, 120.0, 440.0)
    assert source_of(SongRequest(lyrics="", tags="pop")) is None
    found = source_of(SongRequest(lyrics="", tags="pop", cover=CoverSource(wav),
                                  listened_in=tmp_path))
    assert found is not None and found.path == wav and found.keep_in == tmp_path
