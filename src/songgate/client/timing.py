"""Typed views of a clip's timed lyrics (``GET /suno/act/timing/{clip}``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


def _number(value: Any) -> float:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else 0.0


@dataclass(frozen=True, slots=True)
class AlignedWord:
    word: str
    start_s: float
    end_s: float
    success: bool = True
    p_align: float = 1.0

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> AlignedWord:
        word = data.get("word")
        return cls(word if isinstance(word, str) else "", _number(data.get("start_s")),
                   _number(data.get("end_s")), data.get("success") is True,
                   _number(data.get("p_align")))


@dataclass(frozen=True, slots=True)
class Timing:
    words: list[AlignedWord]
    waveform: list[float]
    raw: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_json(cls, data: Any) -> Timing:
        data = data if isinstance(data, dict) else {}
        words = data.get("aligned_words")
        wave = data.get("waveform_data")
        return cls(
            [AlignedWord.from_json(w) for w in words if isinstance(w, dict)]
            if isinstance(words, list) else [],
            [_number(v) for v in wave] if isinstance(wave, list) else [],
            data,
        )
