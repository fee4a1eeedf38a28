"""The section plan of a whole song: what is played around the lyrics, and in which order.

Lyrics give the sections that are sung, in their order; a finished song
needs more. Around them the arrangement puts an intro, an instrumental solo
on the lead (unless the lyrics already ask for a break), the last chorus
twice — the second time lifted — and an outro that cadences and rings out.
Lyrics without a chorus get one: their last section, sung again as the hook.
Short lyrics grow towards two and a half minutes with reprises of the first
verse and the chorus, placed before the solo.

Trimming to ``max_seconds`` takes added sections away first — reprises,
then the plain chorus repeat, the solo, the lifted chorus — so the lyrics'
own words are the last thing to go (``fit`` then trims those as before).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from songgate.engine.compose.fit import fit
from songgate.engine.compose.sections import (
    Draft,
    bar_seconds,
    body_bars,
    drafts_for,
)
from songgate.engine.types import Form, Section, SectionKind, Style

SHORTEST_SECONDS = 120.0  # reprises are added while a song is shorter than this
LONGEST_SECONDS = 180.0  # ... and only when they keep it within this
INSTRUMENTAL_SECONDS = 160.0  # a song without lyrics is trimmed to this (or max_seconds)
RING_SECONDS = 4.5  # the final chord's ring-out after the last bar, in whole bars
MAX_REPRISES = 3
LIFT_SUFFIX = " (lift)"

INSTRUMENTAL_FORM = (  # reprises of verse and chorus lengthen it like short lyrics
    (SectionKind.INTRO, "Intro"),
    (SectionKind.VERSE, "Verse"),
    (SectionKind.CHORUS, "Chorus"),
    (SectionKind.OUTRO, "Outro"),
)


def arrange(form: Form, style: Style, max_seconds: float) -> tuple[list[Draft], float]:
    """The sections to play, in order, and the ring-out tail in beats, within ``max_seconds``."""
    if not form.sections:
        form = Form(tuple(Section(kind, label) for kind, label in INSTRUMENTAL_FORM))
    drafts = drafts_for(form, style)
    has_lyrics = any(draft.sung for draft in drafts)
    seconds = max_seconds if has_lyrics else min(max_seconds, INSTRUMENTAL_SECONDS)
    budget = max(0.0, seconds) * style.tempo / 60.0 - 1e-6
    longest = LONGEST_SECONDS * style.tempo / 60.0
    return _trimmed(whole_song(drafts, style), style.meter, budget, longest, ring_beats(style))


def ring_beats(style: Style) -> float:
    """The tail after the last bar: the fewest whole bars lasting ``RING_SECONDS`` (up to four)."""
    bars = max(1, min(4, math.ceil(RING_SECONDS / bar_seconds(style) - 1e-9)))
    return float(bars * style.meter)


def whole_song(drafts: Sequence[Draft], style: Style) -> list[Draft]:
    """Intro, the given sections, reprises, solo, chorus, lifted chorus, outro (untrimmed)."""
    head = [d for d in drafts[:1] if _edge(d, SectionKind.INTRO)]
    tail = [d for d in drafts[len(head) :][-1:] if d.kind is SectionKind.OUTRO]
    body = list(drafts[len(head) : len(drafts) - len(tail)])
    if not body:
        return list(drafts)
    chorus = _chorus(body)
    if chorus is None:  # no chorus written: the last sung section comes back as the hook
        last = next((d for d in reversed(body) if d.sung), body[-1])
        chorus = Draft(SectionKind.CHORUS, "Chorus", last.bars, last.lines, last.line_bars, True)
        body.append(chorus)
    ending: list[Draft] = []
    if not any(d.kind is SectionKind.INSTRUMENTAL for d in body):
        ending.append(
            Draft(SectionKind.INSTRUMENTAL, "Solo", _solo_bars(chorus, style), added=True)
        )
    ending += [
        chorus.repeated(chorus.label),
        chorus.repeated(chorus.label + LIFT_SUFFIX, lift=True),
    ]
    reprise = _reprise(body, chorus)
    song = [*head, *body, *ending, *tail]
    for _ in range(MAX_REPRISES):
        seconds = _bars(song) * bar_seconds(style)
        added = _bars(reprise) * bar_seconds(style)
        if seconds >= SHORTEST_SECONDS or seconds + added > LONGEST_SECONDS:
            break
        at = len(head) + len(body)
        song[at:at] = reprise
        body += reprise
    return song


def _edge(draft: Draft, kind: SectionKind) -> bool:
    return draft.kind is kind and not draft.sung


def _chorus(body: Sequence[Draft]) -> Draft | None:
    sung = [d for d in body if d.kind is SectionKind.CHORUS and d.sung]
    if sung:
        return sung[-1]
    if any(d.sung for d in body):
        return None
    return next((d for d in reversed(body) if d.kind is SectionKind.CHORUS), None)


def _solo_bars(chorus: Draft, style: Style) -> int:
    """As long as the chorus (the lead plays its tune), unless that is very long."""
    return chorus.bars if 4 <= chorus.bars <= 2 * body_bars(style) else body_bars(style)


def _reprise(body: Sequence[Draft], chorus: Draft) -> list[Draft]:
    """The first verse (or first section) and the chorus again, to lengthen a short song."""
    verse = next((d for d in body if d.kind is SectionKind.VERSE), body[0])
    if verse is chorus:
        return [chorus.repeated(chorus.label)]
    return [verse.repeated(verse.label), chorus.repeated(chorus.label)]


def _bars(drafts: Sequence[Draft]) -> int:
    return sum(draft.bars for draft in drafts)


def _trimmed(
    song: list[Draft], meter: int, budget: float, longest: float, ring: float
) -> tuple[list[Draft], float]:
    """Drop added sections (see module docstring) until the song fits, then let ``fit`` trim.

    Repeats also go while the song is longer than ``longest`` beats; the solo
    and the lifted chorus only when it is longer than ``budget``.
    """
    dropped: set[int] = set()

    def kept() -> list[Draft]:
        return [d for i, d in enumerate(song) if i not in dropped]

    for index in _drop_order(song):
        required = index in _required(song)
        limit = budget if required else min(budget, longest)
        if _bars(kept()) * meter + ring <= limit:
            continue
        dropped.add(index)
    if _bars(kept()) * meter + ring <= budget:
        return kept(), ring
    return fit(kept(), meter, budget)


def _required(song: Sequence[Draft]) -> set[int]:
    """Added sections kept up to ``max_seconds``: solo, lifted chorus, a hook made from a verse."""
    written_chorus = any(d.kind is SectionKind.CHORUS and not d.added for d in song)
    return {
        i
        for i, d in enumerate(song)
        if d.added
        and (
            d.lift
            or d.kind is SectionKind.INSTRUMENTAL
            or (
                d.kind is SectionKind.CHORUS
                and not written_chorus
                and i > 0
                and not song[i - 1].added
            )
        )
    }


def _drop_order(song: Sequence[Draft]) -> list[int]:
    """Indices of added sections: reprises (from the end), the plain repeat, solo, hook, lift."""
    added = [i for i, d in enumerate(song) if d.added]
    solo = [i for i in added if song[i].kind is SectionKind.INSTRUMENTAL]
    lifted = [i for i in added if song[i].lift]
    plain = [i for i in added if i + 1 in lifted and i not in solo]
    hook = [i for i in _required(song) if i not in solo and i not in lifted]
    reprises = [i for i in added if i not in (*solo, *lifted, *plain, *hook)]
    return [*reversed(reprises), *plain, *solo, *hook, *lifted]
