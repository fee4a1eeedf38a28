"""Files of a part added to an upload (engine/add_parts.py), as ``make_song`` writes a song's.

The song is as long as the upload; the sung words' times and the MIDI are the new
part's, placed where it sounds (its bar 0 on the upload's first bar line).
"""

from __future__ import annotations

from pathlib import Path

from songgate.engine.add_parts import add_part
from songgate.engine.encode.atomic import atomic_path
from songgate.engine.encode.song_files import Naming, write_song_files
from songgate.engine.render.midi import score_to_midi
from songgate.engine.request import SongRequest
from songgate.engine.sing.aligned import aligned_words
from songgate.engine.song import (
    STEM_NAMES,
    Progress,
    SongFiles,
    Stages,
    Stream,
    song_title,
)
from songgate.engine.source import source_of
from songgate.engine.text.form import parse_form
from songgate.engine.types import SAMPLE_RATE


def make_added_song(
    request: SongRequest, out_dir: Path, *, stem: str = "song", progress: Progress | None = None,
    stream: Stream | None = None,
) -> SongFiles:
    """The song with its part added; ``stream`` hears the whole mp3 before covers and video
    (there is no preview: the part is not composed bar by bar before it is mixed)."""
    stages = Stages(progress)
    added = add_part(request, source_of(request))  # the upload, read and listened to once
    stages.finished("compose")
    stages.finished("render")
    stages.finished("sing")
    title = song_title(request, parse_form(request.lyrics))
    midi_path = out_dir / f"{stem}.mid"
    with atomic_path(midi_path) as partial:
        partial.write_bytes(score_to_midi(added.score))
    words = aligned_words(added.score, added.offset_s) if added.score.vocal else []
    written = write_song_files(
        added.audio, added.stems, words,
        Naming(out_dir, stem, title, request.subtitle or request.tags, request.seed),
        sample_rate=SAMPLE_RATE, stem_order=STEM_NAMES, finished=stages.finished, stream=stream,
    )
    return SongFiles(mp3=written.mp3, wav=written.wav, midi=midi_path, cover=written.cover,
                     cover_large=written.cover_large, video=written.video,
                     duration=written.duration, title=title, style=added.style,
                     renderer=added.renderer, sung=added.sung, stage_seconds=stages.seconds,
                     stems=written.stems, timing=written.timing)
