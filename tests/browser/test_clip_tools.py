"""A finished clip's stems, timed lyrics and persona from the dashboard, in headless
chromium against a real songgate (STEM and FILE tasks on the engine provider; the clip's
sidecar and kept parts written as the engine keeps them)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot
from tests.browser.helpers import card, sign_in
from tests.support.engine_clip import WORDS, keep_as_engine
from tests.support.server import Process, api_data, free_port, start, wait_task

ROUTES = "MUSIC=scripted,LYRICS=scripted,FILE=local,STEM=local"


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Process, Path]]:
    data_dir = tmp_path_factory.mktemp("clip_tools")
    process = start("serve", data_dir, port=free_port(), SONGGATE_ROUTES=ROUTES)
    yield process, data_dir
    process.stop()


def _sung_clip(engine: tuple[Process, Path]) -> tuple[str, str]:
    """A finished song whose first clip the engine kept; (task id, that clip's id)."""
    server, data_dir = engine
    task_id = api_data(server, "POST", "/suno/submit/music", {
        "prompt": "[Verse]\nSunday morning light again", "tags": "synthwave",
        "title": "Sunday script:files=mp3"})
    task = wait_task(server, task_id, timeout=60)
    assert task["status"] == "SUCCESS", task["fail_reason"]
    clip_id = str(task["data"][0]["id"])
    keep_as_engine(data_dir, clip_id)
    return task_id, clip_id


def _first_clip(page: Any, engine: tuple[Process, Path]) -> Any:
    task_id, _ = _sung_clip(engine)
    sign_in(page, engine[0])
    clip = card(page, task_id).locator(".clip").first
    expect(clip.get_by_role("heading")).to_have_text("1. Sunday")
    return clip


def test_stems_are_made_and_played(page: Any, engine: tuple[Process, Path]) -> None:
    clip = _first_clip(page, engine)
    clip.get_by_role("button", name="Two stems of Sunday").click()
    stems = clip.locator(".stems li")
    expect(stems).to_have_count(2, timeout=60_000)
    expect(clip.locator("[data-output=stems] h5")).to_have_text("Stems (Two)")
    expect(clip.locator(".stem-title")).to_have_text(["Sunday - Vocals",
                                                     "Sunday - Instrumental"])
    player = clip.get_by_label("Play Sunday - Vocals")
    loaded = player.evaluate("""async (audio) => {
        if (audio.readyState < 1) await new Promise((done) =>
            audio.addEventListener("loadedmetadata", done, { once: true }));
        return { duration: audio.duration, error: audio.error };
    }""")
    assert loaded["error"] is None and 1.9 < loaded["duration"] < 2.2  # the stem's MP3
    screenshot(clip, "clip-stems")


def test_twelve_stems_are_each_part_the_song_has(page: Any,
                                                 engine: tuple[Process, Path]) -> None:
    clip = _first_clip(page, engine)
    clip.get_by_role("button", name="Twelve stems of Sunday").click()
    expect(clip.locator(".stems li")).to_have_count(3, timeout=60_000)  # the parts it kept
    expect(clip.locator("[data-output=stems] h5")).to_have_text("Stems (Twelve)")
    expect(clip.locator(".stem-title")).to_have_text(["Sunday - Vocals", "Sunday - Drums",
                                                     "Sunday - Bass"])
    for part in ("Vocals", "Drums", "Bass"):
        expect(clip.get_by_label(f"Play Sunday - {part}")).to_have_attribute(
            "src", re.compile(r"/media/[0-9a-f-]+\.mp3$"))
    clip.get_by_role("button", name="Two stems of Sunday").click()
    expect(clip.locator(".stem-title")).to_have_text(["Sunday - Vocals",
                                                     "Sunday - Instrumental"], timeout=60_000)


def test_timed_lyrics_follow_the_player(page: Any, engine: tuple[Process, Path]) -> None:
    clip = _first_clip(page, engine)
    clip.get_by_role("button", name="Timed lyrics of Sunday").click()
    words = clip.locator(".timed-words li")
    expect(words).to_have_count(len(WORDS))
    expect(clip.locator(".timed-words .word")).to_have_text([w for w, _, _ in WORDS])
    expect(clip.locator(".word-time").first).to_have_text("0:00.20")
    expect(clip.locator(".timed-words .current")).to_have_count(0)
    clip.locator(".clip-body > audio").evaluate("""async (audio) => {
        if (audio.readyState < 1) await new Promise((done) =>
            audio.addEventListener("loadedmetadata", done, { once: true }));
        audio.currentTime = 1.2;
    }""")
    current = clip.locator(".timed-words [aria-current=true]")
    expect(current).to_have_count(1)
    expect(current.locator(".word")).to_have_text("light")  # 1.0 s to 1.4 s
    screenshot(clip, "clip-timed-lyrics")


def test_a_persona_is_made_from_a_clip(page: Any, engine: tuple[Process, Path]) -> None:
    clip = _first_clip(page, engine)
    clip.get_by_role("button", name="Make persona of Sunday").click()
    name = clip.get_by_label("Persona name")
    expect(name).to_be_focused()
    clip.get_by_role("button", name="Create persona").click()
    expect(clip.get_by_role("alert")).to_have_text("Name the persona.")
    name.fill("Night singer")
    clip.get_by_role("button", name="Create persona").click()
    shown = clip.locator(".persona-id")
    expect(shown).to_have_text(re.compile(r"^[0-9a-f-]{36}$"))
    persona = api_data(engine[0], "GET", f"/suno/persona/{shown.inner_text()}")
    assert persona["name"] == "Night singer" and persona["root_clip_id"] == \
        clip.locator(".clip-tools").get_attribute("data-clip-id")
    expect(clip.locator(".persona-made")).to_contain_text("Persona “Night singer” made.")
    screenshot(clip, "clip-persona")


def test_a_refused_action_shows_the_reason(page: Any, engine: tuple[Process, Path]) -> None:
    server, _ = engine
    task_id = api_data(server, "POST", "/suno/submit/music", {
        "prompt": "la", "tags": "pop", "title": "Plain script:files=mp3"})
    assert wait_task(server, task_id, timeout=60)["status"] == "SUCCESS"
    sign_in(page, server)
    clip = card(page, task_id).locator(".clip").first
    clip.get_by_role("button", name="Timed lyrics of Plain").click()
    expect(clip.get_by_role("alert")).to_contain_text("no timed lyrics")
