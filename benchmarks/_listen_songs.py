"""Twenty engine songs of twelve styles for the listening benchmark, rendered once with
``make_song`` and kept in a cache folder (the mix and the vocal stem) so reruns only listen.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from benchmarks.engine import LYRICS  # the six-section song the engine benchmark sings
from songgate.engine.request import SongRequest
from songgate.engine.style.presets import PRESETS

CACHE = Path(
    os.environ.get("SONGGATE_LISTEN_CACHE", Path(tempfile.gettempdir()) / "songgate-listen")
)

STYLES = tuple(preset.name for preset in PRESETS)  # every style the engine has
SECONDS = 150.0


@dataclass(frozen=True, slots=True)
class BenchSong:
    name: str
    request: SongRequest

    @property
    def folder(self) -> Path:
        return CACHE / self.name

    @property
    def mix(self) -> Path:
        return self.folder / "song.wav"

    @property
    def vocals(self) -> Path:
        return self.folder / "song_vocals.wav"


def bench_songs() -> list[BenchSong]:
    """Each style once, then eight styles again with other seeds (other keys and tempos)."""
    songs: list[BenchSong] = []
    for index in range(20):
        tags = STYLES[index % len(STYLES)]
        seed = 101 + 37 * index
        request = SongRequest(lyrics=LYRICS, tags=tags, seed=seed, max_seconds=SECONDS)
        songs.append(BenchSong(f"{index:02d}-{tags}-{seed}", request))
    return songs


def rendered(song: BenchSong) -> BenchSong:
    """The song, rendered into the cache unless it is there already."""
    if song.mix.exists() and song.vocals.exists():
        return song
    from songgate.engine.song import make_song  # the pipeline loads only when rendering

    song.folder.mkdir(parents=True, exist_ok=True)
    make_song(song.request, song.folder)
    return song


if __name__ == "__main__":
    for item in bench_songs():
        rendered(item)
        print(item.name, flush=True)
