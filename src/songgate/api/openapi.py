"""songgate's OpenAPI document (``/openapi.json``): every operation, exactly.

Routes answer plain Responses (a fetch splices stored TaskDto bytes into the
envelope), so FastAPI sees nothing of what they send. Each route takes its
documentation from here (``@router.get(..., **docs.fetch_task())``) and
:func:`install_openapi` completes the document: the shared schemas, the two
bearer schemes, the submit route shown as the two operations clients call, and
without the 422 FastAPI would list (songgate answers validation errors with 400).
"""

from __future__ import annotations

import warnings
from typing import Any, TypedDict

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from songgate.api import openapi_schemas as schemas
from songgate.api.openapi_schemas import Schema, nullable, ref
from songgate.api.sunoapi.errors import speaks_sunoapi
from songgate.domain import listing
from songgate.domain.credits import Reason
from songgate.domain.status import Action, TaskStatus
from songgate.media.names import CONTENT_TYPES


class RouteDoc(TypedDict, total=False):
    operation_id: str
    summary: str
    description: str
    responses: dict[int | str, dict[str, Any]]
    openapi_extra: dict[str, Any]


TOKEN: list[dict[str, list[str]]] = [{"token": []}]
ADMIN: list[dict[str, list[str]]] = [{"adminToken": []}]
PUBLIC: list[dict[str, list[str]]] = []

SECURITY_SCHEMES = {
    "token": {"type": "http", "scheme": "bearer",
              "description": "A songgate token (`sk-...`): `songgate tokens create`."},
    "adminToken": {"type": "http", "scheme": "bearer",
                   "description": "The operator's SONGGATE_ADMIN_TOKEN."},
}

_WHY = {
    400: "The request is not valid; the message says which field and why.",
    401: "No token, or one that is malformed, unknown, expired or revoked.",
    403: "The account is disabled, or its credits do not cover the task.",
    404: "Not found (for tasks: or not the caller's, which is never revealed).",
    413: "The body is larger than SONGGATE_MAX_BODY_BYTES.",
    414: "The URL is longer than songgate reads.",
    429: "Over this token's request or in-flight limit, or this address offered too many bad "
         "tokens; come back after Retry-After seconds.",
    431: "The request's headers are larger than SONGGATE_MAX_HEADER_BYTES.",
    500: "An unexpected error: the answer says nothing more, the log keeps the details.",
    503: "The database is not reachable, or no channel can run this task now.",
}
_RETRY_AFTER = {"description": "Seconds to wait before trying again.",
                "schema": {"type": "string", "pattern": "^[1-9][0-9]*$"}}
_HEADERS: dict[int, dict[str, Any]] = {
    401: {"WWW-Authenticate": {"required": True, "schema": {"const": "Bearer"}}},
    429: {"Retry-After": {**_RETRY_AFTER, "required": True}},
    503: {"Retry-After": _RETRY_AFTER},
}
_RETRY_DATA = {"type": "object", "required": ["retry_after"], "additionalProperties": False,
               "properties": {"retry_after": {"type": "integer", "minimum": 1}}}

UNAUTHORIZED = ("unauthorized", "token_expired", "token_revoked")
UNAVAILABLE = ("service_unavailable",)


def envelope(data: Schema, code: Schema | None = None, message: Schema | None = None) -> Schema:
    return {
        "type": "object",
        "required": ["code", "message", "data"],
        "additionalProperties": False,
        "properties": {"code": code or {"const": "success"},
                       "message": message or {"const": ""}, "data": data},
    }


def _json(schema: Schema) -> dict[str, Any]:
    return {"content": {"application/json": {"schema": schema}}}


def success(data: Schema, description: str) -> dict[int | str, dict[str, Any]]:
    return {200: {"description": description, **_json(envelope(data))}}


def error(status: int, *codes: str) -> dict[int | str, dict[str, Any]]:
    """The error envelope with one of ``codes``: ``data`` is null (429: when to retry)."""
    data = _RETRY_DATA if status == 429 else {"type": "null"}
    answer = envelope(data, {"enum": list(codes)}, {"type": "string", "minLength": 1})
    response: dict[str, Any] = {"description": _WHY[status], **_json(answer)}
    if status in _HEADERS:
        response["headers"] = _HEADERS[status]
    return {status: response}


def errors(*entries: tuple[int, tuple[str, ...]]) -> dict[int | str, dict[str, Any]]:
    found: dict[int | str, dict[str, Any]] = {}
    for status, codes in entries:
        found.update(error(status, *codes))
    return found


def caller_errors(*extra: tuple[int, tuple[str, ...]]) -> dict[int | str, dict[str, Any]]:
    """What every token route may answer besides its own errors (``api/caller.py``)."""
    return errors((401, UNAUTHORIZED), (403, ("account_disabled",)), (429, ("rate_limited",)),
                  (500, ("internal_error",)), (503, UNAVAILABLE), *extra)


def body(schema: Schema) -> dict[str, Any]:
    return {"requestBody": {"required": True, **_json(schema)}}


def linked(
    answer: dict[int | str, dict[str, Any]], links: dict[str, Any]
) -> dict[int | str, dict[str, Any]]:
    """A success answer with the operations its data leads to (OpenAPI links)."""
    return {status: {**response, "links": links} for status, response in answer.items()}


FETCH_SUBMITTED = {"FetchTask": {
    "operationId": "fetch_task", "parameters": {"task_id": "$response.body#/data"},
    "description": "Poll the new task."}}
NEXT_PAGE = {"NextPage": {
    "operationId": "list_tasks", "parameters": {"before": "$response.body#/data/next"},
    "description": "The page after this one (while `next` is not null)."}}
ACCOUNT_NAMED = {"Account": {
    "operationId": "admin_account", "parameters": {"name": "$response.body#/data/0/name"},
    "description": "The first account listed."}}

_BODY_ERRORS = ((413, ("request_too_large",)),)
_SUBMIT_400 = ("invalid_request", "prompt_empty", "invalid_notify_hook", "invalid_model_version")
_SUBMIT_ERRORS = (
    (400, _SUBMIT_400), (403, ("account_disabled", "quota_not_enough")),
    (503, ("no_available_channel", *UNAVAILABLE)), *_BODY_ERRORS,
)
_SUBMIT_NOTE = (
    "The action in the path is case-insensitive (`/suno/submit/MUSIC` is the same "
    "operation); any other action answers 400 `action_not_supported`. The id is answered "
    "once the task is committed."
)
_TASK_ID = {"type": "string", "pattern": schemas.UUID_PATTERN}


def _submit(operation_id: str, summary: str, request: Schema,
            extra: tuple[tuple[int, tuple[str, ...]], ...] = ()) -> dict[str, Any]:
    return {"post": {
        "operationId": operation_id,
        "summary": summary,
        "description": _SUBMIT_NOTE,
        "security": TOKEN,
        **body(request),
        "responses": {str(status): answer for status, answer in {
            **linked(success(_TASK_ID, "The new task's id."), FETCH_SUBMITTED),
            **caller_errors(*_SUBMIT_ERRORS, *extra),
        }.items()},
    }}


def submit_paths() -> dict[str, Any]:
    """``POST /suno/submit/{action}`` as clients see it: one operation per action."""
    return {
        "/suno/submit/music": _submit("submit_music", "Submit a MUSIC task (two clips)",
                                      schemas.music_or_stem_request(),
                                      extra=((404, ("persona_not_exist", "clip_not_exist")),
                                             (400, (*_SUBMIT_400, "clip_action_refused")))),
        "/suno/submit/lyrics": _submit("submit_lyrics", "Submit a LYRICS task",
                                       schemas.lyrics_request()),
        "/suno/submit/concat": _submit(
            "submit_concat", "Join an extension chain into one clip (CONCAT, one clip)",
            schemas.concat_request(), extra=((404, ("clip_not_exist",)),)),
    }


def fetch_tasks(max_ids: int) -> RouteDoc:
    tasks = {"type": "array", "maxItems": max_ids, "uniqueItems": True,
             "items": ref("TaskDto")}
    return RouteDoc(
        operation_id="fetch_tasks",
        summary="Fetch tasks by id, in the order given",
        description="Each task once; unknown ids and other accounts' tasks are left out.",
        responses={**success(tasks, "The caller's tasks among `ids`."),
                   **caller_errors((400, ("invalid_request",)), *_BODY_ERRORS)},
        openapi_extra={"security": TOKEN, **body(schemas.fetch_request(max_ids))},
    )


def fetch_task() -> RouteDoc:
    return RouteDoc(
        operation_id="fetch_task",
        summary="Fetch one task",
        responses={**success(ref("TaskDto"), "The task."),
                   **caller_errors((404, ("task_not_exist",)))},
        openapi_extra={"security": TOKEN},
    )


def _query(name: str, schema: Schema, description: str) -> Schema:
    """An optional query parameter; given empty, it is as if it were not given."""
    return {"name": name, "in": "query", "required": False, "allowEmptyValue": True,
            "schema": schema, "description": description}


def _status_list_pattern() -> str:
    """Status names in any ASCII case, separated by commas; blanks around and empty items."""
    name = "(" + "|".join(schemas.any_case(status.value) for status in TaskStatus) + ")"
    item = f"{schemas.SPACE}*({name}{schemas.SPACE}*)?"
    return f"^{item}(,{item})*$"


def list_tasks() -> RouteDoc:
    parameters = [
        _query("status", {"type": "string", "maxLength": listing.STATUS_MAX_LENGTH,
                          "pattern": _status_list_pattern()},
               "One status or several, comma-separated, any case."),
        _query("action", {"type": "string", "pattern": schemas.ACTION_PATTERN},
               f"{Action.names()}, any case."),
        _query("limit", {"type": "integer", "minimum": 1, "maximum": listing.MAX_LIMIT,
                         "default": listing.DEFAULT_LIMIT}, "Tasks per page."),
        _query("before", {"type": "string", "maxLength": listing.CURSOR_MAX_LENGTH,
                          "pattern": "^[A-Za-z0-9_-]*$"},
               "The `next` of the previous page."),
    ]
    return RouteDoc(
        operation_id="list_tasks",
        summary="The caller's tasks, newest first, a page at a time",
        description="Unknown or repeated parameters are refused (400), never ignored.",
        responses={**linked(success(ref("TaskPage"), "One page and the cursor of the next."),
                            NEXT_PAGE),
                   **caller_errors((400, ("invalid_request",)))},
        openapi_extra={"security": TOKEN, "parameters": parameters},
    )


def _status_data(word: str) -> Schema:
    return {"type": "object", "required": ["status"], "additionalProperties": False,
            "properties": {"status": {"const": word}}}


def healthz() -> RouteDoc:
    return RouteDoc(operation_id="healthz", summary="The process is alive",
                    responses={**success(_status_data("ok"), "Alive."),
                               **errors((500, ("internal_error",)))},
                    openapi_extra={"security": PUBLIC})


def readyz() -> RouteDoc:
    return RouteDoc(operation_id="readyz", summary="The database answers",
                    responses={**success(_status_data("ready"), "Ready."),
                               **errors((500, ("internal_error",)), (503, UNAVAILABLE))},
                    openapi_extra={"security": PUBLIC})


def metrics() -> RouteDoc:
    text = {"text/plain": {"schema": {"type": "string"}}}
    return RouteDoc(operation_id="metrics", summary="Prometheus metrics",
                    responses={200: {"description": "The text exposition format.",
                                     "content": text},
                               **errors((500, ("internal_error",)))},
                    openapi_extra={"security": PUBLIC})


def media_file() -> RouteDoc:
    binary = {"type": "string", "format": "binary"}
    files = {kind: {"schema": binary} for kind in sorted(set(CONTENT_TYPES.values()))}
    byte_range = {"name": "Range", "in": "header", "required": False,
                  "schema": {"type": "string"}, "description": "`bytes=start-end`."}
    return RouteDoc(
        operation_id="media_file",
        summary="A clip's media file (public, like Suno's CDN)",
        description="`name`: `{clip}.mp3`, `{clip}.mp4`, `image_{clip}.jpeg`, "
                    "`image_large_{clip}.jpeg`, `{clip}.wav` or `{clip}.mid`.",
        responses={
            200: {"description": "The file.", "content": files},
            206: {"description": "The range asked for.",
                  "content": {**files, "multipart/byteranges": {"schema": binary}}},
            302: {"description": "Fetch it from the object store (presigned URL).",
                  "headers": {"Location": {"required": True, "schema": {"type": "string"}}}},
            416: {"description": "The range lies outside the file.",
                  "content": {"text/plain": {"schema": {"type": "string", "maxLength": 0}}}},
            **errors((404, ("not_found",)), (500, ("internal_error",))),
        },
        openapi_extra={"security": PUBLIC, "parameters": [byte_range]},
    )


_ACCOUNT = {"name": {"type": "string"}, "id": {"type": "string"},
            "disabled": {"type": "boolean"}, "balance": {"type": "integer"}}


def _object(properties: Schema) -> Schema:
    return {"type": "object", "required": list(properties), "additionalProperties": False,
            "properties": properties}


def _admin(operation_id: str, summary: str, ok: dict[int | str, dict[str, Any]],
           *extra: tuple[int, tuple[str, ...]], **more: Any) -> RouteDoc:
    return RouteDoc(
        operation_id=operation_id, summary=summary,
        responses={**ok, **errors((401, ("unauthorized",)), (500, ("internal_error",)),
                                  (503, UNAVAILABLE), *extra)},
        openapi_extra={"security": ADMIN, **more},
    )


def admin_accounts() -> RouteDoc:
    return _admin("admin_accounts", "Accounts and their balances",
                  linked(success({"type": "array", "items": _object(_ACCOUNT)},
                                 "Every account."), ACCOUNT_NAMED))


def admin_account() -> RouteDoc:
    entry = _object({"task_id": nullable("string"), "amount": {"type": "integer"},
                     "reason": {"enum": [reason.value for reason in Reason]},
                     "note": {"type": "string"}, "created_at": {"type": "number"}})
    shown = _object({**_ACCOUNT, "ledger": {"type": "array", "items": entry}})
    return _admin("admin_account", "One account: balance and latest ledger entries",
                  success(shown, "The account."), (404, ("account_not_found",)))


def admin_topup() -> RouteDoc:
    request = {"type": "object", "required": ["amount"], "properties": {
        "amount": {"type": "integer", "minimum": -1_000_000_000, "maximum": 1_000_000_000,
                   "not": {"const": 0}},
        "note": {"type": "string", "maxLength": 200}}}
    return _admin(
        "admin_topup", "Add (or take away) credits",
        success(_object({"name": {"type": "string"}, "balance": {"type": "integer"}}),
                "The new balance."),
        (400, ("invalid_request",)), (403, ("quota_not_enough",)),
        (404, ("account_not_found",)), *_BODY_ERRORS, **body(request),
    )


def admin_deliveries() -> RouteDoc:
    attempt = _object({"attempt": {"type": "integer"}, "at": {"type": "number"},
                       "status_code": nullable("integer"), "error": {"type": "string"},
                       "duration_ms": {"type": "integer"}})
    delivery = _object({"id": {"type": "string"}, "event": {"type": "string"},
                        "state": {"type": "string"},
                        "attempts": {"type": "array", "items": attempt}})
    return _admin("admin_deliveries", "A task's webhook deliveries and attempts",
                  success({"type": "array", "items": delivery}, "Oldest first."))


# What every request may be answered before any route reads it: the request bounds
# (api/bounds.py) and, for requests that carry credentials, the bad-token guard.
BEFORE_ANY_ROUTE = ((400, "invalid_request"), (413, "request_too_large"),
                    (414, "url_too_long"), (429, "rate_limited"), (431, "headers_too_large"))


def _answered_before_routes(responses: dict[str, Any]) -> None:
    for status, code in BEFORE_ANY_ROUTE:
        refusal = error(status, code)[status]
        found = responses.setdefault(str(status), refusal)
        content = found.setdefault("content", {})
        json = content.setdefault("application/json", refusal["content"]["application/json"])
        codes: list[str] = json["schema"]["properties"]["code"]["enum"]
        if code not in codes:
            codes.append(code)


_METHOD_ORDER = ("get", "head", "post", "put", "patch", "delete", "options", "trace")


def _tidy(paths: dict[str, Any]) -> None:
    """Leave out what FastAPI adds that songgate never answers; name each operation once.

    FastAPI lists a 422 for routes with parameters (songgate answers 400) and an empty
    JSON schema for every 200 (songgate's media and metrics are not JSON); a route with
    two methods gets one id for both. FastAPI keeps a route's methods in a set, so they are
    put in one fixed order here: the document is the same bytes in every process.
    """
    seen: set[str] = set()
    for path, unordered in paths.items():
        item = dict(sorted(unordered.items(), key=lambda entry: _METHOD_ORDER.index(entry[0])))
        paths[path] = item
        for method, operation in item.items():
            responses = operation["responses"]
            responses.pop("422", None)
            if not speaks_sunoapi(path):  # that dialect's routes list their own
                _answered_before_routes(responses)
            content = responses.get("200", {}).get("content", {})
            if content.get("application/json", {}).get("schema") == {}:
                del content["application/json"]
            name = operation.get("operationId", "")
            if name in seen:
                operation["operationId"] = f"{name}_{method}"
            seen.add(name)


def install_openapi(app: FastAPI) -> None:
    """Serve the complete document at ``/openapi.json`` (built once, on first request)."""

    def document() -> dict[str, Any]:
        if app.openapi_schema is None:
            with warnings.catch_warnings():  # _tidy names GET and HEAD of a route apart
                warnings.filterwarnings("ignore", "Duplicate Operation ID")
                found = get_openapi(title=app.title, version=app.version,
                                    description=app.description, routes=app.routes)
            found["paths"] = {**submit_paths(), **found["paths"]}
            _tidy(found["paths"])
            components = found.setdefault("components", {})
            components["schemas"] = schemas.components()
            components["securitySchemes"] = SECURITY_SCHEMES
            app.openapi_schema = found
        return app.openapi_schema

    app.openapi = document  # type: ignore[method-assign]
