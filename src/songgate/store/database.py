"""Connections to SQLite or PostgreSQL behind one interface.

SQLite gets WAL mode, a busy timeout and explicit transactions: writes open
with ``BEGIN IMMEDIATE`` so a claim's read and update happen under the write
lock, while reads open a deferred transaction and never wait for writers.
PostgreSQL uses one pool for both; claims lock rows with ``SKIP LOCKED``.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine, Table, event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine
from sqlalchemy.pool import NullPool

from songgate.store.errors import DatabaseBusy, outages_as_unavailable
from songgate.store.sqlite_reader import BUSY_TIMEOUT_SECONDS, SqliteReader
from songgate.store.sqlite_writer import SqliteWriter, configure_sqlite
from songgate.store.write_turns import WriteTurns

T = TypeVar("T")


def conflict_insert(dialect: str, table: Table) -> Any:
    """``INSERT`` that can take ``ON CONFLICT`` clauses, which both backends spell alike."""
    return (sqlite if dialect == "sqlite" else postgresql).insert(table)


def _sqlite_engine(
    url: str, *, begin: str, synchronous: str, pool_size: int, busy_timeout: float
) -> AsyncEngine:
    engine = create_async_engine(url, pool_size=pool_size, max_overflow=pool_size)
    configure_sqlite(engine.sync_engine, begin=begin, synchronous=synchronous,
                     busy_timeout=busy_timeout)
    return engine


def _closed_by_server(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
    """A pooled PostgreSQL connection is checked before use without a round trip.

    A server that restarts or ends a session closes its socket, and asyncpg marks the
    connection closed as soon as the event loop reads the end of the stream, so a
    connection that is still open has not been left by the server. The pool replaces a
    closed one with a new connection. (A ping, SQLAlchemy's ``pool_pre_ping``, costs
    three round trips per transaction on asyncpg: BEGIN, the ping, ROLLBACK.) A server
    lost without closing the socket is caught by the statement's own failure.
    """
    driver = getattr(dbapi_connection, "driver_connection", None)
    if driver is not None and driver.is_closed():
        raise DisconnectionError("the server closed the connection")


class Database:
    """A write path and a read path to one database."""

    def __init__(
        self, url: str, *, sqlite_synchronous: str = "FULL", pool_size: int = 8,
        connect_timeout: float = 5.0, sqlite_read_cache_mib: int = 256,
        sqlite_busy_timeout: float = BUSY_TIMEOUT_SECONDS,
        statement_timeout: float = 30.0, lock_timeout: float = 5.0,
        write_turns: WriteTurns | None = None,
    ) -> None:
        self.url = url
        parsed = make_url(url)
        self.dialect = parsed.get_backend_name()
        self.sqlite_reader: SqliteReader | None = None
        self._sqlite_writer: SqliteWriter | None = None
        # One writer at a time per process: SQLite has one write lock anyway, and
        # queueing here is fairer and faster than SQLite's sleeping busy handler. A
        # second Database of the process (serve's worker thread) shares the turns.
        self._write_lock: WriteTurns | None = None
        self._busy_timeout = sqlite_busy_timeout
        self._connect_timeout = connect_timeout
        if self.is_sqlite:
            self._write_lock = write_turns or WriteTurns()
            self.sqlite_reader = SqliteReader(
                str(parsed.database), cache_kib=sqlite_read_cache_mib * 1024,
                busy_timeout=sqlite_busy_timeout,
            )
            self._sqlite_writer = SqliteWriter(
                url, synchronous=sqlite_synchronous, busy_timeout=sqlite_busy_timeout)
            self._writer = _sqlite_engine(
                url, begin="BEGIN IMMEDIATE", synchronous=sqlite_synchronous, pool_size=pool_size,
                busy_timeout=sqlite_busy_timeout,
            )
            self._reader = _sqlite_engine(
                url, begin="BEGIN", synchronous=sqlite_synchronous, pool_size=pool_size,
                busy_timeout=sqlite_busy_timeout,
            )
        else:
            # A database that is down answers quickly: bounded connects and pool waits,
            # and connections checked before use so a restarted server is reconnected to.
            # Every session bounds its statements and its waits for other sessions' locks.
            self._writer = create_async_engine(
                url, pool_size=pool_size, max_overflow=pool_size,
                pool_timeout=connect_timeout * 2,
                connect_args={"timeout": connect_timeout, "server_settings": {
                    "statement_timeout": str(int(statement_timeout * 1000)),
                    "lock_timeout": str(int(lock_timeout * 1000)),
                }},
            )
            event.listen(self._writer.sync_engine, "checkout", _closed_by_server)
            self._reader = self._writer

    @property
    def is_sqlite(self) -> bool:
        return self.dialect == "sqlite"

    @property
    def write_turns(self) -> WriteTurns | None:
        """This process's turns to write (SQLite), for another Database of the process."""
        return self._write_lock

    @property
    def engine(self) -> AsyncEngine:
        return self._writer

    @property
    def write_engines(self) -> list[Engine]:
        """Every engine that commits writes (for observing commits)."""
        engines = [self._writer.sync_engine]
        if self._sqlite_writer is not None:
            engines.append(self._sqlite_writer.engine)
        return engines

    @asynccontextmanager
    async def write(self) -> AsyncIterator[AsyncConnection]:
        """A transaction that may write; committed when the block ends without error.

        An outage, here or in the block, leaves as :class:`~songgate.errors.ServiceUnavailable`.
        """
        with outages_as_unavailable():
            if self._write_lock is None:
                async with self._writer.begin() as connection:
                    yield connection
                return
            async with (self._turn_to_write(self._write_lock),
                        self._writer.begin() as connection):
                yield connection

    async def write_at_once(self, transaction: Callable[[Connection], T]) -> T:
        """``transaction(connection)`` in one write transaction, run as one step.

        For a write of many statements whose every statement is known in advance (a
        group of submits): on SQLite the whole transaction runs on the writer's thread
        (:mod:`songgate.store.sqlite_writer`), on PostgreSQL on a pooled connection.
        Outages leave as ``ServiceUnavailable``, as from :meth:`write`.
        """
        if self._sqlite_writer is None or self._write_lock is None:
            async with self.write() as connection:
                return await connection.run_sync(transaction)
        with outages_as_unavailable():
            async with self._turn_to_write(self._write_lock):
                return await self._sqlite_writer.run(transaction)

    async def write_committed_alone(self, statement: Callable[[Connection], T]) -> T:
        """``statement(connection)``, one PostgreSQL statement that commits by itself.

        No ``BEGIN`` and ``COMMIT`` round trips: for a write that is one statement, all or
        nothing by itself (:mod:`songgate.store.new_rows`), durable when it returns.
        Outages leave as ``ServiceUnavailable``, as from :meth:`write`.
        """
        if self.is_sqlite:
            raise TypeError("SQLite writes in transactions (write, write_at_once)")
        with outages_as_unavailable():
            async with self._writer.connect() as connection:
                alone = await connection.execution_options(isolation_level="AUTOCOMMIT")
                return await alone.run_sync(statement)

    @asynccontextmanager
    async def unbounded_write(self) -> AsyncIterator[AsyncConnection]:
        """Like :meth:`write`, but on PostgreSQL on a connection of its own whose statements
        and lock waits have no time bound (a migration runs to its end, however tight the
        bounds of the requests' sessions)."""
        if self.is_sqlite:
            async with self.write() as connection:
                yield connection
            return
        engine = create_async_engine(self.url, poolclass=NullPool, connect_args={
            "timeout": self._connect_timeout,
            "server_settings": {"statement_timeout": "0", "lock_timeout": "0"},
        })
        try:
            with outages_as_unavailable():
                async with engine.begin() as connection:
                    yield connection
        finally:
            await engine.dispose()

    @asynccontextmanager
    async def _turn_to_write(self, lock: WriteTurns) -> AsyncIterator[None]:
        """This process's turn to write, waited for no longer than SQLite's busy timeout.

        While another process holds the database's write lock, every write queued here
        would otherwise wait its own full busy timeout in turn, so a request could wait
        many timeouts; this way it gives up (a 503 for clients) within two.
        """
        try:
            # asyncio.timeout, not wait_for: on Python 3.11 wait_for can swallow a
            # cancellation that arrives as the lock is granted, and a cancelled loop
            # would then go on running.
            async with asyncio.timeout(self._busy_timeout):
                await lock.acquire()
        except TimeoutError:
            raise DatabaseBusy("database is locked: no turn to write") from None
        try:
            yield
        finally:
            lock.release()

    @asynccontextmanager
    async def read(self) -> AsyncIterator[AsyncConnection]:
        """A read-only transaction; an outage leaves as ``ServiceUnavailable``, like writes."""
        with outages_as_unavailable():
            async with self._reader.begin() as connection:
                yield connection

    async def dispose(self) -> None:
        if self.sqlite_reader is not None:
            self.sqlite_reader.close()
        if self._sqlite_writer is not None:
            self._sqlite_writer.close()
        await self._writer.dispose()
        if self._reader is not self._writer:
            await self._reader.dispose()
