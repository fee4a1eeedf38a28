"""The hot read path on SQLite: one thread hand-off per query.

SQLAlchemy's async mode over aiosqlite crosses into a thread for every step
of a transaction (begin, execute, fetch, commit, reset), about nine hand-offs
for one read. A batch fetch is a single SELECT, which SQLite runs as its own
consistent snapshot in autocommit mode, so it runs here whole in one worker
thread, on a read-only connection that thread keeps.
"""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

BUSY_TIMEOUT_MS = 30_000


class SqliteReader:
    def __init__(self, path: str, *, threads: int = 2) -> None:
        self._path = path
        self._local = threading.local()
        self._pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="sqlite-read")
        self._connections: list[sqlite3.Connection] = []
        self._lock = threading.Lock()

    def _connection(self) -> sqlite3.Connection:
        connection: sqlite3.Connection | None = getattr(self._local, "connection", None)
        if connection is None:
            connection = sqlite3.connect(
                f"file:{self._path}?mode=ro", uri=True, isolation_level=None,
                check_same_thread=False,
            )
            connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            self._local.connection = connection
            with self._lock:
                self._connections.append(connection)
        return connection

    def _run(self, sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
        return self._connection().execute(sql, params).fetchall()

    async def rows(self, sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._pool, self._run, sql, params)

    def close(self) -> None:
        self._pool.shutdown(wait=True)
        with self._lock:
            for connection in self._connections:
                connection.close()
            self._connections.clear()
