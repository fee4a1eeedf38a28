"""Media storage that cannot take a song's files, made for real.

A full file system (a small tmpfs, filled), a file-size limit on the worker process
(``RLIMIT_FSIZE``), a read-only file system, or a directory the worker may not write.
Mounting needs root; permissions do not stop root. Each kind says which of these it
uses, and fails or skips loudly rather than pass without a fault in place.
"""

from __future__ import annotations

import errno
import os
import resource
import shutil
import signal
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from songgate.media.failures import STORAGE_FULL, STORAGE_NOT_WRITABLE

FILE_SIZE_LIMIT = 8 * 1024 * 1024  # the worker's logs and SQLite files stay well below
SMALL = 64 * 1024  # a clip's file that fits anywhere writable


@dataclass
class BrokenStorage:
    """A media dir and how it fails: ``failing`` bytes per clip cannot be stored."""

    media_dir: Path
    how: str
    reason: str  # what the client must be told
    failing: int
    repair: Callable[[], None]  # after this, ``SMALL`` bytes per clip can be stored
    worker_preexec: Callable[[], None] | None = None
    mount: Path | None = None  # to unmount when done

    def close(self) -> None:
        if self.mount is not None:
            unmount(self.mount)


def can_mount() -> bool:
    return os.geteuid() == 0 and shutil.which("mount") is not None


def mount_tmpfs(target: Path, options: str) -> bool:
    """A tmpfs at ``target``; False where this process may not mount."""
    target.mkdir(parents=True, exist_ok=True)
    if not can_mount():
        return False
    result = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "songgate-test",
                             str(target)], capture_output=True, timeout=30, check=False)
    return result.returncode == 0


def unmount(target: Path) -> None:
    subprocess.run(["umount", "-l", str(target)], capture_output=True, timeout=30, check=False)


def fill(directory: Path) -> Path:
    """Write zeros into ``directory`` until its file system is full; the file written."""
    filler = directory / ".filler"
    descriptor = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        while True:
            os.write(descriptor, bytes(16 * 1024))
    except OSError as error:
        assert error.errno == errno.ENOSPC, error
    finally:
        os.close(descriptor)
    return filler


def assert_unwritable(directory: Path) -> None:
    """This process cannot write in ``directory`` either: the fault is really in place."""
    try:
        (directory / ".probe").write_bytes(b"x" * SMALL)
    except OSError:
        return
    raise AssertionError(f"{directory} is still writable")


def full_tmpfs(root: Path) -> BrokenStorage | None:
    """A 1 MiB tmpfs with no byte left; None where mounting is not possible."""
    if not mount_tmpfs(root, "size=1m,mode=0755"):
        return None
    try:
        media = root / "media"
        media.mkdir()
        filler = fill(root)
        assert_unwritable(media)
    except BaseException:
        unmount(root)
        raise
    return BrokenStorage(media, "a full tmpfs", STORAGE_FULL, SMALL, filler.unlink, mount=root)


def limit_file_size() -> None:
    """In the worker's process: files past the limit cannot be written (EFBIG, no signal)."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (FILE_SIZE_LIMIT, FILE_SIZE_LIMIT))


def file_size_limit(root: Path) -> BrokenStorage:
    """A worker whose files may not grow past ``FILE_SIZE_LIMIT`` (a quota, in effect)."""
    media = root / "media"
    media.mkdir(parents=True)
    return BrokenStorage(media, "a file-size limit", STORAGE_FULL, FILE_SIZE_LIMIT + SMALL,
                         lambda: None, worker_preexec=limit_file_size)


def unwritable(root: Path) -> BrokenStorage:
    """A media dir no write can land in, by the strongest means this process has."""
    media = root / "media"
    if os.geteuid() != 0:
        media.mkdir(parents=True)
        media.chmod(0o555)
        storage = BrokenStorage(media, "a read-only directory (mode 0555)",
                                STORAGE_NOT_WRITABLE, SMALL, lambda: media.chmod(0o755))
    elif mount_tmpfs(media, "size=1m,mode=0755,ro"):
        def remount() -> None:
            subprocess.run(["mount", "-o", "remount,rw", str(media)], check=True, timeout=30)
        storage = BrokenStorage(media, "a read-only tmpfs", STORAGE_NOT_WRITABLE, SMALL, remount,
                                mount=media)
    else:  # root without mount: a regular file where the media dir's parent should be
        blocker = root / "not-a-directory"
        blocker.parent.mkdir(parents=True, exist_ok=True)
        blocker.write_bytes(b"")
        media = blocker / "media"

        def replace_with_directory() -> None:
            blocker.unlink()
            media.mkdir(parents=True)
        storage = BrokenStorage(media, "a media dir under a regular file", STORAGE_NOT_WRITABLE,
                                SMALL, replace_with_directory)
    if storage.media_dir.is_dir():
        assert_unwritable(storage.media_dir)
    return storage
