"""The chat routes' part of the OpenAPI document (``/v1/chat/completions``, ``/v1/models``)."""

from __future__ import annotations

from typing import Any

from songgate.api.openapi import TOKEN, RouteDoc, body, caller_errors
from songgate.api.openapi_schemas import Schema
from songgate.domain.chat import MAX_MESSAGE_CHARS, MAX_MESSAGES, MAX_PARTS, MODEL_ALIASES
from songgate.domain.models import MODEL_VERSIONS

_MODELS = [*MODEL_ALIASES, *MODEL_VERSIONS]
_CONTENT_PART: Schema = {"type": "object", "properties": {
    "type": {"type": "string"}, "text": {"type": "string"}}}
_MESSAGE: Schema = {
    "type": "object", "required": ["role"],
    "properties": {
        "role": {"type": "string", "description": "`user` messages are read; the last one "
                                                  "describes the song."},
        "content": {"anyOf": [{"type": "string", "maxLength": MAX_MESSAGE_CHARS},
                              {"type": "array", "maxItems": MAX_PARTS, "items": _CONTENT_PART},
                              {"type": "null"}]},
    },
}
_REQUEST: Schema = {
    "type": "object", "required": ["messages"],
    "description": "OpenAI's chat-completions request; the last user message describes the "
                   "song (at most the model's description length). Other fields are ignored.",
    "properties": {
        "model": {"enum": [*_MODELS, None], "default": "songgate"},
        "messages": {"type": "array", "minItems": 1, "maxItems": MAX_MESSAGES,
                     "items": _MESSAGE},
        "stream": {"type": ["boolean", "null"], "default": False},
    },
    "example": {"model": "chirp-v4", "stream": False, "messages": [
        {"role": "user", "content": "a birthday song for Anna, upbeat pop"}]},
}
_COMPLETION: Schema = {
    "type": "object", "required": ["id", "object", "created", "model", "choices"],
    "properties": {
        "id": {"type": "string"}, "object": {"const": "chat.completion"},
        "created": {"type": "integer"}, "model": {"type": "string"},
        "choices": {"type": "array", "items": {
            "type": "object", "required": ["index", "message", "finish_reason"],
            "properties": {
                "index": {"type": "integer"}, "finish_reason": {"const": "stop"},
                "message": {"type": "object", "required": ["role", "content"], "properties": {
                    "role": {"const": "assistant"}, "content": {"type": "string"}}}}}},
        "usage": {"type": "object"},
    },
}
_MODEL_LIST: Schema = {
    "type": "object", "required": ["object", "data"],
    "properties": {"object": {"const": "list"}, "data": {"type": "array", "items": {
        "type": "object", "required": ["id", "object", "created", "owned_by"],
        "properties": {"id": {"type": "string"}, "object": {"const": "model"},
                       "created": {"type": "integer"}, "owned_by": {"type": "string"}}}}},
}


def _answer(schema: Schema, description: str, *,
            stream: bool = False) -> dict[int | str, dict[str, Any]]:
    content: dict[str, Any] = {"application/json": {"schema": schema}}
    if stream:
        content["text/event-stream"] = {"schema": {  # one event (OpenAPI 3.1)
            "type": "object", "required": ["data"],
            "properties": {"data": {"type": "string", "description": (
                "A `chat.completion.chunk` as JSON; the last event's data is `[DONE]`.")},
                "event": {"type": "string"}}}}
    return {200: {"description": description, "content": content}}


def chat_completions() -> RouteDoc:
    return RouteDoc(
        operation_id="chat_completions",
        summary="Make a song from a chat message (OpenAI's chat completions)",
        description="Submits a MUSIC task in description mode (charged and limited like "
                    "`POST /suno/submit/music`) and answers when it ends: the title, lyrics "
                    "and each clip's audio, video and cover links in markdown. With `stream` "
                    "the progress comes as server-sent chunks first.",
        responses={**_answer(_COMPLETION, "The song, in the assistant's message.", stream=True),
                   **caller_errors((400, ("invalid_request", "prompt_empty")),
                                   (403, ("account_disabled", "quota_not_enough")),
                                   (413, ("request_too_large",)),
                                   (503, ("no_available_channel", "service_unavailable")))},
        openapi_extra={"security": TOKEN, **body(_REQUEST)},
    )


def list_models() -> RouteDoc:
    return RouteDoc(
        operation_id="list_models",
        summary="The model names the chat route takes",
        description="`songgate` (the default model version) and every model version.",
        responses={**_answer(_MODEL_LIST, "songgate's models."), **caller_errors()},
        openapi_extra={"security": TOKEN},
    )
