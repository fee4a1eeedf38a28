"""The harmoniser on melodies whose chords are known: each bar's triad covers its tune."""

from __future__ import annotations

from songgate.engine.compose.harmonise import coverage, harmonise, key_triads, melody_key
from songgate.engine.guide import GuideChord, GuideNote
from songgate.engine.types import Mode

C, F, G, AM = GuideChord(0, False), GuideChord(5, False), GuideChord(7, False), GuideChord(9, True)


def arpeggios(*bars: tuple[int, ...], meter: int = 4) -> list[GuideNote]:
    """Each bar's pitches as equal notes filling the bar."""
    notes = []
    for bar, pitches in enumerate(bars):
        step = meter / max(1, len(pitches))
        notes += [GuideNote(bar * meter + i * step, step, p) for i, p in enumerate(pitches)]
    return notes


def test_arpeggiated_triads_are_found_bar_by_bar() -> None:
    tune = arpeggios((60, 64, 67, 72), (65, 69, 72, 69), (67, 71, 74, 71), (69, 72, 76, 72))
    found = harmonise(tune, tonic=0, mode=Mode.MAJOR, meter=4, bars=4)
    assert found.chords == (C, F, G, AM)
    assert found.coverage == 1.0


def test_passing_tones_weigh_by_duration() -> None:
    # long E and G with a short passing D and F: C major, not G or D minor
    tune = [GuideNote(0, 1.5, 64), GuideNote(1.5, 0.5, 62), GuideNote(2, 1.5, 67),
            GuideNote(3.5, 0.5, 65)]
    found = harmonise(tune, tonic=0, mode=Mode.MAJOR, meter=4, bars=1)
    assert found.chords == (C,)
    assert found.coverage == 0.75


def test_a_scale_tune_is_mostly_covered_and_uses_the_key() -> None:
    """A stepwise tune (a nursery-rhyme shape) is covered as far as one triad a bar can:
    bars 2-4 each hold two pitches no triad of the key shares, so 10 of 16 beats."""
    line = (60, 60, 67, 67, 69, 69, 67, 67, 65, 65, 64, 64, 62, 62, 60, 60)
    tune = [GuideNote(i * 1.0, 1.0, p) for i, p in enumerate(line)]
    found = harmonise(tune, tonic=0, mode=Mode.MAJOR, meter=4, bars=4)
    assert set(found.chords) <= set(key_triads(0, Mode.MAJOR))
    assert found.coverage == 10 / 16
    assert found.chords[0] == C and found.chords[-1] in (C, G)


def test_an_unsung_bar_follows_a_common_progression() -> None:
    tune = arpeggios((60, 64, 67, 64), (), (67, 71, 74, 71))
    found = harmonise(tune, tonic=0, mode=Mode.MAJOR, meter=4, bars=3)
    assert found.chords[0] == C and found.chords[2] == G
    assert found.chords[1] in (F, GuideChord(2, True), C, AM)  # I-IV-V, I-ii-V, ...


def test_minor_keys_use_the_raised_dominant() -> None:
    tune = arpeggios((57, 60, 64, 60), (64, 68, 71, 68), (57, 60, 64, 69))
    found = harmonise(tune, tonic=9, mode=Mode.MINOR, meter=4, bars=3)
    assert found.chords == (GuideChord(9, True), GuideChord(4, False), GuideChord(9, True))


def test_coverage_counts_only_the_bars_chord() -> None:
    tune = arpeggios((60, 64, 67, 71))
    assert coverage(tune, (C,), 4) == 0.75


def test_a_tunes_key_comes_from_its_notes() -> None:
    # D E F# G A, long on D and A: D major; the same notes resting on B: B minor
    tune = [GuideNote(i, 2.0 if p in (62, 69) else 1.0, p) for i, p in
            enumerate((62, 64, 66, 67, 69, 66, 62))]
    assert melody_key(tune) == (2, Mode.MAJOR)
    resting = [GuideNote(i, 3.0 if p in (59, 66) else 0.5, p) for i, p in
               enumerate((59, 61, 62, 64, 66, 62, 59))]
    assert melody_key(resting) == (11, Mode.MINOR)
    assert melody_key([]) is None
