"""parse_style: Suno-style tags → genre preset, bent by moods, instruments, tempo and key."""

from __future__ import annotations

import re

import pytest

from songgate.engine.style.parse import GENRES, TEMPO_MAX, TEMPO_MIN, parse_style
from songgate.engine.style.presets import PRESETS
from songgate.engine.types import Mode, Style

DRUM_PATTERNS = {
    "backbeat", "rock", "four_on_floor", "halftime", "boom_bap", "trap", "lofi", "jazz_swing",
    "clave", "ballad", "folk", "orchestral", "chinese", "none",
}  # fmt: skip
NUMERAL = re.compile(r"^(?:VII|VI|IV|V|III|II|I|vii|vi|iv|v|iii|ii|i)(?:7|maj7)?$")
FAMILY_PIANO = set(range(8))
FAMILY_SYNTH = set(range(80, 104))


def roles(style: Style) -> list[int]:
    """Every GM program the arrangement uses."""
    inst = style.instruments
    pad = [inst.pad] if inst.pad is not None else []
    return [inst.lead, inst.comp, inst.bass, *pad, *inst.extras]


REPRESENTATIVE = {
    "pop": "upbeat pop, female vocals",
    "rock": "hard rock anthem",
    "ballad": "power ballad",
    "salsa": "heartfelt salsa",
    "edm": "edm festival banger",
    "lofi": "lofi chill beats",
    "jazz": "smooth jazz",
    "folk": "acoustic folk",
    "hiphop": "hip-hop",
    "rnb": "r&b soul",
    "orchestral": "epic orchestral",
    "chinese": "中国风 古筝",
}


def test_there_are_at_least_twelve_genres() -> None:
    assert set(REPRESENTATIVE) <= set(GENRES)
    assert len(GENRES) >= 12


@pytest.mark.parametrize(("genre", "tags"), sorted(REPRESENTATIVE.items()))
def test_every_genre_is_reachable_from_representative_tags(genre: str, tags: str) -> None:
    style = parse_style(tags)
    assert style.genre == genre
    assert style.tags == tags


def test_the_issue_examples() -> None:
    salsa = parse_style("heartfelt salsa")
    assert (salsa.genre, salsa.drum_pattern) == ("salsa", "clave")

    lofi = parse_style("lofi chill beats")
    assert (lofi.genre, lofi.drum_pattern) == ("lofi", "lofi")
    assert "chill" in lofi.moods and lofi.swing > 0

    orchestral = parse_style("epic orchestral")
    assert (orchestral.genre, orchestral.drum_pattern) == ("orchestral", "orchestral")

    chinese = parse_style("中国风 古筝")
    assert chinese.genre == "chinese"
    assert chinese.instruments.lead == 107  # koto for guzheng
    assert chinese.instruments.comp != 107  # not doubled by the comp

    ballad = parse_style("sad piano ballad")
    assert (ballad.genre, ballad.mode) == ("ballad", Mode.MINOR)
    assert 0 in roles(ballad)
    assert ballad.moods == ("sad",)

    trap = parse_style("dark trap 140bpm")
    assert (trap.genre, trap.drum_pattern, trap.tempo, trap.mode) == (
        "hiphop",
        "trap",
        140.0,
        Mode.MINOR,
    )
    assert trap.instruments.drum_kit == 25


@pytest.mark.parametrize(
    ("tags", "genre"),
    [
        ("流行", "pop"),
        ("摇滚", "rock"),
        ("抒情", "ballad"),
        ("民谣", "folk"),
        ("电子舞曲", "edm"),
        ("爵士", "jazz"),
        ("说唱", "hiphop"),
        ("嘻哈", "hiphop"),
        ("古风", "chinese"),
        ("国风", "chinese"),
        ("latin", "salsa"),
        ("bachata", "salsa"),
        ("lo-fi", "lofi"),
        ("chillhop", "lofi"),
        ("lo-fi hip hop", "lofi"),
        ("cinematic", "orchestral"),
        ("rap", "hiphop"),
        ("hip hop", "hiphop"),
        ("rnb", "rnb"),
        ("soul", "rnb"),
        ("country", "folk"),
        ("house", "edm"),
        ("techno", "edm"),
        ("dance", "edm"),
        ("electronic", "edm"),
        ("ROCK", "rock"),
        ("Ballads", "ballad"),
    ],
)
def test_keywords_and_synonyms(tags: str, genre: str) -> None:
    assert parse_style(tags).genre == genre


@pytest.mark.parametrize("tags", ["", "   ", "something entirely different", "🎵🎶", "qwerty"])
def test_unknown_words_give_pop(tags: str) -> None:
    assert parse_style(tags).genre == "pop"


@pytest.mark.parametrize(
    ("tags", "lead"),
    [("二胡", 110), ("笛子", 73), ("琵琶", 106), ("古筝", 107), ("guzheng", 107), ("erhu", 110)],
)
def test_chinese_instruments_pick_the_chinese_preset_and_lead(tags: str, lead: int) -> None:
    style = parse_style(tags)
    assert style.genre == "chinese"
    assert style.instruments.lead == lead


def test_sad_moods_turn_minor_slower_and_calmer() -> None:
    plain, sad = parse_style("pop", seed=3), parse_style("sad pop", seed=3)
    assert plain.mode is Mode.MAJOR and sad.mode is Mode.MINOR
    assert sad.tempo < plain.tempo
    assert sad.energy < plain.energy
    assert sad.moods == ("sad",)
    assert parse_style("悲伤 流行", seed=3).mode is Mode.MINOR
    assert parse_style("忧郁的流行", seed=3).moods == ("忧郁",)


def test_happy_moods_turn_major_and_faster() -> None:
    plain, happy = parse_style("edm", seed=1), parse_style("happy edm", seed=1)
    assert plain.mode is Mode.MINOR and happy.mode is Mode.MAJOR
    assert happy.tempo > plain.tempo
    chinese = parse_style("欢快 说唱", seed=1)
    assert chinese.mode is Mode.MAJOR and chinese.moods == ("欢快",)
    # 快乐 is "happy", not 快 "fast" + 乐.
    assert parse_style("快乐").moods == ("快乐",)


def test_chill_and_energetic_move_tempo_and_energy_opposite_ways() -> None:
    plain = parse_style("rock", seed=5)
    chill = parse_style("chill rock", seed=5)
    driven = parse_style("energetic aggressive rock", seed=5)
    assert chill.tempo < plain.tempo < driven.tempo
    assert chill.energy < plain.energy < driven.energy
    assert chill.mode is plain.mode  # chill is not a mode word


def test_the_minor_progressions_follow_a_minor_mode() -> None:
    sad = parse_style("sad pop")
    assert sad.progressions[0][0] == "i"
    assert parse_style("pop").progressions[0][0] == "I"


def test_negative_drums_remove_the_kit_and_pattern() -> None:
    for negative in ("drums", "percussion", "Drums, vocals", "鼓"):
        style = parse_style("rock", negative)
        assert style.instruments.drums is False
        assert style.drum_pattern == "none"
    inline = parse_style("acoustic folk, no drums")
    assert (inline.genre, inline.instruments.drums, inline.drum_pattern) == ("folk", False, "none")
    assert parse_style("rock").instruments.drums is True
    orchestral = parse_style("epic orchestral with taiko", "percussion")
    assert not {47, 116} & set(roles(orchestral))  # timpani and taiko go too


def test_negative_instruments_appear_in_no_role() -> None:
    ballad = parse_style("sad piano ballad", "piano")
    assert not FAMILY_PIANO & set(roles(ballad))
    assert ballad.genre == "ballad"

    edm = parse_style("edm", "synth")
    assert not FAMILY_SYNTH & set(roles(edm))

    chinese = parse_style("中国风", "笛子, 古筝")
    assert not {73, 107} & set(roles(chinese))


def test_negative_genres_are_excluded_from_scoring() -> None:
    assert parse_style("rock", "rock").genre != "rock"
    assert parse_style("ballad, rock", "ballad").genre == "rock"
    assert parse_style("", "pop").genre != "pop"


@pytest.mark.parametrize(
    ("tags", "tempo"),
    [
        ("pop 128 bpm", 128.0),
        ("pop 128bpm", 128.0),
        ("tempo: 90, jazz", 90.0),
        ("BPM 100", 100.0),
        ("edm 200 bpm", TEMPO_MAX),
        ("ballad 40bpm", TEMPO_MIN),
    ],
)
def test_explicit_tempo_overrides_and_is_clamped(tags: str, tempo: float) -> None:
    assert parse_style(tags).tempo == tempo


@pytest.mark.parametrize(
    ("tags", "tonic", "mode"),
    [
        ("rock in D minor", 2, Mode.MINOR),
        ("key of A, pop", 9, None),
        ("F# major ballad", 6, Mode.MAJOR),
        ("Bb minor jazz", 10, Mode.MINOR),
        ("C#m trap", 1, Mode.MINOR),
        ("happy pop in E minor", 4, Mode.MINOR),  # explicit mode beats the mood
        ("D大调 民谣", 2, Mode.MAJOR),
        ("a小调", 9, Mode.MINOR),
        ("pop in Eb", 3, None),
    ],
)
def test_explicit_key_overrides(tags: str, tonic: int, mode: Mode | None) -> None:
    style = parse_style(tags)
    assert style.tonic == tonic
    if mode is not None:
        assert style.mode is mode


def test_same_inputs_give_the_same_style() -> None:
    for tags in ("heartfelt salsa", "中国风 古筝", "dark trap 140bpm", ""):
        assert parse_style(tags, "piano", seed=42) == parse_style(tags, "piano", seed=42)


def test_seed_varies_the_key_within_the_presets_keys() -> None:
    preset = {p.name: p for p in PRESETS}["pop"]
    tonics = {parse_style("pop", seed=seed).tonic for seed in range(20)}
    assert len(tonics) >= 2
    assert tonics <= set(preset.major_keys)


@pytest.mark.parametrize(
    ("tags", "role", "program"),
    [
        ("pop with saxophone", "lead", 65),
        ("violin pop", "lead", 40),
        ("flute pop", "lead", 73),
        ("pop with strings", "pad", 48),
        ("synth ballad", "lead", 80),
        ("synth ballad", "pad", 89),
        ("guitar pop", "comp", 25),
        ("guitar salsa", "comp", 24),
        ("rock guitar", "comp", 30),  # already a guitar: kept
        ("jazz piano", "comp", 0),
        ("hiphop with 808", "bass", 38),
    ],
)
def test_instrument_words_override_roles(tags: str, role: str, program: int) -> None:
    assert getattr(parse_style(tags).instruments, role) == program


def test_presets_are_complete_and_valid() -> None:
    for preset in PRESETS:
        assert 60 <= preset.tempo[0] <= preset.tempo[1] <= 180, preset.name
        assert preset.drum_pattern in DRUM_PATTERNS, preset.name
        for progressions in (preset.major, preset.minor):
            assert 2 <= len(progressions) <= 4, preset.name
            for progression in progressions:
                assert len(progression) in (4, 8), preset.name
                assert all(NUMERAL.match(chord) for chord in progression), progression
        assert preset.major_keys and preset.minor_keys
        inst = preset.instruments
        programs = [inst.lead, inst.comp, inst.bass, *inst.extras]
        assert all(0 <= p <= 127 for p in programs), preset.name
        assert inst.lead != inst.comp, preset.name
        assert inst.drum_kit in (0, 8, 16, 24, 25, 32, 40, 48)


@pytest.mark.parametrize("genre", sorted(REPRESENTATIVE))
@pytest.mark.parametrize("mood", ["", "sad", "happy", "chill", "energetic", "slow", "fast"])
def test_ranges_hold_for_every_genre_and_mood(genre: str, mood: str) -> None:
    style = parse_style(f"{mood} {REPRESENTATIVE[genre]}", seed=7)
    assert TEMPO_MIN <= style.tempo <= TEMPO_MAX
    assert 0.0 <= style.energy <= 1.0
    assert 0.0 <= style.swing <= 1 / 3
    assert 0 <= style.tonic <= 11
    assert style.drum_pattern in DRUM_PATTERNS
    assert all(0 <= program <= 127 for program in roles(style))
    assert style.instruments.lead != style.instruments.comp
