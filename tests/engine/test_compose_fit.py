"""Trimming a song to its limit: what goes, what stays."""

from __future__ import annotations

from songgate.engine.compose.fit import fit
from songgate.engine.compose.sections import Draft
from songgate.engine.types import LyricLine, SectionKind, Syllable

LINE = LyricLine("la la", (Syllable("la", "la", "en"), Syllable("la", "la", "en")))


def sung(kind: SectionKind, label: str, lines: int = 4) -> Draft:
    return Draft(kind, label, 2 * lines, (LINE,) * lines, (2,) * lines)


def edge(kind: SectionKind) -> Draft:
    return Draft(kind, kind.value, 4)


SONG = [
    edge(SectionKind.INTRO),
    sung(SectionKind.VERSE, "V1"),
    sung(SectionKind.CHORUS, "C1"),
    sung(SectionKind.VERSE, "V2"),
    sung(SectionKind.CHORUS, "C2"),
    sung(SectionKind.BRIDGE, "B"),
    sung(SectionKind.CHORUS, "C3"),
    edge(SectionKind.OUTRO),
]


def labels(drafts: list[Draft]) -> list[str]:
    return [d.label for d in drafts]


def test_a_song_that_fits_is_untouched() -> None:
    kept, tail = fit(SONG, 4, 1000.0)
    assert kept == SONG and tail == 4.0


def test_sections_go_from_the_middle_keeping_the_final_chorus() -> None:
    # 4 + 5 * 8 + 4 + 1 bars = 49 bars; allow 37 bars (148 beats)
    kept, tail = fit(SONG, 4, 148.0)
    assert labels(kept) == ["intro", "V1", "C1", "V2", "C3", "outro"]
    assert sum(d.bars for d in kept) * 4 + tail <= 148.0


def test_a_tight_limit_keeps_one_chorus() -> None:
    kept, _ = fit(SONG, 4, 60.0)
    assert "C1" in labels(kept)
    assert all(d.label in ("intro", "outro", "V1", "C1") for d in kept)


def test_lines_go_only_when_one_section_is_left() -> None:
    long_verse = sung(SectionKind.VERSE, "V", lines=20)
    kept, tail = fit([long_verse], 4, 60.0)
    assert len(kept) == 1 and 0 < len(kept[0].lines) < 20
    assert kept[0].bars == 2 * len(kept[0].lines)
    assert kept[0].bars * 4 + tail <= 60.0


def test_instrumental_breaks_go_before_sung_sections() -> None:
    song = [
        sung(SectionKind.VERSE, "V1"),
        Draft(SectionKind.INSTRUMENTAL, "Solo", 8),
        sung(SectionKind.CHORUS, "C1"),
    ]
    kept, _ = fit(song, 4, (8 + 8 + 1) * 4)
    assert labels(kept) == ["V1", "C1"]
