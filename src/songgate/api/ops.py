"""Liveness, readiness and metrics."""

from __future__ import annotations

import logging

from fastapi import APIRouter
from prometheus_client import CONTENT_TYPE_LATEST
from sqlalchemy.exc import SQLAlchemyError
from starlette.responses import Response

from songgate.api import openapi as docs
from songgate.api.envelope import error, success
from songgate.wiring import Services

log = logging.getLogger("songgate.api")


def ops_router(services: Services) -> APIRouter:
    router = APIRouter()

    @router.get("/healthz", **docs.healthz())
    async def healthz() -> Response:
        return success({"status": "ok"})

    @router.get("/readyz", **docs.readyz())
    async def readyz() -> Response:
        try:
            await services.tasks.count_by_status()
        except (SQLAlchemyError, OSError) as exc:
            log.warning("database not reachable", extra={"error": type(exc).__name__})
            return error(503, "service_unavailable", "the database is not reachable")
        return success({"status": "ready"})

    @router.get("/metrics", **docs.metrics())
    async def metrics() -> Response:
        try:
            services.metrics.set_task_counts(await services.tasks.count_by_status())
        except (SQLAlchemyError, OSError):
            log.warning("task counts unavailable for metrics")
        return Response(services.metrics.render(), media_type=CONTENT_TYPE_LATEST)

    return router
