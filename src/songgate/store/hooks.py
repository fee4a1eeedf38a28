"""The webhook outbox: notifications written with the task change, delivered later.

A notification is a row written in the same transaction as the task change it tells
of, so none is lost and none is sent for a change that did not commit. Deliverers on
any node claim due rows with ``SKIP LOCKED`` (holding them for a while by moving
``next_at``), a task's notifications one at a time in order, and record every attempt.
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, exists, func, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from songgate.domain.dto import render_task, success_envelope
from songgate.domain.status import TaskStatus
from songgate.domain.task import Task
from songgate.domain.test_mode import stored_outcome
from songgate.store.database import Database, conflict_insert
from songgate.store.tables import webhook_attempts, webhook_deliveries, webhook_secrets

PENDING, DELIVERED, FAILED = "pending", "delivered", "failed"


@dataclass(frozen=True, slots=True)
class Delivery:
    id: str
    task_id: str
    account_id: str
    url: str
    event: str
    payload: bytes
    attempts: int
    created_at: float


@dataclass(frozen=True, slots=True)
class Attempt:
    attempt: int
    at: float
    status_code: int | None
    error: str
    duration_ms: int


@dataclass(frozen=True, slots=True)
class DeliveryLog:
    id: str
    event: str
    state: str
    attempts: list[Attempt]


def hook_url(task: Task) -> str:
    url = task.request.get("notify_hook") if isinstance(task.request, dict) else None
    return url if isinstance(url, str) else ""


async def enqueue_if_due(
    conn: AsyncConnection, task: Task, previous: TaskStatus | None, *, every_status: bool
) -> None:
    """Write the task's notification, if it has a hook and this change is one to tell."""
    url = hook_url(task)
    if not url:
        return
    changed = previous is not None and previous is not task.status
    if not (task.is_terminal and changed) and not (every_status and changed):
        return
    seq = (await conn.execute(
        select(func.coalesce(func.max(webhook_deliveries.c.seq), 0))
        .where(webhook_deliveries.c.task_id == task.id)
    )).scalar_one()
    now = task.finish_time or task.start_time or task.submit_time
    copies, due = 1, now
    test = task.request.get("test_outcome") if isinstance(task.request, dict) else None
    outcome = stored_outcome(test) if isinstance(test, str) else None
    if outcome is not None and task.is_terminal:  # test mode: the end told twice, or late
        copies = 2 if outcome.hook_twice else 1
        due = now + outcome.hook_late_seconds
    payload = success_envelope(render_task(task))
    for copy in range(copies):
        await conn.execute(webhook_deliveries.insert().values(
            id=str(uuid.uuid4()), task_id=task.id, account_id=task.account_id, url=url,
            event=f"task.{task.status.value.lower()}", payload=payload,
            state=PENDING, attempts=0, next_at=due, created_at=now, seq=int(seq) + 1 + copy,
        ))


def _delivery(row: Any) -> Delivery:
    return Delivery(id=row.id, task_id=row.task_id, account_id=row.account_id, url=row.url,
                    event=row.event, payload=bytes(row.payload), attempts=row.attempts,
                    created_at=row.created_at)


class HookStore:
    def __init__(self, database: Database) -> None:
        self._db = database

    async def secret(self, account_id: str, *, now: float, rotate: bool = False) -> str:
        """The account's signing secret, made on first use (or replaced, with ``rotate``)."""
        fresh = "whsec_" + secrets.token_urlsafe(32)
        statement = conflict_insert(self._db.dialect, webhook_secrets).values(
            account_id=account_id, secret=fresh, created_at=now)
        statement = (statement.on_conflict_do_update(
            index_elements=[webhook_secrets.c.account_id],
            set_={"secret": fresh, "created_at": now}) if rotate
            else statement.on_conflict_do_nothing(index_elements=[webhook_secrets.c.account_id]))
        async with self._db.write() as conn:
            await conn.execute(statement)
            value = (await conn.execute(
                select(webhook_secrets.c.secret).where(webhook_secrets.c.account_id == account_id)
            )).scalar_one()
        return str(value)

    async def claim_due(self, *, now: float, limit: int, hold_seconds: float) -> list[Delivery]:
        """Due notifications, each the oldest pending one of its task; held for a while."""
        earlier = webhook_deliveries.alias("earlier")
        query = (
            select(webhook_deliveries)
            .where(webhook_deliveries.c.state == PENDING, webhook_deliveries.c.next_at <= now,
                   ~exists().where(and_(earlier.c.task_id == webhook_deliveries.c.task_id,
                                        earlier.c.state == PENDING,
                                        earlier.c.seq < webhook_deliveries.c.seq)))
            .order_by(webhook_deliveries.c.next_at)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        async with self._db.write() as conn:
            rows = [_delivery(row) for row in await conn.execute(query)]
            if rows:
                await conn.execute(
                    update(webhook_deliveries)
                    .where(webhook_deliveries.c.id.in_([d.id for d in rows]))
                    .values(next_at=now + hold_seconds)
                )
        return rows

    async def record(
        self, delivery: Delivery, *, at: float, status_code: int | None, error: str,
        duration_ms: int, outcome: str, next_at: float = 0.0,
    ) -> None:
        """One attempt, and what follows: delivered, pending again at ``next_at``, or failed."""
        attempt = delivery.attempts + 1
        values: dict[str, object] = {"attempts": attempt}
        if outcome == PENDING:
            values["next_at"] = next_at
        else:
            values.update(state=outcome, finished_at=at)
        async with self._db.write() as conn:
            await conn.execute(webhook_attempts.insert().values(
                id=str(uuid.uuid4()), delivery_id=delivery.id, attempt=attempt, at=at,
                status_code=status_code, error=error[:300], duration_ms=duration_ms,
            ))
            await conn.execute(update(webhook_deliveries)
                               .where(webhook_deliveries.c.id == delivery.id).values(**values))

    async def log(self, task_id: str) -> list[DeliveryLog]:
        """Every notification of a task, oldest first, with its attempts."""
        async with self._db.read() as conn:
            deliveries = (await conn.execute(
                select(webhook_deliveries.c.id, webhook_deliveries.c.event,
                       webhook_deliveries.c.state)
                .where(webhook_deliveries.c.task_id == task_id)
                .order_by(webhook_deliveries.c.seq)
            )).all()
            ids: Sequence[str] = [row.id for row in deliveries]
            attempts = (await conn.execute(
                select(webhook_attempts).where(webhook_attempts.c.delivery_id.in_(ids))
                .order_by(webhook_attempts.c.attempt)
            )).all() if ids else []
        by_delivery: dict[str, list[Attempt]] = {i: [] for i in ids}
        for row in attempts:
            by_delivery[row.delivery_id].append(Attempt(row.attempt, row.at, row.status_code,
                                                        row.error, row.duration_ms))
        return [DeliveryLog(row.id, row.event, row.state, by_delivery[row.id])
                for row in deliveries]
