from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from songgate.domain import task as rules
from songgate.domain.clips import Owner, iso_millis
from songgate.domain.results import ClipOutput, LyricsResult, MusicResult
from songgate.domain.status import TRANSITIONS, TaskStatus
from songgate.domain.submit import parse_lyrics, parse_music

OWNER = Owner("user-1", "alice", "Alice")


def music_task() -> rules.Task:
    return rules.new_music_task(
        task_id="t1", account_id="a1", owner=OWNER, spec=parse_music({"prompt": "hi"}),
        clip_ids=["c1", "c2"], provider="p", now=100.0, max_attempts=2, timeout_seconds=60,
    )


def test_clips_follow_the_task_status() -> None:
    task = music_task()
    assert [c["status"] for c in task.data] == ["submitted", "submitted"]
    task = rules.claimed(task, lease_token="L", now=101, lease_seconds=10)
    assert task.status is TaskStatus.QUEUED and task.start_time == 101 and task.attempts == 1
    assert {c["status"] for c in task.data} == {"queued"}
    task = rules.progressed(task, 0.42)
    assert (task.status, task.progress) == (TaskStatus.IN_PROGRESS, 42)
    assert rules.progressed(task, 0.1).progress == 42  # never backwards
    assert rules.progressed(task, 1.0).progress == 99  # 100 only on success
    assert {c["status"] for c in task.data} == {"streaming"}
    out = [ClipOutput(c, "a", "i", "il", "v", 61.234) for c in ("c1", "c2")]
    done = rules.succeeded(task, MusicResult(tuple(out)), now=130)
    assert done.progress == 100 and done.finish_time == 130 and done.lease_token is None
    assert [c["metadata"]["duration"] for c in done.data] == [61.23, 61.23]
    with pytest.raises(rules.TransitionError):
        rules.failed(done, "late", now=140)


def test_a_streaming_clip_plays_its_stream_until_its_files_replace_it() -> None:
    task = rules.progressed(rules.claimed(music_task(), lease_token="L", now=101,
                                          lease_seconds=10), 0.1)
    task = rules.progressed(task, 0.2, [ClipOutput.stream("c1", "s1")])
    assert [(c["status"], c["audio_url"]) for c in task.data] == [
        ("streaming", "s1"), ("streaming", "")]
    assert task.data[0]["image_url"] == ""  # a stream says nothing of the other files
    task = rules.progressed(task, 0.3)  # a report without clips keeps the stream
    assert task.data[0]["audio_url"] == "s1"
    task = rules.progressed(task, 0.6, [ClipOutput("c1", "a1", "i", "il", "v", 30.0),
                                        ClipOutput.stream("c2", "s2")])
    assert [(c["status"], c["audio_url"]) for c in task.data] == [
        ("complete", "a1"), ("streaming", "s2")]
    late = rules.progressed(task, 0.7, [ClipOutput.stream("c1", "s1")])
    assert late.data[0]["audio_url"] == "a1"  # a complete clip never streams again
    requeued = rules.requeued(task, run_after=110)
    assert [c["audio_url"] for c in requeued.data] == ["a1", ""]  # the attempt's stream goes
    failed = rules.failed(task, "broke", now=120)
    assert [c["audio_url"] for c in failed.data] == ["a1", ""]


def test_retry_then_give_up() -> None:
    task = rules.claimed(music_task(), lease_token="L", now=101, lease_seconds=10)
    again = rules.attempt_failed(task, "busy", now=102, retry_delay=5)
    assert again.status is TaskStatus.SUBMITTED and again.run_after == 107
    second = rules.claimed(again, lease_token="M", now=108, lease_seconds=10)
    final = rules.attempt_failed(second, "busy", now=109, retry_delay=5)
    assert final.status is TaskStatus.FAILURE
    assert final.fail_reason == "busy (gave up after 2 attempts)"
    assert {c["metadata"]["error_message"] for c in final.data} == {final.fail_reason}


@pytest.mark.parametrize(("reason", "shown"), [
    ("", rules.NO_REASON), ("  \n", rules.NO_REASON), (" refused ", "refused")])
def test_a_failure_always_says_why(reason: str, shown: str) -> None:
    task = rules.claimed(music_task(), lease_token="L", now=101, lease_seconds=10)
    assert rules.failed(task, reason, now=102).fail_reason == shown
    again = rules.claimed(rules.attempt_failed(task, reason, now=102, retry_delay=0),
                          lease_token="M", now=103, lease_seconds=10)
    given_up = rules.attempt_failed(again, reason, now=104, retry_delay=0).fail_reason
    assert given_up == ("gave up after 2 attempts" if shown == rules.NO_REASON
                        else f"{shown} (gave up after 2 attempts)")


def test_release_does_not_count_an_attempt() -> None:
    task = rules.claimed(music_task(), lease_token="L", now=101, lease_seconds=10)
    assert rules.requeued(task, run_after=102, count_attempt=False).attempts == 0


def test_timeout_reason_names_the_limit() -> None:
    failed = rules.timed_out(music_task(), now=200)
    assert failed.fail_reason == "timed out: not finished within 60 s of submission"


def test_lyrics_result() -> None:
    task = rules.new_lyrics_task(
        task_id="t", lyrics_id="l", account_id="a", spec=parse_lyrics({"prompt": "sun"}),
        provider="p", now=1, max_attempts=1, timeout_seconds=5,
    )
    task = rules.claimed(task, lease_token="L", now=2, lease_seconds=5)
    done = rules.succeeded(task, LyricsResult("T", "text"), now=3)
    assert done.data == {"id": "l", "text": "text", "title": "T", "status": "complete"}


def test_terminal_statuses_have_no_way_out() -> None:
    assert not TRANSITIONS[TaskStatus.SUCCESS] and not TRANSITIONS[TaskStatus.FAILURE]


def test_a_finished_clip_completes_while_the_other_streams() -> None:
    task = rules.claimed(music_task(), lease_token="L", now=101, lease_seconds=10)
    first = ClipOutput("c1", "https://m/c1.mp3", "i", "il", "v", 30.5, title="One")
    task = rules.progressed(task, 0.6, [first])
    assert [c["status"] for c in task.data] == ["complete", "streaming"]
    assert task.data[0]["audio_url"] == "https://m/c1.mp3"
    assert task.data[0]["metadata"]["duration"] == 30.5
    task = rules.progressed(task, 0.8)  # later reports keep it complete
    assert [c["status"] for c in task.data] == ["complete", "streaming"]


@given(st.floats(min_value=0, max_value=4e9, allow_nan=False))
def test_clip_times_are_utc_with_milliseconds_cut(timestamp: float) -> None:
    moment = datetime.fromtimestamp(timestamp, tz=UTC)
    assert iso_millis(timestamp) == (moment.strftime("%Y-%m-%dT%H:%M:%S.")
                                     + f"{moment.microsecond // 1000:03d}Z")


def test_clip_times_known_values() -> None:
    assert iso_millis(0) == "1970-01-01T00:00:00.000Z"
    assert iso_millis(1.9996) == "1970-01-01T00:00:01.999Z"
    assert iso_millis(1_764_900_053.2559) == "2025-12-05T02:00:53.255Z"
