"""A provider that finishes every task at once, for benchmarks of the queue and the API.

    SONGGATE_PROVIDERS="noop=benchmarks._scale_provider:noop"

It returns a ``LyricsResult`` (or, for a MUSIC task, clips whose URLs point
into the media store, no files written) without doing anything, so a
worker's throughput is the queue's: claim, finish, claim again.  When ``SONGGATE_BENCH_RUN_DIR``
names a directory, each process appends one line per run, ``<pid> <task id>``,
to its own file there (line-buffered, so complete even after a SIGKILL): the
benchmark checks from these that every task ran exactly once, and which
worker processes have started taking tasks.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TextIO

from songgate.domain.results import ClipOutput, LyricsResult, MusicResult, TaskResult
from songgate.domain.submit import MusicSpec
from songgate.media.base import MediaBackend
from songgate.providers.base import ProgressSink, ProviderContext, ProviderTask

RUN_DIR_ENV = "SONGGATE_BENCH_RUN_DIR"
RESULT = LyricsResult(title="Noop", text="[Verse]\nnothing to see here")


def run_file(directory: Path, pid: int) -> Path:
    return directory / f"runs-{pid}.txt"


class NoopProvider:
    def __init__(self, media: MediaBackend) -> None:
        self._media = media
        directory = os.environ.get(RUN_DIR_ENV)
        self._pid = os.getpid()
        self._log: TextIO | None = None
        if directory:
            self._log = run_file(Path(directory), self._pid).open("a", buffering=1)

    async def run(self, task: ProviderTask, progress: ProgressSink) -> TaskResult:
        if self._log is not None:
            self._log.write(f"{self._pid} {task.id}\n")
        if isinstance(task.spec, MusicSpec):
            url = self._media.url
            return MusicResult(tuple(
                ClipOutput(id=clip, audio_url=url(f"{clip}.mp3"),
                           image_url=url(f"image_{clip}.jpeg"),
                           image_large_url=url(f"image_large_{clip}.jpeg"),
                           video_url=url(f"{clip}.mp4"), duration=120.0, title="Noop")
                for clip in task.clip_ids
            ))
        return RESULT

    async def close(self) -> None:
        if self._log is not None:
            self._log.close()
            self._log = None


def noop(context: ProviderContext) -> NoopProvider:
    return NoopProvider(context.media)
