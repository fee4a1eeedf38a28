"""Group commit: submits that arrive together are written in one transaction.

One writer per store takes every submit waiting for it and commits them together: the
tokens' places in flight, the charges, the ledger rows, the task rows and their clips,
each kind in one statement for the whole group (one guarded balance update per account,
multi-row inserts; on PostgreSQL the charges and new rows in one statement,
:mod:`songgate.store.new_rows`). Each submit is answered only after the commit that holds
it has returned, so nothing is acknowledged before it is durable. Within a group the checks
are made in the order the submits arrived, exactly as if they had been committed one by
one: a submit refused for its token's limit or its balance is left out and refused alone.
While one group commits, the next gathers; a lone submit is written at once, never delayed.
On PostgreSQL two groups may be on their way at once (their submits were all unanswered
together, so either order of the two is one a client could have seen).

Should the group's transaction fail for anything but an outage, each submit is tried
again alone, so one bad submit cannot refuse the others.
"""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, func, select, update

from songgate.domain.credits import Reason
from songgate.domain.status import TERMINAL
from songgate.domain.task import Task
from songgate.errors import QuotaNotEnough, RateLimited, ServiceUnavailable
from songgate.store.database import Database
from songgate.store.limits import RETRY_WHEN_FULL_SECONDS
from songgate.store.new_rows import insert_new_rows
from songgate.store.signals import CHANNEL, TaskSignals
from songgate.store.tables import balances, clips, ledger, tasks, tokens

_TERMINAL = [status.value for status in TERMINAL]
MAX_GROUP = 512  # submits per transaction at most
GROUPS_IN_FLIGHT = 2  # on PostgreSQL: groups written at once by one process

Columns = Callable[[Task], dict[str, Any]]


@dataclass(eq=False)
class PendingSubmit:
    task: Task
    charge: int
    token_id: str | None
    in_flight_limit: int
    answer: asyncio.Future[None] = field(repr=False)
    refusal: Exception | None = None


class SubmitWriter:
    """Writes new tasks in groups; :meth:`insert` returns once its task is committed."""

    def __init__(self, database: Database, signals: TaskSignals, columns: Columns) -> None:
        self._db = database
        self._signals = signals
        self._columns = columns
        self._waiting: list[PendingSubmit] = []
        self._writers: set[asyncio.Task[None]] = set()
        # SQLite commits one transaction at a time; PostgreSQL writes a group while the
        # one before it is still on its way (a group's rows go in one round trip, and the
        # next gathers meanwhile either way)
        self._most_writers = 1 if database.is_sqlite else GROUPS_IN_FLIGHT

    async def insert(
        self, task: Task, *, charge: int, token_id: str | None, in_flight_limit: int
    ) -> None:
        answer: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiting.append(PendingSubmit(task, charge, token_id, in_flight_limit, answer))
        self._writers = {writer for writer in self._writers if not writer.done()}
        if len(self._writers) < self._most_writers:
            self._writers.add(asyncio.create_task(self._write_waiting()))
        await answer

    async def _write_waiting(self) -> None:
        """Write groups until nothing waits; the next submit starts a new writer."""
        while self._waiting:
            group = [pending for pending in self._waiting[:MAX_GROUP]
                     if not pending.answer.done()]  # a caller gone before its turn
            del self._waiting[:MAX_GROUP]
            if group:
                await self._write_answering(group)

    async def _write_answering(self, group: list[PendingSubmit]) -> None:
        try:
            await self._write(group)
        except ServiceUnavailable as outage:  # the database is away: every submit hears it
            _answer_all(group, outage)
            return
        except Exception as error:
            if len(group) == 1:
                _answer_all(group, error)
                return
            for pending in group:  # find the one that broke the group; the rest go in
                pending.refusal = None
                await self._write_answering([pending])
            return
        for pending in group:
            if not pending.answer.done():
                if pending.refusal is None:
                    pending.answer.set_result(None)
                else:
                    pending.answer.set_exception(pending.refusal)
        self._signals.committed()

    async def _write(self, group: list[PendingSubmit]) -> None:
        if not self._db.is_sqlite and not _limited_tokens(group):
            paid = await self._db.write_committed_alone(
                lambda conn: self._write_paid_group(conn, group))
            if paid:  # else some balance is short: find who in a transaction
                return
        await self._db.write_at_once(lambda conn: self._write_group(conn, group))

    def _write_paid_group(self, conn: Connection, group: list[PendingSubmit]) -> bool:
        """PostgreSQL, no token limited: the whole group in one statement, if every
        account's balance pays its submits; else nothing, and False."""
        by_account = _priced_by_account(group)
        charges = {account_id: sum(p.charge for p in priced)
                   for account_id, priced in by_account.items()}
        charged = [pending for priced in by_account.values() for pending in priced]
        return insert_new_rows(conn, charges=charges, channel=CHANNEL,
                               **self._new_rows(group, charged))

    def _write_group(self, conn: Connection, group: list[PendingSubmit]) -> None:
        """The group's transaction: run as one step, off the event loop on SQLite."""
        _hold_places(conn, group)
        charged = _charge(conn, [p for p in group if p.refusal is None])
        admitted = [pending for pending in group if pending.refusal is None]
        if not admitted:
            return
        rows = self._new_rows(admitted, charged)
        if conn.dialect.name != "sqlite":  # one statement, the NOTIFY to workers included
            insert_new_rows(conn, charges={}, channel=CHANNEL, **rows)
            return
        if rows["ledger_rows"]:
            conn.execute(ledger.insert(), rows["ledger_rows"])
        conn.execute(tasks.insert(), rows["task_rows"])
        if rows["clip_rows"]:
            conn.execute(clips.insert(), rows["clip_rows"])

    def _new_rows(self, admitted: list[PendingSubmit],
                  charged: list[PendingSubmit]) -> dict[str, list[dict[str, Any]]]:
        """The task and clip rows of the submits admitted, the ledger rows of those charged."""
        return {
            "task_rows": [{**self._columns(p.task), "token_id": p.token_id} for p in admitted],
            "clip_rows": [{"id": clip_id, "task_id": p.task.id, "account_id": p.task.account_id}
                          for p in admitted for clip_id in p.task.clip_ids],
            "ledger_rows": [
                {"id": str(uuid.uuid4()), "account_id": p.task.account_id,
                 "task_id": p.task.id, "amount": -p.charge, "reason": Reason.CHARGE.value,
                 "note": "", "created_at": p.task.submit_time}
                for p in charged],
        }


def _answer_all(group: Sequence[PendingSubmit], error: BaseException) -> None:
    for pending in group:
        if not pending.answer.done():
            pending.answer.set_exception(error)


def _limited_tokens(group: list[PendingSubmit]) -> list[str]:
    """The tokens of the group whose places in flight are limited, sorted."""
    return sorted({p.token_id for p in group
                   if p.token_id is not None and p.in_flight_limit > 0})


def _hold_places(conn: Connection, group: list[PendingSubmit]) -> None:
    """Refuse, in arrival order, each submit whose token has no place left in flight."""
    limited = _limited_tokens(group)
    if not limited:
        return
    if conn.dialect.name != "sqlite":  # SQLite's write lock already serialises submits
        conn.execute(select(tokens.c.id).where(tokens.c.id.in_(limited))
                           .order_by(tokens.c.id).with_for_update())
    rows = conn.execute(
        select(tasks.c.token_id, func.count()).select_from(tasks)
        .where(tasks.c.token_id.in_(limited), tasks.c.status.not_in(_TERMINAL))
        .group_by(tasks.c.token_id)
    )
    running: Counter[str] = Counter({token: int(count) for token, count in rows.all()})
    for pending in group:
        token = pending.token_id
        if token is None or pending.in_flight_limit <= 0:
            continue
        if running[token] >= pending.in_flight_limit:
            pending.refusal = RateLimited(
                f"this token has {running[token]} unfinished tasks, the most it may have",
                retry_after=RETRY_WHEN_FULL_SECONDS)
        else:
            running[token] += 1


def _priced_by_account(group: list[PendingSubmit]) -> dict[str, list[PendingSubmit]]:
    """The group's priced submits by account, in arrival order, the accounts in the order
    of their ids: the one order every writer locks balances in (no deadlocks)."""
    by_account: defaultdict[str, list[PendingSubmit]] = defaultdict(list)
    for pending in group:
        if pending.charge > 0:
            by_account[pending.task.account_id].append(pending)
    return dict(sorted(by_account.items()))


def _charge(conn: Connection, group: list[PendingSubmit]) -> list[PendingSubmit]:
    """Take each priced submit's price, in arrival order; refuse those the balance cannot
    pay. Returns the submits charged."""
    charged: list[PendingSubmit] = []
    for account_id, priced in _priced_by_account(group).items():
        total = sum(p.charge for p in priced)
        if _take(conn, account_id, total):
            charged += priced
            continue
        balance = (conn.execute(
            select(balances.c.balance).where(balances.c.account_id == account_id)
            .with_for_update()
        )).scalar() or 0
        paid = 0
        for pending in priced:
            if pending.charge <= balance - paid:
                paid += pending.charge
                charged.append(pending)
            else:
                pending.refusal = QuotaNotEnough(
                    f"this task costs {pending.charge} credits; the balance is {balance - paid}")
        if paid and not _take(conn, account_id, paid):
            raise RuntimeError(f"the balance of {account_id} changed under its lock")
    return charged


def _take(conn: Connection, account_id: str, amount: int) -> bool:
    taken = conn.execute(
        update(balances)
        .where(balances.c.account_id == account_id, balances.c.balance >= amount)
        .values(balance=balances.c.balance - amount)
    )
    return bool(taken.rowcount == 1)
