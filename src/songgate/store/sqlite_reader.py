"""The hot read path on SQLite: a batch fetch's SELECT, run in place.

SQLAlchemy's async mode over aiosqlite crosses into a thread for every step
of a transaction (begin, execute, fetch, commit, reset); even one hand-off to
a thread costs the event loop more (about 0.1 ms) than the indexed SELECT of
a batch fetch itself (about 0.02 ms for 100 ids). In WAL mode a reader never
waits for writers, and a single statement is its own consistent snapshot, so
this path runs the statement directly on a read-only connection.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Sequence
from typing import Any

from songgate.store.errors import outages_as_unavailable, raise_as_unavailable

BUSY_TIMEOUT_SECONDS = 30.0
# As much of the file as SQLite maps (builds cap it, commonly at 2 GiB); pages past the
# map are read into the page cache, which should hold at least the fetch index.
MMAP_BYTES = 1 << 40
# In WAL mode another connection's commit empties the page cache at the next read, and
# the emptying walks a hash table that never shrinks once the cache has grown: after
# many rows read with no commit between (a quiet spell of many polls), every poll after
# a commit cost 0.2 ms more in a 4 GiB database. Past this many rows read at one
# database version, the next commit finds the connection opened anew.
REOPEN_AFTER_ROWS = 20_000


class SqliteReader:
    def __init__(
        self, path: str, *, cache_kib: int = 256 * 1024,
        busy_timeout: float = BUSY_TIMEOUT_SECONDS,
    ) -> None:
        self._path = path
        self._cache_kib = cache_kib
        self._busy_timeout_ms = int(busy_timeout * 1000)
        self._connection: sqlite3.Connection | None = None
        # The last version read, and time.monotonic_ns() just before it was read.
        self._last_read: tuple[int, int] = (-1, 0)
        # Added to the connection's own data versions, which each connection counts
        # anew: the versions this reader gives keep growing across connections.
        self._numbered_from = 0
        self._rows_at_version = 0  # rows read since the version last changed

    def _connect(self) -> sqlite3.Connection:
        if self._connection is None:
            self._connection = sqlite3.connect(
                f"file:{self._path}?mode=ro", uri=True, isolation_level=None,
                check_same_thread=False,
            )
            self._connection.execute(f"PRAGMA busy_timeout = {self._busy_timeout_ms}")
            # Map the file instead of a read() per page, and keep hot pages around.
            self._connection.execute(f"PRAGMA mmap_size = {MMAP_BYTES}")
            self._connection.execute(f"PRAGMA cache_size = -{int(self._cache_kib)}")
        return self._connection

    async def rows(self, sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
        with outages_as_unavailable():
            found = self._connect().execute(sql, params).fetchall()
        self._rows_at_version += len(found)
        return found

    def data_version(self, asked_ns: int | None = None) -> int:
        """A number that changes whenever any connection (of any process) commits a change
        to the database; equal numbers mean nothing was committed in between.

        ``asked_ns``: when the request that asks arrived (``time.monotonic_ns()``). If the
        last read began after that, its number is the answer: every commit that finished
        before the request arrived had finished before that read. Requests that arrive
        together (a server parses every ready connection's request before it answers any)
        then share one read.
        """
        began, version = self._last_read
        if asked_ns is not None and asked_ns < began:
            return version
        began = time.monotonic_ns()
        try:  # asked by every poll of an unfinished task: no context manager
            version = self._numbered_from + int(
                self._connect().execute("PRAGMA data_version").fetchone()[0])
        except Exception as error:
            raise_as_unavailable(error)
        moved = version != self._last_read[1]
        self._last_read = (began, version)
        if moved:
            if self._rows_at_version > REOPEN_AFTER_ROWS:
                self.close()  # the next read opens another: its page cache empty and small
            self._rows_at_version = 0
        return version

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None
            # another connection counts versions anew, from above every one given
            self._numbered_from = max(self._numbered_from, self._last_read[1] + 1)
            self._last_read = (-1, 0)
