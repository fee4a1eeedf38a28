"""ARPAbet syllables → English respellings that espeak-ng reads back right.

The singer synthesises every syllable on its own with espeak-ng, so the
second syllable of "happy" cannot be sung from its written chunk "py"
(espeak says "pie"). Instead each syllable of a CMU pronunciation is
respelled with English spelling conventions that espeak-ng's letter rules
pronounce predictably when the chunk stands alone: "hap" + "pee",
"beau·ti·ful" → "bue" + "tuh" + "ful". A consonant between a short vowel
and the next syllable is doubled into the short syllable ("hap" + "pee")
because English spelling cannot end a syllable on a short vowel.

The tables were tuned by reading respellings of ~9,000 syllables from
random multi-syllable CMU words back through espeak-ng 1.51 (en-us): about
98% come back with the intended phonemes; the rest are rare spellings
(mostly names) and near misses such as "fore" for /fɔr/ vs /for/.
tests/engine/test_form.py keeps a few of these checks.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

VOWELS = frozenset(
    {"AA", "AE", "AH", "AO", "AW", "AY", "EH", "ER", "EY", "IH", "IY", "OW", "OY", "UH", "UW"}
)
# Short vowels that cannot end a written syllable.
_LAX = frozenset({"AE", "EH", "UH"})
# Onsets (other than single consonants) English allows, for syllable division.
_ONSETS = frozenset(
    tuple(cluster.split())
    for cluster in (
        "P R", "P L", "B R", "B L", "T R", "D R", "K R", "K L", "G R", "G L", "F R", "F L",
        "TH R", "SH R", "S P", "S T", "S K", "S M", "S N", "S L", "S W", "T W", "D W", "K W",
        "G W", "TH W", "P Y", "B Y", "F Y", "M Y", "K Y", "HH Y", "V Y", "G Y",
        "S P R", "S T R", "S K R", "S P L", "S K W", "S K Y", "S P Y",
    )
)  # fmt: skip
_CONSONANT = {
    "B": "b", "CH": "ch", "D": "d", "DH": "th", "F": "f", "G": "g", "HH": "h", "JH": "j",
    "K": "k", "L": "l", "M": "m", "N": "n", "NG": "ng", "P": "p", "R": "r", "S": "s",
    "SH": "sh", "T": "t", "TH": "th", "V": "v", "W": "w", "Y": "y", "Z": "z", "ZH": "zh",
}  # fmt: skip
# Vowel spelled when nothing follows it in the syllable.
_OPEN = {
    "AA": "ah", "AE": "a", "AH": "uh", "AO": "aw", "AW": "au", "AY": "y", "EH": "e",
    "ER": "urr", "EY": "ay", "IH": "ih", "IY": "ee", "OW": "oh", "OY": "oy", "UH": "oo",
    "UW": "oo",
}  # fmt: skip
# Vowel spelled before a coda; "_e" marks a silent-e spelling (i_e: "fine").
_CLOSED = {
    "AA": "o", "AE": "a", "AH": "u", "AO": "aw", "AW": "ou", "AY": "i_e", "EH": "e",
    "ER": "ur", "EY": "a_e", "IH": "i", "IY": "ee", "OW": "o_e", "OY": "oi", "UH": "oo",
    "UW": "oo",
}  # fmt: skip
# Vowel + R spelled together when R begins the coda.
_BEFORE_R = {
    "AA": "ar", "AE": "air", "AH": "ur", "AO": "or", "AW": "our", "AY": "ire", "EH": "air",
    "ER": "ur", "EY": "air", "IH": "eer", "IY": "eer", "OW": "or", "OY": "oyr", "UH": "oor",
    "UW": "oor",
}  # fmt: skip
# Vowel after a consonant + Y onset ("few", "cue"): the glide is spelled in the vowel.
_AFTER_Y = {"UW": "u_e", "UH": "u_e", "ER": "ure", "AH": "u_e"}
# Onset consonants whose plain letter changes sound before e/i/y: "gi" would read "ji".
_SOFT_BEFORE_FRONT = {"G": "gh"}


@dataclass(frozen=True, slots=True)
class PhoneSyllable:
    """One syllable of a pronunciation: consonants before and after the vowel."""

    onset: tuple[str, ...]
    vowel: str  # ARPAbet without the stress digit
    stress: int  # 0 unstressed, 1 primary, 2 secondary
    coda: tuple[str, ...]


def syllabify(phones: list[str]) -> list[PhoneSyllable]:
    """Split CMU phones into syllables by the maximal-onset principle.
    Anything that is not an ARPAbet phone (a stray "#" in a few entries) is ignored."""
    phones = [p for p in phones if p.rstrip("012") in VOWELS or p in _CONSONANT]
    nuclei = [i for i, phone in enumerate(phones) if phone[:-1] in VOWELS or phone in VOWELS]
    if not nuclei:
        return []
    bounds = [0]
    for left, right in itertools.pairwise(nuclei):
        cluster = tuple(phones[left + 1 : right])
        bounds.append(right - _onset_length(cluster))
    bounds.append(len(phones))
    syllables = []
    for index, nucleus in enumerate(nuclei):
        start, end = bounds[index], bounds[index + 1]
        vowel = phones[nucleus]
        stress = int(vowel[-1]) if vowel[-1].isdigit() else 0
        syllables.append(
            PhoneSyllable(
                onset=tuple(phones[start:nucleus]),
                vowel=vowel.rstrip("012"),
                stress=stress,
                coda=tuple(phones[nucleus + 1 : end]),
            )
        )
    return syllables


def _onset_length(cluster: tuple[str, ...]) -> int:
    """How many consonants at the end of an intervocalic cluster start the next syllable."""
    for length in range(min(3, len(cluster)), 1, -1):
        if cluster[-length:] in _ONSETS:
            return length
    if cluster and cluster[-1] != "NG":
        return 1
    return 0


def respell(syllables: list[PhoneSyllable]) -> list[str]:
    """A pronounceable standalone spelling for each syllable of one word."""
    spelled = []
    for index, syllable in enumerate(syllables):
        following = syllables[index + 1] if index + 1 < len(syllables) else None
        spelled.append(_spell(_close_short(syllable, following)))
    return spelled


def _close_short(syllable: PhoneSyllable, following: PhoneSyllable | None) -> PhoneSyllable:
    """Borrow the next onset's first consonant into an open short-vowel syllable
    ("ha|ppy" → "hap|py"), since a written syllable cannot end in a short vowel
    (and a bare "i" or "e" reads as a long vowel)."""
    short = syllable.vowel in _LAX or (not syllable.onset and syllable.vowel in _BARE_SHORT)
    if syllable.coda or not short or following is None:
        return syllable
    if not following.onset or following.onset[0] in ("W", "Y", "HH"):
        return syllable
    return PhoneSyllable(syllable.onset, syllable.vowel, syllable.stress, following.onset[:1])


def _spell(syllable: PhoneSyllable) -> str:
    """One syllable's respelling: onset letters, then the vowel spelled for its context."""
    onset = list(syllable.onset)
    vowel = syllable.vowel
    coda = list(syllable.coda)
    glide = len(onset) >= 2 and onset[-1] == "Y" and vowel in _AFTER_Y
    if glide:
        onset.pop()
    head = _onset_spelling(onset, vowel)
    if glide and vowel == "ER":
        return head + _AFTER_Y[vowel] + _letters(coda)
    if glide:
        return head + (_magic("u", coda) or _AFTER_Y[vowel].replace("_", "") + _letters(coda))
    if not coda:
        return head + _open_vowel(vowel, tuple(onset))
    return head + _closed_vowel(vowel, coda, onset=tuple(onset))


def _onset_spelling(onset: list[str], vowel: str) -> str:
    letters = [
        _onset_letters(phone, vowel, last=i == len(onset) - 1) for i, phone in enumerate(onset)
    ]
    return "".join(letters).replace("kw", "qu")


def _onset_letters(phone: str, vowel: str, *, last: bool) -> str:
    """A consonant's letters; a G right before a front vowel is "gh" ("gi" reads "ji")."""
    if last and phone in _SOFT_BEFORE_FRONT and vowel in _FRONT:
        return _SOFT_BEFORE_FRONT[phone]
    return _CONSONANT[phone]


_FRONT = frozenset({"EH", "IH", "IY", "AY"})


def _open_vowel(vowel: str, onset: tuple[str, ...]) -> str:
    """A vowel ending its syllable. Bare vowels are spelled as interjections;
    "ny" and "sy" read as letters, so those take "igh"."""
    if not onset:
        return _BARE.get(vowel, _OPEN[vowel])
    if vowel == "AY" and onset[-1:] in (("N",), ("S",)):
        return "igh"
    return _OPEN[vowel]


def _closed_vowel(vowel: str, coda: list[str], *, onset: tuple[str, ...]) -> str:
    """A vowel and the consonants after it."""
    bare = not onset
    if coda[0] == "R":
        return _before_r(vowel, coda[1:], onset)
    spelling = _CLOSED[vowel]
    if spelling.endswith("_e"):
        return _magic(spelling[0], coda) or _long_before_cluster(vowel, coda)
    short = vowel in _SHORT
    bare = bare and vowel in _BARE_SHORT
    if vowel == "AW" and coda in (["N"], ["L"]):
        spelling = "ow"  # "koun" reads "koon"; "kown" like "gown"
    if vowel == "AW" and coda in (["S"], ["Z"]):
        return "ouse"  # "louz" reads "looz"; "louse" like "house"
    return spelling + _coda_letters(coda, short=short, bare=bare, after=spelling[-1:])


def _before_r(vowel: str, rest: list[str], onset: tuple[str, ...]) -> str:
    """R-coloured vowels: "care", "more", "ward", "fire" ..."""
    if vowel in ("AE", "EH", "EY") and onset and not rest:
        return "are"
    if vowel in ("AO", "OW"):
        if onset[-1:] == ("W",):
            return "ar" + _letters(rest)
        if not rest:
            return "ore"
    return _BEFORE_R[vowel] + _letters(rest)


def _magic(letter: str, coda: list[str]) -> str | None:
    """Silent-e spelling of a long vowel ("fine", "robes", "named"), when the
    coda allows one; None otherwise."""
    first, rest = coda[0] if coda else "", coda[1:]
    if not coda or first in ("NG", "Y", "W", "HH", "R"):
        return None
    if not rest:
        return letter + _coda_consonant(first) + "e"
    if rest in (["S"], ["Z"], ["D"]):
        return letter + _coda_consonant(first) + "e" + _CONSONANT[rest[0]].replace("z", "s")
    return None


def _long_before_cluster(vowel: str, coda: list[str]) -> str:
    """Long vowels before a cluster: "night", "find", "paint", "most"."""
    if vowel == "AY":
        if coda[0] == "T":
            return "igh" + _letters(coda)
        if coda[:2] in (["N", "D"], ["L", "D"]):
            return "i" + _letters(coda)
        return "i" + _letters(coda[:1]) + "e" + _letters(coda[1:])
    return {"EY": "ai", "OW": "o"}.get(vowel, "") + _letters(coda)


def _letters(phones: list[str]) -> str:
    return "".join(_CONSONANT[phone] for phone in phones)


def _coda_consonant(phone: str) -> str:
    """A consonant before a silent e: "ce" would do for S, but "s" keeps "base"."""
    return {"JH": "g", "K": "k"}.get(phone, _CONSONANT[phone])


_SHORT = frozenset({"AE", "EH", "IH", "AH", "UH", "AA"})
_BARE_SHORT = frozenset({"AE", "EH", "IH"})
_BARE = {"AY": "eye", "IH": "ih", "AE": "a", "EH": "eh", "EY": "eigh", "OW": "oh", "UW": "oo"}
# A single final consonant after a short vowel is doubled the English way
# ("back", "kiss", "bell"); "ll" only after e and i ("all", "bull" change the vowel).
_DOUBLED = {"K": "ck", "S": "ss", "F": "ff", "Z": "zz", "JH": "dge", "CH": "tch"}
_DOUBLED_AFTER_E_I = {"L": "ll"}
# Without an onset, "ick", "eg" and "iv" read oddly (letters, "e.g.", a numeral).
_DOUBLED_BARE = {"K": "k", "G": "gg", "S": "ss"}


def _coda_letters(coda: list[str], *, short: bool, bare: bool, after: str = "") -> str:
    letters = [_CONSONANT[phone] for phone in coda]
    if not letters:
        return ""
    last = coda[-1]
    if short and len(coda) == 1:
        if bare:
            letters[-1] = (
                "vv" if (after, last) == ("i", "V") else _DOUBLED_BARE.get(last, letters[-1])
            )
        elif after in ("e", "i"):
            letters[-1] = {**_DOUBLED, **_DOUBLED_AFTER_E_I}.get(last, letters[-1])
        else:
            letters[-1] = _DOUBLED.get(last, letters[-1])
    elif last == "V" or (last == "JH" and not short):
        letters[-1] += "e"
    return "".join(letters)
