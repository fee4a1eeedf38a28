"""One turn to write per process, handed over in arrival order, across event loops.

SQLite has one write lock per database. Writers of one process queue here instead of
in SQLite's busy handler, which sleeps in growing steps and lets a steady writer (the
API's group commits) starve an occasional one (the worker's finishes). ``serve`` runs
its worker on a loop of its own, so the queue must work across loops and threads: a
waiter is a future of its own loop, granted through ``call_soon_threadsafe``.
"""

from __future__ import annotations

import asyncio
import threading
from collections import deque


class WriteTurns:
    def __init__(self) -> None:
        self._mutex = threading.Lock()
        self._held = False
        self._waiting: deque[tuple[asyncio.AbstractEventLoop, asyncio.Future[None]]] = deque()

    async def acquire(self) -> None:
        """Wait for the turn; a cancelled wait gives up its place (or passes on the turn)."""
        loop = asyncio.get_running_loop()
        with self._mutex:
            if not self._held:
                self._held = True
                return
            granted: asyncio.Future[None] = loop.create_future()
            self._waiting.append((loop, granted))
        try:
            await granted
        except asyncio.CancelledError:
            with self._mutex:
                if (loop, granted) in self._waiting:
                    self._waiting.remove((loop, granted))
                    raise
            if granted.done() and not granted.cancelled():
                self.release()  # granted as we were cancelled: pass the turn on
            raise

    def release(self) -> None:
        with self._mutex:
            if not self._waiting:
                self._held = False
                return
            loop, granted = self._waiting.popleft()
        try:
            loop.call_soon_threadsafe(self._grant, granted)
        except RuntimeError:  # that loop has closed: nobody waits there any more
            self.release()

    def _grant(self, granted: asyncio.Future[None]) -> None:
        """In the waiter's loop: the turn is its, unless it stopped waiting meanwhile."""
        if granted.done():
            self.release()
        else:
            granted.set_result(None)
