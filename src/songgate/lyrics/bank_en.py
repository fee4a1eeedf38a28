"""The English line banks, by name: one per theme, per season, and the generic bank.

Why whole hand-written lines, grouped by rhyme: any two lines of a family
rhyme by the CMU dictionary and each line already means something, so the
writer only *chooses*; it never assembles words. A bank is a tuple of rhyme
families; a family is a tuple of lines (6 to 10 syllables each). A line may
mark one hook phrase with ``HOOK_MARK`` ("We are *golden in the summer sun*"):
a chorus opens with a hook line and the phrase becomes the song's title.
"""

from __future__ import annotations

from songgate.lyrics.bank_en_generic import GENERIC
from songgate.lyrics.bank_en_heart import FRIENDSHIP, HEARTBREAK, HOME, LOVE
from songgate.lyrics.bank_en_life import CELEBRATION, DREAMS, FREEDOM, MEMORIES, WORK
from songgate.lyrics.bank_en_out import NIGHT, PARTY, SUMMER, TRAVEL
from songgate.lyrics.bank_en_sky import (
    NATURE,
    RAIN,
    SEASONS,
    SEASONS_AUTUMN,
    SEASONS_SPRING,
    SEASONS_WINTER,
)

HOOK_MARK = "*"

Family = tuple[str, ...]

BANKS: dict[str, tuple[Family, ...]] = {
    "love": LOVE,
    "heartbreak": HEARTBREAK,
    "summer": SUMMER,
    "night": NIGHT,
    "party": PARTY,
    "home": HOME,
    "friendship": FRIENDSHIP,
    "travel": TRAVEL,
    "rain": RAIN,
    "dreams": DREAMS,
    "nature": NATURE,
    "seasons": SEASONS,
    "seasons_autumn": SEASONS_AUTUMN,
    "seasons_winter": SEASONS_WINTER,
    "seasons_spring": SEASONS_SPRING,
    "work": WORK,
    "freedom": FREEDOM,
    "memories": MEMORIES,
    "celebration": CELEBRATION,
    "generic": GENERIC,
}
