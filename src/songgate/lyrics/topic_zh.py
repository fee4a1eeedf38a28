"""Read a Chinese prompt for its story: the subject, where, when, and the other nouns.

Words and their parts of speech come from jieba's ``posseg`` (its dictionary
and tagging model ship inside the package; nothing is downloaded). Nouns
(n, nr, ns, nz), place words (s) and time words (t) of two to four Han
characters are kept, in prompt order, plus any word our lexicon knows. The
first that is not a time is the subject; a place word, a lexicon setting or
the noun after 在 is the setting; a time word is the time. The dictionary
is read into memory once, without jieba's cache file, so reading a prompt
writes nothing anywhere. A prompt that talks to the writer (忽略, 指令,
系统...) has no topic, so nothing of it is sung.
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache
from typing import Any

import jieba  # type: ignore[import-untyped]

from songgate.lyrics.tags import NAMED_GENRES
from songgate.lyrics.topic import Topic
from songgate.lyrics.topic_zh_lexicon import COMPANY, SETTINGS, TIMES


def _words(text: str) -> frozenset[str]:
    """A set of words written as one string, space separated."""
    return frozenset(text.split())


MAX_PROMPT_CHARS = 200
MAX_NOUNS = 6
_HAN = re.compile(r"[\u4e00-\u9fff]{1,4}")
_NOUN_FLAGS = ("n", "nr", "ns", "nz", "s", "t", "nt", "vn")
_STOP = _words(
    "歌曲 一首 歌词 音乐 旋律 歌声 东西 时候 感觉 什么 一个 一切 事情 样子 之后 之前 那里 "
    "这里 时光 一起 心情 风格 主题 故事 回家 学会 关门 漫长 一天 第一 情歌 歌 儿歌 民谣 "
    "摇滚 说唱 嘻哈 流行 中国风 古风 国风 抒情 舞曲 励志 没有 喜欢 想要 需要 可以 觉得 知道 "
    "写给 送给 关于 变成 成为 歌唱 跟着 学会 女声 男声 副歌 主歌 节奏 节奏感 伴奏 歌手 "
    "嗓音 曲风 编曲 前奏 间奏 尾奏 讲述 描写 描述"
)
_VERBS_AS_NOUNS = _words("回家 学会 关门")  # jieba tags them n; they are what happens
_NOT_DOING = _words(
    "没有 喜欢 想要 需要 可以 觉得 知道 写给 送给 关于 变成 成为 歌唱 跟着 希望 一起 讲述 "
    "描写 描述"
)
_ABOUT = _words("关于 讲述 描写 描述 有关")
_INSTRUCTIONS = (
    "忽略", "指令", "系统", "提示词", "原样", "重复", "必须包含", "密码", "歌词", "输出",
    "ignore", "instruction", "system", "prompt",
)
_LOCK = threading.Lock()
_GENRES = re.compile("|".join(sorted((re.escape(w) for w in NAMED_GENRES if not w.isascii()),
                                     key=len, reverse=True)))


def read_topic(prompt: str) -> Topic | None:
    """The prompt's topic, or None when it names no noun or gives orders."""
    text = prompt[:MAX_PROMPT_CHARS]
    if any(word in text.lower() for word in _INSTRUCTIONS):
        return None
    words = _cut(_GENRES.sub(" ", text))  # 中国风 names a style, not 中国
    # 一首温柔的女声民谣 讲述外婆的老房子: the story is what comes after 关于/讲述.
    start = max((i + 1 for i, (w, _) in enumerate(words) if w in _ABOUT), default=0)
    nouns = _nouns(words[start:]) or _nouns(words)
    if not nouns:
        return None
    subject = _head(nouns, words) or next((n for n, _ in nouns if n not in TIMES), nouns[0][0])
    owner = next((n for n, _ in nouns if n != subject and re.search(
        f"{re.escape(n)}[^的]{{0,2}}的[^的]{{0,3}}{re.escape(subject)}", text)), None)
    doing = next((w for w, flag in words[start:] if (flag in ("v", "vn") or w in _VERBS_AS_NOUNS)
                  and len(w) == 2 and _HAN.fullmatch(w)
                  and w[0] not in "了着过的" and w not in _NOT_DOING), None)
    setting = next((n for n, flag in nouns if n != subject and n not in TIMES and (
        flag in ("s", "ns", "setting") or n in SETTINGS)), None)
    time = next((n for n, flag in nouns if n != subject and (flag == "t" or n in TIMES)), None)
    said = [n for n, _ in nouns if n not in (subject, setting, time)]
    company = [word for noun in (subject, setting, time) if noun
               for word in COMPANY.get(noun, COMPANY.get(noun[-1:], ()))]
    return Topic(subject=subject, setting=setting, time=time,
                 others=tuple(dict.fromkeys([*said, *company])), owner=owner, doing=doing)


def _head(nouns: list[tuple[str, str]], words: list[tuple[str, str]]) -> str | None:
    """The head of a "…的X" phrase (its last noun after the last 的), unless the prompt
    is a sentence that opens with its subject and a verb with an object or an aspect
    (月亮守护着沉睡的城市); 窗边燃烧的蜡烛 is still about the candle."""
    opens = len(words) > 2 and words[0][0] == (nouns[0][0] if nouns else "")
    if opens and words[1][1].startswith("v") and words[2][0] != "的":
        return None
    last = max((i for i, (word, _) in enumerate(words) if word == "的"), default=-1)
    if last < 0:
        return None
    after = {_place(word, flag)[0] for word, flag in words[last + 1:]}
    heads = [n for n, _ in nouns if n in after]
    return heads[-1] if heads else None


def _place(word: str, flag: str) -> tuple[str, bool]:
    """车库里 → (车库, True), 湖上 (a place word) → (湖上, True): a place noun without its
    里/上/中; 背上 (on one's back) is no place."""
    if len(word) >= 3 and word[-1] in "里上中":
        return word[:-1], True
    return word, len(word) == 2 and word[-1] in "里上中" and flag == "s"


def _nouns(words: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """(word, flag) of the prompt's nouns, each once; "setting" marks a place word."""
    found: list[tuple[str, str]] = []
    previous = ""
    for raw, flag in words:
        word, placed = _place(raw, flag)
        if placed:
            flag = "setting"
        known = word in COMPANY or word in SETTINGS or word in TIMES
        noun = known or placed or flag in _NOUN_FLAGS
        if noun and word not in _STOP and _HAN.fullmatch(word) and (
                len(word) >= 2 or known) and word not in (w for w, _ in found):
            found.append((word, "setting" if previous in ("在", "到", "从") else flag))
        previous = raw
        if len(found) == MAX_NOUNS:
            break
    return found


def _cut(text: str) -> list[tuple[str, str]]:
    return [(pair.word, pair.flag) for pair in _posseg().cut(text)]


@lru_cache(maxsize=1)
def _posseg() -> Any:
    """jieba's tagger with the dictionary read straight from the package (no cache file)."""
    with _LOCK:
        tokenizer = jieba.dt
        if not tokenizer.initialized:
            with tokenizer.get_dict_file() as dictionary:
                tokenizer.FREQ, tokenizer.total = tokenizer.gen_pfdict(dictionary)
            tokenizer.initialized = True
        import jieba.posseg as posseg  # type: ignore[import-untyped]  # reads its tag table

        return posseg
