"""Stage callbacks of tasks made in sunoapi.org's dialect: text, first, complete (or error).

A STEM task (``/vocal-removal/generate``) is told once: complete, or error.

Each stage is queued once, in the transaction of the change that reached it, in the
outbox every notification goes through (signed, retried, address rules at delivery).
"""

from __future__ import annotations

import orjson
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from songgate.domain.status import Action, TaskStatus
from songgate.domain.sunoapi import vocal_removal
from songgate.domain.sunoapi.callbacks import event_name
from songgate.domain.sunoapi.records import callback, first_done, stages_reached
from songgate.domain.task import Task
from songgate.store.outbox import insert_delivery
from songgate.store.tables import webhook_deliveries


async def enqueue_stages(
    conn: AsyncConnection, task: Task, previous: TaskStatus | None, url: str
) -> None:
    """Queue the stages ``task`` reached that were not told yet, in order."""
    if previous is None:
        return  # a new task has reached no stage
    if previous is task.status and not (task.status is TaskStatus.IN_PROGRESS
                                        and first_done(task)):
        return  # progress alone: its stage was told when the status changed
    stems = task.action is Action.STEM  # /vocal-removal: told once, when it ends
    reached = vocal_removal.stages_reached(task) if stems else stages_reached(task)
    if not reached:
        return
    told = set((await conn.execute(
        select(webhook_deliveries.c.event).where(webhook_deliveries.c.task_id == task.id)
    )).scalars())
    for stage in reached:
        event = event_name(stage)
        if event not in told:
            body = vocal_removal.callback(task, stage) if stems else callback(task, stage)
            await insert_delivery(conn, task, url, event, orjson.dumps(body),
                                  last=stage is reached[-1])
