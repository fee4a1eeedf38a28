"""The whole pipeline for one song: tags and lyrics in, mastered and encoded files out."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from songgate.engine.cover import covered
from songgate.engine.encode.atomic import atomic_path
from songgate.engine.encode.song_files import Naming, write_song_files
from songgate.engine.extend import bar_seconds, join, kept_audio, kept_words, placed_after
from songgate.engine.growing_stream import GrowingStream
from songgate.engine.infill import planned_span, spliced
from songgate.engine.master import mix
from songgate.engine.master.effort import effort_curve
from songgate.engine.master.room import room_for
from songgate.engine.preview import write_preview
from songgate.engine.render.midi import score_to_midi
from songgate.engine.render.parts import PARTS
from songgate.engine.render.stems import render_stems
from songgate.engine.request import SongRequest
from songgate.engine.scoring import composed, style_and_form
from songgate.engine.sing.aligned import aligned_words
from songgate.engine.sing.espeak import EspeakError
from songgate.engine.sing.vocals import INTERNAL_RATE, sing
from songgate.engine.source import source_of
from songgate.engine.types import SAMPLE_RATE, Form, Style
from songgate.engine.upload_extend import heard_original, matched_at_seam

log = logging.getLogger("songgate.engine")

# Share of the wall time each stage takes, measured by benchmarks/engine.py on the two
# sung clips of a MUSIC task, about two minutes each (24.8 s per clip in all: compose 0.7,
# preview 0.6, render 5.5, sing 5.5, master 7.5, mp3 1.2, cover 0.2, video 3.6).
# "preview" takes no time when nobody listens to the stream.
STAGE_WEIGHTS: dict[str, float] = {
    "compose": 0.03,
    "preview": 0.03,
    "render": 0.22,
    "sing": 0.22,
    "master": 0.30,
    "mp3": 0.05,
    "cover": 0.01,
    "video": 0.14,
}

# (stage just finished, fraction of the song done); a stage that streams as it goes
# ("sing") is also reported part-way, with the share it has done, before it finishes.
Progress = Callable[[str, float], None]
# Called with an MP3 of the song so far, to be played while the rest renders: the song's
# first bars right after composing; then, as the voice is sung, the song up to the end
# of each section (engine/growing_stream.py: each file the one before with more after
# it); the whole mastered song before covers and video. The callee takes the file (it
# may move it).
Stream = Callable[[Path], None]

TITLE_MAX = 80
# Every stem a song may have: the voice, each part of the band, and for an extension
# the song it continues (up to the cut, faded out as in the joined song).
STEM_NAMES = ("vocals", *PARTS, "original")


@dataclass(frozen=True, slots=True)
class SongFiles:
    mp3: Path
    wav: Path
    midi: Path
    cover: Path
    cover_large: Path
    video: Path | None  # None when no video encoder is installed
    duration: float  # seconds of real audio
    title: str
    style: Style
    renderer: str
    sung: bool
    stage_seconds: dict[str, float] = field(default_factory=dict)
    # Mastered stems beside the song, 24-bit FLAC, one per name of STEM_NAMES the song
    # has ("vocals" only when sung, "original" only for an extension): they sum to the song.
    stems: dict[str, Path] = field(default_factory=dict)
    # The sung words with their times and a waveform (JSON, engine/encode/timing.py).
    timing: Path | None = None


def song_title(request: SongRequest, form: Form) -> str:
    """The requested title, else the first sung line, else a name from the style."""
    if request.title.strip():
        return request.title.strip()[:TITLE_MAX]
    for section in form.sections:
        for line in section.lines:
            return line.text[:40].strip()
    return "Untitled"


class Stages:
    def __init__(self, progress: Progress | None) -> None:
        self._progress = progress
        self._done = 0.0
        self.seconds: dict[str, float] = {}
        self._started = time.perf_counter()

    def finished(self, stage: str) -> None:
        now = time.perf_counter()
        self.seconds[stage] = round(now - self._started, 3)
        self._started = now
        self._done = min(1.0, self._done + STAGE_WEIGHTS[stage])
        if self._progress is not None:
            self._progress(stage, self._done)

    def partly(self, stage: str, share: float) -> None:
        """``share`` (0..1) of ``stage`` is done; it has not finished."""
        if self._progress is not None:
            self._progress(stage, min(1.0, self._done + STAGE_WEIGHTS[stage] * share))


def make_song(
    request: SongRequest, out_dir: Path, *, stem: str = "song", progress: Progress | None = None,
    stream: Stream | None = None,
) -> SongFiles:
    stages = Stages(progress)
    source = source_of(request)  # the song it is made from, read and listened to once
    heard = heard_original(request, SAMPLE_RATE, source)  # an upload to continue
    if heard is not None:
        request = heard.request
    span = planned_span(request, SAMPLE_RATE, source)  # a span of a song to recompose
    if span is not None:
        request = span.request
    request = covered(request, source)  # a cover listens to its song first
    style, form = style_and_form(request)
    head = heard.head if heard is not None else None
    if request.continuation is not None and heard is None:
        head = kept_audio(request.continuation, style, SAMPLE_RATE)
    room = request.max_seconds - (len(head) / SAMPLE_RATE if head is not None else 0.0)
    if span is not None:
        room = span.seconds
    score = composed(request, style, form, room).score
    voice = request.singer
    title = song_title(request, form)
    midi_path = out_dir / f"{stem}.mid"
    with atomic_path(midi_path) as partial:
        partial.write_bytes(score_to_midi(score))
    log.info(
        "composed",
        extra={
            "style": style.describe(),
            "tags": request.tags,
            "seconds": round(score.seconds, 2),
            "seed": request.seed,
        },
    )
    stages.finished("compose")

    if stream is not None and span is None:  # a span's first bars are not the song's
        stream(write_preview(score, out_dir / f"{stem}.stream-first.mp3", head=head,
                             sample_rate=SAMPLE_RATE, voice=voice, seed=request.seed))
    stages.finished("preview")

    rendered = render_stems(score, sample_rate=SAMPLE_RATE, fine=True)
    stages.finished("render")

    growing = None
    if stream is not None and span is None and head is None:  # the song from its start
        growing = GrowingStream(
            score, rendered.band, sample_rate=SAMPLE_RATE, voice_rate=INTERNAL_RATE,
            path_for=lambda n: out_dir / f"{stem}.stream-{n}.mp3", publish=stream,
            reached=lambda share: stages.partly("sing", share),
        )
    vocals = None
    if score.vocal:
        try:
            vocals = sing(score, sample_rate=SAMPLE_RATE, seed=request.seed, voice=voice,
                          sung=growing.sung if growing is not None else None)
        except EspeakError as unavailable:  # the song stays, as an instrumental
            log.warning("no singing: %s", unavailable)
    if growing is not None:  # the rest of the band, when the voice stopped short or is none
        growing.finish()
    stages.finished("sing")

    mixed = mix.mix_stems(
        rendered.stems, vocals, SAMPLE_RATE, room=room_for(style.genre), tempo=style.tempo,
        vocal_gain=effort_curve(score, len(vocals) if vocals is not None else 0, SAMPLE_RATE),
    )
    level = {"target_lufs": heard.level_lufs} if heard is not None else {}
    if span is not None:
        level = {"target_lufs": span.level_lufs}
    audio, stems = mix.master_stems(mixed, SAMPLE_RATE, **level)
    sung = vocals is not None and bool(np.any(stems["vocals"]))
    if not sung:
        del stems["vocals"]
    if heard is not None:  # what remains of a loudness step at the seam
        audio, stems = matched_at_seam(heard.head, audio, stems, SAMPLE_RATE)
    if span is not None:
        audio, stems = spliced(span, audio, stems, SAMPLE_RATE, score.seconds,
                               bar_seconds(style))
    if head is not None:  # both sides are mastered to the same loudness
        joined = join(head, audio, SAMPLE_RATE)
        stems = {name: placed_after(head, part, SAMPLE_RATE) for name, part in stems.items()}
        stems["original"] = join(head, np.zeros_like(audio), SAMPLE_RATE)  # join is linear
        audio = joined
    offset = len(head) / SAMPLE_RATE if head is not None else 0.0
    sung_words = aligned_words(score, span.start if span is not None else offset)
    if vocals is None:
        sung_words = []
    if head is not None and request.continuation is not None:  # the kept words come first
        sung_words = kept_words(request.continuation, len(head) / SAMPLE_RATE) + sung_words
    written = write_song_files(
        audio, stems, sung_words,
        Naming(out_dir, stem, title, request.subtitle or request.tags, request.seed),
        sample_rate=SAMPLE_RATE, stem_order=STEM_NAMES, finished=stages.finished, stream=stream,
    )
    return SongFiles(
        mp3=written.mp3,
        wav=written.wav,
        midi=midi_path,
        cover=written.cover,
        cover_large=written.cover_large,
        video=written.video,
        duration=written.duration,
        title=title,
        style=style,
        renderer=rendered.renderer,
        sung=sung,
        stage_seconds=stages.seconds,
        stems=written.stems,
        timing=written.timing,
    )
