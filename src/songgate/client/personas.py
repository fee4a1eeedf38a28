"""Personas as the client reads them, and the body that creates one."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

PERSONA_PATH = "/suno/persona/create/"
PERSONAS_PATH = "/suno/persona"


def persona_path(persona_id: str) -> str:
    return f"{PERSONAS_PATH}/{quote(persona_id, safe='')}"


def personas_of(data: Any) -> list[Persona]:
    """The personas of a list answer, newest first as the service orders them."""
    return [Persona.from_json(p) for p in data if isinstance(p, dict)] \
        if isinstance(data, list) else []


def list_path(limit: int | None) -> str:
    return PERSONAS_PATH if limit is None else f"{PERSONAS_PATH}?limit={int(limit)}"


@dataclass(frozen=True, slots=True)
class Persona:
    id: str
    name: str
    description: str
    root_clip_id: str
    clips: tuple[str, ...]
    is_public: bool
    raw: dict[str, Any]  # the whole object, unknown fields too

    @classmethod
    def from_json(cls, data: Any) -> Persona:
        found = data if isinstance(data, dict) else {}
        clips = found.get("clips")
        return cls(
            id=str(found.get("id") or ""), name=str(found.get("name") or ""),
            description=str(found.get("description") or ""),
            root_clip_id=str(found.get("root_clip_id") or ""),
            clips=tuple(str(c) for c in clips) if isinstance(clips, list) else (),
            is_public=found.get("is_public") is True, raw=found,
        )


def persona_body(root_clip_id: str, name: str, description: str, clips: Sequence[str],
                 is_public: bool) -> dict[str, Any]:
    return {"root_clip_id": root_clip_id, "name": name, "description": description,
            "clips": list(clips), "is_public": is_public}
