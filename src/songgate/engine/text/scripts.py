"""Scripts other than Latin and Han, mapped to something the English voice can sing.

The singer has an English and a Mandarin voice only, so Japanese kana and
Korean hangul are romanised mora by mora / block by block into phones and
respelled like English syllables ("か" → "kah", "한" → "hahn"), and Cyrillic
and Greek are transliterated letter by letter and read as unknown English
words. It is an approximation meant to keep a lyric line from falling
silent, not a pronunciation dictionary. Han characters are Mandarin.
"""

from __future__ import annotations

from songgate.engine.text.english import english_word
from songgate.engine.text.respell import PhoneSyllable, respell
from songgate.engine.types import Syllable

_HAN_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x2FA1F))
_KANA_RANGES = ((0x3041, 0x3096), (0x30A1, 0x30FA))
_HANGUL_RANGE = (0xAC00, 0xD7A3)

# Hiragana romanised (katakana is shifted onto hiragana first). Small ゃゅょ
# combine with the preceding mora; っ and ー lengthen, which we cannot show.
_KANA = dict(
    zip(
        "あいうえおかきくけこさしすせそたちつてとなにぬねのはひふへほまみむめも"
        "やゆよらりるれろわをんがぎぐげござじずぜぞだぢづでどばびぶべぼぱぴぷぺぽぁぃぅぇぉゔ",
        [
            "a",
            "i",
            "u",
            "e",
            "o",
            "ka",
            "ki",
            "ku",
            "ke",
            "ko",
            "sa",
            "shi",
            "su",
            "se",
            "so",
            "ta",
            "chi",
            "tsu",
            "te",
            "to",
            "na",
            "ni",
            "nu",
            "ne",
            "no",
            "ha",
            "hi",
            "fu",
            "he",
            "ho",
            "ma",
            "mi",
            "mu",
            "me",
            "mo",
            "ya",
            "yu",
            "yo",
            "ra",
            "ri",
            "ru",
            "re",
            "ro",
            "wa",
            "o",
            "n",
            "ga",
            "gi",
            "gu",
            "ge",
            "go",
            "za",
            "ji",
            "zu",
            "ze",
            "zo",
            "da",
            "ji",
            "zu",
            "de",
            "do",
            "ba",
            "bi",
            "bu",
            "be",
            "bo",
            "pa",
            "pi",
            "pu",
            "pe",
            "po",
            "a",
            "i",
            "u",
            "e",
            "o",
            "vu",
        ],
        strict=True,
    )
)
_SMALL_Y = {"ゃ": "ya", "ゅ": "yu", "ょ": "yo"}
_ROMAJI_CONSONANTS = {
    "k": ("K",), "g": ("G",), "s": ("S",), "sh": ("SH",), "z": ("Z",), "j": ("JH",),
    "t": ("T",), "ch": ("CH",), "ts": ("T", "S"), "d": ("D",), "n": ("N",), "h": ("HH",),
    "f": ("F",), "b": ("B",), "p": ("P",), "m": ("M",), "y": ("Y",), "r": ("R",),
    "w": ("W",), "v": ("V",), "": (),
}  # fmt: skip
# Japanese and Korean vowels, as the English vowels whose open spellings read reliably.
_ROMAJI_VOWELS = {"a": "AA", "i": "IY", "u": "UW", "e": "EY", "o": "OW"}

_HANGUL_INITIALS = (
    ("G",), ("K",), ("N",), ("D",), ("T",), ("R",), ("M",), ("B",), ("P",), ("S",), ("S",),
    (), ("JH",), ("JH",), ("CH",), ("K",), ("T",), ("P",), ("HH",),
)  # fmt: skip
_HANGUL_VOWELS = (
    ("", "AA"), ("", "EY"), ("Y", "AA"), ("Y", "EY"), ("", "AH"), ("", "EY"), ("Y", "AH"),
    ("Y", "EY"), ("", "OW"), ("W", "AA"), ("W", "EY"), ("W", "EY"), ("Y", "OW"), ("", "UW"),
    ("W", "AH"), ("W", "EY"), ("W", "IY"), ("Y", "UW"), ("", "AH"), ("", "IY"), ("", "IY"),
)  # fmt: skip
_HANGUL_FINALS = (
    (), ("K",), ("K",), ("K",), ("N",), ("N",), ("N",), ("T",), ("L",), ("K",), ("M",), ("L",),
    ("L",), ("L",), ("P",), ("L",), ("M",), ("P",), ("P",), ("T",), ("T",), ("NG",), ("T",),
    ("T",), ("K",), ("T",), ("P",), (),
)  # fmt: skip

_CYRILLIC = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюяіїєґў",
        [
            "a",
            "b",
            "v",
            "g",
            "d",
            "e",
            "yo",
            "zh",
            "z",
            "i",
            "y",
            "k",
            "l",
            "m",
            "n",
            "o",
            "p",
            "r",
            "s",
            "t",
            "u",
            "f",
            "kh",
            "ts",
            "ch",
            "sh",
            "shch",
            "_",
            "y",
            "_",
            "e",
            "yu",
            "ya",
            "i",
            "yi",
            "ye",
            "g",
            "w",
        ],
        strict=True,
    )
)
_GREEK = dict(
    zip(
        "αβγδεζηθικλμνξοπρσςτυφχψωάέήίόύώϊϋΐΰ",
        [
            "a",
            "v",
            "g",
            "d",
            "e",
            "z",
            "i",
            "th",
            "i",
            "k",
            "l",
            "m",
            "n",
            "x",
            "o",
            "p",
            "r",
            "s",
            "s",
            "t",
            "i",
            "f",
            "ch",
            "ps",
            "o",
            "a",
            "e",
            "i",
            "i",
            "o",
            "i",
            "o",
            "i",
            "i",
            "i",
            "i",
        ],
        strict=True,
    )
)


def script_of(char: str) -> str | None:
    """The script name ``romanised_syllables`` (or the Han reader) understands, or None."""
    code = ord(char)
    if any(low <= code <= high for low, high in _HAN_RANGES):
        return "han"
    if any(low <= code <= high for low, high in _KANA_RANGES) or char in "ー":
        return "kana"
    if _HANGUL_RANGE[0] <= code <= _HANGUL_RANGE[1]:
        return "hangul"
    lower = char.lower()
    if lower in _CYRILLIC:
        return "cyrillic"
    if lower in _GREEK:
        return "greek"
    return None


def romanised_syllables(script: str, chunk: str) -> tuple[Syllable, ...]:
    """Syllables for a run of one script; empty when nothing is singable."""
    if script == "kana":
        return _kana(chunk)
    if script == "hangul":
        return tuple(_hangul_block(char) for char in chunk)
    table = _CYRILLIC if script == "cyrillic" else _GREEK if script == "greek" else {}
    latin = "".join(table.get(char.lower(), "") for char in chunk).replace("_", "")
    return english_word(latin) if latin else ()


def _kana(chunk: str) -> tuple[Syllable, ...]:
    morae: list[tuple[str, str]] = []  # (written, romaji)
    for char in chunk:
        hira = chr(ord(char) - 0x60) if 0x30A1 <= ord(char) <= 0x30F6 else char
        if hira in _SMALL_Y and morae:
            written, romaji = morae[-1]
            head = romaji[:-1]
            glide = _SMALL_Y[hira] if head in ("", "k", "g", "n", "h", "b", "p", "m", "r") else ""
            morae[-1] = (written + char, head + (glide or _SMALL_Y[hira][1:]))
        elif hira == "ん" and morae:
            written, romaji = morae[-1]
            morae[-1] = (written + char, romaji + "n")
        elif hira in _KANA:
            morae.append((char, _KANA[hira]))
    return tuple(_romaji_syllable(written, romaji) for written, romaji in morae)


def _romaji_syllable(written: str, romaji: str) -> Syllable:
    coda: tuple[str, ...] = ("N",) if romaji.endswith("n") and len(romaji) > 1 else ()
    core = romaji[:-1] if coda else romaji
    if core == "n":  # a lone ん
        return _syllable(written, PhoneSyllable((), "AH", 1, ("N",)))
    vowel = _ROMAJI_VOWELS[core[-1]]
    head = core[:-1]
    onset: tuple[str, ...]
    if head.endswith("y") and head[:-1] in _ROMAJI_CONSONANTS:
        onset = (*_ROMAJI_CONSONANTS[head[:-1]], "Y")
    else:
        onset = _ROMAJI_CONSONANTS.get(head, ())
    return _syllable(written, PhoneSyllable(onset, vowel, 1, coda))


def _hangul_block(char: str) -> Syllable:
    code = ord(char) - _HANGUL_RANGE[0]
    initial, rest = divmod(code, 588)
    medial, final = divmod(rest, 28)
    glide, vowel = _HANGUL_VOWELS[medial]
    onset = _HANGUL_INITIALS[initial] + ((glide,) if glide else ())
    return _syllable(char, PhoneSyllable(onset, vowel, 1, _HANGUL_FINALS[final]))


def _syllable(written: str, phones: PhoneSyllable) -> Syllable:
    return Syllable(text=written, sung=respell([phones])[0], language="en", stressed=True)
