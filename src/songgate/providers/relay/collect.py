"""Copying a relayed clip's files into songgate's media store.

Upstream CDN links expire or turn forbidden, so by default a finished relayed clip
is served from songgate's own store under songgate's own names. Every download is
bounded in size and time, written to scratch space and published only when whole.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx

from songgate.domain.relay import UpstreamClip
from songgate.domain.results import ClipOutput
from songgate.media.base import MediaBackend
from songgate.media.names import names_for


class CollectError(Exception):
    """A file could not be copied; ``message`` is safe to log and show."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


_KINDS = {"audio": ("audio/", "application/octet-stream"),
          "image": ("image/", "application/octet-stream"),
          "video": ("video/", "application/octet-stream")}


class MediaCollector:
    def __init__(
        self, media: MediaBackend, *, timeout: float, max_bytes: int, concurrency: int
    ) -> None:
        self._media = media
        self._max_bytes = max_bytes
        self._http = httpx.AsyncClient(timeout=timeout, follow_redirects=True,
                                       headers={"User-Agent": "songgate-relay"})
        self._slots = asyncio.Semaphore(concurrency)

    async def collect(self, our_id: str, clip: UpstreamClip) -> ClipOutput:
        """Our copy of ``clip`` under our clip id; raises :class:`CollectError`."""
        if not clip.audio_url:
            raise CollectError("the upstream finished the clip without an audio URL")
        names = names_for(our_id)
        work = self._media.work_dir()
        try:
            async with self._slots:
                image = await self._copy(clip.image_url, "image", work, names.image)
                large = await self._copy(clip.image_large_url, "image", work, names.image_large)
                video = await self._copy(clip.video_url, "video", work, names.video)
                audio = await self._copy(clip.audio_url, "audio", work, names.audio)  # last
        finally:
            self._media.discard(work)
        return ClipOutput(
            id=our_id, audio_url=audio, image_url=image, image_large_url=large or image,
            video_url=video, duration=clip.duration, title=clip.title, tags=clip.tags,
            prompt=clip.prompt,
        )

    async def _copy(self, url: str, kind: str, work: Path, name: str) -> str:
        if not url:
            return ""
        target = work / name
        try:
            async with self._http.stream("GET", url) as response:
                if response.status_code != 200:
                    raise CollectError(f"{kind} download answered HTTP {response.status_code}")
                content_type = response.headers.get("content-type", "").split(";")[0].lower()
                if not content_type.startswith(_KINDS[kind]):
                    raise CollectError(f"{kind} download is {content_type or 'untyped'}")
                size = 0
                with target.open("wb") as out:
                    async for chunk in response.aiter_bytes():
                        size += len(chunk)
                        if size > self._max_bytes:
                            raise CollectError(f"{kind} file larger than {self._max_bytes} bytes")
                        out.write(chunk)
                if size == 0:
                    raise CollectError(f"{kind} download is empty")
        except httpx.HTTPError as error:
            raise CollectError(f"{kind} download failed: {type(error).__name__}") from None
        return await self._media.publish(target, name)

    async def close(self) -> None:
        await self._http.aclose()
