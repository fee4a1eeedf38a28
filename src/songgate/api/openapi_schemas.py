"""JSON Schemas of what songgate reads and writes, for its OpenAPI document (3.1).

Built from the domain's own tables (statuses, model versions and their limits),
so the document cannot drift from the rules the API enforces. Used only for
documentation: requests are still parsed by :mod:`songgate.domain`.
"""

from __future__ import annotations

from typing import Any

from songgate.domain import listing
from songgate.domain.models import DEFAULT_MV, MODEL_VERSIONS, ModelVersion
from songgate.domain.status import Action, ClipStatus, LyricsStatus, TaskStatus
from songgate.domain.submit import ID_MAX_LENGTH, LYRICS_PROMPT_MAX

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
HOOK_URL_MAX = 2048
# blank, or an http(s) URL with a host and nothing blank inside (spaces around are trimmed)
HOOK_PATTERN = (f"^{SPACE}*({any_case('http')}[Ss]?://[^/?#{_SPACE}\\u0000]"
                f"[^{_SPACE}\\u0000]*{SPACE}*)?$")


def ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


def nullable(kind: str, **rules: Any) -> Schema:
    return {"type": [kind, "null"], **rules}


def text(max_length: int, description: str = "") -> Schema:
    """A string field that may be absent or null (read as ""); no NUL characters."""
    schema = nullable("string", maxLength=max_length, pattern="^[^\\u0000]*$")
    return {**schema, "description": description} if description else schema


def hook_url() -> Schema:
    return nullable("string", maxLength=HOOK_URL_MAX, pattern=HOOK_PATTERN,
                    description="An http(s) URL told when the task ends (public hosts only).")


def _blank_or_absent(name: str) -> Schema:
    return {"not": {"required": [name], "properties": {name: {"type": "string",
                                                               "pattern": NOT_BLANK}}}}


def _given(name: str, schema: Schema) -> Schema:
    return {"required": [name], "properties": {name: schema}}


def _limits(model: ModelVersion) -> Schema:
    return {"properties": {
        "prompt": {"maxLength": model.prompt_max},
        "tags": {"maxLength": model.tags_max},
        "negative_tags": {"maxLength": model.negative_tags_max},
        "title": {"maxLength": model.title_max},
        "gpt_description_prompt": {"maxLength": model.description_max},
        "continue_at": {"maximum": model.max_duration_seconds},
    }}


def _per_model_limits() -> list[Schema]:
    """One if/then per model version; no ``mv`` (or null, "") means the default model."""
    rules = []
    for mv, model in MODEL_VERSIONS.items():
        named: Schema = _given("mv", {"const": mv})
        if mv == DEFAULT_MV:
            named = {"anyOf": [named, {"not": {"required": ["mv"]}},
                               _given("mv", {"enum": ["", None]})]}
        rules.append({"if": named, "then": _limits(model)})
    return rules


def _widest(field: str) -> int:
    return max(int(getattr(model, field)) for model in MODEL_VERSIONS.values())


def music_request() -> Schema:
    """``POST /suno/submit/music``: custom mode (lyrics in ``prompt``) or description mode."""
    properties: Schema = {
        "prompt": text(_widest("prompt_max"), "Lyrics (custom mode)."),
        "gpt_description_prompt": text(
            _widest("description_max"),
            "Description mode: the service writes lyrics, title and tags."),
        "tags": text(_widest("tags_max"), "Style: genre, mood, tempo, key, instruments."),
        "negative_tags": text(_widest("negative_tags_max"), "What to leave out."),
        "title": text(_widest("title_max")),
        "mv": {"enum": [*MODEL_VERSIONS, "", None], "default": DEFAULT_MV,
               "description": "Model version; its limits bound the other fields."},
        "make_instrumental": nullable("boolean", default=False),
        "continue_clip_id": text(ID_MAX_LENGTH, "Extend this clip (of the caller's, complete)."),
        "continue_at": nullable("number", minimum=0, maximum=_widest("max_duration_seconds"),
                                description="Seconds into the clip where the extension starts."),
        "task_id": {"description": "Accepted beside continue_clip_id and not needed."},
        "notify_hook": hook_url(),
    }
    has_words = {"anyOf": [
        _given("prompt", {"pattern": NOT_BLANK}),
        _given("gpt_description_prompt", {"pattern": NOT_BLANK}),
        {"allOf": [_given("make_instrumental", {"const": True}),
                   _given("tags", {"pattern": NOT_BLANK})]},
    ]}
    continuing = {"allOf": [_given("continue_clip_id", {"minLength": 1}),
                            _given("continue_at", {"type": "number"})]}
    not_continuing = {"allOf": [
        {"not": _given("continue_clip_id", {"minLength": 1})},
        {"not": _given("continue_at", {"type": "number"})},
    ]}
    return {
        "type": "object",
        "description": (
            "Give lyrics in `prompt` or a description in `gpt_description_prompt` (not both), "
            "or set `make_instrumental` with `tags`. Each field's limit depends on `mv`. "
            "Unknown fields are ignored."
        ),
        "properties": properties,
        "allOf": [
            *_per_model_limits(),
            {"anyOf": [_blank_or_absent("prompt"), _blank_or_absent("gpt_description_prompt")]},
            has_words,
            {"anyOf": [continuing, not_continuing]},
        ],
        "example": {"prompt": "[Verse]\nSunday morning light", "tags": "heartfelt salsa",
                    "mv": DEFAULT_MV},
    }


def lyrics_request() -> Schema:
    return {
        "type": "object",
        "description": "Unknown fields are ignored.",
        "properties": {
            "prompt": {"type": "string", "maxLength": LYRICS_PROMPT_MAX,
                       "pattern": "^[^\\u0000]*$",
                       "description": "What the lyrics are about (English or Chinese)."},
            "notify_hook": hook_url(),
        },
        "required": ["prompt"],
        "allOf": [_given("prompt", {"pattern": NOT_BLANK})],
        "example": {"prompt": "a song about a happy weekend"},
    }


def fetch_request(max_ids: int) -> Schema:
    return {
        "type": "object",
        "description": "Unknown fields are ignored.",
        "properties": {
            "ids": {"type": "array", "maxItems": max_ids, "items": {
                "type": "string", "maxLength": ID_MAX_LENGTH, "pattern": "^[^\\u0000]*$"},
                "description": "Task ids; the answer keeps their order, each task once."},
            "action": nullable("string", pattern=ACTION_PATTERN,
                               description="Only tasks of MUSIC or LYRICS (any case)."),
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
            _when({"action": {"const": "MUSIC"}},
                  {"data": {"type": "array", "items": ref("Clip")}}),
            _when({"action": {"const": "LYRICS"}}, {"data": ref("Lyrics")}),
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
