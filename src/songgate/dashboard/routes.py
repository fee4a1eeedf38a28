"""Serving the dashboard: the page at ``/`` and its assets under ``/dashboard/``.

The page is static HTML (the model list filled in once, at start); everything
it shows comes from the API in the browser with the person's own token.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from html import escape
from pathlib import Path

from fastapi import FastAPI
from starlette.responses import HTMLResponse, Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

from songgate.dashboard.policy import content_security_policy
from songgate.domain.models import DEFAULT_MV, MODEL_VERSIONS

HERE = Path(__file__).resolve().parent
STATIC = HERE / "static"
MODEL_OPTIONS_MARK = "<!-- model options -->"


def model_options() -> str:
    return "".join(
        f'<option value="{escape(mv)}"{" selected" if mv == DEFAULT_MV else ""}>'
        f"{escape(mv)} ({escape(model.major_model_version)})</option>"
        for mv, model in MODEL_VERSIONS.items()
    )


def page_html() -> bytes:
    template = (HERE / "index.html").read_text(encoding="utf-8")
    return template.replace(MODEL_OPTIONS_MARK, model_options()).encode("utf-8")


def page_headers(media_origins: Sequence[str]) -> dict[str, str]:
    """The page's headers; its policy lets audio and images come from ``media_origins``."""
    return {
        "Content-Security-Policy": content_security_policy(media_origins),
        "Cache-Control": "no-cache",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
    }


class Assets(StaticFiles):
    """The page's scripts, styles and icon; revalidated on each load so an upgrade shows at once."""

    def file_response(
        self, full_path: str | os.PathLike[str], stat_result: os.stat_result, scope: Scope,
        status_code: int = 200,
    ) -> Response:
        response = super().file_response(full_path, stat_result, scope, status_code)
        response.headers["Cache-Control"] = "no-cache"
        response.headers["X-Content-Type-Options"] = "nosniff"
        return response


def install_dashboard(app: FastAPI, media_origins: Sequence[str]) -> None:
    body = page_html()
    headers = page_headers(media_origins)

    @app.api_route("/", methods=["GET", "HEAD"], include_in_schema=False)
    async def dashboard() -> Response:
        return HTMLResponse(body, headers=headers)

    app.mount("/dashboard", Assets(directory=STATIC), name="dashboard")
