"""Twenty engine songs of twelve styles for the listening benchmark, rendered once with
``make_song`` and kept in a cache folder (the mix and the vocal stem) so reruns only listen.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from songgate.engine.request import SongRequest

CACHE = Path(
    os.environ.get("SONGGATE_LISTEN_CACHE", Path(tempfile.gettempdir()) / "songgate-listen")
)

VERSE_1 = """[Verse 1]
Morning light is spilling on the kitchen floor
Coffee on the counter and a note beside the door
Every little sound is like a song I used to know
Footsteps on the stairway and the radio down low"""
VERSE_2 = """[Verse 2]
Evening settles gently on the rooftops and the trees
Someone plays guitar out where the river meets the breeze
Neon signs are flickering in colours red and blue
All the empty streets are ringing out a tune for you"""
CHORUS = """[Chorus]
Turn it up and let the summer in
Hold on tight and let the night begin
We are shining brighter than the stars
Every heartbeat tells us who we are"""
BRIDGE = """[Bridge]
When the music fades away
I will find the words to say
Carry me across the sky
Never asking how or why"""
LYRICS = "\n\n".join([VERSE_1, CHORUS, VERSE_2, CHORUS, BRIDGE, CHORUS])

STYLES = (
    "pop",
    "rock",
    "ballad",
    "salsa",
    "edm",
    "lofi",
    "jazz",
    "folk",
    "hiphop",
    "rnb",
    "orchestral",
    "chinese",
)
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
