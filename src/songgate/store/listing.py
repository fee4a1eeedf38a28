"""Reading an account's tasks page by page, newest first, for the dashboard and scripts.

One query per page on the ``(account_id, submit_time)`` index, ordered by
``(submit_time, id)`` descending, resumed after a cursor (keyset paging: the
cost of a page does not grow with how far back it is). Only the stored
TaskDto bytes are read, as a fetch does.
"""

from __future__ import annotations

from sqlalchemy import and_, or_, select

from songgate.domain.listing import ListedTask, ListQuery
from songgate.store.database import Database
from songgate.store.tables import tasks


class ListingStore:
    def __init__(self, database: Database) -> None:
        self._db = database

    async def page(self, account_id: str, query: ListQuery) -> list[ListedTask]:
        """Up to ``query.limit + 1`` of the account's tasks, so the caller knows if more exist."""
        columns = tasks.c
        conditions = [columns.account_id == account_id]
        if query.statuses:
            conditions.append(columns.status.in_(sorted(s.value for s in query.statuses)))
        if query.action is not None:
            conditions.append(columns.action == query.action.value)
        if query.before is not None:
            # (submit_time, id) < cursor, written so the index range bounds submit_time
            at, task_id = query.before.submit_time, query.before.task_id
            conditions.append(columns.submit_time <= at)
            conditions.append(or_(columns.submit_time < at, columns.id < task_id))
        statement = (
            select(columns.submit_time, columns.id, columns.dto)
            .where(and_(*conditions))
            .order_by(columns.submit_time.desc(), columns.id.desc())
            .limit(query.limit + 1)
        )
        async with self._db.read() as conn:
            rows = (await conn.execute(statement)).all()
        return [ListedTask(row.submit_time, row.id, bytes(row.dto)) for row in rows]
