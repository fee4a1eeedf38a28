"""Personas: what made a clip (its singer and style), kept to sing new lyrics the same way.

``POST /suno/persona/create/`` names a clip of the caller's (``root_clip_id``) and the
persona records how the engine made it: the tags and negative tags its style was read
from, the seed that style was drawn with (so the key and tempo come out the same), the
singer and the style weights. A later submit with ``persona_id`` is sung and arranged
that way: the persona's tags lead (the request's own tags are added after them), its
singer sings unless the request chooses one, and its style seed draws the style.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from songgate.domain.body_fields import BodyField, FlagField, TextField
from songgate.domain.fields import JsonObject, require_object
from songgate.domain.submit import ID_MAX_LENGTH, MusicSpec
from songgate.errors import InvalidRequest

NAME_MAX = 100
DESCRIPTION_MAX = 1000
CLIPS_MAX = 20

ROOT_CLIP_ID = TextField("root_clip_id", ID_MAX_LENGTH, "The clip whose singer and style "
                         "the persona keeps (of the caller's, complete, made by this server).",
                         blank_refusal="root_clip_id is empty: name the clip the persona "
                                       "sings like")
NAME = TextField("name", NAME_MAX, "What the persona is called.",
                 blank_refusal="name is empty: give the persona a name")
DESCRIPTION = TextField("description", DESCRIPTION_MAX, "What the persona is like.")
IS_PUBLIC = FlagField("is_public", False, "Other accounts may sing with it too.")
# clips[] (more clips of the caller's the persona is drawn from) is read by parse_create.
PERSONA_BODY: tuple[BodyField, ...] = (ROOT_CLIP_ID, NAME, DESCRIPTION, IS_PUBLIC)


@dataclass(frozen=True, slots=True)
class PersonaRequest:
    root_clip_id: str
    name: str
    description: str
    clips: tuple[str, ...]
    is_public: bool


@dataclass(frozen=True, slots=True)
class PersonaVoice:
    """How the engine made the root clip (its media sidecar)."""

    tags: str
    negative_tags: str
    style_seed: int
    singer: str  # "f", "m" or "" (a clip made before the singer was kept)
    style_weight: float | None = None
    weirdness: float | None = None

    @classmethod
    def from_meta(cls, meta: dict[str, Any]) -> PersonaVoice | None:
        """The voice in a clip's sidecar; None when it lacks what a persona needs."""
        try:
            seed = int(meta["style_seed"])
            tags, negative = str(meta["tags"]), str(meta.get("negative_tags", ""))
        except (KeyError, TypeError, ValueError):
            return None
        singer = meta.get("singer")
        return cls(tags=tags, negative_tags=negative, style_seed=seed,
                   singer=singer if singer in ("f", "m") else "",
                   style_weight=_weight(meta.get("style_weight")),
                   weirdness=_weight(meta.get("weirdness")))


def _weight(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) \
        else None


@dataclass(frozen=True, slots=True)
class Persona:
    id: str
    account_id: str
    name: str
    description: str
    root_clip_id: str
    clips: tuple[str, ...]
    is_public: bool
    created_at: float
    voice: PersonaVoice

    def to_dto(self) -> JsonObject:
        """The persona as the API answers it."""
        return {
            "id": self.id, "name": self.name, "description": self.description,
            "root_clip_id": self.root_clip_id, "clips": list(self.clips),
            "is_public": self.is_public, "user_id": self.account_id,
            "created_at": self.created_at,
            "persona_style": {"tags": self.voice.tags,
                              "negative_tags": self.voice.negative_tags,
                              "vocal_gender": self.voice.singer or None},
        }


def parse_create(raw: Any) -> PersonaRequest:
    body = require_object(raw)
    root = ROOT_CLIP_ID.read(body).strip()
    name = NAME.read(body).strip()
    clips = body.get("clips")
    if clips is None:
        clips = []
    if not isinstance(clips, list) or not all(isinstance(c, str) and c.strip() for c in clips):
        raise InvalidRequest("clips must be a list of clip ids")
    if len(clips) > CLIPS_MAX:
        raise InvalidRequest(f"clips may name at most {CLIPS_MAX} clips")
    if any(len(c) > ID_MAX_LENGTH for c in clips):
        raise InvalidRequest(f"clips: a clip id is at most {ID_MAX_LENGTH} characters")
    named = tuple(dict.fromkeys([root, *(c.strip() for c in clips)]))
    return PersonaRequest(root_clip_id=root, name=name, description=DESCRIPTION.read(body),
                          clips=named, is_public=IS_PUBLIC.read(body))


def sung_as(spec: MusicSpec, persona: Persona) -> MusicSpec:
    """``spec`` to be sung and arranged as ``persona``: see the module's docstring."""
    voice = persona.voice
    tags = voice.tags if not spec.tags.strip() else f"{voice.tags}, {spec.tags}"
    return dataclasses.replace(
        spec,
        tags=tags[:spec.model.tags_max],
        negative_tags=spec.negative_tags or voice.negative_tags,
        vocal_gender=spec.vocal_gender or voice.singer,
        style_weight=voice.style_weight if spec.style_weight is None else spec.style_weight,
        weirdness_constraint=(voice.weirdness if spec.weirdness_constraint is None
                              else spec.weirdness_constraint),
        persona_style_seed=voice.style_seed,
    )
