"""Trim a song to its time limit without cutting a line in half.

What goes first, and why: instrumental breaks (no words lost), then the
outro (the tail bar already lets the last chord ring), then whole sections in
an order that keeps the song's shape — whatever follows the last chorus,
then what lies between the first and last chorus from the end backwards
(so a long song becomes "verse, chorus, ..., final chorus"), then the last
chorus, then what precedes the first chorus. Only when one section is left
are lines dropped from its end, and only as a last resort the intro goes.
An outro dropped early comes back if the trimmed song has room for it.
"""

from __future__ import annotations

from collections.abc import Sequence

from songgate.engine.compose.sections import Draft
from songgate.engine.types import SectionKind


def fit(drafts: Sequence[Draft], meter: int, budget_beats: float) -> tuple[list[Draft], float]:
    """The drafts that fit ``budget_beats`` with a ring-out tail, and that tail in beats.

    The tail is one bar when there is room, less when there is not; if even
    one phrase does not fit, the shortest song possible is returned and the
    caller clips it.
    """
    songs = list(drafts)
    intro = songs.pop(0) if songs and _is_edge(songs[0], SectionKind.INTRO) else None
    outro = songs.pop() if songs and _is_edge(songs[-1], SectionKind.OUTRO) else None

    def length(middle: Sequence[Draft], *edges: Draft | None) -> float:
        bars = sum(draft.bars for draft in middle) + sum(e.bars for e in edges if e is not None)
        return float(bars * meter + meter)

    if length(songs, intro, outro) <= budget_beats:
        return _joined(intro, songs, outro), float(meter)
    intro = _shortened(intro, 2)
    outro = _shortened(outro, 2)
    for index in _removal_order(songs):
        if length(songs, intro, outro) <= budget_beats:
            break
        if songs[index].sung and outro is not None:
            outro = None
            if length(songs, intro) <= budget_beats:
                break
        songs[index] = Draft(SectionKind.INSTRUMENTAL, "", 0)  # a hole keeps indices valid
    songs = [draft for draft in songs if draft.bars > 0]
    if length(songs, intro, outro) > budget_beats:
        outro = None
    while songs and length(songs, intro) > budget_beats and _can_shrink(songs[-1]):
        songs[-1] = _shrunk(songs[-1])
    if length(songs, intro) > budget_beats and intro is not None:
        intro = _shortened(intro, 1)
        if length(songs, intro) > budget_beats:
            intro = None
    if outro is None:
        outro = _returning_outro(drafts, songs, intro, meter, budget_beats)
    body = length(songs, intro, outro) - meter
    tail = max(0.0, min(float(meter), budget_beats - body))
    return _joined(intro, songs, outro), tail


def _is_edge(draft: Draft, kind: SectionKind) -> bool:
    return draft.kind is kind and not draft.sung


def _joined(intro: Draft | None, middle: Sequence[Draft], outro: Draft | None) -> list[Draft]:
    return [d for d in (intro, *middle, outro) if d is not None]


def _shortened(draft: Draft | None, bars: int) -> Draft | None:
    if draft is None or draft.bars <= bars:
        return draft
    return draft.with_bars(bars)


def _returning_outro(
    drafts: Sequence[Draft],
    songs: Sequence[Draft],
    intro: Draft | None,
    meter: int,
    budget_beats: float,
) -> Draft | None:
    """A two-bar (or one-bar) outro, when the original had one and there is room now."""
    if not drafts or not _is_edge(drafts[-1], SectionKind.OUTRO):
        return None
    used = (sum(d.bars for d in songs) + (intro.bars if intro else 0)) * meter + meter
    for bars in (2, 1):
        if used + bars * meter <= budget_beats:
            return drafts[-1].with_bars(min(bars, drafts[-1].bars))
    return None


def _removal_order(songs: Sequence[Draft]) -> list[int]:
    """Indices of ``songs`` in the order they should be dropped (see module docstring)."""
    has_lyrics = any(draft.sung for draft in songs)
    unsung = [i for i, d in enumerate(songs) if has_lyrics and not d.sung]
    rest = [i for i in range(len(songs)) if i not in unsung]
    choruses = [i for i in rest if songs[i].kind is SectionKind.CHORUS]
    backwards = list(reversed(rest))
    if not choruses:
        order = backwards
    else:
        first, last = choruses[0], choruses[-1]
        after = [i for i in backwards if i > last]
        between = [i for i in backwards if first < i < last]
        before = [i for i in backwards if i < first]
        order = after + between + ([last] if last != first else []) + before + [first]
    return list(reversed(unsung)) + order[:-1]


def _can_shrink(draft: Draft) -> bool:
    return len(draft.lines) > 1 if draft.sung else draft.bars > 2


def _shrunk(draft: Draft) -> Draft:
    if draft.sung:
        return draft.without_last_line()
    return draft.with_bars(max(2, draft.bars - 2))
