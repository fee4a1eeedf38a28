"""style_weight and weirdness bend the style the tags chose; vocal_gender picks the singer."""

from __future__ import annotations

import pytest

from songgate.engine.compose.score import compose
from songgate.engine.request import SongRequest
from songgate.engine.style.knobs import NEUTRAL_TEMPO, weigh_style
from songgate.engine.style.parse import parse_style
from songgate.engine.text.form import parse_form

LYRICS = "[Verse]\nthe city lights are calling me\n[Chorus]\nwe run all night\n"


def test_half_or_nothing_leaves_the_style_alone() -> None:
    style = parse_style("fast energetic punk rock", seed=3)
    assert weigh_style(style, None, None, seed=3) == style
    assert weigh_style(style, 0.5, 0.5, seed=3) == style


def test_style_weight_pushes_the_tags_further_or_draws_them_in() -> None:
    style = parse_style("fast energetic punk rock", seed=3)
    assert style.tempo > NEUTRAL_TEMPO
    strong = weigh_style(style, 1.0, None, seed=3)
    weak = weigh_style(style, 0.0, None, seed=3)
    assert strong.tempo > style.tempo > weak.tempo == NEUTRAL_TEMPO
    assert strong.energy >= style.energy >= weak.energy == 0.5
    slow = parse_style("ballad", seed=3)
    assert slow.tempo < NEUTRAL_TEMPO
    assert weigh_style(slow, 1.0, None, seed=3).tempo < slow.tempo
    swung = parse_style("jazz swing", seed=1)
    assert swung.swing > 0 and weigh_style(swung, 0.0, None, seed=1).swing == 0


def test_weirdness_strays_from_the_genre() -> None:
    style = parse_style("pop", seed=5)
    weird = weigh_style(style, None, 1.0, seed=5)
    assert weird.progressions != style.progressions and weird.swing > style.swing
    plain = weigh_style(style, None, 0.0, seed=5)
    assert plain.progressions == style.progressions[:1] and plain.swing == 0
    assert weigh_style(style, None, 1.0, seed=5) == weird  # deterministic


@pytest.mark.parametrize("weirdness", [0.0, 1.0])
def test_weirdness_changes_the_notes_played(weirdness: float) -> None:
    style = parse_style("pop", seed=5)
    form = parse_form(LYRICS)
    plain = compose(style, form, seed=5, max_seconds=60)
    bent = compose(weigh_style(style, None, weirdness, seed=5), form, seed=5, max_seconds=60)
    notes = [track.notes for track in plain.tracks]
    assert [track.notes for track in bent.tracks] != notes


def test_vocal_gender_chooses_the_singer_whatever_the_seed() -> None:
    for seed in range(4):
        assert SongRequest("la", "pop", seed=seed, vocal_gender="m").singer == "m"
        assert SongRequest("la", "pop", seed=seed, vocal_gender="f").singer == "f"
    assert {SongRequest("la", "pop", seed=seed).singer for seed in range(2)} == {"f", "m"}
