"""The whole writer over the 50 English and 50 Chinese fixture prompts."""

from __future__ import annotations

from pathlib import Path

import pytest

from songgate.engine.style.parse import GENRES, parse_style
from songgate.engine.text.form import parse_form
from songgate.lyrics.writer import write_song

HERE = Path(__file__).parent
FIXTURES = {name: (HERE / f"prompts_{name}.txt").read_text(encoding="utf-8").splitlines()
            for name in ("en", "zh")}
PROMPTS = [prompt for prompts in FIXTURES.values() for prompt in prompts]
TAG_GENRES = {"lo-fi": "lofi", "hip-hop": "hiphop", "r&b": "rnb", "中国风": "chinese"}


def test_there_are_fifty_prompts_per_language() -> None:
    assert {name: len(prompts) for name, prompts in FIXTURES.items()} == {"en": 50, "zh": 50}


@pytest.mark.parametrize("prompt", PROMPTS)
def test_written_song_is_singable_and_styled(prompt: str) -> None:
    song = write_song(prompt, seed=3)
    assert song.title and len(song.title) <= 80
    form = parse_form(song.text)
    assert form.has_lyrics
    assert [s.label for s in form.sections] == [
        "Verse", "Chorus", "Verse 2", "Chorus", "Bridge", "Chorus", "Outro"]
    assert form.language == song.language
    words = song.tags.split()
    genre_word = next(w for w in reversed(words[:-1]) if w not in ("melancholic", "upbeat",
                                                                   "chill", "dark", "energetic",
                                                                   "romantic", "dreamy"))
    expected = TAG_GENRES.get(genre_word, genre_word)
    assert expected in GENRES
    assert parse_style(song.tags).genre == expected, song.tags


async def test_a_warmed_writer_writes_the_same_songs() -> None:
    from songgate.lyrics.writer import OfflineWriter, warm

    warm()  # the thread a worker's writer starts runs this; here it runs in the test
    writer = OfflineWriter(warm=True)
    for prompt in ("a train in the snow", "海边的小狗", "a sad rainy night in Tokyo"):
        assert await writer.write(prompt, 4) == write_song(prompt, 4)
