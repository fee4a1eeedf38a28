"""The app factory: settings and stores come in, nothing is built at import time."""

from __future__ import annotations

from fastapi import FastAPI
from starlette.types import ASGIApp, Receive, Scope, Send

from songgate import __version__
from songgate.api.admin import admin_router
from songgate.api.bad_tokens import BadTokenGuard
from songgate.api.bounds import RequestBounds
from songgate.api.chat import chat_router
from songgate.api.clip_actions import clip_actions_router
from songgate.api.errors import install_error_handlers
from songgate.api.hot import HotRoutes
from songgate.api.listing import songgate_router
from songgate.api.media import media_router
from songgate.api.middleware import Edge
from songgate.api.openapi import install_openapi
from songgate.api.ops import ops_router
from songgate.api.personas import persona_router
from songgate.api.routes import suno_router
from songgate.api.sunoapi.routes import sunoapi_router
from songgate.api.uploads import is_upload_target, upload_router
from songgate.dashboard.routes import install_dashboard
from songgate.domain.bad_tokens import BadTokenRule
from songgate.domain.client_address import trusted_networks
from songgate.domain.cors import CorsPolicy
from songgate.service.bad_tokens import BadTokenLimiter
from songgate.wiring import Services, media_origins


class SonggateApp(FastAPI):
    """FastAPI, with the hot routes (:mod:`songgate.api.hot`) answered before its layers."""

    hot: HotRoutes | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        hot = self.hot
        if hot is not None and await hot.serve(scope, receive, send):
            return
        await super().__call__(scope, receive, send)


def create_app(services: Services) -> FastAPI:
    settings = services.settings
    app = SonggateApp(
        title="songgate",
        version=__version__,
        description="Self-hosted, Suno-compatible music-generation tasks.",
        redirect_slashes=False,  # every answer is an envelope, never a bare redirect
        # FastAPI's own OpenTelemetry hooks would ask for providers on every request;
        # songgate's metrics are its Prometheus registry.
        telemetry={"tracing": False, "metrics": False, "logs": False},
    )
    app.state.services = services
    app.include_router(suno_router(services))
    app.include_router(clip_actions_router(services))
    app.include_router(persona_router(services))
    app.include_router(sunoapi_router(services))
    app.include_router(chat_router(services))
    app.include_router(upload_router(services))
    app.include_router(songgate_router(services))
    app.include_router(ops_router(services))
    app.include_router(media_router(services.media))
    if settings.admin_token.get_secret_value():
        app.include_router(admin_router(services))
    install_dashboard(app, media_origins(settings))
    install_error_handlers(app)
    install_openapi(app)
    app.state.bad_tokens = BadTokenLimiter(
        BadTokenRule(settings.bad_token_max_failures, settings.bad_token_window_seconds),
        services.clock, max_addresses=settings.bad_token_max_addresses,
    )
    guard = BadTokenGuard(app.state.bad_tokens, trusted_networks(settings.trusted_proxies))
    bounds = RequestBounds(max_header_bytes=settings.max_header_bytes,
                           max_body_bytes=settings.max_body_bytes,
                           own_bound=is_upload_target)
    policy = CorsPolicy.of(settings.cors_allowed_origins)

    def edge(inner: ASGIApp) -> Edge:  # request id, logs, headers, CORS, bounds, guard
        return Edge(inner, metrics=services.metrics, bounds=bounds, guard=guard, cors=policy)

    app.add_middleware(Edge, metrics=services.metrics, bounds=bounds, guard=guard, cors=policy)
    app.hot = HotRoutes(services, edge)
    return app
