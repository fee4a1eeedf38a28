"""The app factory: settings and stores come in, nothing is built at import time."""

from __future__ import annotations

from fastapi import FastAPI

from songgate import __version__
from songgate.api.admin import admin_router
from songgate.api.errors import install_error_handlers
from songgate.api.listing import songgate_router
from songgate.api.media import media_router
from songgate.api.middleware import RequestContextMiddleware
from songgate.api.ops import ops_router
from songgate.api.routes import suno_router
from songgate.dashboard.routes import install_dashboard
from songgate.services import Services


def create_app(services: Services) -> FastAPI:
    app = FastAPI(
        title="songgate",
        version=__version__,
        description="Self-hosted, Suno-compatible music-generation tasks.",
        redirect_slashes=False,  # every answer is an envelope, never a bare redirect
    )
    app.state.services = services
    app.include_router(suno_router(services))
    app.include_router(songgate_router(services))
    app.include_router(ops_router(services))
    app.include_router(media_router(services.media))
    if services.settings.admin_token.get_secret_value():
        app.include_router(admin_router(services))
    install_dashboard(app, services.settings)
    install_error_handlers(app)
    app.add_middleware(RequestContextMiddleware, metrics=services.metrics)
    return app
