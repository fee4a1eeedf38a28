"""The local provider around real child renders: failures, cancellation, extension sources."""

from __future__ import annotations

import asyncio
import io
import os
import subprocess
import uuid
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path

import numpy as np
import orjson
import pytest
import soundfile

from songgate.domain.results import ClipOutput, LyricsResult, MusicResult
from songgate.domain.status import Action
from songgate.domain.submit import parse_lyrics, parse_music
from songgate.engine.song import STEM_NAMES
from songgate.errors import FinalProviderError, RetryableProviderError
from songgate.media.base import LocalFile
from songgate.media.failures import STORAGE_NOT_WRITABLE
from songgate.media.names import names_for
from songgate.media.store import MediaStore
from songgate.providers.base import ProviderContext, ProviderTask
from songgate.providers.local import RENDER_FAILED, LocalProvider, clip_seed


class Recorder:
    """The progress a provider reports; ``fetch`` reads a stream the moment it is reported."""

    def __init__(self, fetch: Callable[[str], Awaitable[bytes | None]] | None = None) -> None:
        self.fractions: list[float] = []
        self.finished: list[str] = []
        self.streams: list[tuple[str, str, bytes | None]] = []  # clip id, URL, what it served
        self._fetch = fetch

    async def __call__(self, fraction: float, finished: Sequence[ClipOutput] = ()) -> None:
        self.fractions.append(fraction)
        self.finished.extend(clip.id for clip in finished if not clip.streaming)
        for clip in finished:
            if clip.streaming:
                served = await self._fetch(clip.audio_url) if self._fetch else None
                self.streams.append((clip.id, clip.audio_url, served))


def decoded_seconds(data: bytes) -> float:
    audio, rate = soundfile.read(io.BytesIO(data), dtype="float32")
    assert np.any(audio)
    return len(audio) / rate


def media(tmp_path: Path) -> MediaStore:
    return MediaStore(tmp_path / "media", "http://songs.test")


def provider(tmp_path: Path) -> LocalProvider:
    return LocalProvider(ProviderContext(media(tmp_path)))


def music_task(**body: object) -> ProviderTask:
    return ProviderTask(id="t", action=Action.MUSIC, spec=parse_music(body),
                        clip_ids=(str(uuid.uuid4()), str(uuid.uuid4())), attempt=1)


def local_jobs() -> int:
    """This test process's render children (other processes on the machine may render too)."""
    found = subprocess.run(["pgrep", "-P", str(os.getpid()), "-f", "songgate.providers.local_job"],
                           capture_output=True, text=True, check=False)
    return len(found.stdout.split())


async def test_two_clips_with_merged_progress(tmp_path: Path) -> None:
    async def fetch(url: str) -> bytes | None:  # what the media store serves at that moment
        name = url.rsplit("/", 1)[1]
        found = await store.serve(name, None, head=False)
        return found.path.read_bytes() if isinstance(found, LocalFile) else None

    store = media(tmp_path)
    recorder = Recorder(fetch)
    task = music_task(prompt="[Verse]\nOne small song", tags="folk", mv="chirp-v3-0")
    result = await LocalProvider(ProviderContext(store)).run(task, recorder)
    assert isinstance(result, MusicResult) and [c.id for c in result.clips] == list(task.clip_ids)
    assert sorted(recorder.finished) == sorted(task.clip_ids)
    for clip in result.clips:  # while it rendered: its first bars, the song section by
        streams = [(url, served) for clip_id, url, served in recorder.streams  # section,
                   if clip_id == clip.id]  # then the whole song
        assert {url for url, _ in streams} == {f"http://songs.test/media/stream_{clip.id}.mp3"}
        first, *growing, whole = (served for _, served in streams)
        assert first is not None and 0 < decoded_seconds(first) < clip.duration
        assert growing and all(served is not None for served in growing)
        lengths = [decoded_seconds(served) for served in growing if served is not None]
        assert lengths == sorted(lengths) and lengths[-1] > decoded_seconds(first)
        assert whole == (tmp_path / "media" / f"{clip.id}.mp3").read_bytes()
        assert not (tmp_path / "media" / f"stream_{clip.id}.mp3").exists()  # gone once done
    assert recorder.fractions == sorted(recorder.fractions) and recorder.fractions[-1] == 1.0
    assert len(set(recorder.fractions)) >= 6
    for clip in result.clips:
        assert clip.audio_url == f"http://songs.test/media/{clip.id}.mp3"
        assert (tmp_path / "media" / f"{clip.id}.mp3").is_file()
    assert not list((tmp_path / "media" / ".work").iterdir())  # scratch space cleaned
    published = [path.name for path in (tmp_path / "media").rglob("*") if path.is_file()]
    for clip in result.clips:  # each stem the song has is kept beside it, to make stems of
        meta = orjson.loads((tmp_path / "media" / ".meta" / f"{clip.id}.json").read_bytes())
        assert "vocals" in meta["stems"] and set(meta["stems"]) <= set(STEM_NAMES)
        assert {f"{clip.id}_{stem}.flac" for stem in meta["stems"]} <= set(published)
    assert clip_seed(task.clip_ids[0]) != clip_seed(task.clip_ids[1])


async def test_cancelling_kills_the_renders_and_drops_their_streams(tmp_path: Path) -> None:
    before = local_jobs()
    lyrics = "[Verse]\n" + "Singing all night long until the morning\n" * 30
    recorder = Recorder()
    run = asyncio.create_task(
        provider(tmp_path).run(music_task(prompt=lyrics, tags="pop"), recorder))
    for _ in range(2400):  # until a clip streams its first bars
        await asyncio.sleep(0.05)
        if recorder.streams:
            break
    assert recorder.streams and local_jobs() == before + 2
    assert list((tmp_path / "media").glob("stream_*.mp3"))
    run.cancel()
    with pytest.raises(asyncio.CancelledError):
        await run
    assert local_jobs() == before
    assert not list((tmp_path / "media").glob("stream_*"))  # no stream outlives its render


async def test_a_failed_render_is_retryable_and_says_nothing_internal(tmp_path: Path) -> None:
    source = str(uuid.uuid4())
    store = media(tmp_path)
    store.root.mkdir(parents=True)
    (store.root / names_for(source).wav).write_bytes(b"not a wav file")
    await store.write_meta(source, {"tags": "pop", "negative_tags": "", "style_seed": 1, "seed": 1})
    task = music_task(prompt="more", continue_clip_id=source, continue_at=5)
    with pytest.raises(RetryableProviderError) as raised:
        await provider(tmp_path).run(task, Recorder())
    assert raised.value.message == RENDER_FAILED


class ScratchBehindAFile(MediaStore):
    """A media store whose scratch space lies under a regular file: every write there fails."""

    def work_dir(self) -> Path:
        return self.root / "not-a-directory" / "scratch"


async def test_a_render_that_cannot_write_its_files_says_so_without_the_path(
    tmp_path: Path,
) -> None:
    store = ScratchBehindAFile(tmp_path / "media", "http://songs.test")
    store.root.mkdir(parents=True)
    (store.root / "not-a-directory").write_bytes(b"")
    task = music_task(prompt="[Verse]\nOne small song", tags="folk", mv="chirp-v3-0")
    with pytest.raises(RetryableProviderError) as raised:
        await LocalProvider(ProviderContext(store)).run(task, Recorder())
    assert raised.value.message == STORAGE_NOT_WRITABLE  # the child's errno, not its text


async def test_extending_a_clip_from_elsewhere_is_refused(tmp_path: Path) -> None:
    task = music_task(prompt="more", continue_clip_id=str(uuid.uuid4()), continue_at=5)
    with pytest.raises(FinalProviderError, match="not made by this server"):
        await provider(tmp_path).run(task, Recorder())


async def test_lyrics_are_written_offline_in_this_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No render child for words (how fast they come: benchmarks/lyrics.py)."""

    async def no_child(*args: object, **kwargs: object) -> None:
        raise AssertionError("a LYRICS task started a child process")

    monkeypatch.setattr(asyncio, "create_subprocess_exec", no_child)
    task = ProviderTask(id="t", action=Action.LYRICS,
                        spec=parse_lyrics({"prompt": "a song about a happy weekend"}),
                        clip_ids=(), attempt=1)
    result = await provider(tmp_path).run(task, Recorder())
    assert isinstance(result, LyricsResult) and result.title
    assert result.text.startswith("[Verse]\n") and result.text.count("[Chorus]") == 3
