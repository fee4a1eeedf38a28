"""Group commit for workers' changes of the tasks they hold (progress, finish, retry).

Every change of a leased task reads the row under the write lock, checks that the lease
token still matches and the task still runs, applies the change and writes it (with its
refund and webhook row). Changes that wait together are made in one transaction: one
read of all their rows, then each change in arrival order, exactly as one by one (a
second change of the same task sees the first), then each changed task's last row is
written, all of them by one statement on PostgreSQL (:mod:`songgate.store.task_rows`),
guarded by the lease token it was read with; a change whose lease no longer held writes
nothing and does not hold up the others. Each caller is answered after the commit, with
the changed task, or None where the lease no longer held.

Should the group's transaction fail for anything but an outage, each change is tried
again alone, so one bad change cannot hold up the others.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncConnection

from songgate.domain.status import RUNNING, TaskStatus
from songgate.domain.task import Task
from songgate.errors import ServiceUnavailable
from songgate.store.database import Database
from songgate.store.tables import tasks
from songgate.store.task_rows import write_leased_rows

MAX_GROUP = 256
_RUNNING = [status.value for status in RUNNING]

Change = Callable[[Task], Task]
RowToTask = Callable[[Any], Task]
Columns = Callable[[Task], Mapping[str, Any]]
# After a task's row is written, once per change made to it: refund, webhook row.
AfterChange = Callable[[AsyncConnection, Task, TaskStatus], Awaitable[None]]


@dataclass(eq=False)
class PendingChange:
    task_id: str
    lease_token: str
    change: Change
    answer: asyncio.Future[Task | None] = field(repr=False)
    changed: Task | None = None


class LeasedWriter:
    """Writes workers' changes of leased tasks in groups; see the module's doc."""

    def __init__(self, database: Database, row_to_task: RowToTask, columns: Columns,
                 after_change: AfterChange) -> None:
        self._db = database
        self._row_to_task = row_to_task
        self._columns = columns
        self._after_change = after_change
        self._waiting: list[PendingChange] = []
        self._writer: asyncio.Task[None] | None = None

    async def change(self, task_id: str, lease_token: str, change: Change) -> Task | None:
        answer: asyncio.Future[Task | None] = asyncio.get_running_loop().create_future()
        self._waiting.append(PendingChange(task_id, lease_token, change, answer))
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._write_waiting())
        return await answer

    async def _write_waiting(self) -> None:
        while self._waiting:
            group = [p for p in self._waiting[:MAX_GROUP] if not p.answer.done()]
            del self._waiting[:MAX_GROUP]
            if group:
                await self._write_answering(group)

    async def _write_answering(self, group: list[PendingChange]) -> None:
        try:
            await self._write(group)
        except ServiceUnavailable as outage:
            _answer_all(group, outage)
            return
        except Exception as error:
            if len(group) == 1:
                _answer_all(group, error)
                return
            for pending in group:
                pending.changed = None
                await self._write_answering([pending])
            return
        for pending in group:
            if not pending.answer.done():
                pending.answer.set_result(pending.changed)

    async def _write(self, group: list[PendingChange]) -> None:
        ids = sorted({p.task_id for p in group})
        async with self._db.write() as conn:
            rows = await conn.execute(*_locking_read(self._db, ids))
            current = {row.id: self._row_to_task(row) for row in rows.all()}
            held = {task_id: task.lease_token for task_id, task in current.items()
                    if task.lease_token is not None}
            made: list[tuple[Task, TaskStatus]] = []  # each change, with the status before it
            for pending in group:
                before = current.get(pending.task_id)
                if (before is None or before.lease_token != pending.lease_token
                        or before.status.value not in _RUNNING):
                    continue  # the lease is lost, or the task no longer runs
                task = pending.change(before)
                made.append((task, before.status))
                current[pending.task_id] = task
                pending.changed = task
            if not made:
                return
            last = {task.id: task for task, _ in made}  # each task's row after its changes
            await write_leased_rows(conn, list(last.values()), held, self._columns)
            for task, previous in made:
                await self._after_change(conn, task, previous)

_LOCK_ROWS = text("SELECT * FROM tasks WHERE id = ANY(CAST(:ids AS varchar[])) "
                  "ORDER BY id FOR UPDATE")


def _locking_read(database: Database, ids: list[str]) -> tuple[Any, dict[str, Any]]:
    """The group's rows, read under the write lock in id order (no deadlock between
    groups); on PostgreSQL one fixed text, prepared once per connection."""
    if database.is_sqlite:
        return select(tasks).where(tasks.c.id.in_(ids)).order_by(tasks.c.id), {}
    return _LOCK_ROWS, {"ids": ids}


def _answer_all(group: Sequence[PendingChange], error: BaseException) -> None:
    for pending in group:
        if not pending.answer.done():
            pending.answer.set_exception(error)
