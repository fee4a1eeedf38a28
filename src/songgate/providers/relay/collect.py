"""Copying a relayed clip's files into songgate's media store.

Upstream CDN links expire or turn forbidden, so by default a finished relayed clip
is served from songgate's own store under songgate's own names. Every download goes
through the safe fetcher (:mod:`songgate.outbound.fetcher`): an upstream's URL may not
reach loopback, private or metadata addresses, by any spelling, name or redirect, unless
the operator marked the channel trusted. Each is bounded in size and time, written to
scratch space and published only when whole.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from songgate.domain.relay import UpstreamClip
from songgate.domain.results import ClipOutput
from songgate.media.base import MediaBackend
from songgate.media.names import names_for
from songgate.outbound.fetcher import FetchRefused, FetchRules, Resolver, SafeFetcher, resolve


class CollectError(Exception):
    """A file could not be copied; ``message`` is safe to log and show. ``final``: trying
    again cannot help (the upstream named a URL the rules refuse)."""

    def __init__(self, message: str, *, final: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.final = final


_FINAL_REFUSALS = frozenset({"url", "address"})  # the URL itself is refused, not the fetch


_KINDS = {"audio": ("audio/", "application/octet-stream"),
          "image": ("image/", "application/octet-stream"),
          "video": ("video/", "application/octet-stream")}
USER_AGENT = "songgate-relay"


class MediaCollector:
    def __init__(
        self, media: MediaBackend, *, timeout: float, max_bytes: int, concurrency: int,
        resolver: Resolver = resolve,
    ) -> None:
        self._media = media
        rules = FetchRules(timeout_seconds=timeout, max_bytes=max_bytes)
        self._strict = SafeFetcher(rules, user_agent=USER_AGENT, resolver=resolver)
        self._trusted = SafeFetcher(FetchRules(timeout_seconds=timeout, max_bytes=max_bytes,
                                               allow_private=True),
                                    user_agent=USER_AGENT, resolver=resolver)
        self._slots = asyncio.Semaphore(concurrency)

    async def collect(self, our_id: str, clip: UpstreamClip, *,
                      trusted: bool = False) -> ClipOutput:
        """Our copy of ``clip`` under our clip id; raises :class:`CollectError`.

        ``trusted``: the channel's media may come from private addresses."""
        if not clip.audio_url:
            raise CollectError("the upstream finished the clip without an audio URL")
        names = names_for(our_id)
        work = self._media.work_dir()
        try:
            async with self._slots:
                fetcher = self._trusted if trusted else self._strict
                image = await self._copy(fetcher, clip.image_url, "image", work, names.image)
                large = await self._copy(fetcher, clip.image_large_url, "image", work,
                                         names.image_large)
                video = await self._copy(fetcher, clip.video_url, "video", work, names.video)
                audio = await self._copy(fetcher, clip.audio_url, "audio", work,
                                         names.audio)  # last
        finally:
            self._media.discard(work)
        return ClipOutput(
            id=our_id, audio_url=audio, image_url=image, image_large_url=large or image,
            video_url=video, duration=clip.duration, title=clip.title, tags=clip.tags,
            prompt=clip.prompt,
        )

    async def _copy(self, fetcher: SafeFetcher, url: str, kind: str, work: Path,
                    name: str) -> str:
        if not url:
            return ""
        target = work / name
        try:
            got = await fetcher.download(url, target, content_types=_KINDS[kind])
        except FetchRefused as refused:
            raise CollectError(f"{kind} download refused: {refused.message}",
                               final=refused.kind in _FINAL_REFUSALS) from None
        if got.size == 0:
            raise CollectError(f"{kind} download is empty")
        return await self._media.publish(target, name)

    async def close(self) -> None:
        await self._strict.close()
        await self._trusted.close()
