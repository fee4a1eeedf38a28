"""Whole answers to batch polls, kept while the database has not changed.

A client polls the same ids again and again: the same request body from the same account.
While the database's version (:meth:`songgate.store.tasks.TaskStore.version`) has not
moved, the answer is the one given before, byte for byte, so it is sent again without
parsing the body, looking up each id or building the envelope. Answers are kept for one
version only: the first request at a newer version empties the store. The operator bounds
their memory (``SONGGATE_POLL_ANSWER_BYTES``; 0 keeps none).
"""

from __future__ import annotations

MAX_ANSWERS = 4096
MAX_ANSWER_BYTES = 1 << 20  # a larger answer is built each time
MAX_TOTAL_BYTES = 64 << 20


class PollAnswers:
    def __init__(self, *, max_answers: int = MAX_ANSWERS,
                 max_total_bytes: int = MAX_TOTAL_BYTES) -> None:
        self._max_answers = max_answers
        self._max_total_bytes = max_total_bytes
        self._version: int | None = None
        self._answers: dict[tuple[str, bytes], bytes] = {}
        self._total_bytes = 0

    def __len__(self) -> int:
        return len(self._answers)

    def get(self, version: int, account_id: str, request: bytes) -> bytes | None:
        """The answer given to this account's ``request`` at ``version``, if kept."""
        if version != self._version:
            return None
        return self._answers.get((account_id, request))

    def keep(self, version: int, account_id: str, request: bytes, answer: bytes) -> None:
        """Keep the answer built for ``request`` after ``version`` was read (so it is at
        least that fresh); forgotten as soon as another version is seen."""
        if version != self._version:
            self._answers.clear()
            self._total_bytes = 0
            self._version = version
        size = len(answer) + len(request)
        if size > MAX_ANSWER_BYTES or size > self._max_total_bytes:
            return
        if (len(self._answers) >= self._max_answers
                or self._total_bytes + size > self._max_total_bytes):
            self._answers.clear()
            self._total_bytes = 0
        self._answers[(account_id, request)] = answer
        self._total_bytes += size
