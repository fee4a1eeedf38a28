"""A cover asked for from a clip's tools in the dashboard, in headless chromium against a
real songgate: the new MUSIC task shows in the list and its clips name the song covered."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot
from tests.browser.helpers import card, sign_in
from tests.support.server import Process, api_data, free_port, start, wait_task

ROUTES = "MUSIC=scripted,LYRICS=scripted"


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Process]:
    process = start("serve", tmp_path_factory.mktemp("cover"), port=free_port(),
                    SONGGATE_ROUTES=ROUTES)
    yield process
    process.stop()


def test_a_clip_is_covered_in_other_tags(page: Any, engine: Process) -> None:
    task_id = api_data(engine, "POST", "/suno/submit/music", {
        "prompt": "[Verse]\nSunday morning light again", "tags": "synthwave",
        "title": "Sunday script:files=mp3"})
    task = wait_task(engine, task_id, timeout=60)
    assert task["status"] == "SUCCESS", task["fail_reason"]
    clip_id = task["data"][0]["id"]
    sign_in(page, engine)
    clip = card(page, task_id).locator(".clip").first
    clip.get_by_role("button", name="Cover of Sunday").click()
    tags = clip.get_by_label("Cover style")
    expect(tags).to_be_focused()
    clip.get_by_role("button", name="Make cover").click()
    expect(clip.get_by_role("alert")).to_have_text("Give the cover's style tags.")
    tags.fill("jazz, piano")
    clip.get_by_role("button", name="Make cover").click()
    shown = clip.locator(".cover-task")
    expect(shown).not_to_be_empty()
    cover_id = shown.inner_text()
    expect(card(page, cover_id)).to_be_visible()  # the new task, at the top of the list
    cover = wait_task(engine, cover_id, timeout=60)
    assert cover["status"] == "SUCCESS", cover["fail_reason"]
    for made in cover["data"]:
        assert made["metadata"]["cover_clip_id"] == clip_id
        assert made["metadata"]["tags"] == "jazz, piano"
    screenshot(clip, "clip-cover")
