"""RelayStore: which upstream channel holds each relayed task, under which upstream id.

The life of a relayed task, each step one transaction:

1. ``begin``: before the upstream is asked, a ``submitting`` row says so. If the
   process dies before step 2, the next attempt finds that row and logs that the
   upstream may now hold the task twice (the one case where that can happen).
2. ``hand_off``: the upstream accepted; its id is recorded and the task leaves the
   worker (no lease) for the poller, in the same transaction.
3. ``apply``: the poller copies upstream reports onto tasks, a batch at a time, and
   marks jobs ``done`` when their task has ended.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select, update

from songgate.domain import relay as relay_rules
from songgate.domain.status import RUNNING, TERMINAL
from songgate.domain.task import Task
from songgate.store.channels import POLLING, SUBMITTING
from songgate.store.database import Database, conflict_insert
from songgate.store.tables import clips, relay_clips, relay_jobs, tasks
from songgate.store.tasks import row_to_task, write_task

DONE = "done"
_RUNNING = [status.value for status in RUNNING]
_TERMINAL = [status.value for status in TERMINAL]


@dataclass(frozen=True, slots=True)
class RelayJob:
    task_id: str
    channel: str
    upstream_id: str | None
    state: str
    misses: int
    submitted_at: float


@dataclass(frozen=True, slots=True)
class Followed:
    """A task the poller follows: its current state and where it lives upstream."""

    task: Task
    upstream_id: str
    misses: int


@dataclass(frozen=True, slots=True)
class RelayChange:
    """What one poll decided for one task.

    ``change`` maps the task (re-read under lock) to its next state, or None to leave
    it; ``misses`` is the new count of polls the upstream left it out; ``clips`` pairs
    our clip ids with the upstream's once it has delivered them; ``dropped`` names
    planned clips the change removed from the task (stems the upstream did not make),
    unlisted with it.
    """

    task_id: str
    change: Callable[[Task], Task | None] | None = None
    misses: int | None = None
    clips: Sequence[tuple[str, str]] = field(default_factory=tuple)
    dropped: Sequence[str] = field(default_factory=tuple)


class RelayStore:
    def __init__(self, database: Database, *, notify_every_status: bool = False) -> None:
        self._db = database
        self.notify_every_status = notify_every_status

    async def begin(self, task_id: str, channel: str, *, now: float) -> RelayJob | None:
        """Record that ``channel`` is about to be asked; returns the job this replaces.

        A replaced job still ``submitting`` means an earlier attempt died while asking.
        """
        async with self._db.write() as conn:
            before = (await conn.execute(
                select(relay_jobs).where(relay_jobs.c.task_id == task_id)
            )).first()
            values = {"channel": channel, "upstream_id": None, "state": SUBMITTING, "misses": 0,
                      "submitted_at": now, "updated_at": now}
            await conn.execute(
                conflict_insert(self._db.dialect, relay_jobs).values(task_id=task_id, **values)
                .on_conflict_do_update(index_elements=[relay_jobs.c.task_id], set_=values)
            )
        return _job(before) if before else None

    async def abandon(self, task_id: str, channel: str) -> None:
        """The channel refused or could not be reached: it does not hold the task."""
        async with self._db.write() as conn:
            await conn.execute(relay_jobs.delete().where(
                relay_jobs.c.task_id == task_id, relay_jobs.c.channel == channel,
                relay_jobs.c.state == SUBMITTING,
            ))

    async def hand_off(
        self, task_id: str, lease_token: str, channel: str, upstream_id: str, *, now: float
    ) -> Task | None:
        """The upstream holds the task now: the worker lets go, the poller follows it."""
        guard = (tasks.c.lease_token == lease_token, tasks.c.status.in_(_RUNNING))
        async with self._db.write() as conn:
            row = (await conn.execute(
                select(tasks).where(tasks.c.id == task_id, *guard).with_for_update()
            )).first()
            if row is None:
                return None
            task = relay_rules.handed_off(row_to_task(row))
            await write_task(conn, task, *guard)
            await conn.execute(
                update(relay_jobs).where(relay_jobs.c.task_id == task_id)
                .values(channel=channel, upstream_id=upstream_id, state=POLLING, misses=0,
                        updated_at=now)
            )
        return task

    async def job(self, task_id: str) -> RelayJob | None:
        async with self._db.read() as conn:
            row = (await conn.execute(
                select(relay_jobs).where(relay_jobs.c.task_id == task_id)
            )).first()
        return _job(row) if row else None

    async def polled_channels(self) -> list[str]:
        async with self._db.read() as conn:
            rows = await conn.execute(
                select(relay_jobs.c.channel).where(relay_jobs.c.state == POLLING).distinct()
            )
            return sorted(row[0] for row in rows)

    async def followed(self, channel: str, *, limit: int = 100_000) -> list[Followed]:
        """The tasks ``channel`` holds, oldest first (ended ones too, to be marked done)."""
        query = (
            select(tasks, relay_jobs.c.upstream_id, relay_jobs.c.misses)
            .join(relay_jobs, relay_jobs.c.task_id == tasks.c.id)
            .where(relay_jobs.c.state == POLLING, relay_jobs.c.channel == channel)
            .order_by(relay_jobs.c.submitted_at)
            .limit(limit)
        )
        async with self._db.read() as conn:
            rows = await conn.execute(query)
            return [Followed(row_to_task(row), row.upstream_id, row.misses) for row in rows]

    async def apply(self, channel: str, changes: Sequence[RelayChange], *, now: float) -> int:
        """Write one poll's decisions in one transaction; returns the tasks written."""
        if not changes:
            return 0
        by_id = {change.task_id: change for change in changes}
        written = 0
        async with self._db.write() as conn:
            guard = (tasks.c.status.not_in(_TERMINAL), tasks.c.lease_token.is_(None))
            rows = await conn.execute(
                select(tasks).where(tasks.c.id.in_(list(by_id)), *guard).with_for_update()
            )
            live = set()
            for row in rows:
                live.add(row.id)
                change = by_id[row.id].change
                before = row_to_task(row)
                after = change(before) if change else None
                if after is not None:
                    await write_task(conn, after, *guard, previous=before.status,
                                     notify_every_status=self.notify_every_status)
                    written += 1
                    if by_id[row.id].dropped:
                        await conn.execute(clips.delete().where(
                            clips.c.task_id == row.id,
                            clips.c.id.in_(list(by_id[row.id].dropped))))
                    if after.is_terminal:
                        live.discard(row.id)
            for decided in changes:
                values: dict[str, object] = {"updated_at": now}
                if decided.task_id not in live:
                    values["state"] = DONE
                if decided.misses is not None:
                    values["misses"] = decided.misses
                if len(values) > 1:
                    await conn.execute(
                        update(relay_jobs).where(relay_jobs.c.task_id == decided.task_id,
                                                 relay_jobs.c.channel == channel)
                        .values(**values)
                    )
                if decided.clips:
                    await conn.execute(relay_clips.delete().where(
                        relay_clips.c.clip_id.in_([ours for ours, _ in decided.clips])
                    ))
                    await conn.execute(relay_clips.insert(), [
                        {"clip_id": ours, "channel": channel, "upstream_clip_id": theirs}
                        for ours, theirs in decided.clips
                    ])
        return written

    async def clip_origin(self, clip_id: str) -> tuple[str, str] | None:
        """(channel, upstream clip id) of a clip an upstream produced; None for our own."""
        async with self._db.read() as conn:
            row = (await conn.execute(
                select(relay_clips.c.channel, relay_clips.c.upstream_clip_id)
                .where(relay_clips.c.clip_id == clip_id)
            )).first()
        return (row[0], row[1]) if row else None

    async def clip_source(self, clip_id: str) -> ClipSource | None:
        """:meth:`clip_origin` with the upstream's id of the task that made the clip."""
        query = (
            select(relay_clips.c.channel, relay_clips.c.upstream_clip_id,
                   relay_jobs.c.upstream_id)
            .select_from(relay_clips.outerjoin(clips, clips.c.id == relay_clips.c.clip_id)
                         .outerjoin(relay_jobs, relay_jobs.c.task_id == clips.c.task_id))
            .where(relay_clips.c.clip_id == clip_id)
        )
        async with self._db.read() as conn:
            row = (await conn.execute(query)).first()
        return ClipSource(row[0], row[1], row[2] or "") if row else None


@dataclass(frozen=True, slots=True)
class ClipSource:
    """Where an upstream made one of our clips: the channel, its id for the clip, and its
    id for the task that made it ("" when that was not recorded)."""

    channel: str
    upstream_clip: str
    upstream_task: str


def _job(row: Any) -> RelayJob:
    return RelayJob(task_id=row.task_id, channel=row.channel, upstream_id=row.upstream_id,
                    state=row.state, misses=row.misses, submitted_at=row.submitted_at)
