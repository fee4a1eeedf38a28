"""Band stems and stereo placement on real renders: FluidSynth and the numpy synthesiser."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest

from songgate.engine.render.instruments import find_soundfont, fluidsynth_path
from songgate.engine.render.placement import CENTRE, placed
from songgate.engine.render.stems import BAND_STEMS, render_stems, stem_of
from songgate.engine.render.synth import synthesize
from songgate.engine.types import DRUM_CHANNEL, Track
from tests.engine.audio_helpers import SR, little_band, rms_db

needs_fluidsynth = pytest.mark.skipif(
    fluidsynth_path() is None or find_soundfont() is None,
    reason="Debian fluidsynth and a GM SoundFont are not installed",
)


def _side_over_mid_db(audio: np.ndarray) -> float:
    mid, side = audio[:, 0] + audio[:, 1], audio[:, 0] - audio[:, 1]
    return 10 * math.log10(float(np.sum(side**2)) / float(np.sum(mid**2)))


def test_tracks_fall_into_drums_bass_and_other() -> None:
    assert stem_of(Track("drums", 0, DRUM_CHANNEL, ())) == "drums"
    assert stem_of(Track("bass", 33, 1, ())) == "bass"
    assert stem_of(Track("comp", 34, 2, ())) == "bass"  # a GM bass program
    assert stem_of(Track("lead", 0, 0, ())) == "other"
    assert stem_of(Track("pad", 89, 3, ())) == "other"


def test_placement_pans_by_role_and_keeps_the_low_end_centred() -> None:
    band = little_band()
    roles = [Track(name, 0, channel, ()) for channel, name in
             enumerate(("lead", "comp", "pad", "extra 1", "extra 2", "bass"))]
    pans = {track.name: track.pan for track in placed(replace(band, tracks=tuple(roles))).tracks}
    assert pans["bass"] == CENTRE
    assert pans["lead"] > CENTRE > pans["comp"]  # either side of the voice
    assert (pans["extra 1"] - CENTRE) * (pans["extra 2"] - CENTRE) < 0  # opposite sides


@pytest.mark.parametrize("renderer", ["numpy", pytest.param("fluidsynth", marks=needs_fluidsynth)])
def test_every_stem_holds_its_own_instruments(renderer: str) -> None:
    band = little_band(seconds=8.0)
    stems = render_stems(band, renderers=(renderer,))
    assert stems.renderer == renderer and set(stems.stems) == set(BAND_STEMS)
    frames = math.ceil(band.seconds * SR)
    for name in BAND_STEMS:
        audio = stems.stems[name]
        assert audio.shape == (frames, 2) and audio.dtype == np.float32
        assert np.all(np.isfinite(audio)) and rms_db(audio) > -50.0, name
    # the bass stem is low, the drum stem is not: each stem is only its group
    spectrum = {name: np.abs(np.fft.rfft(stems.stems[name].mean(axis=1))) for name in BAND_STEMS}
    freqs = np.fft.rfftfreq(frames, 1 / SR)

    def low_share(name: str) -> float:
        power = spectrum[name] ** 2
        return float(power[freqs < 200].sum() / power.sum())
    assert low_share("bass") > 0.6 > low_share("other")


@pytest.mark.parametrize("renderer", ["numpy", pytest.param("fluidsynth", marks=needs_fluidsynth)])
def test_the_band_is_placed_in_stereo_not_mono(renderer: str) -> None:
    stems = render_stems(little_band(seconds=6.0), renderers=(renderer,))
    assert _side_over_mid_db(stems.stems["other"]) > -20.0
    assert _side_over_mid_db(stems.stems["bass"]) < _side_over_mid_db(stems.stems["other"])


def test_numpy_stems_sum_to_the_whole_band_rendered_at_once() -> None:
    band = little_band(seconds=6.0)
    stems = render_stems(band, renderers=("numpy",))
    whole = synthesize(placed(band), SR)
    residual = stems.band - whole
    assert 10 * math.log10(float(np.sum(residual**2)) / float(np.sum(whole**2))) < -60.0


def test_a_score_without_drums_has_a_silent_drum_stem() -> None:
    band = little_band(seconds=4.0)
    no_drums = replace(band, tracks=tuple(t for t in band.tracks if t.channel != DRUM_CHANNEL))
    stems = render_stems(no_drums, renderers=("numpy",))
    assert not np.any(stems.stems["drums"]) and np.any(stems.stems["other"])
