"""Concat: the whole song of an extension chain as one clip (``POST /suno/submit/concat``).

``clip_id`` names the last clip of the chain; each earlier part is found through the
``continue_clip_id`` its extension was made with. The engine's extensions already hold
the song from its start (the original up to the cut, crossfaded into the new part at
the same loudness), so the concatenated clip is the last part's audio, published under
a clip of its own (``metadata.type: "concat"``, ``concat_history`` naming the parts in
order). ``is_infill`` is accepted: the engine's extensions are never infills.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from songgate.domain.body_fields import BodyField, FlagField, TextField, UrlField
from songgate.domain.clips import Clip, Owner, new_clip
from songgate.domain.fields import JsonObject, require_object
from songgate.domain.submit import ID_MAX_LENGTH, MusicSpec

CHAIN_MAX = 50  # parts followed at most

CLIP_ID = TextField("clip_id", ID_MAX_LENGTH, "The last clip of an extension chain.",
                    blank_refusal="clip_id is empty: name the last clip of an extension chain")
IS_INFILL = FlagField("is_infill", False, "Accepted; the engine's extensions are not infills.")
NOTIFY_HOOK = UrlField("notify_hook",
                       "An http(s) URL told when the task ends (public hosts only).")
CONCAT_BODY: tuple[BodyField, ...] = (CLIP_ID, IS_INFILL, NOTIFY_HOOK)


@dataclass(frozen=True, slots=True)
class ConcatSpec:
    clip_id: str
    is_infill: bool
    notify_hook: str
    mv: str = ""  # the last part's model, filled in at submission
    history: list[dict[str, Any]] = field(default_factory=list)  # the parts, first first

    def to_json(self) -> JsonObject:
        return asdict(self)

    @classmethod
    def from_json(cls, data: JsonObject) -> ConcatSpec:
        return cls(**data)


def parse_concat(raw: Any) -> ConcatSpec:
    body = require_object(raw)
    return ConcatSpec(clip_id=CLIP_ID.read(body).strip(), is_infill=IS_INFILL.read(body),
                      notify_hook=NOTIFY_HOOK.read(body))


def history_entry(clip_id: str, continue_at: float | None) -> dict[str, Any]:
    """One part, as Suno's ``concat_history`` lists it."""
    return {"id": clip_id, "continue_at": continue_at, "type": "gen", "source": "api",
            "infill": False}


def concat_clip(clip_id: str, owner: Owner, last: Clip, spec: ConcatSpec,
                created_at: float) -> Clip:
    """The new clip, titled and tagged as the chain's last part."""
    metadata = last.get("metadata") or {}
    shaped = MusicSpec(mv=spec.mv, prompt=str(metadata.get("prompt") or ""),
                       tags=str(metadata.get("tags") or ""), negative_tags="",
                       title=str(last.get("title") or ""), make_instrumental=False,
                       gpt_description_prompt="", continue_clip_id="", continue_at=None,
                       notify_hook="")
    clip = new_clip(clip_id, owner, shaped, created_at)
    clip["metadata"] = {**clip["metadata"], "type": "concat",
                        "concat_history": list(spec.history)}
    return clip
