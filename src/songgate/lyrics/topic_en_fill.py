"""Fill English line templates with a topic's noun phrases: rhyming pairs that scan.

A pair is two templates of one family (one rhyme, two different end words),
each filled with a noun phrase, both within the syllable range the bank
lines keep. The pair's first line may be asked to sing a given phrase (the
subject in a hook); the others come in turn from the topic's scene, so the
verses walk through the setting, the prompt's nouns and their company.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from songgate.lyrics.topic import Topic
from songgate.lyrics.topic_en_lines import TEMPLATES

MIN_SYLLABLES = 6
MAX_SYLLABLES = 10
HOOK_MARK = "*"
_SLOT = "{x}"
_TRIES = 3  # scene phrases a template tries before the next template
_VERB = "{v}"  # a slot for the prompt's verb, "-ing" form
_WORD = re.compile(r"[A-Za-z']+")

Measure = Callable[[str], tuple[str, str, int]]  # text → (end word, rhyme, syllables)


@dataclass(frozen=True, slots=True)
class FilledLine:
    text: str
    end: str
    rhyme: str
    syllables: int
    title: str  # the marked hook phrase, filled, or ""


@dataclass(slots=True)
class TopicFiller:
    """One song's template filling: which templates and phrases it has used."""

    topic: Topic
    rng: random.Random
    measure: Measure
    used: set[str] = field(default_factory=set)  # templates
    turn: int = 0  # next phrase of the scene

    def pair(self, role: str, avoid: set[str], first: str | None = None,
             ) -> tuple[FilledLine, FilledLine] | None:
        """Two rhyming lines of ``role``; the first sings ``first`` when given (in a hook,
        as its marked phrase). ``avoid`` holds rhymes and end words already sung."""
        families = list(TEMPLATES[role])
        self.rng.shuffle(families)
        for family in families:
            found = self._from_family(family, avoid, first, hook=role == "hook",
                                      verb=role == "doing")
            if found:
                return found
        return None

    def _from_family(self, family: tuple[str, ...], avoid: set[str], first: str | None, *,
                     hook: bool, verb: bool) -> tuple[FilledLine, FilledLine] | None:
        templates = [t for t in family if t not in self.used]
        self.rng.shuffle(templates)
        if first is not None:  # the hook (marked) or verb template goes first
            templates.sort(key=lambda t: HOOK_MARK not in t and _VERB not in t)
        chosen: list[tuple[str, FilledLine]] = []
        step = 0  # scene phrases passed over, used or too long for their template
        for template in templates:
            leading = not chosen
            if leading and first is not None and hook and HOOK_MARK not in template:
                continue
            if (_VERB in template) != (leading and first is not None and verb):
                continue
            given = leading and first is not None
            phrases = [first] if given and first is not None else [
                self._phrase(step + extra) for extra in range(_TRIES)]
            for extra, phrase in enumerate(phrases):
                line = self._fill(template, phrase)
                if line is None or line.end in avoid or (line.rhyme in avoid and leading):
                    continue
                if chosen and (line.end == chosen[0][1].end or line.rhyme != chosen[0][1].rhyme):
                    continue
                chosen.append((template, line))
                step += 0 if given else extra + 1
                break
            if len(chosen) == 2:
                break
        if len(chosen) < 2:
            return None
        for template, _ in chosen:
            self.used.add(template)
        self.turn += step  # the scene's phrases sung, in turn
        return chosen[0][1], chosen[1][1]

    def _phrase(self, offset: int) -> str:
        scene = self.topic.scene() or (self.topic.subject,)
        return scene[(self.turn + offset) % len(scene)]

    def _fill(self, template: str, phrase: str) -> FilledLine | None:
        raw = template.replace(_SLOT, phrase).replace(_VERB, phrase)
        title = raw.split(HOOK_MARK)[1] if raw.count(HOOK_MARK) == 2 else ""
        text = raw.replace(HOOK_MARK, "")
        end, rhyme, syllables = self.measure(text)
        if not rhyme or not MIN_SYLLABLES <= syllables <= MAX_SYLLABLES:
            return None
        return FilledLine(text=text, end=end, rhyme=rhyme, syllables=syllables, title=title)
