"""Roman numerals to chords, and voicings that move by small steps."""

from __future__ import annotations

import pytest

from songgate.engine.compose.harmony import Changes, ChordSpan, parse_numeral, pitch_near, voice
from songgate.engine.types import Mode

NAMES = ["C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B"]


def spelled(symbol: str, tonic: int, mode: Mode) -> list[str]:
    return [NAMES[pc] for pc in parse_numeral(symbol, tonic, mode).tones]


@pytest.mark.parametrize(
    ("symbol", "tonic", "mode", "expected"),
    [
        ("i", 9, Mode.MINOR, ["A", "C", "E"]),
        ("III", 9, Mode.MINOR, ["C", "E", "G"]),
        ("VI", 9, Mode.MINOR, ["F", "A", "C"]),
        ("VII", 9, Mode.MINOR, ["G", "B", "D"]),
        ("V", 9, Mode.MINOR, ["E", "Ab", "B"]),
        ("iv", 9, Mode.MINOR, ["D", "F", "A"]),
        ("ii", 9, Mode.MINOR, ["B", "D", "F"]),
        ("I", 2, Mode.MAJOR, ["D", "F#", "A"]),
        ("vi", 0, Mode.MAJOR, ["A", "C", "E"]),
        ("vii", 0, Mode.MAJOR, ["B", "D", "F"]),
        ("V7", 0, Mode.MAJOR, ["G", "B", "D", "F"]),
        ("ii7", 0, Mode.MAJOR, ["D", "F", "A", "C"]),
        ("Imaj7", 0, Mode.MAJOR, ["C", "E", "G", "B"]),
        ("vii°7", 0, Mode.MAJOR, ["B", "D", "F", "Ab"]),
        ("viiø7", 0, Mode.MAJOR, ["B", "D", "F", "A"]),
        ("bVII", 0, Mode.MAJOR, ["Bb", "D", "F"]),
        ("bVI", 0, Mode.MAJOR, ["Ab", "C", "Eb"]),
        ("V/V", 0, Mode.MAJOR, ["D", "F#", "A"]),
        ("Vsus4", 0, Mode.MAJOR, ["G", "C", "D"]),
        ("Iadd9", 0, Mode.MAJOR, ["C", "E", "G", "D"]),
        ("I+", 0, Mode.MAJOR, ["C", "E", "Ab"]),
        (" IV ", 7, Mode.MAJOR, ["C", "E", "G"]),
    ],
)
def test_numerals(symbol: str, tonic: int, mode: Mode, expected: list[str]) -> None:
    assert spelled(symbol, tonic, mode) == expected


@pytest.mark.parametrize("symbol", ["", "X", "Hmm", "13", "N.C."])
def test_unreadable_numerals_fall_back_to_the_tonic(symbol: str) -> None:
    assert spelled(symbol, 9, Mode.MINOR) == ["A", "C", "E"]
    assert spelled(symbol, 0, Mode.MAJOR) == ["C", "E", "G"]


def test_pitch_near_picks_the_closest_octave() -> None:
    assert pitch_near(0, 62) == 60
    assert pitch_near(11, 60) == 59
    assert pitch_near(7, 64) == 67
    assert pitch_near(4, 40.0) == 40


def test_voicings_stay_in_range_and_move_little() -> None:
    chords = [parse_numeral(s, 0, Mode.MAJOR) for s in ("I", "V", "vi", "IV", "I")]
    previous: tuple[int, ...] = ()
    for chord in chords:
        notes = voice(chord, 52, 71, previous)
        assert all(52 <= n <= 71 for n in notes)
        assert {n % 12 for n in notes} == set(chord.tones)
        if previous:
            assert sum(min(abs(n - p) for p in previous) for n in notes) <= 6
        previous = notes


def test_voice_drops_the_fifth_when_there_are_too_many_tones() -> None:
    ninth = parse_numeral("V9", 0, Mode.MAJOR)
    notes = voice(ninth, 50, 74, (), 4)
    assert len(notes) == 4 and 2 not in {n % 12 for n in notes}  # D (the fifth) went


def test_changes_find_the_chord_at_a_beat() -> None:
    one, five = parse_numeral("I", 0, Mode.MAJOR), parse_numeral("V", 0, Mode.MAJOR)
    changes = Changes([ChordSpan(0.0, 4.0, one), ChordSpan(4.0, 4.0, five)])
    assert changes.at(0.0) is one and changes.at(3.99) is one and changes.at(4.0) is five
    assert changes.following(1.0) is five and changes.following(5.0) is five
    assert changes.at(100.0) is five
