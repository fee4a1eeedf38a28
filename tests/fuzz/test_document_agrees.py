"""The OpenAPI document says exactly what the parsers accept.

Checked with the validator schemathesis uses. A body the document allows parses,
and a body it forbids is refused: the fuzzer's
"refuse what the schema forbids" check stays true, and clients generated from the
document send nothing the service refuses. Where a rule is more than a schema can
say (which URLs parse), the document is the looser of the two, never the stricter.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import jsonschema_rs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from songgate.api import openapi_schemas
from songgate.api.openapi import list_tasks
from songgate.domain.body_fields import NumberField, PerModel, TextField
from songgate.domain.fetch import parse_fetch
from songgate.domain.listing import Cursor, parse_list_query
from songgate.domain.models import DEFAULT_MV, MODEL_VERSIONS
from songgate.domain.submit import MUSIC_BODY, parse_lyrics, parse_music
from songgate.errors import InvalidRequest
from tests.domain.test_parsing_properties import (
    MUSIC_FIELDS,
    fetch_bodies,
    lyrics_bodies,
    music_bodies,
    param_values,
    status_lists,
)

MAX_IDS = 4


def accepts(parse: Callable[[Any], object], body: Any) -> bool:
    try:
        parse(body)
    except InvalidRequest:
        return False
    return True


def storable(value: Any) -> bool:
    """What a JSON body can carry to a parser: no lone surrogates (the decoder refuses them)."""
    if isinstance(value, str):
        return not any(0xD800 <= ord(ch) <= 0xDFFF for ch in value)
    if isinstance(value, list):
        return all(map(storable, value))
    if isinstance(value, dict):
        return all(storable(k) and storable(v) for k, v in value.items())
    return True


def beyond_a_schema(body: Any) -> bool:
    """A hook URL the parser refuses for what only parsing it shows; a span to replace,
    whose ends go together and with a clip (rules the document's generator cannot carry)."""
    hook = body.get("notify_hook") if isinstance(body, dict) else None
    span = isinstance(body, dict) and any(
        body.get(name) is not None for name in ("infill_start_s", "infill_end_s"))
    return span or (isinstance(hook, str) and (
        "[" in hook or "]" in hook or not hook.strip().isprintable()))


def agree(schema: dict[str, Any], parse: Callable[[Any], object], body: Any) -> None:
    if not storable(body):
        return
    allowed = jsonschema_rs.validator_for(schema).is_valid(body)
    parsed = accepts(parse, body)
    assert allowed or not parsed, f"the document forbids a body that parses: {body!r}"
    assert parsed or not allowed or beyond_a_schema(body), (
        f"the document allows a body that is refused: {body!r}")


@settings(max_examples=400, deadline=None)
@given(body=music_bodies | st.fixed_dictionaries(
    {"gpt_description_prompt": st.just("rain")},
    optional={k: v for k, v in MUSIC_FIELDS.items() if k != "gpt_description_prompt"}))
def test_music_bodies(body: Any) -> None:
    agree(openapi_schemas.music_request(), parse_music, body)


@settings(max_examples=200, deadline=None)
@given(body=lyrics_bodies)
def test_lyrics_bodies(body: Any) -> None:
    agree(openapi_schemas.lyrics_request(), parse_lyrics, body)


@settings(max_examples=200, deadline=None)
@given(body=fetch_bodies)
def test_fetch_bodies(body: Any) -> None:
    agree(openapi_schemas.fetch_request(MAX_IDS),
          lambda raw: parse_fetch(raw, max_ids=MAX_IDS), body)


def _parameter_schemas() -> dict[str, dict[str, Any]]:
    return {p["name"]: p["schema"] for p in list_tasks()["openapi_extra"]["parameters"]}


def _wire_allowed(schema: dict[str, Any], value: str) -> bool:
    """A query value as the document reads it: empty is allowed, digits are a number."""
    if value == "":
        return True
    decoded: object = int(value) if value.isascii() and value.isdigit() else value
    return jsonschema_rs.validator_for(schema).is_valid(decoded)


@pytest.mark.parametrize("name", ["status", "action", "limit", "before"])
@settings(max_examples=150, deadline=None)
@given(value=param_values | status_lists() | st.just("SUCCESS," * 40)
       | st.builds(lambda t: Cursor(t, "x").encode(), st.floats(allow_nan=False)))
def test_list_parameters(name: str, value: str) -> None:
    if not storable(value):
        return
    allowed = _wire_allowed(_parameter_schemas()[name], value)
    parsed = accepts(parse_list_query, [(name, value)])
    assert allowed or not parsed, f"{name}={value!r} is listed but forbidden"
    if name == "before":  # an opaque cursor: its text is all a schema can know of it
        return
    assert parsed or not allowed or len(value) > 6, f"{name}={value!r} is refused"


def _edges() -> list[tuple[str | None, str, Any]]:
    """Every bound a model version sets, for every model, at it and just past it."""
    cases: list[tuple[str | None, str, Any]] = []
    for mv in [None, *MODEL_VERSIONS]:
        model = MODEL_VERSIONS[mv or DEFAULT_MV]
        for field in MUSIC_BODY:
            if isinstance(field, TextField) and isinstance(field.max_length, PerModel):
                limit = field.max_length.of(model)
                cases += [(mv, field.name, "a" * limit), (mv, field.name, "a" * (limit + 1))]
            if isinstance(field, NumberField) and isinstance(field.maximum, PerModel):
                limit = field.maximum.of(model)
                cases += [(mv, field.name, limit), (mv, field.name, limit + 0.5)]
    assert {name for _, name, _ in cases} == {
        "prompt", "tags", "negative_tags", "title", "gpt_description_prompt", "continue_at"}
    return cases


@pytest.mark.parametrize(("mv", "name", "value"), _edges(),
                         ids=lambda v: f"{len(v)}" if isinstance(v, str) and len(v) > 9 else None)
def test_music_limits_per_model(mv: str | None, name: str, value: Any) -> None:
    body: dict[str, Any] = {"mv": mv, name: value}
    if name == "continue_at":
        body |= {"prompt": "la", "continue_clip_id": "c0ffee"}
    elif name != "gpt_description_prompt":
        body.setdefault("prompt", "la")
    agree(openapi_schemas.music_request(), parse_music, body)
