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
        given = first is not None
        leads = [t for t in templates if (_VERB in t) == (given and verb)
                 and (HOOK_MARK in t or not (given and hook))]
        step = 0  # scene phrases passed over: used, or too long for every template
        lead = self._line(leads, [first] if first is not None else self._phrases(step), avoid)
        if lead is None:
            return None
        step += 0 if given else lead[2] + 1
        partners = [t for t in templates if t != lead[0] and _VERB not in t
                    and HOOK_MARK not in t]
        partner = self._line(partners, self._phrases(step), avoid, rhyme_of=lead[1])
        if partner is None:
            return None
        step += partner[2] + 1
        self.used.update((lead[0], partner[0]))
        self.turn += step  # the scene's phrases sung, in turn
        return lead[1], partner[1]

    def _line(self, templates: list[str], phrases: list[str], avoid: set[str],
              rhyme_of: FilledLine | None = None) -> tuple[str, FilledLine, int] | None:
        """The first template that sings the earliest phrase it can: (template, line,
        index of the phrase). A partner rhymes with ``rhyme_of`` on another end word."""
        for index, phrase in enumerate(phrases):
            for template in templates:
                line = self._fill(template, phrase)
                if line is None or line.end in avoid:
                    continue
                if rhyme_of is None and line.rhyme in avoid:
                    continue
                if rhyme_of is not None and (
                        line.end == rhyme_of.end or line.rhyme != rhyme_of.rhyme):
                    continue
                return template, line, index
        return None

    def _phrases(self, step: int) -> list[str]:
        return [self._phrase(step + extra) for extra in range(_TRIES)]

    def _phrase(self, offset: int) -> str:
        scene = self.topic.scene() or (self.topic.subject,)
        return scene[(self.turn + offset) % len(scene)]

    def _fill(self, template: str, phrase: str) -> FilledLine | None:
        head = phrase.split()[-1].lower() if phrase else ""
        if head in _WORD.findall(template.lower()):  # "Morning breaks above the morning"
            return None
        raw = template.replace(_SLOT, phrase).replace(_VERB, phrase)
        title = raw.split(HOOK_MARK)[1] if raw.count(HOOK_MARK) == 2 else ""
        text = raw.replace(HOOK_MARK, "")
        end, rhyme, syllables = self.measure(text)
        if not rhyme or not MIN_SYLLABLES <= syllables <= MAX_SYLLABLES:
            return None
        return FilledLine(text=text, end=end, rhyme=rhyme, syllables=syllables, title=title)
