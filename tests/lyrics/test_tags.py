"""Tags written from a description are tags the engine's style parser understands."""

from __future__ import annotations

import pytest

from songgate.engine.style.parse import parse_style
from songgate.engine.types import Mode
from songgate.lyrics.language import detect_language
from songgate.lyrics.tags import THEME_STYLES, tags_for


def test_a_sad_rainy_night_in_tokyo() -> None:
    tags = tags_for("a sad rainy night in Tokyo", ("rain", "night"))
    assert tags == "melancholic lo-fi piano"
    style = parse_style(tags)
    assert style.genre == "lofi" and style.mode is Mode.MINOR


@pytest.mark.parametrize(
    ("description", "genre"),
    [("a jazz song about coffee", "jazz"), ("摇滚 青春", "rock"), ("一首中国风的情歌", "chinese"),
     ("salsa night with friends", "salsa"), ("an epic battle", "orchestral")],
)
def test_a_named_genre_wins(description: str, genre: str) -> None:
    assert parse_style(tags_for(description, ("love",))).genre == genre


@pytest.mark.parametrize("theme", sorted(THEME_STYLES))
def test_every_theme_style_is_a_known_preset(theme: str) -> None:
    style = parse_style(tags_for("something", (theme,)))
    expected = {"lo-fi": "lofi", "hip-hop": "hiphop", "中国风": "chinese"}.get(
        THEME_STYLES[theme][0], THEME_STYLES[theme][0])
    assert style.genre == expected


def test_no_theme_no_genre_falls_back_to_pop() -> None:
    assert parse_style(tags_for("🎉🎉", ())).genre == "pop"


@pytest.mark.parametrize(
    ("prompt", "language"),
    [("a song about a happy weekend", "en"), ("关于夏夜和海边的情歌", "zh"),
     ("我爱 summer nights 和海边", "zh"), ("a song about 北京", "en"), ("🎉🎉", "en"), ("", "en")],
)
def test_language(prompt: str, language: str) -> None:
    assert detect_language(prompt) == language
