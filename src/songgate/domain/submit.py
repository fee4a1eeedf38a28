"""What a client may submit, validated against the limits of the chosen model."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from songgate.domain.fields import (
    JsonObject,
    optional_bool,
    optional_number,
    optional_string,
    optional_url,
    require_object,
)
from songgate.domain.models import DEFAULT_MV, MODEL_VERSIONS, ModelVersion
from songgate.errors import InvalidModelVersion, InvalidRequest, PromptEmpty

LYRICS_PROMPT_MAX = 3000
ID_MAX_LENGTH = 64


@dataclass(frozen=True, slots=True)
class MusicSpec:
    """A validated MUSIC request.

    Custom mode carries the lyrics in ``prompt``; description mode carries
    ``gpt_description_prompt`` and leaves lyrics, title and tags to the service.
    """

    mv: str
    prompt: str
    tags: str
    negative_tags: str
    title: str
    make_instrumental: bool
    gpt_description_prompt: str
    continue_clip_id: str
    continue_at: float | None
    notify_hook: str

    @property
    def model(self) -> ModelVersion:
        return MODEL_VERSIONS[self.mv]

    @property
    def is_description_mode(self) -> bool:
        return bool(self.gpt_description_prompt)

    def to_json(self) -> JsonObject:
        return asdict(self)

    @classmethod
    def from_json(cls, data: JsonObject) -> MusicSpec:
        return cls(**data)


@dataclass(frozen=True, slots=True)
class LyricsSpec:
    prompt: str
    notify_hook: str

    def to_json(self) -> JsonObject:
        return asdict(self)

    @classmethod
    def from_json(cls, data: JsonObject) -> LyricsSpec:
        return cls(**data)


def _model_version(body: JsonObject) -> ModelVersion:
    mv = body.get("mv")
    if mv is None or mv == "":
        return MODEL_VERSIONS[DEFAULT_MV]
    if not isinstance(mv, str):
        raise InvalidRequest("mv must be a string")
    model = MODEL_VERSIONS.get(mv)
    if model is None:
        accepted = ", ".join(MODEL_VERSIONS)
        shown = mv if len(mv) <= 40 else mv[:40] + "…"
        raise InvalidModelVersion(f"mv {shown!r} is not supported; accepted values: {accepted}")
    return model


def parse_music(raw: Any) -> MusicSpec:
    body = require_object(raw)
    model = _model_version(body)
    prompt = optional_string(body, "prompt", max_length=model.prompt_max)
    description = optional_string(
        body, "gpt_description_prompt", max_length=model.description_max
    )
    instrumental = optional_bool(body, "make_instrumental")
    tags = optional_string(body, "tags", max_length=model.tags_max)
    continue_clip_id = optional_string(body, "continue_clip_id", max_length=ID_MAX_LENGTH)
    continue_at = optional_number(
        body, "continue_at", minimum=0, maximum=model.max_duration_seconds
    )
    if prompt.strip() and description.strip():
        raise InvalidRequest(
            "give either prompt (custom mode, your lyrics) or gpt_description_prompt "
            "(description mode), not both"
        )
    if not prompt.strip() and not description.strip() and not instrumental:
        raise PromptEmpty(
            "prompt is empty: give lyrics in prompt, a description in "
            "gpt_description_prompt, or set make_instrumental"
        )
    if instrumental and not (prompt.strip() or description.strip() or tags.strip()):
        raise PromptEmpty(
            "an instrumental needs tags, a prompt or a gpt_description_prompt to describe it"
        )
    if (continue_at is None) != (not continue_clip_id):
        raise InvalidRequest("continue_clip_id and continue_at must be given together")
    return MusicSpec(
        mv=model.mv,
        prompt=prompt,
        tags=tags,
        negative_tags=optional_string(body, "negative_tags", max_length=model.negative_tags_max),
        title=optional_string(body, "title", max_length=model.title_max),
        make_instrumental=instrumental,
        gpt_description_prompt=description,
        continue_clip_id=continue_clip_id,
        continue_at=continue_at,
        notify_hook=optional_url(body, "notify_hook"),
    )


def parse_lyrics(raw: Any) -> LyricsSpec:
    body = require_object(raw)
    prompt = optional_string(body, "prompt", max_length=LYRICS_PROMPT_MAX)
    if not prompt.strip():
        raise PromptEmpty("prompt is empty: say what the lyrics should be about")
    return LyricsSpec(prompt=prompt, notify_hook=optional_url(body, "notify_hook"))
