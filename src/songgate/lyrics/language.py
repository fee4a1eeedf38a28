"""Which language to write in: Chinese when the prompt is mostly Han characters."""

from __future__ import annotations

import re

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN_WORD = re.compile(r"[A-Za-z]+")


def detect_language(prompt: str) -> str:
    """"zh" or "en". Mixed prompts go by weight: a Han character counts as a word."""
    han = len(_HAN.findall(prompt))
    words = len(_LATIN_WORD.findall(prompt))
    return "zh" if han > 0 and han >= words else "en"
