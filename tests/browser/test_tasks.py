"""Submitting and watching tasks in the dashboard, in headless chromium against a real songgate."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import expect

from tests.browser.conftest import screenshot
from tests.browser.helpers import card, sign_in
from tests.support.server import Process, api_data, wait_task

LYRICS = "[Verse]\nSunday morning light\n[Chorus]\nDance with me"


def new_task_id(page: Any) -> str:
    """The id of the task just submitted, from the form's status line."""
    status = page.locator("#submit-status")
    expect(status).to_contain_text("Submitted. Task ")
    return str(status.inner_text().split("Task ", 1)[1].split(" ", 1)[0])


def test_a_song_from_the_form_shows_progress_then_plays(page: Any, server: Process) -> None:
    sign_in(page, server)
    page.get_by_label("Lyrics", exact=True).fill(LYRICS)
    page.get_by_label("Style tags").fill("heartfelt salsa")
    page.get_by_label("Title", exact=True).fill("Morning script:sleep=8;files=mp3")
    page.get_by_label("Model").select_option("chirp-auk")
    page.get_by_role("button", name="Create").click()
    task_id = new_task_id(page)
    [sent] = api_data(server, "GET", f"/suno/fetch/{task_id}")["data"][:1]
    assert sent["major_model_version"] == "v4.5" and sent["metadata"]["prompt"] == LYRICS
    item = card(page, task_id)
    progress = item.locator("progress")
    expect(progress).to_be_visible()
    # a worker's first task may wait while its process loads the providers (seconds on a
    # busy machine); then it runs for eight seconds, its progress rising
    expect(item.locator(".status")).to_have_text("In progress", timeout=60_000)
    expect(item.locator(".percent")).to_have_text(re.compile(r"^[1-9]\d%$"))  # 10% to 99%
    assert 10 <= int(progress.get_attribute("value")) <= 99
    screenshot(page, "task-list-running", full_page=True)
    expect(item.locator(".status")).to_have_text("Succeeded", timeout=20_000)
    expect(page.locator("#announcer")).to_have_text("Morning: Succeeded")
    expect(item.locator("progress")).to_have_count(0)

    clips = item.locator(".clip")
    expect(clips).to_have_count(2)
    first = clips.first
    expect(first.get_by_role("heading")).to_have_text("1. Morning")
    expect(first.locator(".tags")).to_have_text("heartfelt salsa")
    first.get_by_text("Lyrics", exact=True).click()
    expect(first.locator(".lyrics pre")).to_have_text(LYRICS)
    cover = first.get_by_role("img", name="Cover of Morning")
    expect(cover).to_be_visible()
    assert cover.evaluate("img => img.complete && img.naturalWidth") == 64
    links = {a.inner_text().split("\n")[0].strip(): a.get_attribute("href")
             for a in first.locator(".downloads a").all()}
    assert set(links) == {"Audio", "Video", "Cover"}
    assert links["Audio"].endswith(".mp3") and links["Video"].endswith(".mp4")
    assert "image_large_" in links["Cover"]

    audio = first.locator("audio")
    played = audio.evaluate("""async (player) => {
        await player.play();
        const started = player.currentTime;
        await new Promise((done) => setTimeout(done, 600));
        return {started, now: player.currentTime, duration: player.duration,
                ready: player.readyState, paused: player.paused, error: player.error};
    }""")
    assert played["error"] is None and played["ready"] >= 2
    assert 1.9 < played["duration"] < 2.2  # the two-second MP3 really loaded
    assert played["now"] > played["started"] + 0.2 and not played["paused"]
    audio.evaluate("player => player.pause()")
    screenshot(item, "finished-task")
    screenshot(page, "task-list", full_page=True)


def test_lyrics_from_the_form(page: Any, server: Process) -> None:
    polls: list[str] = []
    page.on("request", lambda request: polls.append(request.url)
            if request.url.endswith("/suno/fetch") else None)
    sign_in(page, server)
    page.get_by_label("Lyrics only").check()
    expect(page.get_by_label("Style tags")).to_be_hidden()
    page.get_by_label("What the lyrics are about").fill("a song about a happy weekend")
    page.get_by_role("button", name="Create").click()
    item = card(page, new_task_id(page))
    expect(item.locator(".status")).to_have_text("Succeeded", timeout=15_000)
    expect(item.get_by_role("heading", level=3)).to_have_text("Happy Weekend")
    expect(item.locator(".lyrics pre")).to_contain_text("[Verse]")
    expect(item.locator(".badge").first).to_have_text("Lyrics")
    assert polls  # it was watched while it ran ...
    seen = len(polls)
    page.wait_for_timeout(1500)
    assert len(polls) == seen  # ... and nothing is polled once every task shown has ended


def test_refusals_show_beside_the_form_and_nothing_typed_is_lost(
    page: Any, server: Process
) -> None:
    sign_in(page, server)
    page.get_by_label("Lyrics", exact=True).fill("[Verse]\nkeep me")
    page.get_by_label("Style tags").fill("x" * 201)
    page.get_by_role("button", name="Create").click()
    alert = page.locator("#submit-error")
    expect(alert).to_have_text(
        "tags is 201 characters long; the limit is 200 (invalid_request)")
    tags = page.get_by_label("Style tags")
    expect(tags).to_have_attribute("aria-invalid", "true")
    expect(tags).to_be_focused()
    page.get_by_label("A song from a description").check()
    expect(page.get_by_label("Lyrics", exact=True)).to_be_hidden()
    page.get_by_role("button", name="Create").click()
    expect(alert).to_contain_text("prompt is empty")
    expect(page.get_by_label("Description", exact=True)).to_have_attribute("aria-invalid", "true")
    page.get_by_label("A song from my lyrics").check()
    expect(page.get_by_label("Lyrics", exact=True)).to_have_value("[Verse]\nkeep me")
    expect(page.get_by_label("Style tags")).to_have_value("x" * 201)

    page.get_by_label("A song from a description").check()
    page.get_by_label("Description", exact=True).fill("a sad rainy night in Tokyo")
    page.get_by_role("button", name="Create").click()
    expect(alert).to_be_hidden()
    task_id = new_task_id(page)
    [clip, _] = api_data(server, "GET", f"/suno/fetch/{task_id}")["data"]
    assert clip["metadata"]["gpt_description_prompt"] == "a sad rainy night in Tokyo"
    assert clip["metadata"]["prompt"] == "" and clip["model_name"] == "chirp-v4"
    expect(card(page, task_id).locator(".status")).to_have_text("Succeeded", timeout=15_000)


def test_task_text_is_shown_as_text_never_run(page: Any, server: Process) -> None:
    sign_in(page, server)
    page.get_by_label("Lyrics", exact=True).fill("<script>window.pwned = 1</script>")
    page.get_by_label("Title", exact=True).fill('<img src=x onerror="window.pwned=2">')
    page.get_by_role("button", name="Create").click()
    item = card(page, new_task_id(page))
    expect(item.get_by_role("heading", level=3)).to_have_text(
        '<img src=x onerror="window.pwned=2">')
    expect(item.locator(".status")).to_have_text("Succeeded", timeout=15_000)
    expect(item.locator(".lyrics pre").first).to_have_text("<script>window.pwned = 1</script>")
    assert page.evaluate("() => window.pwned") is None
    assert item.locator("script, img[src='x']").count() == 0


def test_filters_by_status_and_kind_and_pages_with_load_more(
    page: Any, server: Process
) -> None:
    failing = api_data(server, "POST", "/suno/submit/lyrics", {"prompt": "script:fail=final"})
    song = api_data(server, "POST", "/suno/submit/music", {"prompt": "la", "title": "Song"})
    words = [api_data(server, "POST", "/suno/submit/lyrics", {"prompt": f"rain {n}"})
             for n in range(21)]
    for task_id in [failing, song, *words]:
        wait_task(server, task_id, timeout=30)
    sign_in(page, server)
    items = page.locator("#task-list > li")
    expect(items).to_have_count(20)
    load_more = page.get_by_role("button", name="Load more")
    load_more.click()
    total = len(api_data(server, "POST", "/suno/fetch", {"ids": [failing, song, *words]}))
    assert total == 23
    expect(items).not_to_have_count(20)
    shown = [item.get_attribute("data-task-id") for item in items.all()]
    assert len(shown) == len(set(shown)) > 20

    page.get_by_label("Status").select_option(label="Failed")
    expect(items.first).to_have_attribute("data-task-id", failing)
    assert {item.get_attribute("data-status") for item in items.all()} == {"FAILURE"}
    expect(card(page, failing).locator(".fail-reason")).to_have_text(
        "Failed: the prompt was refused")

    page.get_by_label("Status").select_option(label="Succeeded")
    page.get_by_label("Kind").select_option(label="Songs")
    expect(items.first).to_have_attribute("data-task-id", song)
    assert {item.get_attribute("data-status") for item in items.all()} == {"SUCCESS"}
    assert {item.locator(".badge").first.inner_text() for item in items.all()} == {"Song"}

    page.get_by_label("Kind").select_option(label="Lyrics")
    expect(items.first).to_have_attribute("data-task-id", words[-1])
    expect(items).to_have_count(20)
    assert failing not in [item.get_attribute("data-task-id") for item in items.all()]
    expect(load_more).to_be_visible()


def test_a_phone_sees_one_readable_column(browser: Any, server: Process) -> None:
    task_id = api_data(server, "POST", "/suno/submit/music",
                       {"prompt": LYRICS, "tags": "lo-fi", "title": "Pocket script:files=mp3"})
    wait_task(server, task_id, timeout=30)
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True,
                                  has_touch=True, device_scale_factor=2)
    try:
        page = context.new_page()
        sign_in(page, server)
        item = card(page, task_id)
        expect(item.locator(".status")).to_have_text("Succeeded")
        widths = page.evaluate(
            "() => [document.documentElement.scrollWidth, window.innerWidth]")
        assert widths[0] <= widths[1]  # nothing wider than the screen
        form = page.locator("#create").bounding_box()
        tasks = page.locator("#tasks").bounding_box()
        assert tasks["y"] >= form["y"] + form["height"]  # stacked, not side by side
        assert form["width"] > 330
        player = item.locator("audio").first.bounding_box()
        assert player["width"] > 200  # the player is usable with a thumb
        screenshot(page, "phone", full_page=True)
    finally:
        context.close()
