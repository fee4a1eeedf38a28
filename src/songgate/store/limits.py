"""Rate limits in the database, so every API process counts against the same numbers.

Requests: one row per token per one-minute window, incremented in one statement.
Tasks in flight: counted from the task table inside the submit's own transaction,
after locking the token's row, so racing submits cannot both take the last place
(:mod:`songgate.store.submits` does it for each group of submits).
"""

from __future__ import annotations

from sqlalchemy import select

from songgate.domain.status import TERMINAL
from songgate.store.database import Database, conflict_insert
from songgate.store.tables import account_limits, rate_windows

_TERMINAL = [status.value for status in TERMINAL]
RETRY_WHEN_FULL_SECONDS = 5


class LimitStore:
    def __init__(self, database: Database) -> None:
        self._db = database

    async def overrides(self, account_id: str) -> tuple[int | None, int | None]:
        """(requests per minute, tasks in flight) set for the account; None: the default."""
        async with self._db.read() as conn:
            row = (await conn.execute(
                select(account_limits.c.requests_per_minute, account_limits.c.tasks_in_flight)
                .where(account_limits.c.account_id == account_id)
            )).first()
        return (row[0], row[1]) if row else (None, None)

    async def set_overrides(
        self, account_id: str, requests_per_minute: int | None, tasks_in_flight: int | None
    ) -> None:
        values = {"requests_per_minute": requests_per_minute, "tasks_in_flight": tasks_in_flight}
        async with self._db.write() as conn:
            await conn.execute(
                conflict_insert(self._db.dialect, account_limits)
                .values(account_id=account_id, **values)
                .on_conflict_do_update(index_elements=[account_limits.c.account_id], set_=values)
            )

    async def count_request(self, token_id: str, window: int) -> int:
        """Count one request in the token's window; returns the window's count so far."""
        async with self._db.write() as conn:
            await conn.execute(
                conflict_insert(self._db.dialect, rate_windows)
                .values(token_id=token_id, window=window, count=1)
                .on_conflict_do_update(
                    index_elements=[rate_windows.c.token_id, rate_windows.c.window],
                    set_={"count": rate_windows.c.count + 1},
                )
            )
            count = (await conn.execute(
                select(rate_windows.c.count).where(rate_windows.c.token_id == token_id,
                                                   rate_windows.c.window == window)
            )).scalar_one()
            if count == 1:  # a new window: forget the token's old ones
                await conn.execute(rate_windows.delete().where(
                    rate_windows.c.token_id == token_id, rate_windows.c.window < window))
        return int(count)
