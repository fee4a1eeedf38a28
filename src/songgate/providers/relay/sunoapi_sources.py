"""``sunoapi-v1`` requests for a task on one of the upstream's own clips.

A replaced span is ``/api/v1/generate/replace-section`` with the upstream's ``taskId`` and
``audioId``. A cover, an upload extension and an added part name their audio by URL
(``upload-cover``, ``upload-extend``, ``add-vocals``, ``add-instrumental``): the URL is the
clip's ``audioUrl`` as the upstream gives it now (its record of the task that made the
clip), so it is one the upstream can reach, and never one of this server's. A plain
extension (``/generate/extend``) needs neither and is built beside the generate request.
"""

from __future__ import annotations

from typing import Any

from songgate.domain.add_parts import ADD_INSTRUMENTAL, ADD_VOCALS
from songgate.domain.cover import COVER
from songgate.domain.infill import INFILL
from songgate.domain.submit import UPLOAD_EXTEND, MusicSpec
from songgate.domain.sunoapi.names import DEFAULT_MODEL, KNOBS, MODEL_NAME_OF
from songgate.providers.relay.http import JsonClient, as_dict, as_list, url_field
from songgate.providers.relay.protocol import UpstreamError

RECORD = "/api/v1/generate/record-info"
# The actions that send the clip's audio by URL, and the route of each.
BY_URL = {COVER: "/api/v1/generate/upload-cover",
          UPLOAD_EXTEND: "/api/v1/generate/upload-extend",
          ADD_VOCALS: "/api/v1/generate/add-vocals",
          ADD_INSTRUMENTAL: "/api/v1/generate/add-instrumental"}
REPLACE_SECTION = "/api/v1/generate/replace-section"
# The actions this protocol carries that need the upstream's id of the clip's task.
NEEDS_TASK = frozenset({*BY_URL, INFILL})


def knobs(spec: MusicSpec) -> dict[str, Any]:
    given = ((name, getattr(spec, name)) for name in KNOBS)
    return {KNOBS[name]: value for name, value in given if value not in (None, "")}


def _common(spec: MusicSpec) -> dict[str, Any]:
    return {"model": MODEL_NAME_OF.get(spec.mv, DEFAULT_MODEL), "negativeTags": spec.negative_tags,
            "callBackUrl": "", **knobs(spec)}


def by_url(action: str, spec: MusicSpec, upload_url: str) -> tuple[str, dict[str, Any]]:
    """The request for ``action`` (a key of ``BY_URL``) on the audio at ``upload_url``."""
    body: dict[str, Any] = {"uploadUrl": upload_url, "title": spec.title, **_common(spec)}
    if action == ADD_VOCALS:
        body.update(prompt=spec.prompt, style=spec.tags)
    elif action == ADD_INSTRUMENTAL:
        body.update(tags=spec.tags)
    elif action == UPLOAD_EXTEND:
        body.update(defaultParamFlag=True, instrumental=spec.make_instrumental,
                    prompt=spec.prompt, style=spec.tags, continueAt=spec.continue_at or 0)
    elif spec.is_description_mode:  # a cover described, not given its words
        body.update(customMode=False, instrumental=spec.make_instrumental,
                    prompt=spec.gpt_description_prompt)
    else:
        body.update(customMode=True, instrumental=spec.make_instrumental, prompt=spec.prompt,
                    style=spec.tags)
    return BY_URL[action], body


def replace_section(spec: MusicSpec, task_id: str, clip_id: str) -> tuple[str, dict[str, Any]]:
    return REPLACE_SECTION, {
        "taskId": task_id, "audioId": clip_id, "prompt": spec.prompt, "tags": spec.tags,
        "title": spec.title, "infillStartS": spec.infill_start_s,
        "infillEndS": spec.infill_end_s, "negativeTags": spec.negative_tags, "callBackUrl": "",
    }


async def audio_url(client: JsonClient, task_id: str, clip_id: str) -> str:
    """The audio URL the upstream gives now for its clip ``clip_id`` of task ``task_id``.

    Raises :class:`UpstreamError`: ``refused`` when the upstream answers but no longer
    knows the clip or gives no URL for it (asking again cannot help)."""
    status, body = await client.request("GET", RECORD, params={"taskId": task_id})
    code = body.get("code") if isinstance(body, dict) else None
    if not isinstance(code, int):
        code = status
    if code >= 500 or code in (405, 429, 430, 455):
        raise UpstreamError(f"{RECORD}: code {code}")
    data = as_dict(body.get("data")) if code == 200 and isinstance(body, dict) else {}
    clips = as_list(as_dict(data.get("response")).get("sunoData"))
    for clip in clips:
        if isinstance(clip, dict) and clip.get("id") == clip_id:
            url = url_field(clip.get("audioUrl"))
            if url:
                return url
    raise UpstreamError(f"{RECORD}: the upstream gives no audio for its clip {clip_id[:64]}",
                        trouble="refused")
