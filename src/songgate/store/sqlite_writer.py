"""A whole SQLite write transaction in one step, on a thread of its own.

Over aiosqlite every step of a transaction (checkout, BEGIN, each statement, COMMIT,
the pool's reset) is a hand-off to the driver's thread and back, and each hand-back
waits for the event loop to be free. Under load the loop is busy answering requests,
so a write of eight statements waits its turn eight times or more, while every request
that waits for that write waits with it. Here the transaction is one function, run
from ``BEGIN IMMEDIATE`` to ``COMMIT`` on this writer's thread with a plain
(synchronous) connection: the loop hands it over once and hears back once.

The caller holds the process's turn to write (see :mod:`songgate.store.write_turns`);
a writer of another process is waited for by SQLite's busy timeout, off the loop.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url

from songgate.store.errors import outages_as_unavailable

T = TypeVar("T")


def configure_sqlite(engine: Engine, *, begin: str, synchronous: str, busy_timeout: float) -> None:
    """Every connection of ``engine``: WAL, the busy timeout, ``synchronous``, foreign keys;
    every transaction opens with ``begin`` (we emit BEGIN ourselves)."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute(f"PRAGMA synchronous = {synchronous}")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql(begin)


class SqliteWriter:
    """Runs write transactions, one at a time, on one thread with one connection."""

    def __init__(self, url: str, *, synchronous: str, busy_timeout: float) -> None:
        sync_url = make_url(url).set(drivername="sqlite")
        self._engine = create_engine(sync_url, pool_size=1, max_overflow=0)
        configure_sqlite(self._engine, begin="BEGIN IMMEDIATE", synchronous=synchronous,
                         busy_timeout=busy_timeout)
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="songgate-writer")

    @property
    def engine(self) -> Engine:
        return self._engine

    async def run(self, transaction: Callable[[Connection], T]) -> T:
        """``transaction(connection)`` inside BEGIN IMMEDIATE … COMMIT (rolled back if it
        raises). A cancelled caller still waits for the transaction to end, so nobody
        else writes while it runs; the cancellation is then raised."""
        step = asyncio.get_running_loop().run_in_executor(
            self._thread, self._run_here, transaction)
        try:
            return await asyncio.shield(step)
        except asyncio.CancelledError:
            await asyncio.wait([step])
            raise

    def _run_here(self, transaction: Callable[[Connection], T]) -> T:
        with outages_as_unavailable(), self._engine.begin() as connection:
            return transaction(connection)

    def close(self) -> None:
        self._thread.shutdown(wait=True)
        self._engine.dispose()
