"""What a prompt is about, as the writers sing it: its subject and the nouns of its scene."""

from __future__ import annotations

from dataclasses import dataclass, replace

ENOUGH_SCENE = 6  # phrases a song needs so that no noun is sung again and again


@dataclass(frozen=True, slots=True)
class Topic:
    """Noun phrases ready to sing ("the last train", "my mother", "海边").

    ``subject`` names the song (title and chorus hook); ``setting`` and
    ``time`` open the first verse; ``others`` are the prompt's own other
    nouns first, then their natural company from the lexicon, in the order
    the verses should use them.
    """

    subject: str
    setting: str | None
    time: str | None
    others: tuple[str, ...]
    owner: str | None = None  # whose subject it is: 爷爷 in 爷爷的吉他
    doing: str | None = None  # what happens, a verb as sung: 追逐 in 小狗追逐浪花

    def scene(self) -> tuple[str, ...]:
        """Every phrase once, in the order a song tells them: setting, time, the rest."""
        ordered = [p for p in (self.setting, self.time) if p] + list(self.others)
        return tuple(dict.fromkeys(p for p in ordered if p != self.subject))

    def with_company(self, extra: tuple[str, ...]) -> Topic:
        """The topic with ``extra`` phrases after its own when its scene is too small."""
        if len(self.scene()) >= ENOUGH_SCENE:
            return self
        return replace(self, others=tuple(dict.fromkeys((*self.others, *extra))))
