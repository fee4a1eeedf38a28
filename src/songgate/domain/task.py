"""The task record and every change it may go through.

Each function takes a task and returns a new one, checking the move against
:data:`songgate.domain.status.TRANSITIONS`; the store persists the result
together with its rendered TaskDto.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from songgate.domain import clips
from songgate.domain.clips import Owner
from songgate.domain.concat import ConcatSpec
from songgate.domain.results import (
    ClipOutput,
    FileResult,
    LyricsResult,
    MusicResult,
    TaskResult,
)
from songgate.domain.status import (
    CLIP_STATUS,
    LYRICS_STATUS,
    TERMINAL,
    Action,
    ClipStatus,
    TaskStatus,
    can_transition,
    makes_clips,
)
from songgate.domain.stems import StemSpec
from songgate.domain.submit import LyricsSpec, MusicSpec

MUSIC_CLIPS_PER_TASK = 2
NO_REASON = "the task failed without a reason given"


class TransitionError(ValueError):
    """A change the status table does not allow; a bug in the caller, never client input."""


@dataclass(frozen=True, slots=True)
class Task:
    id: str
    account_id: str
    action: Action
    provider: str
    mv: str
    status: TaskStatus
    progress: int  # percent, 0..100
    fail_reason: str
    submit_time: float
    start_time: float  # 0 until a worker first claims it
    finish_time: float  # 0 until it ends
    request: dict[str, Any]
    data: Any  # clip objects (MUSIC, CONCAT), the lyrics object (LYRICS) or the file (FILE)
    attempts: int
    max_attempts: int
    lease_token: str | None
    lease_expires_at: float | None
    deadline_at: float
    run_after: float

    @property
    def is_terminal(self) -> bool:
        return self.status in TERMINAL

    @property
    def clip_ids(self) -> list[str]:
        if makes_clips(self.action):
            return [clip["id"] for clip in self.data]
        return []

    def music_spec(self) -> MusicSpec:
        return MusicSpec.from_json(self.request)

    def lyrics_spec(self) -> LyricsSpec:
        return LyricsSpec.from_json(self.request)

    def concat_spec(self) -> ConcatSpec:
        return ConcatSpec.from_json(self.request)

    def stem_spec(self) -> StemSpec:
        return StemSpec.from_json(self.request)


def new_music_task(
    *,
    task_id: str,
    account_id: str,
    owner: Owner,
    spec: MusicSpec,
    clip_ids: list[str],
    provider: str,
    now: float,
    max_attempts: int,
    timeout_seconds: float,
) -> Task:
    if len(clip_ids) != MUSIC_CLIPS_PER_TASK:
        raise TransitionError(f"a music task has {MUSIC_CLIPS_PER_TASK} clips")
    return Task(
        id=task_id,
        account_id=account_id,
        action=Action.MUSIC,
        provider=provider,
        mv=spec.mv,
        status=TaskStatus.SUBMITTED,
        progress=0,
        fail_reason="",
        submit_time=now,
        start_time=0,
        finish_time=0,
        request=spec.to_json(),
        data=[clips.new_clip(clip_id, owner, spec, now) for clip_id in clip_ids],
        attempts=0,
        max_attempts=max_attempts,
        lease_token=None,
        lease_expires_at=None,
        deadline_at=now + timeout_seconds,
        run_after=now,
    )


def new_concat_task(
    *, task_id: str, account_id: str, clip: clips.Clip, spec: ConcatSpec, provider: str,
    now: float, max_attempts: int, timeout_seconds: float,
) -> Task:
    """One clip: the chain ``spec.parts`` as a whole song."""
    return Task(
        id=task_id, account_id=account_id, action=Action.CONCAT, provider=provider, mv=spec.mv,
        status=TaskStatus.SUBMITTED, progress=0, fail_reason="", submit_time=now,
        start_time=0, finish_time=0, request=spec.to_json(), data=[clip], attempts=0,
        max_attempts=max_attempts, lease_token=None, lease_expires_at=None,
        deadline_at=now + timeout_seconds, run_after=now,
    )


def new_stem_task(
    *, task_id: str, account_id: str, stems: list[clips.Clip], spec: StemSpec, provider: str,
    now: float, max_attempts: int, timeout_seconds: float,
) -> Task:
    """One clip per stem of ``spec.stems``, made from the clip ``spec.clip_id``."""
    return Task(
        id=task_id, account_id=account_id, action=Action.STEM, provider=provider, mv=spec.mv,
        status=TaskStatus.SUBMITTED, progress=0, fail_reason="", submit_time=now,
        start_time=0, finish_time=0, request=spec.to_json(), data=stems, attempts=0,
        max_attempts=max_attempts, lease_token=None, lease_expires_at=None,
        deadline_at=now + timeout_seconds, run_after=now,
    )


def new_lyrics_task(
    *,
    task_id: str,
    lyrics_id: str,
    account_id: str,
    spec: LyricsSpec,
    provider: str,
    now: float,
    max_attempts: int,
    timeout_seconds: float,
) -> Task:
    return Task(
        id=task_id,
        account_id=account_id,
        action=Action.LYRICS,
        provider=provider,
        mv="",
        status=TaskStatus.SUBMITTED,
        progress=0,
        fail_reason="",
        submit_time=now,
        start_time=0,
        finish_time=0,
        request=spec.to_json(),
        data={"id": lyrics_id, "text": "", "title": "", "status": "submitted"},
        attempts=0,
        max_attempts=max_attempts,
        lease_token=None,
        lease_expires_at=None,
        deadline_at=now + timeout_seconds,
        run_after=now,
    )


def _moved(task: Task, status: TaskStatus, *, data: Any = None, **changes: Any) -> Task:
    """``task`` in ``status``; its clips follow the status unless ``data`` is given."""
    if not can_transition(task.status, status):
        raise TransitionError(f"task {task.id}: {task.status} cannot become {status}")
    if data is None:
        data = _data_with_status(task.action, task.data, status)
    return replace(task, status=status, data=data, **changes)


def _data_with_status(action: Action, data: Any, status: TaskStatus) -> Any:
    if makes_clips(action):
        return [clips.with_status(clip, CLIP_STATUS[status]) for clip in data]
    return {**data, "status": LYRICS_STATUS[status].value}


def claimed(task: Task, *, lease_token: str, now: float, lease_seconds: float) -> Task:
    return _moved(
        task,
        TaskStatus.QUEUED,
        attempts=task.attempts + 1,
        lease_token=lease_token,
        lease_expires_at=now + lease_seconds,
        start_time=task.start_time or now,
        progress=0,
    )


def progressed(task: Task, fraction: float, finished: Sequence[ClipOutput] = ()) -> Task:
    """Running with ``fraction`` (0..1) done; progress never moves back within an attempt.

    Clips in ``finished`` show as complete with their URLs while the others stream; a
    ``streaming`` output gives a streaming clip the URL of the part made so far.
    """
    percent = max(task.progress, min(99, int(fraction * 100)))
    data = None
    if makes_clips(task.action):
        outputs = {clip.id: clip for clip in finished}
        data = [_progressed_clip(clip, outputs.get(clip["id"])) for clip in task.data]
    return _moved(task, TaskStatus.IN_PROGRESS, data=data, progress=percent)


def _progressed_clip(clip: clips.Clip, output: ClipOutput | None) -> clips.Clip:
    if output is not None and not output.streaming:
        return clips.completed(clip, output)
    if clip["status"] == ClipStatus.COMPLETE.value:
        return clip
    if output is not None:
        return clips.streamed(clip, output.audio_url)
    return clips.with_status(clip, ClipStatus.STREAMING)


def became_unknown(task: Task) -> Task:
    """An upstream reports it does not know the task's state (relayed tasks only)."""
    return _moved(task, TaskStatus.UNKNOWN)


def succeeded(task: Task, result: TaskResult, *, now: float) -> Task:
    if isinstance(result, MusicResult):
        if not makes_clips(task.action):
            raise TransitionError("a music result for a lyrics task")
        outputs = {clip.id: clip for clip in result.clips}
        data: Any = [
            clips.completed(clip, outputs[clip["id"]]) if clip["id"] in outputs
            else clips.errored(clip, "the provider returned no song for this clip")
            for clip in task.data
        ]
    elif isinstance(result, LyricsResult):
        if task.action is not Action.LYRICS:
            raise TransitionError("a lyrics result for a music task")
        data = {**task.data, "text": result.text, "title": result.title, "status": "complete"}
    elif isinstance(result, FileResult):
        if task.action is not Action.FILE:
            raise TransitionError("a file result for a task that makes no file")
        data = {**task.data, "url": result.url, "status": "complete"}
    else:  # pragma: no cover - guarded by typing
        raise TransitionError(f"unknown result {type(result).__name__}")
    return _moved(
        task,
        TaskStatus.SUCCESS,
        data=data,
        progress=100,
        finish_time=now,
        lease_token=None,
        lease_expires_at=None,
    )


def failed(task: Task, reason: str, *, now: float) -> Task:
    """The task ends in FAILURE; a client always reads why (a provider may give no words)."""
    reason = reason.strip() or NO_REASON
    if makes_clips(task.action):
        data: Any = [clips.errored(clip, reason) for clip in task.data]
    else:
        data = {**task.data, "status": "error"}
    return _moved(
        task,
        TaskStatus.FAILURE,
        data=data,
        fail_reason=reason,
        progress=100,
        finish_time=now,
        lease_token=None,
        lease_expires_at=None,
    )


def requeued(task: Task, *, run_after: float, count_attempt: bool = True) -> Task:
    """Back to waiting for a worker: its lease expired, it failed retryably, or it was released.

    A clip's stream is dropped with the attempt that made it: the next one streams anew."""
    data = None
    if makes_clips(task.action):
        data = [clips.with_status(clip if clip["status"] != ClipStatus.STREAMING.value
                                  else {**clip, "audio_url": ""}, CLIP_STATUS[TaskStatus.SUBMITTED])
                for clip in task.data]
    return _moved(
        task,
        TaskStatus.SUBMITTED,
        data=data,
        progress=0,
        lease_token=None,
        lease_expires_at=None,
        run_after=run_after,
        attempts=task.attempts if count_attempt else max(0, task.attempts - 1),
    )


def attempt_failed(task: Task, reason: str, *, now: float, retry_delay: float) -> Task:
    """After a retryable failure: run again later, or fail once the attempts are used up."""
    if task.attempts < task.max_attempts:
        return requeued(task, run_after=now + retry_delay)
    gave_up = f"gave up after {task.attempts} attempts"
    return failed(task, f"{reason.strip()} ({gave_up})" if reason.strip() else gave_up, now=now)


def timed_out(task: Task, *, now: float) -> Task:
    limit = task.deadline_at - task.submit_time
    return failed(task, f"timed out: not finished within {limit:g} s of submission", now=now)
