"""What a client is told when a song's files cannot be written where media are kept.

A full disk, a quota, a file-size limit or a read-only or misconfigured media
directory surface as :class:`OSError` from wherever the file was being written.
Its text names the path and its errno is technical, so clients get one of two
plain reasons instead; the log keeps the original for the operator.
"""

from __future__ import annotations

import errno

STORAGE_FULL = "the server could not save the song's files: its storage is full"
STORAGE_NOT_WRITABLE = "the server could not save the song's files: its storage is not writable"

_REASONS = {
    errno.ENOSPC: STORAGE_FULL,
    errno.EDQUOT: STORAGE_FULL,
    errno.EFBIG: STORAGE_FULL,  # a file-size limit (RLIMIT_FSIZE, a file system's maximum)
    errno.EROFS: STORAGE_NOT_WRITABLE,
    errno.EACCES: STORAGE_NOT_WRITABLE,
    errno.EPERM: STORAGE_NOT_WRITABLE,
    errno.ENOTDIR: STORAGE_NOT_WRITABLE,  # a path to the media directory crosses a file
}


def storage_reason(code: int | None) -> str | None:
    """The client's reason for a failed write with this errno; None if it is no storage fault."""
    return _REASONS.get(code) if code is not None else None


def storage_failure(error: BaseException) -> str | None:
    """The client's reason when ``error`` is a storage fault (disk full, not writable)."""
    return storage_reason(error.errno) if isinstance(error, OSError) else None
