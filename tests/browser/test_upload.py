"""Uploading a song from the dashboard, in headless chromium against a real songgate:
the file goes through the upload flow and its clip appears first in the list, playable."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from playwright.sync_api import expect

from tests.browser.conftest import screenshot
from tests.browser.helpers import card, sign_in
from tests.support.server import Process, api_data
from tests.uploads.audio_files import silence, tone


def uploads(server: Process) -> list[str]:
    listed = api_data(server, "GET", "/songgate/tasks?action=UPLOAD&limit=100")
    return [task["task_id"] for task in listed["tasks"]]


def upload_status_task_id(page: Any) -> str:
    status = page.locator("#upload-status")
    expect(status).to_contain_text("Uploaded. Task ", timeout=30_000)
    return str(status.inner_text().split("Task ", 1)[1].split(" ", 1)[0])


def test_an_uploaded_file_becomes_a_clip_in_the_list(
    page: Any, server: Process, tmp_path: Path
) -> None:
    song = tmp_path / "Morning Walk.mp3"
    tone(song)
    sign_in(page, server)
    page.get_by_label("Audio file").set_input_files(str(song))
    page.get_by_role("button", name="Upload", exact=True).click()
    task_id = upload_status_task_id(page)
    [task] = api_data(server, "POST", "/suno/fetch", {"ids": [task_id]})
    assert task["action"] == "UPLOAD" and task["status"] == "SUCCESS"
    [clip] = task["data"]
    assert clip["metadata"]["type"] == "upload"

    item = card(page, task_id)
    expect(page.locator("#task-list > li").first).to_have_attribute("data-task-id", task_id)
    expect(item.locator(".status")).to_have_text("Succeeded")
    expect(item.locator(".badge").first).to_have_text("Upload")
    expect(item.locator(".clip")).to_have_count(1)
    expect(page.get_by_label("Audio file")).to_have_value("")
    audio = item.locator("audio")
    loaded = audio.evaluate("""async (player) => {
        if (player.readyState < 1) {
            await new Promise((done) => player.addEventListener("loadedmetadata", done,
                                                                 {once: true}));
        }
        return {duration: player.duration, error: player.error};
    }""")
    assert loaded["error"] is None and 1.9 < loaded["duration"] < 2.2
    assert item.locator(".downloads a").first.get_attribute("href") == clip["audio_url"]
    screenshot(page, "uploaded-clip", full_page=True)

    page.get_by_label("Kind").select_option("UPLOAD")
    expect(page.locator("#task-list > li")).to_have_count(1)
    expect(card(page, task_id)).to_be_visible()


def test_a_refused_file_is_shown_beside_the_form(
    page: Any, server: Process, tmp_path: Path
) -> None:
    quiet = tmp_path / "quiet.wav"
    silence(quiet)
    notes = tmp_path / "notes.txt"
    notes.write_text("not a song")
    before = uploads(server)
    sign_in(page, server)
    page.get_by_role("button", name="Upload", exact=True).click()
    alert = page.locator("#upload-error")
    expect(alert).to_have_text("Choose an audio file to upload.")
    page.get_by_label("Audio file").set_input_files(str(quiet))
    page.get_by_role("button", name="Upload", exact=True).click()
    expect(alert).to_have_text(
        "the audio is silent: no sample is louder than -60 dBFS (upload_refused)",
        timeout=30_000)
    expect(page.get_by_label("Audio file")).to_have_attribute("aria-invalid", "true")
    page.get_by_label("Audio file").set_input_files(str(notes))
    expect(alert).to_be_hidden()
    page.get_by_role("button", name="Upload", exact=True).click()
    expect(alert).to_contain_text("notes.txt has no audio file extension we know")
    assert uploads(server) == before  # nothing was made of either
