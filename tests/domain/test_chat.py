"""The chat request read, and the song written back as markdown."""

from __future__ import annotations

from typing import Any

import pytest

from songgate.domain.chat import parse_chat, song_markdown
from songgate.errors import InvalidRequest, PromptEmpty


def test_the_last_user_message_is_the_description() -> None:
    asked = parse_chat({"model": "chirp-auk", "stream": True, "messages": [
        {"role": "user", "content": "a sea shanty"},
        {"role": "assistant", "content": "..."},
        {"role": "user", "content": [{"type": "text", "text": "a birthday song"},
                                     {"type": "image_url", "image_url": {"url": "x"}},
                                     {"type": "text", "text": "for  Anna"}]},
        {"role": "system", "content": "be nice"}]})
    assert (asked.description, asked.mv, asked.stream) == (
        "a birthday song for Anna", "chirp-auk", True)
    assert parse_chat({"messages": [{"role": "user", "content": "x"}]}).mv == "chirp-v4"


@pytest.mark.parametrize("body", [
    [], {"messages": []}, {"messages": "hi"}, {"messages": [{"content": "x"}]},
    {"model": "gpt-4o", "messages": [{"role": "user", "content": "x"}]},
    {"stream": "yes", "messages": [{"role": "user", "content": "x"}]},
    {"messages": [{"role": "user", "content": "x" * 201}]},
])
def test_what_is_refused(body: Any) -> None:
    with pytest.raises(InvalidRequest):
        parse_chat(body)


def test_no_user_words_is_an_empty_prompt() -> None:
    with pytest.raises(PromptEmpty):
        parse_chat({"messages": [{"role": "system", "content": "hello"}]})


def test_the_song_in_markdown() -> None:
    clip = {"title": "Anna", "audio_url": "http://h/a.mp3", "video_url": "http://h/a.mp4",
            "image_large_url": "http://h/i.jpeg", "metadata": {"prompt": "[Verse]\nla"}}
    text = song_markdown({"status": "SUCCESS", "data": [clip, {**clip, "video_url": ""}]})
    assert "## Anna" in text and "[Verse]\nla" in text
    assert "**Clip 1**: [audio](http://h/a.mp3) · [video](http://h/a.mp4)" in text
    assert "**Clip 2**: [audio](http://h/a.mp3)\n" in text and "![cover](http://h/i.jpeg)" in text
    assert "could not be made: too loud" in song_markdown(
        {"status": "FAILURE", "fail_reason": "too loud"})
