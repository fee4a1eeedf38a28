"""Signing in and out of the dashboard, in headless chromium against a real songgate."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from playwright.sync_api import expect

from tests.browser.conftest import screenshot
from tests.browser.helpers import sign_in, stored_tokens
from tests.support.server import Process, free_port, start


def test_a_wrong_token_is_refused_with_a_message_then_the_right_one_signs_in(
    page: Any, server: Process
) -> None:
    page.goto(server.url + "/")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    expect(page.locator("#workspace")).to_be_hidden()
    screenshot(page, "signed-out")
    page.get_by_label("API token").fill("sk-" + "0" * 40)
    page.get_by_role("button", name="Sign in").click()
    alert = page.get_by_role("alert")
    expect(alert).to_have_text("That token was not accepted: the token is not valid.")
    expect(page.locator("#workspace")).to_be_hidden()
    assert stored_tokens(page) == []
    page.get_by_label("API token").fill(server.token)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Your tasks")).to_be_visible()
    expect(page.locator("#session-hint")).to_have_text(f"Signed in with sk-…{server.token[-4:]}")
    assert stored_tokens(page) == [server.token]
    assert page.evaluate("() => localStorage.length") == 0  # this tab only, unless asked


def test_signing_in_works_from_the_keyboard_with_visible_focus(
    page: Any, server: Process
) -> None:
    page.goto(server.url + "/")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()

    def focused() -> tuple[str, str]:
        found: list[str] = page.evaluate(
            "() => [document.activeElement.id, getComputedStyle(document.activeElement)"
            ".outlineStyle]")
        return found[0], found[1]

    assert focused()[0] == "token"  # the page starts where the token goes
    page.keyboard.type(server.token)
    page.keyboard.press("Tab")
    assert focused() == ("remember", "solid")
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    assert focused() == ("sign-in-button", "solid")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Your tasks")).to_be_visible()
    assert page.evaluate("() => localStorage.length") == 1  # the box ticked from the keyboard


def test_an_unreachable_server_gets_a_clear_message(page: Any, tmp_path: Path) -> None:
    lonely = start("serve", tmp_path / "lonely", port=free_port())
    page.goto(lonely.url + "/")
    expect(page.get_by_label("API token")).to_be_visible()
    lonely.stop()
    page.get_by_label("API token").fill(lonely.token)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text(
        f"Could not reach songgate at {lonely.url}. Check that the server is running")
    assert stored_tokens(page) == []


def test_sign_out_forgets_the_token_which_never_appears_in_a_url(
    page: Any, server: Process
) -> None:
    seen: list[str] = []
    page.on("request", lambda request: seen.append(request.url))
    page.on("framenavigated", lambda frame: seen.append(frame.url))
    sign_in(page, server, remember=True)
    assert page.evaluate("() => localStorage.length") == 1
    page.reload()  # a remembered token survives a reload
    expect(page.get_by_role("heading", name="Your tasks")).to_be_visible()
    page.get_by_label("Lyrics", exact=True).fill("words of the last person")
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("alert")).to_have_text("You are signed out.")
    expect(page.locator("#workspace")).to_be_hidden()
    assert stored_tokens(page) == []
    assert page.get_by_label("API token").input_value() == ""
    assert page.locator("#custom-prompt").input_value() == ""  # the form is left empty
    page.reload()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    assert len(seen) > 5 and all(server.token not in url for url in [*seen, page.url])
    assert any("/songgate/tasks" in url for url in seen)
