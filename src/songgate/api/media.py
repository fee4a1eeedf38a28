"""Serving rendered media: content types, range requests, long-lived caching.

Media URLs carry the clip's random id and are public, as Suno's CDN URLs are.
Whichever store keeps them, the URL is the same; the store says how to answer:
a local file, a relayed object, or a short-lived redirect to the object store.
"""

from __future__ import annotations

import os

from fastapi import APIRouter, Request
from starlette.responses import (
    FileResponse,
    MalformedRangeHeader,
    RedirectResponse,
    Response,
    StreamingResponse,
)
from starlette.types import Receive, Scope, Send

from songgate.api import openapi as docs
from songgate.errors import RouteNotFound
from songgate.media.base import LocalFile, MediaBackend, Redirect, Served
from songgate.media.names import cache_control


class MediaFileResponse(FileResponse):
    """A file from the media directory. A Range header that cannot be read (another unit,
    bad syntax) is ignored and the whole file sent, as RFC 9110 allows (for an unknown
    unit, requires); the object store's proxy does the same."""

    @classmethod
    def _parse_range_header(cls, http_range: str, file_size: int) -> list[tuple[int, int]]:
        try:
            return super()._parse_range_header(http_range, file_size)
        except MalformedRangeHeader:
            return []  # no ranges: the whole file


class OpenedFileResponse(MediaFileResponse):
    """The file as it was when the request came: opened once, its length and its bytes
    both read from that open file. A clip's stream is replaced by a longer or a shorter
    file while listeners read it; a name looked up twice (once for the length, once for
    the bytes) could promise one file's length and send another's bytes."""

    def __init__(self, opened: int, *, media_type: str, headers: dict[str, str]) -> None:
        super().__init__(f"/proc/self/fd/{opened}", media_type=media_type, headers=headers)
        self._opened = opened

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await super().__call__(scope, receive, send)
        finally:
            os.close(self._opened)


def _response(served: Served, name: str) -> Response:
    if isinstance(served, LocalFile):
        try:
            opened = os.open(served.path, os.O_RDONLY)
        except FileNotFoundError:  # removed since the store found it
            raise RouteNotFound("no such media file") from None
        return OpenedFileResponse(opened, media_type=served.content_type,
                                  headers={"Cache-Control": cache_control(name)})
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
        return _response(served, name)

    return router
