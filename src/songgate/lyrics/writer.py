"""Write a whole song from a description: lyrics, title and style tags."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Protocol

from songgate.lyrics.chinese import write_chinese
from songgate.lyrics.english import write_english
from songgate.lyrics.language import detect_language
from songgate.lyrics.tags import tags_for
from songgate.lyrics.types import LyricSheet


@dataclass(frozen=True, slots=True)
class WrittenSong:
    title: str
    text: str  # sections with [Label] markers
    tags: str  # style tags the engine understands
    language: str


class LyricsWriter(Protocol):
    async def write(self, description: str, seed: int) -> WrittenSong: ...


def write_song(description: str, seed: int) -> WrittenSong:
    language = detect_language(description)
    sheet: LyricSheet = (write_chinese if language == "zh" else write_english)(description, seed)
    return WrittenSong(title=sheet.title, text=sheet.text,
                       tags=tags_for(description, sheet.themes), language=language)


class OfflineWriter:
    """The built-in writer: phrase banks and rhyme dictionaries, no network.

    Writing takes about a millisecond, but the first song loads the CMU
    dictionary (about half a second), so it runs off the event loop.
    """

    async def write(self, description: str, seed: int) -> WrittenSong:
        return await asyncio.to_thread(write_song, description, seed)
