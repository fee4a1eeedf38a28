"""Tags → Style: pick a genre preset from Suno-style free text, then bend it.

The tags are free text in English and/or Chinese ("heartfelt salsa",
"中国风 古筝", "dark trap 140bpm"). Known words are found (longest match
first), every genre preset is scored by the genre words present, and the
winner is adjusted by mood words (mode, tempo, energy), groove words (drum
pattern, kit, swing), instrument words (GM programs per role) and explicit
tempo / key. Negative tags, and "no X" / "without X" inside the tags,
remove instruments, drums or whole genres. Everything random is drawn from
a generator seeded by ``seed`` and the genre, so one request always gets
the same style and a new seed a (probably) different key.
"""

from __future__ import annotations

import dataclasses
import math
import random
import re
from collections.abc import Iterable

from songgate.engine.style.instruments import banned_programs, instrumentation
from songgate.engine.style.presets import PRESETS, Preset
from songgate.engine.style.terms import Term, find_terms, split_negated
from songgate.engine.style.words import (
    DRUM_WORDS,
    GENRE_WORDS,
    GROOVE_WORDS,
    INSTRUMENT_WORDS,
    MOOD_WORDS,
    Groove,
)
from songgate.engine.types import Mode, Style

GENRES: tuple[str, ...] = tuple(preset.name for preset in PRESETS)
TEMPO_MIN = 60.0
TEMPO_MAX = 180.0
DEFAULT_GENRE = "pop"

_PRESETS = {preset.name: preset for preset in PRESETS}
# Pitched percussion (timpani, taiko, steel drums ...) goes with the drums when they are banned.
_PERCUSSIVE = frozenset({47, *range(112, 120)})


def parse_style(tags: str, negative_tags: str = "", *, seed: int = 0) -> Style:
    """Turn free-text tags into a Style. Deterministic in (tags, negative_tags, seed)."""
    positive, negated = split_negated(find_terms(tags), tags)
    negative = [*find_terms(negative_tags), *negated]
    negative_words = {term.text for term in negative}

    preset = _choose_preset(positive, _excluded_genres(negative_words))
    moods = [term.text for term in positive if term.text in MOOD_WORDS]
    groove = _first_groove(positive)
    rng = random.Random(f"songgate-style|{seed}|{preset.name}")

    tonic, explicit_mode = _explicit_key(tags)
    mode = explicit_mode or _mode_for(preset, moods)
    if tonic is None:
        keys = preset.major_keys if mode is Mode.MAJOR else preset.minor_keys
        tonic = keys[rng.randrange(len(keys))]

    drums_banned = bool(negative_words & DRUM_WORDS)
    drums_off = drums_banned or not preset.instruments.drums
    banned = banned_programs(negative_words) | (_PERCUSSIVE if drums_banned else frozenset())
    instruments = instrumentation(preset, [term.text for term in positive], banned, groove)
    if drums_off:
        instruments = dataclasses.replace(instruments, drums=False)
    pattern = "none" if drums_off else _pattern_for(preset, groove)

    return Style(
        genre=preset.name,
        tags=tags,
        tempo=_tempo_for(tags, preset, groove, moods, rng),
        tonic=tonic,
        mode=mode,
        instruments=instruments,
        drum_pattern=pattern,
        progressions=preset.major if mode is Mode.MAJOR else preset.minor,
        swing=_swing_for(preset, positive),
        energy=_energy_for(preset, moods),
        moods=tuple(dict.fromkeys(moods)),
    )


# --- genre ---------------------------------------------------------------------------------


def _excluded_genres(negative_words: set[str]) -> set[str]:
    return {genre for word in negative_words for genre, _ in GENRE_WORDS.get(word, ())}


def _genre_hints(term: str) -> Iterable[tuple[str, float]]:
    yield from GENRE_WORDS.get(term, ())
    voice = INSTRUMENT_WORDS.get(term)
    if voice is not None:
        yield from voice.hints


def _choose_preset(terms: list[Term], excluded: set[str]) -> Preset:
    """The best-scoring preset; ties go to the genre mentioned first, then to
    GENRES order. Nothing recognised (or everything excluded) → pop, or the
    first genre not excluded."""
    scores: dict[str, float] = {}
    first_seen: dict[str, int] = {}
    for term in terms:
        for genre, weight in _genre_hints(term.text):
            if genre in excluded:
                continue
            scores[genre] = scores.get(genre, 0.0) + weight
            first_seen.setdefault(genre, term.start)
    if scores:
        best = min(scores, key=lambda g: (-scores[g], first_seen[g], GENRES.index(g)))
        return _PRESETS[best]
    fallback = [DEFAULT_GENRE, *GENRES]
    return _PRESETS[next((g for g in fallback if g not in excluded), DEFAULT_GENRE)]


# --- mode, tempo, energy, groove -----------------------------------------------------------


def _mode_for(preset: Preset, moods: list[str]) -> Mode:
    vote = sum(MOOD_WORDS[word].vote for word in moods)
    if vote > 0:
        return Mode.MAJOR
    if vote < 0:
        return Mode.MINOR
    return preset.mode


def _first_groove(terms: list[Term]) -> Groove | None:
    return next((GROOVE_WORDS[t.text] for t in terms if t.text in GROOVE_WORDS), None)


def _pattern_for(preset: Preset, groove: Groove | None) -> str:
    if groove is not None and groove.pattern is not None:
        return groove.pattern
    return preset.drum_pattern


def _swing_for(preset: Preset, terms: list[Term]) -> float:
    """Preset swing unless a groove word says otherwise (the last one wins)."""
    swing = preset.swing
    for term in terms:
        groove = GROOVE_WORDS.get(term.text)
        if groove is not None and groove.swing is not None:
            swing = groove.swing
    return min(max(swing, 0.0), 1 / 3)


def _tempo_for(
    tags: str, preset: Preset, groove: Groove | None, moods: list[str], rng: random.Random
) -> float:
    """An explicit bpm wins; otherwise somewhere in the middle of the genre's
    (or groove's) range, moved by the moods, clamped to 60-180."""
    explicit = _explicit_tempo(tags)
    if explicit is not None:
        return _clamp_tempo(explicit)
    low, high = groove.tempo if groove is not None and groove.tempo else preset.tempo
    base = low + (high - low) * (0.3 + 0.4 * rng.random())
    factor = math.prod(MOOD_WORDS[word].tempo for word in dict.fromkeys(moods))
    return _clamp_tempo(round(base * min(max(factor, 0.7), 1.35)))


def _clamp_tempo(bpm: float) -> float:
    return float(min(max(bpm, TEMPO_MIN), TEMPO_MAX))


def _energy_for(preset: Preset, moods: list[str]) -> float:
    change = sum(MOOD_WORDS[word].energy for word in dict.fromkeys(moods))
    return round(min(max(preset.energy + change, 0.15), 1.0), 2)


_BPM_AFTER = re.compile(r"(\d{2,3}(?:\.\d+)?)\s*-?\s*(?:bpm|beats per minute)\b", re.IGNORECASE)
_BPM_BEFORE = re.compile(r"\b(?:bpm|tempo)\s*[:=]?\s*(\d{2,3}(?:\.\d+)?)\b", re.IGNORECASE)


def _explicit_tempo(tags: str) -> float | None:
    match = _BPM_AFTER.search(tags) or _BPM_BEFORE.search(tags)
    return float(match.group(1)) if match else None


# --- key -----------------------------------------------------------------------------------

_LETTERS = {"c": 0, "d": 2, "e": 4, "f": 5, "g": 7, "a": 9, "b": 11}
_ACC = r"(#|♯|b|♭|\s?sharp|\s?flat|-sharp|-flat)?"
_KEY_PATTERNS: tuple[re.Pattern[str], ...] = (
    re.compile(rf"\bkey\s+of\s+([a-g]){_ACC}(?:\s*(major|minor|maj|min)\b)?", re.IGNORECASE),
    re.compile(rf"\b([a-g]){_ACC}\s*(major|minor|maj|min)\b", re.IGNORECASE),
    re.compile(rf"([a-g]){_ACC}\s*(大调|小调|调)", re.IGNORECASE),
    re.compile(rf"\bin\s+([A-G]){_ACC}(?![\w#♯♭])()"),
    re.compile(r"\b([A-G])(#|♯|b|♭)?(m)\b"),
)


def _explicit_key(tags: str) -> tuple[int | None, Mode | None]:
    """(tonic, mode) named in the tags, either part possibly None."""
    for pattern in _KEY_PATTERNS:
        match = pattern.search(tags)
        if match:
            letter, accidental, quality = match.group(1), match.group(2), match.group(3)
            return _pitch_class(letter, accidental), _quality_mode(quality)
    return None, None


def _pitch_class(letter: str, accidental: str | None) -> int:
    shift = 0
    if accidental:
        sign = accidental.strip().lstrip("-").lower()
        shift = 1 if sign in ("#", "♯", "sharp") else -1
    return (_LETTERS[letter.lower()] + shift) % 12


def _quality_mode(quality: str | None) -> Mode | None:
    if not quality:
        return None
    if quality.lower() in ("minor", "min", "m", "小调"):
        return Mode.MINOR
    if quality.lower() in ("major", "maj", "大调"):
        return Mode.MAJOR
    return None


explicit_tempo, explicit_key = _explicit_tempo, _explicit_key  # what the tags name outright

__all__ = ["DEFAULT_GENRE", "GENRES", "TEMPO_MAX", "TEMPO_MIN", "explicit_key",
           "explicit_tempo", "parse_style"]
