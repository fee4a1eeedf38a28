"""Files of a part added to an upload (engine/add_parts.py), as ``make_song`` writes a song's.

The song is as long as the upload; the sung words' times and the MIDI are the new
part's, placed where it sounds (its bar 0 on the upload's first bar line).
"""

from __future__ import annotations

import logging
from pathlib import Path

from songgate.engine.add_parts import add_part
from songgate.engine.encode.atomic import atomic_path
from songgate.engine.encode.audio import write_flac, write_mp3, write_wav
from songgate.engine.encode.covers import write_covers
from songgate.engine.encode.timing import write_timing
from songgate.engine.encode.video import EncodingError, write_video
from songgate.engine.render.midi import score_to_midi
from songgate.engine.request import SongRequest
from songgate.engine.sing.aligned import aligned_words
from songgate.engine.song import (
    STEM_NAMES,
    Progress,
    SongFiles,
    Stages,
    Stream,
    linked,
    song_title,
)
from songgate.engine.text.form import parse_form
from songgate.engine.types import SAMPLE_RATE

log = logging.getLogger("songgate.engine")


def make_added_song(
    request: SongRequest, out_dir: Path, *, stem: str = "song", progress: Progress | None = None,
    stream: Stream | None = None,
) -> SongFiles:
    """The song with its part added; ``stream`` hears the whole mp3 before covers and video
    (there is no preview: the part is not composed bar by bar before it is mixed)."""
    stages = Stages(progress)
    added = add_part(request)
    stages.finished("compose")
    stages.finished("render")
    stages.finished("sing")
    title = song_title(request, parse_form(request.lyrics))
    midi_path = out_dir / f"{stem}.mid"
    with atomic_path(midi_path) as partial:
        partial.write_bytes(score_to_midi(added.score))
    audio = added.audio
    wav_path = out_dir / f"{stem}.wav"
    write_wav(audio, SAMPLE_RATE, wav_path)
    stem_paths = {name: out_dir / f"{stem}_{name}.flac"
                  for name in STEM_NAMES if name in added.stems}
    for name, path in stem_paths.items():
        write_flac(added.stems[name], SAMPLE_RATE, path)
    words = aligned_words(added.score, added.offset_s) if added.score.vocal else []
    timing_path = out_dir / f"{stem}.timing.json"
    timing = write_timing(words, audio, timing_path)
    stages.finished("master")
    mp3_path = out_dir / f"{stem}.mp3"
    write_mp3(audio, SAMPLE_RATE, mp3_path)
    if stream is not None:
        stream(linked(mp3_path, out_dir / f"{stem}.stream-whole.mp3"))
    stages.finished("mp3")
    cover, cover_large = out_dir / f"image_{stem}.jpeg", out_dir / f"image_large_{stem}.jpeg"
    write_covers(title, request.subtitle or request.tags, request.seed, cover, cover_large)
    stages.finished("cover")
    duration = len(audio) / SAMPLE_RATE
    video: Path | None = out_dir / f"{stem}.mp4"
    try:
        write_video(cover_large, mp3_path, duration, out_dir / f"{stem}.mp4",
                    words=[(w.word, w.start_s, w.end_s) for w in words],
                    waveform=timing["waveform_data"])
    except EncodingError as failed:  # the song stays, without its video
        log.warning("no video: %s", failed)
        video = None
    stages.finished("video")
    return SongFiles(mp3=mp3_path, wav=wav_path, midi=midi_path, cover=cover,
                     cover_large=cover_large, video=video, duration=duration, title=title,
                     style=added.style, renderer=added.renderer, sung=added.sung,
                     stage_seconds=stages.seconds, stems=stem_paths, timing=timing_path)
