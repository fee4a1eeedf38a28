"""The persona route's part of the OpenAPI document (``POST /suno/persona/create/``)."""

from __future__ import annotations

from songgate.api.openapi import TOKEN, RouteDoc, body, caller_errors, success
from songgate.api.openapi import _query as query
from songgate.api.openapi_schemas import Schema, nullable
from songgate.api.openapi_schemas import body as body_schema
from songgate.domain.personas import CLIPS_MAX, PERSONA_BODY
from songgate.domain.submit import ID_MAX_LENGTH
from songgate.errors import InvalidRequest

_PERSONA: Schema = {
    "type": "object", "additionalProperties": False,
    "required": ["id", "name", "description", "root_clip_id", "clips", "is_public", "user_id",
                 "created_at", "persona_style"],
    "properties": {
        "id": {"type": "string"}, "name": {"type": "string"},
        "description": {"type": "string"}, "root_clip_id": {"type": "string"},
        "clips": {"type": "array", "items": {"type": "string"}},
        "is_public": {"type": "boolean"}, "user_id": {"type": "string"},
        "created_at": {"type": "number"},
        "persona_style": {
            "type": "object", "additionalProperties": False,
            "required": ["tags", "negative_tags", "vocal_gender"],
            "properties": {"tags": {"type": "string"}, "negative_tags": {"type": "string"},
                           "vocal_gender": {"enum": ["m", "f", None]}}},
    },
}


def persona_request() -> Schema:
    schema = body_schema(PERSONA_BODY, "A persona from a clip of the caller's.", [],
                         {"root_clip_id": "7e0c2f1a-9b8d-4c6e-8a2b-3d4f5e6a7b8c",
                          "name": "Night singer", "description": "soft, late", "clips": [],
                          "is_public": False})
    schema["properties"]["clips"] = nullable(
        "array", maxItems=CLIPS_MAX,
        items={"type": "string", "minLength": 1, "maxLength": ID_MAX_LENGTH},
        description="More clips of the caller's it is drawn from (the root is kept first).")
    return schema


LIST_MAX = 100
LIST_DEFAULT = 50


def list_limit(text: str | None) -> int:
    """The ``limit`` query parameter: a whole number 1..LIST_MAX, LIST_DEFAULT if absent."""
    if not text:  # absent, or given empty
        return LIST_DEFAULT
    if not (text.isascii() and text.isdigit() and len(text) <= 3 and 1 <= int(text) <= LIST_MAX):
        raise InvalidRequest(f"limit must be a whole number from 1 to {LIST_MAX}")
    return int(text)


def get_persona() -> RouteDoc:
    return RouteDoc(
        operation_id="get_persona", summary="One persona",
        description="The caller's own persona, or a public one; any other id is 404.",
        responses={**success(_PERSONA, "The persona."),
                   **caller_errors((404, ("persona_not_exist",)))},
        openapi_extra={"security": TOKEN},
    )


def list_personas() -> RouteDoc:
    return RouteDoc(
        operation_id="list_personas", summary="The caller's personas",
        description=f"The account's own personas, newest first, at most `limit` "
                    f"(1..{LIST_MAX}, default {LIST_DEFAULT}).",
        responses={**success({"type": "array", "items": _PERSONA, "maxItems": LIST_MAX},
                             "The personas."),
                   **caller_errors((400, ("invalid_request",)))},
        openapi_extra={"security": TOKEN, "parameters": [
            query("limit", {"type": "integer", "minimum": 1, "maximum": LIST_MAX,
                            "default": LIST_DEFAULT}, "Personas at most.")]},
    )


def create_persona(*, slash: bool = True) -> RouteDoc:
    """The route as gateways document it (with its slash), or the same without it."""
    return RouteDoc(
        operation_id="create_persona" if slash else "create_persona_unslashed",
        summary="Keep a clip's singer and style as a persona"
                + ("" if slash else " (the same, without the slash)"),
        description="Answered at once. `persona_id` on a later MUSIC submit sings and "
                    "arranges new lyrics the same way. Only clips this server's engine made "
                    "can be kept (400 otherwise); an unknown or foreign clip is 404. Price "
                    "key `ACT/persona`, charged only when created.",
        responses={**success(_PERSONA, "The new persona."),
                   **caller_errors((400, ("invalid_request", "prompt_empty")),
                                   (403, ("account_disabled", "quota_not_enough")),
                                   (404, ("clip_not_exist",)), (413, ("request_too_large",)))},
        openapi_extra={"security": TOKEN, **body(persona_request())},
    )
