"""How upstream reports become our task's state (pure rules)."""

from __future__ import annotations

from songgate.domain import task as task_rules
from songgate.domain.clips import Owner
from songgate.domain.relay import (
    UpstreamClip,
    UpstreamTask,
    clean_reason,
    finish_time,
    handed_off,
    linked_output,
    observed,
    result_of,
    upstream_failure,
)
from songgate.domain.results import MusicResult
from songgate.domain.status import ClipStatus, TaskStatus
from songgate.domain.submit import parse_music
from songgate.domain.task import Task

OWNER = Owner(user_id="u", handle="h", display_name="d")


def relayed_task() -> Task:
    task = task_rules.new_music_task(
        task_id="t1", account_id="a", owner=OWNER,
        spec=parse_music({"prompt": "[Verse]\nla", "tags": "pop", "mv": "chirp-v4"}),
        clip_ids=["c1", "c2"], provider="channels", now=100.0, max_attempts=3,
        timeout_seconds=600,
    )
    task = task_rules.claimed(task, lease_token="tok", now=101.0, lease_seconds=30)
    return handed_off(task)


def test_hand_off_lets_go_of_the_lease() -> None:
    task = relayed_task()
    assert task.status is TaskStatus.QUEUED
    assert task.lease_token is None and task.lease_expires_at is None


def test_waiting_upstream_changes_nothing_and_progress_never_goes_back() -> None:
    task = relayed_task()
    assert observed(task, UpstreamTask("u1", TaskStatus.SUBMITTED)) == task
    running = observed(task, UpstreamTask("u1", TaskStatus.IN_PROGRESS, progress=40))
    assert running.status is TaskStatus.IN_PROGRESS and running.progress == 40
    assert {c["status"] for c in running.data} == {ClipStatus.STREAMING.value}
    assert observed(running, UpstreamTask("u1", TaskStatus.IN_PROGRESS, progress=10)).progress == 40
    # a clip finished early upstream still streams here: songs show when the task is done
    early = UpstreamTask("u1", TaskStatus.IN_PROGRESS, progress=70, clips=(
        UpstreamClip("x1", ClipStatus.COMPLETE, audio_url="http://cdn/x1.mp3"),))
    assert all(c["audio_url"] == "" for c in observed(running, early).data)


def test_unknown_is_copied_not_invented() -> None:
    task = relayed_task()
    unknown = observed(task, UpstreamTask("u1", TaskStatus.UNKNOWN))
    assert unknown.status is TaskStatus.UNKNOWN
    assert observed(unknown, UpstreamTask("u1", TaskStatus.UNKNOWN)) is unknown
    back = observed(unknown, UpstreamTask("u1", TaskStatus.IN_PROGRESS, progress=50))
    assert back.status is TaskStatus.IN_PROGRESS


def test_success_maps_upstream_clips_onto_ours_in_order() -> None:
    task = relayed_task()
    report = UpstreamTask("u1", TaskStatus.SUCCESS, clips=(
        UpstreamClip("x1", ClipStatus.COMPLETE, audio_url="http://cdn/x1.mp3", duration=61.5,
                      title="One", image_url="http://cdn/x1.jpeg"),
        UpstreamClip("x2", ClipStatus.COMPLETE, audio_url="http://cdn/x2.mp3", duration=70.0),
    ))
    outputs = {c.id: linked_output(c) for c in report.clips}
    result = result_of(task, report, outputs)
    assert isinstance(result, MusicResult)
    assert [c.id for c in result.clips] == ["c1", "c2"]
    done = task_rules.succeeded(task, result, now=200.0)
    first = done.data[0]
    assert first["audio_url"] == "http://cdn/x1.mp3" and first["title"] == "One"
    assert first["image_large_url"] == "http://cdn/x1.jpeg"
    assert first["metadata"]["duration"] == 61.5


def test_upstream_reasons_are_cleaned_and_bounded() -> None:
    assert clean_reason("bad\n\tthing\x00 here") == "bad thing here"
    assert len(clean_reason("x" * 5000)) == 300
    failure = upstream_failure("up", UpstreamTask("u", TaskStatus.FAILURE, fail_reason=""))
    assert failure == "the upstream channel up failed the task: no reason given"


def test_finish_time_is_the_upstreams_when_plausible() -> None:
    task = relayed_task()  # started at 101
    done = UpstreamTask("u1", TaskStatus.SUCCESS, finished_at=150.0)
    assert finish_time(task, done, now=160.0) == 150.0
    assert finish_time(task, done, now=140.0) == 140.0  # in our future: clocks differ
    early = UpstreamTask("u1", TaskStatus.SUCCESS, finished_at=50.0)
    assert finish_time(task, early, now=160.0) == 160.0
    assert finish_time(task, UpstreamTask("u1", TaskStatus.SUCCESS), now=160.0) == 160.0
