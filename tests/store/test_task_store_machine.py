"""Two workers and a reaper on one real SQLite file, in any order of events.

Workers claim, report progress, heartbeat, finish, fail, retry and release, sometimes
with a lease they have already lost; time passes and the reaper runs. Whatever the
order, no task reaches an impossible state and no task is finished twice: every
ended task was ended by exactly one write, and a stale lease's write is refused.
"""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter
from collections.abc import Coroutine
from pathlib import Path
from typing import Any, TypeVar

import orjson
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from songgate.clock import ManualClock
from songgate.config import Settings
from songgate.domain import task as rules
from songgate.domain.accounts import Account
from songgate.domain.results import ClipOutput, LyricsResult, MusicResult, TaskResult
from songgate.domain.status import RUNNING, TERMINAL, TRANSITIONS, Action, TaskStatus
from songgate.domain.submit import parse_lyrics, parse_music
from songgate.domain.task import Task
from songgate.wiring import Services, stores_of

LEASE = 30.0
MAX_ATTEMPTS = 2
WORKERS = ("w1", "w2")
T = TypeVar("T")


class TwoWorkers(RuleBasedStateMachine):
    def __init__(self, loop: asyncio.AbstractEventLoop, services: Services,
                 account: Account) -> None:
        super().__init__()
        self.loop, self.services, self.account = loop, services, account
        self.store = stores_of(services).tasks
        self.provider = f"p-{uuid.uuid4().hex[:12]}"  # claims see this run's tasks only
        self.now = 1_700_000_000.0
        self.ids: list[str] = []
        self.last: dict[str, Task] = {}  # each task as last read
        self.held: dict[str, dict[str, str]] = {w: {} for w in WORKERS}  # task -> lease token
        self.endings: Counter[str] = Counter()  # writes that ended each task

    def run(self, step: Coroutine[Any, Any, T]) -> T:
        return self.loop.run_until_complete(step)

    @initialize(actions=st.lists(st.sampled_from(Action), min_size=1, max_size=3))
    def first_tasks(self, actions: list[Action]) -> None:
        for action in actions:
            self.submit(action)

    @rule(action=st.sampled_from(Action))
    def submit(self, action: Action) -> None:
        common: dict[str, Any] = {
            "task_id": str(uuid.uuid4()), "account_id": self.account.id,
            "provider": self.provider, "now": self.now, "max_attempts": MAX_ATTEMPTS,
            "timeout_seconds": 300.0}
        task = (rules.new_music_task(owner=self.account.owner, spec=parse_music({"prompt": "la"}),
                                     clip_ids=[str(uuid.uuid4()), str(uuid.uuid4())], **common)
                if action is Action.MUSIC else
                rules.new_lyrics_task(lyrics_id=str(uuid.uuid4()),
                                      spec=parse_lyrics({"prompt": "rain"}), **common))
        self.run(self.store.insert(task))
        self.ids.append(task.id)

    @rule(seconds=st.sampled_from([1.0, 10.0, 29.0, 31.0, 120.0]))
    def time_passes(self, seconds: float) -> None:
        self.now += seconds

    @rule(worker=st.sampled_from(WORKERS))
    def claim(self, worker: str) -> None:
        for task in self.run(self.store.claim(now=self.now, lease_seconds=LEASE, limit=1,
                                              providers=[self.provider])):
            assert task.lease_token is not None
            self.held[worker][task.id] = task.lease_token

    def _pick(self, worker: str, data: st.DataObject) -> tuple[str, str] | None:
        held = list(self.held[worker].items())  # claim order: the same on every replay
        return data.draw(st.sampled_from(held)) if held else None

    def holding(self) -> bool:
        return any(self.held.values())

    def _write(self, picked: tuple[str, str], step: Coroutine[Any, Any, T]) -> T:
        """A worker's write: it counts if and only if the worker still holds the lease."""
        task_id, token = picked
        current = self.run(self.store.get(task_id))
        assert current is not None
        holds = current.lease_token == token and current.status in RUNNING
        written = self.run(step)
        assert bool(written) == holds, ("a lost lease wrote" if written else "a lease refused")
        return written

    @precondition(lambda self: self.holding())
    @rule(worker=st.sampled_from(WORKERS), data=st.data(),
          fraction=st.floats(min_value=0, max_value=1))
    def progress(self, worker: str, data: st.DataObject, fraction: float) -> None:
        picked = self._pick(worker, data)
        if picked:
            self._write(picked, self.store.progress(*picked, fraction))

    @precondition(lambda self: self.holding())
    @rule(worker=st.sampled_from(WORKERS), data=st.data())
    def heartbeat(self, worker: str, data: st.DataObject) -> None:
        picked = self._pick(worker, data)
        if picked:
            self._write(picked, self.store.heartbeat(*picked, now=self.now, lease_seconds=LEASE))

    @precondition(lambda self: self.holding())
    @rule(worker=st.sampled_from(WORKERS), data=st.data(),
          outcome=st.sampled_from(["succeed", "fail", "retry", "release", "time_out"]))
    def finish(self, worker: str, data: st.DataObject, outcome: str) -> None:
        """The worker ends its run; it may hold a lease that is no longer its own."""
        picked = self._pick(worker, data)
        if picked is None:
            return
        task_id, token = picked
        store, now = self.store, self.now
        step = {
            "succeed": lambda: store.succeed(task_id, token, self._result(task_id), now=now),
            "fail": lambda: store.fail(task_id, token, "the prompt was refused", now=now),
            "retry": lambda: store.retry(task_id, token, "upstream busy", now=now, delay=5),
            "release": lambda: store.release(task_id, token, now=now),
            "time_out": lambda: store.time_out(task_id, token, now=now),
        }[outcome]
        written = self._write(picked, step())
        if written is not None and written.is_terminal:
            self.endings[task_id] += 1

    def _result(self, task_id: str) -> TaskResult:
        task = self.last[task_id]
        if task.action is Action.LYRICS:
            return LyricsResult(title="Rain", text="[Verse]\nrain")
        return MusicResult(tuple(ClipOutput(id=c, audio_url="", image_url="", image_large_url="",
                                            video_url="", duration=1.0) for c in task.clip_ids))

    @rule()
    def reap(self) -> None:
        report = self.run(self.store.reap(now=self.now, retry_delay=5))
        self.endings.update(report.failed + report.timed_out)

    @precondition(lambda self: self.holding())
    @rule(worker=st.sampled_from(WORKERS))
    def heartbeats_stop(self, worker: str) -> None:
        """The workers stall past their leases; the reaper takes their tasks back, and a
        worker claims again (the stalled ones still believe they hold theirs)."""
        self.now += LEASE + 6  # past the lease and the retry delay
        self.reap()
        self.claim(worker)

    @invariant()
    def no_task_reaches_an_impossible_state(self) -> None:
        for task_id in self.ids:
            task = self.run(self.store.get(task_id))
            assert task is not None
            before = self.last.get(task_id)
            if before is not None and before.is_terminal:
                assert task == before, "an ended task changed"
            elif before is not None and task.status is not before.status:
                # one step may make two moves, a requeue then a claim: each allowed
                requeued = TaskStatus.SUBMITTED in TRANSITIONS[before.status]
                assert task.status in TRANSITIONS[before.status] or (
                    requeued and task.status in TRANSITIONS[TaskStatus.SUBMITTED])
            assert self.endings[task_id] == (1 if task.is_terminal else 0), "ended twice"
            assert 0 <= task.attempts <= task.max_attempts
            assert (task.progress == 100) == task.is_terminal
            assert (task.lease_token is not None) == (task.status in RUNNING)
            if task.status is TaskStatus.FAILURE:
                assert task.fail_reason.strip()
            if task.status in TERMINAL:
                assert task.finish_time >= task.submit_time
            if task.lease_token is not None:  # the one worker whose write would count
                assert sum(held.get(task_id) == task.lease_token
                           for held in self.held.values()) == 1
            self.last[task_id] = task
        self._stored_dtos_match()

    def _stored_dtos_match(self) -> None:
        if not self.ids:
            return
        stored = self.run(self.store.dtos(self.account.id, self.ids))
        for task_id in self.ids:
            dto = orjson.loads(stored[task_id])
            task = self.last[task_id]
            assert (dto["status"], dto["progress"]) == (task.status.value, f"{task.progress}%")


async def _services(data_dir: Path) -> tuple[Services, Account]:
    built = Services.build(Settings(
        data_dir=data_dir, database_url=f"sqlite+aiosqlite:///{data_dir / 'songgate.db'}",
        sqlite_synchronous="OFF",  # a test of rules, not of durability
    ), ManualClock())
    await built.migrate()
    return built, await stores_of(built).accounts.create_account("machine", now=0)


def test_two_workers_and_a_reaper_never_end_a_task_twice(tmp_path: Path) -> None:
    loop = asyncio.new_event_loop()
    services, account = loop.run_until_complete(_services(tmp_path))
    try:
        run_state_machine_as_test(
            lambda: TwoWorkers(loop, services, account),
            settings=settings(max_examples=50, stateful_step_count=30, deadline=None),
        )
    finally:
        loop.run_until_complete(services.close())
        loop.close()
