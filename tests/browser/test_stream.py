"""A clip still rendering plays its stream in the dashboard, on as it grows, then the song."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import expect

from tests.browser.helpers import card, sign_in
from tests.browser.test_tasks import new_task_id
from tests.support.server import Process

LYRICS = "[Verse]\nSunday morning light\n[Chorus]\nDance with me"


def test_a_streaming_clip_plays_on_as_its_stream_grows_then_hands_over_to_the_song(
    page: Any, server: Process
) -> None:
    sign_in(page, server)
    page.get_by_label("Lyrics", exact=True).fill(LYRICS)
    page.get_by_label("Style tags").fill("folk")
    page.get_by_label("Title", exact=True).fill("Growing script:sleep=10;files=mp3;stream=1")
    page.get_by_role("button", name="Create").click()
    item = card(page, new_task_id(page))
    first = item.locator(".clip").first
    stream = first.get_by_label(re.compile(r"^Play Growing.* as it renders$"))
    expect(stream).to_have_attribute("src", re.compile(r"/stream_[0-9a-f-]{36}\.mp3$"),
                                     timeout=30_000)
    expect(first.locator(".streaming-note")).to_contain_text("Streaming")
    stream.evaluate("""player => {
        window.streamedTo = 0;  // how far the stream's player got while the clip streamed
        player.addEventListener("timeupdate", () => {
            if (player.dataset.streaming === "true") {
                window.streamedTo = Math.max(window.streamedTo, player.currentTime);
            }
        });
        return player.play();
    }""")
    # past the 0.8 s the stream had when it started: the player loaded it again, longer
    page.wait_for_function("() => window.streamedTo > 1.0", timeout=30_000)
    expect(item.locator(".status")).to_have_text("Succeeded", timeout=30_000)
    song = first.get_by_label("Play Growing", exact=True)
    expect(song).to_have_attribute("src", re.compile(r"/[0-9a-f-]{36}\.mp3$"))
    expect(first.locator(".streaming-note")).to_have_count(0)
    # the finished song took over where the stream had got to, not from its start
    page.wait_for_function("() => { const p = document.querySelector('li .clip audio');"
                           " return p && !p.src.includes('stream_') && p.currentTime > 1.0; }",
                           timeout=10_000)
