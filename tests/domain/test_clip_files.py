"""The FILE task's record: one file object as its data, following the task's status."""

from __future__ import annotations

import pytest

from songgate.domain import task as rules
from songgate.domain.clip_files import FileSpec, new_file_task
from songgate.domain.results import FileResult, LyricsResult
from songgate.domain.status import Action, TaskStatus, makes_clips


def _task() -> rules.Task:
    spec = FileSpec(clip_id="c1", kind="wav", lyrics="la", max_seconds=120.0)
    return new_file_task(task_id="t1", account_id="a1", spec=spec, provider="local", now=10.0,
                         max_attempts=2, timeout_seconds=60)


def test_a_file_task_makes_no_clip_and_its_request_reads_back() -> None:
    task = _task()
    assert task.action is Action.FILE and not makes_clips(Action.FILE)
    assert task.clip_ids == [] and task.deadline_at == 70.0
    assert task.data == {"clip_id": "c1", "kind": "wav", "status": "submitted", "url": ""}
    assert FileSpec.from_json(task.request) == FileSpec("c1", "wav", "la", False, 120.0)


def test_its_data_follows_the_status_and_ends_with_the_url_or_the_error() -> None:
    claimed = rules.claimed(_task(), lease_token="l", now=11.0, lease_seconds=30)
    running = rules.progressed(claimed, 0.5)
    assert running.data["status"] == "running" and running.progress == 50
    done = rules.succeeded(running, FileResult("https://x/media/c1.wav"), now=12.0)
    assert done.status is TaskStatus.SUCCESS
    assert done.data == {"clip_id": "c1", "kind": "wav", "status": "complete",
                         "url": "https://x/media/c1.wav"}
    failed = rules.failed(running, "no audio", now=12.0)
    assert failed.data["status"] == "error" and failed.data["url"] == ""
    with pytest.raises(rules.TransitionError):
        rules.succeeded(running, LyricsResult(title="", text=""), now=12.0)
