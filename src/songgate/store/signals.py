"""Waking workers when tasks arrive, so they need not poll to notice them.

In one process (``songgate serve``) the store calls its listeners after each
committed insert. Across processes on PostgreSQL, the insert sends a
``NOTIFY`` on :data:`CHANNEL` in its statement (:mod:`songgate.store.new_rows`;
delivered at commit) and each worker keeps a
connection that ``LISTEN``s, reconnecting after a lost connection. Polling
stays as the fallback for SQLite across processes and for missed signals.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from typing import Any

from songgate.store.database import Database
from songgate.store.errors import is_unavailable

log = logging.getLogger("songgate.store")

CHANNEL = "songgate_tasks"
MAX_RECONNECT_DELAY = 10.0

Listener = Callable[[], None]


class TaskSignals:
    def __init__(self, database: Database) -> None:
        self._db = database
        self._local: set[Listener] = set()

    def forward(self, listener: Listener) -> None:
        """Call ``listener`` after every committed insert from now on (another loop's wake)."""
        self._local.add(listener)

    def committed(self) -> None:
        """After the commit: listeners in this process hear of it at once."""
        for listener in list(self._local):
            listener()

    async def listen(self, listener: Listener, stop: asyncio.Event) -> None:
        """Call ``listener`` for each new task until ``stop`` is set."""
        self._local.add(listener)
        try:
            if self._db.is_sqlite:
                await stop.wait()
            else:
                await self._listen_postgres(listener, stop)
        finally:
            self._local.discard(listener)

    async def _listen_postgres(self, listener: Listener, stop: asyncio.Event) -> None:
        delay = 0.5
        while not stop.is_set():
            try:
                await self._hold_listen_connection(listener, stop)
                delay = 0.5
            except Exception as error:
                if not is_unavailable(error):
                    log.exception("listening for new tasks failed")
                log.warning("not listening for new tasks; polling meanwhile",
                            extra={"retry_in": delay})
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), delay)
            delay = min(delay * 2, MAX_RECONNECT_DELAY)

    async def _hold_listen_connection(self, listener: Listener, stop: asyncio.Event) -> None:
        async with self._db.engine.connect() as conn:
            driver: Any = (await conn.get_raw_connection()).driver_connection
            lost = asyncio.Event()

            def on_notify(*_: object) -> None:
                listener()

            driver.add_termination_listener(lambda *_: lost.set())
            await driver.add_listener(CHANNEL, on_notify)
            listener()  # anything that arrived while we were not listening
            waits = [asyncio.create_task(stop.wait()), asyncio.create_task(lost.wait())]
            try:
                await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
            finally:
                for wait in waits:
                    wait.cancel()
            if lost.is_set():
                await conn.invalidate()
                raise ConnectionError("the listening connection was lost")
            await driver.remove_listener(CHANNEL, on_notify)
