"""The lyric sheet the writers produce and the engine sings."""

from __future__ import annotations

from dataclasses import dataclass

# The form every written song follows; the chorus is the same text each time.
SONG_FORM: tuple[str, ...] = (
    "Verse", "Chorus", "Verse 2", "Chorus", "Bridge", "Chorus", "Outro",
)


@dataclass(frozen=True, slots=True)
class LyricSection:
    label: str  # "Verse", "Chorus", "Verse 2", "Bridge", "Outro"
    lines: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class LyricSheet:
    title: str
    language: str  # "en" or "zh"
    sections: tuple[LyricSection, ...]
    themes: tuple[str, ...] = ()  # the themes the writer chose from the prompt

    @property
    def text(self) -> str:
        """``[Label]`` then its lines, sections separated by a blank line."""
        return "\n\n".join(
            "\n".join((f"[{section.label}]", *section.lines)) for section in self.sections
        )
