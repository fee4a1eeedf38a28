"""JSON Schemas of what songgate reads and writes, for its OpenAPI document (3.1).

Built from the domain's own tables (statuses, model versions and their limits,
the fields of each request body), so the document cannot drift from the rules
the API enforces. Used only for documentation: requests are parsed by
:mod:`songgate.domain`, through the same body fields.
"""

from __future__ import annotations

from typing import Any

from songgate.api.openapi_cover import music_or_cover
from songgate.domain import listing
from songgate.domain.add_parts import ADD_TASKS
from songgate.domain.body_fields import (
    BodyField,
    Bound,
    ChoiceField,
    FlagField,
    IgnoredField,
    ModelField,
    NumberField,
    PerModel,
    TextField,
    UrlField,
)
from songgate.domain.concat import CONCAT_BODY
from songgate.domain.models import MODEL_LIMITS, MODEL_VERSIONS, ModelVersion
from songgate.domain.status import Action, ClipStatus, LyricsStatus, TaskStatus
from songgate.domain.stems import GEN_STEM, GROUP_PATTERN, STEM_BODY
from songgate.domain.submit import (
    CONTINUE_AT,
    CONTINUE_CLIP_ID,
    DESCRIPTION,
    ID_MAX_LENGTH,
    LYRICS_BODY,
    MAKE_INSTRUMENTAL,
    MUSIC_BODY,
    MV,
    PROMPT,
    TAGS,
)

Schema = dict[str, Any]

UUID_PATTERN = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
# Python's str.isspace() characters: what songgate strips before calling a field empty.
_SPACE = (
    "\\t\\n\\u000b\\u000c\\r\\u001c\\u001d\\u001e\\u001f \\u0085\\u00a0\\u1680"
    "\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000"
)
SPACE = f"[{_SPACE}]"
NOT_BLANK = f"[^{_SPACE}]"


def any_case(word: str) -> str:
    """A regular expression for ``word`` in any ASCII case."""
    return "".join(f"[{c.upper()}{c.lower()}]" if c.isalpha() else c for c in word)


ACTION_PATTERN = "^(|" + "|".join(any_case(action.value) for action in Action) + ")$"
NO_NUL = "^[^\\u0000]*$"
# blank, or an http(s) URL with a host and nothing blank inside (spaces around are trimmed)
HOOK_PATTERN = (f"^{SPACE}*({any_case('http')}[Ss]?://[^/?#{_SPACE}\\u0000]"
                f"[^{_SPACE}\\u0000]*{SPACE}*)?$")


def ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


def nullable(kind: str, **rules: Any) -> Schema:
    return {"type": [kind, "null"], **rules}


def _widest(bound: Bound) -> int:
    return bound.widest() if isinstance(bound, PerModel) else bound


def field(described: BodyField) -> Schema:
    """One body field as the document shows it; a bound a model sets is its widest here."""
    schema: Schema
    match described:
        case TextField(max_length=bound, blank_refusal=refusal):
            kind: str | list[str] = "string" if refusal else ["string", "null"]
            schema = {"type": kind, "maxLength": _widest(bound), "pattern": NO_NUL}
        case UrlField(max_length=max_length):
            schema = nullable("string", maxLength=max_length, pattern=HOOK_PATTERN)
        case FlagField(default=default):
            schema = nullable("boolean", default=default)
        case NumberField(minimum=minimum, maximum=bound):
            schema = nullable("number", minimum=minimum, maximum=_widest(bound))
        case ModelField(default=default):
            schema = {"enum": [*MODEL_VERSIONS, "", None], "default": default}
        case ChoiceField(choices=choices):
            schema = {"enum": [*choices, "", None]}
        case IgnoredField():
            schema = {}
    return {**schema, "description": described.description} if described.description else schema


def _must_hold_words(described: BodyField) -> bool:
    return isinstance(described, TextField) and bool(described.blank_refusal)


def _not_blank(name: str) -> Schema:
    return _given(name, {"pattern": NOT_BLANK})


def body(fields: tuple[BodyField, ...], description: str, rules: list[Schema],
         example: Schema) -> Schema:
    """A request body from its fields; ``rules`` join fields as the parser's own checks do."""
    schema: Schema = {"type": "object", "description": description,
                      "properties": {each.name: field(each) for each in fields}}
    required = [each.name for each in fields if _must_hold_words(each)]
    if required:
        schema["required"] = required
    schema["allOf"] = [*rules, *map(_not_blank, required)]
    schema["example"] = example
    return schema


def _blank_or_absent(name: str) -> Schema:
    return {"not": {"required": [name], "properties": {name: {"type": "string",
                                                               "pattern": NOT_BLANK}}}}


def _given(name: str, schema: Schema) -> Schema:
    return {"required": [name], "properties": {name: schema}}


def _model_bound(described: BodyField) -> tuple[str, PerModel] | None:
    """The keyword and bound of a field whose limit the model version sets, if it has one."""
    match described:
        case TextField(max_length=PerModel() as bound):
            return "maxLength", bound
        case NumberField(maximum=PerModel() as bound):
            return "maximum", bound
    return None


def _limits(model: ModelVersion, fields: tuple[BodyField, ...]) -> Schema:
    """What ``model`` allows each field, in the order the model lists its limits."""
    bounded = {found[1].limit: (each.name, *found) for each in fields
               if (found := _model_bound(each))}
    return {"properties": {
        name: {keyword: bound.of(model)}
        for name, keyword, bound in (bounded[limit] for limit in MODEL_LIMITS if limit in bounded)
    }}


def _per_model_limits(fields: tuple[BodyField, ...]) -> list[Schema]:
    """One if/then per model version; no ``mv`` (or null, "") means the default model."""
    rules = []
    for mv, model in MODEL_VERSIONS.items():
        named: Schema = _given(MV.name, {"const": mv})
        if mv == MV.default:
            named = {"anyOf": [named, {"not": {"required": [MV.name]}},
                               _given(MV.name, {"enum": ["", None]})]}
        rules.append({"if": named, "then": _limits(model, fields)})
    return rules


def music_request() -> Schema:
    """``POST /suno/submit/music``: custom mode (lyrics in ``prompt``) or description mode."""
    has_words = {"anyOf": [
        _not_blank(PROMPT.name),
        _not_blank(DESCRIPTION.name),
        {"allOf": [_given(MAKE_INSTRUMENTAL.name, {"const": True}), _not_blank(TAGS.name)]},
    ]}
    # null is the same as absent, as the parser reads it
    continuing = {"allOf": [_given(CONTINUE_CLIP_ID.name, {"type": "string", "minLength": 1}),
                            _given(CONTINUE_AT.name, {"type": "number"})]}
    not_continuing = {"allOf": [
        {"not": _given(CONTINUE_CLIP_ID.name, {"type": "string", "minLength": 1})},
        {"not": _given(CONTINUE_AT.name, {"type": "number"})},
    ]}
    return body(
        MUSIC_BODY,
        "Give lyrics in `prompt` or a description in `gpt_description_prompt` (not both), "
        "or set `make_instrumental` with `tags`. Each field's limit depends on `mv`. "
        "Unknown fields are ignored.",
        [
            *_per_model_limits(MUSIC_BODY),
            {"anyOf": [_blank_or_absent(PROMPT.name), _blank_or_absent(DESCRIPTION.name)]},
            music_or_cover([has_words, {"anyOf": [continuing, not_continuing]}], NOT_BLANK),
        ],
        {"prompt": "[Verse]\nSunday morning light", "tags": "heartfelt salsa",
         "mv": MV.default},
    )


def lyrics_request() -> Schema:
    return body(LYRICS_BODY, "Unknown fields are ignored.", [],
                {"prompt": "a song about a happy weekend"})


def stem_request() -> Schema:
    """``task: "gen_stem"`` on ``POST /suno/submit/music``: a clip's stems (STEM task)."""
    return body(STEM_BODY, "`task: gen_stem`: the stems of a finished clip, one clip each "
                "(a STEM task). Unknown fields are ignored.",
                [_given("task", {"const": GEN_STEM}),
                 {"properties": {"stem_type_group_name": {"pattern": GROUP_PATTERN}}}],
                {"task": GEN_STEM, "continue_clip_id": "7e0c2f1a-9b8d-4c6e-8a2b-3d4f5e6a7b8c",
                 "stem_type_group_name": "Two"})


def music_or_stem_request() -> Schema:
    """``POST /suno/submit/music``: a song, with ``task: "gen_stem"`` a clip's stems, or with
    ``task: "add_vocals" | "add_instrumental"`` a part for an upload."""
    from songgate.api.openapi_add_parts import add_part_request  # it builds on this module

    music = music_request()
    music["allOf"] = [*music["allOf"], {"not": _given("task", {"enum": [GEN_STEM, *ADD_TASKS]})}]
    return {"anyOf": [music, stem_request(), add_part_request()], "example": music["example"]}


def concat_request() -> Schema:
    return body(CONCAT_BODY, "Unknown fields are ignored.", [],
                {"clip_id": "7e0c2f1a-9b8d-4c6e-8a2b-3d4f5e6a7b8c", "is_infill": False})


def fetch_request(max_ids: int) -> Schema:
    return {
        "type": "object",
        "description": "Unknown fields are ignored.",
        "properties": {
            "ids": {"type": "array", "maxItems": max_ids, "items": {
                "type": "string", "maxLength": ID_MAX_LENGTH, "pattern": NO_NUL},
                "description": "Task ids; the answer keeps their order, each task once."},
            "action": nullable("string", pattern=ACTION_PATTERN,
                               description=f"Only tasks of {Action.names()} (any case)."),
        },
        "required": ["ids"],
        "example": {"ids": ["2a145658-3342-4228-b779-b8323a2b77df"], "action": "MUSIC"},
    }


def _clip_metadata() -> Schema:
    return {
        "type": "object",
        "required": ["tags", "type", "prompt", "stream", "history", "duration", "error_type",
                     "error_message", "concat_history", "refund_credits", "audio_prompt_id",
                     "gpt_description_prompt"],
        "properties": {
            "tags": {"type": "string"},
            "type": {"type": "string"},
            "prompt": {"type": "string"},
            "stream": {"type": "boolean"},
            "history": nullable("array", items={"type": "object"}),
            "duration": nullable("number", minimum=0),
            "error_type": nullable("string"),
            "error_message": nullable("string"),
            "concat_history": nullable("array"),
            "refund_credits": {"type": "boolean"},
            "audio_prompt_id": nullable("string"),
            "gpt_description_prompt": nullable("string"),
        },
    }


def clip() -> Schema:
    """A Suno clip object: every key Suno's own API shows; more may come from upstreams."""
    strings = ("title", "handle", "user_id", "audio_url", "image_url", "video_url",
               "image_large_url", "model_name", "display_name", "major_model_version")
    flags = ("is_liked", "is_public", "is_trashed", "is_video_pending", "is_handle_updated")
    properties: Schema = {
        "id": {"type": "string", "pattern": UUID_PATTERN},
        "status": {"enum": [s.value for s in ClipStatus]},
        "metadata": ref("ClipMetadata"),
        "reaction": nullable("object"),
        "created_at": {"type": "string",
                       "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}"
                                  "\\.[0-9]{3}Z$"},
        "play_count": {"type": "integer", "minimum": 0},
        "upvote_count": {"type": "integer", "minimum": 0},
        **{name: {"type": "string"} for name in strings},
        **{name: {"type": "boolean"} for name in flags},
    }
    return {"type": "object", "required": list(properties), "properties": properties}


def lyrics() -> Schema:
    return {
        "type": "object",
        "required": ["id", "text", "title", "status"],
        "additionalProperties": False,
        "properties": {
            "id": {"type": "string", "pattern": UUID_PATTERN},
            "text": {"type": "string"},
            "title": {"type": "string"},
            "status": {"enum": [s.value for s in LyricsStatus]},
        },
    }


def clip_file_data() -> Schema:
    """A FILE task's ``data``: the clip's file it makes (domain/clip_files.py)."""
    return {
        "type": "object",
        "required": ["clip_id", "kind", "status", "url"],
        "properties": {
            "clip_id": {"type": "string"},
            "kind": {"enum": ["wav", "mp4", "midi"]},
            "status": {"enum": [s.value for s in LyricsStatus]},
            "url": {"type": "string", "description": "The file's URL once complete, else empty."},
        },
    }


def _when(condition: Schema, then: Schema) -> Schema:
    return {"if": {"properties": condition}, "then": {"properties": then}}


def task_dto() -> Schema:
    """One task as clients read it; times are Unix seconds, 0 until they happen."""
    seconds = {"type": "integer", "minimum": 0}
    ended = {"type": "integer", "exclusiveMinimum": 0}
    terminal = [TaskStatus.SUCCESS.value, TaskStatus.FAILURE.value]
    return {
        "type": "object",
        "required": ["task_id", "action", "status", "fail_reason", "submit_time", "start_time",
                     "finish_time", "progress", "data"],
        "additionalProperties": False,
        "properties": {
            "task_id": {"type": "string", "pattern": UUID_PATTERN},
            "action": {"enum": [a.value for a in Action]},
            "status": {"enum": [s.value for s in TaskStatus]},
            "fail_reason": {"type": "string"},
            "submit_time": ended,
            "start_time": seconds,
            "finish_time": seconds,
            "progress": {"type": "string", "pattern": "^(100|[1-9]?[0-9])%$"},
            "data": {},
        },
        "allOf": [
            _when({"action": {"enum": ["MUSIC", "CONCAT", "UPLOAD", "STEM"]}},
                  {"data": {"type": "array", "items": ref("Clip")}}),
            _when({"action": {"const": "LYRICS"}}, {"data": ref("Lyrics")}),
            _when({"action": {"const": "FILE"}}, {"data": clip_file_data()}),
            _when({"status": {"enum": terminal}}, {"progress": {"const": "100%"},
                                                   "finish_time": ended}),
            _when({"status": {"not": {"enum": terminal}}}, {"finish_time": {"const": 0}}),
            _when({"status": {"const": "FAILURE"}}, {"fail_reason": {"minLength": 1}}),
        ],
    }


def task_page() -> Schema:
    return {
        "type": "object",
        "required": ["tasks", "next"],
        "additionalProperties": False,
        "properties": {
            "tasks": {"type": "array", "maxItems": listing.MAX_LIMIT, "items": ref("TaskDto")},
            "next": {"type": ["string", "null"],
                     "description": "Pass as `before` for the next page; null on the last."},
        },
    }


def components() -> Schema:
    return {
        "TaskDto": task_dto(),
        "Clip": clip(),
        "ClipMetadata": _clip_metadata(),
        "Lyrics": lyrics(),
        "TaskPage": task_page(),
    }
