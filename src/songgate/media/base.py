"""What songgate needs of a place that keeps media, so the API and workers can run anywhere.

A local directory works for one machine; an object store lets API processes and
workers on different machines share clips. Both answer the same questions: where a
clip's file will be served (``url``), how a finished file is made public
(``publish``), how an extension gets the source audio back (``local_copy``), and how
``GET /media/{name}`` is answered (``serve``).

Rendering always happens in local scratch space (``work_dir``): the engine writes
files, and only a finished file is published.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, Protocol

# Media names carry a clip's random id and never change content, so caches may keep them.
CACHE_FOREVER = "public, max-age=31536000, immutable"

# How an object store's media reach clients: relayed by songgate, or by a presigned redirect.
S3Mode = Literal["proxy", "presign"]


@dataclass(frozen=True, slots=True)
class LocalFile:
    """Serve a file on this machine (the web layer handles ranges and HEAD)."""

    path: Path
    content_type: str


@dataclass(frozen=True, slots=True)
class Redirect:
    """Send the client elsewhere (a presigned URL) for a short while."""

    url: str
    cache_control: str


@dataclass(frozen=True, slots=True)
class Streamed:
    """A response relayed from elsewhere: status, headers, and a body (None for HEAD)."""

    status: int
    headers: dict[str, str]
    body: AsyncIterator[bytes] | None


Served = LocalFile | Redirect | Streamed


class MediaBackend(Protocol):
    """A media store. Names are validated by the store: anything else is simply not there."""

    def url(self, name: str) -> str:
        """The public URL of a media name (stable: it goes into task results)."""
        ...

    def work_dir(self) -> Path:
        """A fresh local scratch directory, to be given back with :meth:`discard`."""
        ...

    def discard(self, work_dir: Path) -> None: ...

    async def publish(self, source: Path, name: str) -> str:
        """Make a finished local file public under ``name``; returns its URL."""
        ...

    async def remove(self, name: str) -> None:
        """Take a published file back (a file no task came to reference); no error if absent."""
        ...

    async def write_meta(self, clip_id: str, meta: dict[str, Any]) -> None:
        """How a clip was made (never served): what extending it needs to know."""
        ...

    async def read_meta(self, clip_id: str) -> dict[str, Any] | None: ...

    async def local_copy(self, name: str, into: Path) -> Path | None:
        """A local path holding the media file (a copy in ``into`` if it lives elsewhere).

        ``into`` is scratch space the caller owns and discards; None if there is no such file.
        """
        ...

    async def serve(self, name: str, byte_range: str | None, *, head: bool) -> Served | None:
        """How to answer a request for ``name``, or None when there is no such file."""
        ...

    async def close(self) -> None: ...
