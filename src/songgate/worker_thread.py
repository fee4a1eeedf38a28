"""The worker side of ``songgate serve`` on a thread of its own.

A worker that shares the API's event loop waits its turn behind every request
handler at each of its database round trips, so a flood of requests starves it:
tasks stop finishing while the API is busy. Here the worker runs on its own thread
with its own event loop and its own :class:`~songgate.wiring.Services` (its own
database connections), reporting into the API's metrics and queueing for the same
turns to write (:mod:`songgate.store.write_turns`). A task the API commits
wakes it through a listener that hands the signal across loops.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Awaitable, Callable

from songgate import event_loop
from songgate.config import Settings
from songgate.wiring import Services

Work = Callable[[Services, asyncio.Event], Awaitable[None]]

# Tasks serve's worker runs at once unless SONGGATE_WORKER_CONCURRENCY says otherwise.
# Renders are bounded by the local provider's own slots (one per core); the rest of a
# task is database writes and waiting, and a worker that runs only a core's worth of
# tasks at a time falls behind a busy API (submits arrive faster than two at a time can
# be finished). One process has nobody to hoard tasks from, so it may take many.
SERVE_CONCURRENCY = 128


def serve_settings(settings: Settings) -> Settings:
    """The settings of serve's worker: its concurrency raised to :data:`SERVE_CONCURRENCY`
    unless the operator set one."""
    if "worker_concurrency" in settings.model_fields_set:
        return settings
    concurrency = max(settings.worker_concurrency, SERVE_CONCURRENCY)
    return settings.model_copy(update={"worker_concurrency": concurrency})


class WorkerThread:
    """Runs ``work(services, stop)`` on its own thread until the API side's stop is set."""

    def __init__(self, settings: Settings, api: Services, work: Work) -> None:
        self._settings = serve_settings(settings)
        self._api = api
        self._work = work
        self._lock = threading.Lock()
        self._stopping = False
        self._stop_worker: Callable[[], None] | None = None

    async def run(self, stop: asyncio.Event) -> None:
        """Start the thread; when ``stop`` is set, drain it and return once it has ended.

        The worker's own failure is raised here, in the API's loop.
        """
        loop = asyncio.get_running_loop()
        ended: asyncio.Future[None] = loop.create_future()

        def report(error: BaseException | None) -> None:
            if ended.done():
                return
            if error is None:
                ended.set_result(None)
            else:
                ended.set_exception(error)

        def main() -> None:
            error: BaseException | None = None
            try:
                event_loop.run(self._serve())  # uvloop's, as the API's
            except BaseException as raised:  # handed to the API's loop, never lost
                error = raised
            with contextlib.suppress(RuntimeError):  # the API's loop already closed
                loop.call_soon_threadsafe(report, error)

        thread = threading.Thread(target=main, name="songgate-worker", daemon=True)
        thread.start()
        stopped = asyncio.ensure_future(self._stopped(stop))
        try:
            await asyncio.wait([stopped, ended], return_when=asyncio.FIRST_COMPLETED)
        finally:
            stopped.cancel()
            self._request_stop()
            await asyncio.shield(ended)

    @staticmethod
    async def _stopped(stop: asyncio.Event) -> None:
        await stop.wait()

    def _request_stop(self) -> None:
        with self._lock:
            self._stopping = True
            stop_worker = self._stop_worker
        if stop_worker is not None:
            stop_worker()

    async def _serve(self) -> None:
        services = Services.build(self._settings, clock=self._api.clock, beside=self._api)
        loop = asyncio.get_running_loop()
        stop = asyncio.Event()

        def wake() -> None:
            if not loop.is_closed():
                with contextlib.suppress(RuntimeError):  # closed meanwhile
                    loop.call_soon_threadsafe(services.new_task_committed)

        def stop_worker() -> None:
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(stop.set)

        with self._lock:
            self._stop_worker = stop_worker
            if self._stopping:
                stop.set()
        self._api.on_new_task(wake)
        try:
            await self._work(services, stop)
        finally:
            await services.close()
