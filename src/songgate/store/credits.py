"""Credits in the database: charge with a submit, refund a failure once, top up, read.

The charge (:mod:`songgate.store.submits`) and ``refund_failure`` run inside the
transaction that creates or fails the task, so a task and its charge (or refund) commit
together or not at all. Exactly once is the database's doing, whatever races or restarts
happen: the balance only drops with a guarded ``balance >= amount`` update, and
``(task_id, reason)`` is unique in the ledger.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from songgate.domain.credits import LedgerEntry, Reason
from songgate.domain.task import Task
from songgate.errors import QuotaNotEnough
from songgate.store.database import Database, conflict_insert
from songgate.store.tables import balances, ledger


async def refund_failure(conn: AsyncConnection, task: Task, *, now: float) -> int:
    """Give back what a failed task was charged, once; returns the credits refunded."""
    charged = (await conn.execute(
        select(ledger.c.amount).where(ledger.c.task_id == task.id,
                                      ledger.c.reason == Reason.CHARGE.value)
    )).scalar()
    if not charged:
        return 0
    inserted = await conn.execute(
        conflict_insert(conn.dialect.name, ledger).values(
            id=str(uuid.uuid4()), account_id=task.account_id, task_id=task.id,
            amount=-charged, reason=Reason.REFUND.value, note="the task failed", created_at=now,
        ).on_conflict_do_nothing(index_elements=[ledger.c.task_id, ledger.c.reason])
    )
    if inserted.rowcount != 1:
        return 0  # refunded already
    await conn.execute(
        update(balances).where(balances.c.account_id == task.account_id)
        .values(balance=balances.c.balance - charged)
    )
    return -int(charged)


def _entry(row: Any) -> LedgerEntry:
    return LedgerEntry(id=row.id, account_id=row.account_id, task_id=row.task_id,
                       amount=row.amount, reason=Reason(row.reason), note=row.note,
                       created_at=row.created_at)


class CreditStore:
    def __init__(self, database: Database) -> None:
        self._db = database

    async def balance(self, account_id: str) -> int:
        async with self._db.read() as conn:
            value = (await conn.execute(
                select(balances.c.balance).where(balances.c.account_id == account_id)
            )).scalar()
        return int(value or 0)

    async def balances(self) -> dict[str, int]:
        async with self._db.read() as conn:
            rows = await conn.execute(select(balances.c.account_id, balances.c.balance))
            return {row[0]: int(row[1]) for row in rows}

    async def topup(self, account_id: str, amount: int, note: str, *, now: float) -> int:
        """Add (or, negative, take away) credits; returns the new balance."""
        async with self._db.write() as conn:
            await conn.execute(
                conflict_insert(conn.dialect.name, balances)
                .values(account_id=account_id, balance=0)
                .on_conflict_do_nothing(index_elements=[balances.c.account_id])
            )
            changed = await conn.execute(
                update(balances)
                .where(balances.c.account_id == account_id,
                       balances.c.balance + amount >= 0)
                .values(balance=balances.c.balance + amount)
            )
            if changed.rowcount != 1:
                raise QuotaNotEnough("the balance cannot go below 0")
            await conn.execute(ledger.insert().values(
                id=str(uuid.uuid4()), account_id=account_id, task_id=None, amount=amount,
                reason=Reason.TOPUP.value, note=note[:200], created_at=now,
            ))
            new = (await conn.execute(
                select(balances.c.balance).where(balances.c.account_id == account_id)
            )).scalar_one()
        return int(new)

    async def charge_answer(self, account_id: str, amount: int, note: str, *, now: float
                            ) -> None:
        """Take ``amount`` for an answer that is no task (a clip action), with a ledger
        row naming it; or raise :class:`QuotaNotEnough` and change nothing."""
        if amount <= 0:
            return
        async with self._db.write() as conn:
            taken = await conn.execute(
                update(balances)
                .where(balances.c.account_id == account_id, balances.c.balance >= amount)
                .values(balance=balances.c.balance - amount)
            )
            if taken.rowcount != 1:
                current = (await conn.execute(
                    select(balances.c.balance).where(balances.c.account_id == account_id)
                )).scalar() or 0
                raise QuotaNotEnough(f"this costs {amount} credits; the balance is {current}")
            await conn.execute(ledger.insert().values(
                id=str(uuid.uuid4()), account_id=account_id, task_id=None, amount=-amount,
                reason=Reason.CHARGE.value, note=note[:200], created_at=now,
            ))

    async def entries(self, account_id: str, *, limit: int = 50) -> list[LedgerEntry]:
        async with self._db.read() as conn:
            rows = await conn.execute(
                select(ledger).where(ledger.c.account_id == account_id)
                .order_by(ledger.c.created_at.desc(), ledger.c.id).limit(limit)
            )
            return [_entry(row) for row in rows]
