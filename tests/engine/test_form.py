"""parse_form / syllables_of: lyrics with Suno-style markers → sections, lines, syllables."""

from __future__ import annotations

import re
import shutil
import subprocess

import pronouncing  # type: ignore[import-untyped]
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from songgate.engine.text.form import MAX_LINE_SYLLABLES, parse_form, syllables_of
from songgate.engine.types import SectionKind

K = SectionKind


def kinds(lyrics: str) -> list[SectionKind]:
    return [section.kind for section in parse_form(lyrics).sections]


def sung(text: str) -> list[str]:
    return [syllable.sung for syllable in syllables_of(text)]


@pytest.mark.parametrize(
    ("marker", "kind"),
    [
        ("[Intro]", K.INTRO),
        ("[Verse]", K.VERSE),
        ("[Verse 1]", K.VERSE),
        ("[verse 2]", K.VERSE),
        ("[VERSE 3: Rapper]", K.VERSE),
        ("[Pre-Chorus]", K.PRE_CHORUS),
        ("[Prechorus]", K.PRE_CHORUS),
        ("[Pre Chorus]", K.PRE_CHORUS),
        ("[Chorus]", K.CHORUS),
        ("[Final Chorus]", K.CHORUS),
        ("[Hook]", K.CHORUS),
        ("[Refrain]", K.CHORUS),
        ("[Bridge]", K.BRIDGE),
        ("[Outro]", K.OUTRO),
        ("[Instrumental]", K.INSTRUMENTAL),
        ("[Interlude]", K.INSTRUMENTAL),
        ("[Break]", K.INSTRUMENTAL),
        ("[Solo]", K.INSTRUMENTAL),
        ("[Drop]", K.INSTRUMENTAL),
        ("[Guitar solo]", K.INSTRUMENTAL),
        ("[Instrumental break]", K.INSTRUMENTAL),
        ("[前奏]", K.INTRO),
        ("[主歌]", K.VERSE),
        ("[主歌1]", K.VERSE),
        ("[主歌二]", K.VERSE),
        ("[导歌]", K.PRE_CHORUS),
        ("[预副歌]", K.PRE_CHORUS),
        ("[副歌]", K.CHORUS),
        ("[桥段]", K.BRIDGE),
        ("[间奏]", K.INSTRUMENTAL),
        ("[尾奏]", K.OUTRO),
        ("[结尾]", K.OUTRO),
        ("【副歌】", K.CHORUS),
        ("\uff3b主歌\uff3d", K.VERSE),  # full-width square brackets
        ("(Chorus)", K.CHORUS),
        ("\uff08副歌\uff09", K.CHORUS),  # full-width parentheses
        ("Verse 2:", K.VERSE),
        ("副歌\uff1a", K.CHORUS),  # full-width colon
        ("  [ Bridge ]  ", K.BRIDGE),
    ],
)
def test_each_marker_starts_its_kind_of_section(marker: str, kind: SectionKind) -> None:
    form = parse_form(f"{marker}\nsing along with me")
    assert [section.kind for section in form.sections] == [kind]
    assert form.sections[0].lines[0].text == "sing along with me"


def test_labels_keep_the_marker_text_as_written() -> None:
    form = parse_form("[Verse 2]\nhello\n【副歌】\n你好\n[Chorus x2]\nhey")
    assert [section.label for section in form.sections] == ["Verse 2", "副歌", "Chorus x2"]


def test_a_full_song_keeps_the_order_of_its_markers() -> None:
    lyrics = """[Intro]

[Verse 1]
Walking down the road tonight
Stars are shining bright

[Pre-Chorus]
Here we go again

[Chorus]
We are young and free
[Verse 2]
Second verse, same as the first
[Chorus]
We are young and free
[Bridge]
Hold on
[Outro]
"""
    assert kinds(lyrics) == [
        K.INTRO, K.VERSE, K.PRE_CHORUS, K.CHORUS, K.VERSE, K.CHORUS, K.BRIDGE, K.OUTRO,
    ]  # fmt: skip
    form = parse_form(lyrics)
    assert [len(section.lines) for section in form.sections] == [0, 2, 1, 1, 1, 1, 1, 0]
    assert form.has_lyrics and form.language == "en"


def test_end_is_an_outro_and_nothing_after_it_is_read() -> None:
    form = parse_form("[Verse]\nla la\n[End]\nnever sung\n[Chorus]\nnor this")
    assert [section.kind for section in form.sections] == [K.VERSE, K.OUTRO]
    assert form.sections[-1].label == "End" and not form.sections[-1].lines
    assert "never" not in {s.text.lower() for s in form.sections[0].lines[0].syllables}


def test_unknown_bracketed_tags_are_skipped_and_never_sung() -> None:
    form = parse_form("[Verse]\n[Male vocal]\nhello there\n[Whispered]\ngoodbye")
    assert [section.kind for section in form.sections] == [K.VERSE]
    assert [line.text for line in form.sections[0].lines] == ["hello there", "goodbye"]


def test_tags_sharing_a_line_with_lyrics_are_not_sung() -> None:
    form = parse_form("[Chorus] la la la\nsing [laughs] along [Verse] now")
    assert [section.kind for section in form.sections] == [K.CHORUS]
    lines = form.sections[0].lines
    assert [line.text for line in lines] == ["la la la", "sing [laughs] along [Verse] now"]
    assert [s.sung for s in lines[1].syllables] == ["sing", "uh", "lawng", "now"]


def test_a_parenthesised_lyric_is_sung_not_taken_for_a_marker() -> None:
    form = parse_form("[Chorus]\n(ooh, break it down)\n(Chorus)\nyeah")
    assert kinds("[Chorus]\n(ooh, break it down)\n(Chorus)\nyeah") == [K.CHORUS, K.CHORUS]
    assert form.sections[0].lines[0].text == "(ooh, break it down)"
    assert sung("(ooh, break it down)") == ["ooh", "break", "it", "down"]


def test_text_before_the_first_marker_is_a_verse() -> None:
    form = parse_form("first words here\n[Chorus]\nchorus words")
    assert [(s.kind, s.label) for s in form.sections] == [(K.VERSE, "Verse"), (K.CHORUS, "Chorus")]


def test_unmarked_paragraphs_are_verses_and_a_repeated_one_is_the_chorus() -> None:
    lyrics = (
        "I walk alone\nthrough empty streets\n\n"
        "Oh carry me home\ncarry me home\n\n"
        "The night is long\nthe road is steep\n\n"
        "oh, carry me home!\nCarry me home\n"
    )
    form = parse_form(lyrics)
    assert [(s.kind, s.label) for s in form.sections] == [
        (K.VERSE, "Verse 1"),
        (K.CHORUS, "Chorus"),
        (K.VERSE, "Verse 2"),
        (K.CHORUS, "Chorus"),
    ]
    assert form.sections[3].lines[0].text == "oh, carry me home!"


def test_unmarked_text_without_repeats_is_all_verses() -> None:
    assert kinds("one line\n\nanother line\n\n\n\nthird") == [K.VERSE, K.VERSE, K.VERSE]


def test_only_markers_keep_their_order_without_lines() -> None:
    form = parse_form("[Intro]\n[Instrumental]\n\n[Outro]")
    assert [section.kind for section in form.sections] == [K.INTRO, K.INSTRUMENTAL, K.OUTRO]
    assert not form.has_lyrics


@pytest.mark.parametrize("lyrics", ["", "   \n\n  ", "🎵🎵🎵\n\n!!!"])
def test_empty_lyrics_have_no_sections(lyrics: str) -> None:
    form = parse_form(lyrics)
    assert form.sections == () and not form.has_lyrics and form.language == "en"


@pytest.mark.parametrize("word", ["beautiful", "fire", "happy", "together", "hallelujah", "I"])
def test_english_syllable_counts_follow_the_cmu_dictionary(word: str) -> None:
    expected = pronouncing.syllable_count(pronouncing.phones_for_word(word.lower())[0])
    assert len(syllables_of(word)) == expected


def test_beautiful_has_three_syllables_and_happy_splits_hap_py() -> None:
    assert len(syllables_of("beautiful")) == 3
    happy = syllables_of("happy")
    assert [s.text for s in happy] == ["hap", "py"]
    assert [s.stressed for s in happy] == [True, False]
    assert [s.word_end for s in happy] == [False, True]
    assert {s.language for s in happy} == {"en"}


def test_multisyllable_words_are_sung_as_pronounceable_respellings() -> None:
    assert sung("happy") == ["hap", "pee"]
    assert sung("beautiful") == ["bue", "tuh", "ful"]
    assert sung("tonight") == ["tuh", "nite"]
    for syllable in syllables_of("memories everything believe butterfly yesterday"):
        assert re.fullmatch(r"[a-z']+", syllable.sung)
        assert re.search(r"[aeiouy]", syllable.sung), syllable


def test_one_syllable_words_are_sung_as_written() -> None:
    assert sung("The light of love, don't") == ["the", "light", "of", "love", "don't"]


def test_unknown_words_fall_back_to_vowel_groups() -> None:
    syllables = syllables_of("flibbertigibbet zorblax")
    assert [s.text for s in syllables] == ["flib", "ber", "ti", "gib", "bet", "zor", "blax"]
    assert [s.word_end for s in syllables].count(True) == 2


def test_chinese_is_one_syllable_per_character_with_tone_numbers() -> None:
    syllables = syllables_of("快乐")
    assert [(s.text, s.sung, s.language) for s in syllables] == [
        ("快", "kuai4", "zh"),
        ("乐", "le4", "zh"),
    ]
    assert sung("音乐") == ["yin1", "yue4"]  # read in context
    neutral = syllables_of("我的")
    assert [s.sung for s in neutral] == ["wo3", "de5"]
    assert [s.stressed for s in neutral] == [True, False]
    assert all(s.word_end for s in neutral)


def test_punctuation_and_emoji_are_stripped_from_syllables_not_from_the_line() -> None:
    form = parse_form("[Verse]\n  Hello, world!!! 😀🎵 …  ")
    line = form.sections[0].lines[0]
    assert line.text == "Hello, world!!! 😀🎵 …"
    assert [s.text for s in line.syllables] == ["Hel", "lo", "world"]
    assert sung("你好\uff0c世界\uff01😀") == ["ni3", "hao3", "shi4", "jie4"]


def test_mixed_chinese_and_english_work_per_token() -> None:
    syllables = syllables_of("我爱你baby, 永远 forever")
    assert [s.language for s in syllables] == ["zh"] * 3 + ["en"] * 2 + ["zh"] * 2 + ["en"] * 3
    assert [s.text for s in syllables][3:5] == ["ba", "by"]


def test_digits_are_spoken_in_the_language_of_the_line() -> None:
    assert sung("2 hearts") == ["two", "hearts"]
    assert sung("42") == ["fore", "tee", "two"]
    assert sung("1st time") == ["one", "time"]
    assert sung("我有3个梦") == ["wo3", "you3", "san1", "ge4", "meng4"]
    assert sung("12点") == ["shi2", "er4", "dian3"]
    assert sung("\uff12\uff10\uff12\uff14") == ["two", "zih", "roh", "two", "four"]


def test_other_scripts_do_not_crash_and_are_sung_approximately() -> None:
    greek = "\u0393\u03b5\u03b9\u03ac \u03c3\u03bf\u03c5"  # "Hello" in Greek
    for text in ("こんにちは", "안녕하세요", "Привет мир", greek, "café naïve"):
        syllables = syllables_of(text)
        assert syllables, text
        assert all(s.sung and s.language in ("en", "zh") for s in syllables)
    assert len(syllables_of("안녕하세요")) == 5
    assert [s.text for s in syllables_of("きゃく")] == ["きゃ", "く"]


def test_lines_with_nothing_singable_are_dropped() -> None:
    arabic = "\u0645\u0631\u062d\u0628\u0627"  # no Arabic voice: dropped
    form = parse_form(f"[Verse]\n{arabic}\n!!! ...\n🎵\nreal words")
    assert [line.text for line in form.sections[0].lines] == ["real words"]


def test_long_lines_are_split_at_a_word_boundary() -> None:
    words = " ".join(["beautiful", "love"] * 15)  # 60 syllables
    form = parse_form(f"[Verse]\n{words}")
    lines = form.sections[0].lines
    assert len(lines) >= 2
    assert all(len(line.syllables) <= MAX_LINE_SYLLABLES for line in lines)
    assert " ".join(line.text for line in lines) == words
    assert sum(len(line.syllables) for line in lines) == 60


def test_language_is_the_majority_of_syllables() -> None:
    assert parse_form("[主歌]\n我们一起唱歌吧\nyeah").language == "zh"
    assert parse_form("[Verse]\nwe sing together all night\n好").language == "en"


def test_a_maximal_lyric_is_handled() -> None:
    block = "[Verse]\nThe quick brown fox, 快乐的狐狸, jumps 2 times 😀\n\n"
    form = parse_form(block * (5000 // len(block) + 1))
    assert form.has_lyrics
    assert sum(len(section.lines) for section in form.sections) > 50


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=120))
def test_any_text_parses(text: str) -> None:
    form = parse_form(text)
    for section in form.sections:
        for line in section.lines:
            assert line.syllables
            for syllable in line.syllables:
                assert syllable.sung.strip() and syllable.language in ("en", "zh")


ESPEAK = shutil.which("espeak-ng")


@pytest.mark.skipif(ESPEAK is None, reason="espeak-ng is not installed")
@pytest.mark.parametrize(
    ("word", "index", "phonemes"),
    [
        ("happy", 1, "p'i:"),  # not "pie"
        ("beautiful", 0, "bj'u:"),
        ("beautiful", 1, "t'V"),  # not "tie"
        ("tonight", 1, "n'aIt"),
        ("forever", 1, "'Ev"),
        ("window", 1, "d'oU"),
        ("memories", 1, "m'3:"),
    ],
)
def test_respellings_read_right_in_espeak(word: str, index: int, phonemes: str) -> None:
    chunk = syllables_of(word)[index].sung
    assert ESPEAK is not None
    result = subprocess.run(
        [ESPEAK, "-q", "-x", "-v", "en-us", chunk], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == phonemes, (word, chunk)
