"""What a song of the engine is, as the score has it: tempo, meter, key, a chord per bar,
the sung notes in seconds and the sections. The yardstick for the listening library
(engine/listen), which must find the same from the audio alone.

The score is composed again from the request exactly as :func:`make_song` composes it
(composing is deterministic in the request), so nothing has to be kept from the render.
"""

from __future__ import annotations

from dataclasses import dataclass

from songgate.engine.compose.harmony import Chord
from songgate.engine.compose.lift import key_change, lifted_section
from songgate.engine.compose.plan import plan_song
from songgate.engine.compose.score import compose
from songgate.engine.extend import bar_seconds
from songgate.engine.request import SongRequest
from songgate.engine.sing.voices import fit_register
from songgate.engine.style.knobs import weigh_style
from songgate.engine.style.parse import parse_style
from songgate.engine.text.form import parse_form
from songgate.engine.types import Mode, SectionSpan


@dataclass(frozen=True, slots=True)
class TrueChord:
    root: int  # pitch class
    minor: bool  # the triad's third is minor (diminished chords count as minor)


@dataclass(frozen=True, slots=True)
class TrueNote:
    onset: float  # seconds
    offset: float
    pitch: int  # MIDI


@dataclass(frozen=True, slots=True)
class SongTruth:
    tempo: float
    meter: int
    tonic: int
    mode: Mode
    bar_seconds: float
    chords: tuple[TrueChord, ...]  # one per bar from the song's start
    melody: tuple[TrueNote, ...]  # the sung notes (empty for an instrumental)
    sections: tuple[SectionSpan, ...]
    seconds: float


def true_chord(chord: Chord, shift: int = 0) -> TrueChord:
    intervals = {(tone - chord.root) % 12 for tone in chord.tones}
    minor = 3 in intervals and 4 not in intervals
    return TrueChord((chord.root + shift) % 12, minor)


def song_truth(request: SongRequest) -> SongTruth:
    """The truth of the song :func:`make_song` makes of ``request`` (not a continuation)."""
    style_seed = request.seed if request.style_seed is None else request.style_seed
    style = parse_style(request.tags, request.negative_tags, seed=style_seed)
    style = weigh_style(style, request.style_weight, request.weirdness, seed=style_seed)
    form = parse_form("" if request.instrumental else request.lyrics)
    max_seconds = max(request.max_seconds, bar_seconds(style))
    score = fit_register(
        compose(style, form, seed=request.seed, max_seconds=max_seconds), request.singer
    )
    plan = plan_song(style, form, seed=request.seed, max_seconds=max_seconds)
    lift = lifted_section(plan)
    lift_bar = lift.start_bar if lift is not None else plan.bars + 1
    shift = key_change(style)
    bars = int(score.total_beats // score.meter)
    chords = tuple(
        true_chord(plan.changes.at(float(bar * score.meter)), shift if bar >= lift_bar else 0)
        for bar in range(bars)
    )
    melody = tuple(
        TrueNote(score.seconds_at(n.start), score.seconds_at(n.start + n.duration), n.pitch)
        for n in score.vocal
    )
    return SongTruth(
        tempo=score.tempo,
        meter=score.meter,
        tonic=score.tonic,
        mode=score.mode,
        bar_seconds=score.seconds_at(float(score.meter)),
        chords=chords,
        melody=melody,
        sections=score.sections,
        seconds=score.seconds,
    )
