"""Write a Chinese song about the prompt: its story in line templates, its mood in
hand-written bank lines, a rhyme class per section.

Why this shape:
  * The prompt's topic (``topic_zh.read_topic``: subject, setting, time, verb,
    nouns and their company) fills templates (``topic_zh_lines``): the first
    verse sets the scene, the chorus opens with the subject, the second verse
    sings the prompt's verb, the bridge turns; the title names the subject
    (海边的小狗). Only nouns and a verb of the dictionary reach a line; a
    prompt that talks to the writer (忽略 指令 系统...) has no topic, and its
    song is bank lines only.
  * Rhyme by construction, 一韵到底 within each section: a section's two
    filled templates and its bank lines all end in one of the thirteen rhyme
    classes. The rhyme slots are therefore every line of a section;
    neighbouring sections prefer a different class, as Chinese pop changes
    辙 between verse and chorus.
  * Lines are 7 to 9 Han characters, one sung note each, so the spread of
    line lengths in a song is at most two notes.
  * One ``random.Random(seed)`` per call: the same prompt and seed write the
    same song.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field

from songgate.lyrics.bank_zh import GENTLE, NEUTRAL_WORDS, THEMES, Theme
from songgate.lyrics.topic import Topic
from songgate.lyrics.topic_zh import read_topic
from songgate.lyrics.topic_zh_lexicon import EVERYDAY, THEME_COMPANY
from songgate.lyrics.topic_zh_lines import TEMPLATES
from songgate.lyrics.types import SONG_FORM, LyricSection, LyricSheet

MAX_THEMES = 3
MAX_PROMPT_CHARS = 2000  # theme words are looked for here; bounds the work
_LATIN_WORD = re.compile(r"[a-z]+")

# Lines per section; the chorus is written once and repeated.
VERSE_LINES = 4
CHORUS_LINES = 4
BRIDGE_LINES = (2, 4)
OUTRO_LINES = 2


def _keyword_tables() -> tuple[re.Pattern[str], dict[str, tuple[str, ...]]]:
    """One pattern for every Chinese keyword, longest first so 家乡 is read
    before 家 at the same place, and a table of what each word calls up
    (夏夜 is summer and night; 大家 is nothing). English words are looked up
    whole."""
    table: dict[str, list[str]] = {word: [] for word in NEUTRAL_WORDS}
    for theme in THEMES.values():
        for word in theme.keywords:
            table.setdefault(word, []).append(theme.id)
    chinese = sorted((word for word in table if not word.isascii()), key=len, reverse=True)
    pattern = re.compile("|".join(map(re.escape, chinese)))
    return pattern, {word: tuple(ids) for word, ids in table.items()}


_CHINESE_KEYWORDS, _THEMES_OF = _keyword_tables()


def choose_themes(prompt: str) -> tuple[str, ...]:
    """Up to three theme ids, the most mentioned first. Ties go to the theme
    named last: in a Chinese phrase the head noun comes last (思念远方的家乡
    is about 家乡), and in English too (a rainy summer night).
    A prompt that names no theme gets the gentle everyday one."""
    text = prompt[:MAX_PROMPT_CHARS].lower()
    hits: dict[str, list[int]] = {}  # theme → positions of its words
    words = [*_CHINESE_KEYWORDS.finditer(text), *_LATIN_WORD.finditer(text)]
    for match in words:
        word = match.group()
        ids = _THEMES_OF.get(word) or _THEMES_OF.get(word.rstrip("s"), ())
        for theme_id in ids:
            hits.setdefault(theme_id, []).append(match.start())
    if not hits:
        return (GENTLE,)
    ranked = sorted(hits, key=lambda theme_id: (-len(hits[theme_id]), -max(hits[theme_id])))
    return tuple(ranked[:MAX_THEMES])


@dataclass(slots=True)
class _Picker:
    """Draws sections from the bank without reusing a line or a group."""

    rng: random.Random
    topic: Topic | None = None
    used_groups: set[tuple[str, str]] = field(default_factory=set)
    used_classes: list[str] = field(default_factory=list)
    used_templates: set[str] = field(default_factory=set)
    sung: set[str] = field(default_factory=set)
    turn: int = 0  # next noun of the topic's scene

    def story(self, theme_ids: tuple[str, ...], count: int, role: str,
              first: str | None = None) -> tuple[str, ...]:
        """A section that tells the topic: two filled templates of ``role`` (``first``
        sung by the first) and ``count - 2`` bank lines, all of one rhyme class; bank
        lines only when there is no topic or no template fits."""
        if self.topic is not None:
            for theme_id in (*theme_ids, GENTLE, *THEMES):
                lines = self._told(THEMES[theme_id], count, role, first)
                if lines:
                    return lines
        return self.section(theme_ids, count)

    def _told(self, theme: Theme, count: int, role: str, first: str | None,
              ) -> tuple[str, ...]:
        fresh = [
            name for name, lines in theme.groups.items()
            if (theme.id, name) not in self.used_groups and len(lines) >= count - 2
            and name in TEMPLATES
        ]
        self.rng.shuffle(fresh)
        fresh.sort(key=lambda name: name in self.used_classes)
        for name in fresh:
            told = self._fill(name, role, first)
            if told is None:
                continue
            self.used_groups.add((theme.id, name))
            self.used_classes.append(name)
            group = [line for line in theme.groups[name] if line not in self.sung]
            bank = [group[i] for i in sorted(self.rng.sample(range(len(group)),
                                                             min(count - 2, len(group))))]
            if len(bank) < count - 2:
                continue
            self.sung.update((*told, *bank))
            if count == 4 and self.rng.random() < 0.5:
                return (told[0], bank[0], told[1], bank[1])
            return (*told, *bank)
        return ()

    def _fill(self, name: str, role: str, first: str | None) -> tuple[str, str] | None:
        """Two templates of a class filled with the topic's nouns, each 7 to 9 characters."""
        roles = TEMPLATES[name]
        assert self.topic is not None
        if role == "doing":
            role, first = ("doing", self.topic.doing) if self.topic.doing else ("verse", None)
        firsts = [t for t in roles[role] if t not in self.used_templates]
        seconds = [t for t in roles["verse"] if t not in self.used_templates]
        self.rng.shuffle(firsts)
        self.rng.shuffle(seconds)
        scene = self.topic.scene() or (self.topic.subject,)
        for template in firsts:
            line = template.replace("{x}", first or scene[self.turn % len(scene)])
            if not 7 <= len(line) <= 9 or line in self.sung:
                continue
            for index, other in enumerate(seconds):
                if other == template:
                    continue
                noun = scene[(self.turn + 1 + index) % len(scene)]
                partner = other.replace("{x}", noun)
                if 7 <= len(partner) <= 9 and partner != line and partner not in self.sung:
                    self.used_templates.update((template, other))
                    self.turn += 2
                    return line, partner
        return None

    def section(self, theme_ids: tuple[str, ...], count: int) -> tuple[str, ...]:
        """``count`` lines from one group of the first theme that has a fresh
        group; classes already used in the song are avoided when possible."""
        for theme_id in (*theme_ids, GENTLE, *THEMES):
            lines = self._from_theme(THEMES[theme_id], count)
            if lines:
                return lines
        raise RuntimeError("the Chinese bank has run out of groups")  # pragma: no cover

    def _from_theme(self, theme: Theme, count: int) -> tuple[str, ...]:
        fresh = [
            name for name, lines in theme.groups.items()
            if (theme.id, name) not in self.used_groups and len(lines) >= count
        ]
        if not fresh:
            return ()
        new_class = [name for name in fresh if name not in self.used_classes]
        name = self.rng.choice(new_class or fresh)
        self.used_groups.add((theme.id, name))
        self.used_classes.append(name)
        group = theme.groups[name]
        chosen = sorted(self.rng.sample(range(len(group)), count))
        lines = tuple(group[index] for index in chosen)  # in the order they were written
        self.sung.update(lines)
        return lines


def _title(theme: Theme, chorus: tuple[str, ...], rng: random.Random) -> str:
    """A title of the main theme, preferring one whose characters the chorus sings."""
    sung = set("".join(chorus))
    scores = [(len(set(title) & sung), title) for title in theme.titles]
    best = max(score for score, _ in scores)
    return rng.choice([title for score, title in scores if score == best])


def write_chinese(prompt: str, seed: int) -> LyricSheet:
    """A whole song in SONG_FORM, in Chinese, about the prompt's topic, in its themes' mood."""
    rng = random.Random(seed)
    themes = choose_themes(prompt)
    main = themes[0]
    second = themes[1 % len(themes)]
    third = themes[2 % len(themes)]
    topic = song_topic(prompt, main)
    picker = _Picker(rng, topic)
    subject = topic.subject if topic else None
    verse = picker.story((main, second), VERSE_LINES, "verse")
    chorus = picker.story((main,), CHORUS_LINES, "hook", subject)
    written = {
        "Verse": verse,
        "Chorus": chorus,
        "Verse 2": picker.story((second, main), VERSE_LINES, "doing"),
        "Bridge": picker.story((third, second, main), rng.choice(BRIDGE_LINES), "turn",
                               subject),
        "Outro": picker.story((main, second), OUTRO_LINES, "verse"),
    }
    sections = tuple(LyricSection(label, written[label]) for label in SONG_FORM)
    return LyricSheet(
        title=_topic_title(topic) if topic else _title(THEMES[main], chorus, rng),
        language="zh",
        sections=sections,
        themes=themes,
    )


def song_topic(prompt: str, main: str | None = None) -> Topic | None:
    """The prompt's topic as the song sings it: a subject the lexicon does not know
    still gets a scene, its main theme's everyday one."""
    topic = read_topic(prompt)
    if topic is None:
        return None
    theme = main or choose_themes(prompt)[0]
    return topic.with_company((*THEME_COMPANY.get(theme, ()), *EVERYDAY))


def _topic_title(topic: Topic) -> str:
    """海边的小狗, 爷爷的吉他, or the subject alone: at most eight characters."""
    for near in (topic.owner, topic.setting, topic.time):
        if near and len(near) + 1 + len(topic.subject) <= 8:
            return f"{near}的{topic.subject}"
    return topic.subject if len(topic.subject) >= 2 else f"{topic.subject}之歌"
