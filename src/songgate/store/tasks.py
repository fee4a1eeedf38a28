"""TaskStore: the task table is the queue.

Every change goes through one pattern: read the row inside a write
transaction (SQLite: ``BEGIN IMMEDIATE``; PostgreSQL: ``FOR UPDATE``,
``SKIP LOCKED`` for claims), apply a pure function from
:mod:`songgate.domain.task`, and write the new row with its rendered TaskDto.
Writes by a worker are guarded by its lease token, so a task that was taken
away from a worker is never finished twice.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import orjson
from sqlalchemy import ColumnElement, func, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from songgate.domain import task as task_rules
from songgate.domain.dto import render_task
from songgate.domain.results import ClipOutput, TaskResult
from songgate.domain.status import RUNNING, TERMINAL, Action, TaskStatus
from songgate.domain.task import Task
from songgate.store import credits, hooks
from songgate.store.claims import claim_statement, dto_statement
from songgate.store.database import Database
from songgate.store.dto_cache import HIDDEN, CachedDto, LiveDtoCache, TerminalDtoCache
from songgate.store.leased import LeasedWriter
from songgate.store.signals import TaskSignals
from songgate.store.submits import SubmitWriter
from songgate.store.tables import clips, tasks
from songgate.store.task_rows import extend_leases

_RUNNING = [status.value for status in RUNNING]
_TERMINAL = [status.value for status in TERMINAL]
_TERMINAL_SET = frozenset(_TERMINAL)


def _waited_since(asked: float) -> float:
    """Seconds a write waited for the database (another process's lock, a busy server).

    ``now`` was read before that wait, so a lease written as ``now + lease_seconds`` would
    lose the wait: after a long enough lock a claim or heartbeat would commit a lease that
    has already run out, and the reaper would take the task from a worker still running
    it. Leases are lengthened by the wait instead, so they count from the write itself.
    """
    return max(0.0, time.monotonic() - asked)


def sqlite_dto_rows_sql(count: int) -> str:
    """SQLite's read of (id, action, status, dto) of an account's tasks among ``count``
    ids (parameters: the account, then the ids).

    Each id is sought in the primary key's index, the narrowest on tasks (the id alone),
    and the account is checked on the row that is read anyway: ``+account_id`` keeps
    SQLite from choosing an index that starts with the account or carries more columns.
    In a large table every id is a walk down two B-trees (an index, then the table) through
    pages that are seldom in the CPU's caches; a narrower index spans fewer pages.
    """
    marks = ",".join("?" * count)  # only placeholders are interpolated
    return ("SELECT id, action, status, dto FROM tasks "
            f"WHERE +account_id = ? AND id IN ({marks})")


# (id, version) of the rows changed since a version (parameters: that version, the most
# to read), oldest change first: the right edge of ix_tasks_changes, a read as short as
# the list of changes whatever the size of the table (migration 0011 orders versions).
SQLITE_CHANGES_SQL = ("SELECT id, version FROM tasks INDEXED BY ix_tasks_changes "
                      "WHERE version > ? ORDER BY version LIMIT ?")
SQLITE_LATEST_VERSION_SQL = "SELECT max(version) FROM tasks"
# More changes than this since a poll's last look: its kept TaskDtos are all forgotten
# (reading fewer rows than the changes would name).
CHANGES_READ_AT_MOST = 2_000


def row_to_task(row: Any) -> Task:
    return Task(
        id=row.id,
        account_id=row.account_id,
        action=Action(row.action),
        provider=row.provider,
        mv=row.mv,
        status=TaskStatus(row.status),
        progress=row.progress,
        fail_reason=row.fail_reason,
        submit_time=row.submit_time,
        start_time=row.start_time,
        finish_time=row.finish_time,
        request=orjson.loads(row.request),
        data=orjson.loads(row.dto)["data"],
        attempts=row.attempts,
        max_attempts=row.max_attempts,
        lease_token=row.lease_token,
        lease_expires_at=row.lease_expires_at,
        deadline_at=row.deadline_at,
        run_after=row.run_after,
    )


def _as_read(claimed_row: Task) -> Task:
    """A task claimed by :func:`songgate.store.claims.claim_statement` as it was read: its
    returned row holds the claim's columns but the TaskDto (the data) from before."""
    return replace(claimed_row, status=TaskStatus.SUBMITTED,
                   attempts=claimed_row.attempts - 1, lease_token=None,
                   lease_expires_at=None)


def _mutable_columns(task: Task) -> dict[str, Any]:
    return {
        "status": task.status.value,
        "progress": task.progress,
        "fail_reason": task.fail_reason,
        "start_time": task.start_time,
        "finish_time": task.finish_time,
        "attempts": task.attempts,
        "lease_token": task.lease_token,
        "lease_expires_at": task.lease_expires_at,
        "run_after": task.run_after,
        "dto": render_task(task),
    }


def _all_columns(task: Task) -> dict[str, Any]:
    return {
        "id": task.id,
        "account_id": task.account_id,
        "action": task.action.value,
        "provider": task.provider,
        "mv": task.mv,
        "submit_time": task.submit_time,
        "request": orjson.dumps(task.request).decode(),
        "max_attempts": task.max_attempts,
        "deadline_at": task.deadline_at,
        "version": 0,  # a new row's: every write of its dto bumps it
        **_mutable_columns(task),
    }


@dataclass(frozen=True, slots=True)
class ReapReport:
    requeued: list[str]
    failed: list[str]
    timed_out: list[str]

    @property
    def total(self) -> int:
        return len(self.requeued) + len(self.failed) + len(self.timed_out)


class TaskStore:
    def __init__(
        self, database: Database, *, cache_bytes: int = 64 * 1024 * 1024,
        notify_every_status: bool = False,
    ) -> None:
        self._db = database
        self.notify_every_status = notify_every_status
        self._cache = TerminalDtoCache(cache_bytes)
        self._live = LiveDtoCache(cache_bytes)  # unfinished tasks, SQLite only
        self.signals = TaskSignals(database)
        self._submits = SubmitWriter(database, self.signals, _all_columns)
        self._leased = LeasedWriter(database, row_to_task, _mutable_columns, self._after_leased)

    @property
    def database(self) -> Database:
        return self._db

    # -- client side -------------------------------------------------------

    async def insert(
        self, task: Task, *, charge: int = 0, token_id: str | None = None,
        in_flight_limit: int = 0,
    ) -> None:
        """Commit a new task, and its charge; when this returns, the submit may be acknowledged.

        Raises (and creates nothing) :class:`songgate.errors.RateLimited` when the token
        already has ``in_flight_limit`` unfinished tasks, and
        :class:`songgate.errors.QuotaNotEnough` when the balance is below ``charge``.
        Submits that arrive together are committed together (:mod:`songgate.store.submits`).
        """
        await self._submits.insert(task, charge=charge, token_id=token_id,
                                   in_flight_limit=in_flight_limit)

    def version(self, asked_ns: int | None = None) -> int | None:
        """SQLite's data version, which any commit changes (as fresh as a read begun after
        ``asked_ns``: :meth:`songgate.store.sqlite_reader.SqliteReader.data_version`);
        None on PostgreSQL."""
        reader = self._db.sqlite_reader
        return reader.data_version(asked_ns) if reader is not None else None

    async def dtos(
        self, account_id: str, ids: Sequence[str], action: Action | None = None
    ) -> dict[str, bytes]:
        """Rendered TaskDtos of the account's tasks among ``ids``, keyed by id."""
        return {task_id: dto for task_id, dto in zip(ids, await self.dto_list(
            account_id, ids, action), strict=True) if dto}

    async def dtos_in_order(
        self, account_id: str, ids: Sequence[str], action: Action | None = None,
        *, asked_ns: int | None = None,
    ) -> list[bytes]:
        """Rendered TaskDtos of the account's tasks among ``ids`` (each given once), in
        that order; ids of no task of the account (or of another action) are left out.
        ``asked_ns``: when the request arrived (:meth:`version`)."""
        return list(filter(None, await self.dto_list(account_id, ids, action,
                                                     asked_ns=asked_ns)))

    async def dto_list(
        self, account_id: str, ids: Sequence[str], action: Action | None = None,
        *, asked_ns: int | None = None,
    ) -> list[bytes | None]:
        """For each of ``ids``: the rendered TaskDto of the account's task, else a falsy
        value (None: no such task; :data:`HIDDEN`: one of another action).

        Finished tasks come from their cache, which never goes stale: a fetch whose ids
        are all there asks nothing of the database. At the first other id the database's
        version is read (SQLite), before any of the rest is looked up, and the kept
        unfinished tasks are brought to it (:meth:`_sync_live`: the tasks changed since
        the last look are forgotten), so those kept are as fresh as a read: every commit
        that finished before the fetch began also finished before that version was read.
        The rest come from one indexed read of the rows.
        """
        wanted = action.value if action is not None else None
        shown = self._cache.lookup(account_id, ids, wanted)
        if None not in shown:
            return shown
        data_version = self.version(asked_ns) if self._live.enabled else None
        if data_version is not None:
            await self._sync_live(data_version)
            live = self._live.lookup(account_id, ids, wanted)
            shown = live if shown.count(None) == len(shown) else [
                dto if dto is not None else other for dto, other in zip(shown, live, strict=True)]
            if None not in shown:
                return shown
        missing = [task_id for task_id, dto in zip(ids, shown, strict=True) if dto is None]
        read: dict[str, bytes] = {}
        for task_id, row_action, status, dto in await self._dto_rows(account_id, missing):
            entry = CachedDto(account_id, row_action, dto)
            if status in _TERMINAL_SET:
                self._cache.add(task_id, entry)
            elif data_version is not None:
                self._live.add(task_id, entry)
            read[task_id] = dto if wanted is None or row_action == wanted else HIDDEN
        return list(map(read.get, ids, shown))  # a read DTO, else what the caches said

    async def _sync_live(self, data_version: int) -> None:
        """Brings the kept unfinished TaskDtos to ``data_version`` (read before this): the
        entries of tasks changed since the cache last looked go. Runs to its end without
        giving the event loop up (SQLite's reads run in place), as the rest of a fetch.
        A deleted row would name no change: tasks are never deleted (a purge must forget
        them here too)."""
        if self._live.is_at(data_version):
            return  # no commit since: every entry is current
        reader = self._db.sqlite_reader
        assert reader is not None  # a database version is SQLite's
        seen = self._live.seen
        if seen is not None:
            changed = await reader.rows(SQLITE_CHANGES_SQL, [seen, CHANGES_READ_AT_MOST])
            if len(changed) < CHANGES_READ_AT_MOST:
                self._live.sync(data_version, changed)
                return
        [(latest,)] = await reader.rows(SQLITE_LATEST_VERSION_SQL, [])
        self._live.restart(data_version, latest or 0)

    async def _dto_rows(
        self, account_id: str, ids: Sequence[str]
    ) -> Sequence[Sequence[Any]]:
        """(id, action, status, dto) of the account's tasks among ``ids``."""
        reader = self._db.sqlite_reader
        if reader is not None:
            return await reader.rows(sqlite_dto_rows_sql(len(ids)), [account_id, *ids])
        query = select(tasks.c.id, tasks.c.action, tasks.c.status, tasks.c.dto).where(
            tasks.c.account_id == account_id, tasks.c.id.in_(ids)
        )
        async with self._db.read() as conn:
            return (await conn.execute(query)).all()

    async def get(self, task_id: str) -> Task | None:
        async with self._db.read() as conn:
            row = (await conn.execute(select(tasks).where(tasks.c.id == task_id))).first()
        return row_to_task(row) if row else None

    async def clip_task(self, account_id: str, clip_id: str) -> Task | None:
        """The account's task that made clip ``clip_id``."""
        query = (
            select(tasks)
            .join(clips, clips.c.task_id == tasks.c.id)
            .where(clips.c.id == clip_id, clips.c.account_id == account_id)
        )
        async with self._db.read() as conn:
            row = (await conn.execute(query)).first()
        return row_to_task(row) if row else None

    async def count_by_status(self) -> dict[TaskStatus, int]:
        query = select(tasks.c.status, func.count()).group_by(tasks.c.status)
        async with self._db.read() as conn:
            rows = (await conn.execute(query)).all()
        return {TaskStatus(status): int(count) for status, count in rows}

    # -- worker side -------------------------------------------------------

    async def claim(
        self, *, now: float, lease_seconds: float, limit: int,
        providers: Sequence[str] | None = None,
    ) -> list[Task]:
        """Take up to ``limit`` waiting tasks, oldest first, each under a new lease token."""
        if not self._db.is_sqlite:
            return await self._claim_in_one_statement(
                now=now, lease_seconds=lease_seconds, limit=limit, providers=providers)
        query = (
            select(tasks)
            .where(tasks.c.status == TaskStatus.SUBMITTED.value, tasks.c.run_after <= now)
            .order_by(tasks.c.run_after, tasks.c.submit_time)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        if providers is not None:
            query = query.where(tasks.c.provider.in_(providers))
        claimed: list[Task] = []
        asked = time.monotonic()
        async with self._db.write() as conn:
            lease = lease_seconds + _waited_since(asked)
            for row in (await conn.execute(query)).all():
                task = task_rules.claimed(
                    row_to_task(row),
                    lease_token=uuid.uuid4().hex,
                    now=now,
                    lease_seconds=lease,
                )
                await write_task(conn, task, tasks.c.status == TaskStatus.SUBMITTED.value,
                                 previous=TaskStatus.SUBMITTED,
                                 notify_every_status=self.notify_every_status)
                claimed.append(task)
        return claimed

    async def _claim_in_one_statement(
        self, *, now: float, lease_seconds: float, limit: int,
        providers: Sequence[str] | None,
    ) -> list[Task]:
        """PostgreSQL's claim (:mod:`songgate.store.claims`): the same tasks, leases and
        TaskDtos as the read-then-write claim, the rows taken by one statement."""
        claimed: list[Task] = []
        asked = time.monotonic()
        async with self._db.write() as conn:
            lease = lease_seconds + _waited_since(asked)
            rows = (await conn.execute(*claim_statement(
                now=now, lease_expires_at=now + lease, limit=limit, providers=providers,
            ))).all()
            for row in rows:
                task = task_rules.claimed(
                    _as_read(row_to_task(row)), lease_token=row.lease_token, now=now,
                    lease_seconds=lease,
                )
                columns = _mutable_columns(task)
                if any(getattr(row, name) != value for name, value in columns.items()
                       if name != "dto"):  # the statement and the domain rule disagree
                    raise RuntimeError(f"task {task.id} was claimed unlike the claim rule")
                claimed.append(task)
            if claimed:
                await conn.execute(*dto_statement(
                    [(task.id, render_task(task)) for task in claimed]))
            for task in claimed:
                await hooks.enqueue_if_due(conn, task, TaskStatus.SUBMITTED,
                                           every_status=self.notify_every_status)
        # the statement's order is not the subquery's: oldest first, as the other claim
        claimed.sort(key=lambda task: (task.run_after, task.submit_time))
        return claimed

    async def heartbeat(
        self, task_id: str, lease_token: str, *, now: float, lease_seconds: float
    ) -> bool:
        """Extend the lease; False means the worker has lost the task and must stop."""
        asked = time.monotonic()
        async with self._db.write() as conn:
            lease = lease_seconds + _waited_since(asked)
            result = await conn.execute(
                update(tasks)
                .where(
                    tasks.c.id == task_id,
                    tasks.c.lease_token == lease_token,
                    tasks.c.status.in_(_RUNNING),
                )
                .values(lease_expires_at=now + lease)
            )
        return result.rowcount == 1

    async def heartbeats(
        self, held: Mapping[str, str], *, now: float, lease_seconds: float
    ) -> set[str]:
        """Extend the leases of every task id of ``held`` still running under its token
        there, in one transaction (one statement on PostgreSQL); returns those ids. A
        task missing from the answer is lost to its worker, which must stop it."""
        asked = time.monotonic()
        async with self._db.write() as conn:
            lease = lease_seconds + _waited_since(asked)
            return await extend_leases(conn, held, now + lease)

    async def progress(
        self, task_id: str, lease_token: str, fraction: float,
        finished: Sequence[ClipOutput] = (),
    ) -> Task | None:
        return await self._change_leased(
            task_id, lease_token, lambda task: task_rules.progressed(task, fraction, finished)
        )

    async def succeed(
        self, task_id: str, lease_token: str, result: TaskResult, *, now: float
    ) -> Task | None:
        return await self._change_leased(
            task_id, lease_token, lambda task: task_rules.succeeded(task, result, now=now)
        )

    async def fail(
        self, task_id: str, lease_token: str, reason: str, *, now: float
    ) -> Task | None:
        return await self._change_leased(
            task_id, lease_token, lambda task: task_rules.failed(task, reason, now=now)
        )

    async def retry(
        self, task_id: str, lease_token: str, reason: str, *, now: float, delay: float
    ) -> Task | None:
        return await self._change_leased(
            task_id,
            lease_token,
            lambda task: task_rules.attempt_failed(task, reason, now=now, retry_delay=delay),
        )

    async def release(self, task_id: str, lease_token: str, *, now: float) -> Task | None:
        """Give a task back at shutdown; the attempt does not count."""
        return await self._change_leased(
            task_id,
            lease_token,
            lambda task: task_rules.requeued(task, run_after=now, count_attempt=False),
        )

    async def time_out(self, task_id: str, lease_token: str, *, now: float) -> Task | None:
        return await self._change_leased(
            task_id, lease_token, lambda task: task_rules.timed_out(task, now=now)
        )

    async def reap(self, *, now: float, retry_delay: float, limit: int = 500) -> ReapReport:
        """Requeue or fail tasks whose lease expired; fail tasks past their deadline."""
        report = ReapReport(requeued=[], failed=[], timed_out=[])
        async with self._db.write() as conn:
            overdue = select(tasks).where(
                tasks.c.status.not_in(_TERMINAL), tasks.c.deadline_at < now
            )
            for row in (await conn.execute(overdue.limit(limit).with_for_update(skip_locked=True))):
                task = row_to_task(row)
                await write_task(conn, task_rules.timed_out(task, now=now),
                                 tasks.c.status == task.status.value, previous=task.status,
                                 notify_every_status=self.notify_every_status)
                report.timed_out.append(task.id)
            expired = select(tasks).where(
                tasks.c.status.in_(_RUNNING), tasks.c.lease_expires_at < now
            )
            for row in (await conn.execute(expired.limit(limit).with_for_update(skip_locked=True))):
                task = row_to_task(row)
                after = task_rules.attempt_failed(
                    task, "the worker running it stopped renewing its lease",
                    now=now, retry_delay=retry_delay,
                )
                await write_task(conn, after, tasks.c.lease_token == task.lease_token,
                                 previous=task.status,
                                 notify_every_status=self.notify_every_status)
                (report.requeued if after.status is TaskStatus.SUBMITTED else report.failed).append(
                    task.id
                )
        return report

    # -- internals ---------------------------------------------------------

    async def _change_leased(
        self, task_id: str, lease_token: str, change: Callable[[Task], Task]
    ) -> Task | None:
        """Apply ``change`` if the task is still running under ``lease_token``; else None.

        Changes that arrive together are committed together (:mod:`songgate.store.leased`).
        """
        return await self._leased.change(task_id, lease_token, change)

    async def _after_leased(
        self, conn: AsyncConnection, task: Task, previous: TaskStatus
    ) -> None:
        await after_write(conn, task, previous, notify_every_status=self.notify_every_status)

async def write_task(
    conn: AsyncConnection, task: Task, *guard: ColumnElement[bool],
    previous: TaskStatus | None = None, notify_every_status: bool = False,
) -> None:
    """Write a task read under a lock, with its rendered TaskDto; ``guard`` must still hold.

    Every change of a task passes here, so this is where a failure's charge is refunded
    (once) and where the task's webhook notification joins the same transaction.
    ``previous`` is the status the task had when it was read.
    """
    result = await conn.execute(
        update(tasks).where(tasks.c.id == task.id, *guard).values(
            **_mutable_columns(task), version=tasks.c.version + 1)
    )
    if result.rowcount != 1:  # the row was read under a lock; this cannot happen
        raise RuntimeError(f"task {task.id} changed under its lock")
    await after_write(conn, task, previous, notify_every_status=notify_every_status)


async def after_write(
    conn: AsyncConnection, task: Task, previous: TaskStatus | None, *,
    notify_every_status: bool = False,
) -> None:
    """What joins a task's written change in its transaction: a failure's refund, once,
    and the task's webhook notification."""
    if task.status is TaskStatus.FAILURE:
        await credits.refund_failure(conn, task, now=task.finish_time)
    await hooks.enqueue_if_due(conn, task, previous, every_status=notify_every_status)
