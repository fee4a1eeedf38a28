"""What a client may submit, validated against the limits of the chosen model."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from songgate.domain.body_fields import (
    BodyField,
    FlagField,
    IgnoredField,
    ModelField,
    NumberField,
    PerModel,
    TextField,
    UrlField,
)
from songgate.domain.cover import COVER_CLIP_ID, TASK, clip_to_cover
from songgate.domain.fields import JsonObject, require_object
from songgate.domain.infill import INFILL_FIELDS, read_span
from songgate.domain.knobs import KNOB_FIELDS, parse_knobs
from songgate.domain.models import MODEL_VERSIONS, ModelVersion
from songgate.errors import InvalidRequest, PromptEmpty

LYRICS_PROMPT_MAX = 3000
ID_MAX_LENGTH = 64
UPLOAD_EXTEND = "upload_extend"  # kept in the spec: an upstream is asked for it by name

PROMPT = TextField("prompt", PerModel("prompt_max"), "Lyrics (custom mode).")
DESCRIPTION = TextField("gpt_description_prompt", PerModel("description_max"),
                        "Description mode: the service writes lyrics, title and tags.")
TAGS = TextField("tags", PerModel("tags_max"), "Style: genre, mood, tempo, key, instruments.")
NEGATIVE_TAGS = TextField("negative_tags", PerModel("negative_tags_max"), "What to leave out.")
TITLE = TextField("title", PerModel("title_max"))
MV = ModelField("mv", "Model version; its limits bound the other fields.")
MAKE_INSTRUMENTAL = FlagField("make_instrumental")
CONTINUE_CLIP_ID = TextField("continue_clip_id", ID_MAX_LENGTH,
                             "Extend this clip (of the caller's, complete).")
CONTINUE_AT = NumberField("continue_at", 0, PerModel("max_duration_seconds"),
                          "Seconds into the clip where the extension starts.")
CONTINUE_TASK_ID = IgnoredField("task_id", "Accepted beside continue_clip_id and not needed.")
NOTIFY_HOOK = UrlField("notify_hook",
                       "An http(s) URL told when the task ends (public hosts only).")

# The body of a MUSIC submit, in the order the document shows it.
MUSIC_BODY: tuple[BodyField, ...] = (
    PROMPT, DESCRIPTION, TAGS, NEGATIVE_TAGS, TITLE, MV, MAKE_INSTRUMENTAL, CONTINUE_CLIP_ID,
    CONTINUE_AT, CONTINUE_TASK_ID, NOTIFY_HOOK, *KNOB_FIELDS, *INFILL_FIELDS, COVER_CLIP_ID,
    TASK,
)

# MusicSpec fields no client sends: the service fills them in at submission.
FILLED_AT_SUBMISSION = ("persona_style_seed", "callback_dialect", "test_outcome",
                        "part_clip_id")  # the last: continue_clip_id of an add-part task

LYRICS_PROMPT = TextField("prompt", LYRICS_PROMPT_MAX,
                          "What the lyrics are about (English or Chinese).",
                          blank_refusal="prompt is empty: say what the lyrics should be about")
LYRICS_BODY: tuple[BodyField, ...] = (LYRICS_PROMPT, NOTIFY_HOOK)


def plain_fields(spec: MusicSpec | LyricsSpec) -> JsonObject:
    """A spec's fields as a dict. Each is a plain value (text, number, flag), so none is
    copied: ``dataclasses.asdict`` deep-copies every one, a fifth of a submit's time."""
    kind = type(spec)
    names = _FIELD_NAMES.get(kind)
    if names is None:
        names = _FIELD_NAMES[kind] = tuple(field.name for field in fields(spec))
    return {name: getattr(spec, name) for name in names}


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}  # each spec class's field names


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
    # the knobs (domain/knobs.py); defaults for tasks stored before they existed
    vocal_gender: str = ""
    style_weight: float | None = None
    weirdness_constraint: float | None = None
    audio_weight: float | None = None
    persona_id: str = ""
    persona_style_seed: int | None = None  # the persona's, filled in at submission
    callback_dialect: str = ""  # "sunoapi": notify_hook hears that dialect's stage callbacks
    test_outcome: str = ""  # test mode: the outcome asked for (domain/test_mode.py)
    # "add_vocals" / "add_instrumental": a part for part_clip_id (add_parts.py);
    # "upload_extend": the extension was asked for as one (domain/source_actions.py)
    task: str = ""
    part_clip_id: str = ""  # the uploaded clip the part is added to
    # a span of continue_clip_id to replace (domain/infill.py); None: no span
    infill_start_s: float | None = None
    infill_end_s: float | None = None
    cover_clip_id: str = ""  # a cover of this clip (domain/cover.py)

    @property
    def model(self) -> ModelVersion:
        return MODEL_VERSIONS[self.mv]

    @property
    def is_description_mode(self) -> bool:
        return bool(self.gpt_description_prompt)

    def to_json(self) -> JsonObject:
        return plain_fields(self)

    @classmethod
    def from_json(cls, data: JsonObject) -> MusicSpec:
        return cls(**data)


@dataclass(frozen=True, slots=True)
class LyricsSpec:
    prompt: str
    notify_hook: str
    callback_dialect: str = ""  # as MusicSpec's
    test_outcome: str = ""  # test mode: the outcome asked for (domain/test_mode.py)

    def to_json(self) -> JsonObject:
        return plain_fields(self)

    @classmethod
    def from_json(cls, data: JsonObject) -> LyricsSpec:
        return cls(**data)


def parse_music(raw: Any) -> MusicSpec:
    """A MUSIC spec; the fields the rules join are read first, so their errors come first."""
    body = require_object(raw)
    model = MV.read(body)
    prompt = PROMPT.read(body, model)
    description = DESCRIPTION.read(body, model)
    instrumental = MAKE_INSTRUMENTAL.read(body)
    tags = TAGS.read(body, model)
    continue_clip_id = CONTINUE_CLIP_ID.read(body, model)
    continue_at = CONTINUE_AT.read(body, model)
    task = TASK.read(body)
    cover = clip_to_cover(task, COVER_CLIP_ID.read(body), continue_clip_id, continue_at)
    if cover:  # the clip is covered, not extended
        continue_clip_id = ""
    if prompt.strip() and description.strip():
        raise InvalidRequest(
            "give either prompt (custom mode, your lyrics) or gpt_description_prompt "
            "(description mode), not both"
        )
    if not prompt.strip() and not description.strip() and not instrumental and not cover:
        raise PromptEmpty(
            "prompt is empty: give lyrics in prompt, a description in "
            "gpt_description_prompt, or set make_instrumental"
        )
    if instrumental and not (prompt.strip() or description.strip() or tags.strip() or cover):
        raise PromptEmpty(
            "an instrumental needs tags, a prompt or a gpt_description_prompt to describe it"
        )
    span = read_span(body, model)
    if span is not None and not continue_clip_id:
        raise InvalidRequest("infill_start_s and infill_end_s replace a span of a clip: "
                             "name it in continue_clip_id")
    if (continue_at is None) != (not continue_clip_id):
        raise InvalidRequest("continue_clip_id and continue_at must be given together")
    knobs = parse_knobs(body)
    return MusicSpec(
        mv=model.mv,
        prompt=prompt,
        tags=tags,
        negative_tags=NEGATIVE_TAGS.read(body, model),
        title=TITLE.read(body, model),
        make_instrumental=instrumental,
        gpt_description_prompt=description,
        continue_clip_id=continue_clip_id,
        continue_at=continue_at,
        notify_hook=NOTIFY_HOOK.read(body),
        vocal_gender=knobs.vocal_gender,
        style_weight=knobs.style_weight,
        weirdness_constraint=knobs.weirdness_constraint,
        audio_weight=knobs.audio_weight,
        persona_id=knobs.persona_id,
        infill_start_s=span.start if span is not None else None,
        infill_end_s=span.end if span is not None else None,
        cover_clip_id=cover,
        task=UPLOAD_EXTEND if task == UPLOAD_EXTEND and continue_clip_id else "",
    )


def parse_lyrics(raw: Any) -> LyricsSpec:
    body = require_object(raw)
    prompt = LYRICS_PROMPT.read(body)
    return LyricsSpec(prompt=prompt, notify_hook=NOTIFY_HOOK.read(body))
