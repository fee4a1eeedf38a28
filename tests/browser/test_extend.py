"""Extending an uploaded clip from the dashboard, in headless chromium against a real
songgate: the Extend button under the upload opens a form, and the MUSIC task it submits
(``task: "upload_extend"`` of that clip) joins the list."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from playwright.sync_api import expect

from songgate.client import SongClient
from tests.browser.conftest import screenshot
from tests.browser.helpers import card, sign_in
from tests.support.server import Process, api_data
from tests.uploads.audio_files import tone


def test_an_upload_is_extended_from_its_clip(page: Any, server: Process, tmp_path: Path) -> None:
    song = tmp_path / "Hum.mp3"
    tone(song, 6.0)
    with SongClient(server.url, server.token) as client:
        made = client.upload_file(song)
    sign_in(page, server)
    clip = card(page, made.task_id).locator(".clip").first
    clip.get_by_role("button", name=re.compile(r"^Extend ")).click()
    form = clip.locator("form.extend-form")
    form.get_by_role("button", name="Extend the song").click()
    expect(form.get_by_role("alert")).to_have_text("Give the lyrics of the new part.")
    form.get_by_label("Continue at (seconds)").fill("4.5")
    form.get_by_label("Lyrics of the new part").fill("[Verse]\nOn and on we go")
    form.get_by_role("button", name="Extend the song").click()
    made_status = clip.locator(".extend-made")
    expect(made_status).to_contain_text("Extension submitted. Task ")
    task_id = made_status.locator("code").inner_text()
    expect(card(page, task_id)).to_have_count(1)
    [task] = api_data(server, "POST", "/suno/fetch", {"ids": [task_id]})
    assert task["action"] == "MUSIC"
    screenshot(clip, "clip-extend")
