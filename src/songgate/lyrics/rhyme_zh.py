"""The thirteen rhyme classes (十三辙) of Chinese song: which line endings rhyme.

Chinese lyrics rhyme by the final of the last syllable, tones ignored, and
the finals are grouped into thirteen classes that singers have used for
centuries (花/家 rhyme, so do 风/中, 人/心). We read the pinyin the same way
the engine sings it (pypinyin, a whole line at once so a polyphonic
character gets its reading in context: 长 in 长大 is zhang, in 长街 chang).

Finals come from ``Style.FINALS`` with ``strict=True``: the standard
finals, where 雨 (yu) is "v" and not "u", 云 "vn", 远 "van", 回 "uei", 流
"iou". The loose spelling (``strict=False``) writes 雨 and 路 both as "u"
and would rhyme them falsely. The apical "i" of 知/吃/诗/日/字/次/四 is "i"
there too; it belongs with 一七 as in the traditional table, and so do ü
and er.
"""

from __future__ import annotations

from functools import lru_cache

from pypinyin import Style, lazy_pinyin

# Class name → the strict pypinyin finals it holds.
RHYME_CLASSES: dict[str, tuple[str, ...]] = {
    "发花": ("a", "ia", "ua"),
    "梭波": ("o", "e", "uo", "io"),
    "乜斜": ("ie", "ve", "ê"),
    "一七": ("i", "v", "er"),
    "姑苏": ("u",),
    "怀来": ("ai", "uai"),
    "灰堆": ("ei", "uei"),
    "遥条": ("ao", "iao"),
    "油求": ("ou", "iou"),
    "言前": ("an", "ian", "uan", "van"),
    "人辰": ("en", "in", "uen", "vn"),
    "江阳": ("ang", "iang", "uang"),
    "中东": ("eng", "ing", "ong", "iong", "ueng"),
}
CLASS_OF_FINAL: dict[str, str] = {
    final: name for name, finals in RHYME_CLASSES.items() for final in finals
}


def _is_han(char: str) -> bool:
    return "\u3400" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff"


def rhyme_class(char: str) -> str | None:
    """The rhyme class of a character, e.g. 花 → 发花; None if it has none.

    Given more than one character (a line), the class of its last Han
    character as read in context; punctuation and other scripts after it
    are ignored. Interjections without a vowel (嗯, 呣) have no class.
    """
    end = len(char)
    while end > 0 and not _is_han(char[end - 1]):
        end -= 1
    if end == 0:
        return None
    start = end - 1
    while start > 0 and _is_han(char[start - 1]):
        start -= 1
    return _class_of_run(char[start:end])


@lru_cache(maxsize=4096)
def _class_of_run(run: str) -> str | None:
    """The class of the last character of a run of Han characters."""
    finals = lazy_pinyin(run, style=Style.FINALS, strict=True)
    if len(finals) != len(run):  # unknown characters are grouped; read the last alone
        finals = lazy_pinyin(run[-1], style=Style.FINALS, strict=True)
    return CLASS_OF_FINAL.get(finals[-1]) if finals else None


def rhymes(a: str, b: str) -> bool:
    """Whether two lines (or characters) rhyme: their last characters share a class."""
    first = rhyme_class(a)
    return first is not None and first == rhyme_class(b)
