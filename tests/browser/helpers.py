"""Steps the browser tests share."""

from __future__ import annotations

from typing import Any

from tests.support.server import Process


def sign_in(page: Any, server: Process, *, remember: bool = False) -> None:
    page.goto(server.url + "/")
    page.get_by_label("API token").fill(server.token)
    if remember:
        page.get_by_label("Keep me signed in on this device").check()
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Your tasks").wait_for()


def card(page: Any, task_id: str) -> Any:
    """The list item of one task."""
    return page.locator(f'li[data-task-id="{task_id}"]')


def stored_tokens(page: Any) -> list[str]:
    found: list[str] = page.evaluate(
        "() => [sessionStorage, localStorage].flatMap(s => Object.keys(s).map(k => s[k]))")
    return found
