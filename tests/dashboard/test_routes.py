"""The dashboard page and its assets as the app serves them, and what they must never do."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import httpx

from songgate.config import Settings
from songgate.dashboard.policy import content_security_policy
from songgate.dashboard.routes import STATIC, page_headers
from songgate.domain.models import MODEL_VERSIONS
from songgate.wiring import media_origins
from tests.api.test_errors import assert_error


class Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, dict[str, str | None]]] = []
        self.inline_script = False
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.inline_script = True

    def all(self, tag: str) -> list[dict[str, str | None]]:
        return [attrs for name, attrs in self.found if name == tag]


async def test_the_page_is_served_at_the_root_with_a_strict_policy(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get("/", headers={"Authorization": ""})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    policy = response.headers["content-security-policy"]
    assert "script-src 'self';" in policy and "default-src 'none'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "media-src 'self' https:" in policy and "img-src 'self' https:" in policy
    assert "form-action 'none'" in policy and "frame-ancestors 'none'" in policy
    assert response.headers["x-content-type-options"] == "nosniff"
    page = Tags()
    page.feed(response.text)
    assert not page.inline_script
    assert [s["src"] for s in page.all("script")] == ["/dashboard/app.js"]
    assert {"name": "viewport", "content": "width=device-width, initial-scale=1"} in page.all(
        "meta")
    options = [o["value"] for o in page.all("option")]
    assert all(mv in options for mv in MODEL_VERSIONS)
    head = await client.head("/")
    assert head.status_code == 200 and head.content == b""


async def test_every_form_control_has_a_label(client: httpx.AsyncClient) -> None:
    page = Tags()
    page.feed((await client.get("/")).text)
    labelled = {attrs["for"] for attrs in page.all("label")}
    controls = [attrs for tag, attrs in page.found if tag in ("input", "select", "textarea")]
    assert controls and all(attrs["id"] in labelled for attrs in controls)


async def test_assets_are_served_and_unknown_paths_stay_404_envelopes(
    client: httpx.AsyncClient,
) -> None:
    for name, kind in [("app.js", "javascript"), ("style.css", "text/css"),
                       ("icon.svg", "image/svg+xml")]:
        response = await client.get(f"/dashboard/{name}")
        assert response.status_code == 200 and kind in response.headers["content-type"]
        assert response.headers["x-content-type-options"] == "nosniff"
    for path in ["/dashboard/missing.js", "/dashboard/", "/dashboard", "/nothing",
                 "/dashboard/../pyproject.toml", "/index.html"]:
        assert_error(await client.get(path), 404, "not_found")
    assert_error(await client.post("/"), 405, "method_not_allowed")


def test_the_policy_lets_media_come_from_the_configured_hosts(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, public_url="http://music.lan:8000/",
                        media_backend="s3", s3_bucket="b",
                        s3_endpoint_url="http://minio.lan:9000/base")
    policy = page_headers(media_origins(settings))["Content-Security-Policy"]
    media = "'self' https: http://minio.lan:9000 http://music.lan:8000"
    assert f"img-src {media};" in policy and f"media-src {media};" in policy
    assert "javascript:" not in content_security_policy(["javascript:alert(1)", "data:x"])


def test_scripts_never_write_html() -> None:
    """Task data (titles, lyrics) is user input: it may only become text nodes."""
    scripts = list(STATIC.glob("*.js"))
    assert len(scripts) >= 4
    forbidden = re.compile(r"innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(|"
                           r"new Function|createContextualFragment")
    for script in scripts:
        assert not forbidden.search(script.read_text()), script.name


def test_the_package_ships_the_dashboard() -> None:
    pyproject = (Path(__file__).resolve().parents[2] / "pyproject.toml").read_text()
    assert '"dashboard/index.html"' in pyproject and '"dashboard/static/*"' in pyproject
