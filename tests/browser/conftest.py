"""Headless Debian chromium, driven by Playwright, against a real ``songgate serve``.

The browser is the system's (``/usr/bin/chromium``); Playwright never downloads
one. Without it these tests skip, unless ``SONGGATE_TEST_REQUIRE_BROWSER=1``
(as ``scripts/test`` sets), where a missing browser is a failure.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.server import REPO, Process, free_port, start

CHROMIUM = os.environ.get("SONGGATE_TEST_CHROMIUM", "/usr/bin/chromium")
REQUIRE_BROWSER = os.environ.get("SONGGATE_TEST_REQUIRE_BROWSER") == "1"
SCREENSHOTS = REPO / "artifacts" / "screenshots"
# The machine may have no network at all: without these, chromium waits on connections.
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--autoplay-policy=no-user-gesture-required",
]


if importlib.util.find_spec("playwright") is None and not REQUIRE_BROWSER:
    collect_ignore_glob = ["test_*.py"]  # nothing to drive a browser with: skip the lot


def _unavailable(reason: str) -> None:
    if REQUIRE_BROWSER:
        pytest.fail(f"{reason}, but SONGGATE_TEST_REQUIRE_BROWSER=1 requires the browser tests")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One chromium per module: Playwright's sync API holds an event loop while it runs,
    which must be gone again before the asyncio tests of other modules start."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright is not installed (pip install -e '.[test]')")
    if not (os.access(CHROMIUM, os.X_OK) or shutil.which(CHROMIUM)):
        _unavailable(f"no chromium at {CHROMIUM} (apt-get install chromium)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Process]:
    process = start("serve", tmp_path_factory.mktemp("dashboard"), port=free_port())
    yield process
    process.stop()


class PageProblems:
    """What the page reported that it never should: script errors, blocked loads."""

    def __init__(self, page: Any) -> None:
        self.errors: list[str] = []
        page.on("pageerror", lambda error: self.errors.append(f"page error: {error}"))
        page.on("console", self._console)

    def _console(self, message: Any) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            self.errors.append(f"blocked: {message.text}")


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh browser profile (no storage) and tab per test, checked for page errors."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    opened = context.new_page()
    problems = PageProblems(opened)
    yield opened
    context.close()
    assert not problems.errors, problems.errors


def screenshot(target: Any, name: str, *, full_page: bool = False) -> Path:
    """Keep a picture of a page (or one element) as a test artifact."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    if full_page:
        target.screenshot(path=str(path), full_page=True)
    else:
        target.screenshot(path=str(path))
    assert path.stat().st_size > 1000
    return path
