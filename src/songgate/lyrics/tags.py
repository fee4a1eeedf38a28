"""Style tags from a description, in words the engine's style parser understands.

"a sad rainy night in Tokyo" → "melancholic lo-fi piano". A genre the
description names itself wins; otherwise the themes the writer chose pick
one, and mood words colour it.
"""

from __future__ import annotations

import re

# Genre words a description may name, mapped to the tag the engine knows.
NAMED_GENRES: dict[str, str] = {
    "lofi": "lo-fi", "lo-fi": "lo-fi", "jazz": "jazz", "rock": "rock", "salsa": "salsa",
    "latin": "salsa", "edm": "edm", "dance": "edm", "techno": "edm", "house": "edm",
    "electronic": "edm", "hip hop": "hip-hop", "hip-hop": "hip-hop", "rap": "hip-hop",
    "r&b": "r&b", "rnb": "r&b", "soul": "r&b", "folk": "folk", "country": "folk",
    "acoustic": "folk", "ballad": "ballad", "orchestral": "orchestral", "epic": "orchestral",
    "cinematic": "orchestral", "pop": "pop",
    "摇滚": "rock", "爵士": "jazz", "说唱": "hip-hop", "嘻哈": "hip-hop", "民谣": "folk",
    "电子": "edm", "舞曲": "edm", "抒情": "ballad", "情歌": "ballad", "中国风": "中国风",
    "古风": "中国风", "国风": "中国风", "流行": "pop",
}

# Theme → (genre tag, instrument), for descriptions that name no genre.
THEME_STYLES: dict[str, tuple[str, str]] = {
    "love": ("ballad", "piano"), "heartbreak": ("ballad", "piano"),
    "summer": ("pop", "guitar"), "night": ("lo-fi", "piano"), "rain": ("lo-fi", "piano"),
    "weekend": ("pop", "synth"), "party": ("edm", "synth"), "celebration": ("pop", "synth"),
    "home": ("folk", "guitar"), "hometown": ("folk", "guitar"), "friendship": ("folk", "guitar"),
    "travel": ("rock", "guitar"), "freedom": ("rock", "guitar"), "dreams": ("pop", "piano"),
    "nature": ("folk", "guitar"), "seasons": ("folk", "guitar"), "memories": ("ballad", "piano"),
    "work": ("hip-hop", "piano"), "classical": ("中国风", "古筝"),
}

MOODS: dict[str, str] = {
    "sad": "melancholic", "rainy": "melancholic", "lonely": "melancholic", "miss": "melancholic",
    "tears": "melancholic", "goodbye": "melancholic", "悲伤": "melancholic",
    "思念": "melancholic", "离别": "melancholic", "happy": "upbeat", "fun": "upbeat",
    "party": "upbeat", "weekend": "upbeat", "快乐": "upbeat", "欢快": "upbeat",
    "周末": "upbeat", "calm": "chill", "chill": "chill", "quiet": "chill", "安静": "chill",
    "dark": "dark", "epic": "energetic", "wild": "energetic", "love": "romantic",
    "romantic": "romantic", "情": "romantic", "dream": "dreamy", "梦": "dreamy",
}

DEFAULT_STYLE = ("pop", "piano")


def _found(table: dict[str, str], text: str) -> list[str]:
    """Values of the keys present in ``text`` (whole words for Latin keys), first mention first."""
    hits: list[tuple[int, str]] = []
    for key, value in table.items():
        pattern = re.escape(key) if not key.isascii() else rf"\b{re.escape(key)}"
        found = re.search(pattern, text)
        if found:
            hits.append((found.start(), value))
    return list(dict.fromkeys(value for _, value in sorted(hits)))


def tags_for(description: str, themes: tuple[str, ...] = ()) -> str:
    text = description.lower()
    named = _found(NAMED_GENRES, text)
    genre, instrument = next(
        (THEME_STYLES[theme] for theme in themes if theme in THEME_STYLES), DEFAULT_STYLE
    )
    if named:
        genre = named[0]
    moods = _found(MOODS, text)[:2]
    return " ".join([*moods, genre, instrument])
