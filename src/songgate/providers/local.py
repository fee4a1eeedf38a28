"""The ``local`` provider: songs from the offline engine, rendered in child processes.

LYRICS tasks and description mode get their words from the configured lyrics
writer (the offline writer, or a chat-completions endpoint that falls back to it).

Each clip of a MUSIC task renders in its own ``local_job`` process, at most one
render per core at a time (across all tasks of this worker). Progress from both
clips is merged into the task's progress; a clip whose files are published
shows as complete while the other still streams. While a clip renders, its
``audio_url`` is its stream (``stream_{clip}.mp3``): the song's first bars soon
after the render starts, then longer section by section as the voice is sung, then
the whole mastered song before its covers and video; the stream is removed once the
clip's own files are published, or the render failed.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import shutil
import sys
import uuid
import wave
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from songgate.domain.clip_files import FileSpec
from songgate.domain.concat import ConcatSpec
from songgate.domain.models import MODEL_VERSIONS
from songgate.domain.results import ClipOutput, LyricsResult, MusicResult, TaskResult
from songgate.domain.stems import StemSpec
from songgate.domain.submit import LyricsSpec, MusicSpec
from songgate.engine.request import CoverSource, SongRequest
from songgate.errors import FinalProviderError, ProviderError, RetryableProviderError
from songgate.media.failures import storage_reason
from songgate.media.names import names_for, stem_source
from songgate.providers.base import ProgressSink, ProviderContext, ProviderTask
from songgate.providers.clip_timing import read_timing
from songgate.providers.cover_source import cover_source
from songgate.providers.local_files import make_file
from songgate.providers.local_sources import Source, heard_continuation, load_source, sourced
from songgate.providers.part_source import upload_wav, with_part
from songgate.providers.render_job import (
    RenderFailure,
    RenderJob,
    RenderProgress,
    RenderResult,
    RenderStream,
    from_line,
    job_to_json,
    message,
)
from songgate.providers.stem_clips import make_stems

log = logging.getLogger("songgate.providers.local")

JOB_MODULE = "songgate.providers.local_job"
RENDER_FAILED = "the offline engine could not render this song"


def _wav_seconds(path: Path) -> float:
    """Seconds of audio in a WAV file (the concat's copy, before it is published)."""
    with contextlib.suppress(FileNotFoundError), wave.open(str(path), "rb") as found:
        return found.getnframes() / float(found.getframerate())
    return 0.0


def clip_seed(clip_id: str) -> int:
    """A stable seed per clip: the two clips of a task differ, a rerun sounds the same."""
    return zlib.crc32(uuid.UUID(clip_id).bytes) & 0x7FFFFFFF


@dataclass
class _Tracker:
    """Merges the clips' fractions into one task fraction."""

    fractions: list[float]

    def update(self, index: int, fraction: float) -> float:
        self.fractions[index] = max(self.fractions[index], fraction)
        return sum(self.fractions) / len(self.fractions)


@dataclass(frozen=True, slots=True)
class Words:
    """What a song sings and how it is styled: the client's, or written from a description."""

    lyrics: str
    tags: str
    title: str
    instrumental: bool


def text_seed(task_id: str) -> int:
    """A stable seed per task for writing: both clips sing the same written words."""
    return zlib.crc32(task_id.encode()) & 0x7FFFFFFF


def song_job(
    spec: MusicSpec, words: Words, clip_id: str, out_dir: Path,
    source: Source | CoverSource | None = None,
) -> RenderJob:
    seed = clip_seed(clip_id)
    song = SongRequest(
        lyrics=words.lyrics,
        tags=words.tags,
        negative_tags=spec.negative_tags,
        title=words.title,
        instrumental=words.instrumental,
        max_seconds=float(MODEL_VERSIONS[spec.mv].max_duration_seconds),
        seed=seed,
        style_seed=seed if spec.persona_style_seed is None else spec.persona_style_seed,
        vocal_gender=spec.vocal_gender,
        style_weight=spec.style_weight,
        weirdness=spec.weirdness_constraint,
    )
    if isinstance(source, CoverSource):  # the song's tempo, key, chords and tune
        song = replace(song, cover=source)
    elif source is not None:  # an extension or a replaced span (providers/local_sources.py)
        song = sourced(song, spec, source)
    return RenderJob(song=song, out_dir=out_dir, stem=clip_id)


async def _no_url() -> str:
    return ""


def _first_failure(group: ExceptionGroup[Exception]) -> Exception:
    """The failure that explains the task best: a classified provider error if there is one."""
    errors = list(group.exceptions)
    return next((e for e in errors if isinstance(e, ProviderError)), errors[0])


class LocalProvider:
    def __init__(self, context: ProviderContext, *, render_slots: int | None = None) -> None:
        self._media = context.media
        self._render_slots = render_slots or os.cpu_count() or 1
        self._writer = context.writer
        self._slots: asyncio.Semaphore | None = None

    async def run(self, task: ProviderTask, progress: ProgressSink) -> TaskResult:
        await progress(0.0)
        if isinstance(task.spec, LyricsSpec):
            written = await self._writer.write(task.spec.prompt, text_seed(task.id))
            return LyricsResult(title=written.title, text=written.text)
        if isinstance(task.spec, ConcatSpec):
            return await self._concat(task.clip_ids[0], task.spec, progress)
        if isinstance(task.spec, FileSpec):
            with self._scratch() as scratch:
                return await make_file(self._media, task.spec, scratch)
        if isinstance(task.spec, StemSpec):
            with self._scratch() as scratch:
                return await make_stems(self._media, task.spec, scratch, progress)
        spec = task.spec
        with self._scratch() as scratch:  # holds a copy of the source clip while both render
            source: Source | CoverSource | None = None
            if spec.continue_clip_id:
                source = await self._source(spec.continue_clip_id, scratch)
            elif spec.cover_clip_id:
                source = await cover_source(self._media, spec.cover_clip_id, scratch)
            upload = None
            if spec.part_clip_id:  # add_vocals / add_instrumental: the upload it goes with
                upload = await upload_wav(self._media, spec.part_clip_id, scratch)
            words = await self._words(task.id, spec)
            if self._slots is None:
                self._slots = asyncio.Semaphore(self._render_slots)
            tracker = _Tracker([0.0] * len(task.clip_ids))
            try:
                async with asyncio.TaskGroup() as group:
                    jobs = [
                        group.create_task(
                            self._clip(spec, words, index, clip_id, tracker, progress, source,
                                       upload, scratch)
                        )
                        for index, clip_id in enumerate(task.clip_ids)
                    ]
            except ExceptionGroup as failed:  # one clip failed and the other was stopped
                raise _first_failure(failed) from None
        return MusicResult(tuple(job.result() for job in jobs))

    async def _concat(self, clip_id: str, spec: ConcatSpec, progress: ProgressSink) -> MusicResult:
        """The chain's last clip already holds the whole song (see domain/concat.py): its
        files are published again under the new clip's names."""
        source, target = names_for(spec.clip_id), names_for(clip_id)
        meta = await self._media.read_meta(spec.clip_id)
        urls: dict[str, str] = {}
        duration = 0.0
        with self._scratch() as scratch:
            for field in ("wav", "midi", "image", "image_large", "video", "audio"):  # mp3 last
                found = await self._media.local_copy(getattr(source, field), scratch)
                if found is None:
                    if field in ("video", "midi"):
                        urls[field] = ""
                        continue
                    raise FinalProviderError("a part of the chain has lost its files")
                copy = scratch / f"concat-{field}"
                shutil.copyfile(found, copy)
                if field == "wav":
                    duration = _wav_seconds(copy)
                urls[field] = await self._media.publish(copy, getattr(target, field))
        if meta is not None:
            await self._media.write_meta(clip_id, meta)
        output = ClipOutput(id=clip_id, audio_url=urls["audio"], image_url=urls["image"],
                            image_large_url=urls["image_large"], video_url=urls["video"],
                            duration=duration)
        await progress(1.0, [output])
        return MusicResult((output,))

    @contextlib.contextmanager
    def _scratch(self) -> Iterator[Path]:
        work = self._media.work_dir()
        try:
            yield work
        finally:
            self._media.discard(work)

    async def _words(self, task_id: str, spec: MusicSpec) -> Words:
        """Description mode writes title, tags and lyrics once, before composing."""
        if not spec.is_description_mode:
            return Words(spec.prompt, spec.tags, spec.title, spec.make_instrumental)
        written = await self._writer.write(spec.gpt_description_prompt, text_seed(task_id))
        return Words(
            lyrics="" if spec.make_instrumental else written.text,
            tags=spec.tags or written.tags,
            title=spec.title or written.title,
            instrumental=spec.make_instrumental,
        )

    async def _source(self, clip_id: str, scratch: Path) -> Source:
        """The clip to extend, wherever the media store keeps it (copied into ``scratch``)."""
        return await load_source(self._media, clip_id, scratch)

    async def _clip(
        self, spec: MusicSpec, words: Words, index: int, clip_id: str, tracker: _Tracker,
        progress: ProgressSink, source: Source | CoverSource | None, upload: Path | None = None,
        shared: Path | None = None,
    ) -> ClipOutput:
        assert self._slots is not None
        try:
            async with self._slots:
                with self._scratch() as work:
                    job = with_part(song_job(spec, words, clip_id, work, source), spec, upload)
                    if shared is not None:  # the source is listened to once for both clips
                        job = replace(job, song=replace(job.song, listened_in=shared))
                    result = await self._render(job, index, tracker, progress)
                    output = await self._publish(clip_id, result, job)
            await progress(tracker.update(index, 1.0), [output])
        finally:  # the clip is complete, or failed: either way its stream is done
            await self._drop_stream(clip_id)
        return output

    async def _stream(
        self, clip_id: str, item: RenderStream, fraction: float, progress: ProgressSink
    ) -> None:
        """The song so far, published over the clip's stream: its audio_url while it renders.
        A stream the store cannot take is skipped: the clip goes on without it."""
        try:
            url = await self._media.publish(item.path, names_for(clip_id).stream)
        except Exception as error:  # a stream is a nicety, the clip is the job
            log.warning("stream not published", extra={"clip_id": clip_id,
                                                       "error": type(error).__name__})
            return
        await progress(fraction, [ClipOutput.stream(clip_id, url)])

    async def _drop_stream(self, clip_id: str) -> None:
        try:
            await self._media.remove(names_for(clip_id).stream)
        except Exception as error:  # the clip's own result stands
            log.warning("stream not removed", extra={"clip_id": clip_id,
                                                     "error": type(error).__name__})

    async def _render(
        self, job: RenderJob, index: int, tracker: _Tracker, progress: ProgressSink
    ) -> RenderResult:
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", JOB_MODULE,
            stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        assert process.stdin and process.stdout and process.stderr
        try:
            process.stdin.write(job_to_json(job))
            await process.stdin.drain()
            process.stdin.close()
            outcome: RenderResult | RenderFailure | None = None
            async for line in process.stdout:
                item = from_line(line)
                if isinstance(item, RenderProgress):
                    await progress(tracker.update(index, 0.97 * item.fraction))
                elif isinstance(item, RenderStream):
                    await self._stream(job.stem, item, tracker.update(index, 0.0), progress)
                else:
                    outcome = item
            stderr = await process.stderr.read()
            code = await process.wait()
        except BaseException:
            with contextlib.suppress(ProcessLookupError):
                process.kill()
            await process.wait()
            raise
        if code != 0 or not isinstance(outcome, RenderResult):
            log.error("render failed", extra={
                "exit_code": code, "outcome": message(outcome) if outcome else {},
                "stderr": stderr.decode(errors="replace")[-2000:]})
            errno = outcome.errno if isinstance(outcome, RenderFailure) else None
            raise RetryableProviderError(storage_reason(errno) or RENDER_FAILED)
        log.info("clip rendered", extra={"style": outcome.style, "renderer": outcome.renderer,
                                         "duration": outcome.duration,
                                         "stage_seconds": outcome.stage_seconds})
        return outcome

    async def _publish(self, clip_id: str, result: RenderResult, job: RenderJob) -> ClipOutput:
        """Files go up side by side: with an object store each is an upload."""
        names = names_for(clip_id)
        song = job.song
        await self._media.write_meta(clip_id, {"tags": song.tags,
                                               "negative_tags": song.negative_tags,
                                               "style_seed": song.style_seed, "seed": song.seed,
                                               "singer": song.singer,
                                               "style_weight": song.style_weight,
                                               "weirdness": song.weirdness,
                                               "stems": sorted(result.stems),
                                               "heard": heard_continuation(song),
                                               **read_timing(result.timing)})
        publish = self._media.publish
        await asyncio.gather(*(publish(path, stem_source(clip_id, name))
                               for name, path in result.stems.items()))
        _, _, image, image_large, video = await asyncio.gather(
            publish(result.wav, names.wav),
            publish(result.midi, names.midi),
            publish(result.cover, names.image),
            publish(result.cover_large, names.image_large),
            publish(result.video, names.video) if result.video else _no_url(),
        )
        audio = await publish(result.mp3, names.audio)  # last: the clip is playable now
        return ClipOutput(
            id=clip_id, audio_url=audio, image_url=image, image_large_url=image_large,
            video_url=video, duration=float(result.duration), title=result.title,
            tags=song.tags,
            prompt=song.lyrics,
        )

    async def close(self) -> None:
        return None


def local(context: ProviderContext) -> LocalProvider:
    return LocalProvider(context)
