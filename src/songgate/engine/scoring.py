"""The style, form and score a request composes to: the first stage of ``make_song``,
alone, so a clip's MIDI can be made again from what made it (same request, same score).
"""

from __future__ import annotations

from dataclasses import dataclass

from songgate.engine.compose.score import compose
from songgate.engine.extend import bar_seconds
from songgate.engine.guide import guided_style
from songgate.engine.render.midi import score_to_midi
from songgate.engine.request import SongRequest
from songgate.engine.sing.voices import fit_register
from songgate.engine.style.knobs import weigh_style
from songgate.engine.style.parse import parse_style
from songgate.engine.text.form import parse_form
from songgate.engine.types import Form, Score, Style


@dataclass(frozen=True, slots=True)
class Composed:
    style: Style
    form: Form
    score: Score


def style_and_form(request: SongRequest) -> tuple[Style, Form]:
    style_seed = request.seed if request.style_seed is None else request.style_seed
    style = parse_style(request.tags, request.negative_tags, seed=style_seed)
    style = weigh_style(style, request.style_weight, request.weirdness, seed=style_seed)
    style = guided_style(style, request.guide)
    return style, parse_form("" if request.instrumental else request.lyrics)


def composed(request: SongRequest, style: Style, form: Form, room: float) -> Composed:
    """The score in ``room`` seconds (at least a bar), its vocal line where the singer
    sings it."""
    score = compose(style, form, seed=request.seed, max_seconds=max(room, bar_seconds(style)),
                    guide=request.guide)
    return Composed(style, form, fit_register(score, request.singer))


def song_midi(request: SongRequest) -> bytes:
    """The MIDI file ``make_song`` writes for ``request`` (one that extends no song)."""
    if request.continuation is not None:
        raise ValueError("an extension's score depends on the audio it keeps")
    style, form = style_and_form(request)
    return score_to_midi(composed(request, style, form, request.max_seconds).score)
