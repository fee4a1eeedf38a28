"""Read an English prompt for its story: the subject, where, when, and the other nouns.

No model: a word is a noun when the association lexicon knows it, or when
lemminflect's word lists (shipped inside its wheel) allow it as a noun, or
lack it (cornfield, tattoo: mostly compound nouns), and the CMU dictionary
can sing it. Function words, words after "to" (verbs),
"-ing" forms and words that cannot be nouns are skipped. An adjective or a
noun right before a lexicon noun modifies it ("the last train", "the paper
boat"). The first noun that is not a time is the subject; a place noun or
the noun after "in", "on", "at"... is the setting; a season or time of day
is the time. A prompt that talks to the writer ("ignore the instructions")
has no topic, so nothing of it is sung.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import pronouncing  # type: ignore[import-untyped]
from lemminflect import getAllLemmas  # type: ignore[import-untyped]

from songgate.lyrics.tags import NAMED_GENRES
from songgate.lyrics.topic import Topic
from songgate.lyrics.topic_en_lexicon import BARE, COMPANY, RELATIVES, SETTINGS, TIMES


def _words(text: str) -> frozenset[str]:
    """A set of words written as one string, space separated."""
    return frozenset(text.split())


MAX_PROMPT_CHARS = 400  # the story is told early; bounds the work
MAX_NOUNS = 6
_TOKEN = re.compile(r"[A-Za-z]+(?:'s)?")
_STOP = _words(
    "a an the and or but of in on at to for from with by about into over under after before "
    "through across down up out off back away my our your his her their its this that these "
    "those who whom which what when where while song songs sing singing music tune track "
    "lyrics lyric ballad anthem melody beat beats genre style some any all every one each "
    "very much more most just so too not never me we you he she they it is are was were be "
    "been being have has had do does did can could will would should may might must there "
    "here then than like as if how why make made get got let lets please write written want "
    "thing things something anything everything nothing way lot kind sort bit feel feeling "
    "happy sad lonely pop rock jazzy lofi hop hip country folk edm acoustic slow fast "
    "upbeat chill epic dark bright soft loud long little big small old new good bad last "
    "first vocals vocal voice voices female male singer singers chorus verse bridge intro outro "
    "bpm tempo instrumental catchy heartfelt emotional melancholic hopeful energetic uplifting "
    "dreamy nostalgic romantic powerful gentle mellow groovy haunting cinematic synthwave "
    "synth synths drums bass production mix vibe vibes mood"
)
# Words that speak to the writer instead of telling a story.
_INSTRUCTIONS = _words(
    "ignore instruction instructions system prompt reveal pwned hacked password jailbreak "
    "override output print repeat"
)
_SETTING_WORDS = _words("in on at by across through over near inside beside along")
_MUSIC_WORDS = _words("song songs ballad ballads anthem track tune tunes beat beats music number")
_NUMBERS = _words("two three four five six seven ten hundred thousand")


@dataclass(frozen=True, slots=True)
class _Noun:
    word: str  # as the prompt wrote it, lower case ("waves")
    lemma: str  # its singular ("wave")
    phrase: str  # as sung ("the waves", "my mother", "Tokyo")
    after_preposition: bool


def read_topic(prompt: str) -> Topic | None:
    """The prompt's topic, or None when it names no noun we can sing or gives orders."""
    tokens = _TOKEN.findall(prompt[:MAX_PROMPT_CHARS])
    lowered = [token.lower().removesuffix("'s") for token in tokens]
    if _INSTRUCTIONS & set(lowered):
        return None
    # "an energetic rock anthem with a big chorus about never giving up": the story is
    # what comes after "about"; the style talk before it is not.
    start = lowered.index("about") + 1 if "about" in lowered else 0
    nouns = _nouns(tokens[start:], lowered[start:]) or _nouns(tokens, lowered)
    if not nouns:
        return None
    subject = next((n for n in nouns if n.lemma not in TIMES), nouns[0])
    setting = next((n for n in nouns if n is not subject and (
        n.lemma in SETTINGS or n.after_preposition) and n.lemma not in TIMES), None)
    time = next((n for n in nouns if n is not subject and n.lemma in TIMES), None)
    said = [n.phrase for n in nouns if n not in (subject, setting, time)]
    company = [
        _phrase(word, word, None, bare=word in BARE)
        for noun in (subject, setting, time) if noun
        for word in COMPANY.get(noun.lemma, ())
    ]
    doing = next((w for w in lowered if w.endswith("ing") and w not in _STOP and w not in BARE
                  and _singable(w) and "VERB" in _readings(w) and _lemma(w) not in COMPANY),
                 None)
    return Topic(
        doing=doing,
        subject=subject.phrase,
        setting=setting.phrase if setting else None,
        time=time.phrase if time else None,
        others=tuple(dict.fromkeys([*said, *company])),
    )


def _nouns(tokens: list[str], lowered: list[str]) -> list[_Noun]:
    nouns: list[_Noun] = []
    seen: set[str] = set()
    for index, word in enumerate(lowered):
        previous = lowered[index - 1] if index else ""
        following = lowered[index + 1] if index + 1 < len(lowered) else ""
        named = index > 0 and tokens[index][:1].isupper() and word not in _STOP and _singable(word)
        if word in NAMED_GENRES and (following in _MUSIC_WORDS or following in NAMED_GENRES):
            continue  # "a jazz ballad" names a style, not a subject ("a jazz club" does)
        if not (named or _is_noun(word, previous)) or _modifies(word, following, previous):
            continue
        lemma = _lemma(word)
        if lemma in seen:
            continue
        seen.add(lemma)
        modifier = previous if _modifies(previous, word, lowered[index - 2] if index > 1
                                         else "") or previous in _NUMBERS else None
        proper = tokens[index][:1].isupper() and index > 0 and lemma not in COMPANY
        owner = "my" if lemma in RELATIVES or previous == "my" else "the"
        phrase = tokens[index].removesuffix("'s") if proper else _phrase(
            word, lemma, modifier, bare=lemma in BARE and not modifier, owner=owner)
        after = any(w in _SETTING_WORDS for w in lowered[max(0, index - 3):index])
        nouns.append(_Noun(word=word, lemma=lemma, phrase=phrase, after_preposition=after))
        if len(nouns) == MAX_NOUNS:
            break
    return nouns


def _phrase(word: str, lemma: str, modifier: str | None, *, bare: bool,
            owner: str = "the") -> str:
    if bare:
        return word
    return " ".join(part for part in (owner, modifier, word) if part)


def _is_noun(word: str, previous: str) -> bool:
    if len(word) < 3 or word in _STOP or not _singable(word):
        return False
    lemma = _lemma(word)
    if lemma in COMPANY or lemma in SETTINGS or lemma in TIMES or lemma in RELATIVES:
        return True
    if previous == "to" or word.endswith(("ing", "ly")):
        return False
    readings = _readings(word)
    if _verb_form(word):  # "stuck", "forgotten": a participle, not a thing
        return False
    return "NOUN" in readings or not readings  # words lemminflect lacks are mostly compounds


def _modifies(word: str, following: str, previous: str) -> bool:
    """Whether ``word`` is a modifier of the lexicon noun after it ("paper" in "paper boat")."""
    if not following or not word or (word in _STOP and word not in ("last", "first", "old",
                                                                   "little", "long", "small")):
        return False
    if word.endswith("ing") or _lemma(word) in COMPANY or not _singable(word):
        return False
    if _lemma(following) not in COMPANY:
        return False
    readings = _readings(word)
    return "ADJ" in readings or "NOUN" in readings


@lru_cache(maxsize=4096)
def _readings(word: str) -> frozenset[str]:
    found: dict[str, tuple[str, ...]] = getAllLemmas(word)
    return frozenset(found)


@lru_cache(maxsize=4096)
def _verb_form(word: str) -> bool:
    """Whether a word is an inflected verb (stuck, forgotten, built) and no plural noun."""
    found: dict[str, tuple[str, ...]] = getAllLemmas(word)
    verbs, nouns = found.get("VERB", ()), found.get("NOUN", ())
    return bool(verbs) and word not in verbs and word not in nouns and not (
        nouns and word.endswith("s"))


@lru_cache(maxsize=4096)
def _lemma(word: str) -> str:
    if word in COMPANY or word in SETTINGS or word in TIMES:
        return word
    found: dict[str, tuple[str, ...]] = getAllLemmas(word, upos="NOUN")
    lemmas = found.get("NOUN", ())
    return lemmas[0] if lemmas else word


@lru_cache(maxsize=4096)
def _singable(word: str) -> bool:
    return bool(pronouncing.phones_for_word(word))
