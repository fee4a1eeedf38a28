"""The dialect's vocal removal read from STEM tasks: field names, nulls, stages, callbacks."""

from __future__ import annotations

import dataclasses

import pytest

from songgate.domain.clips import Clip, Owner
from songgate.domain.status import ClipStatus, TaskStatus
from songgate.domain.stems import TWELVE, TWO, StemSpec, planned, stem_clip
from songgate.domain.sunoapi import vocal_removal
from songgate.domain.sunoapi.names import Stage
from songgate.domain.task import Task, new_stem_task
from songgate.errors import InvalidRequest

OWNER = Owner(user_id="u", handle="h", display_name="d")
SOURCE: Clip = {"id": "song", "title": "Song", "audio_url": "https://x/media/song.mp3",
                "metadata": {"tags": "pop"}}
PARTS = ["vocals", "drums", "bass", "keys", "pads", "other"]


def stem_task(group: str, *, done: bool, parts: list[str] = PARTS) -> Task:
    spec = StemSpec(clip_id="song", group=group, stem_task="", notify_hook="https://h/cb",
                    mv="chirp-v4", source="song", origin_url="https://x/media/song.mp3")
    clips = [stem_clip(f"s-{label}", label, OWNER, SOURCE, spec, 1.0)
             for label, _ in planned(parts, group)]
    task = new_stem_task(task_id="t1", account_id="a", stems=clips, spec=spec,
                         provider="local", now=1.0, max_attempts=1, timeout_seconds=60)
    if done:
        for clip in clips:
            clip["status"] = ClipStatus.COMPLETE.value
            clip["audio_url"] = f"https://x/media/{clip['id']}.mp3"
        task = dataclasses.replace(task, status=TaskStatus.SUCCESS, start_time=2.0,
                                   finish_time=3.0)
    return task


def test_types_are_the_groups() -> None:
    assert vocal_removal.stem_body({"type": "split_stem"}, "c")["stem_type_group_name"] == TWELVE
    two = vocal_removal.stem_body({"type": "separate_vocal", "callBackUrl": "https://h"}, "c")
    assert two == {"task": "gen_stem", "continue_clip_id": "c", "stem_type_group_name": TWO,
                   "stem_task": "separate_vocal", "notify_hook": "https://h"}
    assert vocal_removal.stem_body({}, "c")["stem_type_group_name"] == TWO
    for bad in ("Two", "vocals", 3):
        with pytest.raises(InvalidRequest, match="is not one of separate_vocal, split_stem"):
            vocal_removal.stem_body({"type": bad}, "c")


def test_two_names_vocals_and_instrumental() -> None:
    record = vocal_removal.vocal_removal_record(stem_task(TWO, done=True))
    assert record["response"] == {"originUrl": "https://x/media/song.mp3",
                                  "vocalUrl": "https://x/media/s-vocals.mp3",
                                  "instrumentalUrl": "https://x/media/s-instrumental.mp3"}
    assert record["successFlag"] == record["status"] == "SUCCESS"
    assert record["type"] == "separate_vocal" and record["musicId"] == "song"
    assert record["completeTime"] == "1970-01-01 00:00:03" and record["errorCode"] is None


def test_twelve_keys_are_the_keyboard_and_missing_parts_are_null() -> None:
    response = vocal_removal.vocal_removal_record(stem_task(TWELVE, done=True))["response"]
    assert set(response) == {"originUrl", *vocal_removal.TWELVE_FIELDS, "padsUrl", "otherUrl"}
    assert response["keyboardUrl"] == "https://x/media/s-keys.mp3"
    assert response["padsUrl"] == "https://x/media/s-pads.mp3"
    assert response["otherUrl"] == "https://x/media/s-other.mp3"
    for absent in ("backingVocalsUrl", "brassUrl", "woodwindsUrl", "guitarUrl", "synthUrl"):
        assert response[absent] is None


def test_pending_until_made() -> None:
    record = vocal_removal.vocal_removal_record(stem_task(TWELVE, done=False))
    assert record["successFlag"] == "PENDING" and record["completeTime"] is None
    assert record["response"]["vocalUrl"] is None and "padsUrl" not in record["response"]
    assert vocal_removal.stages_reached(stem_task(TWELVE, done=False)) == []


def test_callbacks_complete_and_error() -> None:
    done = stem_task(TWO, done=True)
    assert vocal_removal.stages_reached(done) == [Stage.COMPLETE]
    body = vocal_removal.callback(done, Stage.COMPLETE)
    assert body["code"] == 200 and body["data"]["callbackType"] == "complete"
    assert body["data"]["vocal_removal_info"] == {
        "origin_url": "https://x/media/song.mp3", "vocal_url": "https://x/media/s-vocals.mp3",
        "instrumental_url": "https://x/media/s-instrumental.mp3"}
    failed = dataclasses.replace(done, status=TaskStatus.FAILURE, fail_reason="no parts")
    assert vocal_removal.stages_reached(failed) == [Stage.ERROR]
    error = vocal_removal.callback(failed, Stage.ERROR)
    assert error == {"code": 501, "msg": "no parts", "data": {
        "callbackType": "error", "task_id": "t1", "taskId": "t1", "vocal_removal_info": None}}
    record = vocal_removal.vocal_removal_record(failed)
    assert record["successFlag"] == "GENERATE_AUDIO_FAILED" and record["errorCode"] == 501
    assert record["errorMessage"] == "no parts"
