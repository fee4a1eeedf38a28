"""Connections to SQLite or PostgreSQL behind one interface.

SQLite gets WAL mode, a busy timeout and explicit transactions: writes open
with ``BEGIN IMMEDIATE`` so a claim's read and update happen under the write
lock, while reads open a deferred transaction and never wait for writers.
PostgreSQL uses one pool for both; claims lock rows with ``SKIP LOCKED``.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import Table, event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

from songgate.store.sqlite_reader import BUSY_TIMEOUT_MS, SqliteReader


def conflict_insert(dialect: str, table: Table) -> Any:
    """``INSERT`` that can take ``ON CONFLICT`` clauses, which both backends spell alike."""
    return (sqlite if dialect == "sqlite" else postgresql).insert(table)


def _sqlite_engine(url: str, *, begin: str, synchronous: str, pool_size: int) -> AsyncEngine:
    engine = create_async_engine(url, pool_size=pool_size, max_overflow=pool_size)

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute(f"PRAGMA synchronous = {synchronous}")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql(begin)

    return engine


class Database:
    """A write path and a read path to one database."""

    def __init__(
        self, url: str, *, sqlite_synchronous: str = "FULL", pool_size: int = 8,
        connect_timeout: float = 5.0, sqlite_read_cache_mib: int = 256,
    ) -> None:
        self.url = url
        parsed = make_url(url)
        self.dialect = parsed.get_backend_name()
        self.sqlite_reader: SqliteReader | None = None
        # One writer at a time per process: SQLite has one write lock anyway, and
        # queueing here is fairer and faster than SQLite's sleeping busy handler.
        self._write_lock: asyncio.Lock | None = None
        if self.is_sqlite:
            self._write_lock = asyncio.Lock()
            self.sqlite_reader = SqliteReader(
                str(parsed.database), cache_kib=sqlite_read_cache_mib * 1024
            )
            self._writer = _sqlite_engine(
                url, begin="BEGIN IMMEDIATE", synchronous=sqlite_synchronous, pool_size=pool_size
            )
            self._reader = _sqlite_engine(
                url, begin="BEGIN", synchronous=sqlite_synchronous, pool_size=pool_size
            )
        else:
            # A database that is down answers quickly: bounded connects and pool waits,
            # and connections checked before use so a restarted server is reconnected to.
            self._writer = create_async_engine(
                url, pool_size=pool_size, max_overflow=pool_size, pool_pre_ping=True,
                pool_timeout=connect_timeout * 2, connect_args={"timeout": connect_timeout},
            )
            self._reader = self._writer

    @property
    def is_sqlite(self) -> bool:
        return self.dialect == "sqlite"

    @property
    def engine(self) -> AsyncEngine:
        return self._writer

    @asynccontextmanager
    async def write(self) -> AsyncIterator[AsyncConnection]:
        """A transaction that may write; committed when the block ends without error."""
        if self._write_lock is None:
            async with self._writer.begin() as connection:
                yield connection
            return
        async with self._write_lock, self._writer.begin() as connection:
            yield connection

    @asynccontextmanager
    async def read(self) -> AsyncIterator[AsyncConnection]:
        async with self._reader.begin() as connection:
            yield connection

    async def dispose(self) -> None:
        if self.sqlite_reader is not None:
            self.sqlite_reader.close()
        await self._writer.dispose()
        if self._reader is not self._writer:
            await self._reader.dispose()
