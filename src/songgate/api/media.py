"""Serving rendered media: content types, range requests, long-lived caching.

Media URLs carry the clip's random id and are public, as Suno's CDN URLs are.
Whichever store keeps them, the URL is the same; the store says how to answer:
a local file, a relayed object, or a short-lived redirect to the object store.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import FileResponse, RedirectResponse, Response, StreamingResponse

from songgate.api import openapi as docs
from songgate.errors import RouteNotFound
from songgate.media.base import CACHE_FOREVER, LocalFile, MediaBackend, Redirect, Served


def _response(served: Served) -> Response:
    if isinstance(served, LocalFile):
        return FileResponse(
            served.path, media_type=served.content_type, headers={"Cache-Control": CACHE_FOREVER}
        )
    if isinstance(served, Redirect):
        return RedirectResponse(
            served.url, status_code=302, headers={"Cache-Control": served.cache_control}
        )
    if served.body is None:
        return Response(status_code=served.status, headers=served.headers)
    return StreamingResponse(served.body, status_code=served.status, headers=served.headers)


def media_router(media: MediaBackend) -> APIRouter:
    router = APIRouter()

    @router.api_route("/media/{name}", methods=["GET", "HEAD"], **docs.media_file())
    async def media_file(name: str, request: Request) -> Response:
        served = await media.serve(
            name, request.headers.get("range"), head=request.method == "HEAD"
        )
        if served is None:
            raise RouteNotFound("no such media file")
        return _response(served)

    return router
