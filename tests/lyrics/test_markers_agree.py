"""The lyric writer and the engine read section markers alike: one vocabulary
(``engine/text/markers.py``), so a marker the writer keeps is the section the engine
sings, and what the writer leaves out the engine would not have sung either."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import songgate
from songgate.engine.text.form import parse_form
from songgate.engine.text.markers import KEYWORDS, Marker, bare_marker, classify
from songgate.engine.types import SectionKind
from songgate.lyrics.normalise import normalise_lyrics, section_kind

K = SectionKind
# What the writer makes of a marker → the sections the engine reads for it.
ENGINE_READS = {
    "verse": {K.VERSE}, "chorus": {K.CHORUS}, "bridge": {K.BRIDGE}, "outro": {K.OUTRO},
    "join": {K.PRE_CHORUS, K.CHORUS},  # pre- and post-chorus: kept with the section before
    "skip": {K.INTRO, K.INSTRUMENTAL},  # nothing sung there
}
WRITTEN = ["[{}]", "\u3010{} 2\u3011", "({} \u00d72)", "(Double {})", "{}:", "Repeat {} x2:"]
LABEL_KINDS = {"Verse": K.VERSE, "Chorus": K.CHORUS, "Bridge": K.BRIDGE, "Outro": K.OUTRO}


@pytest.mark.parametrize("written", WRITTEN)
@pytest.mark.parametrize("word", sorted(KEYWORDS))
def test_a_marker_is_the_same_section_for_the_writer_and_the_engine(
    word: str, written: str
) -> None:
    marker = written.format(word.title())
    kind = section_kind(marker)
    form = parse_form(f"{marker}\nla la")
    if kind == "end":
        assert [(s.kind, s.lines) for s in form.sections] == [(K.OUTRO, ())]
        return
    assert kind in ENGINE_READS, marker
    assert form.sections[0].kind in ENGINE_READS[kind], marker


@pytest.mark.parametrize("word", sorted(KEYWORDS))
def test_the_writers_song_is_read_back_by_the_engine_as_written(word: str) -> None:
    song = normalise_lyrics(
        f"[Verse]\nwe walk\nwe run\n[Chorus]\nhold on\nhold tight\n[{word}]\nso far\nso near")
    labels = [line[1:-1].split()[0] for line in song.splitlines() if line.startswith("[")]
    form = parse_form(song)
    assert [section.kind for section in form.sections] == [LABEL_KINDS[name] for name in labels]
    sung = [line.text for section in form.sections for line in section.lines]
    assert sung == [line for line in song.splitlines() if line and not line.startswith("[")]


@pytest.mark.parametrize(("marker", "engine", "writer"), [
    ("[\u95f4\u594f]", K.INSTRUMENTAL, "skip"),  # 间奏: an instrumental break in both
    ("[Middle 8]", K.BRIDGE, "bridge"),
    ("[Post-Chorus]", K.CHORUS, "join"),
    ("[Build]", K.PRE_CHORUS, "join"),
    ("[Fade out]", K.OUTRO, "outro"),
    ("[Opening]", K.INTRO, "skip"),
    ("(Chorus \u00d72)", K.CHORUS, "chorus"),
    ("(Double chorus)", K.CHORUS, "chorus"),
])
def test_the_vocabulary_is_the_union_of_both(marker: str, engine: SectionKind,
                                            writer: str) -> None:
    assert [s.kind for s in parse_form(f"{marker}\nla la").sections] == [engine]
    assert section_kind(marker) == writer


@pytest.mark.parametrize("line", ["Build", "Break", "Drop", "End", "The end", "Fade out"])
def test_an_everyday_word_alone_on_a_line_is_a_lyric(line: str) -> None:
    assert classify(line, strict=True) is not None
    assert bare_marker(line) is None and section_kind(line) is None


def test_longer_words_win_where_two_start_together() -> None:
    assert classify("[\u526f\u6b4c\u524d]", strict=False) is Marker.PRE_CHORUS  # 副歌前
    assert classify("build up", strict=True) is Marker.PRE_CHORUS
    assert classify("the end", strict=True) is Marker.END


def _songgate_imports(package: str) -> set[str]:
    found: set[str] = set()
    for path in (Path(songgate.__file__).parent / package).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                found.add(node.module)
            elif isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
    return {name for name in found if name.split(".")[0] == "songgate"}


def test_the_vocabulary_is_the_one_arrow_between_the_two_libraries() -> None:
    assert {name for name in _songgate_imports("engine")
            if not name.startswith("songgate.engine")} == set()
    assert {name for name in _songgate_imports("lyrics")
            if not name.startswith("songgate.lyrics")} == {"songgate.engine.text.markers"}
