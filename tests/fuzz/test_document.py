"""The document itself: every route in it, each answer an envelope, the seed's example valid."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import jsonschema_rs
from fastapi.routing import APIRoute, iter_route_contexts

from songgate.api.app import create_app
from songgate.api.openapi_schemas import components
from songgate.wiring import Services

SEED_EXAMPLE = Path(__file__).parents[1] / "e2e" / "fetch_response_example.json"
METHODS = {"get", "head", "post", "put", "patch", "delete"}


def operations(document: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {(method.upper(), path): operation for path, item in document["paths"].items()
            for method, operation in item.items() if method in METHODS}


def api_routes(services: Services) -> dict[tuple[str, str], bool]:
    """(method, path) of every API route of the app, and whether it is in the schema."""
    return {(method, context.path): bool(context.include_in_schema)
            for context in iter_route_contexts(create_app(services).routes)
            if isinstance(context.original_route, APIRoute) for method in context.methods}


async def test_every_route_is_described(client: httpx.AsyncClient, services: Services) -> None:
    served = (await client.get("/openapi.json")).json()
    routes = api_routes(services)
    hidden = {route for route, shown in routes.items() if not shown}
    assert hidden == {("GET", "/"), ("HEAD", "/"), ("POST", "/suno/submit/{action}")}
    submit = {("POST", "/suno/submit/music"), ("POST", "/suno/submit/lyrics"),
              ("POST", "/suno/submit/concat")}
    assert set(operations(served)) == set(routes) - hidden | submit
    assert not any(path.startswith("/admin") for _, path in routes)  # no admin token here


async def test_every_answer_is_described_as_an_envelope(client: httpx.AsyncClient) -> None:
    served = (await client.get("/openapi.json")).json()
    for (method, path), operation in operations(served).items():
        assert "security" in operation and operation["operationId"], (method, path)
        assert "422" not in operation["responses"], (method, path)
        for status, response in operation["responses"].items():
            # files, metrics, and OpenAI's own shapes on the chat routes (/v1/...)
            if status.startswith("2") and path.startswith(("/media", "/metrics", "/v1/")):
                continue
            if status in ("206", "302", "416"):
                continue
            envelope = response["content"]["application/json"]["schema"]
            assert envelope.get("additionalProperties") is False, (method, path, status)
            message = "msg" if path.startswith("/api/v1/") else "message"  # sunoapi.org's
            assert envelope["required"] == ["code", message, "data"], (method, path, status)
            if status.startswith(("4", "5")):
                data = envelope["properties"]["data"]
                assert data == {"type": "null"} or status == "429", (method, path, status)


def test_the_contracts_own_example_is_a_valid_task() -> None:
    validator = jsonschema_rs.validator_for(
        {"$ref": "#/components/schemas/TaskDto", "components": {"schemas": components()}})
    example = json.loads(SEED_EXAMPLE.read_text(encoding="utf-8"))
    for task in example["data"]:
        errors = [error.message for error in validator.iter_errors(task)]
        assert not errors, errors


DOCUMENT_BYTES = """
import hashlib, sys, orjson
from songgate.api.app import create_app
from songgate.config import Settings
from songgate.wiring import Services
app = create_app(Services.build(Settings(data_dir=sys.argv[1])))
sys.stdout.write(hashlib.sha256(orjson.dumps(app.openapi())).hexdigest())
"""


def test_the_document_is_the_same_bytes_in_every_process(tmp_path: Path) -> None:
    """Route methods live in sets, whose order follows the hash seed; the document may not."""
    digests = set()
    for seed in ("1", "2", "3", "4"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        found = subprocess.run([sys.executable, "-c", DOCUMENT_BYTES, str(tmp_path / seed)],
                               env=env, capture_output=True, text=True, check=True)
        digests.add(found.stdout)
    assert len(digests) == 1
