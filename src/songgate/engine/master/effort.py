"""The singer's effort per section: verses sung back, choruses full, the last chorus pushed.

A singer does not hold one level through a song: the verse is told, the chorus
is belted, and on a record the vocal rides that difference even after its
compressor. The vocal chain (:mod:`voice`) evens out syllables over the whole
song, so this curve is applied after it: a gain per section kind, in dB
against the chorus, moving over the beat before each section starts (the
singer builds into the chorus and settles back into the verse) rather than
jumping at the bar line. The band already plays verses softer and sparser
(``compose.groove``, ``compose.backing``); with the voice following it, a
chorus arrives audibly louder than its verse.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from songgate.engine.compose.arrange import LIFT_SUFFIX
from songgate.engine.types import Score, SectionKind

Audio = npt.NDArray[np.float32]

# Vocal level per section kind, dB against the chorus.
SECTION_DB: dict[SectionKind, float] = {
    SectionKind.VERSE: -2.5,
    SectionKind.PRE_CHORUS: -1.5,
    SectionKind.BRIDGE: -1.5,
    SectionKind.CHORUS: 0.0,
}
OTHER_DB = -1.5  # intro, outro, solo: rarely sung, but an ad-lib there is not belted
LIFT_DB = 1.0  # the lifted final chorus


def section_db(kind: SectionKind, label: str) -> float:
    """The vocal's level in a section of ``kind`` (labelled ``label``), dB against a chorus."""
    if kind is SectionKind.CHORUS and label.endswith(LIFT_SUFFIX):
        return LIFT_DB
    return SECTION_DB.get(kind, OTHER_DB)


def effort_curve(score: Score, frames: int, sample_rate: int) -> Audio:
    """A linear gain per frame (``frames``,) for the vocal of ``score``.

    Each section holds its level; the change to the next one ramps linearly
    over the beat before that section's first bar line. Frames past the last
    section keep its level; a score without sections gets unity gain.
    """
    if not score.sections or frames <= 0:
        return np.ones(max(0, frames), dtype=np.float32)
    beat = max(1, round(score.seconds_at(1.0) * sample_rate))
    levels = [section_db(span.kind, span.label) for span in score.sections]
    curve_db = np.full(frames, levels[0], dtype=np.float64)
    for span, before, level in zip(score.sections[1:], levels, levels[1:], strict=False):
        at = round(score.seconds_at(span.start_bar * score.meter) * sample_rate)
        start = max(0, at - beat)
        if start >= frames:
            break
        curve_db[start:] = level
        ramp_end = min(at, frames)
        if ramp_end > start:
            share = (np.arange(start, ramp_end) - start + 1) / (at - start)
            curve_db[start:ramp_end] = before + (level - before) * share
    return np.power(10.0, curve_db / 20.0).astype(np.float32)
