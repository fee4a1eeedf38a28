"""The ``suno-task`` protocol: the task API songgate itself serves, as other gateways do.

``POST /suno/submit/{music,lyrics}`` answers the envelope with the task id in ``data``;
``POST /suno/fetch`` with ``{"ids": [...]}`` answers the TaskDtos it knows. Stems are a
music submit with ``task: "gen_stem"`` for the upstream's clip; its clips are the stems,
each named by its ``metadata.stem_type`` or its title's ``" - Vocals"`` ending. A task on
one of the upstream's clips is a music submit naming it by the upstream's id: ``task:
"cover"`` with ``cover_clip_id``; ``"upload_extend"`` or ``"infill"`` (with
``infill_start_s``/``infill_end_s``) beside ``continue_clip_id`` and ``continue_at``;
``"add_vocals"``/``"add_instrumental"`` with ``continue_clip_id``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from songgate.domain.add_parts import ADD_TASKS
from songgate.domain.cover import COVER
from songgate.domain.infill import INFILL
from songgate.domain.relay import UpstreamClip, UpstreamTask
from songgate.domain.source_actions import source_action
from songgate.domain.status import Action, ClipStatus, TaskStatus
from songgate.domain.stems import GEN_STEM, StemSpec, stem_label
from songgate.domain.submit import UPLOAD_EXTEND, LyricsSpec, MusicSpec
from songgate.providers.relay.http import (
    JsonClient,
    as_dict,
    number_field,
    text_field,
    url_field,
)
from songgate.providers.relay.protocol import Submission, Trouble, UpstreamError

# Upstream error codes that say the request itself is at fault: another channel would
# refuse it too. Anything else (quota, auth, "busy") is the channel's trouble.
_REQUEST_FAULTS = {"invalid_request", "prompt_empty", "invalid_model_version",
                   "action_not_supported", "request_too_large"}
_MAX_ID = 128
_KNOBS = ("vocal_gender", "style_weight", "weirdness_constraint", "audio_weight")


def _payload(submission: Submission) -> dict[str, Any]:
    spec = submission.spec
    if isinstance(spec, LyricsSpec):
        return {"prompt": spec.prompt}
    if isinstance(spec, StemSpec):
        split: dict[str, Any] = {"task": GEN_STEM, "stem_type_group_name": spec.group,
                                 "continue_clip_id": submission.continue_clip_id}
        return {**split, "stem_task": spec.stem_task} if spec.stem_task else split
    assert isinstance(spec, MusicSpec)
    body: dict[str, Any] = {
        "prompt": spec.prompt, "tags": spec.tags, "negative_tags": spec.negative_tags,
        "title": spec.title, "mv": spec.mv, "make_instrumental": spec.make_instrumental,
    }
    if spec.gpt_description_prompt:
        body["gpt_description_prompt"] = spec.gpt_description_prompt
    for knob in _KNOBS:  # sent only when the client gave them
        value = getattr(spec, knob)
        if value not in (None, ""):
            body[knob] = value
    if submission.continue_clip_id:
        body.update(_on_clip(spec, submission.continue_clip_id))
    return body


def _on_clip(spec: MusicSpec, clip: str) -> dict[str, Any]:
    """The fields naming the upstream's ``clip`` and what the task does to it."""
    action = source_action(spec)
    if action == COVER:
        return {"task": COVER, "cover_clip_id": clip}
    if action in ADD_TASKS:  # the part spans the whole clip: no continue_at
        return {"task": action, "continue_clip_id": clip}
    fields: dict[str, Any] = {"continue_clip_id": clip}
    if spec.continue_at is not None:
        fields["continue_at"] = spec.continue_at
    if action == UPLOAD_EXTEND:
        fields["task"] = UPLOAD_EXTEND
    elif action == INFILL:
        fields.update(task=INFILL, infill_start_s=spec.infill_start_s,
                      infill_end_s=spec.infill_end_s)
    return fields


def _status(value: Any) -> TaskStatus:
    try:
        return TaskStatus(str(value).upper())
    except ValueError:
        return TaskStatus.UNKNOWN


def _progress(value: Any) -> int | None:
    text = str(value or "").strip().rstrip("%")
    try:
        return max(0, min(100, int(float(text))))
    except ValueError:
        return None


def _clip(raw: Any) -> UpstreamClip | None:
    if not isinstance(raw, dict) or not isinstance(raw.get("id"), str) or not raw["id"]:
        return None
    metadata = as_dict(raw.get("metadata"))
    try:
        status = ClipStatus(str(raw.get("status", "")).lower())
    except ValueError:
        status = ClipStatus.QUEUED
    return UpstreamClip(
        id=raw["id"][:_MAX_ID], status=status,
        audio_url=url_field(raw.get("audio_url")), image_url=url_field(raw.get("image_url")),
        image_large_url=url_field(raw.get("image_large_url")),
        video_url=url_field(raw.get("video_url")),
        duration=number_field(metadata.get("duration")),
        title=text_field(raw.get("title"), 200), tags=text_field(metadata.get("tags"), 1000),
        prompt=text_field(metadata.get("prompt")),
        stem_type=stem_label(text_field(raw.get("title"), 200),
                             text_field(metadata.get("stem_type"), 40)),
    )


def parse_task(raw: Any) -> UpstreamTask | None:
    """One TaskDto as an UpstreamTask; None when it is not one."""
    if not isinstance(raw, dict) or not isinstance(raw.get("task_id"), str):
        return None
    data = raw.get("data")
    clips: tuple[UpstreamClip, ...] = ()
    title = text = ""
    if isinstance(data, list):
        clips = tuple(c for c in map(_clip, data) if c is not None)
    elif isinstance(data, dict):
        title, text = text_field(data.get("title"), 200), text_field(data.get("text"))
    return UpstreamTask(
        id=raw["task_id"], status=_status(raw.get("status")),
        progress=_progress(raw.get("progress")),
        fail_reason=text_field(raw.get("fail_reason"), 300),
        clips=clips, lyrics_title=title, lyrics_text=text,
        finished_at=number_field(raw.get("finish_time")) if raw.get("finish_time") else 0.0,
    )


class SunoTaskAdapter:
    def __init__(self, client: JsonClient, *, batch_size: int) -> None:
        self._client = client
        self.batch_size = batch_size

    async def submit(self, submission: Submission) -> str:
        kind = "music" if submission.action is Action.STEM else submission.action.value.lower()
        path = f"/suno/submit/{kind}"
        status, body = await self._client.request(
            "POST", path, json=_payload(submission), sends_task=True
        )
        code = body.get("code") if isinstance(body, dict) else None
        if status == 200 and code == "success":
            task_id = body.get("data")
            if isinstance(task_id, str) and 0 < len(task_id) <= _MAX_ID:
                return task_id
            raise UpstreamError(f"{path}: accepted without a usable task id", maybe_accepted=True)
        message = body.get("message") if isinstance(body, dict) else None
        reason = f"{path}: {code or f'HTTP {status}'}" + (f": {message}" if message else "")
        trouble: Trouble = "refused" if code in _REQUEST_FAULTS else "unavailable"
        raise UpstreamError(reason[:300], trouble=trouble)

    async def fetch(
        self, ids: Sequence[str], actions: Mapping[str, Action]
    ) -> dict[str, UpstreamTask]:
        status, body = await self._client.request("POST", "/suno/fetch", json={"ids": list(ids)})
        if status != 200 or not isinstance(body, dict) or body.get("code") != "success":
            raise UpstreamError(f"/suno/fetch: refused the batch (HTTP {status})")
        data = body.get("data")
        if data is None:
            return {}  # new-api's answer when none of the ids is known: "none of these"
        if not isinstance(data, list):
            raise UpstreamError("/suno/fetch: answered without a list of tasks")
        wanted = set(ids)
        found: dict[str, UpstreamTask] = {}
        for raw in data:
            task = parse_task(raw)
            if task is not None and task.id in wanted and task.id not in found:
                found[task.id] = task  # an id answered twice: the first answer counts
        return found

    async def check(self) -> str:
        await self.fetch([], {})
        return "suno-task API answered a batch fetch"

    async def close(self) -> None:
        await self._client.close()
