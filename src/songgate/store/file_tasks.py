"""Finding the FILE task already making a clip's file, so asking again while it runs
answers the same task instead of starting another."""

from __future__ import annotations

import orjson
from sqlalchemy import select

from songgate.domain.status import Action, TaskStatus
from songgate.store.database import Database
from songgate.store.tables import tasks

LOOK_BACK = 50  # the account's latest unfinished FILE tasks looked through
UNFINISHED = sorted(s.value for s in TaskStatus
                    if s not in (TaskStatus.SUCCESS, TaskStatus.FAILURE))


class FileTaskStore:
    def __init__(self, database: Database) -> None:
        self._db = database

    async def unfinished(self, account_id: str, clip_id: str, kind: str) -> str | None:
        """The id of the account's unfinished FILE task for ``clip_id``'s ``kind``."""
        columns = tasks.c
        statement = (
            select(columns.id, columns.request)
            .where(columns.account_id == account_id, columns.action == Action.FILE.value,
                   columns.status.in_(UNFINISHED))
            .order_by(columns.submit_time.desc())
            .limit(LOOK_BACK)
        )
        async with self._db.read() as conn:
            rows = (await conn.execute(statement)).all()
        for row in rows:
            request = orjson.loads(row.request)
            if request.get("clip_id") == clip_id and request.get("kind") == kind:
                return str(row.id)
        return None
