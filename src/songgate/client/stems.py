"""A clip's stems as the service answers them (``GET /suno/act/stems/{clip}``): the stem
clips once asked for, else the id of the STEM task that makes them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from songgate.client.models import Clip


def stems_path(clip_id: str, twelve: bool) -> str:
    return f"/suno/act/stems/{clip_id}" + ("?stem_type_group_name=Twelve" if twelve else "")


def stem_body(clip_id: str, twelve: bool, notify_hook: str | None) -> dict[str, Any]:
    """``task: gen_stem`` on a music submit."""
    return {"task": "gen_stem", "continue_clip_id": clip_id,
            "stem_type_group_name": "Twelve" if twelve else "Two",
            **({"notify_hook": notify_hook} if notify_hook else {})}


@dataclass(frozen=True, slots=True)
class Stems:
    task_id: str  # "" when the answer is the clips themselves
    clips: tuple[Clip, ...] = ()

    @classmethod
    def from_json(cls, data: Any) -> Stems:
        if isinstance(data, str):
            return cls(task_id=data)
        items = data if isinstance(data, list) else []
        return cls(task_id="", clips=tuple(Clip.from_json(c) for c in items
                                           if isinstance(c, dict)))
