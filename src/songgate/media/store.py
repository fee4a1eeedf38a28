"""The media directory: files appear under their final names only when complete.

The default :class:`~songgate.media.base.MediaBackend`, for one machine (or a shared
file system). File operations here are renames and small writes, so they run inline.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import orjson

from songgate.media.base import LocalFile, Served
from songgate.media.names import content_type


class MediaStore:
    def __init__(self, root: Path, public_url: str) -> None:
        self.root = root
        self._public_url = public_url.rstrip("/")

    def url(self, name: str) -> str:
        return f"{self._public_url}/media/{name}"

    def path(self, name: str) -> Path | None:
        """The file behind a media name, if the name is valid and the file is there."""
        if content_type(name) is None:
            return None
        path = self.root / name
        return path if path.is_file() else None

    def work_dir(self) -> Path:
        """A fresh scratch directory on the same file system, so publishing is a rename."""
        scratch = self.root / ".work"
        scratch.mkdir(parents=True, exist_ok=True)
        return Path(tempfile.mkdtemp(dir=scratch))

    async def publish(self, source: Path, name: str) -> str:
        """Move a finished file into place atomically; returns its URL."""
        if content_type(name) is None:
            raise ValueError(f"not a media name: {name}")
        self.root.mkdir(parents=True, exist_ok=True)
        os.replace(source, self.root / name)
        return self.url(name)

    async def remove(self, name: str) -> None:
        if content_type(name) is not None:
            (self.root / name).unlink(missing_ok=True)

    async def write_meta(self, clip_id: str, meta: dict[str, Any]) -> None:
        """How a clip was made (never served): what extending it needs to know."""
        folder = self.root / ".meta"
        folder.mkdir(parents=True, exist_ok=True)
        partial = folder / f".{clip_id}.json.part"
        partial.write_bytes(orjson.dumps(meta))
        os.replace(partial, folder / f"{clip_id}.json")

    async def read_meta(self, clip_id: str) -> dict[str, Any] | None:
        if content_type(f"{clip_id}.mp3") is None:
            return None
        try:
            raw = (self.root / ".meta" / f"{clip_id}.json").read_bytes()
            meta: dict[str, Any] = orjson.loads(raw)
        except (OSError, orjson.JSONDecodeError):
            return None
        return meta

    async def local_copy(self, name: str, into: Path) -> Path | None:
        """The file itself: published files are never rewritten, so no copy is needed."""
        return self.path(name)

    async def serve(self, name: str, byte_range: str | None, *, head: bool) -> Served | None:
        path = self.path(name)
        kind = content_type(name)
        if path is None or kind is None:
            return None
        return LocalFile(path, kind)

    @staticmethod
    def discard(work_dir: Path) -> None:
        shutil.rmtree(work_dir, ignore_errors=True)

    async def close(self) -> None:
        return None
