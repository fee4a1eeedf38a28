"""Several leased tasks' rows written at once: one statement on PostgreSQL.

Also the heartbeat of every task a worker holds: one statement extends them all.

A group of workers' changes (:mod:`songgate.store.leased`) ends with each task's new
row. On PostgreSQL they are written by one ``UPDATE tasks … FROM unnest(…)``: one
statement, with the same text whatever the group's size (so prepared once per
connection), instead of one ``UPDATE`` per task. Each row stays guarded by the lease
token it was read with and by a running status; the statement returns the ids it
wrote, and a row it did not write is an error (the rows were read under a lock, so
this cannot happen). SQLite writes in process, where one statement per task costs no
round trip, and keeps them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sqlalchemy import text, update
from sqlalchemy.ext.asyncio import AsyncConnection

from songgate.domain.status import RUNNING
from songgate.domain.task import Task
from songgate.store.tables import tasks

_RUNNING = [status.value for status in RUNNING]

# (column, PostgreSQL type of its array) of every column a leased change may write
_COLUMNS = (
    ("status", "varchar"), ("progress", "integer"), ("fail_reason", "text"),
    ("start_time", "float8"), ("finish_time", "float8"), ("attempts", "integer"),
    ("lease_token", "varchar"), ("lease_expires_at", "float8"), ("run_after", "float8"),
    ("dto", "bytea"),
)

_BULK_UPDATE = text(
    "UPDATE tasks SET "
    + ", ".join(f"{name} = v.{name}" for name, _ in _COLUMNS)
    + ", version = tasks.version + 1"
    + " FROM unnest(CAST(:ids AS varchar[]), CAST(:held AS varchar[]), "
    + ", ".join(f"CAST(:{name} AS {kind}[])" for name, kind in _COLUMNS)
    + ") AS v(id, held, " + ", ".join(name for name, _ in _COLUMNS) + ") "
    "WHERE tasks.id = v.id AND tasks.lease_token = v.held "
    "AND tasks.status = ANY(CAST(:running AS varchar[])) RETURNING tasks.id"
)

Columns = Callable[[Task], Mapping[str, Any]]


async def write_leased_rows(
    conn: AsyncConnection, rows: Sequence[Task], held: Mapping[str, str], columns: Columns,
) -> None:
    """Write each task of ``rows`` (one per id) where it still runs under ``held[id]``.

    ``columns`` gives a task's mutable columns (``dto`` included). Raises RuntimeError
    if any row was not written: the caller read them all under a lock.
    """
    if not rows:
        return
    values = [columns(task) for task in rows]
    if conn.dialect.name == "sqlite":
        for task, row in zip(rows, values, strict=True):
            result = await conn.execute(
                update(tasks)
                .where(tasks.c.id == task.id, tasks.c.lease_token == held[task.id],
                       tasks.c.status.in_(_RUNNING))
                .values(**row, version=tasks.c.version + 1))
            if result.rowcount != 1:
                raise RuntimeError(f"task {task.id} changed under its lock")
        return
    params: dict[str, Any] = {
        "ids": [task.id for task in rows], "held": [held[task.id] for task in rows],
        "running": _RUNNING,
    }
    for name, _ in _COLUMNS:
        params[name] = [row[name] for row in values]
    written = set((await conn.execute(_BULK_UPDATE, params)).scalars())
    missing = [task.id for task in rows if task.id not in written]
    if missing:
        raise RuntimeError(f"tasks {missing} changed under their lock")


_BULK_HEARTBEAT = text(
    "UPDATE tasks SET lease_expires_at = :expires_at "
    "FROM unnest(CAST(:ids AS varchar[]), CAST(:held AS varchar[])) AS v(id, held) "
    "WHERE tasks.id = v.id AND tasks.lease_token = v.held "
    "AND tasks.status = ANY(CAST(:running AS varchar[])) RETURNING tasks.id"
)


async def extend_leases(
    conn: AsyncConnection, held: Mapping[str, str], expires_at: float
) -> set[str]:
    """Move ``lease_expires_at`` of each task id of ``held`` that still runs under its
    token there; returns the ids whose lease was extended."""
    if not held:
        return set()
    if conn.dialect.name == "sqlite":
        extended = set()
        for task_id, token in held.items():
            result = await conn.execute(
                update(tasks)
                .where(tasks.c.id == task_id, tasks.c.lease_token == token,
                       tasks.c.status.in_(_RUNNING))
                .values(lease_expires_at=expires_at))
            if result.rowcount == 1:
                extended.add(task_id)
        return extended
    result = await conn.execute(_BULK_HEARTBEAT, {
        "expires_at": float(expires_at), "ids": list(held), "held": list(held.values()),
        "running": _RUNNING,
    })
    return set(result.scalars())
