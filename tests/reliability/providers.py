"""A provider for storage faults: each clip's audio is a file of a chosen size, written in the
media store's scratch space and published, the way a render's output is.

The size is ``bytes=N`` in a MUSIC task's title (default 64 KiB). LYRICS tasks write no
file and finish at once, so they show whether a worker still works.
"""

from __future__ import annotations

import re

from songgate.domain.results import ClipOutput, LyricsResult, MusicResult, TaskResult
from songgate.domain.submit import MusicSpec
from songgate.providers.base import ProgressSink, ProviderContext, ProviderTask

NAME = "files=tests.reliability.providers:files"
_SIZE = re.compile(r"bytes=(\d+)")
_CHUNK = 64 * 1024


class FileWriter:
    def __init__(self, context: ProviderContext) -> None:
        self.media = context.media

    async def run(self, task: ProviderTask, progress: ProgressSink) -> TaskResult:
        await progress(0.0)
        if not isinstance(task.spec, MusicSpec):
            return LyricsResult(title="Still here", text=f"[Verse]\nattempt {task.attempt}")
        found = _SIZE.search(task.spec.title)
        size = int(found.group(1)) if found else _CHUNK
        work = self.media.work_dir()
        try:
            clips = []
            for clip_id in task.clip_ids:
                source = work / f"{clip_id}.mp3"
                with source.open("wb") as file:
                    for start in range(0, size, _CHUNK):
                        file.write(b"\xff" * min(_CHUNK, size - start))
                url = await self.media.publish(source, f"{clip_id}.mp3")
                clips.append(ClipOutput(id=clip_id, audio_url=url, image_url="",
                                        image_large_url="", video_url="", duration=1.0))
        finally:
            self.media.discard(work)
        return MusicResult(tuple(clips))

    async def close(self) -> None:
        return None


def files(context: ProviderContext) -> FileWriter:
    return FileWriter(context)
