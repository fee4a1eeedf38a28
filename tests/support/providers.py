"""A provider for tests, steered by a directive in the request.

The directive is ``script:key=value;key=value`` in a MUSIC task's ``title``
or anywhere in a LYRICS task's ``prompt``:

- ``sleep=S``: take S seconds, reporting progress ten times on the way;
- ``fail=retryable|final|crash``: fail that way ...
- ``fail_until=N``: ... but only on attempts up to N;
- ``hang=1``: never finish (until cancelled);
- ``files=1``: publish a small audio file for each clip, so downloads work;
- ``files=mp3``: publish a real, playable two-second MP3 and JPEG covers for each clip,
  for players (the dashboard's browser tests);
- ``stream=1``: while it sleeps, stream each clip as the local provider does: 0.8 s of
  tone at the clip's stream URL at the first step, the same URL 1.5 s long at the
  fourth, removed when the clip's files are published.

Without a directive it finishes at once with URLs from the media store.
"""

from __future__ import annotations

import asyncio
import os
import re
from pathlib import Path

import numpy as np
from PIL import Image

from songgate.domain.results import ClipOutput, LyricsResult, MusicResult, TaskResult
from songgate.domain.submit import MusicSpec
from songgate.engine.encode.audio import write_mp3
from songgate.errors import FinalProviderError, RetryableProviderError
from songgate.providers.base import ProgressSink, ProviderContext, ProviderTask

_DIRECTIVE = re.compile(r"script:([\w=;.]+)")


def directives(task: ProviderTask) -> dict[str, str]:
    text = task.spec.title if isinstance(task.spec, MusicSpec) else task.spec.prompt
    found = _DIRECTIVE.search(text)
    if not found:
        return {}
    return dict(item.split("=", 1) for item in found.group(1).split(";") if "=" in item)


class ScriptedProvider:
    def __init__(self, context: ProviderContext) -> None:
        self.media = context.media
        self.runs = 0

    async def run(self, task: ProviderTask, progress: ProgressSink) -> TaskResult:
        self.runs += 1
        script = directives(task)
        await progress(0.0)
        if script.get("hang"):
            await asyncio.Event().wait()
        seconds = float(script.get("sleep", 0))
        streaming = script.get("stream") and isinstance(task.spec, MusicSpec)
        streams = {1: 0.8, 4: 1.5} if streaming else {}
        for step in range(1, 11):
            await asyncio.sleep(seconds / 10)
            if step in streams:
                await progress(step / 10, await self._stream(task, streams[step]))
            else:
                await progress(step / 10)
        failure = script.get("fail")
        if failure and task.attempt <= int(script.get("fail_until", 1_000_000)):
            if failure == "retryable":
                raise RetryableProviderError("upstream busy")
            if failure == "final":
                raise FinalProviderError("the prompt was refused")
            raise RuntimeError("secret internal detail /etc/passwd")
        if isinstance(task.spec, MusicSpec):
            if script.get("files") == "mp3":
                await self._publish_playable(task)
            elif script.get("files"):
                await self._publish_audio(task)
            for clip_id in task.clip_ids if streams else ():
                await self.media.remove(f"stream_{clip_id}.mp3")
            return MusicResult(
                tuple(
                    ClipOutput(
                        id=clip_id,
                        audio_url=self.media.url(f"{clip_id}.mp3"),
                        image_url=self.media.url(f"image_{clip_id}.jpeg"),
                        image_large_url=self.media.url(f"image_large_{clip_id}.jpeg"),
                        video_url=self.media.url(f"{clip_id}.mp4"),
                        duration=PLAYABLE_SECONDS if script.get("files") == "mp3" else 128.92,
                        title=task.spec.title.split("script:")[0].strip() or "Untitled",
                    )
                    for clip_id in task.clip_ids
                )
            )
        return LyricsResult(
            title="Happy Weekend",
            text=f"[Verse]\nwritten by pid {os.getpid()} on attempt {task.attempt}",
        )

    async def _stream(self, task: ProviderTask, seconds: float) -> list[ClipOutput]:
        """Each clip's stream, ``seconds`` of its tone, published at the stream's URL."""
        work = self.media.work_dir()
        try:
            streamed = []
            for number, clip_id in enumerate(task.clip_ids):
                rate = 44_100
                times = np.arange(int(rate * seconds)) / rate
                pitch = 440.0 * (1 + number / 2)
                write_mp3(0.2 * np.sin(2 * np.pi * pitch * times), rate, work / "stream.mp3")
                url = await self.media.publish(work / "stream.mp3", f"stream_{clip_id}.mp3")
                streamed.append(ClipOutput.stream(clip_id, url))
            return streamed
        finally:
            self.media.discard(work)

    async def _publish_audio(self, task: ProviderTask) -> None:
        work = self.media.work_dir()
        try:
            for clip_id in task.clip_ids:
                source = work / f"{clip_id}.mp3"
                source.write_bytes(b"ID3" + clip_id.encode() * 200)
                await self.media.publish(source, f"{clip_id}.mp3")
        finally:
            self.media.discard(work)

    async def _publish_playable(self, task: ProviderTask) -> None:
        work = self.media.work_dir()
        try:
            for number, clip_id in enumerate(task.clip_ids):
                write_playable(work, clip_id, pitch=440.0 * (1 + number / 2))
                for name in (f"image_{clip_id}.jpeg", f"image_large_{clip_id}.jpeg",
                             f"{clip_id}.mp3"):
                    await self.media.publish(work / name, name)
        finally:
            self.media.discard(work)

    async def close(self) -> None:
        return None


PLAYABLE_SECONDS = 2.0


def write_playable(directory: Path, clip_id: str, *, pitch: float) -> None:
    """A quiet tone as a real MP3, and two small JPEG covers, under the clip's media names."""
    rate = 44_100
    seconds = np.arange(int(rate * PLAYABLE_SECONDS)) / rate
    write_mp3(0.2 * np.sin(2 * np.pi * pitch * seconds), rate, directory / f"{clip_id}.mp3")
    colour = (40 + int(pitch) % 160, 90, 160)
    for name, size in ((f"image_{clip_id}.jpeg", 64), (f"image_large_{clip_id}.jpeg", 256)):
        Image.new("RGB", (size, size), colour).save(directory / name, "JPEG")


def scripted(context: ProviderContext) -> ScriptedProvider:
    return ScriptedProvider(context)
