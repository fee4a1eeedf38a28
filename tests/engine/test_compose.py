"""compose(): the Score's promises, checked on hand-built styles and lyrics.

Styles and forms are built directly from ``types`` so these tests depend on
nothing but the composer. Chord tones are read back from the pad track (a
sustained voicing of each bar's chord), so the harmony check is end to end.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import pytest

from songgate.engine.compose.arrange import INSTRUMENTAL_SECONDS
from songgate.engine.compose.drums import GROOVES
from songgate.engine.compose.phrasing import is_strong_beat
from songgate.engine.compose.score import compose
from songgate.engine.types import (
    DRUM_CHANNEL,
    Form,
    Instrumentation,
    LyricLine,
    Mode,
    Score,
    Section,
    SectionKind,
    SectionSpan,
    Style,
    Syllable,
    Track,
    VocalNote,
)

VOCAL_RANGE = (57, 76)


def make_style(**changes: object) -> Style:
    base = Style(
        genre="pop",
        tags="pop",
        tempo=110.0,
        tonic=2,
        mode=Mode.MAJOR,
        instruments=Instrumentation(lead=73, comp=0, bass=33, pad=48, extras=(56,), drum_kit=0),
        drum_pattern="backbeat",
        progressions=(("I", "V", "vi", "IV"), ("IV", "I", "V", "vi"), ("vi", "IV", "I", "V")),
        swing=0.0,
        energy=0.6,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def line(text: str) -> LyricLine:
    """English-ish syllables: hyphens split words, a leading capital-free rule for stress."""
    syllables: list[Syllable] = []
    for word in text.split():
        parts = word.split("-")
        for index, part in enumerate(parts):
            stressed = index == 0 if len(parts) > 1 else len(part) > 3
            syllables.append(
                Syllable(part, part, "en", stressed=stressed, word_end=index == len(parts) - 1)
            )
    return LyricLine(text.replace("-", ""), tuple(syllables))


def zh_line(text: str) -> LyricLine:
    return LyricLine(text, tuple(Syllable(c, c, "zh") for c in text))


VERSE_1 = Section(
    SectionKind.VERSE,
    "Verse 1",
    (
        line("I've been walk-ing down this emp-ty road to-night"),
        line("count-ing all the stars that lost their light"),
        line("ev-ery step I take I hear your name"),
        line("noth-ing in this ci-ty feels the same"),
    ),
)
VERSE_2 = Section(
    SectionKind.VERSE,
    "Verse 2",
    (
        line("morn-ing comes a-round a-gain so slow"),
        line("I keep hold-ing on and can't let go"),
        line("ev-ery word you said is in my head"),
    ),
)
CHORUS = Section(
    SectionKind.CHORUS,
    "Chorus",
    (
        line("so take me home"),
        line("where the ri-vers run in gold"),
        line("take me home"),
        line("I don't want to be a-lone to-night"),
    ),
)
BRIDGE = Section(
    SectionKind.BRIDGE,
    "Bridge",
    (line("and if the night is long"), line("I'll sing a-no-ther song")),
)
SONG = Form((VERSE_1, CHORUS, VERSE_2, CHORUS, BRIDGE, CHORUS))


def sung_syllables(form: Form) -> list[Syllable]:
    return [s for section in form.sections for ln in section.lines for s in ln.syllables]


def section_at(score: Score, beat: float) -> SectionSpan:
    return next(
        s
        for s in score.sections
        if s.start_bar * score.meter - HUMAN <= beat < (s.start_bar + s.bars) * score.meter - HUMAN
    )


def track(score: Score, name: str) -> Track:
    found = [t for t in score.tracks if t.name == name]
    assert found, f"no {name} track in {[t.name for t in score.tracks]}"
    return found[0]


HUMAN = 0.03  # beats: played parts start up to this far off the grid (a player's unevenness)


def sounding_classes(part: Track, beat: float) -> set[int]:
    """Pitch classes sounding just after ``beat`` (played notes may start a hair late)."""
    probe = beat + HUMAN
    return {n.pitch % 12 for n in part.notes if n.start <= probe < n.start + n.duration}


def near(beat: float, beats: Sequence[float]) -> bool:
    return any(abs(beat - other) <= HUMAN for other in beats)


def chord_tone_ratio(score: Score) -> float:
    pad = track(score, "pad")
    strong = [v for v in score.vocal if is_strong_beat(v.start, score.meter)]
    assert len(strong) >= 5
    hits = sum(v.pitch % 12 in sounding_classes(pad, v.start) for v in strong)
    return hits / len(strong)


def section_vocal(score: Score, label: str) -> list[list[tuple[float, float, int]]]:
    """Per section with this label: its vocal notes relative to the section start."""
    result = []
    for span in score.sections:
        if span.label != label:
            continue
        start = span.start_bar * score.meter
        end = start + span.bars * score.meter
        result.append(
            [
                (round(v.start - start, 6), round(v.duration, 6), v.pitch)
                for v in score.vocal
                if start <= v.start < end
            ]
        )
    return result


def assert_lyrics_then_repeats(vocal: Sequence[VocalNote], form: Form) -> None:
    """Every syllable of the lyrics, in order, then only repeats of whole lines."""
    sung = [v.syllable for v in vocal]
    lyrics = sung_syllables(form)
    assert sung[: len(lyrics)] == lyrics
    lines = {ln.syllables for section in form.sections for ln in section.lines}
    rest = sung[len(lyrics) :]
    while rest:
        found = [ln for ln in lines if tuple(rest[: len(ln)]) == ln]
        assert found, "a repeated syllable is not part of a whole line"
        rest = rest[len(max(found, key=len)) :]


def assert_whole_lines_in_order(vocal: Sequence[VocalNote], form: Form) -> None:
    """The sung syllables are whole lines of the form, in the form's order."""
    sung = [v.syllable for v in vocal]
    position = 0
    for section in form.sections:
        for ln in section.lines:
            size = len(ln.syllables)
            if tuple(sung[position : position + size]) == ln.syllables:
                position += size
    assert position == len(sung), "a sung syllable is not part of a whole line in order"


# --- the vocal line ---------------------------------------------------------------------


def test_one_note_per_syllable_in_order() -> None:
    score = compose(make_style(), SONG, seed=1, max_seconds=240)
    assert_lyrics_then_repeats(score.vocal, SONG)


def test_every_chorus_sings_the_identical_melody() -> None:
    score = compose(make_style(), SONG, seed=5, max_seconds=240)
    choruses = section_vocal(score, "Chorus")
    assert len(choruses) == 4  # three in the lyrics, the last again before its lift
    assert choruses[0] and all(c == choruses[0] for c in choruses)
    (lifted,) = section_vocal(score, "Chorus (lift)")
    shift = lifted[0][2] - choruses[0][0][2]
    assert shift in (0, 1, 2)  # the final chorus may go up a key
    assert lifted == [(t, d, p + shift) for t, d, p in choruses[0]]


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
@pytest.mark.parametrize(
    "style",
    [
        make_style(),
        make_style(tonic=9, mode=Mode.MINOR, progressions=(("i", "VI", "III", "VII"),)),
        make_style(genre="jazz", swing=0.3, progressions=(("ii7", "V7", "Imaj7", "vi7"),)),
        make_style(meter=3, tempo=96.0),
    ],
    ids=["major", "minor", "jazz-sevenths", "waltz"],
)
def test_strong_beats_land_on_chord_tones(style: Style, seed: int) -> None:
    score = compose(style, SONG, seed=seed, max_seconds=240)
    assert chord_tone_ratio(score) >= 0.8


@pytest.mark.parametrize("tempo", [62.0, 96.0, 128.0, 176.0])
@pytest.mark.parametrize("swing", [0.0, 0.3])
def test_vocal_notes_are_singable(tempo: float, swing: float) -> None:
    score = compose(make_style(tempo=tempo, swing=swing), SONG, seed=7, max_seconds=300)
    assert score.vocal
    for note, after in zip(score.vocal, score.vocal[1:], strict=False):
        assert note.start + note.duration <= after.start + 1e-9, "vocal notes overlap"
    for note in score.vocal:
        assert VOCAL_RANGE[0] <= note.pitch <= VOCAL_RANGE[1]
        assert note.duration * 60.0 / tempo >= 0.18 - 1e-9
    assert score.vocal[-1].start + score.vocal[-1].duration <= score.total_beats


def test_lines_breathe_and_end_on_a_held_chord_tone() -> None:
    style = make_style()
    score = compose(style, SONG, seed=3, max_seconds=240)
    pad = track(score, "pad")
    index = 0
    for section in SONG.sections:
        for ln in section.lines:
            notes = score.vocal[index : index + len(ln.syllables)]
            index += len(ln.syllables)
            last = notes[-1]
            assert last.duration >= max(n.duration for n in notes[:-1] or notes) - 1e-9
            assert last.pitch % 12 in sounding_classes(pad, last.start)
            if index < len(score.vocal):  # a breath before the next line
                assert score.vocal[index].start - (last.start + last.duration) >= 0.5


def test_melody_moves_mostly_by_step() -> None:
    score = compose(make_style(), SONG, seed=11, max_seconds=240)
    moves = [abs(b.pitch - a.pitch) for a, b in zip(score.vocal, score.vocal[1:], strict=False)]
    assert sum(m <= 2 for m in moves) / len(moves) >= 0.6
    assert sum(m > 7 for m in moves) / len(moves) <= 0.1
    assert any(m >= 3 for m in moves)  # some leaps, not a drone


def test_chorus_sits_higher_than_verse() -> None:
    score = compose(make_style(), SONG, seed=2, max_seconds=240)
    chorus = [p for _, _, p in section_vocal(score, "Chorus")[0]]
    verse = [p for _, _, p in section_vocal(score, "Verse 1")[0]]
    assert sum(chorus) / len(chorus) > sum(verse) / len(verse) + 1.5


def test_stressed_syllables_prefer_strong_beats() -> None:
    score = compose(make_style(), SONG, seed=4, max_seconds=240)
    on_beat = [abs(v.start - round(v.start)) < 1e-9 for v in score.vocal]
    stressed = [b for b, v in zip(on_beat, score.vocal, strict=True) if v.syllable.stressed]
    unstressed = [b for b, v in zip(on_beat, score.vocal, strict=True) if not v.syllable.stressed]
    assert sum(stressed) / len(stressed) > sum(unstressed) / len(unstressed)


def test_chinese_characters_each_get_a_note_mostly_on_beats() -> None:
    verse = (zh_line("月亮代表我的心"), zh_line("你问我爱你有多深"))
    chorus = (zh_line("我的情也真"), zh_line("我的爱也真"))
    form = Form(
        (Section(SectionKind.VERSE, "主歌", verse), Section(SectionKind.CHORUS, "副歌", chorus)),
        language="zh",
    )
    style = make_style(genre="chinese", drum_pattern="chinese", tempo=84.0, tonic=7)
    score = compose(style, form, seed=9, max_seconds=240)
    expected = "".join(ln.text for ln in (*verse, *chorus))
    assert "".join(v.syllable.text for v in score.vocal).startswith(expected)
    eighths = [abs(v.start * 2 - round(v.start * 2)) < 1e-9 for v in score.vocal]
    assert all(eighths)
    assert chord_tone_ratio(score) >= 0.8


# --- length -----------------------------------------------------------------------------


def test_long_lyric_is_trimmed_by_whole_lines() -> None:
    lines = tuple(line(f"this is the line num-ber {n} of a ve-ry long song") for n in range(40))
    form = Form((Section(SectionKind.VERSE, "Verse", lines),))
    score = compose(make_style(), form, seed=1, max_seconds=120)
    assert score.seconds <= 120.0
    assert len(score.vocal) >= 20
    assert_whole_lines_in_order(score.vocal, form)


def test_long_song_drops_sections_but_keeps_a_chorus() -> None:
    sections = []
    for number in range(5):
        sections += [replace(VERSE_1, label=f"Verse {number + 1}"), CHORUS, BRIDGE]
    form = Form(tuple(sections))
    score = compose(make_style(), form, seed=1, max_seconds=90)
    assert score.seconds <= 90.0
    assert_whole_lines_in_order(score.vocal, form)
    kinds = [span.kind for span in score.sections]
    assert SectionKind.CHORUS in kinds
    assert kinds[0] is SectionKind.INTRO
    ends = [span.start_bar + span.bars for span in score.sections]
    assert [span.start_bar for span in score.sections[1:]] == ends[:-1]


def test_song_is_the_lyrics_arranged_with_a_ring_out_tail() -> None:
    score = compose(make_style(), SONG, seed=1, max_seconds=400)
    last = score.sections[-1]
    body = (last.start_bar + last.bars) * score.meter
    assert score.meter <= score.total_beats - body <= 4 * score.meter
    labels = [s.label for s in score.sections]
    assert labels[1 : 1 + len(SONG.sections)] == [s.label for s in SONG.sections]
    assert labels[1 + len(SONG.sections) :] == ["Solo", "Chorus", "Chorus (lift)", "Outro"]
    assert score.sections[0].kind is SectionKind.INTRO
    assert score.sections[-1].kind is SectionKind.OUTRO
    for part in score.tracks:
        assert all(n.start + n.duration <= score.total_beats + 1e-6 for n in part.notes)


def test_a_three_minute_form_composes_in_full() -> None:
    """How long composing takes is measured by benchmarks/engine.py."""
    form = Form((VERSE_1, CHORUS, VERSE_2, CHORUS, BRIDGE, CHORUS, CHORUS))
    score = compose(make_style(tempo=76.0), form, seed=1, max_seconds=240)
    assert score.seconds >= 150.0


# --- instrumental -----------------------------------------------------------------------


@pytest.mark.parametrize("tempo", [70.0, 100.0, 128.0, 170.0])
def test_instrumental_gets_a_form_and_a_lead_melody(tempo: float) -> None:
    score = compose(make_style(tempo=tempo), Form(()), seed=2, max_seconds=240)
    assert score.vocal == ()
    assert 90.0 <= score.seconds <= INSTRUMENTAL_SECONDS
    kinds = [span.kind for span in score.sections]
    assert kinds[0] is SectionKind.INTRO and SectionKind.CHORUS in kinds
    assert SectionKind.INSTRUMENTAL in kinds and kinds[-1] is SectionKind.OUTRO
    lead = track(score, "lead")
    for span in score.sections:
        start, end = span.start_bar * score.meter, (span.start_bar + span.bars) * score.meter
        assert any(start <= n.start < end for n in lead.notes), f"lead silent in {span.label}"


def test_instrumental_choruses_repeat_their_tune() -> None:
    score = compose(make_style(), Form(()), seed=8, max_seconds=240)
    lead = track(score, "lead")
    tunes = []
    for span in score.sections:
        if span.kind is SectionKind.CHORUS:
            start = span.start_bar * score.meter
            end = start + span.bars * score.meter
            notes = [n for n in lead.notes if start - HUMAN <= n.start < end - HUMAN]
            tunes.append([(n.start - start, n.pitch - notes[0].pitch) for n in notes])
    assert len(tunes) >= 3
    for tune in tunes:  # the same tune (the lifted one may be in another key), played by hand
        assert [p for _, p in tune] == [p for _, p in tunes[0]]
        assert all(abs(a - b) <= HUMAN for (a, _), (b, _) in zip(tune, tunes[0], strict=True))


def test_instrumental_respects_a_short_limit() -> None:
    score = compose(make_style(), Form(()), seed=2, max_seconds=45)
    assert 20.0 <= score.seconds <= 45.0


def test_markers_only_form_keeps_its_section_order() -> None:
    form = Form(
        (
            Section(SectionKind.INTRO, "Intro"),
            Section(SectionKind.CHORUS, "Drop"),
            Section(SectionKind.BRIDGE, "Break"),
            Section(SectionKind.CHORUS, "Drop"),
            Section(SectionKind.OUTRO, "Outro"),
        )
    )
    score = compose(
        make_style(genre="edm", drum_pattern="four_on_floor"), form, seed=1, max_seconds=240
    )
    labels = [s.label for s in score.sections]
    assert labels[:4] == ["Intro", "Drop", "Break", "Drop"] and labels[-1] == "Outro"
    assert labels[4:-1] == ["Solo", "Drop", "Drop (lift)"]
    assert track(score, "lead").notes


def test_an_intro_replays_the_chorus_tune_on_the_lead() -> None:
    form = Form((Section(SectionKind.INTRO, "Intro"), VERSE_1, CHORUS))
    style = make_style(tempo=120.0)
    score = compose(style, form, seed=6, max_seconds=240)
    intro = score.sections[0]
    assert intro.kind is SectionKind.INTRO
    chorus = section_vocal(score, "Chorus")[0]
    lead = track(score, "lead")
    shift = 12  # flute (73) plays an octave above the voice
    intro_end = intro.bars * score.meter
    played = [(n.start, n.pitch - shift) for n in lead.notes if n.start < intro_end - HUMAN]
    assert played
    assert [p for _, p in played] == [p for _, _, p in chorus[: len(played)]]
    assert all(abs(a - b) <= HUMAN for (a, _), (b, _, _) in zip(played, chorus, strict=False))


# --- arrangement ------------------------------------------------------------------------


@pytest.mark.parametrize("pattern", [*sorted(GROOVES), "none"])
def test_every_drum_pattern_plays(pattern: str) -> None:
    kit = Instrumentation(lead=73, comp=0, bass=33, drum_kit=25)
    score = compose(
        make_style(drum_pattern=pattern, instruments=kit), SONG, seed=1, max_seconds=240
    )
    drums = [t for t in score.tracks if t.channel == DRUM_CHANNEL]
    if pattern == "none":
        assert not any(t.notes for t in drums)
        return
    assert len(drums) == 1 and drums[0].program == 25
    hits = drums[0].notes
    assert len(hits) >= 2 * sum(s.bars for s in score.sections)
    starts = {s.start_bar * score.meter for s in score.sections[1:]}
    crashes = [n.start for n in hits if n.pitch in (49, 52)]
    assert all(near(start, crashes) for start in starts)


def test_pattern_names_from_the_brief_are_all_known() -> None:
    names = {
        "backbeat",
        "rock",
        "four_on_floor",
        "halftime",
        "boom_bap",
        "trap",
        "lofi",
        "jazz_swing",
        "clave",
        "ballad",
        "folk",
        "orchestral",
        "chinese",
    }
    assert names <= set(GROOVES)


def test_drums_can_be_switched_off() -> None:
    kit = Instrumentation(lead=73, comp=0, bass=33, drums=False)
    score = compose(make_style(instruments=kit), SONG, seed=1, max_seconds=240)
    assert not any(t.channel == DRUM_CHANNEL for t in score.tracks)


@pytest.mark.parametrize(
    "genre",
    [
        "pop",
        "rock",
        "ballad",
        "salsa",
        "edm",
        "lofi",
        "jazz",
        "folk",
        "hiphop",
        "rnb",
        "orchestral",
        "chinese",
    ],
)
def test_instrumentation_programs_appear_on_tracks(genre: str) -> None:
    kit = Instrumentation(lead=40, comp=25, bass=32, pad=89, extras=(61, 110), drum_kit=0)
    score = compose(make_style(genre=genre, instruments=kit), SONG, seed=3, max_seconds=240)
    programs = {t.program for t in score.tracks if t.channel != DRUM_CHANNEL and t.notes}
    assert {40, 25, 32, 89, 61, 110} <= programs
    channels = [t.channel for t in score.tracks]
    assert len(channels) == len(set(channels))
    for part in score.tracks:
        for note in part.notes:
            assert 0 <= note.pitch <= 127 and 1 <= note.velocity <= 127
            assert note.duration > 0 and note.start >= 0


def test_bass_follows_the_roots() -> None:
    style = make_style(genre="ballad", drum_pattern="ballad", tonic=0)
    score = compose(style, SONG, seed=1, max_seconds=240)
    bass = track(score, "bass")
    for span in score.sections[1:]:
        downbeat = span.start_bar * score.meter
        first = [n for n in bass.notes if abs(n.start - downbeat) <= HUMAN]
        assert first and first[0].pitch < 52
        assert first[0].pitch % 12 in sounding_classes(track(score, "pad"), downbeat)


def test_minor_key_chords_are_minor() -> None:
    style = make_style(tonic=9, mode=Mode.MINOR, progressions=(("i", "VI", "III", "VII"),))
    score = compose(style, SONG, seed=1, max_seconds=240)
    pad = track(score, "pad")
    bar = score.sections[1].start_bar * score.meter
    assert sounding_classes(pad, bar) == {9, 0, 4}  # A C E
    assert sounding_classes(pad, bar + score.meter) == {5, 9, 0}  # F A C


def test_waltz_keeps_three_beats_per_bar() -> None:
    style = make_style(meter=3, tempo=100.0, genre="folk", drum_pattern="folk")
    score = compose(style, SONG, seed=2, max_seconds=240)
    assert score.meter == 3
    assert score.total_beats % 3 == 0
    assert_lyrics_then_repeats(score.vocal, SONG)
    kicks = [n.start for n in track(score, "drums").notes if n.pitch == 36]
    assert kicks and all(min(k % 3, 3 - k % 3) <= HUMAN for k in kicks)


def test_swing_delays_off_beat_eighths() -> None:
    style = make_style(genre="jazz", drum_pattern="jazz_swing", swing=0.25)
    score = compose(style, SONG, seed=1, max_seconds=240)
    rides = [n.start % 1 for n in track(score, "drums").notes if n.pitch == 51]
    assert near(0.75, rides) and not near(0.5, rides)


def test_energy_sets_loudness() -> None:
    calm = compose(make_style(energy=0.1), SONG, seed=1, max_seconds=240)
    loud = compose(make_style(energy=0.95), SONG, seed=1, max_seconds=240)

    def mean(score: Score) -> float:
        values = [n.velocity for n in track(score, "comp").notes]
        return sum(values) / len(values)

    assert mean(loud) > mean(calm) + 15


def test_lead_answers_the_voice_between_lines() -> None:
    """Answers come after a line's words: at most under its held last note, never
    over the next line."""
    score = compose(make_style(), SONG, seed=1, max_seconds=240)
    lead = track(score, "lead")
    vocal = score.vocal
    answers = [
        n
        for n in lead.notes
        if vocal[0].start <= n.start <= vocal[-1].start
        and section_at(score, n.start).kind in (SectionKind.VERSE, SectionKind.BRIDGE)
    ]
    assert len(answers) >= 6
    for note in answers:
        singing = [v for v in vocal if v.start <= note.start < v.start + v.duration - HUMAN]
        for held in singing:
            assert held.duration >= 1.0 and note.start >= held.start + 1.0 - HUMAN
        following = [v.start for v in vocal if v.start > note.start]
        assert note.start + note.duration <= following[0] + HUMAN


def test_lead_doubles_the_voice_in_choruses() -> None:
    score = compose(make_style(), SONG, seed=1, max_seconds=240)
    lead = track(score, "lead")
    shift = 12  # flute (73) plays an octave above the voice
    for v in score.vocal:
        if section_at(score, v.start).kind is SectionKind.CHORUS:
            assert any(
                abs(n.start - v.start) <= HUMAN and n.pitch == v.pitch + shift for n in lead.notes
            )


# --- determinism ------------------------------------------------------------------------


def test_same_arguments_give_an_equal_score() -> None:
    first = compose(make_style(), SONG, seed=42, max_seconds=180)
    second = compose(make_style(), SONG, seed=42, max_seconds=180)
    assert first == second


def test_scores_are_equal_across_processes() -> None:
    """Two clips may be composed by different worker processes (hash seeds differ)."""
    script = (
        "import hashlib; from tests.engine.test_compose import SONG, make_style; "
        "from songgate.engine.compose.score import compose; "
        "print(hashlib.sha256(repr(compose(make_style(), SONG, seed=9, max_seconds=200))"
        ".encode()).hexdigest())"
    )
    root = Path(__file__).resolve().parents[2]
    digests = set()
    for hash_seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        done = subprocess.run(
            [sys.executable, "-c", script], cwd=root, env=env, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr
        digests.add(done.stdout.strip())
    here = compose(make_style(), SONG, seed=9, max_seconds=200)
    assert digests == {hashlib.sha256(repr(here).encode()).hexdigest()}


def test_another_seed_gives_another_song() -> None:
    first = compose(make_style(), SONG, seed=1, max_seconds=180)
    second = compose(make_style(), SONG, seed=2, max_seconds=180)
    assert [v.pitch for v in first.vocal] != [v.pitch for v in second.vocal]
    assert track(first, "comp").notes != track(second, "comp").notes


def test_unknown_numerals_and_empty_progressions_still_compose() -> None:
    style = make_style(progressions=(("I", "Zz", "bVII", "V/V"), ()))
    score = compose(style, SONG, seed=1, max_seconds=240)
    assert_lyrics_then_repeats(score.vocal, SONG)
    empty = compose(make_style(progressions=()), SONG, seed=1, max_seconds=240)
    assert_lyrics_then_repeats(empty.vocal, SONG)


def test_tiny_limit_never_overruns() -> None:
    score = compose(make_style(), SONG, seed=1, max_seconds=3.0)
    assert score.seconds <= 3.0 + 1e-9
    for part in score.tracks:
        assert all(n.start + n.duration <= score.total_beats + 1e-6 for n in part.notes)
