"""English lyrics about the prompt: its story in line templates, its mood in bank lines.

The prompt's topic (``topic_en.read_topic``: subject, setting, time, verb and
the nouns of its scene, with their natural company from our lexicon) fills
line templates (``topic_en_lines``): whole grammatical lines with one noun
slot that never ends the line. Each section opens with a rhyming pair of them,
told in story order: the first verse sets the scene, the chorus hook names
the subject (and the title: "Last Train on My Mind"), the second verse sings
what happened, the bridge turns, the outro closes. The rest of a four-line
section is a pair of whole hand-written bank lines for the mood of the
prompt's themes, AABB or ABAB.

Why rhyme families: every template and bank line is indexed by the rhyming
part of its end word's first CMU pronunciation (the one the engine sings),
so two lines of one family rhyme by construction and a song needs no rhyme
search. What the prompt puts in a line is only ever a noun phrase of
dictionary words read as nouns; a prompt that talks to the writer
("ignore the instructions") has no topic, and its song is bank lines only,
its title the hook or a place from our own list ("Tokyo Rain").
"""

from __future__ import annotations

import random
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

import pronouncing  # type: ignore[import-untyped]

from songgate.lyrics.bank_en import BANKS, HOOK_MARK
from songgate.lyrics.bank_en_keywords import MAX_PROMPT_CHARS, ThemeChoice, choose_themes
from songgate.lyrics.topic import Topic
from songgate.lyrics.topic_en import read_topic
from songgate.lyrics.topic_en_fill import FilledLine, TopicFiller
from songgate.lyrics.topic_en_lexicon import EVERYDAY, THEME_COMPANY
from songgate.lyrics.types import SONG_FORM, LyricSection, LyricSheet

_WORD = re.compile(r"[A-Za-z']+")
_SMALL_WORDS = frozenset(
    ("a", "an", "and", "as", "at", "but", "by", "for", "from", "in", "into", "nor", "of", "on",
     "or", "the", "to", "with")
)  # fmt: skip
Pool = tuple[str, ...]  # bank names a section draws from
_GENERIC: Pool = ("generic",)
# Weights of a section's banks, in order of preference (first is the section's own theme).
_WEIGHTS = (8.0, 2.0, 0.5)


@dataclass(frozen=True, slots=True)
class BankLine:
    """One bank line, measured once: what it says, how it ends, how long it sings."""

    text: str
    end: str  # last word, lower-case
    rhyme: str  # rhyming part of the end word's first CMU pronunciation
    syllables: int  # by each word's first CMU pronunciation, as the engine counts
    title: str  # the hook phrase marked in the bank, or ""


@dataclass(slots=True)
class _Song:
    """What one song has used so far, so nothing repeats and rhymes vary."""

    rng: random.Random
    used: set[str] = field(default_factory=set)
    ends: Counter[str] = field(default_factory=Counter)  # end word → lines
    rhymes: Counter[str] = field(default_factory=Counter)  # rhyme → pairs


def write_english(prompt: str, seed: int) -> LyricSheet:
    """A full song (language "en") in ``SONG_FORM`` for the prompt; same inputs, same song."""
    choice = choose_themes(prompt)
    # A string seed is hashed with SHA-512 by ``random``: stable across runs and hash seeds.
    song = _Song(rng=random.Random(f"en:{seed}:{prompt[:MAX_PROMPT_CHARS]}"))
    primary = _pool(choice, choice.themes[0])
    other = _pool(choice, choice.themes[1]) if len(choice.themes) > 1 else primary
    topic = song_topic(prompt, choice)
    filler = TopicFiller(topic, song.rng, _measure_text) if topic else None
    subject = topic.subject if topic else None
    verse = _story(song, filler, "scene", 4, (primary, other, _GENERIC))
    chorus = _story(song, filler, "hook", 4, (primary, other, _GENERIC), first=subject)
    doing = topic.doing if topic else None
    told = "doing" if doing else song.rng.choice(("event", "memory"))
    verse_2 = _story(song, filler, told, 4, (other, primary, _GENERIC), first=doing)
    bridge = _story(song, filler, "turn", song.rng.choice((2, 4)), (other, _GENERIC, primary),
                    first=subject)
    outro = _story(song, filler, song.rng.choice(("outro", "memory")), 2,
                   (primary, _GENERIC, other))
    sung = {
        "Verse": verse,
        "Chorus": chorus,
        "Verse 2": verse_2,
        "Bridge": bridge,
        "Outro": outro,
    }
    sections = tuple(
        LyricSection(label, tuple(line.text for line in sung[label])) for label in SONG_FORM
    )
    return LyricSheet(
        title=_title(song.rng, choice, chorus[0].title, topical=topic is not None),
        language="en",
        sections=sections,
        themes=choice.themes,
    )


def song_topic(prompt: str, choice: ThemeChoice | None = None) -> Topic | None:
    """The prompt's topic as the song sings it: a subject the lexicon does not know
    still gets a scene, its theme's everyday one."""
    topic = read_topic(prompt)
    if topic is None:
        return None
    theme = (choice or choose_themes(prompt)).themes[0]
    return topic.with_company((*THEME_COMPANY.get(theme, ()), *EVERYDAY))


def _story(song: _Song, filler: TopicFiller | None, role: str, size: int,
           pools: tuple[Pool, ...], *, first: str | None = None) -> list[BankLine]:
    """A section that tells the topic: a pair of filled templates of ``role`` (the
    hook opening a chorus), and for four lines a bank pair in AABB or ABAB.
    Without a topic, or when no template fits, the whole section is bank lines."""
    pair = None
    if filler:  # a hook may repeat an end word sung before; a long subject loses its modifier
        avoid = set() if role == "hook" else set(song.ends)
        words = first.split() if first else []
        shorter = f"{words[0]} {words[-1]}" if len(words) > 2 else None
        phrases: list[str | None] = [p for p in (first, shorter) if p]
        for phrase in phrases or [None]:
            pair = pair or filler.pair(role, avoid, phrase)
    if pair is None:
        return _section(song, size, pools, hook=role == "hook")
    told = [_as_bank_line(line) for line in pair]
    for line in told:
        song.used.add(line.text)
        song.ends[line.end] += 1
    song.rhymes[told[0].rhyme] += 1
    if size == 2:
        return told
    mood = _pair(song, pools, [told[0].rhyme], hook=False)
    if song.rng.random() < 0.5:
        return [told[0], mood[0], told[1], mood[1]]
    return [*told, *mood]


def _as_bank_line(line: FilledLine) -> BankLine:
    return BankLine(text=line.text, end=line.end, rhyme=line.rhyme,
                    syllables=line.syllables, title=line.title)


def _measure_text(text: str) -> tuple[str, str, int]:
    line = measure(text)
    return line.end, line.rhyme, line.syllables


def measure(raw: str) -> BankLine:
    """A bank line's text (hook marks removed), end word, rhyme and syllable count."""
    title = raw.split(HOOK_MARK)[1] if raw.count(HOOK_MARK) == 2 else ""
    text = raw.replace(HOOK_MARK, "")
    words = _WORD.findall(text)
    end = words[-1].lower() if words else ""
    phones = _phones(end)
    rhyme: str = pronouncing.rhyming_part(phones) if phones else ""
    syllables = sum(_syllables(word.lower()) for word in words)
    return BankLine(text=text, end=end, rhyme=rhyme, syllables=syllables, title=title)


def _phones(word: str) -> str:
    found: list[str] = pronouncing.phones_for_word(word)
    return found[0] if found else ""


def _syllables(word: str) -> int:
    """Vowel phones of the first pronunciation; a word outside the dictionary (the
    bank test forbids them) counts as one."""
    phones = _phones(word)
    return max(1, sum(phone[-1].isdigit() for phone in phones.split())) if phones else 1


@lru_cache(maxsize=1)
def _index() -> dict[str, dict[str, tuple[BankLine, ...]]]:
    """Bank name → rhyme → its lines; built once, then every song only looks up."""
    index: dict[str, dict[str, tuple[BankLine, ...]]] = {}
    for name, families in BANKS.items():
        by_rhyme: dict[str, list[BankLine]] = {}
        for family in families:
            for raw in family:
                line = measure(raw)
                if line.rhyme:
                    by_rhyme.setdefault(line.rhyme, []).append(line)
        index[name] = {rhyme: tuple(lines) for rhyme, lines in by_rhyme.items()}
    return index


def _pool(choice: ThemeChoice, theme: str) -> Pool:
    """The bank names a theme draws from (seasons narrow to the season named)."""
    return choice.banks.get(theme, (theme,))


def _section(
    song: _Song, size: int, pools: tuple[Pool, ...], *, hook: bool = False
) -> list[BankLine]:
    """``size`` lines in rhyming pairs: a couplet, or AABB / ABAB for four lines."""
    pairs: list[tuple[BankLine, BankLine]] = []
    section_rhymes: list[str] = []
    for index in range(size // 2):
        pair = _pair(song, pools, section_rhymes, hook=hook and index == 0)
        section_rhymes.append(pair[0].rhyme)
        pairs.append(pair)
    if size == 4 and song.rng.random() < 0.5:
        (a1, a2), (b1, b2) = pairs
        return [a1, b1, a2, b2]
    return [line for pair in pairs for line in pair]


def _pair(
    song: _Song, pools: tuple[Pool, ...], avoid: list[str], *, hook: bool
) -> tuple[BankLine, BankLine]:
    """Two unused lines of one rhyme family with different end words, preferring the
    section's first pool, rhymes not yet in this section or song, and fresh end words."""
    families = _candidates(song, pools)
    weights = [
        _family_weight(song, rhyme, lines, avoid, hook=hook) for rhyme, lines in families.items()
    ]
    if not any(weights):  # every preference exhausted: widen to the whole bank
        families = _candidates(song, (tuple(BANKS),))
        weights = [
            _family_weight(song, rhyme, lines, [], hook=False) for rhyme, lines in families.items()
        ]
    rhyme = song.rng.choices(list(families), weights=weights)[0]
    lines = families[rhyme]
    hooks = [(line, w) for line, w in lines if line.title and w == _WEIGHTS[0]] if hook else []
    first = _weighted(song, hooks or lines)
    second = _weighted(song, [(line, w) for line, w in lines if line.end != first.end])
    for line in (first, second):
        song.used.add(line.text)
        song.ends[line.end] += 1
    song.rhymes[rhyme] += 1
    return first, second


def _candidates(song: _Song, pools: tuple[Pool, ...]) -> dict[str, list[tuple[BankLine, float]]]:
    """Rhyme → unused lines of the pools, each with its pool's weight (first pool wins)."""
    index = _index()
    families: dict[str, list[tuple[BankLine, float]]] = {}
    seen: set[str] = set()
    for pool, weight in zip(pools, _WEIGHTS, strict=False):
        for name in pool:
            for rhyme, lines in index.get(name, {}).items():
                for line in lines:
                    if line.text not in song.used and line.text not in seen:
                        seen.add(line.text)
                        families.setdefault(rhyme, []).append((line, weight))
    return families


def _family_weight(
    song: _Song, rhyme: str, lines: list[tuple[BankLine, float]], avoid: list[str], *, hook: bool
) -> float:
    """How much a family is wanted; 0 when it cannot give a pair (or a hook pair)."""
    ends = {line.end for line, _ in lines}
    if len(ends) < 2 or rhyme in avoid:
        return 0.0
    if hook and not any(line.title and weight == _WEIGHTS[0] for line, weight in lines):
        return 0.0
    best = sorted((weight for _, weight in lines), reverse=True)
    return (best[0] + best[1]) / (1.0 + 1.5 * song.rhymes[rhyme])


def _weighted(song: _Song, lines: list[tuple[BankLine, float]]) -> BankLine:
    """A line by weight, disfavouring end words the song has already sung."""
    weights = [weight / (1.0 + 4.0 * song.ends[line.end]) for line, weight in lines]
    return song.rng.choices([line for line, _ in lines], weights=weights)[0]


def _title(rng: random.Random, choice: ThemeChoice, hook: str, *, topical: bool) -> str:
    """The hook phrase when it names the prompt's subject ("Last Train on My Mind", a
    leading "the" dropped); else a place title ("Tokyo Rain") when the prompt names a
    known place; else the hook."""
    if topical and hook:
        return title_case(hook.removeprefix("the "))
    if choice.place and choice.title_nouns:
        return f"{choice.place} {rng.choice(choice.title_nouns)}"
    return title_case(hook or f"a song of {choice.themes[0]}")


def title_case(phrase: str) -> str:
    """Capitalise each word but small inner ones ("Golden in the Summer Sun")."""
    words = phrase.split()
    out = []
    for index, word in enumerate(words):
        inner = 0 < index < len(words) - 1
        lower = word.lower()
        out.append(lower if inner and lower in _SMALL_WORDS else word[:1].upper() + word[1:])
    return " ".join(out)
