"""``/suno/uploads/audio...``: a client's own audio as a clip, by URL or by file.

The file's bytes go to ``PUT /suno/uploads/audio/{id}/file`` (or ``POST``; either as the
body, or as the ``file`` field of a multipart form, as a presigned POST takes them): the id,
answered only to the account that began the upload, is the key (as a presigned URL is),
and the body is bounded by ``SONGGATE_UPLOAD_MAX_BYTES`` rather than the JSON bound.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from songgate.api import openapi_uploads as docs
from songgate.api.body import read_json
from songgate.api.caller import token_caller
from songgate.api.envelope import success
from songgate.errors import UploadRefused
from songgate.uploads.form import FORM_OVERHEAD, form_boundary, form_file
from songgate.wiring import Services

FILE_PATH = "/suno/uploads/audio/{upload_id}/file"


def is_upload_target(path: str) -> bool:
    """Whether ``path`` is an upload's target, whose body has its own bound."""
    return path.startswith("/suno/uploads/audio/") and path.endswith("/file") \
        and path.count("/") == 5


def upload_router(services: Services) -> APIRouter:
    router = APIRouter()
    caller = token_caller(services)
    uploads = services.uploads
    limit = services.settings.max_body_bytes

    async def from_url(request: Request) -> Response:
        _, account = await caller(request)
        return success(await uploads.from_url(account, await read_json(request, limit=limit)))

    async def begin(request: Request) -> Response:
        _, account = await caller(request)
        return success(await uploads.begin(account, await read_json(request, limit=limit)))

    async def receive(upload_id: str, request: Request) -> Response:
        most = uploads.settings.max_bytes
        content_type = request.headers.get("content-type", "")
        is_form = content_type.lower().startswith("multipart/")
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > most + (FORM_OVERHEAD if is_form else 0):
            raise UploadRefused(f"the file is too big: more than {most} bytes")
        if not is_form:
            return success(await uploads.receive(upload_id, request.stream()))
        boundary = form_boundary(content_type)
        return success(await uploads.receive(upload_id,
                                             form_file(request.stream(), boundary, most)))

    async def finish(upload_id: str, request: Request) -> Response:
        _, account = await caller(request)
        return success(await uploads.finish(account, upload_id))

    router.add_api_route("/suno/uploads/audio-url", from_url, methods=["POST"],
                         **docs.upload_url())
    router.add_api_route("/suno/uploads/audio", begin, methods=["POST"], **docs.begin_upload())
    router.add_api_route(FILE_PATH, receive, methods=["PUT", "POST"], **docs.upload_file())
    router.add_api_route("/suno/uploads/audio/{upload_id}/upload-finish", finish,
                         methods=["POST"], **docs.finish_upload())
    return router
