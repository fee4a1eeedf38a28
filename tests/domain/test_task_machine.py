"""A task's life under any order of events: no sequence reaches an impossible state.

Events are applied whatever the task's state; a change the status table forbids
must raise :class:`TransitionError` and leave the task as it was. After every step
the task keeps its invariants, and its TaskDto matches the OpenAPI document.
"""

from __future__ import annotations

import uuid
from typing import Any

import jsonschema_rs
import orjson
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
)

from songgate.api.openapi_schemas import components
from songgate.domain import relay
from songgate.domain import task as rules
from songgate.domain.clips import Owner
from songgate.domain.dto import render_task
from songgate.domain.results import ClipOutput, LyricsResult, MusicResult, TaskResult
from songgate.domain.status import RUNNING, TERMINAL, TRANSITIONS, Action, TaskStatus
from songgate.domain.submit import parse_lyrics, parse_music
from songgate.domain.task import Task, TransitionError

LEASE_SECONDS = 30.0
RETRY_DELAY = 5.0
TIMEOUT_SECONDS = 600.0
OWNER = Owner(user_id="u-1", handle="tester", display_name="Tester")
TASK_DTO = jsonschema_rs.validator_for(
    {"$ref": "#/components/schemas/TaskDto", "components": {"schemas": components()}})
reasons = st.text(max_size=12) | st.sampled_from(["", "  ", "upstream busy"])


def clip_output(clip_id: str) -> ClipOutput:
    return ClipOutput(id=clip_id, audio_url=f"http://songgate.test/media/{clip_id}.mp3",
                      image_url="", image_large_url="", video_url="", duration=12.5)


class TaskLife(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.now = 1_700_000_000.0
        self.task: Task
        self.ended: Task | None = None  # the task as it first became terminal
        self.handed_off = False  # a relayed task runs upstream, with no lease here

    @initialize(action=st.sampled_from(Action), max_attempts=st.integers(1, 4))
    def submit(self, action: Action, max_attempts: int) -> None:
        common: dict[str, Any] = {
            "task_id": str(uuid.uuid4()), "account_id": "a-1", "provider": "scripted",
            "now": self.now, "max_attempts": max_attempts, "timeout_seconds": TIMEOUT_SECONDS}
        if action is Action.MUSIC:
            self.task = rules.new_music_task(
                owner=OWNER, spec=parse_music({"prompt": "la la", "tags": "pop"}),
                clip_ids=[str(uuid.uuid4()) for _ in range(rules.MUSIC_CLIPS_PER_TASK)],
                **common)
        else:
            self.task = rules.new_lyrics_task(
                lyrics_id=str(uuid.uuid4()), spec=parse_lyrics({"prompt": "rain"}), **common)
        self.attempt_progress = 0

    def apply(self, change: Any, *, changes_status: bool = True) -> None:
        before = self.task
        try:
            after: Task = change(before)
        except TransitionError:
            return  # refused: the task is a value, so it is unchanged
        if changes_status:
            assert after.status in TRANSITIONS[before.status], (before.status, after.status)
        if after.status is TaskStatus.QUEUED and before.status is not TaskStatus.QUEUED:
            self.attempt_progress, self.handed_off = 0, False  # a new attempt
        elif after.status is TaskStatus.SUBMITTED:
            self.attempt_progress = 0
        else:
            assert after.progress >= self.attempt_progress, "progress went backwards"
            self.attempt_progress = after.progress
        if before.start_time:
            assert after.start_time == before.start_time, "started twice"
        if before.finish_time:
            assert after.finish_time == before.finish_time, "finished twice"
        self.task = after
        if after.is_terminal and self.ended is None:
            self.ended = after

    @rule(seconds=st.floats(min_value=0, max_value=100))
    def time_passes(self, seconds: float) -> None:
        self.now += seconds

    @rule()
    def claim(self) -> None:
        self.apply(lambda t: rules.claimed(t, lease_token=uuid.uuid4().hex, now=self.now,
                                           lease_seconds=LEASE_SECONDS))

    @rule(fraction=st.floats(min_value=0, max_value=1), first_clip_done=st.booleans())
    def progress(self, fraction: float, first_clip_done: bool) -> None:
        done = [clip_output(self.task.clip_ids[0])] if first_clip_done and self.task.clip_ids \
            else []
        self.apply(lambda t: rules.progressed(t, fraction, done))

    @rule(right_kind=st.booleans())
    def succeed(self, right_kind: bool) -> None:
        music = self.task.action is Action.MUSIC
        result: TaskResult = (
            MusicResult(tuple(clip_output(c) for c in self.task.clip_ids))
            if music == right_kind else LyricsResult(title="Rain", text="[Verse]\nrain"))
        self.apply(lambda t: rules.succeeded(t, result, now=self.now))

    # Only whoever runs a task fails it (a worker, or the relay poller for an upstream's
    # task), and only past its deadline is it timed out: other events may come any time.
    @precondition(lambda self: self.task.status in RUNNING | {TaskStatus.UNKNOWN})
    @rule(reason=reasons)
    def fail(self, reason: str) -> None:
        self.apply(lambda t: rules.failed(t, reason, now=self.now))

    @precondition(lambda self: self.task.status in RUNNING | {TaskStatus.UNKNOWN})
    @rule(reason=reasons)
    def attempt_fails(self, reason: str) -> None:
        self.apply(lambda t: rules.attempt_failed(t, reason, now=self.now,
                                                  retry_delay=RETRY_DELAY))

    @rule()
    def release(self) -> None:
        self.apply(lambda t: rules.requeued(t, run_after=self.now, count_attempt=False))

    @precondition(lambda self: self.now > self.task.deadline_at)
    @rule()
    def time_out(self) -> None:
        self.apply(lambda t: rules.timed_out(t, now=self.now))

    @rule()
    def reap(self) -> None:
        """What the reaper does to this task now: time it out, or take back an expired lease."""
        task = self.task
        if task.is_terminal:
            return
        if task.deadline_at < self.now:
            self.apply(lambda t: rules.timed_out(t, now=self.now))
        elif task.lease_expires_at is not None and task.lease_expires_at < self.now:
            self.apply(lambda t: rules.attempt_failed(
                t, "the worker running it stopped renewing its lease", now=self.now,
                retry_delay=RETRY_DELAY))

    @precondition(lambda self: self.handed_off)
    @rule()
    def upstream_unknown(self) -> None:
        """The upstream running a relayed task says it does not know its state."""
        self.apply(rules.became_unknown)

    @precondition(lambda self: self.task.status in RUNNING and self.task.lease_token)
    @rule()
    def hand_off(self) -> None:
        self.apply(relay.handed_off, changes_status=False)
        self.handed_off = True

    @invariant()
    def terminal_tasks_never_change(self) -> None:
        if self.ended is not None:
            assert self.task == self.ended

    @invariant()
    def progress_is_whole_only_at_the_end(self) -> None:
        task = self.task
        assert 0 <= task.progress <= 100
        assert (task.progress == 100) == task.is_terminal

    @invariant()
    def times_are_ordered(self) -> None:
        task = self.task
        assert task.start_time == 0 or task.submit_time <= task.start_time <= self.now
        assert (task.finish_time != 0) == task.is_terminal
        if task.finish_time:
            assert max(task.submit_time, task.start_time) <= task.finish_time <= self.now

    @invariant()
    def attempts_stay_within_the_limit(self) -> None:
        assert 0 <= self.task.attempts <= self.task.max_attempts

    @invariant()
    def a_failure_says_why(self) -> None:
        if self.task.status is TaskStatus.FAILURE:
            assert self.task.fail_reason.strip()

    @invariant()
    def a_lease_is_held_exactly_while_running(self) -> None:
        task = self.task
        assert (task.lease_token is None) == (task.lease_expires_at is None)
        if task.status in RUNNING:
            assert task.lease_token is not None or self.handed_off
        else:  # an UNKNOWN task runs upstream, no worker holds it
            assert task.lease_token is None
        assert task.status is not TaskStatus.NOT_START

    @invariant()
    def the_dto_is_what_the_document_describes(self) -> None:
        dto = orjson.loads(render_task(self.task))
        errors = [error.message for error in TASK_DTO.iter_errors(dto)]
        assert not errors, (errors, dto)
        if self.task.status in TERMINAL:
            assert dto["progress"] == "100%"


TestTaskLife = TaskLife.TestCase
TestTaskLife.settings = settings(max_examples=400, stateful_step_count=40, deadline=None)
