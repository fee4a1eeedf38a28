"""Instrument words → the GM programs of each arrangement role.

A preset's instrumentation is the starting point. An instrument word in the
tags assigns its role ("saxophone" → lead 65) unless the role already plays
an instrument of the family the word names ("guitar" leaves rock's
distorted guitar alone). Negative tags ban whole families; a banned or
doubled program is replaced by a neutral choice that suits the role.
"""

from __future__ import annotations

from songgate.engine.style.presets import Preset
from songgate.engine.style.words import INSTRUMENT_WORDS, Groove
from songgate.engine.types import Instrumentation

# A generic guitar in these genres is nylon-strung (GM 24), elsewhere steel (25).
_NYLON_GENRES = frozenset({"salsa", "jazz", "chinese", "ballad"})
# Replacements when a role's program is banned or would double another role.
_NEUTRAL: dict[str, tuple[int, ...]] = {
    "lead": (73, 40, 11, 65, 56, 80, 0, 25),
    "comp": (0, 25, 46, 24, 4, 48, 16),
    "bass": (33, 32, 34, 38, 43, 58),
    "pad": (48, 89, 49, 52, 50, 88),
}
# Genres whose colour a generic replacement would spoil try these first.
_GENRE_NEUTRAL: dict[str, dict[str, tuple[int, ...]]] = {
    "chinese": {"lead": (73, 110, 77), "comp": (46, 15, 106), "pad": (49, 48)},
    "orchestral": {"lead": (40, 60, 73), "comp": (46, 48, 49)},
    "edm": {"lead": (81, 80, 87), "comp": (90, 88, 4)},
}
_MAX_EXTRAS = 3


def banned_programs(negative_words: set[str]) -> frozenset[int]:
    banned: set[int] = set()
    for word in negative_words:
        voice = INSTRUMENT_WORDS.get(word)
        if voice is not None:
            banned |= voice.family
    return frozenset(banned)


def instrumentation(
    preset: Preset, words: list[str], banned: frozenset[int], groove: Groove | None
) -> Instrumentation:
    """The preset's instruments with the tags' instrument words applied, then
    banned programs and doubled lead/comp replaced by neutral choices."""
    base = preset.instruments
    roles: dict[str, int | None] = {
        "lead": base.lead,
        "comp": base.comp,
        "bass": base.bass,
        "pad": base.pad,
    }
    extras = list(base.extras)
    explicit: set[str] = set()
    kit = groove.kit if groove is not None and groove.kit is not None else base.drum_kit
    for word in words:
        voice = INSTRUMENT_WORDS.get(word)
        if voice is None:
            continue
        kit = voice.kit if voice.kit is not None else kit
        for role, program in voice.roles:
            if role == "extra":
                extras.append(program)
            elif roles[role] not in voice.family or role in explicit:
                roles[role] = _nylon(program, preset) if program == 25 else program
                explicit.add(role)
            else:
                explicit.add(role)
    _resolve_clashes(roles, explicit, banned, preset.name)
    used = {program for program in roles.values() if program is not None}
    kept = [p for p in dict.fromkeys(extras) if p not in banned and p not in used]
    return Instrumentation(
        lead=_required(roles["lead"]),
        comp=_required(roles["comp"]),
        bass=_required(roles["bass"]),
        pad=roles["pad"],
        extras=tuple(kept[:_MAX_EXTRAS]),
        drums=base.drums,
        drum_kit=kit,
    )


def _nylon(program: int, preset: Preset) -> int:
    return 24 if preset.name in _NYLON_GENRES else program


def _resolve_clashes(
    roles: dict[str, int | None], explicit: set[str], banned: frozenset[int], genre: str
) -> None:
    """Replace banned programs, and a comp that doubles the lead (keeping
    whichever of the two the tags asked for)."""
    if roles["lead"] == roles["comp"]:
        loser = "lead" if "comp" in explicit and "lead" not in explicit else "comp"
        roles[loser] = _neutral(loser, banned | {roles[loser] or 0}, roles, genre)
    for role in ("lead", "comp", "bass", "pad"):
        program = roles[role]
        if program is not None and program in banned:
            roles[role] = _neutral(role, banned, roles, genre)


def _neutral(
    role: str, avoid: frozenset[int], roles: dict[str, int | None], genre: str
) -> int | None:
    """A safe program for the role that is neither avoided nor already used.
    A pad may go silent (None); the other roles fall back to any free program."""
    used = {program for other, program in roles.items() if other != role}
    for program in (*_GENRE_NEUTRAL.get(genre, {}).get(role, ()), *_NEUTRAL[role]):
        if program not in avoid and program not in used:
            return program
    if role == "pad":
        return None
    return next(p for p in range(128) if p not in avoid and p not in used)


def _required(program: int | None) -> int:
    if program is None:  # only pads may be None; guarded by _neutral
        raise ValueError("a required instrument role has no program")
    return program
