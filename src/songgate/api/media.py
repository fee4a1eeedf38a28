"""Serving rendered media: content types, range requests, long-lived caching.

Media URLs carry the clip's random id and are public, as Suno's CDN URLs are.
"""

from __future__ import annotations

from fastapi import APIRouter
from starlette.responses import FileResponse, Response

from songgate.errors import RouteNotFound
from songgate.media.names import content_type
from songgate.media.store import MediaStore

CACHE_FOREVER = "public, max-age=31536000, immutable"


def media_router(media: MediaStore) -> APIRouter:
    router = APIRouter()

    @router.api_route("/media/{name}", methods=["GET", "HEAD"], summary="A clip's media file")
    async def media_file(name: str) -> Response:
        path = media.path(name)
        kind = content_type(name)
        if path is None or kind is None:
            raise RouteNotFound("no such media file")
        return FileResponse(path, media_type=kind, headers={"Cache-Control": CACHE_FOREVER})

    return router
