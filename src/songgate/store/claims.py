"""The claim as one statement on PostgreSQL: pick waiting tasks and take them at once.

``WITH due AS MATERIALIZED (SELECT id … FOR UPDATE SKIP LOCKED) UPDATE tasks … FROM due
RETURNING tasks.*``
locks the oldest waiting tasks that no other worker holds and moves them to QUEUED in
the same statement, each with a new lease token (32 hex digits, as ``uuid4().hex``),
one round trip for the whole batch however many workers claim at once. The rendered
TaskDto of each claimed task is written right after, in the same transaction, by one
``UPDATE … FROM unnest(…)`` for the whole batch. SQLite has one writer at a time and
keeps the read-then-write claim.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Float, String, case, cast, func, literal, select, text, update

from songgate.domain.status import TaskStatus
from songgate.store.tables import tasks

_SUBMITTED = TaskStatus.SUBMITTED.value


def claim_statement(
    *, now: float, lease_expires_at: float, limit: int, providers: Sequence[str] | None
) -> Any:
    """Move up to ``limit`` due waiting tasks, oldest first, to QUEUED under new leases;
    returns the claimed rows (their ``dto`` column still the one they were read with)."""
    due = (
        select(tasks.c.id)
        .where(tasks.c.status == _SUBMITTED, tasks.c.run_after <= now)
        .order_by(tasks.c.run_after, tasks.c.submit_time)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    if providers is not None:
        due = due.where(tasks.c.provider.in_(providers))
    # Materialised, so the locking select runs once: as ``id IN (subquery)`` the planner
    # may run it again for the outer rows, and each run skips the rows the last one
    # locked, taking more than ``limit`` tasks.
    chosen = due.cte("due").prefix_with("MATERIALIZED")
    return (
        update(tasks)
        .where(tasks.c.id == chosen.c.id, tasks.c.status == _SUBMITTED)
        .values(
            status=TaskStatus.QUEUED.value,
            attempts=tasks.c.attempts + 1,
            lease_token=func.replace(cast(func.gen_random_uuid(), String), "-", ""),
            lease_expires_at=lease_expires_at,
            start_time=case((tasks.c.start_time == 0, literal(now, Float)),
                            else_=tasks.c.start_time),
            progress=0,
        )
        .returning(*tasks.c)
    )


_SET_DTOS = text(
    "UPDATE tasks SET dto = v.dto FROM unnest(CAST(:ids AS varchar[]), CAST(:dtos AS bytea[])) "
    "AS v(id, dto) WHERE tasks.id = v.id"
)


def dto_statement(dtos: Sequence[tuple[str, bytes]]) -> tuple[Any, dict[str, Any]]:
    """The statement and parameters that set the claimed tasks' ``dto``, (id, dto) each."""
    return _SET_DTOS, {"ids": [task_id for task_id, _ in dtos],
                       "dtos": [dto for _, dto in dtos]}
