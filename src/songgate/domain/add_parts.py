"""Adding a part to an uploaded clip: ``task: "add_vocals"`` or ``"add_instrumental"`` on a
music submit, the uploaded clip named by ``continue_clip_id``.

``add_vocals`` sings the lyrics in ``prompt`` (required) over an uploaded instrumental;
``add_instrumental`` plays a band in the style of ``tags`` under an uploaded vocal
(``prompt`` may hold its words, kept as the clip's). Either is a MUSIC task of two clips
as long as the upload, priced as MUSIC. The part spans the whole upload, so
``continue_at`` does not apply, and neither does description mode.
"""

from __future__ import annotations

from typing import Any

from songgate.domain.body_fields import BodyField, ChoiceField, TextField
from songgate.domain.fields import require_object
from songgate.domain.knobs import KNOB_FIELDS, parse_knobs
from songgate.domain.submit import (
    ID_MAX_LENGTH,
    MV,
    NEGATIVE_TAGS,
    NOTIFY_HOOK,
    PROMPT,
    TAGS,
    TITLE,
    MusicSpec,
)
from songgate.errors import InvalidRequest, PromptEmpty

ADD_VOCALS, ADD_INSTRUMENTAL = "add_vocals", "add_instrumental"
ADD_TASKS = (ADD_VOCALS, ADD_INSTRUMENTAL)
# What the engine adds for each task (engine/add_parts.py's part names).
PART_OF = {ADD_VOCALS: "vocals", ADD_INSTRUMENTAL: "instrumental"}

TASK = ChoiceField("task", ADD_TASKS,
                   "`add_vocals`: sing `prompt` over the uploaded instrumental "
                   "`continue_clip_id`; `add_instrumental`: a band in the style of `tags` "
                   "under the uploaded vocal `continue_clip_id`.")
UPLOAD_CLIP_ID = TextField("continue_clip_id", ID_MAX_LENGTH,
                           "The uploaded clip (metadata.type `upload`) the part is added to, "
                           "or a clip an upstream channel made (that channel adds it).",
                           blank_refusal="continue_clip_id is empty: name the uploaded clip "
                                         "the part is added to")
ADD_PART_BODY: tuple[BodyField, ...] = (
    TASK, UPLOAD_CLIP_ID, PROMPT, TAGS, NEGATIVE_TAGS, TITLE, MV, NOTIFY_HOOK, *KNOB_FIELDS,
)
NOT_APPLICABLE = ("continue_at", "gpt_description_prompt")


def asks_for_part(body: Any) -> bool:
    """Whether a music submit's body adds a part to an upload."""
    return isinstance(body, dict) and body.get("task") in ADD_TASKS


def parse_add_part(raw: Any) -> MusicSpec:
    """The MUSIC spec of an ``add_vocals`` or ``add_instrumental`` submit."""
    body = require_object(raw)
    task = TASK.read(body)
    if task not in ADD_TASKS:
        raise InvalidRequest(f"task must be {ADD_VOCALS!r} or {ADD_INSTRUMENTAL!r}")
    model = MV.read(body)
    clip_id = UPLOAD_CLIP_ID.read(body, model)
    prompt = PROMPT.read(body, model)
    for name in NOT_APPLICABLE:
        if body.get(name) not in (None, ""):
            raise InvalidRequest(f"{name} does not apply to {task}: the part spans the whole "
                                 "upload and sings the lyrics given in prompt")
    if body.get("make_instrumental") is True:
        raise InvalidRequest(f"make_instrumental does not apply to {task}")
    if task == ADD_VOCALS and not prompt.strip():
        raise PromptEmpty("prompt is empty: add_vocals sings the lyrics given in prompt")
    knobs = parse_knobs(body)
    return MusicSpec(
        mv=model.mv, prompt=prompt, tags=TAGS.read(body, model),
        negative_tags=NEGATIVE_TAGS.read(body, model), title=TITLE.read(body, model),
        make_instrumental=False, gpt_description_prompt="", continue_clip_id="",
        continue_at=None, notify_hook=NOTIFY_HOOK.read(body),
        vocal_gender=knobs.vocal_gender, style_weight=knobs.style_weight,
        weirdness_constraint=knobs.weirdness_constraint, audio_weight=knobs.audio_weight,
        persona_id=knobs.persona_id, task=task, part_clip_id=clip_id,
    )
