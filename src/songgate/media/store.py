"""The media directory: files appear under their final names only when complete."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

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

    def publish(self, source: Path, name: str) -> str:
        """Move a finished file into place atomically; returns its URL."""
        if content_type(name) is None:
            raise ValueError(f"not a media name: {name}")
        self.root.mkdir(parents=True, exist_ok=True)
        os.replace(source, self.root / name)
        return self.url(name)

    @staticmethod
    def discard(work_dir: Path) -> None:
        shutil.rmtree(work_dir, ignore_errors=True)
