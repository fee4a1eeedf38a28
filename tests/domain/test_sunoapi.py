"""sunoapi.org's dialect as songgate reads and writes it: names, bodies, statuses, codes."""

from __future__ import annotations

from dataclasses import replace

import pytest

from songgate import errors
from songgate.api.sunoapi.errors import code_of, dialect_message
from songgate.domain.clips import Owner
from songgate.domain.models import MODEL_VERSIONS
from songgate.domain.results import ClipOutput
from songgate.domain.status import TaskStatus
from songgate.domain.submit import parse_music
from songgate.domain.sunoapi.names import MODEL_NAME_OF, MODEL_VERSION_OF, RecordStatus, Stage
from songgate.domain.sunoapi.records import record_status, stages_reached, suno_clip
from songgate.domain.sunoapi.requests import SourceClip, extend_body, generate_body
from songgate.domain.task import Task, claimed, failed, new_music_task, progressed, succeeded

DIALECT_CODES = {400, 401, 404, 405, 413, 429, 430, 455, 500}


def test_every_model_name_runs_a_model_and_every_model_has_a_name() -> None:
    assert set(MODEL_VERSION_OF) == {"V3_5", "V4", "V4_5", "V4_5PLUS", "V4_5ALL", "V5"}
    assert set(MODEL_VERSION_OF.values()) <= set(MODEL_VERSIONS)
    assert set(MODEL_NAME_OF) == set(MODEL_VERSIONS)
    for name, mv in MODEL_VERSION_OF.items():
        assert MODEL_NAME_OF[mv] == name


def test_generate_bodies_become_gateway_bodies() -> None:
    custom = parse_music(generate_body({
        "customMode": True, "instrumental": False, "prompt": "[Verse]\nla", "style": "pop",
        "title": "T", "model": "V4_5PLUS", "negativeTags": "rock", "vocalGender": "m",
        "styleWeight": 0.6, "weirdnessConstraint": 0.1, "audioWeight": 0.3,
        "personaId": "p1", "callBackUrl": "https://example.com/hook"}))
    assert (custom.mv, custom.prompt, custom.tags, custom.title) == (
        "chirp-bluejay", "[Verse]\nla", "pop", "T")
    assert (custom.negative_tags, custom.vocal_gender, custom.style_weight) == ("rock", "m", 0.6)
    assert (custom.weirdness_constraint, custom.audio_weight, custom.persona_id) == (0.1, 0.3,
                                                                                   "p1")
    assert custom.notify_hook == "https://example.com/hook"
    described = parse_music(generate_body({"customMode": False, "instrumental": True,
                                           "prompt": "calm piano", "callBackUrl": ""}))
    assert described.gpt_description_prompt == "calm piano" and described.make_instrumental
    assert described.mv == "chirp-v4" and described.notify_hook == ""
    with pytest.raises(errors.InvalidModelVersion):
        generate_body({"customMode": False, "prompt": "x", "model": "chirp-v4"})
    with pytest.raises(errors.InvalidRequest):
        generate_body({"customMode": True, "instrumental": False, "style": "pop"})
    with pytest.raises(errors.InvalidRequest):
        generate_body({"customMode": "yes", "prompt": "x"})


def test_extend_takes_the_clips_parameters_unless_told_otherwise() -> None:
    source = SourceClip(mv="chirp-auk", title="Song", tags="jazz", duration=95.5,
                        instrumental=False)
    theirs = parse_music(extend_body({"audioId": "c1", "defaultParamFlag": False}, source))
    assert (theirs.continue_clip_id, theirs.continue_at, theirs.tags) == ("c1", 95.5, "jazz")
    assert theirs.mv == "chirp-auk" and theirs.title == "Song"
    own = parse_music(extend_body({"audioId": "c1", "defaultParamFlag": True, "continueAt": 30,
                                   "prompt": "[Verse]\nmore", "style": "blues",
                                   "model": "V5"}, source))
    assert (own.continue_at, own.tags, own.prompt, own.mv) == (30, "blues", "[Verse]\nmore",
                                                               "chirp-crow")
    with pytest.raises(errors.InvalidRequest):
        extend_body({"audioId": "c1", "defaultParamFlag": True}, source)
    with pytest.raises(errors.InvalidRequest):
        extend_body({"defaultParamFlag": False}, source)


def _task() -> Task:
    spec = parse_music({"prompt": "[Verse]\nla", "tags": "pop"})
    return new_music_task(task_id="t1", account_id="a", owner=Owner("u", "h", "d"), spec=spec,
                          clip_ids=["c1", "c2"], provider="local", now=100.0, max_attempts=2,
                          timeout_seconds=600)


def test_statuses_and_stages_follow_the_task() -> None:
    task = _task()
    assert record_status(task) is RecordStatus.PENDING and stages_reached(task) == []
    running = claimed(task, lease_token="l", now=101, lease_seconds=30)
    assert record_status(running) is RecordStatus.PENDING
    running = progressed(running, 0.3)
    assert record_status(running) is RecordStatus.TEXT_SUCCESS
    assert stages_reached(running) == [Stage.TEXT]
    output = ClipOutput(id="c1", audio_url="https://x/c1.mp3", image_url="",
                        image_large_url="", video_url="", duration=30.0, title="", tags="",
                        prompt="")
    one_done = progressed(running, 0.6, [output])
    assert record_status(one_done) is RecordStatus.FIRST_SUCCESS
    assert stages_reached(one_done) == [Stage.TEXT, Stage.FIRST]
    done = succeeded(one_done, _result(output), now=130)
    assert record_status(done) is RecordStatus.SUCCESS
    assert stages_reached(done) == [Stage.TEXT, Stage.FIRST, Stage.COMPLETE]
    assert record_status(failed(running, "no", now=120)) is RecordStatus.GENERATE_AUDIO_FAILED
    never_ran = failed(task, "timed out", now=700)
    assert record_status(never_ran) is RecordStatus.CREATE_TASK_FAILED
    assert stages_reached(never_ran) == [Stage.ERROR]
    assert record_status(replace(task, status=TaskStatus.UNKNOWN)) is RecordStatus.PENDING


def test_a_streaming_clip_has_a_stream_url_and_no_audio_url_yet() -> None:
    running = progressed(claimed(_task(), lease_token="l", now=101, lease_seconds=30), 0.3,
                         [ClipOutput.stream("c1", "https://x/stream_c1.mp3")])
    shown = suno_clip(running.data[0], running)
    assert (shown["streamAudioUrl"], shown["sourceStreamAudioUrl"]) == (
        "https://x/stream_c1.mp3", "https://x/stream_c1.mp3")
    assert shown["audioUrl"] == shown["sourceAudioUrl"] == ""
    output = ClipOutput(id="c1", audio_url="https://x/c1.mp3", image_url="",
                        image_large_url="", video_url="", duration=30.0)
    shown = suno_clip(progressed(running, 0.6, [output]).data[0], running)
    assert shown["audioUrl"] == shown["streamAudioUrl"] == "https://x/c1.mp3"


def _result(output: ClipOutput) -> object:
    from songgate.domain.results import MusicResult

    return MusicResult((output, replace(output, id="c2")))


def _every_error() -> list[type[errors.SonggateError]]:
    found, todo = [], [errors.SonggateError]
    while todo:
        kind = todo.pop()
        found.append(kind)
        todo.extend(kind.__subclasses__())
    return found


@pytest.mark.parametrize("kind", _every_error(), ids=lambda kind: kind.__name__)
def test_every_error_has_one_of_the_dialects_codes(kind: type[errors.SonggateError]) -> None:
    exc = kind.__new__(kind)
    errors.SonggateError.__init__(exc, "m")
    assert code_of(exc) in DIALECT_CODES


def test_the_codes_clients_branch_on() -> None:
    assert code_of(errors.QuotaNotEnough("x")) == 429
    assert code_of(errors.RateLimited("x", retry_after=3)) == 430
    assert code_of(errors.TextTooLong("x")) == 413
    assert code_of(errors.RequestTooLarge("x")) == 413
    assert code_of(errors.TokenExpired("x")) == 401
    assert code_of(errors.ServiceUnavailable("x")) == 455
    assert code_of(errors.TaskNotExist("x")) == 404
    assert code_of(errors.PromptEmpty("x")) == 400
    assert code_of(errors.FinalProviderError("x")) == 500
    # test mode's upstream-style refusals at submit
    assert code_of(errors.UpstreamFailed("x", status=503)) == 455
    assert code_of(errors.UpstreamFailed("x", status=502)) == 500


def test_messages_name_the_dialects_fields() -> None:
    assert dialect_message("notify_hook must be an http or https URL") == (
        "callBackUrl must be an http or https URL")
    assert dialect_message("negative_tags is 9 characters long; tags too") == (
        "negativeTags is 9 characters long; style too")
