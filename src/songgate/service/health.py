"""Whether this process can serve, and the task counts its metrics show.

Any storage failure, an outage or not, means "not ready"; the API turns that into its
503 without knowing what a storage failure looks like.
"""

from __future__ import annotations

from songgate.domain.status import TaskStatus
from songgate.errors import ServiceUnavailable
from songgate.store.errors import STORAGE_ERRORS
from songgate.store.tasks import TaskStore

NOT_READY_MESSAGE = "the database is not reachable"


class HealthService:
    def __init__(self, tasks: TaskStore) -> None:
        self._tasks = tasks

    async def check_ready(self) -> None:
        """Ask the database something cheap; :class:`ServiceUnavailable` (the failure as its
        cause) when it cannot answer."""
        try:
            await self._tasks.count_by_status()
        except STORAGE_ERRORS as error:
            cause = error.__cause__ if isinstance(error, ServiceUnavailable) else error
            raise ServiceUnavailable(NOT_READY_MESSAGE) from cause

    async def task_counts(self) -> dict[TaskStatus, int] | None:
        """Tasks per status, or None while the database cannot answer."""
        try:
            return await self._tasks.count_by_status()
        except STORAGE_ERRORS:
            return None
