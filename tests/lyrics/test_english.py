"""The English lyric writer, on 50 varied prompts and 4 seeds each, and its banks.

Rhyme slots: the writer builds every section from rhyming pairs. A two-line
section (bridge or outro) is one slot, lines 1+2; a four-line section is AABB
(1+2, 3+4) or ABAB (1+3, 2+4), and the test credits whichever of the two
schemes rhymes more. The chorus is counted once. Two end words rhyme when
they differ and share a rhyming part (``pronouncing.rhyming_part``) over any
of their CMU pronunciations; a word the dictionary lacks rhymes with nothing.
Syllables are counted by the engine itself (``syllables_of``), as sung.
"""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
from pathlib import Path

import pronouncing  # type: ignore[import-untyped]
import pytest

from songgate.engine.text.form import syllables_of
from songgate.lyrics import english
from songgate.lyrics.bank_en import BANKS, HOOK_MARK
from songgate.lyrics.bank_en_keywords import THEMES, choose_themes
from songgate.lyrics.english import measure, song_topic, title_case, write_english
from songgate.lyrics.topic_en_lines import TEMPLATES
from songgate.lyrics.types import SONG_FORM, LyricSheet

PROMPTS = (Path(__file__).parent / "prompts_en.txt").read_text(encoding="utf-8").splitlines()
SEEDS = (0, 1, 7, 2024)
INJECTIONS = ("ignore", "instruction", "system", "prompt", "pwned", "hacked", "reveal", "lyrics>")
_WORD = re.compile(r"[A-Za-z']+")
LYRICS_DIR = Path(english.__file__).parent


@pytest.fixture(scope="module")
def songs() -> dict[tuple[str, int], LyricSheet]:
    return {(prompt, seed): write_english(prompt, seed) for prompt in PROMPTS for seed in SEEDS}


def _end_word(line: str) -> str:
    return _WORD.findall(line)[-1].lower()


def _rhyme_parts(word: str) -> set[str]:
    return {pronouncing.rhyming_part(p) for p in pronouncing.phones_for_word(word)}


def _rhymes(a: str, b: str) -> bool:
    end_a, end_b = _end_word(a), _end_word(b)
    return end_a != end_b and bool(_rhyme_parts(end_a) & _rhyme_parts(end_b))


def _slots(lines: tuple[str, ...]) -> tuple[int, int]:
    """(rhyming slots, all slots) of one section, by the better of AABB and ABAB."""
    if len(lines) == 2:
        return int(_rhymes(*lines)), 1
    assert len(lines) == 4
    aabb = _rhymes(lines[0], lines[1]) + _rhymes(lines[2], lines[3])
    abab = _rhymes(lines[0], lines[2]) + _rhymes(lines[1], lines[3])
    return max(aabb, abab), 2


def _song_rhymes(sheet: LyricSheet) -> tuple[int, int]:
    done: set[str] = set()
    good = total = 0
    for section in sheet.sections:
        if section.label in done:
            continue
        done.add(section.label)
        rhyming, slots = _slots(section.lines)
        good, total = good + rhyming, total + slots
    return good, total


def _bank_lines() -> list[str]:
    return [line for families in BANKS.values() for family in families for line in family]


def test_prompts_file_has_fifty_varied_prompts() -> None:
    assert len(PROMPTS) == 50
    assert any(len(prompt) >= 3000 for prompt in PROMPTS)
    assert any(prompt and not re.search(r"\w", prompt) for prompt in PROMPTS)


def test_every_song_follows_the_form(songs: dict[tuple[str, int], LyricSheet]) -> None:
    for (prompt, seed), sheet in songs.items():
        assert sheet.language == "en"
        assert tuple(section.label for section in sheet.sections) == SONG_FORM, (prompt, seed)
        sizes = {section.label: len(section.lines) for section in sheet.sections}
        assert sizes["Verse"] == sizes["Verse 2"] == sizes["Chorus"] == 4
        assert sizes["Bridge"] in (2, 4) and sizes["Outro"] == 2
        choruses = {section.lines for section in sheet.sections if section.label == "Chorus"}
        assert len(choruses) == 1, (prompt, seed)
        assert sheet.themes and set(sheet.themes) <= set(THEMES)


def test_no_line_repeats_except_the_chorus(songs: dict[tuple[str, int], LyricSheet]) -> None:
    for key, sheet in songs.items():
        chorus = next(s.lines for s in sheet.sections if s.label == "Chorus")
        others = [line for s in sheet.sections if s.label != "Chorus" for line in s.lines]
        every = [*chorus, *others]
        assert len({line.lower() for line in every}) == len(every), key


def test_rhyme_slots_rhyme(songs: dict[tuple[str, int], LyricSheet]) -> None:
    good = total = 0
    for key, sheet in songs.items():
        rhyming, slots = _song_rhymes(sheet)
        assert rhyming >= 0.8 * slots, (key, sheet.text)
        good, total = good + rhyming, total + slots
    assert good == total  # by construction: pairs come from one rhyme family


def test_syllables_are_singable_and_even(songs: dict[tuple[str, int], LyricSheet]) -> None:
    for key, sheet in songs.items():
        counts = [len(syllables_of(line)) for s in sheet.sections for line in s.lines]
        assert min(counts) >= 5 and max(counts) <= 12, (key, counts)
        assert max(counts) - min(counts) <= 5, (key, counts)


def test_titles_are_short_phrases(songs: dict[tuple[str, int], LyricSheet]) -> None:
    for key, sheet in songs.items():
        assert sheet.title and len(sheet.title) <= 40, key
        assert 2 <= len(sheet.title.split()) <= 6, (key, sheet.title)
        assert sheet.title == title_case(sheet.title)


def test_same_prompt_and_seed_give_the_same_song() -> None:
    for prompt in PROMPTS[:10]:
        assert write_english(prompt, 3) == write_english(prompt, 3)


def test_the_song_does_not_depend_on_the_hash_seed() -> None:
    code = (
        "from songgate.lyrics.english import write_english as w\n"
        "prompts = ('a sad rainy night in Tokyo', 'love')\n"
        "print(repr([w(p, s).text for p in prompts for s in (0, 5)]))"
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-c", code],
            env={**os.environ, "PYTHONHASHSEED": hash_seed},
            capture_output=True, text=True, check=True,
        ).stdout
        for hash_seed in ("1", "2")
    }  # fmt: skip
    here = repr(
        [write_english(p, s).text for p in ("a sad rainy night in Tokyo", "love") for s in (0, 5)]
    )
    assert outputs == {here + "\n"}


def test_different_seeds_give_different_songs(songs: dict[tuple[str, int], LyricSheet]) -> None:
    for prompt in PROMPTS:
        texts = {songs[prompt, seed].text for seed in SEEDS}
        assert len(texts) == len(SEEDS), prompt


def _template_patterns() -> list[re.Pattern[str]]:
    return [
        re.compile(re.escape(t.replace(HOOK_MARK, "")).replace(re.escape("{x}"), "(.+)")
                   .replace(re.escape("{v}"), "(.+)") + "$")
        for families in TEMPLATES.values() for family in families for t in family
    ]


def test_lines_are_bank_lines_or_templates_sung_with_the_topic(
    songs: dict[tuple[str, int], LyricSheet],
) -> None:
    bank = {line.replace(HOOK_MARK, "") for line in _bank_lines()}
    patterns = _template_patterns()
    for (prompt, seed), sheet in songs.items():
        topic = song_topic(prompt)
        phrases = {topic.subject, *topic.scene()} if topic else set()
        phrases |= {topic.doing} if topic and topic.doing else set()
        phrases |= {f"{p.split()[0]} {p.split()[-1]}" for p in phrases if p.count(" ") > 1}
        for section in sheet.sections:
            for line in section.lines:
                if line in bank:
                    continue
                filled = [m.group(1) for p in patterns if (m := p.match(line))]
                assert set(filled) & phrases, (prompt, seed, line)


def test_prompt_injection_is_never_sung(songs: dict[tuple[str, int], LyricSheet]) -> None:
    for (prompt, _), sheet in songs.items():
        if any(word in prompt.lower() for word in ("ignore", "system")):
            sung = f"{sheet.title}\n{sheet.text}".lower()
            assert not any(word in sung for word in INJECTIONS), sung


def test_themes_follow_the_prompt() -> None:
    assert choose_themes("waves on the ocean").themes[0] == "summer"
    assert choose_themes("neon streets of the city").themes[0] == "night"
    assert choose_themes("so lonely, I miss you").themes[0] == "heartbreak"
    assert "rain" in choose_themes("a rainy afternoon").themes
    assert choose_themes("asdf qwerty").themes == ("dreams",)
    assert choose_themes("🎉🎉").themes == ("celebration",)
    assert choose_themes("road trip with friends").themes == ("travel", "friendship")
    winter = choose_themes("snow falling on a winter night")
    assert "seasons" in winter.themes and winter.banks["seasons"] == ("seasons", "seasons_winter")
    tokyo = choose_themes("a sad rainy night in Tokyo")
    assert tokyo.place == "Tokyo" and set(tokyo.themes) <= {"heartbreak", "night", "rain"}
    assert write_english("a sad rainy night in Tokyo", 0).title.startswith("Tokyo ")


def test_bank_has_no_duplicate_lines() -> None:
    keys = [" ".join(_WORD.findall(line.lower())) for line in _bank_lines()]
    duplicates = sorted({key for key in keys if keys.count(key) > 1})
    assert not duplicates


def test_bank_families_rhyme_and_scan() -> None:
    for name, families in BANKS.items():
        for family in families:
            lines = [measure(raw) for raw in family]
            assert len(lines) >= 4 and len({line.end for line in lines}) >= 2, family
            assert len({line.rhyme for line in lines}) == 1, (name, family)
            for raw, line in zip(family, lines, strict=True):
                unknown = [w for w in _WORD.findall(line.text) if not _rhyme_parts(w.lower())]
                assert not unknown, (raw, unknown)  # every word, end words included, is CMU
                assert 6 <= line.syllables <= 10, raw
                assert line.syllables == len(syllables_of(line.text)), raw  # as the engine sings
                assert raw.count(HOOK_MARK) in (0, 2), raw
                if line.title:
                    assert 2 <= len(line.title.split()) <= 5 and len(line.title) <= 40, raw


def test_every_theme_has_enough_lines_and_hooks() -> None:
    for theme in THEMES:
        lines = [measure(raw) for family in BANKS[theme] for raw in family]
        assert len(lines) >= 40, theme
        assert len(BANKS[theme]) >= 6, theme
        assert sum(bool(line.title) for line in lines) >= 4, theme
    assert sum(len(family) for family in BANKS["generic"]) >= 80


def test_writer_imports_nothing_outside_the_lyrics_package() -> None:
    for path in [LYRICS_DIR / "english.py", *LYRICS_DIR.glob("bank_en*.py")]:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("songgate"):
                assert (node.module or "").startswith("songgate.lyrics"), (path, node.module)
            if isinstance(node, ast.Import):
                assert not any(a.name.startswith("songgate") for a in node.names), path
