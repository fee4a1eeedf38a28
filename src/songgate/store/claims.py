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

from sqlalchemy import TextClause, text

from songgate.domain.status import TaskStatus

_SUBMITTED = TaskStatus.SUBMITTED.value
_QUEUED = TaskStatus.QUEUED.value


def _claim_text(*, by_provider: bool) -> TextClause:
    # Materialised, so the locking select runs once: as ``id IN (subquery)`` the planner
    # may run it again for the outer rows, and each run skips the rows the last one
    # locked, taking more than ``limit`` tasks. The text is fixed (statuses are bound),
    # so each connection prepares it once and nothing is rebuilt per claim.
    provider = " AND provider = ANY(CAST(:providers AS varchar[]))" if by_provider else ""
    return text(
        "WITH due AS MATERIALIZED (SELECT id FROM tasks "
        f"WHERE status = :submitted AND run_after <= :now{provider} "
        "ORDER BY run_after, submit_time LIMIT :limit FOR UPDATE SKIP LOCKED) "
        "UPDATE tasks SET status = :queued, attempts = tasks.attempts + 1, "
        "lease_token = replace(CAST(gen_random_uuid() AS varchar), '-', ''), "
        "lease_expires_at = :lease_expires_at, "
        "start_time = CASE WHEN tasks.start_time = 0 THEN CAST(:now AS float8) "
        "ELSE tasks.start_time END, progress = 0 "
        "FROM due WHERE tasks.id = due.id AND tasks.status = :submitted RETURNING tasks.*"
    )


_CLAIM_ANY = _claim_text(by_provider=False)
_CLAIM_BY_PROVIDER = _claim_text(by_provider=True)


def claim_statement(
    *, now: float, lease_expires_at: float, limit: int, providers: Sequence[str] | None
) -> tuple[TextClause, dict[str, Any]]:
    """Move up to ``limit`` due waiting tasks, oldest first, to QUEUED under new leases;
    the statement returns the claimed rows (their ``dto`` column still the one they were
    read with). Returns the statement and its parameters."""
    params: dict[str, Any] = {
        "submitted": _SUBMITTED, "queued": _QUEUED, "now": float(now), "limit": limit,
        "lease_expires_at": float(lease_expires_at),
    }
    if providers is None:
        return _CLAIM_ANY, params
    params["providers"] = list(providers)
    return _CLAIM_BY_PROVIDER, params


_SET_DTOS = text(
    "UPDATE tasks SET dto = v.dto, version = tasks.version + 1 "
    "FROM unnest(CAST(:ids AS varchar[]), CAST(:dtos AS bytea[])) AS v(id, dto) "
    "WHERE tasks.id = v.id"
)


def dto_statement(dtos: Sequence[tuple[str, bytes]]) -> tuple[TextClause, dict[str, Any]]:
    """The statement and parameters that set the claimed tasks' ``dto``, (id, dto) each."""
    return _SET_DTOS, {"ids": [task_id for task_id, _ in dtos],
                       "dtos": [dto for _, dto in dtos]}
