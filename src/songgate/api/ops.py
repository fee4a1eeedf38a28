"""Liveness, readiness and metrics."""

from __future__ import annotations

import logging

from fastapi import APIRouter
from prometheus_client import CONTENT_TYPE_LATEST
from starlette.responses import Response

from songgate.api import openapi as docs
from songgate.api.envelope import error, success
from songgate.errors import ServiceUnavailable
from songgate.wiring import Services

log = logging.getLogger("songgate.api")


def ops_router(services: Services) -> APIRouter:
    router = APIRouter()
    health = services.health

    @router.get("/healthz", **docs.healthz())
    async def healthz() -> Response:
        return success({"status": "ok"})

    @router.get("/readyz", **docs.readyz())
    async def readyz() -> Response:
        try:
            await health.check_ready()
        except ServiceUnavailable as exc:
            log.warning("database not reachable",
                        extra={"error": type(exc.__cause__ or exc).__name__})
            return error(503, exc.code, exc.message)
        return success({"status": "ready"})

    @router.get("/metrics", **docs.metrics())
    async def metrics() -> Response:
        counts = await health.task_counts()
        if counts is None:
            log.warning("task counts unavailable for metrics")
        else:
            services.metrics.set_task_counts(counts)
        return Response(services.metrics.render(), media_type=CONTENT_TYPE_LATEST)

    return router
