"""One notification written into the webhook outbox, after the task's earlier ones."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from songgate.domain.task import Task
from songgate.domain.test_mode import stored_outcome
from songgate.store.tables import webhook_deliveries

PENDING = "pending"


async def insert_delivery(
    conn: AsyncConnection, task: Task, url: str, event: str, payload: bytes,
    *, last: bool = True,
) -> None:
    """Queue ``payload`` for ``url``, due at once; a task's notifications go in order.

    A test-mode task (domain/test_mode.py) may ask for its last notification twice or late:
    the one queued when the task has ended. A caller queueing several in that change (the
    stage callbacks of a task that ended at once) marks the earlier ones not ``last``.
    """
    seq = (await conn.execute(
        select(func.coalesce(func.max(webhook_deliveries.c.seq), 0))
        .where(webhook_deliveries.c.task_id == task.id)
    )).scalar_one()
    now = task.finish_time or task.start_time or task.submit_time
    copies, due = 1, now
    test = task.request.get("test_outcome") if isinstance(task.request, dict) else None
    outcome = stored_outcome(test) if isinstance(test, str) else None
    if outcome is not None and task.is_terminal and last:
        copies = 2 if outcome.hook_twice else 1
        due = now + outcome.hook_late_seconds
    for copy in range(copies):
        await conn.execute(webhook_deliveries.insert().values(
            id=str(uuid.uuid4()), task_id=task.id, account_id=task.account_id, url=url,
            event=event, payload=payload, state=PENDING, attempts=0, next_at=due,
            created_at=now, seq=int(seq) + 1 + copy,
        ))
