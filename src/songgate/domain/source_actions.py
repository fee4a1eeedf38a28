"""What a MUSIC task does to a clip that already exists, and which clip that is.

A task that names a clip (a cover, an extension, an upload extension, a replaced span,
a part added) is made where the clip was made: a clip of this server's own (a song its
engine made, an upload) by the engine, whatever the routing says; a clip an upstream
channel made by that channel, under the upstream's own id for it. Pure: no I/O.
"""

from __future__ import annotations

from songgate.domain.add_parts import ADD_TASKS
from songgate.domain.cover import COVER
from songgate.domain.infill import INFILL
from songgate.domain.submit import UPLOAD_EXTEND, MusicSpec

EXTEND = "extend"
# Every action on a clip, as the gateway's ``task`` names it.
SOURCE_ACTIONS = (EXTEND, UPLOAD_EXTEND, INFILL, COVER, *ADD_TASKS)
# How a refusal names each action ("the clip to ...").
VERB_OF = {EXTEND: "extend", UPLOAD_EXTEND: "extend", INFILL: "replace a span of",
           COVER: "cover", **{task: "add a part to" for task in ADD_TASKS}}


def source_clip(spec: MusicSpec) -> str:
    """Our id of the clip the task acts on; "" for a new song."""
    return spec.cover_clip_id or spec.part_clip_id or spec.continue_clip_id


def source_action(spec: MusicSpec) -> str:
    """The action on :func:`source_clip` (one of ``SOURCE_ACTIONS``); "" for a new song."""
    if spec.cover_clip_id:
        return COVER
    if spec.part_clip_id:
        return spec.task
    if not spec.continue_clip_id:
        return ""
    if spec.infill_start_s is not None and spec.infill_end_s is not None:
        return INFILL
    return UPLOAD_EXTEND if spec.task == UPLOAD_EXTEND else EXTEND
