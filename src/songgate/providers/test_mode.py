"""The test-mode provider: the outcome a task asked for, with placeholder songs made at once.

Every clip is the same short tone with covers and a video (real MP3, WAV, JPEG and MP4
files), made once per process and copied under each clip's names, so hundreds of test
tasks finish in seconds. The stages, their waits and the ending follow the task's
:class:`~songgate.domain.test_mode.TestOutcome`; nothing is random.
"""

from __future__ import annotations

import asyncio
import math
import shutil
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from songgate.domain.clip_files import FileSpec
from songgate.domain.concat import ConcatSpec
from songgate.domain.results import ClipOutput, LyricsResult, MusicResult, TaskResult
from songgate.domain.stems import StemSpec
from songgate.domain.submit import LyricsSpec, MusicSpec
from songgate.domain.test_mode import STAGES, End, TestOutcome, stored_outcome
from songgate.engine.encode.audio import write_mp3, write_wav
from songgate.engine.encode.covers import write_covers
from songgate.engine.encode.video import ffmpeg_path, write_video
from songgate.errors import FinalProviderError
from songgate.media.base import MediaBackend
from songgate.media.names import names_for
from songgate.providers.base import ProgressSink, ProviderContext, ProviderTask

SAMPLE_RATE = 22050
TONE_SECONDS = 2.0
TONE_HZ = 440.0
DEFAULT_TITLE = "songgate test song"


@dataclass(frozen=True, slots=True)
class Placeholder:
    """The files every test clip is a copy of; ``video`` is None without ffmpeg."""

    audio: Path
    wav: Path
    image: Path
    image_large: Path
    video: Path | None


def tone() -> np.ndarray:
    """A plain A4 with short fades, so it starts and stops without a click."""
    t = np.arange(int(SAMPLE_RATE * TONE_SECONDS)) / SAMPLE_RATE
    wave = 0.3 * np.sin(2 * math.pi * TONE_HZ * t)
    fade = int(SAMPLE_RATE * 0.05)
    envelope = np.ones_like(wave)
    envelope[:fade] = np.linspace(0.0, 1.0, fade)
    envelope[-fade:] = np.linspace(1.0, 0.0, fade)
    return wave * envelope


def make_placeholder(into: Path) -> Placeholder:
    audio = tone()
    placeholder = Placeholder(
        audio=into / "tone.mp3", wav=into / "tone.wav", image=into / "cover.jpeg",
        image_large=into / "cover_large.jpeg",
        video=into / "tone.mp4" if ffmpeg_path() else None,
    )
    write_wav(audio, SAMPLE_RATE, placeholder.wav)
    write_mp3(audio, SAMPLE_RATE, placeholder.audio, kbps=64)
    write_covers(DEFAULT_TITLE, "test mode", 0, placeholder.image, placeholder.image_large)
    if placeholder.video is not None:
        write_video(placeholder.image, placeholder.audio, TONE_SECONDS, placeholder.video,
                    audio_codec="copy")
    return placeholder


def test_title(spec: MusicSpec) -> str:
    """The title a test clip gets: the one asked for, else the description's first words."""
    if spec.title.strip():
        return spec.title.strip()
    words = spec.gpt_description_prompt.split()[:6]
    return " ".join(words).strip(" ,.;:!?").capitalize() if words else DEFAULT_TITLE


def test_lyrics(spec: MusicSpec) -> str:
    """The words a test clip carries: the client's own in custom mode, else a fixed sheet."""
    if spec.make_instrumental:
        return ""
    if spec.prompt.strip():
        return spec.prompt
    about = " ".join(spec.gpt_description_prompt.split()[:12]) or "nothing at all"
    return (f"[Verse]\nThis is a songgate test song\nAbout {about}\n\n"
            "[Chorus]\nA single tone, a steady line\nThe test goes on, the test is fine\n")


class TestModeProvider:
    __test__ = False  # not a pytest test class, whatever its name

    def __init__(self, context: ProviderContext) -> None:
        self._media: MediaBackend = context.media
        self._dir: Path | None = None
        self._placeholder: Placeholder | None = None
        self._making = asyncio.Lock()

    async def run(self, task: ProviderTask, progress: ProgressSink) -> TaskResult:
        spec = task.spec
        if isinstance(spec, ConcatSpec):
            raise FinalProviderError("test mode does not join extension chains")
        if isinstance(spec, FileSpec | StemSpec):
            raise FinalProviderError("test mode makes no files or stems on demand")
        outcome = stored_outcome(spec.test_outcome) or TestOutcome()
        await self._stage(outcome)  # text: the words are written
        await progress(1 / len(STAGES))
        if outcome.end is End.STALL:
            await asyncio.Event().wait()  # until the deadline (or shutdown) cancels the run
        if outcome.end is End.FAILURE:
            raise FinalProviderError(outcome.fail_reason)
        if isinstance(spec, LyricsSpec):
            await self._stage(outcome)
            await self._stage(outcome)
            return LyricsResult(title=DEFAULT_TITLE,
                                text=test_lyrics(_lyrics_as_music(spec)))
        placeholder = await self._files()
        clips: list[ClipOutput] = []
        for clip_id in task.clip_ids:  # first, then complete
            await self._stage(outcome)
            clips.append(await self._publish(clip_id, placeholder, spec))
            if len(clips) < len(task.clip_ids):
                await progress((1 + len(clips)) / len(STAGES), tuple(clips))
        return MusicResult(tuple(clips))

    @staticmethod
    async def _stage(outcome: TestOutcome) -> None:
        if outcome.stage_seconds:
            await asyncio.sleep(outcome.stage_seconds)

    async def _files(self) -> Placeholder:
        async with self._making:
            if self._placeholder is None:
                self._dir = self._media.work_dir()
                self._placeholder = await asyncio.to_thread(make_placeholder, self._dir)
            return self._placeholder

    async def _publish(self, clip_id: str, files: Placeholder, spec: MusicSpec) -> ClipOutput:
        names = names_for(clip_id)
        scratch = self._media.work_dir()
        try:
            def copy(source: Path) -> Path:
                target = scratch / source.name
                shutil.copyfile(source, target)
                return target

            publish = self._media.publish
            await publish(copy(files.wav), names.wav)
            image = await publish(copy(files.image), names.image)
            image_large = await publish(copy(files.image_large), names.image_large)
            video = (await publish(copy(files.video), names.video)
                     if files.video is not None else "")
            audio = await publish(copy(files.audio), names.audio)  # last: playable now
        finally:
            self._media.discard(scratch)
        return ClipOutput(id=clip_id, audio_url=audio, image_url=image,
                          image_large_url=image_large, video_url=video,
                          duration=TONE_SECONDS, title=test_title(spec), tags=spec.tags,
                          prompt=test_lyrics(spec))

    async def close(self) -> None:
        if self._dir is not None:
            self._media.discard(self._dir)
        self._dir = self._placeholder = None


def _lyrics_as_music(spec: LyricsSpec) -> MusicSpec:
    return MusicSpec(mv="", prompt="", tags="", negative_tags="", title="",
                     make_instrumental=False, gpt_description_prompt=spec.prompt,
                     continue_clip_id="", continue_at=None, notify_hook="")


def test_mode(context: ProviderContext) -> TestModeProvider:
    return TestModeProvider(context)
