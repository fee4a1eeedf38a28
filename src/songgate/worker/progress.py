"""Progress from a provider, written to the task at most once per interval."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from songgate.clock import Clock
from songgate.domain.results import ClipOutput
from songgate.errors import LeaseLost, ServiceUnavailable
from songgate.store.tasks import TaskStore

log = logging.getLogger("songgate.worker")


class ProgressReporter:
    """The provider's progress callback for one run.

    The first report moves the task to IN_PROGRESS at once; later ones are
    written when ``min_interval`` has passed. Raises :class:`LeaseLost` when
    the task was taken from this worker, which ends the run. A report the
    database cannot take (an outage) is skipped, not fatal: the run goes on,
    the next report tries again and the run's final write carries every clip.
    """

    def __init__(
        self, store: TaskStore, task_id: str, lease_token: str, clock: Clock,
        *, min_interval: float,
    ) -> None:
        self._store = store
        self._task_id = task_id
        self._lease_token = lease_token
        self._clock = clock
        self._min_interval = min_interval
        self._last_write: float | None = None

    async def __call__(self, fraction: float, finished: Sequence[ClipOutput] = ()) -> None:
        now = self._clock.now()
        recent = self._last_write is not None and now - self._last_write < self._min_interval
        if recent and not finished:
            return
        self._last_write = now
        try:
            task = await self._store.progress(
                self._task_id, self._lease_token, max(0.0, fraction), finished
            )
        except ServiceUnavailable as error:
            self._last_write = None
            log.warning("progress not written: the database is unreachable",
                        extra={"task_id": self._task_id,
                               "error": type(error.__cause__ or error).__name__})
            return
        if task is None:
            raise LeaseLost(f"task {self._task_id} is no longer held by this worker")
