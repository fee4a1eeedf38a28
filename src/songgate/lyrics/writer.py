"""Write a whole song from a description: lyrics, title and style tags."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

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


# The word lists load on a language's first song, and the CMU dictionary's loader is not
# safe to run from two threads at once: each language's first song is written alone.
_FIRST_SONG = threading.Lock()
_loaded: set[str] = set()


def _writers() -> tuple[Callable[[str, int], LyricSheet], Callable[[str, int], LyricSheet]]:
    """The Chinese and English writers. Their modules (jieba, lemminflect) are imported on
    first use, so a process that writes no lyrics (an API process) never loads them."""
    from songgate.lyrics.chinese import write_chinese
    from songgate.lyrics.english import write_english

    return write_chinese, write_english


def write_song(description: str, seed: int) -> WrittenSong:
    write_chinese, write_english = _writers()
    language = detect_language(description)
    write = write_chinese if language == "zh" else write_english
    if language in _loaded:
        sheet: LyricSheet = write(description, seed)
    else:
        with _FIRST_SONG:
            sheet = write(description, seed)
            _loaded.add(language)
    return WrittenSong(title=sheet.title, text=sheet.text,
                       tags=tags_for(description, sheet.themes), language=language)


def warm() -> None:
    """Load what a process's first songs would: the CMU and lemminflect word lists for
    English, jieba's dictionary for Chinese (half a second to two seconds in all)."""
    write_song("a train in the snow", 0)
    write_song("海边的小狗", 0)


class OfflineWriter:
    """The built-in writer: phrase banks and rhyme dictionaries, no network.

    Writing takes about a millisecond, but the first song of each language
    loads its word lists (about half a second, more for Chinese), so it runs
    off the event loop; ``warm=True`` (a worker's writer) loads them at once
    on a background thread, so the first LYRICS task does not wait for them.
    """

    def __init__(self, *, warm: bool = False) -> None:
        if warm:
            # Imported here, not on the warming thread: an import there would hold the
            # modules' import locks while the worker's first tasks start.
            _writers()
            threading.Thread(target=_warm_quietly, name="lyrics-warm", daemon=True).start()

    async def write(self, description: str, seed: int) -> WrittenSong:
        return await asyncio.to_thread(write_song, description, seed)


def _warm_quietly() -> None:
    try:
        warm()
    except Exception:  # a song that fails here fails again, reported, in a task
        return
