"""The drum part: a groove per pattern name, a fill closing each section, crashes opening them.

Grooves are written for 4/4 as (beat, GM drum, weight) hits over one or two
bars; in other meters a waltz-like groove is built from the same pattern's
kick, backbeat and time-keeping voices, so a 3/4 rock song still sounds like
rock drums. Weights scale the section's loudness (see ``groove``).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from songgate.engine.compose.groove import base_velocity, velocity
from songgate.engine.compose.plan import SectionPlan, SongPlan
from songgate.engine.types import Note, SectionKind, Style

KICK, SIDE_STICK, SNARE, CLAP, CLOSED_HAT, PEDAL_HAT, OPEN_HAT = 36, 37, 38, 39, 42, 44, 46
CRASH, RIDE, CHINA, TAMBOURINE, COWBELL, CLAVES = 49, 51, 52, 54, 56, 75
LOW_TOM, MID_TOM, HIGH_TOM, FLOOR_TOM = 45, 47, 50, 43
MUTE_CONGA, OPEN_CONGA, LOW_CONGA, HIGH_TIMBALE, LOW_TIMBALE = 62, 63, 64, 65, 66
MARACAS, HIGH_WOODBLOCK, LOW_WOODBLOCK, TRIANGLE = 70, 76, 77, 81

Hit = tuple[float, int, float]  # beat within the groove, GM drum note, loudness weight


def _every(step: float, drum: int, weight: float, accent: float = 1.0, beats: int = 4) -> list[Hit]:
    """Evenly spaced hits; those on the beat get ``accent`` times the weight."""
    hits: list[Hit] = []
    position = 0.0
    while position < beats - 1e-9:
        on_beat = abs(position - round(position)) < 1e-9
        hits.append((position, drum, weight * (accent if on_beat else 1.0)))
        position += step
    return hits


def _at(positions: tuple[float, ...], drum: int, weight: float) -> list[Hit]:
    return [(position, drum, weight) for position in positions]


@dataclass(frozen=True, slots=True)
class Groove:
    bars: int
    hits: tuple[Hit, ...]
    kick: int = KICK
    back: int = SNARE  # the backbeat voice, reused for waltz grooves and fills
    time: int = CLOSED_HAT  # the time-keeping voice
    crash: int = CRASH


def _groove(*parts: list[Hit], bars: int = 1, **voices: int) -> Groove:
    hits = tuple(sorted((hit for part in parts for hit in part), key=lambda h: (h[0], h[1])))
    return Groove(bars, hits, **voices)


GROOVES: dict[str, Groove] = {
    "backbeat": _groove(
        _at((0, 2, 2.5), KICK, 0.95), _at((1, 3), SNARE, 0.9), _every(0.5, CLOSED_HAT, 0.55, 1.3)
    ),
    "rock": _groove(
        _at((0, 1.5, 2, 2.5), KICK, 1.0),
        _at((1, 3), SNARE, 1.0),
        _every(0.5, CLOSED_HAT, 0.65, 1.25),
    ),
    "four_on_floor": _groove(
        _at((0, 1, 2, 3), KICK, 1.0),
        _at((1, 3), CLAP, 0.85),
        _at((0.5, 1.5, 2.5, 3.5), OPEN_HAT, 0.55),
        _every(0.25, CLOSED_HAT, 0.3, 1.0),
        back=CLAP,
    ),
    "halftime": _groove(
        _at((0, 1.5), KICK, 0.95), _at((2,), SNARE, 0.95), _every(0.5, CLOSED_HAT, 0.5, 1.3)
    ),
    "boom_bap": _groove(
        _at((0, 1.75, 2.5), KICK, 1.0),
        _at((1, 3), SNARE, 1.0),
        _every(0.5, CLOSED_HAT, 0.5, 1.2),
    ),
    "trap": _groove(
        _at((0, 0.75, 2.5, 3.25), KICK, 1.0),
        _at((2,), CLAP, 0.95),
        _at((2,), SNARE, 0.6),
        _every(0.25, CLOSED_HAT, 0.4, 1.4),
        _at((3.5, 3.625, 3.75, 3.875), CLOSED_HAT, 0.35),
        back=CLAP,
    ),
    "lofi": _groove(
        _at((0, 1.75, 2.5), KICK, 0.75),
        _at((1, 3), SNARE, 0.6),
        _every(0.5, CLOSED_HAT, 0.35, 1.3),
    ),
    "jazz_swing": _groove(
        _at((0, 1, 1.5, 2, 3, 3.5), RIDE, 0.6),
        _at((1, 3), PEDAL_HAT, 0.5),
        _at((0, 1, 2, 3), KICK, 0.25),
        back=SNARE,
        time=RIDE,
    ),
    "clave": _groove(  # son clave 3-2 over two bars, congas, bell and a light kick
        _at((0, 1.5, 3, 5, 6), CLAVES, 0.8),
        _at((0, 1, 2, 3, 4, 5, 6, 7), COWBELL, 0.45),
        _at((1, 5), MUTE_CONGA, 0.55),
        _at((3, 7), LOW_CONGA, 0.6),
        _at((3.5, 7.5), OPEN_CONGA, 0.65),
        _at((0, 2.5, 4, 6.5), KICK, 0.5),
        bars=2,
        back=HIGH_TIMBALE,
        time=COWBELL,
    ),
    "ballad": _groove(
        _at((0, 2.5), KICK, 0.8),
        _at((1, 3), SIDE_STICK, 0.7),
        _every(0.5, CLOSED_HAT, 0.35, 1.3),
        back=SIDE_STICK,
    ),
    "folk": _groove(
        _at((0, 2), KICK, 0.8),
        _at((1, 3), SNARE, 0.6),
        _at((1, 3), TAMBOURINE, 0.55),
        _every(0.5, MARACAS, 0.35, 1.2),
        time=MARACAS,
    ),
    "orchestral": _groove(
        _at((0,), KICK, 0.7),
        _at((2,), FLOOR_TOM, 0.55),
        _at((3.5,), FLOOR_TOM, 0.35),
        back=FLOOR_TOM,
        time=TRIANGLE,
    ),
    "chinese": _groove(
        _at((0, 2), HIGH_WOODBLOCK, 0.6),
        _at((1.5, 3), LOW_WOODBLOCK, 0.5),
        _at((0,), KICK, 0.45),
        _at((1, 3), TAMBOURINE, 0.3),
        back=LOW_WOODBLOCK,
        time=HIGH_WOODBLOCK,
        crash=CHINA,
    ),
}

_SOFT_CRASH = {"lofi": 0.6, "jazz_swing": 0.7, "ballad": 0.75, "orchestral": 0.8}


def groove_for(name: str, meter: int) -> Groove | None:
    """The groove for a pattern name (unknown names play a backbeat; "none" plays nothing)."""
    if name == "none":
        return None
    groove = GROOVES.get(name, GROOVES["backbeat"])
    if meter == 4:
        return groove
    return _waltz(groove, meter)


def _waltz(groove: Groove, meter: int) -> Groove:
    """Kick on one, the backbeat voice softly on the other beats, time on eighths."""
    hits = (
        _at((0.0,), groove.kick, 0.9)
        + _at(tuple(float(b) for b in range(1, meter)), groove.back, 0.55)
        + _every(0.5, groove.time, 0.4, 1.3, beats=meter)
    )
    return _groove(hits, back=groove.back, time=groove.time, crash=groove.crash, kick=groove.kick)


def drum_notes(plan: SongPlan, style: Style, seed: int) -> list[Note]:
    """Every drum hit of the song (straight time, nominal velocities)."""
    groove = groove_for(style.drum_pattern, plan.meter)
    if groove is None or not style.instruments.drums:
        return []
    rng = random.Random(f"{seed}:drums")
    notes: list[Note] = []
    crash_weight = _SOFT_CRASH.get(style.drum_pattern, 1.0)
    for number, section in enumerate(plan.sections):
        loud = base_velocity(style.energy, section.kind)
        notes.extend(_section_groove(plan, section, groove, loud, style.energy))
        start = plan.section_start(section)
        if number > 0 or section.kind is not SectionKind.INTRO:
            notes.append(Note(start, 1.0, groove.crash, velocity(loud * crash_weight)))
        if section.bars >= 2 or number == len(plan.sections) - 1:
            notes = _with_fill(notes, plan, section, groove, loud, rng, style.drum_pattern)
    end = plan.body_beats
    if plan.tail > 0:
        final = base_velocity(style.energy, SectionKind.CHORUS)
        notes.append(Note(end, plan.tail, groove.crash, velocity(final * crash_weight)))
        notes.append(Note(end, plan.tail, groove.kick, velocity(final)))
    return [n for n in notes if n.start < plan.total_beats - 1e-9]


def _section_groove(
    plan: SongPlan, section: SectionPlan, groove: Groove, loud: float, energy: float
) -> list[Note]:
    meter = plan.meter
    start = plan.section_start(section)
    length = groove.bars * meter
    sparse = section.kind in (SectionKind.INTRO, SectionKind.VERSE) or energy < 0.3
    lean = section.kind is SectionKind.VERSE
    notes: list[Note] = []
    for bar in range(0, section.bars, groove.bars):
        origin = start + bar * meter
        for position, drum, weight in groove.hits:
            if origin + position >= plan.section_end(section) - 1e-9 or position >= length:
                continue
            if sparse and drum == groove.time and abs(position * 2 - round(position * 2)) > 1e-9:
                continue  # calm parts: no sixteenth hats
            if lean and drum == groove.time and abs(position - round(position)) > 1e-9:
                continue  # verses: time kept in quarters, the chorus opens up to eighths
            duration = 0.5 if drum not in (CRASH, RIDE, CHINA) else 1.0
            notes.append(Note(origin + position, duration, drum, velocity(loud * weight)))
    return notes


_FILLS: tuple[tuple[tuple[float, str], ...], ...] = (
    # (position within the fill, voice) — "back" is the groove's backbeat voice
    ((0.0, "back"), (0.5, "back"), (1.0, "high"), (1.25, "high"), (1.5, "mid"), (1.75, "low")),
    ((0.0, "back"), (0.25, "back"), (0.5, "back"), (0.75, "back"), (1.0, "back"), (1.5, "low")),
    ((0.0, "high"), (0.5, "mid"), (1.0, "low"), (1.5, "low")),
    ((1.0, "back"), (1.25, "back"), (1.5, "back"), (1.75, "back")),
)
_FILL_VOICES = {
    "chinese": {"high": HIGH_WOODBLOCK, "mid": LOW_WOODBLOCK, "low": LOW_WOODBLOCK},
    "clave": {"high": HIGH_TIMBALE, "mid": HIGH_TIMBALE, "low": LOW_TIMBALE},
    "orchestral": {"high": FLOOR_TOM, "mid": FLOOR_TOM, "low": FLOOR_TOM},
}


def _with_fill(
    notes: list[Note],
    plan: SongPlan,
    section: SectionPlan,
    groove: Groove,
    loud: float,
    rng: random.Random,
    pattern: str,
) -> list[Note]:
    """Replace the section's last two beats (one in 2/4) with a fill."""
    end = plan.section_end(section)
    fill = rng.choice(_FILLS)
    span = 2.0 if plan.meter >= 3 else 1.0
    begin = end - span
    voices = {"high": HIGH_TOM, "mid": MID_TOM, "low": LOW_TOM, "back": groove.back}
    voices.update(_FILL_VOICES.get(pattern, {}))
    kept = [n for n in notes if not (begin - 1e-9 <= n.start < end and n.pitch != groove.kick)]
    count = len(fill)
    for number, (position, voice) in enumerate(fill):
        at = begin + position * span / 2.0
        if at < begin - 1e-9:
            continue
        swell = 0.6 + 0.35 * (number + 1) / count
        kept.append(Note(at, 0.25, voices[voice], velocity(loud * swell)))
    return kept
